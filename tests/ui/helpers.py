"""Shared helpers of the UI tests: wait for the app to settle (workers done, expected state
reached) instead of sleeping, and read what the widgets hold."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static
from textual.worker import WorkerFailed, WorkerState

from tui_admin.ui.widgets.record_table import RecordTable

SIZE = (120, 36)
TITLE = "demo"

#: Worker groups whose worker waits on a modal dialog (`push_screen_wait`): awaiting one of them
#: while its dialog is open would never return, so they are polled rather than awaited.
MODAL_GROUPS = {"delete"}

#: Upper bound on settle rounds: a state that is not reached by then is reported, not waited for.
MAX_ROUNDS = 500


async def settle(pilot: Pilot[Any], until: Callable[[], bool] | None = None, what: str = "the expected state") -> None:
    """Return once no worker is running and `until()` holds.

    Each round lets the message queue drain (`pilot.pause()`) and then awaits every running
    worker: a failed worker, or an error notification on screen, fails the test. A worker that
    waits on a dialog is not awaited while the dialog is up. Short pauses only cover a pending timer
    (the search debounce) and are bounded by `MAX_ROUNDS`; nothing is asserted about time."""
    app = pilot.app
    for _ in range(MAX_ROUNDS):
        await pilot.pause()
        running = [w for w in app.workers if w.state is WorkerState.RUNNING]
        awaitable = [w for w in running if w.group not in MODAL_GROUPS]
        if awaitable:
            results = await asyncio.gather(*(w.wait() for w in awaitable), return_exceptions=True)
            for result in results:
                if isinstance(result, WorkerFailed):
                    raise AssertionError(f"a worker failed: {result.error!r}") from result.error
            continue
        shown_errors = [n.message for n in getattr(app, "_notifications", ()) if n.severity == "error"]
        if shown_errors:
            raise AssertionError(f"the app shows an error: {shown_errors}")
        if running and not isinstance(app.screen, ModalScreen):
            await pilot.pause(0.01)  # a dialog worker between its steps (preview → dialog → write)
            continue
        if until is None or until():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the app never reached {what}; screen: {type(app.screen).__name__}")


def _screen_segments(app: Any) -> list[list[Any]]:
    """The segments of each line of the screen as the terminal would be sent them (dialogs drawn
    over the screens below, notifications included): what `export_screenshot` renders."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [[seg for strip in line for seg in strip if not seg.control] for line in update.strips]


def screen_lines(app: Any) -> list[str]:
    """The text of each line of the screen, as a person sees it."""
    return ["".join(seg.text for seg in line) for line in _screen_segments(app)]


def screen_text(app: Any) -> str:
    return "\n".join(screen_lines(app))


def raw_controls(app: Any) -> list[str]:
    """Control characters (and lone surrogates) in the text sent to the terminal: an escape sequence
    from the data would be obeyed by the terminal, a carriage return would overwrite the line."""
    return [ch for line in _screen_segments(app) for seg in line for ch in seg.text
            if unicodedata.category(ch) in ("Cc", "Cs")]


def cell_text(value: Any) -> str:
    return str(getattr(value, "plain", value))


def table_rows(table: DataTable[Any] | RecordTable) -> list[list[str]]:
    """Every row the table holds, as plain text."""
    return [[cell_text(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def column_values(table: DataTable[Any] | RecordTable, key: str) -> list[str]:
    index = table.get_column_index(key)
    return [row[index] for row in table_rows(table)]


def static_text(widget: Static) -> str:
    return cell_text(widget.visual)


def query_db(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Read the database through a connection of its own (not the app's Store)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def execute_db(url: str, *statements: str) -> None:
    """Change the database behind the app's back (another user, or the test's setup), committed."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def scalar(url: str, sql: str, **params: Any) -> Any:
    return query_db(url, sql, **params)[0][0]


async def start(pilot: Pilot[Any]) -> None:
    """Wait until the Store is open and the models screen shows every model with its count."""
    from tui_admin.ui.screens.models import ModelsScreen

    app = pilot.app

    def ready() -> bool:
        if app.store is None or not isinstance(app.screen, ModelsScreen):  # type: ignore[attr-defined]
            return False
        table = app.screen.query_one("#models", DataTable)
        return table.row_count > 0 and "…" not in column_values(table, "rows")

    await settle(pilot, ready, "the models screen with its counts")


async def press(pilot: Pilot[Any], *keys: str, until: Callable[[], bool] | None = None, what: str = "") -> None:
    """Press keys, then settle (see `settle`)."""
    await pilot.press(*keys)
    await settle(pilot, until, what or f"the state after pressing {keys}")


def list_total(screen: Any) -> int | None:
    """The row count the list's title shows (`Hero · 15 rows · …`), None while counting."""
    match = re.search(r" · ([\d,]+) rows?\b", static_text(screen.query_one("#list-title", Static)))
    return None if match is None else int(match.group(1).replace(",", ""))


def list_ready(app: Any) -> bool:
    """A list is on screen with its rows and its count."""
    from tui_admin.ui.screens.list import ListScreen

    return isinstance(app.screen, ListScreen) and list_total(app.screen) is not None


def detail_ready(app: Any) -> bool:
    from tui_admin.ui.screens.detail import DetailScreen

    return isinstance(app.screen, DetailScreen) and app.screen.query_one("#fields", DataTable).row_count > 0


def form_ready(app: Any) -> bool:
    from tui_admin.ui.screens.form import FormScreen

    return isinstance(app.screen, FormScreen) and any(
        str(w.id).startswith("field-") for w in app.screen.query("*")
    )


def detail_fields(app: Any) -> dict[str, str]:
    """The detail's field rows (not its relations), as {field name: shown value}."""
    rows = table_rows(app.screen.query_one("#fields", DataTable))
    return {r[0].removesuffix(" (key)"): r[1] for r in rows if r[0] and not r[0].startswith("▾")}


async def open_model(pilot: Pilot[Any], name: str) -> RecordTable:
    """From the models screen, move to `name` with the arrow keys, press enter and wait for the
    list to show its rows and its count. Returns the `#records` table."""
    app = pilot.app
    table = app.screen.query_one("#models", DataTable)
    row = table.get_row_index(name)
    await press(pilot, *(["down"] * (row - table.cursor_row)), until=lambda: table.cursor_row == row)
    await press(pilot, "enter", until=lambda: list_ready(app), what=f"the {name} list")
    return app.screen.query_one("#records", RecordTable)


def cursor_values(table: DataTable[Any] | RecordTable) -> list[str]:
    """The row under the cursor, as plain text."""
    return [cell_text(c) for c in table.get_row_at(table.cursor_row)]


async def clear_input(pilot: Pilot[Any], widget: Any) -> None:
    """Empty the focused input the way a person would: end, then backspace over every character."""
    assert pilot.app.focused is widget, f"{widget!r} should have the focus, not {pilot.app.focused!r}"
    await pilot.press("end", *(["backspace"] * len(widget.value)))
    assert widget.value == ""


def footer_actions(screen: Any) -> set[str]:
    """The actions the key bar at the bottom shows on `screen`."""
    from tui_admin.ui.widgets.key_bar import KeyBar

    return set(screen.query_one(KeyBar).shown_actions())


def field_errors(form: Any) -> dict[str, str]:
    """The errors shown beside a form's fields, by field name."""
    from tui_admin.ui.widgets.fields import error_id

    names = {error_id(c.name): c.name for c in getattr(form, "columns", [])}  # ids of any column name
    shown = {}
    for widget in form.query(".field-error").results(Static):
        text = static_text(widget)
        if text:
            shown[names.get(str(widget.id), str(widget.id).removeprefix("error-"))] = text
    return shown


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the demo tables, in key order."""
    return {
        "team": query_db(url, "SELECT * FROM team ORDER BY id"),
        "hero": query_db(url, "SELECT * FROM hero ORDER BY id"),
        "heroteamlink": query_db(url, "SELECT * FROM heroteamlink ORDER BY team_id, hero_id"),
    }
