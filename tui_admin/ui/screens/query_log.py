"""The query log (`f12`): the statements each recent action sent, with timings; an N+1 (one
statement shape sent over and over) named by the relationship it lazy-loads and the eager load
that fixes it; `x` on a statement shows its plan, full scans marked; and the connections checked
out of the pool, read again every second, so that one never given back (a leak) shows.

The plan comes from the Store (`Store.explain`): this screen never builds SQL. Statements, plans
and names are data, shown as plain `Text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_admin.core.format import visible
from tui_admin.core.plans import Plan
from tui_admin.core.querylog import Action, Statement
from tui_admin.ui.screens.base import describe
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.record_table import PlainTable

if TYPE_CHECKING:
    from tui_admin.core.store import Store

SHOWN = 50
SQL_WIDTH = 400
#: Seconds between two readings of the pool's checked-out connections.
POOL_EVERY = 1.0


def one_line(sql: str) -> str:
    """A statement on one line, control characters visible, cut at `SQL_WIDTH`."""
    text = visible(" ".join(sql.split()))
    return text if len(text) <= SQL_WIDTH else text[: SQL_WIDTH - 1] + "…"


def plan_text(plan: Plan) -> Text:
    """The plan, one step a line, indented by depth; a full scan in red and said in words."""
    shown = Text()
    scans = len(plan.full_scans)
    shown.append(f"plan · {scans} full scan{'s' if scans != 1 else ''}\n" if scans else "plan · no full scan\n",
                 style="bold red" if scans else "bold")
    for line in plan.lines:
        shown.append("  " * line.depth)
        shown.append_text(plain(line.text, style="bold red" if line.full_scan else ""))
        if line.full_scan:
            shown.append("  ← full scan: every row of the table is read", style="red")
        shown.append("\n")
    shown.rstrip()
    return shown


class QueryLogScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f12", "close", "Close", id="query_log.close"),
        Binding("x", "explain", "Plan", id="query_log.explain"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.querylog = store.log
        self.actions = list(reversed(store.log.actions))[:SHOWN]
        #: The action whose statements are shown.
        self.shown: Action | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="query-log"):
            yield Static("Query log · the last actions, newest first · tab: statements · x: plan · escape closes",
                         classes="screen-title")
            yield Static("", id="query-pool")
            actions = PlainTable(id="query-actions", cursor_type="row")
            actions.add_columns("action", "statements", "ms", "note")
            for action in self.actions:
                repeats = action.n_plus_one
                note: str | Text = ""
                if repeats:
                    named = next((r for r in repeats if r.relation is not None), None)
                    worst = max(r.count for r in repeats)
                    note = plain(f"N+1: {named.relation} ×{named.count}" if named else f"N+1? {worst}× one shape",
                                 style="bold red")
                actions.add_row(plain(action.name), str(len(action.statements)), f"{action.ms:.1f}", note,
                                key=str(action.id))
            yield actions
            yield Static("", id="query-n-plus-one")
            statements = PlainTable(id="query-statements", cursor_type="row")
            statements.add_column("#", key="n")
            statements.add_column("ms", key="ms")
            statements.add_column("statement", key="sql")
            yield statements
            yield Static(plain("x on a statement shows its plan", style="dim"), id="query-plan")

    def on_mount(self) -> None:
        self.query_one("#query-actions", DataTable).focus()
        if self.actions:
            self._show(self.actions[0].id)
        self.show_pool()
        self.set_interval(POOL_EVERY, self.show_pool)

    def show_pool(self) -> None:
        """The pool's checked-out connections: none between operations (a read in progress holds
        one); more that stay is a leak."""
        in_use = self.store.connections_in_use
        pool = self.query_one("#query-pool", Static)
        if in_use is None:
            pool.update(plain("pool: this engine's pool does not count its connections", style="dim"))
            return
        text = f"pool: {in_use} connection{'s' if in_use != 1 else ''} checked out"
        pool.update(plain(text + (" (a leak if it stays)" if in_use else ""), style="bold red" if in_use > 1 else ""))

    @on(DataTable.RowHighlighted, "#query-actions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(int(event.row_key.value))

    def _show(self, action_id: int) -> None:
        action = self.querylog.get(action_id)
        if action is None:
            return
        self.shown = action
        flags = self.query_one("#query-n-plus-one", Static)
        repeats = action.n_plus_one
        flags.update(Text("\n").join(plain(r.text, style="bold red") for r in repeats) if repeats else "")
        flags.display = bool(repeats)
        table = self.query_one("#query-statements", DataTable)
        table.clear()
        for i, st in enumerate(action.statements):
            table.add_row(str(i + 1), f"{st.ms:.2f}", plain(one_line(st.sql)), key=str(i))
        if not action.statements:
            table.add_row("", "", plain("no statements", style="dim"), key="none")
        self.query_one("#query-plan", Static).update(plain("x on a statement shows its plan", style="dim"))

    def highlighted_statement(self) -> Statement | None:
        table = self.query_one("#query-statements", DataTable)
        if self.shown is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None or not key.isdigit() or int(key) >= len(self.shown.statements):
            return None
        return self.shown.statements[int(key)]

    def action_explain(self) -> None:
        statement = self.highlighted_statement()
        if statement is not None:
            self.explain(statement)

    @work(exclusive=True, group="explain", exit_on_error=False)
    async def explain(self, statement: Statement) -> None:
        pane = self.query_one("#query-plan", Static)
        pane.update(plain("asking the database for the plan…", style="dim"))
        try:
            plan = await self.store.explain(statement)
        except Exception as exc:  # no plan (BEGIN, PRAGMA), or the database refused: say so here
            pane.update(plain(describe(exc), style="bold red"))
            return
        pane.update(plan_text(plan))
        self.app.rendered("plan")  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss(None)
