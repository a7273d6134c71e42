"""The palette's commands by screen: open a record by its key (`Hero 3`, a link by both key
parts), go to row N (OFFSET, said so), add a filter, export, mark all matching, the query log,
a theme."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.helpers import (
    SIZE,
    cursor_values,
    detail_fields,
    detail_ready,
    open_model,
    query_db,
    settle,
    start,
    static_text,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.export import ExportScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.widgets.filter_bar import FilterBar


async def palette(pilot: Pilot[Any], text: str) -> None:
    """ctrl+p, type `text`, enter on the first hit."""
    await pilot.press("ctrl+p")
    await pilot.press(*text)
    await pilot.pause(0.3)  # the palette's own search is debounced
    await pilot.press("enter")


async def test_open_a_record_by_its_key_and_a_link_by_both_parts(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await palette(pilot, "Hero 3")
        await settle(pilot, lambda: detail_ready(demo_app), "Hero 3's detail")
        assert detail_fields(demo_app)["name"] == "Rusty-Man"

        assert demo_app.store is not None
        key = demo_app.store.admin("HeroTeamLink").info.primary_key
        first = query_db(demo_db, f"SELECT {', '.join(key)}, role FROM heroteamlink ORDER BY {', '.join(key)}")[0]
        await palette(pilot, f"HeroTeamLink {first[0]},{first[1]}")
        await settle(pilot, lambda: detail_ready(demo_app) and "role" in detail_fields(demo_app), "the link's detail")
        fields = detail_fields(demo_app)
        assert fields["role"] == first[2]
        assert fields[key[0]].endswith(f"#{first[0]}") and fields[key[1]].endswith(f"#{first[1]}"), fields


async def test_a_lists_commands_row_n_mark_all_filter_export(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        assert isinstance(screen, ListScreen)
        await palette(pilot, "row 12")
        await settle(pilot, lambda: cursor_values(table)[0] == "12", "row 12 under the cursor")
        assert any("OFFSET 11" in n.message for n in demo_app._notifications)
        list_action = demo_app.store.log.actions[-1]  # type: ignore[union-attr]
        assert "OFFSET" in list_action.statements[0].sql.upper()
        assert screen.window.more_before

        await palette(pilot, "mark all matching")
        await settle(pilot, lambda: "all 15 matching marked" in static_text(screen.query_one("#list-title", Static)))

        await palette(pilot, "add a filter")
        await settle(pilot, lambda: screen.query_one(FilterBar).open, "the filter bar open")
        await pilot.press("escape")
        await settle(pilot, lambda: not screen.query_one(FilterBar).open)

        await palette(pilot, "export")
        await settle(pilot, lambda: isinstance(demo_app.screen, ExportScreen), "the export dialog")
        assert "all 15 matching Hero rows" in static_text(demo_app.screen.query_one(".screen-title", Static))


async def test_switch_theme_and_toggle_the_query_log(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert demo_app.theme != "nord"
        await palette(pilot, "theme: nord")
        await settle(pilot, lambda: demo_app.theme == "nord", "the nord theme")
        await palette(pilot, "query log")
        await settle(pilot, lambda: type(demo_app.screen).__name__ == "QueryLogScreen", "the query log")
        await palette(pilot, "query log")
        await settle(pilot, lambda: type(demo_app.screen).__name__ == "ModelsScreen", "the query log hidden")
