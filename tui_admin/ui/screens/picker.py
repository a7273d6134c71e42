"""Pick the record a foreign key names: type to search (a LIMIT-ed query on the target's
searchable fields), `enter` to choose. A nullable key offers "(none)", which sets NULL."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tui_admin.core.format import visible
from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.store import Store
from tui_admin.ui import tips
from tui_admin.ui.screens.base import describe
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.picker import Picked
from tui_admin.ui.widgets.record_table import OpenTable
from tui_admin.ui.widgets.search_box import SearchBox

LIMIT = 50
NONE_KEY = "∅"

__all__ = ["LIMIT", "NONE_KEY", "Picked", "PickerScreen"]


class PickerScreen(ModalScreen[Picked | None]):
    HELP = tips.PICKER  # the help panel's tips (f1)
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "to_results", show=False, id="picker.to_results"),
    ]

    def __init__(self, store: Store, col: ColumnInfo, current: Any, current_label: str | None) -> None:
        super().__init__()
        assert col.foreign_key is not None
        self.store, self.col = store, col
        self.current, self.current_label = current, current_label
        self.found: list[tuple[Any, str]] = []

    def compose(self) -> ComposeResult:
        target = self.store.registry.for_table(self.col.foreign_key.table)  # type: ignore[union-attr]
        fields = ", ".join(target.searchable) if target else ""
        now = "(none)" if self.current is None else f"{self.current_label or ''} #{self.current}"
        with Vertical(id="picker"):
            yield Static(plain(f"{self.col.name} → {self.col.foreign_key.table}   current: {now}"),  # type: ignore[union-attr]
                         classes="screen-title")
            yield SearchBox(placeholder=visible(f"type to search {fields}"), id="picker-search")
            table = OpenTable(id="picker-results", cursor_type="row")
            table.add_column("record", key="label")
            table.add_column("key", key="key")
            yield table

    def on_mount(self) -> None:
        self.query_one("#picker-search", Input).focus()
        self.search("")

    @work(exclusive=True, group="picker", exit_on_error=False)
    async def search(self, text: str) -> None:
        table = self.query_one("#picker-results", DataTable)
        try:
            self.found = await self.store.choices(self.col.foreign_key, text, limit=LIMIT)  # type: ignore[arg-type]
        except Exception as exc:
            self.notify(describe(exc), severity="error")
            return
        table.clear()
        if self.col.nullable:
            table.add_row(plain("(none)", style="dim"), "NULL", key=NONE_KEY)
        for i, (value, label) in enumerate(self.found):
            style = "bold" if value == self.current else ""
            table.add_row(plain(label, style=style), str(value), key=f"found:{i}")  # str(value) may repeat
        if len(self.found) == LIMIT:
            table.add_row(plain(f"… first {LIMIT} shown: type to narrow", style="dim"), "", key="more")
        if text and self.found and self.col.nullable:
            # What was typed names a record, not NULL: the first match is highlighted, so `enter`
            # (in the box, then on the results) picks it, as the links screen's candidates do.
            table.move_cursor(row=1, animate=False)
        self.app.rendered("picker")  # type: ignore[attr-defined]

    @on(SearchBox.Search, "#picker-search")
    def _search(self, event: SearchBox.Search) -> None:
        self.search(event.text)
        if event.submitted:
            self.action_to_results()

    def action_to_results(self) -> None:
        self.query_one("#picker-results", DataTable).focus()

    @on(DataTable.RowSelected, "#picker-results")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key == NONE_KEY:
            self.dismiss(Picked(None, None))
            return
        if key is not None and key.startswith("found:"):
            value, label = self.found[int(key.removeprefix("found:"))]
            self.dismiss(Picked(value, label))

    def action_cancel(self) -> None:
        self.dismiss(None)
