"""The list's filter bar (`F`): the active filters as chips, and a row to add a typed filter.

A filter is chosen in three steps, each offering only what fits: a field of `ModelAdmin.filters`,
then one of the operators its kind offers (`KindSpec.operators`; for dates and datetimes also
the presets "today", "last 7 days", "this month"), then a value: typed (a range as `from..to`,
either end left out; "one of" as `a, b, c`), or for a foreign key's equality, the record chosen in
the search picker (so the chip names it: `team = Preventers`). The bar only builds `Filter`s; the
list applies them (`ListQuery.adding`/`removing`), and the core turns them into SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Select, Static

from tui_admin.core.introspect import ColumnInfo, ModelInfo
from tui_admin.core.kinds import EMPTY, EQUALS, NOT_EMPTY, ONE_OF, RANGE, Kind
from tui_admin.core.query import PRESETS, Filter, preset_range
from tui_admin.ui.text import plain

#: How each operator is offered (the value's syntax in brackets).
OPERATOR_NAMES = {
    EQUALS: "equals",
    ONE_OF: "one of (a, b, c)",
    RANGE: "from..to",
    EMPTY: "is empty",
    NOT_EMPTY: "is not empty",
    "contains": "contains",
    "starts": "starts with",
}
NO_VALUE = (EMPTY, NOT_EMPTY, *PRESETS)


def field_title(info: ModelInfo, field: str) -> str:
    """How a filter's field is named to a person: a foreign key by its relation (`team`, not
    `team_id`), other fields by their own name."""
    for name, rel in info.relationships.items():
        if not rel.to_many and list(rel.local_columns) == [field]:
            return name
    return field


def operators(col: ColumnInfo) -> list[str]:
    """The operators the bar offers for `col`: its kind's, and the presets for dates and datetimes."""
    ops = list(col.spec.operators)
    if RANGE in ops and col.kind in (Kind.DATE, Kind.DATETIME):
        ops[ops.index(RANGE) + 1:ops.index(RANGE) + 1] = list(PRESETS)
    return ops


def parse(col: ColumnInfo, op: str, text: str, title: str | None = None, now: dt.datetime | None = None) -> Filter:
    """The filter `op` on `col` with `text` as typed (a preset's label names the field as
    `title`); `ValueError` says what is wrong with it."""
    spec = col.spec
    if op in (EMPTY, NOT_EMPTY):
        return Filter(col.name, op)
    if op in PRESETS:
        now = now or (dt.datetime.now(dt.UTC) if col.timezone else dt.datetime.now())
        low, high, excluded = preset_range(op, now, dates=col.kind is Kind.DATE)
        return Filter(col.name, RANGE, (low, high, excluded), label=f"{title or col.name} {op}")
    if op == RANGE:
        low_text, sep, high_text = text.partition("..")
        if not sep:
            raise ValueError("a range is from..to (either end may be left out: 30.. or ..40)")
        low = spec.parse_filter(col, low_text) if low_text.strip() else None
        high = spec.parse_filter(col, high_text) if high_text.strip() else None
        if low is None and high is None:
            raise ValueError("give at least one end of the range")
        return Filter(col.name, RANGE, (low, high))
    if op == ONE_OF:
        parts = [p for p in (t.strip() for t in text.split(",")) if p]
        if not parts:
            raise ValueError("give one or more values, separated by commas")
        return Filter(col.name, ONE_OF, tuple(spec.parse_filter(col, p) for p in parts))
    if not text.strip() and op == EQUALS and col.kind is not Kind.TEXT:
        raise ValueError("give a value (or choose: is empty)")
    return Filter(col.name, op, spec.parse_filter(col, text))


class FilterChip(Static, can_focus=True):
    """One active filter; `delete` (or `x`) removes it."""

    BINDINGS = [Binding("delete,backspace,x", "remove", "Remove filter", id="filter_bar.remove")]

    class Removed(Message):
        def __init__(self, chip: FilterChip) -> None:
            super().__init__()
            self.chip = chip

    def __init__(self, text: str, key: Any) -> None:
        super().__init__(plain(f" {text} ✕ "), classes="filter-chip")
        self.key = key  # what the list removes: a `Filter`, or an `f` filter's (field, value)

    def action_remove(self) -> None:
        self.post_message(self.Removed(self))


class FilterBar(Vertical):
    """Chips of the active filters, and (once opened) the row that adds one."""

    BINDINGS = [Binding("escape", "close", "Close filters", id="filter_bar.close")]
    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar #filter-chips { height: auto; }
    FilterBar .filter-chip { width: auto; background: $primary-muted; margin-right: 1; }
    FilterBar .filter-chip:focus { background: $primary; text-style: bold; }
    FilterBar #filter-editor { height: 1; }
    FilterBar #filter-field { width: 24; }
    FilterBar #filter-op { width: 22; }
    FilterBar #filter-value { width: 30; }
    FilterBar #filter-error { width: 1fr; color: $error; }
    """

    class Added(Message):
        """A filter to add; `pick` asks the list for the search picker first (a foreign key)."""

        def __init__(self, condition: Filter | None, pick: ColumnInfo | None = None) -> None:
            super().__init__()
            self.condition, self.pick = condition, pick

    class Closed(Message):
        pass

    def __init__(
        self, info: ModelInfo, fields: list[str], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.info = info
        self.fields = [f for f in fields if f in info.columns]

    def compose(self) -> ComposeResult:
        yield Horizontal(id="filter-chips")
        with Horizontal(id="filter-editor", classes="hidden"):
            # A model with no field to filter on never opens the row (see `show_editor`).
            options = [(plain(field_title(self.info, f)), f) for f in self.fields] or [(Text("-"), "")]
            yield Select(options, allow_blank=False, id="filter-field", compact=True)
            yield Select([("", "")], allow_blank=False, id="filter-op", compact=True)
            yield Input(placeholder="value", id="filter-value", compact=True)
            yield Static("", id="filter-error")

    def on_mount(self) -> None:
        if self.fields:
            self._offer_operators(self.fields[0])

    @property
    def open(self) -> bool:
        return not self.query_one("#filter-editor").has_class("hidden")

    def show_editor(self, field: str | None = None) -> None:
        """Open the row that adds a filter, on `field` if it is one of the bar's."""
        if not self.fields:
            return
        editor = self.query_one("#filter-editor")
        editor.remove_class("hidden")
        chooser = self.query_one("#filter-field", Select)
        if field in self.fields and chooser.value != field:
            chooser.value = field
            self._offer_operators(field)
        chooser.focus()

    def hide_editor(self) -> None:
        self.query_one("#filter-editor").add_class("hidden")
        self.query_one("#filter-error", Static).update("")

    def set_chips(self, chips: list[tuple[str, Any]]) -> None:
        """Show these (text, key) chips; the bar shows only while it has chips or is open."""
        row = self.query_one("#filter-chips", Horizontal)
        row.remove_children()
        row.mount_all([FilterChip(text, key) for text, key in chips])

    def _offer_operators(self, field: str) -> None:
        col = self.info.columns[field]
        ops = operators(col)
        self.query_one("#filter-op", Select).set_options(
            [(Text(OPERATOR_NAMES.get(op, op)), op) for op in ops])
        self._placeholder()

    def _placeholder(self) -> None:
        field, op = self.query_one("#filter-field", Select).value, self.query_one("#filter-op", Select).value
        box = self.query_one("#filter-value", Input)
        col = self.info.columns.get(str(field))
        box.disabled = op in NO_VALUE
        if col is not None and col.foreign_key is not None and op == EQUALS:
            box.placeholder = "enter: pick the record"
        elif op == RANGE:
            box.placeholder = "from..to"
        elif op == ONE_OF:
            box.placeholder = "a, b, c"
        else:
            box.placeholder = "" if box.disabled else (col.spec.placeholder if col is not None else "") or "value"

    @on(Select.Changed, "#filter-field")
    def _field_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value in self.info.columns:
            self._offer_operators(event.value)

    @on(Select.Changed, "#filter-op")
    def _op_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._placeholder()

    @on(Input.Submitted, "#filter-value")
    def _value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def key_enter(self) -> None:
        """Enter on the operator when it needs no value (is empty, a preset) adds the filter."""
        if self.query_one("#filter-op", Select).has_focus and self.query_one("#filter-value", Input).disabled:
            self.submit()

    def submit(self) -> None:
        """Add the filter the row describes, or say what is wrong with it."""
        field, op = str(self.query_one("#filter-field", Select).value), str(self.query_one("#filter-op", Select).value)
        col = self.info.columns[field]
        box = self.query_one("#filter-value", Input)
        if col.foreign_key is not None and op == EQUALS:
            self.post_message(self.Added(None, pick=col))
            return
        try:
            condition = parse(col, op, box.value, field_title(self.info, field))
        except ValueError as exc:
            self.query_one("#filter-error", Static).update(plain(str(exc)))
            return
        self.query_one("#filter-error", Static).update("")
        box.value = ""
        self.post_message(self.Added(condition))

    def action_close(self) -> None:
        self.hide_editor()
        self.post_message(self.Closed())
