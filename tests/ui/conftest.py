"""Fixtures of the UI tests: the app over the demo database, with a fixed title (the default
title shows the database path, which changes every run and would break the snapshots).

Every UI test runs on SQLite and on PostgreSQL through asyncpg (an async engine, a real server).
`demo_db` is the URL the test reads the database with (a sync driver); the app gets the same
database through `app_url` (asyncpg for PostgreSQL). Snapshots run on SQLite only: one set of
images, and the screen does not depend on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_ENV, _server_url, _with_driver
from tests.ui.helpers import TITLE
from tui_admin import demo
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp

UI_ENGINES = ["sqlite", "postgresql+asyncpg"]


def app_url(url: str) -> str:
    """The URL the app opens for a database the test reads with `url`: asyncpg for PostgreSQL."""
    if sa.make_url(url).get_backend_name() == "postgresql":
        return _with_driver(url, "postgresql+asyncpg")
    return url


@pytest.fixture(params=UI_ENGINES)
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The demo schema and rows, on SQLite (built from sample.db.sql) or on PostgreSQL."""
    if request.param == "sqlite":
        return demo.url(demo.build(tmp_path / "demo.db"))
    url = _with_driver(_server_url(POSTGRES_ENV), "postgresql+psycopg")
    demo.install(url)
    return url


@pytest.fixture
def make_app(demo_registry: Registry) -> Callable[..., AdminApp]:
    def make(url: str, *, read_only: bool = False) -> AdminApp:
        return AdminApp(app_url(url), demo_registry, read_only=read_only, title=TITLE)

    return make


@pytest.fixture
def demo_app(make_app: Callable[..., AdminApp], demo_db: str) -> AdminApp:
    return make_app(demo_db)


@pytest.fixture
def snapshot_app(make_app: Callable[..., AdminApp], sqlite_demo: str) -> AdminApp:
    return make_app(sqlite_demo)
