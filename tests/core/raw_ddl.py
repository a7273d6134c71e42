"""Schemas made by raw DDL in each database's own dialect, for the reflection tests: a fixture
that runs the statements (after dropping leftovers of an interrupted run) and always drops what it
made, so that the tests never depend on what else the test database holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

#: The database a test's engine talks to (the driver does not matter for DDL).
BACKENDS = {
    "sqlite": "sqlite",
    "sqlite+aiosqlite": "sqlite",
    "postgresql+psycopg": "postgresql",
    "postgresql+asyncpg": "postgresql",
    "mysql+pymysql": "mysql",
    "mysql+aiomysql": "mysql",
}

RunDDL = Callable[[list[str], list[str]], None]


def quote(backend: str, name: str) -> str:
    """A quoted identifier, whatever characters the name holds."""
    if backend == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _execute(engine: sa.Engine, statements: list[str], *, ignore_errors: bool) -> None:
    for sql in statements:
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(sql)
        except sa.exc.DBAPIError:
            if not ignore_errors:
                raise


@pytest.fixture
def backend(engine_name: str) -> str:
    return BACKENDS[engine_name]


@pytest.fixture
def run_ddl(db_urls: tuple[str, str]) -> Iterator[RunDDL]:
    """`run_ddl(create, drop)`: drop leftovers, run `create`; `drop` runs again at teardown."""
    engine = sa.create_engine(db_urls[0])
    drops: list[list[str]] = []

    def run(create: list[str], drop: list[str]) -> None:
        _execute(engine, drop, ignore_errors=True)
        drops.append(drop)
        _execute(engine, create, ignore_errors=False)

    try:
        yield run
    finally:
        for drop in reversed(drops):
            _execute(engine, drop, ignore_errors=True)
        engine.dispose()
