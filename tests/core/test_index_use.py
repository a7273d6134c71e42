"""On a large table, list pages, sorts and prefix searches must read an index range, not scan:
checked on the SQLite query plan of the statements the Store actually sends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store


@pytest.fixture
async def store(sqlite_demo: str, demo_registry) -> Store:
    async with Store(sqlite_demo, demo_registry) as store:
        yield store


def _plan(db: Path, sql: str, params: tuple) -> str:
    with sqlite3.connect(db) as conn:
        return " | ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


async def _page_plan(store: Store, query: ListQuery, **kwargs) -> str:
    """The plan of the page statement the Store sends, with the parameters it binds."""
    sent: list[tuple[str, tuple]] = []

    def grab(conn, cursor, sql, params, context, executemany):
        sent.append((sql, tuple(params)))

    sa.event.listen(store.sync_engine, "before_cursor_execute", grab)
    try:
        await store.page(query, limit=10, **kwargs)
    finally:
        sa.event.remove(store.sync_engine, "before_cursor_execute", grab)
    sql, params = sent[0]  # the page itself; label queries follow it
    return _plan(Path(store.url.database), sql, params)


async def test_prefix_search_reads_the_name_index(store: Store) -> None:
    plan = await _page_plan(store, ListQuery("Hero").searching("^Spider"))
    assert "USING INDEX ix_hero_name (name>? AND name<?)" in plan, plan


async def test_sorted_keyset_page_reads_the_index_range(store: Store) -> None:
    query = ListQuery("Hero").sorted_by("name")
    first = await store.page(query, limit=3)
    plan = await _page_plan(store, query, after=first.last)
    assert "USING INDEX ix_hero_name (name>?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_last_page_reads_the_primary_key_backwards(store: Store) -> None:
    plan = await _page_plan(store, ListQuery("Hero"), from_end=True)
    assert plan.startswith("SCAN hero") and "TEMP B-TREE" not in plan, plan
