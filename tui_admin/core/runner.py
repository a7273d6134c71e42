"""`Runner`: one unit of work in a session of its own, the same way for sync and async engines.

The work is written once, as a function of a sync `Session`, and run in a thread (sync engine,
`asyncio.to_thread`) or inside the async session's greenlet (`AsyncSession.run_sync`). Around it,
the Runner owns what makes a unit of work safe to start from a UI:

- it is tagged in the query log (the action's statements, its own time, its wall time);
- cancelled (a search replaced by the next keystroke), its statement is stopped in the database;
- if the server drops the connection, a read is run again once on a fresh connection (reads are
  idempotent); a write that failed before COMMIT was rolled back by the server and says so; a
  write whose COMMIT was cut off is checked on a fresh connection, so the user is told whether
  it was saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.errors import ReadOnlyError, WriteError
from tui_admin.core.querylog import ACTION_KEY, QueryLog

T = TypeVar("T")


class _CommitCutOff(Exception):
    """The connection died during COMMIT: whether the write landed must be checked."""

    def __init__(self, result: Any) -> None:
        super().__init__("connection lost during commit")
        self.result = result


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Runner:
    def __init__(self, engine: Any, log: QueryLog, *, read_only: bool) -> None:
        self.engine = engine  # a sync Engine or an AsyncEngine
        self.log = log
        self.read_only = read_only
        self.is_async = not isinstance(engine, sa.Engine)
        self.sync_engine: sa.Engine = engine.sync_engine if self.is_async else engine
        self.dialect = self.sync_engine.dialect
        log.attach(self.sync_engine)

    async def dispose(self) -> None:
        if self.is_async:
            await self.engine.dispose()
        else:
            self.engine.dispose()

    async def run(
        self,
        action: str,
        fn: Callable[[Session], T],
        *,
        write: bool = False,
        landed: Callable[[Session, T], bool] | None = None,
    ) -> T:
        """Run `fn` in a session of its own, committing if `write`; `landed` tells, on a fresh
        connection, whether a write whose COMMIT was cut off is in the database."""
        if write and self.read_only:
            raise ReadOnlyError("opened read-only: nothing can be written")
        for attempt in (1, 2):
            try:
                return await self._run_once(action, fn, write)
            except _CommitCutOff as cut:
                if landed is None:
                    raise WriteError(
                        "The connection was lost while saving: it is not known whether the change was saved; "
                        "reload to see", {},
                    ) from None
                if await self._landed(action, landed, cut.result):
                    return cut.result  # type: ignore[no-any-return]
                raise WriteError("The connection was lost while saving: the change was NOT saved", {}) from None
            except sa.exc.DBAPIError as exc:
                if write or attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def _landed(self, action: str, landed: Callable[[Session, T], bool], result: T) -> bool:
        return await self.run(f"{action}: did it land?", lambda s: landed(s, result))

    async def _run_once(self, action: str, fn: Callable[[Session], T], write: bool) -> T:
        action_id = self.log.begin(action)
        in_use: list[Any] = []  # the DBAPI connection, so that a cancelled operation can be stopped

        def call(session: Session) -> T:
            started = time.perf_counter()
            connection = session.connection()
            in_use.append(connection.connection.dbapi_connection)
            info = connection.info
            info[ACTION_KEY] = action_id
            try:
                result = fn(session)
                if write:
                    try:
                        session.commit()
                    except sa.exc.DBAPIError as exc:
                        if exc.connection_invalidated:
                            raise _CommitCutOff(result) from exc
                        raise WriteError(f"The database refused the change: {_first_line(exc)}", {}) from None
                return result
            finally:
                info.pop(ACTION_KEY, None)
                self.log.worked(action_id, (time.perf_counter() - started) * 1000)

        async def stoppable(operation: Awaitable[T]) -> T:
            """Await the operation; if cancelled, first stop its statement through the driver, then
            let it unwind. Cancelling it directly would reach SQLAlchemy's greenlet, whose rollback
            queues behind the still-running query (aiosqlite) and never returns."""
            inner = asyncio.ensure_future(operation)
            try:
                return await asyncio.shield(inner)
            except asyncio.CancelledError:
                if not (in_use and await self._interrupt(in_use[0])):
                    inner.cancel()  # asyncpg, for one, stops its query when its task is cancelled
                with contextlib.suppress(BaseException):
                    await inner
                raise

        try:
            if self.is_async:
                from sqlalchemy.ext.asyncio import AsyncSession

                async with AsyncSession(self.engine, expire_on_commit=False) as session:
                    return await stoppable(session.run_sync(call))

            def in_thread() -> T:
                with Session(self.engine, expire_on_commit=False) as session:
                    return call(session)

            return await stoppable(asyncio.to_thread(in_thread))
        finally:
            self.log.end(action_id)

    async def _interrupt(self, dbapi_connection: Any) -> bool:
        """Stop the statement a cancelled operation is still running, so it holds neither the
        database nor a thread. True if the driver was told; False leaves it to task cancellation
        (asyncpg, aiomysql)."""
        name = self.dialect.name
        try:
            if name == "sqlite":
                # sqlite3's interrupt() may be called from any thread. Under aiosqlite it is reached
                # through the adapter: aiosqlite's own interrupt() would queue behind the query.
                raw = getattr(dbapi_connection, "_connection", dbapi_connection)
                getattr(raw, "_conn", raw).interrupt()
                return True
            if name == "postgresql" and not self.is_async:
                dbapi_connection.cancel()
                return True
            if name in ("mysql", "mariadb") and not self.is_async:
                thread = int(dbapi_connection.thread_id())

                def kill() -> None:
                    with self.sync_engine.connect() as other:
                        other.exec_driver_sql(f"KILL QUERY {thread}")

                await asyncio.to_thread(kill)
                return True
        except Exception:  # the statement may have ended meanwhile: nothing to stop
            return True
        return False
