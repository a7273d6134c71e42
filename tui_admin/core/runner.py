"""`Runner`: one unit of work in a session of its own, the same way for sync and async engines.

The work is written once, as a function of a sync `Session`, and run in a thread (sync engine,
`asyncio.to_thread`) or inside the async session's greenlet (`AsyncSession.run_sync`). Around it,
the Runner owns what makes a unit of work safe to start from a UI:

- it is tagged in the query log (the action's statements, its own time, its wall time);
- cancelled (a search replaced by the next keystroke), its statement is stopped in the database;
- if the server drops the connection, a read is run again once on a fresh connection (reads are
  idempotent); a write that failed before COMMIT was rolled back by the server and says so; a
  write whose COMMIT was cut off is checked on a fresh connection, so the user is told whether
  it was saved;
- a cancelled write never reaches COMMIT; one cancelled while its COMMIT is under way is waited
  for and returns, since it was saved;
- waiting on another transaction's lock ends after the lock timeout with a `LockTimeoutError`
  (nothing written). SQLite waits in slices (see `sqlite_files.SQLITE_BUSY_SLICE`): its busy
  handler cannot be interrupted, so the unit of work, rolled back, is started again until the
  timeout;
- an error caused by a value rather than by the database (an integer beyond 64 bits, a lone
  surrogate, JSON nested too deep, the driver's DataError) becomes a `BadValueError`: the Store's
  API raises only its own errors for anything the data or the user's input causes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.dialects import Backend, backend_for
from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT
from tui_admin.core.errors import BadValueError, LockTimeoutError, ReadOnlyError, WriteError, first_line
from tui_admin.core.querylog import ACTION_KEY, QueryLog
from tui_admin.core.refusals import is_lock_timeout

T = TypeVar("T")


class _CommitCutOff(Exception):
    """The connection died during COMMIT: whether the write landed must be checked."""

    def __init__(self, result: Any) -> None:
        super().__init__("connection lost during commit")
        self.result = result


class _Stopped(Exception):
    """The operation was cancelled before its COMMIT: it is rolled back instead."""


#: Pause between two attempts of a SQLite unit of work that found the database locked.
_LOCKED_RETRY_PAUSE = 0.02

#: Errors a value causes in the driver or in SQLAlchemy's processing of it.
_VALUE_ERRORS = (OverflowError, UnicodeError, RecursionError)


def _value_cause(exc: BaseException) -> BaseException | None:
    """The value error behind `exc`: itself, or what SQLAlchemy or the driver wrapped (asyncpg
    raises its own error from the UnicodeEncodeError or OverflowError of a parameter)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        if isinstance(current, _VALUE_ERRORS):
            return current
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__
    return None


def _bad_value(exc: BaseException, write: bool) -> BadValueError | None:
    """The error as a `BadValueError` if a value caused it (raised as is, or wrapped by SQLAlchemy
    or the driver), else None."""
    done = "nothing was written" if write else "nothing was read"
    cause = _value_cause(exc)
    if cause is None and isinstance(exc, sa.exc.DataError):
        return BadValueError(f"The database refused a value: {first_line(exc)}: {done}")
    if isinstance(cause, OverflowError):
        return BadValueError(f"A number too large for the database ({first_line(cause)}): {done}")
    if isinstance(cause, UnicodeEncodeError):
        return BadValueError(
            f"Text the database cannot store: {cause.object[cause.start:cause.end]!r} is not a valid character "
            f"({cause.reason}): {done}"
        )
    if isinstance(cause, UnicodeDecodeError):
        return BadValueError(f"Text in the database that is not valid in its encoding ({cause.reason}): {done}")
    if isinstance(cause, RecursionError):
        return BadValueError(f"A value nested too deeply to be sent to the database: {done}")
    return None


class Runner:
    def __init__(
        self, engine: Any, log: QueryLog, *, read_only: bool, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        rules: Backend | None = None,
    ) -> None:
        """`rules`: the database's backend (by default those registered for the engine's dialect)."""
        self.engine = engine  # a sync Engine or an AsyncEngine
        self.log = log
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.is_async = not isinstance(engine, sa.Engine)
        self.sync_engine: sa.Engine = engine.sync_engine if self.is_async else engine
        self.dialect = self.sync_engine.dialect
        self.rules = rules if rules is not None else backend_for(self.dialect)
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
        give_up = time.monotonic() + self.lock_timeout
        reconnected = False
        while True:
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
            except LockTimeoutError as exc:
                if self.rules.waits_in_slices and time.monotonic() < give_up:
                    await asyncio.sleep(_LOCKED_RETRY_PAUSE)  # rolled back: start again
                    continue
                raise self._lock_timeout(exc.table, write) from None
            except sa.exc.DBAPIError as exc:
                if write or reconnected or not exc.connection_invalidated:
                    raise
                reconnected = True

    def _lock_timeout(self, table: str | None, write: bool) -> LockTimeoutError:
        where = self.rules.lock_holder(table)
        done = "nothing was written" if write else "nothing was read"
        return LockTimeoutError(
            f"Another transaction holds a lock on {where}: {done} (waited {self.lock_timeout:g} s)", table
        )

    async def _landed(self, action: str, landed: Callable[[Session, T], bool], result: T) -> bool:
        return await self.run(f"{action}: did it land?", lambda s: landed(s, result))

    async def _run_once(self, action: str, fn: Callable[[Session], T], write: bool) -> T:
        action_id = self.log.begin(action)
        in_use: list[Any] = []  # the DBAPI connection, so that a cancelled operation can be stopped
        # Whether the caller gave up, and whether the COMMIT had started: decided under a lock, as
        # the work may run in another thread.
        decided = threading.Lock()
        state = {"stopped": False, "committing": False}

        def commit(session: Session, result: T) -> None:
            with decided:
                if state["stopped"]:
                    raise _Stopped
                state["committing"] = True
            try:
                session.commit()
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise _CommitCutOff(result) from exc
                if is_lock_timeout(exc, self.rules):
                    raise LockTimeoutError(first_line(exc)) from None
                raise WriteError(f"The database refused the change: {first_line(exc)}", {}) from None

        def call(session: Session) -> T:
            started = time.perf_counter()
            connection = session.connection()
            in_use.append(connection.connection.dbapi_connection)
            info = connection.info
            info[ACTION_KEY] = action_id
            try:
                result = fn(session)
                if write:
                    commit(session, result)
                return result
            except sa.exc.DBAPIError as exc:
                if not exc.connection_invalidated and is_lock_timeout(exc, self.rules):
                    raise LockTimeoutError(first_line(exc)) from None
                bad = _bad_value(exc, write)
                if bad is None:
                    raise
                raise bad from None
            except (*_VALUE_ERRORS, sa.exc.StatementError) as exc:
                bad = _bad_value(exc, write)
                if bad is None:
                    raise
                raise bad from None
            finally:
                info.pop(ACTION_KEY, None)
                self.log.worked(action_id, (time.perf_counter() - started) * 1000)

        async def stoppable(operation: Awaitable[T]) -> T:
            """Await the operation; if cancelled, first stop its statement through the driver, then
            let it unwind (rolled back). Cancelling it directly would reach SQLAlchemy's greenlet,
            whose rollback queues behind the still-running query (aiosqlite) and never returns. A
            write already committing is not stopped: its outcome is waited for, and returned."""
            inner = asyncio.ensure_future(operation)
            try:
                return await asyncio.shield(inner)
            except asyncio.CancelledError:
                with decided:
                    state["stopped"] = True
                    too_late = state["committing"]
                if too_late:
                    result = await inner
                    task = asyncio.current_task()
                    if task is not None:
                        task.uncancel()
                    return result
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
        (asyncpg, which then cancels its query on the server)."""
        try:
            return await self.rules.interrupt(dbapi_connection, self.engine)
        except Exception:  # the statement may have ended meanwhile: nothing to stop
            return True
