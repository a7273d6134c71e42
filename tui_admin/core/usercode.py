"""Running the user's code (hooks, actions) inside a unit of work, sync or async.

A write is a function of a sync `Session` (see `runner`): in a worker thread for a sync engine,
inside the async session's greenlet (on the event loop's thread) for an async engine. The user's
function runs right there, so that it is part of the write's transaction. A coroutine function
is awaited where it runs: stepped inside `AsyncSession.run_sync`'s greenlet, its waits handed to
the event loop through SQLAlchemy's bridge (`await_only`); with `asyncio.run` in the worker
thread, which has no loop of its own.
Either way the coroutine sees the same sync `Session` (`session()`), not an `AsyncSession`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from tui_admin.core.errors import AdminError, UserCodeError, first_line

_session: ContextVar[Session | None] = ContextVar("tui_admin_write_session", default=None)


def session() -> Session:
    """The session of the write a hook runs in (to write an audit row in the same transaction)."""
    found = _session.get()
    if found is None:
        raise RuntimeError("tui_admin.core.usercode.session() is only available inside a hook or an action")
    return found


@contextlib.contextmanager
def in_session(current: Session) -> Iterator[None]:
    token = _session.set(current)
    try:
        yield
    finally:
        _session.reset(token)


def _in_greenlet() -> bool:
    """Inside `AsyncSession.run_sync` (the event loop's thread): its greenlet can await."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def call(what: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Call `fn(*args)`; if it returns an awaitable, await it where the write runs. An exception
    becomes a `UserCodeError` naming `what` (the caller rolls back)."""
    try:
        result = fn(*args)
        if inspect.isawaitable(result):
            result = _stepped(result) if _in_greenlet() else asyncio.run(_awaited(result))
        return result
    except AdminError:
        raise
    except Exception as exc:
        if isinstance(exc, ValueError) and exc.args and isinstance(exc.args[0], dict):
            fields = {str(k): str(v) for k, v in exc.args[0].items()}
            raise UserCodeError(f"{what}: " + "; ".join(f"{k}: {v}" for k, v in fields.items()), fields) from exc
        raise UserCodeError(f"{what} failed: {type(exc).__name__}: {first_line(exc)}: nothing was saved") from exc


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _stepped(awaitable: Any) -> Any:
    """Run a coroutine inside `run_sync`'s greenlet, one step at a time: each step runs here, so
    that the sync `Session` it uses can reach the async driver (`await_only` works only inside
    the greenlet), and each future it waits on is awaited by the event loop (`await_only`).
    Awaiting the whole coroutine with `await_only` would run its steps outside the greenlet,
    where any statement fails with `MissingGreenlet`."""
    coro = awaitable.__await__()
    send: Any = None
    error: BaseException | None = None
    while True:
        try:
            waited = coro.throw(error) if error is not None else coro.send(send)
        except StopIteration as done:
            return done.value
        send, error = None, None
        if waited is not None:  # a future (`await asyncio.sleep(0)` yields None: just go on)
            try:
                await_only(_settled(waited))
            except BaseException as exc:  # cancelled: the coroutine is told, as a task would tell it
                error = exc


async def _settled(future: Any) -> None:
    """Wait until `future` is done; its result or error is then taken by the coroutine itself."""
    await asyncio.wait([future])
