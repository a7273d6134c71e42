"""`/` searches the list as you type (escape clears it); `s` sorts by the cursor's column."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.helpers import SIZE, column_values, list_total, open_model, press, query_db, start, static_text
from tui_admin.ui.app import AdminApp


async def test_search_filters_the_list_and_escape_clears_it(demo_app: AdminApp, demo_db: str) -> None:
    # name and secret_name are searched, case-insensitively
    sql = "SELECT name FROM hero WHERE lower(name) LIKE '%man%' OR lower(secret_name) LIKE '%man%' ORDER BY id"
    expected = [r[0] for r in query_db(demo_db, sql)]
    assert "Rusty-Man" in expected
    assert 1 < len(expected) < 15
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        box = screen.query_one("#search", Input)
        assert not box.display

        await press(pilot, "slash", until=lambda: box.has_focus, what="the search box focused")
        assert box.display
        await press(pilot, *"man", until=lambda: column_values(table, "name") == expected
                    and list_total(screen) == len(expected), what=f"the list of {expected}")
        assert box.value == "man"
        assert demo_app.screen is screen, "letters typed in the search box are text, not commands (n = new)"
        title = static_text(screen.query_one("#list-title"))
        assert f"{len(expected)} rows" in title
        assert "search “man”" in title

        await press(pilot, "escape", until=lambda: len(column_values(table, "name")) == 15,
                    what="the whole list again")
        assert box.value == ""
        assert not box.display
        assert table.has_focus
        assert "search" not in static_text(screen.query_one("#list-title"))
        assert list_total(screen) == 15


async def test_search_matches_nothing_shows_an_empty_list(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        await press(pilot, "slash", *"zzz", "enter", until=lambda: table.row_count == 0 and list_total(screen) == 0,
                    what="an empty list")
        assert table.has_focus
        assert "0 rows" in static_text(screen.query_one("#list-title"))
        # opening, editing or deleting "nothing" does nothing
        await press(pilot, "enter", "e", "d")
        assert demo_app.screen is screen


async def test_sort_by_the_cursor_column_then_reverse(demo_app: AdminApp, demo_db: str) -> None:
    names = [r[0] for r in query_db(demo_db, "SELECT name FROM hero")]
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        await press(pilot, "right", until=lambda: table.cursor_column == 1)
        assert table.ordered_columns[table.cursor_column].key == "name"

        await press(pilot, "s", until=lambda: column_values(table, "name") == sorted(names), what="sorted by name")
        assert "sorted by name ↑" in static_text(screen.query_one("#list-title"))
        assert table.cursor_column == 1, "the cursor stays in the sorted column"

        await press(pilot, "s", until=lambda: column_values(table, "name") == sorted(names, reverse=True),
                    what="sorted by name, reversed")
        assert "sorted by name ↓" in static_text(screen.query_one("#list-title"))

        # another column: age, NULLs first (SQLite's order), ties by id
        await press(pilot, "right", "right", until=lambda: table.cursor_column == 3)
        ages = [r[0] for r in query_db(demo_db, "SELECT name FROM hero ORDER BY age, id")]
        await press(pilot, "s", until=lambda: column_values(table, "name") == ages, what="sorted by age")
        assert "sorted by age ↑" in static_text(screen.query_one("#list-title"))


async def test_filter_by_the_cursor_cell_then_remove_it(demo_app: AdminApp, demo_db: str) -> None:
    z_force = [r[0] for r in query_db(demo_db, "SELECT name FROM hero WHERE team_id = 2 ORDER BY id")]
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        # Deadpond's team_id cell (Z-Force)
        await press(pilot, *["right"] * 4, until=lambda: table.cursor_column == 4)
        await press(pilot, "f", until=lambda: column_values(table, "name") == z_force, what="the Z-Force heroes")
        assert set(column_values(table, "team_id")) == {"Z-Force"}
        assert list_total(screen) == len(z_force)
        assert "team = Z-Force" in static_text(screen.query_one("#list-title"))  # by label (issue 10)
        await press(pilot, "f", until=lambda: list_total(screen) == 15, what="the whole list again")
        assert len(column_values(table, "name")) == 15
        assert "team =" not in static_text(screen.query_one("#list-title"))
