"""The user's models against the live database: what the code believes and what is there.

Drift shows up late and far from its cause: a column the model does not know that is NOT NULL
fails every insert; an index declared with `index=True` but never created (no migration) makes a
list slow only once the table is big. The reflection is SQLAlchemy's inspector, one table at a
time, so a database with thousands of tables the models do not name costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from tui_admin.core.dialects import SQLite, backend_for
from tui_admin.core.doctor.findings import Finding, Severity
from tui_admin.core.registry import ModelAdmin, Registry

#: Type families that the databases store one as the other: a model's `bool` is MySQL's
#: TINYINT(1), a `uuid.UUID` is CHAR(32) outside PostgreSQL, JSON is LONGTEXT on MariaDB.
_SAME_STORAGE = {
    frozenset({"boolean", "integer"}),
    frozenset({"uuid", "string"}),
    frozenset({"json", "string"}),
}
_FAMILIES: tuple[tuple[type[sa.types.TypeEngine[Any]], str], ...] = (
    (sa.Boolean, "boolean"),
    (sa.Integer, "integer"),
    (sa.Numeric, "numeric"),  # Float is a Numeric
    (sa.Enum, "string"),
    (sa.String, "string"),  # Text is a String
    (sa.LargeBinary, "bytes"),
    (sa.DateTime, "datetime"),
    (sa.Date, "date"),
    (sa.Time, "time"),
    (sa.Interval, "interval"),
    (sa.JSON, "json"),
    (sa.Uuid, "uuid"),
)


def _family(kind: sa.types.TypeEngine[Any]) -> str | None:
    """What kind of value a type stores, or None when it is none of the common ones (a database
    type the comparison should not guess about)."""
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    for cls, family in _FAMILIES:
        if isinstance(kind, cls):
            return family
    return None


def check_drift(connection: Connection, registry: Registry) -> list[Finding]:
    """Every difference between the registered models' tables and the database's."""
    inspector = sa.inspect(connection)
    findings: list[Finding] = []
    for admin in registry:
        table = admin.info.source
        if not isinstance(table, sa.Table):
            continue
        if not inspector.has_table(table.name, schema=table.schema):
            ddl = _tidy(str(sa.schema.CreateTable(table).compile(dialect=connection.dialect)))
            findings.append(Finding(
                "D001", Severity.ERROR, admin.info.name, None,
                f"table {table.fullname} does not exist: every read and write of {admin.info.name} fails",
                ddl + ";",
            ))
            continue
        findings += _columns(admin, table, inspector, connection.dialect)
        findings += _indexes(admin, table, inspector, connection.dialect)
        findings += _foreign_keys(admin, table, inspector, connection.dialect)
    return findings


def _tidy(ddl: str) -> str:
    """SQLAlchemy's DDL as a person would type it: indented by spaces, no trailing blanks."""
    return "\n".join(line.replace("\t", "  ").rstrip() for line in ddl.strip().splitlines())


def _columns(admin: ModelAdmin, table: sa.Table, inspector: Any, dialect: Dialect) -> Iterator[Finding]:
    stored = {c["name"]: c for c in inspector.get_columns(table.name, schema=table.schema)}
    target = dialect.identifier_preparer.format_table(table)
    for column in table.columns:
        found = stored.get(column.name)
        if found is None:
            spec = str(sa.schema.CreateColumn(column).compile(dialect=dialect)).strip()
            yield Finding(
                "D002", Severity.ERROR, admin.info.name, column.name,
                f"column {column.name} is in the model, not in the database: every statement that names it fails",
                f"ALTER TABLE {target} ADD COLUMN {spec};",
            )
            continue
        ours, theirs = _family(column.type), _family(found["type"])
        if ours and theirs and ours != theirs and frozenset({ours, theirs}) not in _SAME_STORAGE:
            yield Finding(
                "D004", Severity.WARNING, admin.info.name, column.name,
                f"the model says {column.type!r}, the database holds {found['type']!r}: values are "
                "converted (or refused) on every read and write",
                "make the model's type match the column (or migrate the column)",
            )
        length, stored_length = getattr(column.type, "length", None), getattr(found["type"], "length", None)
        if ours == theirs == "string" and length and stored_length and length != stored_length:
            yield Finding(
                "D005", Severity.WARNING, admin.info.name, column.name,
                f"max_length {length} in the model, {stored_length} in the database: "
                + ("the database cuts or refuses what the model accepts" if length > stored_length
                   else "the model refuses values the database holds"),
                f"Field(max_length={stored_length})  # or migrate the column to {length}",
            )
        if not column.primary_key and bool(column.nullable) != bool(found["nullable"]):
            yield Finding(
                "D006", Severity.WARNING, admin.info.name, column.name,
                "nullable in the model, NOT NULL in the database: saving an empty value fails"
                if column.nullable
                else "NOT NULL in the model, nullable in the database: rows with NULL already there "
                "do not fit the model",
                "make the model's Optional[...] match the column (or migrate the column)",
            )
    known = set(table.columns.keys())
    for name, found in stored.items():
        if name in known or found["nullable"] or found.get("default") is not None:
            continue
        if found.get("autoincrement") is True or found.get("computed") or found.get("identity"):
            continue
        yield Finding(
            "D003", Severity.ERROR, admin.info.name, name,
            f"NOT NULL column {name} (no default) is in the database, not in the model: "
            f"every insert of a {admin.info.name} fails",
            f"add {name} to the model, or give the column a default in the database",
        )


def _index_keys(inspector: Any, table: sa.Table) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The column tuples the database has indexes on, and those it keeps unique."""
    indexes = inspector.get_indexes(table.name, schema=table.schema)
    uniques = inspector.get_unique_constraints(table.name, schema=table.schema)
    primary = tuple(inspector.get_pk_constraint(table.name, schema=table.schema)["constrained_columns"])
    indexed = {tuple(i["column_names"]) for i in indexes} | {tuple(u["column_names"]) for u in uniques} | {primary}
    unique = {tuple(i["column_names"]) for i in indexes if i.get("unique")}
    unique |= {tuple(u["column_names"]) for u in uniques} | {primary}
    return indexed, unique


def _indexes(admin: ModelAdmin, table: sa.Table, inspector: Any, dialect: Dialect) -> Iterator[Finding]:
    indexed, unique = _index_keys(inspector, table)
    for index in table.indexes:
        columns = tuple(c.name for c in index.columns)
        if columns in (unique if index.unique else indexed):
            continue
        ddl = str(sa.schema.CreateIndex(index).compile(dialect=dialect)).strip()
        yield Finding(
            "D007", Severity.WARNING, admin.info.name, ", ".join(columns),
            f"the model declares {'a unique index' if index.unique else 'an index'} on "
            f"{', '.join(columns)} that the database lacks"
            + (": duplicates are not refused" if index.unique else ": lookups and sorts on it scan the table"),
            ddl + ";",
        )
    for constraint in table.constraints:
        if not isinstance(constraint, sa.UniqueConstraint):
            continue
        columns = tuple(c.name for c in constraint.columns)
        if columns and columns not in unique:
            quote = dialect.identifier_preparer.quote
            yield Finding(
                "D007", Severity.WARNING, admin.info.name, ", ".join(columns),
                f"the model declares {', '.join(columns)} unique; the database does not: duplicates are not refused",
                f"CREATE UNIQUE INDEX {quote('uq_' + table.name + '_' + '_'.join(columns))} ON "
                f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(c) for c in columns)});",
            )


def _foreign_keys(admin: ModelAdmin, table: sa.Table, inspector: Any, dialect: Dialect) -> Iterator[Finding]:
    stored = {
        (tuple(fk["constrained_columns"]), fk["referred_table"])
        for fk in inspector.get_foreign_keys(table.name, schema=table.schema)
    }
    for fk in table.foreign_key_constraints:
        columns = tuple(c.name for c in fk.columns)
        if (columns, fk.referred_table.name) in stored:
            continue
        quote = dialect.identifier_preparer.quote
        referred = ", ".join(quote(e.column.name) for e in fk.elements)
        yield Finding(
            "D008", Severity.WARNING, admin.info.name, ", ".join(columns),
            f"the model's foreign key to {fk.referred_table.name} is not in the database: "
            "rows may name records that do not exist",
            f"ALTER TABLE {dialect.identifier_preparer.format_table(table)} ADD FOREIGN KEY "
            f"({', '.join(quote(c) for c in columns)}) REFERENCES "
            f"{dialect.identifier_preparer.format_table(fk.referred_table)} ({referred});"
            + ("  -- SQLite cannot: rebuild the table with the constraint"
               if isinstance(backend_for(dialect), SQLite) else ""),
        )
