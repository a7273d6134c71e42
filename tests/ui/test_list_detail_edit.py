"""The main path: models → Hero list → detail → edit form → save → detail shows the change."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from tests.ui.helpers import (
    SIZE,
    clear_input,
    column_values,
    cursor_values,
    detail_fields,
    detail_ready,
    dump,
    execute_db,
    form_ready,
    list_total,
    open_model,
    press,
    query_db,
    start,
    static_text,
    table_rows,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.list import ListScreen


async def test_hero_list_shows_names_and_team_labels(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        assert [c.key for c in table.ordered_columns] == ["id", "name", "secret_name", "age", "team_id"]
        rows = {row[1]: row for row in table_rows(table)}
        assert len(rows) == 15
        # a foreign key shows the label of the team, not its id; NULL shows as ∅
        assert rows["Deadpond"] == ["1", "Deadpond", "Dive Wilson", "∅", "Z-Force"]
        assert rows["Rusty-Man"][4] == "Preventers"
        assert rows["Dr. Weird"][4] == "∅"
        # sorted by primary key, cursor on the first row
        assert column_values(table, "id") == [str(i) for i in range(1, 16)]
        assert table.cursor_row == 0
        assert table.has_focus
        assert list_total(demo_app.screen) == 15
        assert static_text(demo_app.screen.query_one("#list-title")) == "Hero · 15 rows · sorted by id ↑"


async def test_edit_age_from_the_detail_saves_only_that_column(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        # enter opens the row under the cursor: move to Rusty-Man (third row)
        await press(pilot, "down", "down", until=lambda: cursor_values(table)[1] == "Rusty-Man")
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="the detail of Rusty-Man")
        detail = demo_app.screen
        assert isinstance(detail, DetailScreen)
        assert detail_fields(demo_app) == {
            "id": "3",
            "name": "Rusty-Man",
            "secret_name": "Tommy Sharp",
            "age": "48",
            "team_id": "Preventers  → team #1",
        }
        assert static_text(detail.query_one("#detail-title")) == "Hero · Rusty-Man"

        # e: the form, prefilled with the record
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="the edit form")
        form = demo_app.screen
        assert form.query_one("#field-name", Input).value == "Rusty-Man"
        assert form.query_one("#field-secret_name", Input).value == "Tommy Sharp"
        assert form.query_one("#field-age", Input).value == "48"
        assert form.query_one("#field-team_id").value == 1  # type: ignore[attr-defined]
        assert static_text(form.query_one("#form-title")) == "Edit Hero · Rusty-Man"
        assert demo_app.focused is form.query_one("#field-name")

        # tab to age, replace 48 by 49, save
        age = form.query_one("#field-age", Input)
        await press(pilot, "tab", "tab", until=lambda: demo_app.focused is age)
        await clear_input(pilot, age)
        await pilot.press(*"49")
        await press(pilot, "ctrl+s", until=lambda: demo_app.screen is detail and detail_ready(demo_app),
                    what="the detail after saving")

        # back on the same detail, which shows the new value
        assert detail_fields(demo_app)["age"] == "49"

        # escape: the list shows it too
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen)
                    and cursor_values(table)[3] == "49", what="the list showing the new age")
        assert cursor_values(table)[1] == "Rusty-Man"

    after = dump(demo_db)
    # exactly one cell changed: hero 3's age
    changed_hero = [(b, a) for b, a in zip(before["hero"], after["hero"], strict=True) if b != a]
    assert changed_hero == [(("Rusty-Man", "Tommy Sharp", 48, 1, 3), ("Rusty-Man", "Tommy Sharp", 49, 1, 3))]
    assert after["team"] == before["team"]
    assert after["heroteamlink"] == before["heroteamlink"]


async def test_enter_on_a_foreign_key_opens_the_record_it_names(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="Deadpond's detail")
        hero_detail = demo_app.screen
        fields = hero_detail.query_one("#fields", DataTable)
        team_row = [r[0] for r in table_rows(fields)].index("team_id")
        await press(pilot, *["down"] * team_row, until=lambda: fields.cursor_row == team_row)
        await press(pilot, "enter", until=lambda: demo_app.screen is not hero_detail and detail_ready(demo_app),
                    what="the team's detail")
        assert static_text(demo_app.screen.query_one("#detail-title")) == "Team · Z-Force"
        assert detail_fields(demo_app)["name"] == "Z-Force"
        await press(pilot, "escape", until=lambda: demo_app.screen is hero_detail, what="the hero again")


async def test_edit_from_the_list_shows_the_detail_then_the_updated_list(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        await press(pilot, "down", until=lambda: cursor_values(table)[1] == "Spider-Boy")
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="the edit form")
        name = demo_app.screen.query_one("#field-name", Input)
        await clear_input(pilot, name)
        await pilot.press(*"Spider-Man")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(demo_app), what="the saved hero's detail")
        assert detail_fields(demo_app)["name"] == "Spider-Man"
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen)
                    and cursor_values(table)[1] == "Spider-Man", what="the list showing the new name")
        assert table.cursor_row == 1, "the cursor stays on the edited row"
    saved = query_db(demo_db, "SELECT name, secret_name FROM hero WHERE id = 2")
    assert saved == [("Spider-Man", "Pedro Parqueador")]


async def test_a_row_changed_meanwhile_is_not_overwritten(demo_app: AdminApp, demo_db: str) -> None:
    """Optimistic concurrency: the form says so in `#form-error` and in a dialog offering to reload;
    cancelled, the form keeps the input and nothing is written."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="Deadpond's edit form")
        form = demo_app.screen
        name = form.query_one("#field-name", Input)
        # someone else renames Deadpond while the form is open
        execute_db(demo_db, "UPDATE hero SET name = 'Deadpool' WHERE id = 1")
        await pilot.press(*" II")
        error = form.query_one("#form-error", Static)
        await press(pilot, "ctrl+s", until=lambda: bool(static_text(error)), what="the conflict message")
        assert "changed by someone else" in static_text(demo_app.screen.query_one("#confirm-question", Static))
        await press(pilot, "n", until=lambda: demo_app.screen is form, what="the form again")
        assert not error.has_class("hidden")
        assert "changed by someone else" in static_text(error)
        assert name.value == "Deadpond II"
    assert query_db(demo_db, "SELECT name FROM hero WHERE id = 1") == [("Deadpool",)]
