"""SVG snapshots of each screen (pytest-textual-snapshot), taken once the workers are done.

Regenerate after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs (tests/ui/__snapshots__/test_snapshots/) before committing them.
Every key is pressed in `run_before`, which waits for the screen's workers after each step, so
no snapshot is taken mid-load (the plugin's own `press` does not wait for workers).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.ui.helpers import SIZE, detail_ready, form_ready, open_model, press, start
from tests.ui.hostile import database
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen

SnapCompare = Callable[..., bool]


def snap(snap_compare: SnapCompare, app: AdminApp, steps: Callable[[Pilot[Any]], Awaitable[None]]) -> bool:
    return snap_compare(app, run_before=steps, terminal_size=SIZE)


def test_models_screen(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    assert snap(snap_compare, snapshot_app, start)


def test_hero_list(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "Hero")

    assert snap(snap_compare, snapshot_app, steps)


def test_hero_detail(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "enter", until=lambda: detail_ready(pilot.app), what="Deadpond's detail")

    assert snap(snap_compare, snapshot_app, steps)


def test_hero_create_form_with_errors(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    """Empty name (Required) and a bad age, both reported beside their fields."""

    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "n", until=lambda: form_ready(pilot.app), what="the create form")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the snapshot depend on timing
        await pilot.press("tab", *"Secret Identity", "tab", *"abc")
        screen = pilot.app.screen
        await press(pilot, "ctrl+s", until=lambda: bool(screen.query_one("#error-age").visual.plain),
                    what="the errors shown")

    assert snap(snap_compare, snapshot_app, steps)


def test_delete_confirmation(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "d", until=lambda: isinstance(pilot.app.screen, ConfirmScreen), what="the dialog")

    assert snap(snap_compare, snapshot_app, steps)


def test_help_panel(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        from textual.widgets import HelpPanel

        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "f1", until=lambda: bool(pilot.app.screen.query(HelpPanel)), what="the help panel")

    assert snap(snap_compare, snapshot_app, steps)


@pytest.fixture
def hostile_app(tmp_path: Path) -> AdminApp:
    """The hostile schema of tests/ui/hostile.py, reflected (no models)."""
    return AdminApp(next(database("sqlite", tmp_path)).url, None, title="hostile")


def test_list_of_hostile_text(snap_compare: SnapCompare, hostile_app: AdminApp) -> None:
    """A table named `note [/]`: markup shown as text, control characters as visible symbols
    (␛ ␇ ␍ ␉ ␡, \\x85), a column named `[b]col[/b]`, CJK and emoji in aligned columns."""

    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "note [/]")

    assert snap(snap_compare, hostile_app, steps)
