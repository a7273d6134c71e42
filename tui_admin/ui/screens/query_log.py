"""The query log (`f12`): the statements each recent action sent, with timings, and a flag on
actions that sent one statement shape over and over (an N+1)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_admin.core.format import visible
from tui_admin.core.querylog import QueryLog
from tui_admin.ui.widgets.record_table import PlainTable

SHOWN = 50
SQL_WIDTH = 400


class QueryLogScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f12", "close", "Close", id="query_log.close")]

    def __init__(self, log: QueryLog) -> None:
        super().__init__()
        self.querylog = log
        self.actions = list(reversed(log.actions))[:SHOWN]

    def compose(self) -> ComposeResult:
        with Vertical(id="query-log"):
            yield Static("Query log · the last actions, newest first (escape to close)", classes="screen-title")
            actions = PlainTable(id="query-actions", cursor_type="row")
            actions.add_columns("action", "statements", "ms", "note")
            for action in self.actions:
                repeated = action.repeated_shapes
                note = Text(f"N+1? {max(n for _, n in repeated)}× one shape", style="bold red") if repeated else ""
                actions.add_row(action.name, str(len(action.statements)), f"{action.ms:.1f}", note,
                                key=str(action.id))
            yield actions
            yield Static("", id="query-statements")

    def on_mount(self) -> None:
        self.query_one("#query-actions", DataTable).focus()
        if self.actions:
            self._show(self.actions[0].id)

    @on(DataTable.RowHighlighted, "#query-actions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(int(event.row_key.value))

    def _show(self, action_id: int) -> None:
        action = self.querylog.get(action_id)
        if action is None:
            return
        lines = Text()
        for i, st in enumerate(action.statements, 1):
            sql = visible(" ".join(st.sql.split()))
            sql = sql if len(sql) <= SQL_WIDTH else sql[: SQL_WIDTH - 1] + "…"
            lines.append(f"{i:>2}. {st.ms:7.2f} ms  ", style="dim")
            lines.append(sql + "\n")
        self.query_one("#query-statements", Static).update(lines or Text("no statements", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
