"""Every statement the Store sends, grouped by the user action that caused it.

A `before/after_cursor_execute` listener on the engine records the SQL, its parameters (so that
its plan can be asked for later: `Store.explain`), its duration and the action; and, when the
ORM sent it to lazy-load a relationship, which one (`Statement.loads`), so that an N+1 is named
by the relationship and the eager load that would fix it (`Action.n_plus_one`).

The action travels on the connection's `info` dict, set by the Store for the length of one
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
from sqlalchemy.orm import RelationshipProperty

ACTION_KEY = "tui_admin.action"
_START_KEY = "tui_admin.started"
#: An IN-list of placeholders in any driver's style: `?`, `%s`, `%(name)s`, `$1`, `:name`, each
#: perhaps cast (`$1::INTEGER`, `%(id_1)s::VARCHAR(50)`).
_PLACEHOLDER = r"(?:\?|%s|%\(\w+\)s|\$\d+|:\w+)(?:::\w+(?:\(\d+\))?)?"
_IN_LIST = re.compile(rf"\(\s*{_PLACEHOLDER}(?:\s*,\s*{_PLACEHOLDER})*\s*\)")
_SPACE = re.compile(r"\s+")
#: A name as SQL writes it: bare, or quoted in any backend's style; a column, perhaps qualified.
_NAME = r'(?:"[^"]+"|`[^`]+`|\w+)'
_COLUMN = rf"{_NAME}(?:\.{_NAME})*"
_FROM = re.compile(rf"\bFROM\s+({_NAME}(?:\.{_NAME})?)", re.I)
#: A column compared with a parameter, either way round, or with a folded IN-list.
_KEYED = re.compile(rf"({_COLUMN})\s*=\s*{_PLACEHOLDER}|{_PLACEHOLDER}\s*=\s*({_COLUMN})|({_COLUMN}) IN \(…\)")


def _unquoted(name: str) -> str:
    return ".".join(part.strip('"`') for part in re.findall(_NAME, name))


def reads(shape: str) -> str:
    """What a statement reads, in words: `team by id`, `hero by team_id`, `team by
    heroteamlink.hero_id` (a column of another table than the one read is named with it)."""
    found = _FROM.search(shape)
    if found is None:
        return "one shape"
    table = _unquoted(found.group(1))
    where = shape[found.end():].partition(" WHERE ")[2]
    keys: list[str] = []
    for match in _KEYED.finditer(where):
        column = _unquoted(next(g for g in match.groups() if g))
        owner, _, name = column.rpartition(".")
        key = name if owner in ("", table, table.rpartition(".")[2]) else column
        if key not in keys:
            keys.append(key)
    return f"{table} by {', '.join(keys)}" if keys else table


def _lazy_loads(context: Any) -> tuple[str, ...]:
    """The relationships (`Hero.team`, from the outermost) that the ORM is lazy-loading with this
    statement, or () when it is not a lazy load. Read from SQLAlchemy's own load options and
    loader path (private, hence the guard: any change there loses the name, not the statement)."""
    try:
        options = context.execution_options.get("_sa_orm_load_options")
        if options is None or getattr(options, "_lazy_loaded_from", None) is None:
            return ()
        path = context.compiled.statement._compile_options._current_path
        props = [p for p in path.path if isinstance(p, RelationshipProperty)]
        return tuple(f"{p.parent.class_.__name__}.{p.key}" for p in props)
    except Exception:
        return ()


@dataclass(frozen=True)
class Repeat:
    """One statement shape sent over and over in one action (an N+1), in words."""

    shape: str
    count: int
    #: What each of them reads (`team by id`).
    reads: str
    #: The relationship lazy-loaded each time (`Hero.team`), when the ORM sent them.
    relation: str | None = None
    #: The eager load that reads them all at once (`selectinload(Hero.team)`).
    fix: str | None = None

    @property
    def text(self) -> str:
        verb = self.shape.split(" ", 1)[0].upper() or "statement"
        what = f"{self.count} {verb}s of {self.reads}"
        if self.relation is not None:
            return f"{self.relation}: {what} — load it with {self.fix}"
        return f"{what} — one statement for all of them (… IN (…)) would do"


@dataclass(frozen=True)
class Statement:
    action: int
    sql: str
    ms: float
    #: The parameters as the driver was given them (the first set of an executemany).
    parameters: Any = field(default=(), repr=False, compare=False)
    #: The relationships the ORM lazy-loaded with it (see `_lazy_loads`), or ().
    loads: tuple[str, ...] = ()

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

    @property
    def n_plus_one(self) -> list[Repeat]:
        """Each repeated shape in words, named by the relationship it lazy-loads where the ORM
        said so, with the eager load that fixes it (`selectinload(A.b).selectinload(B.c)` for a
        relationship loaded through another)."""
        found: list[Repeat] = []
        for shape, n in self.repeated_shapes:
            loads = Counter(s.loads for s in self.statements if s.loads and s.shape == shape).most_common(1)
            if loads:
                path = loads[0][0]
                fix = ".".join(f"selectinload({relation})" for relation in path)
                found.append(Repeat(shape, n, reads(shape), path[-1], fix))
            else:
                found.append(Repeat(shape, n, reads(shape)))
        return found


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

    def _after(self, conn: sa.Connection, cursor: Any, statement: str, parameters: Any = (), context: Any = None,
               executemany: bool = False) -> None:
        started = conn.info.pop(_START_KEY, None)
        action = self._by_id.get(conn.info.get(ACTION_KEY, 0))
        if action is not None and started is not None:
            if executemany and isinstance(parameters, list | tuple):
                parameters = parameters[0] if parameters else ()
            action.statements.append(Statement(action.id, statement, (time.perf_counter() - started) * 1000,
                                               parameters, _lazy_loads(context)))
