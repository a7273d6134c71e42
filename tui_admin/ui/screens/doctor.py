"""The Doctor (command palette → "Doctor"): what `sqladmin-tui doctor` finds, in a screen.

The findings come from the Store (`Store.diagnose`, read-only, one session), grouped by severity
as the CLI prints them: a heading row per severity, then one row per finding (id, where,
message). `enter` shows a finding's fix below the table; `c` copies it to the clipboard, since a
fix is meant to be run by a person, elsewhere (the doctor never runs one). Everything shown is
plain `Text`: messages and fixes name the user's tables and columns, which may hold `[`.
"""

from __future__ import annotations

from types import ModuleType

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_admin.core.doctor import Finding
from tui_admin.core.doctor.findings import SEVERITY_ORDER
from tui_admin.core.format import plural
from tui_admin.ui.screens.base import AdminScreen, describe
from tui_admin.ui.text import plain, plain_lines
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.record_table import PlainTable
from tui_admin.ui.widgets.title_bar import TitleBar

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold"}


class FindingsTable(PlainTable):
    """The findings; `enter` is listed in the key bar as what it does here."""

    BINDINGS = [Binding("enter", "select_cursor", "Show fix", id="doctor.show_fix")]


class DoctorScreen(AdminScreen):
    BINDINGS = [
        Binding("escape", "close", "Back", id="doctor.close"),
        Binding("c", "copy_fix", "Copy fix", id="doctor.copy_fix"),
        Binding("r", "refresh", "Check again", id="doctor.refresh"),
    ]

    def __init__(self, *, models: bool, module: ModuleType | None) -> None:
        """`models`: the registry holds the user's own models (their conventions and drift are
        checked); `module`: where they were written (its engine and schemas are checked)."""
        super().__init__()
        self.models = models
        self.module = module
        #: The findings by row key (`f0`, `f1`, …); heading rows have keys of their own.
        self.findings: dict[str, Finding] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Doctor · checking the models and the database…", id="doctor-title", classes="screen-title")
        table = FindingsTable(id="doctor-findings", cursor_type="row")
        table.add_column("severity", key="severity")
        table.add_column("id", key="id")
        table.add_column("where", key="where")
        table.add_column("why", key="message")
        yield table
        yield Static(plain("enter on a finding shows its fix", style="dim"), id="doctor-fix")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#doctor-findings", DataTable).focus()
        self.check()

    @work(exclusive=True, group="doctor", exit_on_error=False)
    async def check(self) -> None:
        try:
            findings = await self.store.diagnose(models=self.models, module=self.module)
        except Exception as exc:  # the database cannot be read: say so where the findings would be
            self.query_one("#doctor-title", Static).update(plain(f"Doctor · could not check: {describe(exc)}",
                                                                 style="bold red"))
            return
        self.show(findings)

    def show(self, findings: list[Finding]) -> None:
        table = self.query_one("#doctor-findings", DataTable)
        table.clear()
        self.findings = {}
        counts: list[str] = []
        for severity in SEVERITY_ORDER:
            group = [f for f in findings if f.severity == severity]
            if not group:
                continue
            counts.append(plural(len(group), str(severity)))
            style = SEVERITY_STYLE.get(str(severity), "")
            table.add_row(plain(f"{severity} ({len(group)})", style=style), "", "", "", key=f"h:{severity}")
            for finding in group:
                key = f"f{len(self.findings)}"
                self.findings[key] = finding
                table.add_row(plain(f"  {severity}", style="dim"), plain(finding.id), plain(finding.where),
                              plain(finding.message), key=key)
        summary = ", ".join(counts) if counts else "no findings: every rule checked holds"
        self.query_one("#doctor-title", Static).update(plain(f"Doctor · {summary}"))
        self.query_one("#doctor-fix", Static).update(plain("enter on a finding shows its fix", style="dim"))
        if self.findings:
            table.move_cursor(row=1)  # the first finding, under its heading
        self.admin_app.rendered("doctor")

    def highlighted(self) -> Finding | None:
        """The finding under the cursor (None on a heading, or when there is none)."""
        table = self.query_one("#doctor-findings", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.findings.get(str(key))

    _last_row = 0

    @on(DataTable.RowHighlighted, "#doctor-findings")
    def _skip_headings(self, event: DataTable.RowHighlighted) -> None:
        """The cursor passes over a severity's heading, on to the next finding the way it was
        moving (or back, from the last heading there is nothing under)."""
        table = event.data_table
        row = event.cursor_row
        if str(event.row_key.value) in self.findings:
            self._last_row = row
            return
        step = 1 if row >= self._last_row else -1
        target = row + step
        if not 0 <= target < table.row_count:
            target = row - step
        if 0 <= target < table.row_count and target != row:
            self._last_row = row
            table.move_cursor(row=target)

    @on(DataTable.RowSelected, "#doctor-findings")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_fix()

    def action_show_fix(self) -> None:
        finding = self.highlighted()
        if finding is None:
            return
        shown = Text()
        shown.append_text(plain(f"{finding.id} {finding.where}: ", style="bold"))
        shown.append_text(plain(finding.message))
        shown.append("\nfix (c copies it):\n", style="dim")
        shown.append_text(plain_lines(finding.fix))
        self.query_one("#doctor-fix", Static).update(shown)

    def action_copy_fix(self) -> None:
        finding = self.highlighted()
        if finding is None:
            self.notify("No finding under the cursor: nothing copied", severity="warning")
            return
        self.app.copy_to_clipboard(finding.fix)
        self.notify(f"Copied the fix of {finding.id} ({finding.where}) to the clipboard")

    def action_refresh(self) -> None:
        self.check()

    def action_close(self) -> None:
        self.app.pop_screen()
