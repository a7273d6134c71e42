"""Every statement the Store sends, grouped by the user action that caused it.

A `before/after_cursor_execute` listener on the engine records the SQL, its duration and the
action. The action travels on the connection's `info` dict, set by the Store for the length of one
operation, because that is the one object the listener receives and the operation owns (thread
locals would break under async engines, where the statement runs inside a greenlet).
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

ACTION_KEY = "tui_admin.action"
_START_KEY = "tui_admin.started"
#: An IN-list of placeholders in any driver's style: `?`, `%s`, `%(name)s`, `$1`, `:name`, each
#: perhaps cast (`$1::INTEGER`, `%(id_1)s::VARCHAR(50)`).
_PLACEHOLDER = r"(?:\?|%s|%\(\w+\)s|\$\d+|:\w+)(?:::\w+(?:\(\d+\))?)?"
_IN_LIST = re.compile(rf"\(\s*{_PLACEHOLDER}(?:\s*,\s*{_PLACEHOLDER})*\s*\)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Statement:
    action: int
    sql: str
    ms: float

    @property
    def shape(self) -> str:
        """The statement with IN-lists folded, so that `IN (?, ?)` and `IN (?, ?, ?)` compare equal."""
        return _IN_LIST.sub("(…)", _SPACE.sub(" ", self.sql)).strip()


@dataclass
class Action:
    id: int
    name: str
    started: float
    statements: list[Statement] = field(default_factory=list)
    #: The whole operation as the caller waited for it (session, statements, thread or greenlet
    #: hand-off, and any time the event loop was too busy to take the result); None while it runs.
    wall_ms: float | None = None
    #: The Store's own work: from the session's first statement to its result (or commit), in the
    #: thread or greenlet that runs it.
    work_ms: float | None = None

    @property
    def ms(self) -> float:
        return sum(s.ms for s in self.statements)

    @property
    def repeated_shapes(self) -> list[tuple[str, int]]:
        """Statement shapes sent more than twice in one action: the signature of an N+1."""
        counts = Counter(s.shape for s in self.statements)
        return [(shape, n) for shape, n in counts.items() if n > 2]


class QueryLog:
    """A bounded log of the last actions and their statements."""

    def __init__(self, keep: int = 200) -> None:
        self.actions: deque[Action] = deque(maxlen=keep)
        self._by_id: dict[int, Action] = {}
        self._next = 0

    def begin(self, name: str) -> int:
        self._next += 1
        action = Action(self._next, name, time.perf_counter())
        if len(self.actions) == self.actions.maxlen:
            self._by_id.pop(self.actions[0].id, None)
        self.actions.append(action)
        self._by_id[action.id] = action
        return action.id

    def end(self, action_id: int) -> None:
        action = self._by_id.get(action_id)
        if action is not None:
            action.wall_ms = (time.perf_counter() - action.started) * 1000

    def worked(self, action_id: int, ms: float) -> None:
        action = self._by_id.get(action_id)
        if action is not None:
            action.work_ms = ms

    def get(self, action_id: int) -> Action | None:
        return self._by_id.get(action_id)

    def attach(self, engine: sa.Engine) -> None:
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: sa.Connection, cursor: Any, statement: str, *args: Any) -> None:
        conn.info[_START_KEY] = time.perf_counter()

    def _after(self, conn: sa.Connection, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info.pop(_START_KEY, None)
        action = self._by_id.get(conn.info.get(ACTION_KEY, 0))
        if action is not None and started is not None:
            action.statements.append(Statement(action.id, statement, (time.perf_counter() - started) * 1000))
