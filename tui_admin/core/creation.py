"""Creating what the registered models need on a database that lacks it: the missing tables, and
the demo's rows, so that a new PostgreSQL or MariaDB database can be browsed from empty.

Only ever additive: a table that exists is left exactly as it is (no ALTER, no DROP), because
the database may hold data the models do not describe; drift is the doctor's to report.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.dialects import backend_for
from tui_admin.core.registry import Registry


def missing_tables(session: Session, registry: Registry) -> list[sa.Table]:
    """The registered models' tables that the database lacks, parents before children."""
    inspector = sa.inspect(session.connection())
    tables = [a.info.source for a in registry if isinstance(a.info.source, sa.Table)]
    absent = [t for t in tables if not inspector.has_table(t.name, schema=t.schema)]
    return list(sa.schema.sort_tables(absent))


def create_missing(session: Session, registry: Registry) -> list[str]:
    """Create the missing tables (with their indexes); return their names, in creation order."""
    created = missing_tables(session, registry)
    for table in created:
        table.create(session.connection())
    return [t.fullname for t in created]


def created(session: Session, registry: Registry) -> bool:
    """`landed` check of `create_missing`: nothing is missing any more."""
    return not missing_tables(session, registry)


@dataclass(frozen=True)
class Loaded:
    """Rows loaded per table, or why nothing was (`refused`)."""

    rows: dict[str, int]
    refused: str | None = None


def load_rows(connection: sa.Connection, tables: list[sa.Table], inserts: list[str]) -> Loaded:
    """Run `inserts` (plain SQL with explicit keys) into `tables` if every one is empty, then move
    each table's key generator past the keys inserted, so that the next row the app creates gets a
    fresh key instead of a duplicate (PostgreSQL sequences do not follow explicit keys)."""
    for table in tables:
        if _has_rows(connection, table):
            return Loaded({}, refused=f"{table.fullname} already holds rows: nothing loaded, nothing changed")
    for statement in inserts:
        connection.exec_driver_sql(statement)
    rules = backend_for(connection.dialect)
    for table in tables:
        for column in table.primary_key.columns:
            rules.restart_serial(connection, table, column.name)
    rows = {t.fullname: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables}
    return Loaded(rows)


def not_empty(session: Session, tables: list[sa.Table]) -> bool:
    """`landed` check of `load_rows`: the tables hold rows."""
    connection = session.connection()
    return all(_has_rows(connection, t) for t in tables)


def _has_rows(connection: sa.Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None
