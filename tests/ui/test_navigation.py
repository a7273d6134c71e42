"""The App owns navigation: it keeps the screens of a model once built and shows them again with
new data and a fresh state; a screen on the stack is never pushed twice (a fresh one is built);
and a screen reloads only when what it shows changed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.ui.helpers import (
    SIZE,
    clear_input,
    column_values,
    cursor_values,
    detail_fields,
    detail_ready,
    execute_db,
    field_errors,
    form_ready,
    list_total,
    open_model,
    press,
    start,
    static_text,
)
from tests.ui.test_relations_ui import cursor_to, shows_detail
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.detail import NULL, DetailScreen, _look
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.models import ModelsScreen


def store_actions(app: AdminApp) -> list[str]:
    assert app.store is not None
    return [a.name for a in app.store.log.actions]


async def back_to_models(pilot: Pilot[Any]) -> None:
    await press(pilot, "escape", until=lambda: isinstance(pilot.app.screen, ModelsScreen), what="the models")


async def open_deadpond(pilot: Pilot[Any]) -> tuple[DetailScreen, DataTable[Any]]:
    """From the start, the hero list and Deadpond's detail: the screen and its fields table."""
    app = pilot.app
    await start(pilot)
    await open_model(pilot, "Hero")
    await press(pilot, "enter", until=lambda: shows_detail(app, "Hero · Deadpond"), what="Deadpond")
    assert isinstance(app.screen, DetailScreen)
    return app.screen, app.screen.query_one("#fields", DataTable)


async def test_a_list_opened_again_is_the_same_screen_with_a_fresh_state(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        first = demo_app.screen
        # search, move the cursor right and down: state the next visit must not inherit
        await press(pilot, "slash")
        await pilot.press(*"Dead")
        await press(pilot, "enter", until=lambda: list_total(first) == 1, what="the search applied")
        await press(pilot, "escape", until=lambda: list_total(first) == 15, what="the search cleared")
        await press(pilot, "right", "down", until=lambda: table.cursor_row == 1 and table.cursor_column == 1)
        await back_to_models(pilot)
        assert first in demo_app.navigator.kept() and first.is_attached  # kept, not destroyed

        table = await open_model(pilot, "Hero")
        assert demo_app.screen is first, "the kept list is shown again, not composed anew"
        assert (table.cursor_row, table.cursor_column) == (0, 0)
        assert table.has_focus and first.query_one("#search").has_class("hidden")
        assert column_values(table, "id") == [str(i) for i in range(1, 16)]
        assert static_text(first.query_one("#list-title")) == "Hero · 15 rows · sorted by id ↑"

        # another model's list is another screen
        await back_to_models(pilot)
        await open_model(pilot, "Team")
        assert demo_app.screen is not first and column_values(demo_app.screen.query_one("#records"), "name")[0]


async def test_a_detail_opened_again_shows_the_new_record_from_the_top(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        detail, fields = await open_deadpond(pilot)
        await press(pilot, "down", "down", until=lambda: fields.cursor_row == 2)
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        table = demo_app.screen.query_one("#records")
        await press(pilot, "down", "down", until=lambda: cursor_values(table)[1] == "Rusty-Man")
        await press(pilot, "enter", until=lambda: shows_detail(demo_app, "Hero · Rusty-Man"), what="Rusty-Man")
        assert demo_app.screen is detail
        assert fields.cursor_row == 0 and fields.has_focus
        assert detail_fields(demo_app)["secret_name"] == "Tommy Sharp"
        assert detail.pk == (3,)


async def test_a_detail_opened_again_redraws_its_table_only_when_a_row_changed(demo_app: AdminApp,
                                                                             demo_db: str) -> None:
    """The same record unchanged keeps the table's cells (and Textual's render cache of them);
    a value changed meanwhile by another connection is drawn."""
    async with demo_app.run_test(size=SIZE) as pilot:
        detail, fields = await open_deadpond(pilot)
        drawn = fields.get_row(fields.coordinate_to_cell_key((0, 0)).row_key)
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        await press(pilot, "enter", until=lambda: demo_app.screen is detail and detail_ready(demo_app))
        again = fields.get_row(fields.coordinate_to_cell_key((0, 0)).row_key)
        assert all(a is b for a, b in zip(again, drawn, strict=True)), "the same rows: not drawn again"

        execute_db(demo_db, "UPDATE hero SET secret_name = 'Wade W.' WHERE name = 'Deadpond'")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        await press(pilot, "enter", until=lambda: demo_app.screen is detail
                    and detail_fields(demo_app).get("secret_name") == "Wade W.", what="the new secret name")
        assert fields.cursor_row == 0


def test_a_cell_looks_the_same_only_with_the_same_text_and_style() -> None:
    """What decides a redraw: rich's own `Text ==` ignores the style, so a value "∅" typed as
    text would have passed for NULL's dim ∅ and left the old cell drawn."""
    assert _look(NULL) != _look(Text("∅"))
    assert _look(Text("x", style="bold")) == _look(Text("x", style="bold")) != _look(Text("x"))
    assert _look(Text.assemble("a", ("b", "red"))) != _look(Text("ab"))


async def test_a_form_opened_again_starts_from_the_new_record(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        # a create form, typed into and discarded
        await press(pilot, "n", until=lambda: form_ready(demo_app), what="the create form")
        create = demo_app.screen
        assert isinstance(create, FormScreen)
        await pilot.press(*"Draft")
        await press(pilot, "ctrl+s", until=lambda: "secret_name" in field_errors(create), what="the errors")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="discard?")
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list")
        await press(pilot, "n", until=lambda: form_ready(demo_app), what="the create form again")
        assert demo_app.screen is create
        assert create.query_one("#field-name", Input).value == ""
        assert field_errors(create) == {}, "no error left from last time"
        assert demo_app.focused is create.query_one("#field-name") and not create.is_dirty
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))

        # edit forms: one kept screen, each time holding the record it edits
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="Deadpond's form")
        edit = demo_app.screen
        assert edit is not create and static_text(edit.query_one("#form-title")) == "Edit Hero · Deadpond"
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        await press(pilot, "down", "down", until=lambda: cursor_values(table)[1] == "Rusty-Man")
        await press(pilot, "e", until=lambda: form_ready(demo_app) and demo_app.screen is edit
                    and static_text(edit.query_one("#form-title")) == "Edit Hero · Rusty-Man", what="Rusty-Man")
        assert edit.query_one("#field-age", Input).value == "48"
        assert edit.query_one("#field-team_id").value == 1  # type: ignore[attr-defined]
        assert edit.original["name"] == "Rusty-Man" and edit.pk == (3,)

        # and it saves the record it now holds
        age = edit.query_one("#field-age", Input)
        await press(pilot, "tab", "tab", until=lambda: demo_app.focused is age)
        await clear_input(pilot, age)
        await pilot.press(*"50")
        await press(pilot, "ctrl+s", until=lambda: shows_detail(demo_app, "Hero · Rusty-Man"), what="saved")
        assert detail_fields(demo_app)["age"] == "50"


async def test_the_same_kind_of_screen_twice_on_the_stack_is_two_screens(demo_app: AdminApp) -> None:
    """Hero detail → its team → one of the team's heroes: the kept hero detail is on the stack, so
    the second hero gets a screen of its own, and going back shows the first hero as it was."""
    async with demo_app.run_test(size=SIZE) as pilot:
        deadpond, fields = await open_deadpond(pilot)
        await cursor_to(pilot, fields, "field:team_id")
        await press(pilot, "enter", until=lambda: shows_detail(demo_app, "Team · Z-Force"), what="Z-Force")
        team = demo_app.screen
        team_fields = team.query_one("#fields", DataTable)
        items = [str(r.key.value) for r in team_fields.ordered_rows if str(r.key.value).startswith("item:heroes:")]
        await cursor_to(pilot, team_fields, items[-1])
        await press(pilot, "enter", until=lambda: demo_app.screen is not team and detail_ready(demo_app),
                    what="a hero of Z-Force")
        other = demo_app.screen
        assert isinstance(other, DetailScreen) and other is not deadpond
        stack = demo_app.screen_stack
        assert len(stack) == len(set(map(id, stack))), "no screen is twice on the stack"
        await press(pilot, "escape", until=lambda: demo_app.screen is team)
        await press(pilot, "escape", until=lambda: demo_app.screen is deadpond)
        assert static_text(deadpond.query_one("#detail-title")) == "Hero · Deadpond"
        assert detail_fields(demo_app)["name"] == "Deadpond"


async def test_coming_back_without_a_change_reads_nothing_again(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="the detail")
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="the form")
        before = len(store_actions(demo_app))
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, DetailScreen))  # cancelled
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        await back_to_models(pilot)
        assert store_actions(demo_app)[before:] == [], "nothing changed, so nothing is read again"


async def test_a_save_reloads_the_screens_below_that_show_the_model(demo_app: AdminApp) -> None:
    """Team list → a team → one of its heroes → edit the hero: the hero's detail (on top) reads
    again at once; the team's detail (it lists the hero) and the team list (it counts heroes) once
    each when they come back, and not again."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Team")
        team_list = demo_app.screen
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="the first team")
        team = demo_app.screen
        team_fields = team.query_one("#fields", DataTable)
        await cursor_to(pilot, team_fields, "item:heroes:0")
        await press(pilot, "enter", until=lambda: demo_app.screen is not team and detail_ready(demo_app))
        hero = demo_app.screen
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="the hero's form")
        name = demo_app.screen.query_one("#field-name", Input)
        await clear_input(pilot, name)
        await pilot.press(*"Renamed")
        before = len(store_actions(demo_app))
        await press(pilot, "ctrl+s", until=lambda: demo_app.screen is hero and detail_fields(demo_app)["name"]
                    == "Renamed", what="the hero reloaded")
        assert store_actions(demo_app)[before:] == ["update Hero", "detail Hero"]
        assert team.stale and team_list.stale and not hero.stale
        before = len(store_actions(demo_app))
        await press(pilot, "escape", until=lambda: demo_app.screen is team)
        assert "  Renamed" in [static_text_of(team_fields, i, 1) for i in range(team_fields.row_count)]
        await press(pilot, "escape", until=lambda: demo_app.screen is team_list)
        await press(pilot, "enter", until=lambda: demo_app.screen is team and detail_ready(demo_app))
        reads = [a for a in store_actions(demo_app)[before:] if not a.startswith(("count", "estimate"))]
        assert reads == ["detail Team", "list Team", "detail Team"]  # the last: opened again


def static_text_of(table: DataTable[Any], row: int, column: int) -> str:
    cell = table.get_row_at(row)[column]
    return str(getattr(cell, "plain", cell))


async def test_a_kept_screen_takes_a_theme_chosen_while_it_was_closed(demo_app: AdminApp) -> None:
    """A kept screen is not restyled when shown again, unless the CSS changed meanwhile."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        dark = table.styles.background
        await back_to_models(pilot)
        demo_app.theme = "textual-light"
        await press(pilot)
        assert await open_model(pilot, "Hero") is table
        await back_to_models(pilot)
        fresh = await open_model(pilot, "Team")  # composed under the new theme
        assert table.styles.background != dark
        assert table.styles.background == fresh.styles.background
