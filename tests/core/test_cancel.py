"""A cancelled operation (a search replaced by the next keystroke, a count the user left) stops
its statement in the database, and the Store stays usable. Asserted on the database's own view
of what runs, never on timings; the waits below only bound how long a broken build could hang."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store

GUARD = 30  # seconds: a hang fails the test instead of blocking the suite

# Each run sleeps a duration of its own, so that it watches its own statement only.
MARK = f"60.{uuid.uuid4().int % 10**6:06d}"
SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
    "SELECT count(*) FROM c",
    "postgresql": f"SELECT pg_sleep({MARK})",
    "mysql": f"SELECT SLEEP({MARK})",
}
RUNNING = {
    "postgresql": f"SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep({MARK})' AND state = 'active'",
    "mysql": f"SELECT count(*) FROM information_schema.processlist WHERE info = 'SELECT SLEEP({MARK})'",
}


async def _until(predicate, what: str) -> None:
    for _ in range(GUARD * 10):
        if await asyncio.to_thread(predicate):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never saw: {what}")


@pytest.fixture
async def store(demo_url: str, demo_registry) -> Store:
    async with Store(demo_url, demo_registry) as store:
        yield store


async def test_cancelled_statement_stops_in_the_database(store: Store, db_urls: tuple[str, str]) -> None:
    dialect = store.dialect.name
    statement = sa.text(SLOW[dialect])
    task = asyncio.ensure_future(store._run("slow", lambda s: s.execute(statement).all()))
    check = sa.create_engine(db_urls[0])

    def running() -> bool:
        if dialect == "sqlite":
            return True  # the task started above; SQLite shows no list of running statements
        with check.connect() as conn:
            return conn.execute(sa.text(RUNNING[dialect])).scalar() > 0

    try:
        await asyncio.sleep(0.2)
        await _until(running, "the slow statement running")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, GUARD)
        if dialect == "sqlite":
            # A reader still running would hold its lock: a write from elsewhere would fail.
            path = Path(sa.make_url(db_urls[0]).database)
            with sqlite3.connect(path, timeout=0) as conn:
                conn.execute("UPDATE team SET headquarters = headquarters WHERE id = 1")
        else:
            await _until(lambda: not running(), "the slow statement gone from the server")
    finally:
        task.cancel()
        check.dispose()
    assert await store.count(ListQuery("Hero")) == 15  # the Store is still usable


async def test_estimate_is_postgresql_planner_figure(store: Store, db_urls: tuple[str, str]) -> None:
    query = ListQuery("Hero")
    if store.dialect.name != "postgresql":
        assert await store.estimate(query) is None
        return
    engine = sa.create_engine(db_urls[0])
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE hero")
    finally:
        engine.dispose()
    assert await store.estimate(query) == 15
    assert await store.estimate(query.searching("man")) is None  # a filtered list has no estimate
