"""The home screen: every registered model with its row count."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_admin.core.query import ListQuery
from tui_admin.ui.messages import OpenList
from tui_admin.ui.screens.base import AdminScreen
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.record_table import OpenTable
from tui_admin.ui.widgets.title_bar import TitleBar


class ModelsScreen(AdminScreen):
    BINDINGS = [Binding("r", "refresh", "Refresh", id="models.refresh")]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Connecting…", id="models-title", classes="screen-title")
        table = OpenTable(id="models", cursor_type="row", zebra_stripes=True)
        table.add_column("Model", key="model")
        table.add_column("Table", key="table")
        table.add_column("Rows", key="rows")
        yield table
        yield KeyBar()

    def show_models(self) -> None:
        """Called once the Store is open: list the models at once, counts follow."""
        table = self.query_one("#models", DataTable)
        table.clear()
        registry = self.store.registry
        for admin in registry:
            info = admin.info
            kind = " (link)" if info.is_link else f" (read-only: {info.read_only})" if info.read_only else ""
            table.add_row(Text(info.name), Text(info.table_key + kind), "…", key=info.name)
        skipped = getattr(self.store, "skipped_tables", [])
        note = f" · not shown: {'; '.join(skipped)}" if skipped else ""
        self.query_one("#models-title", Static).update(plain(f"{len(registry)} models{note}"))
        table.focus()
        self.load_counts()

    def shows(self) -> set[str]:
        """The count of every model."""
        store = self.admin_app.store
        return {a.info.name for a in store.registry} if store is not None else set()

    def reload(self) -> None:
        self.load_counts()

    #: Models whose table the database lacks (see `Store.missing_tables`).
    missing: frozenset[str] = frozenset()

    @staticmethod
    def missing_text(table: str) -> str:
        return f"{table}: no such table — run sqladmin-tui init"

    @work(exclusive=True, group="counts", exit_on_error=False)
    async def load_counts(self) -> None:
        names = [a.info.name for a in self.store.registry]
        self.missing = frozenset(await self.store.missing_tables(names))
        table = self.query_one("#models", DataTable)
        for name in self.missing:
            info = self.store.admin(name).info
            table.update_cell(name, "rows", Text(self.missing_text(info.table_key), style="yellow"),
                              update_width=True)
        counts = await self.store.counts([n for n in names if n not in self.missing])
        for name, n in counts.items():
            table.update_cell(name, "rows", f"{n:,}", update_width=True)
        self.admin_app.rendered("models")

    def _selected(self) -> str | None:
        table = self.query_one("#models", DataTable)
        if self.admin_app.store is None or table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        name = self._selected()
        if name is None:
            return
        if name in self.missing:  # its list could only fail, query after query
            self.tell_once(self.missing_text(self.store.admin(name).info.table_key))
            return
        self.post_message(OpenList(ListQuery(name)))

    def action_refresh(self) -> None:
        if self.admin_app.store is not None:
            self.load_counts()
