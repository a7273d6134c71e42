"""Fixtures of the core suite: a Store over the demo database, a sync engine to check what really
landed in the database (independently of the Store), and extra tables that are created for one
test and always dropped afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import sqlalchemy as sa

from tests.core.raw_ddl import backend, run_ddl  # noqa: F401  (fixtures: schemas made by raw DDL)
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store


@pytest.fixture
async def store(demo_url: str, demo_registry: Registry) -> AsyncIterator[Store]:
    """A Store over the demo schema and rows, on each engine; always disposed."""
    async with Store(demo_url, demo_registry) as store:
        yield store


@pytest.fixture
def check_db(db_urls: tuple[str, str]) -> Iterator[sa.Engine]:
    """A sync engine on the test database, for reading what a Store operation really wrote."""
    engine = sa.create_engine(db_urls[0])
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def create_tables(db_urls: tuple[str, str]) -> Iterator[Callable[[sa.MetaData], str]]:
    """Create the tables of a MetaData on the test database (replacing leftovers of an interrupted
    run) and return the URL the test uses; every table created this way is dropped at teardown."""
    setup, url = db_urls
    engine = sa.create_engine(setup)
    created: list[sa.MetaData] = []

    def create(metadata: sa.MetaData) -> str:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        created.append(metadata)
        return url

    try:
        yield create
    finally:
        for metadata in reversed(created):
            metadata.drop_all(engine)
        engine.dispose()



@pytest.fixture
def raw_tables(db_urls: tuple[str, str]) -> Iterator[Callable[..., str]]:
    """Run raw DDL/DML (in the database's own dialect) on the test database and return the URL
    the test uses; the named tables are dropped before (leftovers of an interrupted run) and after.
    Tables are named children first, so that dropping them in order never breaks a foreign key."""
    setup, url = db_urls
    engine = sa.create_engine(setup)
    dropped: list[str] = []

    def drop(tables: list[str]) -> None:
        cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
        with engine.begin() as conn:
            for table in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}{cascade}")

    def run(tables: list[str], statements: list[str]) -> str:
        drop(tables)
        dropped.extend(tables)
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        return url

    try:
        yield run
    finally:
        drop(dropped)
        engine.dispose()
