"""Mapped classes for a database that came without models: one class per reflected table or view.

Reflection gives columns, keys and foreign keys but no Python defaults, validators or
relationship names, so the classes are plain SQLAlchemy mappings named after the tables, with
relationships derived from the foreign keys and named after their columns:

- every foreign key gives a many-to-one named after its column without its id suffix
  (`team_id` → `team`, `home_team_id` → `home_team`, `ArtistId` → `Artist`), or after the
  referenced table when nothing is left or the name is a column already (`ReportsTo` →
  `Employee`); the referenced table gets a one-to-many named `<table>_set` (or
  `<table>_set_by_<column>` when the table refers to it twice);
- a link table (a primary key made only of foreign keys, extra columns allowed) gives each side a
  many-to-many named `<other>_via_<link>`.

The relationships are view-only: the admin writes columns and link rows itself, never through a
collection.

A table is named as `psql` finds it: by its bare name when the search path leads to it, else
`schema.name` (see `display_names`).

Views and tables without a primary key are mapped read-only. The ORM needs a key that tells
every row apart, and such a relation has none: two identical rows would be one object, and a
keyset page that ends between them would skip the second. So the class is mapped to a subquery
that numbers the rows: `row_number() OVER (PARTITION BY <its integer and text columns> ORDER BY
<the other columns, in an exact form>)`, and the key is those columns plus the number. Identical
rows get 1, 2, …; the number of a row does not move when other rows come or go (only its equals
share its partition); the list is in the order of the key, so of all the columns. The integer and
text columns are the ones every database compares, binds and reads back exactly, as a keyset
cursor needs; the others (floats, dates, JSON…) only order the numbering, as text or bytes, which
every type has. SQLite tables need no numbering: their `rowid` is the key.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, relationship

from tui_admin.core.dialects import Backend, backend_for
from tui_admin.core.errors import ConfigError, first_line
from tui_admin.core.introspect import READ_ONLY_ATTR, SOURCE_ATTR, Kind, column_kind, is_link_table
from tui_admin.core.kinds import loaded_types
from tui_admin.core.pgtypes import AsText

VIEW = "a view"  # the reasons a model is read-only (`ModelInfo.read_only`)
NO_KEY = "no primary key"
_ID_SUFFIX = re.compile(r"_?id$", re.IGNORECASE)


@dataclass
class Reflected:
    models: list[type]
    names: dict[type, str]
    skipped: list[str] = field(default_factory=list)  # tables left out, with the reason


@dataclass
class Found:
    """What `read_database` found: the tables to map (those of the schemas read, without the
    tables of other schemas that their foreign keys pulled in, nor PostgreSQL's partitions), which
    of them are views, and what decides their names."""

    metadata: sa.MetaData
    tables: list[sa.Table]
    views: set[sa.Table]
    search_path: list[str]
    default_schema: str | None
    skipped: list[str] = field(default_factory=list)


def _driver_reason(text: str) -> str:
    """The first line of a driver's message, without SQLAlchemy's wrapping of it."""
    first = first_line(text) or "unknown error"
    return re.sub(r"^(.*?could not be reflected: )?(\([\w.]+\) )?", "", first)


def _reflect_schema(
    connection: sa.Connection, rules: Backend, metadata: sa.MetaData, schema: str | None, keep: Any,
    skipped: list[str],
) -> None:
    """Every table and view of one schema; if one cannot be read (a view over a dropped table), the
    others still are, and it is reported."""
    try:
        with rules.attempt(connection), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", sa.exc.SAWarning)
            metadata.reflect(connection, schema=schema, views=True, only=keep)
        for warning in caught:  # MySQL's dialect skips what it cannot read with a warning
            text = str(warning.message)
            if text.startswith("Skipping table "):
                name, _, reason = text.removeprefix("Skipping table ").partition(": ")
                key = f"{schema}.{name}" if schema else name
                skipped.append(f"{key}: cannot be read ({_driver_reason(reason)})")
            elif not text.startswith("Did not recognize type"):
                # A type SQLAlchemy does not know (xml, point…) is reflected as NullType: shown as
                # the driver gives it, never edited, sorted or filtered (`Kind.OTHER`).
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        return
    except sa.exc.SQLAlchemyError:
        pass
    inspector = sa.inspect(connection)
    for name in [*inspector.get_table_names(schema), *inspector.get_view_names(schema)]:
        key = f"{schema}.{name}" if schema else name
        if key in metadata.tables or not keep(name, metadata):
            continue
        try:
            with rules.attempt(connection):
                sa.Table(name, metadata, schema=schema, autoload_with=connection)
        except sa.exc.SQLAlchemyError as exc:
            if key in metadata.tables:
                metadata.remove(metadata.tables[key])
            skipped.append(f"{key}: cannot be read ({_driver_reason(str(getattr(exc, 'orig', None) or exc))})")


def read_database(
    connection: sa.Connection, schemas: Sequence[str] | None = None, rules: Backend | None = None
) -> Found:
    """Reflect the user's schemas (PostgreSQL: all but its own; elsewhere the database of the URL),
    or only `schemas` (on MySQL/MariaDB a schema is a database). Raises `ConfigError` for a name
    that is not a user schema. `rules`: the database's backend (by default, its dialect's)."""
    rules = backend_for(rules if rules is not None else connection.dialect)
    inspector = sa.inspect(connection)
    default = inspector.default_schema_name
    available = rules.user_schemas(connection, inspector)
    if schemas:
        existing = set(inspector.get_schema_names())
        unknown = [s for s in schemas if not rules.may_show(s, existing, available)]
        if unknown:
            raise ConfigError(f"no schema {', '.join(map(repr, unknown))} to show "
                              f"(schemas: {', '.join(available) or 'none'})")
    wanted = list(dict.fromkeys(schemas or available))
    search_path, partitions = rules.reflection_setup(connection, default)
    metadata = sa.MetaData()
    found = Found(metadata, [], set(), search_path, default)
    for name in wanted:
        schema = None if name == default else name

        def keep(table: str, _: sa.MetaData, schema_name: str = name) -> bool:
            return (schema_name, table) not in partitions

        _reflect_schema(connection, rules, metadata, schema, keep, found.skipped)
        views = rules.view_names(inspector, schema)
        for table in metadata.tables.values():
            if table.schema == schema and keep(table.name, metadata):
                found.tables.append(table)
                if table.name in views:
                    found.views.add(table)
    return found


def display_names(tables: Iterable[sa.Table], search_path: Sequence[str], default_schema: str | None) -> dict[
    sa.Table, str
]:
    """The bare name for the table that the search path finds by it (the first schema of the path
    holding that name), `schema.name` for every other; a name still given twice (a table whose
    own name holds a dot) is quoted, `"schema"."name"`. `default_schema` is the schema of the
    tables reflected without one."""
    tables = list(tables)
    rank = {schema: i for i, schema in enumerate(search_path)}

    def schema_of(table: sa.Table) -> str:
        return table.schema or default_schema or ""

    found: dict[str, sa.Table] = {}
    for table in sorted((t for t in tables if schema_of(t) in rank), key=lambda t: rank[schema_of(t)]):
        found.setdefault(table.name, table)
    names = {t: t.name if found.get(t.name) is t else f"{schema_of(t)}.{t.name}" for t in tables}
    taken = Counter(names.values())
    for table, name in names.items():
        if taken[name] > 1 and found.get(table.name) is not table:
            names[table] = f'"{schema_of(table)}"."{table.name}"'
    return names


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_")) or "Table"


def _free_name(cls: type, wanted: str) -> str:
    """`wanted`, or `wanted_ref`, `wanted_ref2`…: never shadow a column or another relationship."""
    taken = set(sa.inspect(cls).attrs.keys())
    name, n = wanted, 1
    while name in taken:
        name = f"{wanted}_ref" if n == 1 else f"{wanted}_ref{n}"
        n += 1
    return name


def _add(cls: type, wanted: str, rel: Any) -> None:
    setattr(cls, _free_name(cls, wanted), rel)


# -- keyless tables and views -------------------------------------------------------------------


def _exact_key(column: sa.Column[Any]) -> bool:
    """Columns whose values every database compares, binds and reads back exactly, so that they can
    be part of a keyset cursor as they are: integers, and text other than blank-padded CHAR(n)."""
    kind = column_kind(column)
    return kind is Kind.INTEGER or (kind is Kind.TEXT and not isinstance(column.type, sa.CHAR))


def _ties_apart(column: sa.Column[Any], rules: Backend) -> bool:
    """Whether equal values of a key column may still differ: text under MySQL's usual collations
    (case- and accent-insensitive, trailing spaces ignored) or any declared collation elsewhere;
    PostgreSQL's and SQLite's default comparisons of text and integers are exact."""
    return column_kind(column) is Kind.TEXT and rules.text_ties_apart(column)


def _numbered(table: sa.Table, rules: Backend, *, is_view: bool) -> tuple[sa.Subquery, list[Any]]:
    """The subquery a keyless table or view is mapped to, and its key (see the module's doc)."""
    number_key = "__row__"
    while number_key in table.c:
        number_key += "_"
    rowid = None if is_view else rules.rowid(table)  # SQLite's
    if rowid is not None:
        subquery = sa.select(*table.c, sa.literal_column(rowid, sa.Integer).label(number_key)).subquery(table.name)
        return subquery, [subquery.c[number_key]]
    partition = [c for c in table.c if _exact_key(c)]
    # Under these forms two values are tied only if they are the same value: SQLite ties 1 and 1.0,
    # MySQL's collations 'a' and 'A', PostgreSQL's numeric 1.0 and 1.00; and PostgreSQL cannot
    # sort json at all (see `Backend.exact_forms`).
    order = [form for c in table.c if c not in partition or _ties_apart(c, rules)
             for form in rules.exact_forms(c)]
    number = sa.func.row_number().over(partition_by=partition or None, order_by=order)
    subquery = sa.select(*table.c, number.label(number_key)).subquery(table.name)
    return subquery, [subquery.c[c.key] for c in partition] + [subquery.c[number_key]]


# -- relationships ------------------------------------------------------------------------------


class _Mapped:
    """The mapped classes by table, and the column each table column is queried as."""

    def __init__(self, classes: dict[sa.Table, type], names: dict[sa.Table, str]) -> None:
        self.classes = classes
        self.names = names

    def col(self, column: sa.Column[Any]) -> sa.ColumnElement[Any]:
        selectable = self.classes[column.table].__table__  # type: ignore[attr-defined,index]
        return column if selectable is column.table else selectable.c[column.key]

    def cols(self, columns: Iterable[sa.Column[Any]]) -> list[sa.ColumnElement[Any]]:
        return [self.col(c) for c in columns]


def _to_one_name(cls: type, columns: Sequence[sa.Column[Any]], target: str) -> str:
    """`team_id` → `team` (as always); `ArtistId`, `authorid` → `Artist`, `author`; the target
    table's name when the column's own name is all that is left or is taken (`ReportsTo`)."""
    names = "_".join(c.name for c in columns)
    if len(columns) != 1:
        return f"{names}_ref"
    if names.endswith("_id"):
        return names.removesuffix("_id")
    stripped = _ID_SUFFIX.sub("", names)
    taken = set(sa.inspect(cls).attrs.keys())
    return stripped if stripped and stripped not in taken else target


def _add_foreign_key_relations(mapped: _Mapped) -> None:
    for table, cls in mapped.classes.items():
        constraints = [fk for fk in table.foreign_key_constraints if fk.referred_table in mapped.classes]
        per_target = Counter(fk.referred_table for fk in constraints)
        for fk in constraints:
            target = mapped.classes[fk.referred_table]
            cols = list(fk.columns)
            pairs = [(mapped.col(c), mapped.col(e.column)) for c, e in zip(cols, fk.elements, strict=True)]
            join = sa.and_(*(c == ref for c, ref in pairs))
            local = [c for c, _ in pairs]
            # remote_side says which end is "many"; it is what makes a self-reference (parent_id) work.
            referred = [ref for _, ref in pairs]
            to_one = _to_one_name(cls, cols, mapped.names[fk.referred_table])
            _add(cls, to_one, relationship(target, primaryjoin=join, foreign_keys=local, remote_side=referred,
                                           viewonly=True))
            col_names = "_".join(c.name for c in cols)
            name = mapped.names[table]
            many = f"{name}_set_by_{col_names}" if per_target[fk.referred_table] > 1 else f"{name}_set"
            _add(target, many, relationship(cls, primaryjoin=join, foreign_keys=local, remote_side=local,
                                            viewonly=True))


def _add_many_to_many(mapped: _Mapped) -> None:
    for table in mapped.classes:
        fks = [fk for fk in table.foreign_key_constraints if fk.referred_table in mapped.classes]
        if not is_link_table(table) or len(fks) != 2:
            continue
        for here, there in (fks, fks[::-1]):
            near, far = mapped.classes[here.referred_table], mapped.classes[there.referred_table]
            primary = sa.and_(*(c == mapped.col(e.column) for c, e in zip(here.columns, here.elements, strict=True)))
            secondary = sa.and_(
                *(c == mapped.col(e.column) for c, e in zip(there.columns, there.elements, strict=True))
            )
            wanted = f"{mapped.names[there.referred_table]}_via_{mapped.names[table]}"
            if near is far:  # self-referencing: name each direction by the far column
                wanted += "_" + "_".join(c.name for c in there.columns)
            _add(near, wanted, relationship(far, secondary=table, primaryjoin=primary,
                                            secondaryjoin=secondary, viewonly=True))


def _as_stored(table: sa.Table) -> None:
    """Reflected types whose driver value is not the stored value, made exact."""
    for column in table.columns:
        if isinstance(column.type, sa.Float):
            # MySQL's DOUBLE and REAL reflect as Decimals: the column holds a float.
            column.type.asdecimal = False
        elif isinstance(column.type, loaded_types("postgresql.INTERVAL")):
            column.type = AsText(column.type)  # '1 mon' is not 30 days: keep the database's text


def map_tables(
    metadata: sa.MetaData,
    dialect: Dialect | Backend | None = None,
    *,
    tables: Iterable[sa.Table] | None = None,
    views: Collection[sa.Table] = (),
    search_path: Sequence[str] = (),
    default_schema: str | None = None,
) -> Reflected:
    """A declarative class per table (`tables`, by default every table of the metadata); views and
    tables without a primary key are mapped read-only, to their numbering (see the module's doc).
    Each mapping lives in its own registry so that reflecting twice (or reflecting beside the
    user's models) never collides. `search_path` and `default_schema` decide the names; `dialect`
    (or its backend) how keyless tables are numbered."""
    rules = backend_for(dialect)

    class Base(DeclarativeBase):
        pass

    chosen = set(tables) if tables is not None else set(metadata.tables.values())
    ordered = [t for t in metadata.sorted_tables if t in chosen]
    names = display_names(ordered, search_path or [default_schema or ""], default_schema)
    classes: dict[sa.Table, type] = {}
    class_names: set[str] = set()
    for table in ordered:
        _as_stored(table)
        class_name, n = _class_name(names[table]), 1
        while class_name in class_names:
            n += 1
            class_name = f"{_class_name(names[table])}{n}"
        class_names.add(class_name)
        body: dict[str, Any] = {"__table__": table}
        if table in views or not table.primary_key.columns:
            subquery, key = _numbered(table, rules, is_view=table in views)
            body = {"__table__": subquery, "__mapper_args__": {"primary_key": key}, SOURCE_ATTR: table,
                    READ_ONLY_ATTR: VIEW if table in views else NO_KEY}
        classes[table] = type(class_name, (Base,), body)
    mapped = _Mapped(classes, names)
    _add_foreign_key_relations(mapped)
    _add_many_to_many(mapped)
    Base.registry.configure()
    return Reflected(list(classes.values()), {cls: names[table] for table, cls in classes.items()})
