"""One object per backend: the rules are found by the dialect's name, a subclass registered for a
name takes over, and no module outside `dialects` asks which database it is talking to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

import tui_admin
from tui_admin.core.dialects import Backend, MySQL, PostgreSQL, SQLite, backend_for, dialect_meant_by, register
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store


class CockroachLike(PostgreSQL):
    """A PostgreSQL-compatible engine that differs in one rule: its catalog keeps no planner figure
    for a table's rows, so the list shows no estimate before the count. Everything else (connect
    settings, cursors, locks, errors, reflection) is PostgreSQL's."""

    name = "cockroachlike"

    def row_estimate(self, table: sa.Table) -> sa.TextClause | None:
        return None


def test_the_rules_are_found_by_the_dialects_name() -> None:
    assert type(backend_for(sqlite.dialect())) is SQLite
    assert type(backend_for(postgresql.dialect())) is PostgreSQL
    assert type(backend_for(mysql.dialect())) is MySQL
    assert type(backend_for("mariadb")) is MySQL
    assert type(backend_for("oracle")) is Backend  # nobody registered it: the SQL standard's rules
    assert type(backend_for(None)) is Backend
    rules = PostgreSQL()
    assert backend_for(rules) is rules  # a Store's own object, with what it learnt, is kept


def test_a_name_people_write_is_mapped_to_the_dialect_they_mean() -> None:
    assert dialect_meant_by("Postgres") == "postgresql"
    assert dialect_meant_by("sqlite3") == "sqlite"
    assert dialect_meant_by("nosuchdb") is None


def test_no_module_outside_dialects_asks_for_a_dialects_name() -> None:
    root = Path(tui_admin.__file__).parent
    asks = re.compile(r"dialect\.name|dialect_name|get_backend_name\(\)\s*[!=]="
                      r"|[\"'](sqlite|postgresql|mysql|mariadb)[\"']")
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py")) if path.name != "dialects.py"
        for n, line in enumerate(path.read_text().splitlines(), 1) if asks.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg", "postgresql+asyncpg"])
async def test_a_subclass_registered_for_postgresql_takes_over_its_rule(
    demo_url: str, demo_registry: Registry, check_db: sa.Engine
) -> None:
    with check_db.begin() as conn:
        conn.exec_driver_sql("ANALYZE hero")
        heroes = conn.scalar(sa.text("SELECT count(*) FROM hero"))
        first_ids = list(conn.scalars(sa.text("SELECT id FROM hero ORDER BY id LIMIT 3")))
    query = ListQuery("Hero")
    plain = Store(demo_url, demo_registry)
    try:
        assert await plain.estimate(query) == heroes  # PostgreSQL's own rule: the planner's figure
    finally:
        await plain.dispose()

    previous = register("postgresql", CockroachLike)
    assert previous is PostgreSQL
    try:
        store = Store(demo_url, demo_registry)
        try:
            assert type(store.backend) is CockroachLike
            assert await store.estimate(query) is None  # the subclass's rule
            # The rules it inherits still work on the server: connecting, paging, counting.
            page = await store.page(query, limit=3)
            assert [hero.id for hero in page.rows] == first_ids
            assert await store.count(query) == heroes
        finally:
            await store.dispose()
    finally:
        assert register("postgresql", previous) is CockroachLike
    assert type(backend_for(postgresql.dialect())) is PostgreSQL
