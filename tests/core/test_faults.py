"""Lost connections, injected for real: the server terminates the Store's own connection (found by
the id the server gave it) from a separate connection, at a chosen moment of an operation.

- between two reads (every pooled connection gone): the next read just works (pre-ping);
- during a read's statement: the read runs again on a fresh connection (a read is idempotent);
- during a write's statement: the server rolled it back, and the WriteError says NOT saved;
- during COMMIT: the Store checks on a fresh connection and tells which — NOT saved when the
  COMMIT never reached the server, saved (it returns normally) when the server committed and only
  the answer was lost. Each time the message is checked against what the database holds;
- the same for a link edit (several statements in one transaction).

Only connections opened by the Store under test are ever terminated (other processes use these
servers too). SQLite has no server to lose: these tests run on the four server drivers only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.store import LinkChange, LinkDiff, Store

from .helpers import count_rows, rows

SERVER_ENGINES = ["postgresql+psycopg", "postgresql+asyncpg", "mysql+pymysql", "mysql+aiomysql"]
pytestmark = pytest.mark.parametrize("engine_name", SERVER_ENGINES)

GUARD = 15  # seconds: the longest we wait for the server to drop a connection we terminated
ID_KEY = "tests.faults.server_id"

RUSTY = {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1}


class Connections:
    """The server-side id of every connection a Store opens (`pg_backend_pid()` /
    `CONNECTION_ID()`, asked on that very connection when it is made), and a way to terminate
    one of them from another connection."""

    def __init__(self, store: Store, admin_url: str) -> None:
        self.opened: list[int] = []
        self.terminated: list[int] = []
        self.postgres = store.dialect.name == "postgresql"
        self._admin = sa.create_engine(admin_url, poolclass=sa.NullPool)
        sa.event.listen(store.sync_engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()" if self.postgres else "SELECT CONNECTION_ID()")
        ident = int(cursor.fetchone()[0])
        cursor.close()
        dbapi_connection.rollback()  # leave the new connection outside any transaction
        record.info[ID_KEY] = ident
        self.opened.append(ident)

    def id_of(self, connection: sa.Connection) -> int:
        """The server's id of this connection (asked on it now if it was opened before we listened)."""
        info = connection.connection.info
        if ID_KEY not in info:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cursor.execute("SELECT pg_backend_pid()" if self.postgres else "SELECT CONNECTION_ID()")
            info[ID_KEY] = int(cursor.fetchone()[0])
            cursor.close()
            self.opened.append(info[ID_KEY])
        return int(info[ID_KEY])

    def alive(self, ident: int) -> bool:
        sql = (
            "SELECT count(*) FROM pg_stat_activity WHERE pid = :id"
            if self.postgres
            else "SELECT count(*) FROM information_schema.processlist WHERE id = :id"
        )
        with self._admin.connect() as conn:
            return bool(conn.execute(sa.text(sql), {"id": ident}).scalar())

    def terminate(self, ident: int) -> None:
        """Terminate one of the Store's connections and wait (bounded) until the server dropped it."""
        assert ident in self.opened, "only a connection of the Store under test may be terminated"
        with self._admin.connect() as conn:
            if self.postgres:
                # With a timeout, pg_terminate_backend returns once the backend has exited.
                assert conn.execute(sa.text("SELECT pg_terminate_backend(:id, 5000)"), {"id": ident}).scalar()
            else:
                conn.exec_driver_sql(f"KILL CONNECTION {int(ident)}")
        deadline = time.monotonic() + GUARD
        while self.alive(ident):
            assert time.monotonic() < deadline, f"connection {ident} was not dropped by the server"
            time.sleep(0.02)
        self.terminated.append(ident)

    def dispose(self) -> None:
        self._admin.dispose()


@pytest.fixture
async def faulty(demo_url: str, demo_registry: Registry, db_urls: tuple[str, str]) -> AsyncIterator[
    tuple[Store, Connections]
]:
    """A Store over the demo rows, whose connections can be terminated from outside."""
    store = Store(demo_url, demo_registry)
    connections = Connections(store, db_urls[0])
    try:
        yield store, connections
    finally:
        await store.dispose()
        connections.dispose()


def cut_during_statement(store: Store, connections: Connections, verb: str) -> list[str]:
    """Terminate the connection just before the first statement starting with `verb` is sent."""
    fired: list[str] = []

    def before(conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if not fired and statement.lstrip().upper().startswith(verb):
            fired.append(statement)
            connections.terminate(connections.id_of(conn))

    sa.event.listen(store.sync_engine, "before_cursor_execute", before)
    return fired


def cut_at_commit(store: Store, connections: Connections, *, committed: bool) -> list[int]:
    """Terminate the connection when the first COMMIT is about to be sent (the `commit` event
    fires before it). With `committed`, the server first commits the transaction on that same
    connection (a new one is begun, as the driver would): the COMMIT landed and only its answer is
    lost when the connection dies."""
    fired: list[int] = []

    def on_commit(conn: sa.Connection) -> None:
        if fired:
            return
        ident = connections.id_of(conn)
        fired.append(ident)
        if committed:
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute("COMMIT")
            cursor.execute("SELECT 1")  # psycopg begins a transaction again, so the driver's COMMIT is sent
            cursor.fetchall()
            cursor.close()
        connections.terminate(ident)

    sa.event.listen(store.sync_engine, "commit", on_commit)
    return fired


def checked_whether_it_landed(store: Store) -> bool:
    return any(a.name.endswith(": did it land?") for a in store.log.actions)


# -- reads ------------------------------------------------------------------------------------


async def test_read_after_every_pooled_connection_was_terminated(
    faulty: tuple[Store, Connections],
) -> None:
    store, connections = faulty
    query = ListQuery("Hero")
    # Several reads at once: the pool holds more than one connection afterwards (on most runs).
    pages = await asyncio.gather(*(store.page(query) for _ in range(3)))
    assert all(len(p.rows) == 15 for p in pages)
    pooled = list(connections.opened)
    assert pooled
    for ident in pooled:
        connections.terminate(ident)
    assert not any(connections.alive(i) for i in pooled)

    page = await store.page(query)
    assert [r.name for r in page.rows][:3] == ["Deadpond", "Spider-Boy", "Rusty-Man"]
    assert len(page.rows) == 15
    assert (await store.get("Hero", (3,))).obj.secret_name == "Tommy Sharp"
    fresh = [i for i in connections.opened if i not in pooled]
    assert fresh, "the read ran on a new connection"
    assert all(connections.alive(i) for i in fresh[-1:])


async def test_read_cut_off_during_its_statement_runs_again(faulty: tuple[Store, Connections]) -> None:
    store, connections = faulty
    await store.get("Hero", (1,))  # a pooled connection that passes the pre-ping
    fired = cut_during_statement(store, connections, "SELECT")
    record = await store.get("Hero", (3,))
    assert fired, "the fault was injected"
    assert (record.obj.name, record.obj.age, record.labels) == ("Rusty-Man", 48, {"team_id": {1: "Preventers"}})
    assert len(connections.opened) == 2  # the read was run again, on a fresh connection


async def test_write_after_every_pooled_connection_was_terminated(
    faulty: tuple[Store, Connections], check_db: sa.Engine
) -> None:
    store, connections = faulty
    await store.get("Hero", (3,))
    for ident in list(connections.opened):
        connections.terminate(ident)
    await store.update("Hero", (3,), {"age": 49}, RUSTY)
    assert rows(check_db, "SELECT age FROM hero WHERE id = 3") == [(49,)]


# -- writes cut off during their statement: rolled back by the server, and said so ------------

WriteOp = Callable[[Store], Awaitable[Any]]

WRITES: dict[str, tuple[str, WriteOp, str, list[tuple[Any, ...]]]] = {
    # name: (statement verb cut, operation, check query, what it returns while nothing was written)
    "create": (
        "INSERT",
        lambda s: s.create("Hero", {"name": "Nova", "secret_name": "Nora Vale", "age": 27, "team_id": 3}),
        "SELECT count(*) FROM hero WHERE name = 'Nova'",
        [(0,)],
    ),
    "update": (
        "UPDATE",
        lambda s: s.update("Hero", (3,), {"age": 77, "name": "Rusty"}, RUSTY),
        "SELECT name, age FROM hero WHERE id = 3",
        [("Rusty-Man", 48)],
    ),
    "delete": (
        "DELETE",
        lambda s: s.delete("Hero", (1,)),
        "SELECT (SELECT count(*) FROM hero WHERE id = 1), (SELECT count(*) FROM heroteamlink WHERE hero_id = 1)",
        [(1, 2)],
    ),
}

#: What each query returns once the write landed.
LANDED: dict[str, list[tuple[Any, ...]]] = {
    "create": [(1,)],
    "update": [("Rusty", 77)],
    "delete": [(0, 0)],
}


@pytest.mark.parametrize("write", list(WRITES))
async def test_write_cut_off_during_its_statement_is_not_saved_and_says_so(
    faulty: tuple[Store, Connections], check_db: sa.Engine, write: str
) -> None:
    store, connections = faulty
    verb, operation, check, untouched = WRITES[write]
    await store.get("Hero", (1,))
    fired = cut_during_statement(store, connections, verb)
    with pytest.raises(WriteError, match="NOT saved") as caught:
        await operation(store)
    assert fired, "the fault was injected"
    assert "lost" in str(caught.value)
    assert rows(check_db, check) == untouched
    assert count_rows(check_db, "hero") == 15
    assert count_rows(check_db, "heroteamlink") == 20
    # The Store is usable afterwards, on a fresh connection.
    assert (await store.get("Hero", (3,))).obj.name == "Rusty-Man"


# -- writes cut off at COMMIT: checked on a fresh connection, and the user told which -----------


@pytest.mark.parametrize("write", list(WRITES))
async def test_commit_cut_off_before_it_reached_the_server_says_not_saved(
    faulty: tuple[Store, Connections], check_db: sa.Engine, write: str
) -> None:
    store, connections = faulty
    _verb, operation, check, untouched = WRITES[write]
    fired = cut_at_commit(store, connections, committed=False)
    with pytest.raises(WriteError) as caught:
        await operation(store)
    assert fired, "the fault was injected"
    assert checked_whether_it_landed(store)
    assert "NOT saved" in str(caught.value)
    assert rows(check_db, check) == untouched  # what the message says is what the database holds
    assert (await store.get("Hero", (3,))).obj.name == "Rusty-Man"


@pytest.mark.parametrize("write", list(WRITES))
async def test_commit_that_landed_before_the_connection_died_is_reported_saved(
    faulty: tuple[Store, Connections], check_db: sa.Engine, write: str
) -> None:
    store, connections = faulty
    _verb, operation, check, _untouched = WRITES[write]
    fired = cut_at_commit(store, connections, committed=True)
    await operation(store)  # no error: it was saved
    assert fired, "the fault was injected"
    assert checked_whether_it_landed(store), "the driver's COMMIT failed and the Store checked"
    assert rows(check_db, check) == LANDED[write]


async def test_commit_cut_off_tells_what_the_database_holds(
    faulty: tuple[Store, Connections], check_db: sa.Engine
) -> None:
    """Whatever the outcome of a cut-off COMMIT, the Store's answer matches the row."""
    store, connections = faulty
    for committed, age in ((False, 60), (True, 61)):
        connections_before = len(connections.opened)
        fired = cut_at_commit(store, connections, committed=committed)
        current = rows(check_db, "SELECT age FROM hero WHERE id = 3")[0][0]
        try:
            await store.update("Hero", (3,), {"age": age}, {**RUSTY, "age": current})
        except WriteError as exc:
            assert "NOT saved" in str(exc)
            assert rows(check_db, "SELECT age FROM hero WHERE id = 3") == [(current,)]
        else:
            assert rows(check_db, "SELECT age FROM hero WHERE id = 3") == [(age,)]
        assert fired
        assert len(connections.opened) > connections_before
    assert rows(check_db, "SELECT age FROM hero WHERE id = 3") == [(61,)]


# -- a link edit (one transaction of several statements) --------------------------------------

LINK_DIFF = LinkDiff(
    add=[LinkChange((1,), {"role": "member"})],
    remove=[(4,)],
    change=[LinkChange((2,), {"role": "member"}, {"role": "lead"})],
)
HERO_1_LINKS = "SELECT team_id, role FROM heroteamlink WHERE hero_id = 1 ORDER BY team_id"
LINKS_BEFORE = [(2, "lead"), (4, "reserve")]
LINKS_AFTER = [(1, "member"), (2, "member")]


async def test_link_edit_cut_off_during_a_statement_applies_nothing_and_says_so(
    faulty: tuple[Store, Connections], check_db: sa.Engine
) -> None:
    store, connections = faulty
    fired = cut_during_statement(store, connections, "UPDATE")  # the second of its three statements
    with pytest.raises(WriteError, match="NOT saved"):
        await store.apply_links("Hero", (1,), "teams", LINK_DIFF)
    assert fired
    assert rows(check_db, HERO_1_LINKS) == LINKS_BEFORE  # the DELETE before it was rolled back too


async def test_link_edit_commit_cut_off_before_it_reached_the_server_says_not_saved(
    faulty: tuple[Store, Connections], check_db: sa.Engine
) -> None:
    store, connections = faulty
    fired = cut_at_commit(store, connections, committed=False)
    with pytest.raises(WriteError) as caught:
        await store.apply_links("Hero", (1,), "teams", LINK_DIFF)
    assert fired
    assert rows(check_db, HERO_1_LINKS) == LINKS_BEFORE
    assert "NOT saved" in str(caught.value), str(caught.value)


async def test_link_edit_commit_that_landed_is_reported_saved(
    faulty: tuple[Store, Connections], check_db: sa.Engine
) -> None:
    store, connections = faulty
    fired = cut_at_commit(store, connections, committed=True)
    try:
        await store.apply_links("Hero", (1,), "teams", LINK_DIFF)
    finally:
        assert fired
        assert rows(check_db, HERO_1_LINKS) == LINKS_AFTER
