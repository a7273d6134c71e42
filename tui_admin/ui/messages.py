"""What a screen asks of the App, which owns navigation (see `ui/navigation.py`).

A screen says what it wants shown (`OpenList`, `OpenDetail`, `EditRecord`, `EditLinks`) or done
(`DeleteRecord`), and what it changed (`RecordsChanged`); the App loads the data, shows the screen
(built once per model and reused) and tells the screens that show a changed model to reload. So no
screen knows another screen's class, and a screen reloads only when something it shows changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.message import Message

from tui_admin.core.query import ListQuery


class OpenList(Message):
    """Show the list `query` describes (a model's list, or a relation's: `query.via`)."""

    def __init__(self, query: ListQuery) -> None:
        super().__init__()
        self.query = query


class OpenDetail(Message):
    """Show one record with its relations."""

    def __init__(self, model: str, pk: tuple[Any, ...]) -> None:
        super().__init__()
        self.model, self.pk = model, pk


class EditRecord(Message):
    """Show the edit form of record `pk`, or the create form of `model` when `pk` is None. Once
    saved, the record's detail is shown."""

    def __init__(self, model: str, pk: tuple[Any, ...] | None) -> None:
        super().__init__()
        self.model, self.pk = model, pk


class EditLinks(Message):
    """Show the links editor of one many-to-many relation of record `pk`."""

    def __init__(self, model: str, pk: tuple[Any, ...], relation: str, label: str | None = None) -> None:
        """`label`: the record's name, for the editor's title (the detail has it at hand)."""
        super().__init__()
        self.model, self.pk, self.relation, self.label = model, pk, relation, label


class DeleteRecord(Message):
    """Ask (naming what goes with the record), then delete it; a detail of it then closes."""

    def __init__(self, model: str, pk: tuple[Any, ...]) -> None:
        super().__init__()
        self.model, self.pk = model, pk


class DeleteRecords(Message):
    """Ask (the plan aggregated over them), then delete the marked rows, or all that `chosen` (a
    query) matches, in one transaction; `done` runs once they are gone (the marks are cleared)."""

    def __init__(self, model: str, chosen: list[tuple[Any, ...]] | ListQuery, done: Callable[[], None]) -> None:
        super().__init__()
        self.model, self.chosen, self.done = model, chosen, done


class RecordsChanged(Message):
    """Rows of these models were written: the screens showing any of them read them again (now if
    on top, else when they come back)."""

    def __init__(self, models: Iterable[str]) -> None:
        super().__init__()
        self.models = frozenset(models)
