"""Small helpers shared by the core tests (fixtures live in conftest.py)."""

from __future__ import annotations

import sqlalchemy as sa


def count_rows(engine: sa.Engine, table: str, where: str = "") -> int:
    """Rows of a table (optionally matching a plain SQL condition), read outside the Store."""
    sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql).scalar_one()


def rows(engine: sa.Engine, sql: str) -> list[tuple]:
    """The rows of a plain SQL query, read outside the Store."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]
