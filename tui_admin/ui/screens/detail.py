"""One record: every field, labelled; a foreign key shows the record it names (`enter` opens it)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from tui_admin.core.format import display
from tui_admin.core.introspect import format_pk
from tui_admin.core.store import Record
from tui_admin.ui.screens.base import AdminScreen
from tui_admin.ui.widgets.record_table import OpenTable

NULL = Text("∅ NULL", style="dim")


class DetailScreen(AdminScreen):
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, model: str, pk: tuple[Any, ...]) -> None:
        super().__init__()
        self.model = model
        self.pk = pk
        self.admin = self.store.admin(model)
        self.record: Record | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.model} #{format_pk(self.pk)}", id="detail-title", classes="screen-title")
        table = OpenTable(id="fields", cursor_type="row", zebra_stripes=True)
        table.add_column("Field", key="field")
        table.add_column("Value", key="value")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fields", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.record is not None:
            self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writable = not self.store.read_only
        return {
            "edit": writable and self.admin.can_edit,
            "delete": writable and self.admin.can_delete,
        }.get(action, True)

    @work(exclusive=True, group="record", exit_on_error=False)
    async def load(self) -> None:
        self.record = record = await self.store.get(self.model, self.pk)
        info = self.admin.info
        table = self.query_one("#fields", DataTable)
        row = table.cursor_row
        table.clear()
        for col in info.columns.values():
            value = getattr(record.obj, col.name)
            text = display(col, value, None)
            label = record.labels.get(col.name, {}).get(value)
            if label is not None:
                text = f"{label}  → {col.foreign_key.table} #{value}"  # type: ignore[union-attr]
            name = Text(col.name + (" (key)" if col.primary_key else ""), style="bold")
            table.add_row(name, NULL if text is None else text, key=col.name)
        table.move_cursor(row=row, animate=False)
        self.query_one("#detail-title", Static).update(f"{self.model} · {info.label(record.obj)}")

    @on(DataTable.RowSelected, "#fields")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_follow()

    def action_follow(self) -> None:
        """On a foreign key, open the record it names."""
        table = self.query_one("#fields", DataTable)
        if self.record is None or table.row_count == 0:
            return
        name = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        col = self.admin.info.columns.get(name)
        value = getattr(self.record.obj, name, None)
        if col is None or col.foreign_key is None or value is None:
            return
        target = self.store.registry.for_table(col.foreign_key.table)
        if target is None:
            self.notify(f"{col.foreign_key.table} is not registered", severity="warning")
            return
        tinfo = target.info
        key = tuple(c.name for c in tinfo.columns.values() if c.column.name == col.foreign_key.column)
        if tinfo.primary_key != key:
            self.notify(f"{name} refers to a non-key column of {tinfo.name}", severity="warning")
            return
        self.app.push_screen(DetailScreen(tinfo.name, (value,)))

    def action_edit(self) -> None:
        from tui_admin.ui.screens.form import FormScreen

        self.app.push_screen(FormScreen(self.model, self.pk))

    def action_delete(self) -> None:
        from tui_admin.ui.screens.confirm import confirm_delete

        confirm_delete(self, self.model, self.pk, on_done=self.app.pop_screen)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
