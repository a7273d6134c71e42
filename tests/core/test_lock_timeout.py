"""A save blocked by another transaction's lock gives up after the lock timeout with a clear
`LockTimeoutError`, and writes nothing; a blocked save that is cancelled stops waiting, and writes
nothing either. The lock is real: another connection holds `SELECT … FOR UPDATE` on the rows the
save needs (PostgreSQL, MariaDB) or an open write transaction (`BEGIN IMMEDIATE`, SQLite).

Nothing here measures time: the timeout is short so that the tests are, and what is asserted is
the outcome. `GUARD` only bounds how long a broken build could hang."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.core.helpers import rows
from tui_admin.core.errors import LockTimeoutError
from tui_admin.core.registry import Registry
from tui_admin.core.store import LinkChange, LinkDiff, Store

LOCK_TIMEOUT = 0.5  # seconds; MariaDB rounds it up to its whole second
GUARD = 30

DUMP = {
    "hero": "SELECT id, name, age, team_id FROM hero ORDER BY id",
    "heroteamlink": "SELECT team_id, hero_id, role FROM heroteamlink ORDER BY team_id, hero_id",
}


def dump(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    return {table: rows(engine, sql) for table, sql in DUMP.items()}


@contextmanager
def lock_held(check_db: sa.Engine) -> Iterator[None]:
    """Another transaction locks hero 1 and team 1 (SQLite: the whole database) until the block
    ends, and then rolls back."""
    if check_db.dialect.name == "sqlite":
        conn = sqlite3.connect(Path(check_db.url.database or ""), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with check_db.connect() as conn:
        conn.exec_driver_sql("SELECT id FROM hero WHERE id = 1 FOR UPDATE")
        conn.exec_driver_sql("SELECT id FROM team WHERE id = 1 FOR UPDATE")
        try:
            yield
        finally:
            conn.rollback()


#: The saves of the admin, each needing one of the locked rows: a new hero of team 1 (its foreign
#: key check waits for team 1), an edit and a delete of hero 1, a new link of hero 1.
SAVES: dict[str, Callable[[Store], Awaitable[Any]]] = {
    "create": lambda s: s.create("Hero", {"name": "Blocked", "secret_name": "B", "team_id": 1}),
    "update": lambda s: s.update("Hero", (1,), {"age": 99}, {"age": None}),
    "delete": lambda s: s.delete("Hero", (1,)),
    "links": lambda s: s.apply_links("Team", (3,), "members", LinkDiff(add=[LinkChange((1,), {"role": "member"})])),
}

WAITED_ON = {"create": "hero", "update": "hero", "delete": "hero", "links": "heroteamlink"}  # the table written


@pytest.fixture
async def store(demo_url: str, demo_registry: Registry) -> Store:
    async with Store(demo_url, demo_registry, lock_timeout=LOCK_TIMEOUT) as store:
        yield store


@pytest.mark.parametrize("save", list(SAVES))
async def test_a_save_blocked_by_a_lock_gives_up_with_a_clear_error_and_writes_nothing(
    store: Store, check_db: sa.Engine, save: str
) -> None:
    before = dump(check_db)
    with lock_held(check_db), pytest.raises(LockTimeoutError) as raised:
        await asyncio.wait_for(SAVES[save](store), GUARD)
    where = "the database" if store.dialect.name == "sqlite" else WAITED_ON[save]
    assert str(raised.value) == (
        f"Another transaction holds a lock on {where}: nothing was written (waited {LOCK_TIMEOUT:g} s)"
    )
    assert dump(check_db) == before
    await SAVES[save](store)  # the lock gone, the same save goes through
    assert dump(check_db) != before


def waiting_on_a_lock(check_db: sa.Engine) -> int:
    """Statements on the test database that the server shows waiting for a lock (MariaDB: the
    update's locking read or its UPDATE still running; other databases of the server may have
    their own)."""
    sql = {
        "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()",
        "mysql": "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() "
        "AND (LEFT(info, 12) = 'UPDATE hero ' OR info LIKE 'SELECT%%FROM hero%%FOR UPDATE')",
    }[check_db.dialect.name]
    with check_db.connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar_one())


async def until(predicate: Callable[[], bool], what: str) -> None:
    for _ in range(GUARD * 20):
        if await asyncio.to_thread(predicate):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never saw: {what}")


async def test_a_blocked_save_that_is_cancelled_stops_waiting_and_writes_nothing(
    demo_url: str, demo_registry: Registry, check_db: sa.Engine
) -> None:
    store = Store(demo_url, demo_registry, lock_timeout=4 * GUARD)  # longer than the test waits for anything
    before = dump(check_db)
    try:
        with lock_held(check_db):
            task = asyncio.ensure_future(SAVES["update"](store))
            if store.dialect.name == "sqlite":  # no server view: a second attempt means the first found it locked
                await until(lambda: sum(a.name == "update Hero" for a in store.log.actions) >= 2, "a retry")
            else:
                await until(lambda: waiting_on_a_lock(check_db) == 1, "the update waiting for the lock")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(task, GUARD)
            if store.dialect.name != "sqlite":
                await until(lambda: waiting_on_a_lock(check_db) == 0, "the update gone from the server")
        assert dump(check_db) == before
        await SAVES["update"](store)  # the Store is still usable
        assert rows(check_db, "SELECT age FROM hero WHERE id = 1") == [(99,)]
    finally:
        await store.dispose()


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql+psycopg", "mysql+pymysql"])
async def test_a_write_cancelled_before_its_commit_is_rolled_back(
    demo_url: str, demo_registry: Registry, check_db: sa.Engine
) -> None:
    """The write's statements have run, the caller gives up, then the work returns: no COMMIT.
    (Sync engines: the work runs in a thread, which the test holds on an event.)"""
    store = Store(demo_url, demo_registry)
    before = dump(check_db)
    inserted, release = threading.Event(), threading.Event()

    def insert_then_wait(session: Any) -> None:
        session.execute(sa.text("INSERT INTO team (name, headquarters) VALUES ('Late', 'Nowhere')"))
        inserted.set()
        release.wait(GUARD)

    try:
        task = asyncio.ensure_future(store._run("late insert", insert_then_wait, write=True))
        await until(inserted.is_set, "the insert sent")
        task.cancel()
        await asyncio.sleep(0)  # the Runner sees the cancellation …
        release.set()  # … before the work returns and would commit
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, GUARD)
        assert dump(check_db) == before
        assert rows(check_db, "SELECT count(*) FROM team WHERE name = 'Late'") == [(0,)]
    finally:
        release.set()
        await store.dispose()
