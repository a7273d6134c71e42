"""Fixtures of the zoo: each backend's zoo is built once for the package (SQLite in a temporary
file, the servers in the test databases, dropped afterwards), and each engine's reflection of it
is made once and shared by the tests' Stores.

A test that takes `zoo_table` runs once per engine and zoo table, one that takes only `zoo` once
per engine (`@pytest.mark.zoo(select=…)` narrows the tables, `engines=` the engines). Tests that
write put every row back as it was: a write test adds its own rows (keys from `ZooTable.spare`)
and removes them, or restores the tables it changed, so that no test depends on another's
leftovers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import ENGINES, MYSQL_ENV, POSTGRES_ENV, _server_url, _with_driver, database_beside
from tests.zoo import build
from tests.zoo.catalogue import ZOO, ZooTable, backend_of
from tests.zoo.harness import Raw, find_admin, reflect
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Store

SERVER_ENV = {"postgresql": POSTGRES_ENV, "mysql": MYSQL_ENV}
SYNC_DRIVER = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "zoo(select=None, engines=None): the zoo tables and engines a test runs on")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`zoo_table` (with `zoo_engine`): every (engine, zoo table) pair; `zoo_engine` alone: every
    engine. `@pytest.mark.zoo(select=…, engines=…)` narrows either."""
    if "zoo_engine" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("zoo")
    select: Callable[[ZooTable], bool] = (marker.kwargs.get("select") if marker else None) or (lambda t: True)
    engines: list[str] = (marker.kwargs.get("engines") if marker else None) or list(ENGINES)
    if "zoo_table" not in metafunc.fixturenames:
        metafunc.parametrize("zoo_engine", engines)
        return
    params = [
        pytest.param(engine, table, id=f"{engine}-{table.slug}")
        for engine in engines
        for table in ZOO[backend_of(engine)]
        if select(table)
    ]
    metafunc.parametrize(("zoo_engine", "zoo_table"), params)


@dataclass
class Zoo:
    """The zoo as one engine sees it."""

    backend: str
    engine_name: str
    setup_url: str  # sync driver, for raw SQL
    url: str  # the driver under test
    raw: Raw
    tables: list[ZooTable]
    _shared: ZooDatabases = field(repr=False)

    @property
    def registry(self) -> Registry:
        return self._shared.registry(self.engine_name, self.url)

    @property
    def reflection_warnings(self) -> list[str]:
        self._shared.registry(self.engine_name, self.url)
        return self._shared.warnings[self.engine_name]

    def admin(self, table: ZooTable) -> ModelAdmin:
        return find_admin(self.registry, table, self.backend)

    def __repr__(self) -> str:  # short, for test reports (hypothesis prints the fixtures' values)
        return f"Zoo({self.engine_name})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def table(self, name: str, schema: str | None = None) -> ZooTable:
        return next(t for t in self.tables if t.name == name and t.schema == schema)


@dataclass
class ZooDatabases:
    """Each backend's zoo, built on first use; each engine's registry, reflected on first use."""

    directory: Path
    urls: dict[str, str] = field(default_factory=dict)
    raws: dict[str, Raw] = field(default_factory=dict)
    registries: dict[str, Registry] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def setup_url(self, backend: str) -> str:
        if backend not in self.urls:
            if backend == "sqlite":
                self.urls[backend] = build.create_sqlite(self.directory / "zoo.db")
            else:
                # A database of its own: the zoo's tables ("order", "tag", …) live while the
                # package runs, and another file run on the same worker may make its own.
                url = _with_driver(database_beside(_server_url(SERVER_ENV[backend]), "zoo"), SYNC_DRIVER[backend])
                build.create_server(backend, url)
                self.urls[backend] = url
            self.raws[backend] = Raw(sa.create_engine(self.urls[backend]))
        return self.urls[backend]

    def zoo(self, engine_name: str) -> Zoo:
        backend = backend_of(engine_name)
        setup = self.setup_url(backend)
        url = _with_driver(setup, ENGINES[engine_name][2])
        return Zoo(backend, engine_name, setup, url, self.raws[backend], ZOO[backend], self)

    def registry(self, engine_name: str, url: str) -> Registry:
        if engine_name not in self.registries:
            self.registries[engine_name], self.warnings[engine_name] = reflect(url)
        return self.registries[engine_name]

    def close(self) -> None:
        for raw in self.raws.values():
            raw.engine.dispose()
        for backend, url in self.urls.items():
            if backend != "sqlite":
                build.drop_server(backend, url)


@pytest.fixture(scope="package")
def zoo_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZooDatabases]:
    databases = ZooDatabases(tmp_path_factory.mktemp("zoo"))
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture
def zoo(zoo_databases: ZooDatabases, zoo_engine: str) -> Zoo:
    """The zoo on the test's engine (`zoo_engine` is parametrized by `pytest_generate_tests`)."""
    return zoo_databases.zoo(zoo_engine)


@pytest.fixture
async def zoo_store(zoo: Zoo) -> AsyncIterator[Store]:
    """A Store on the zoo through the test's driver, with the shared reflected registry."""
    async with Store(zoo.url, zoo.registry) as store:
        yield store
