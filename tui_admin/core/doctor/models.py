"""Checks on the user's models alone: the SQLModel production rules that need no database.

Each rule is one that recurs in SQLModel apps and that no type checker or test catches: it shows
only as a slow page on a big table, a failed migration on MySQL, or an API that accepts a field
nobody meant to expose.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import RelationshipProperty

from tui_admin.core.doctor.findings import Finding, Severity
from tui_admin.core.introspect import is_link_table
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.schemas import find_schemas


def leading_columns(table: sa.Table, connection: Connection | None = None) -> set[tuple[str, ...]]:
    """Every column tuple that an index of the table (the primary key and unique constraints
    included) can look up by: each prefix of each index's columns. The database's indexes when
    it has the table (an index created by hand serves as well as a declared one), else the
    model's."""
    inspector = sa.inspect(connection) if connection is not None else None
    if inspector is not None and inspector.has_table(table.name, schema=table.schema):
        keys = [tuple(i["column_names"]) for i in inspector.get_indexes(table.name, schema=table.schema)]
        keys += [tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name, schema=table.schema)]
        keys.append(tuple(inspector.get_pk_constraint(table.name, schema=table.schema)["constrained_columns"]))
    else:
        keys = [tuple(c.name for c in table.primary_key.columns)]
        keys += [tuple(c.name for c in index.columns) for index in table.indexes]
        keys += [
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint)
        ]
        keys += [(c.name,) for c in table.columns if c.unique or c.index]
    return {key[:n] for key in keys if None not in key for n in range(1, len(key) + 1)}


def index_ddl(dialect: Dialect, table: sa.Table, columns: tuple[str, ...]) -> str:
    """`CREATE INDEX …` in the database's own quoting, named the way SQLModel names `index=True`."""
    quote = dialect.identifier_preparer.quote
    name = f"ix_{table.name}_{'_'.join(columns)}"
    target = dialect.identifier_preparer.format_table(table)
    return f"CREATE INDEX {quote(name)} ON {target} ({', '.join(quote(c) for c in columns)});"


def check_models(
    registry: Registry,
    dialect: Dialect,
    module: ModuleType | None = None,
    *,
    conventions: bool = True,
    connection: Connection | None = None,
) -> list[Finding]:
    """Every finding on the registered models (and on the engines `module` defines).
    `conventions`: the models are the user's code (not reflected), so the SQLModel conventions
    (schemas, relationships, lengths, defaults) apply; the index rules always do, on the
    database's indexes when `connection` is given."""
    findings: list[Finding] = []
    for admin in registry:
        findings += _indexes(admin, dialect, connection)
        if not conventions:
            continue
        findings += _relationships(admin)
        findings += _schemas(admin)
        findings += _strings(admin)
        findings += _link_columns(admin)
    if module is not None:
        findings += _engines(module)
    return findings


def _indexes(admin: ModelAdmin, dialect: Dialect, connection: Connection | None) -> Iterator[Finding]:
    table = admin.info.source
    if not isinstance(table, sa.Table):
        return
    indexed = leading_columns(table, connection)
    link = is_link_table(table)
    for fk in table.foreign_key_constraints:
        columns = tuple(c.name for c in fk.columns)
        if columns in indexed:
            continue
        fix = index_ddl(dialect, table, columns) + "  -- and index=True on the model's field"
        field = ", ".join(columns)
        if link:
            yield Finding(
                "M002", Severity.WARNING, admin.info.name, field,
                f"the link table's {field} leads no index: every lookup from {fk.referred_table.name} "
                "through it scans all links (a full scan per record on a million links)",
                fix,
            )
        else:
            yield Finding(
                "M001", Severity.WARNING, admin.info.name, field,
                f"foreign key to {fk.referred_table.name} without an index: listing the rows of one "
                f"{fk.referred_table.name} here, and every delete there, scans this table",
                fix,
            )


def _relationships(admin: ModelAdmin) -> Iterator[Finding]:
    mapper = sa.inspect(admin.info.model)
    for rel in mapper.relationships:
        if rel.backref:
            yield Finding(
                "M003", Severity.WARNING, admin.info.name, rel.key,
                f"backref creates {rel.mapper.class_.__name__}'s side out of sight: the class has no such "
                "attribute for readers and type checkers, and SQLModel does not support it",
                f"declare the attribute on {rel.mapper.class_.__name__} with "
                f'Relationship(back_populates="{rel.key}") and use back_populates="<its name>" here',
            )
            continue
        other = _other_side(rel)
        if rel.back_populates and other is not None and other.back_populates != rel.key:
            yield Finding(
                "M004", Severity.WARNING, admin.info.name, rel.key,
                f"{rel.mapper.class_.__name__}.{other.key} does not name {rel.key} in back_populates: "
                "a change on one side is not seen on the other until the session reloads",
                f'add back_populates="{rel.key}" to {rel.mapper.class_.__name__}.{other.key}',
            )


def _other_side(rel: RelationshipProperty[Any]) -> RelationshipProperty[Any] | None:
    if not rel.back_populates:
        return None
    prop = rel.mapper.get_property(rel.back_populates)
    return prop if isinstance(prop, RelationshipProperty) else None


def _schemas(admin: ModelAdmin) -> Iterator[Finding]:
    if admin.info.is_link or not admin.writable:
        return
    schemas = find_schemas(admin)
    name = admin.info.name
    given = {"Create": schemas.create_is_users, "Update": schemas.update_is_users}
    missing = [s for s, users in given.items() if not users]
    if missing:
        yield Finding(
            "M005", Severity.NOTE, name, None,
            f"no {' or '.join(name + s for s in missing)} schema: an API that takes the table model as "
            "input lets clients set every column, the key included",
            f"define {name}Base (the shared fields), {name}(…, table=True), "
            + ", ".join(f"{name}{s}" for s in missing)
            + " (the SQLModel pattern: base / table / create / public / update)",
        )
    if schemas.create_added:
        columns = ", ".join(schemas.create_added)
        yield Finding(
            "M006", Severity.ERROR, name, columns,
            f"{schemas.create.__name__} cannot build a row: the table requires {columns} "
            "(NOT NULL, no default), which it does not have",
            f"add {columns} to {schemas.create.__name__}, or give the column a default",
        )


def _strings(admin: ModelAdmin) -> Iterator[Finding]:
    for col in admin.info.columns.values():
        kind = col.column.type
        if isinstance(kind, sa.types.TypeDecorator):  # SQLModel's AutoString
            kind = kind.impl_instance
        if isinstance(kind, sa.String) and not isinstance(kind, sa.Text | sa.Enum) and kind.length is None:
            yield Finding(
                "M007", Severity.WARNING, admin.info.name, col.name,
                "str without max_length: VARCHAR with no limit, which MySQL/MariaDB refuse to create, "
                "and the API accepts text of any size",
                f"{col.name}: str = Field(max_length=255)  # the longest value it may hold",
            )


def _link_columns(admin: ModelAdmin) -> Iterator[Finding]:
    if not admin.info.is_link:
        return
    for col in admin.info.columns.values():
        if col.primary_key or col.foreign_key is not None or not col.required:
            continue
        yield Finding(
            "M008", Severity.WARNING, admin.info.name, col.name,
            f"the link model's own column {col.name} has no default: every link added (in code or "
            "through a many-to-many relationship's append) must give it, or the insert fails",
            f'{col.name}: ... = Field(default=...)  # e.g. default="member"',
        )


def _engines(module: ModuleType) -> Iterator[Finding]:
    for attr, value in vars(module).items():
        engine = value.sync_engine if isinstance(value, AsyncEngine) else value
        if not isinstance(engine, sa.Engine):
            continue
        where = f"{module.__name__}.{attr}"
        if engine.echo:
            yield Finding(
                "M009", Severity.WARNING, where, None,
                "echo=True logs every statement with its parameters (the data, passwords included) "
                "and slows every request",
                "create_engine(url)  # log SQL with logging.getLogger('sqlalchemy.engine') when needed",
            )
        if not getattr(engine.pool, "_pre_ping", False):
            yield Finding(
                "M010", Severity.WARNING, where, None,
                "no pool_pre_ping: after a database restart or an idle timeout, the first request on "
                "each pooled connection fails",
                "create_engine(url, pool_pre_ping=True)",
            )
