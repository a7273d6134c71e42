"""What the list says about a search: `^sp` finds Spider-Boy (one case rule), the title notes
"scan" when no index serves the search, and an empty result says "no matches for …" instead of
showing a bare header."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.helpers import (
    SIZE,
    clear_input,
    column_values,
    list_total,
    open_model,
    press,
    screen_text,
    start,
    static_text,
)
from tui_admin.core.query import search_scans
from tui_admin.ui.app import AdminApp


async def test_search_says_when_it_scans_and_when_nothing_matches(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        box = screen.query_one("#search", Input)
        empty = screen.query_one("#list-empty")
        assert not empty.display

        await press(pilot, "slash", *"^sp", "enter", until=lambda: column_values(table, "name") == ["Spider-Boy"]
                    and list_total(screen) == 1, what="Spider-Boy found by ^sp")
        title = static_text(screen.query_one("#list-title"))
        indexed = not search_scans(demo_app.store.admin("Hero"), "^sp", demo_app.store.backend)
        assert ("search “^sp” (scan)" in title) is not indexed
        if demo_app.store.backend.name == "sqlite":
            assert indexed and "(scan)" not in title  # read from ix_hero_name

        await press(pilot, "slash")
        await clear_input(pilot, box)
        await press(pilot, *"spider", "enter", until=lambda: "search “spider” (scan)" in static_text(
            screen.query_one("#list-title")), what="a substring search, said to scan")
        assert column_values(table, "name") == ["Spider-Boy"]
        assert not empty.display

        await press(pilot, "slash")
        await clear_input(pilot, box)
        await press(pilot, *"zzz", "enter", until=lambda: list_total(screen) == 0, what="no rows")
        assert empty.display and static_text(empty) == "no matches for “zzz”"
        assert "no matches for “zzz”" in screen_text(demo_app)

        await press(pilot, "escape", until=lambda: list_total(screen) == 15, what="the whole list again")
        assert not empty.display
