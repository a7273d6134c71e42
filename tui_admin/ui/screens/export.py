"""Export a list's rows (its view, or the marked ones) to CSV, JSON or JSON Lines.

The dialog proposes a file name (`export.suggested_name`: the model and the minute), asks before
replacing a file, then streams the rows through `core.export.to_file`, page by page by keyset,
showing rows, rows/s and the time left (from the count, asked alongside: the first page need not
wait for it). `escape` stops it; `to_file` then removes the partial file and leaves an existing
one as it was.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState

from tui_admin.core import export
from tui_admin.core.format import plural
from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store
from tui_admin.ui.screens.base import describe
from tui_admin.ui.text import plain

if TYPE_CHECKING:
    from tui_admin.ui.app import AdminApp

FORMAT_NAMES = {"csv": "CSV (RFC 4180, UTF-8)", "json": "JSON (one array)", "jsonl": "JSON Lines"}


def progress_text(progress: export.Progress) -> str:
    """`1,200 of 5,000 rows · 8,000 rows/s · 0.5 s left` (the total and the time left once counted)."""
    total = f" of {progress.total:,}" if progress.total is not None else ""
    eta = progress.eta
    left = f" · {eta:,.1f} s left" if eta is not None else ""
    return f"{progress.rows:,}{total} rows · {progress.rate:,.0f} rows/s{left}"


class ExportScreen(ModalScreen[Path | None]):
    """Returns the written file, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen #export-dialog { width: 80; height: auto; border: round $primary; background: $surface;
                                  padding: 0 1; }
    ExportScreen #export-format { width: 100%; }
    ExportScreen #export-progress { width: 100%; }
    ExportScreen #export-status { width: 100%; }
    """
    #: Rows read per page (each page a statement of its own, in its own session).
    page_rows = export.PAGE_ROWS

    def __init__(self, store: Store, query: ListQuery, what: str) -> None:
        super().__init__()
        self.store, self.list_query, self.what = store, query, what
        self.admin = store.admin(query.model)
        self.fmt = "csv"
        self.progress = export.Progress()
        self._job: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(plain(f"Export {self.what}"), classes="screen-title")
            yield Select([(plain(name), fmt) for fmt, name in FORMAT_NAMES.items()], value="csv",
                         allow_blank=False, id="export-format")
            yield Input(export.suggested_name(self.list_query.model, "csv"), id="export-path")
            yield ProgressBar(id="export-progress", show_eta=False, classes="hidden")  # shown once it runs
            yield Static(plain("enter: export · escape: cancel"), id="export-status")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """A new format: the proposed name follows it (`.csv` → `.jsonl`), a typed one's stem kept."""
        event.stop()
        new = str(event.value)
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if path.suffix.lstrip(".") == self.fmt:
            box.value = str(path.with_suffix(f".{new}"))
        self.fmt = new

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._job is not None and self._job.is_running:
            return
        text = event.value.strip()
        if not text:
            self._status("Give a file name")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._status(f"{path} is a directory: give a file name")
            return
        if not path.exists():
            self._start(path)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._start(path)
            else:
                self._status("Not replaced: choose another name")

        self.admin_app.ask(f"{path} exists. Replace it?", answer, yes="Replace", no="Keep it")

    @property
    def admin_app(self) -> AdminApp:
        return self.app  # type: ignore[return-value]

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(plain(text))

    def _start(self, path: Path) -> None:
        self._status(f"exporting to {path}…")
        self.query_one("#export-progress", ProgressBar).remove_class("hidden")
        self._job = self.run_export(path, self.fmt)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def run_export(self, path: Path, fmt: str) -> None:
        """Stream the rows to `path`; the count runs beside the first pages, for the bar's total."""
        progress = self.progress = export.Progress()
        bar = self.query_one("#export-progress", ProgressBar)

        def counted(task: asyncio.Future[int]) -> None:
            if not task.cancelled() and task.exception() is None:
                progress.total = task.result()
                bar.update(total=progress.total)

        def on_page(p: export.Progress) -> None:
            bar.update(total=p.total, progress=p.rows)
            self._status(progress_text(p))

        counting = asyncio.ensure_future(self.store.count(self.list_query))
        counting.add_done_callback(counted)
        columns = [self.admin.info.columns[n] for n in self.admin.shown_columns]
        try:
            done = await export.to_file(self.store.values_page, self.list_query, columns, path, fmt,
                                        order=list(self.admin.info.columns), progress=progress,
                                        on_page=on_page, page_rows=self.page_rows)
        finally:
            counting.cancel()
        bar.update(total=done.rows or 1, progress=done.rows or 1)
        self.app.notify(f"Exported {plural(done.rows, f'{self.list_query.model} row')} to {path} {done.took()}")
        self.dismiss(path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._job:
            return
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self._status(f"Export failed (no file written): {describe(event.worker.error)}")
        elif event.state is WorkerState.CANCELLED:
            self._status("Export stopped: no file written")

    def action_cancel(self) -> None:
        """Stop a running export (its partial file is removed); else close the dialog."""
        if self._job is not None and self._job.is_running:
            self._job.cancel()
            self.app.notify("Export stopped: no file written")
            return
        self.dismiss(None)
