"""Fixtures shared by every suite: real databases, the demo schema and data.

`db_url` runs a test on SQLite (sync and aiosqlite) and, when their URLs are given, on the real
PostgreSQL and MariaDB servers of the machine, each with a sync and an async driver. A server URL
that is set but unreachable fails the test; an unset one skips it, except in CI (`CI=true`), where
`.ci/run` must set both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tui_admin import demo
from tui_admin.core.registry import Registry

POSTGRES_ENV = "TUI_ADMIN_TEST_POSTGRES_URL"
MYSQL_ENV = "TUI_ADMIN_TEST_MYSQL_URL"

#: param id → (environment variable or None for SQLite, sync driver, driver used by the test)
ENGINES = {
    "sqlite": (None, "sqlite", "sqlite"),
    "sqlite+aiosqlite": (None, "sqlite", "sqlite+aiosqlite"),
    "postgresql+psycopg": (POSTGRES_ENV, "postgresql+psycopg", "postgresql+psycopg"),
    "postgresql+asyncpg": (POSTGRES_ENV, "postgresql+psycopg", "postgresql+asyncpg"),
    "mysql+pymysql": (MYSQL_ENV, "mysql+pymysql", "mysql+pymysql"),
    "mysql+aiomysql": (MYSQL_ENV, "mysql+pymysql", "mysql+aiomysql"),
}


_DATABASES: dict[tuple[str, str], str] = {}


def database_beside(url: str, suffix: str) -> str:
    """The URL of the server database named as `url`'s with `_suffix`, created on first use:
    a database of its own for tests whose fixed table names would meet another's (the zoo), or
    for each pytest-xdist worker."""
    if (url, suffix) not in _DATABASES:
        given = sa.make_url(url)
        name = f"{given.database}_{suffix}"
        on_postgresql = given.get_backend_name() == "postgresql"
        server = given.set(database="postgres" if on_postgresql else None)
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                if on_postgresql:
                    if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %(n)s", {"n": name}).first():
                        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                else:
                    conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS `{name}`")
        finally:
            admin.dispose()
        _DATABASES[(url, suffix)] = given.set(database=name).render_as_string(hide_password=False)
    return _DATABASES[(url, suffix)]


def _for_this_worker(url: str) -> str:
    """Under pytest-xdist, each worker gets a database of its own on the server (the URL's name
    with the worker's id), so that two workers never drop each other's tables; without xdist,
    the URL as given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return database_beside(url, worker) if worker else url


def _server_url(env: str) -> str:
    url = os.environ.get(env)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{env} is not set: in CI every database suite must run (.ci/run sets it)")
        pytest.skip(f"{env} is not set: no server to test against")
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.fail(f"{env} is set but the server is unreachable: {str(exc.orig).strip()}")
    finally:
        engine.dispose()
    return _for_this_worker(url)  # once the server is known to answer


def _with_driver(url: str, driver: str) -> str:
    return sa.make_url(url).set(drivername=driver).render_as_string(hide_password=False)


@pytest.fixture(params=list(ENGINES))
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_urls(engine_name: str, tmp_path: Path) -> tuple[str, str]:
    """(URL for setting up with a sync driver, URL the test uses) of an empty database."""
    env, sync_driver, driver = ENGINES[engine_name]
    if env is None:
        path = tmp_path / "test.db"
        return f"sqlite:///{path}", f"{driver}:///{path}"
    base = _server_url(env)
    return _with_driver(base, sync_driver), _with_driver(base, driver)


@pytest.fixture
def demo_url(db_urls: tuple[str, str]) -> Iterator[str]:
    """A database holding the demo schema and sample rows, on each engine."""
    setup, url = db_urls
    demo.install(setup)
    yield url


@pytest.fixture
def sqlite_demo(tmp_path: Path) -> str:
    """The demo built exactly as the CLI builds it (from sample.db.sql), as a sqlite:/// URL."""
    return demo.url(demo.build(tmp_path / "demo.db"))


@pytest.fixture
def demo_registry() -> Registry:
    return Registry.from_module(demo.MODELS_MODULE)
