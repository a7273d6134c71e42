"""User bulk actions (`ModelAdmin.actions`): a function of the write's session and the rows it
acts on, sync or async, run by `Store.run_action` in one transaction.

    @action("retire", label="Retire", confirm="Retire the selected heroes?")
    def retire(session: Session, rows: Selection) -> str:
        n = session.execute(sa.update(Hero).where(rows.where).values(age=None)).rowcount
        return f"{n} retired"

    class HeroAdmin(ModelAdmin, model=Hero):
        actions = [retire]

The rows are the marked ones (`Selection.keys`) or every row a list view matches
(`Selection.query`): `Selection.where` is the SQL condition for either, so an action can be one
set-based statement whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class Selection:
    """The rows an action acts on: `keys` (the marked rows' primary keys) or `query` (every row
    of a list view: its search, filters and `list_query` scope). `where` selects exactly those
    rows of the model's table; `select()` reads their keys."""

    model: str
    where: sa.ColumnElement[bool]
    keys: tuple[tuple[Any, ...], ...] | None = None
    query: Any = None  # a ListQuery


@dataclass(frozen=True)
class Action:
    """`fn(session, selection)`, sync or async; what it returns is handed back by
    `Store.run_action` (a message to show, say). `confirm`: the question to ask before running it
    (None: it runs at once)."""

    name: str
    fn: Callable[..., Any]
    label: str | None = None
    confirm: str | None = None

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def action(
    name: str | None = None, *, label: str | None = None, confirm: str | bool | None = None
) -> Callable[[Callable[..., Any]], Action]:
    """Make a function an `Action` (named after the function by default). `confirm=True` asks
    "<label> the N selected rows?"."""

    def wrap(fn: Callable[..., Any]) -> Action:
        act = Action(name or fn.__name__, fn, label)
        question = confirm if isinstance(confirm, str) else f"{act.title}?" if confirm else None
        return Action(act.name, fn, label, question)

    return wrap


def keys_condition(columns: Sequence[sa.ColumnElement[Any]], keys: Sequence[Sequence[Any]]) -> sa.ColumnElement[bool]:
    """Rows whose key is one of `keys` (an IN on one column, OR of ANDs on a composite key)."""
    if not keys:
        return sa.false()
    if len(columns) == 1:
        return columns[0].in_([k[0] for k in keys])
    return sa.or_(*(sa.and_(*(c == v for c, v in zip(columns, k, strict=True))) for k in keys))
