"""The home screen lists every registered model with its table and row count."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.ui.helpers import (
    SIZE,
    column_values,
    execute_db,
    open_model,
    press,
    scalar,
    start,
    static_text,
    table_rows,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.models import ModelsScreen


async def test_models_screen_lists_every_model_with_its_row_count(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        screen = demo_app.screen
        assert isinstance(screen, ModelsScreen)
        table = screen.query_one("#models", DataTable)
        assert table_rows(table) == [
            ["Hero", "hero", "15"],
            ["HeroTeamLink", "heroteamlink (link)", "20"],
            ["Team", "team", "5"],
        ]
        assert static_text(screen.query_one("#models-title")) == "3 models"
        assert table.has_focus
        assert demo_app.sub_title == "demo"
    # the counts are the database's, read independently
    counts = dict(zip(column_values(table, "table"), column_values(table, "rows"), strict=True))
    assert counts["hero"] == str(scalar(demo_db, "SELECT count(*) FROM hero"))
    assert counts["team"] == str(scalar(demo_db, "SELECT count(*) FROM team"))
    assert counts["heroteamlink (link)"] == str(scalar(demo_db, "SELECT count(*) FROM heroteamlink"))


async def test_models_screen_counts_follow_the_database_on_refresh(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = demo_app.screen.query_one("#models", DataTable)
        execute_db(demo_db, "INSERT INTO team (id, name, headquarters) VALUES (6, 'New Team', 'Somewhere')")
        await press(pilot, "r", until=lambda: column_values(table, "rows")[2] == "6", what="the refreshed Team count")
        assert column_values(table, "rows") == ["15", "20", "6"]


async def test_models_screen_counts_are_current_after_a_delete(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        await press(pilot, "y", until=lambda: scalar(demo_db, "SELECT count(*) FROM hero") == 14,
                    what="the hero deleted")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ModelsScreen), what="the models")
        table = demo_app.screen.query_one("#models", DataTable)
        # the Hero row should say 14 (and the link table 18), as the database does
        assert column_values(table, "rows") == ["14", "18", "5"]


async def test_a_registered_model_whose_table_is_missing_says_run_init(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A database where only `team` exists: the other models say their table is missing (once,
    in the rows column) while Team is counted; enter on one says it again instead of failing."""
    from tui_admin import demo

    url = demo.url(demo.build(tmp_path / "partial.db"))
    execute_db(url, "DROP TABLE heroteamlink", "DROP TABLE hero")
    app: AdminApp = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = app.screen.query_one("#models", DataTable)
        assert table_rows(table) == [
            ["Hero", "hero", "hero: no such table — run sqladmin-tui init"],
            ["HeroTeamLink", "heroteamlink (link)", "heroteamlink: no such table — run sqladmin-tui init"],
            ["Team", "team", "5"],
        ]
        await press(pilot, "enter")  # on Hero
        assert isinstance(app.screen, ModelsScreen), "a model without its table opens no list"
        shown = [n.message for n in app._notifications]
        assert shown == ["hero: no such table — run sqladmin-tui init"]
        await press(pilot, "enter")
        assert len(app._notifications) == 1, "said once, not stacked per enter"


async def _settled(pilot: Pilot[Any]) -> None:
    """Until the app has settled: a timer (`AdminApp.SETTLE_DELAY` after its first counts, at the
    latest `SETTLE_AFTER`), which a count of message rounds does not wait for on a fast machine."""
    for _ in range(100):
        if pilot.app._settled:  # type: ignore[attr-defined]
            return
        await pilot.pause(0.1)
    raise AssertionError("the app never settled")


async def test_settled_apps_hand_the_gil_on_quickly_and_the_last_to_end_restores_the_process(
        make_app: Callable[..., AdminApp], sqlite_demo: str) -> None:
    """A sync driver's thread waits for the GIL at each row while a screen paints (see
    AdminApp.SWITCH_INTERVAL): a settled app shortens the interval and turns the collector off.
    Both are the process's: with two apps running at once, the first to end leaves them to the
    other, and the last puts back what the process had."""
    before, collecting = sys.getswitchinterval(), gc.isenabled()
    sys.setswitchinterval(0.005)
    gc.enable()
    try:
        first, second = make_app(sqlite_demo), make_app(sqlite_demo)
        async with first.run_test(size=SIZE) as p1:
            await start(p1)
            await _settled(p1)
            assert sys.getswitchinterval() == AdminApp.SWITCH_INTERVAL and not gc.isenabled()
            async with second.run_test(size=SIZE) as p2:
                await start(p2)
                await _settled(p2)
            assert sys.getswitchinterval() == AdminApp.SWITCH_INTERVAL and not gc.isenabled(), "the first runs on"
        assert sys.getswitchinterval() == 0.005 and gc.isenabled()
    finally:
        sys.setswitchinterval(before)
        if collecting:
            gc.enable()


async def test_a_settle_timer_that_fires_after_the_app_ended_changes_nothing(
        make_app: Callable[..., AdminApp], sqlite_demo: str) -> None:
    """Textual may still run a timer's call once the app has unmounted (a test that ends just as
    SETTLE_AFTER comes): it must not tune the process for an app that will never give it back."""
    app = make_app(sqlite_demo)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
    interval, collecting = sys.getswitchinterval(), gc.isenabled()
    app._settle()
    assert (sys.getswitchinterval(), gc.isenabled(), app._settled) == (interval, collecting, False)
