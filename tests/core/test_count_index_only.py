"""A detail counts each to-many relation (a team's 10,000 heroes) in one statement; each count
must be answerable from the foreign key's index alone, never from the table's rows.

Measured on PostgreSQL with 1,000,000 heroes (bench/run.py --url): a team detail's count
statement took 26–30 ms when the tables had been loaded with COPY and only analysed (autovacuum
off, so no visibility map: every count is a bitmap heap scan, one page read per member, 8,333
pages of `hero`), and 2–4 ms once vacuumed (an index-only scan, 12 index pages). The statement
keeps that possible: `count(*)` of the table filtered on the indexed key, with no join and no other
column. The plans are those of the very statement the Store sends, with its bound parameters.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.store import Store


async def _count_statement(store: Store, model: str, pk: tuple[Any, ...]) -> tuple[str, Any]:
    """The statement of `store.detail` that counts the relations, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, sql: str, params: Any, context: Any, executemany: bool) -> None:
        sent.append((sql, params))

    sa.event.listen(store.sync_engine, "before_cursor_execute", grab)
    try:
        await store.detail(model, pk)
    finally:
        sa.event.remove(store.sync_engine, "before_cursor_execute", grab)
    counting = [(sql, params) for sql, params in sent if "count(" in sql]
    assert len(counting) == 1, [sql for sql, _ in sent]
    return counting[0]


async def test_sqlite_counts_read_the_covering_indexes(sqlite_demo: str, demo_registry) -> None:
    store = Store(sqlite_demo, demo_registry)
    try:
        sql, params = await _count_statement(store, "Team", (1,))
    finally:
        await store.dispose()
    with sqlite3.connect(Path(sa.make_url(sqlite_demo).database)) as conn:
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert "SEARCH hero USING COVERING INDEX ix_hero_team_id (team_id=?)" in plan, plan
    assert "SEARCH heroteamlink USING COVERING INDEX sqlite_autoindex_heroteamlink_1 (team_id=?)" in plan, plan


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg"])
async def test_postgresql_counts_are_index_only_scans(db_urls: tuple[str, str], demo_url: str, demo_registry) -> None:
    setup, _ = db_urls
    engine = sa.create_engine(setup, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            # The visibility map an autovacuum sets after a load: without it no scan is index-only.
            conn.exec_driver_sql("VACUUM (ANALYZE) hero, heroteamlink")
        store = Store(demo_url, demo_registry)
        try:
            sql, params = await _count_statement(store, "Team", (1,))
        finally:
            await store.dispose()
        with engine.connect() as conn:
            # The demo's tables are tiny, where a sequential scan wins: leave the planner the
            # index scans only, so the plan says whether the count needs the rows.
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
            plan = "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql, params))
    finally:
        engine.dispose()
    assert "Index Only Scan using ix_hero_team_id on hero" in plan, plan
    assert "Index Only Scan using heroteamlink_pkey on heroteamlink" in plan, plan
