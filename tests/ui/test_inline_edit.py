"""Edit in the list (`ModelAdmin.column_editable_list`): `F2`/`i` on a cell opens an editor over
its row; `enter` validates through the Update schema and saves guarded against lost updates;
`escape` cancels. A bad value and a concurrent change each show their error in the row, the value
staying as typed, and write nothing. On SQLite and on PostgreSQL through asyncpg."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import app_url
from tests.ui.helpers import (
    SIZE,
    TITLE,
    clear_input,
    cursor_values,
    execute_db,
    open_model,
    press,
    query_db,
    start,
    static_text,
)
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.demo.models import Hero, HeroTeamLink, Team
from tui_admin.ui.app import AdminApp
from tui_admin.ui.widgets.cell_editor import CellEditor
from tui_admin.ui.widgets.record_table import RecordTable


class HeroAdmin(ModelAdmin, model=Hero):
    column_editable_list = ["age"]
    column_labels = {"age": "Age (years)"}


AGE = "SELECT age FROM hero WHERE id = 1"


def _app(url: str) -> AdminApp:
    return AdminApp(app_url(url), Registry([HeroAdmin, Team, HeroTeamLink]), title=TITLE)


async def _on_age(pilot: Pilot[Any]) -> RecordTable:
    await start(pilot)
    table = await open_model(pilot, "Hero")
    age = table.get_column_index("age")
    await press(pilot, *(["right"] * age), until=lambda: table.cursor_column == age)
    assert cursor_values(table)[1] == "Deadpond"
    return table


def _editor(app: AdminApp) -> CellEditor:
    return app.screen.query_one(CellEditor)


def _error(app: AdminApp) -> str:
    return static_text(app.screen.query_one("#cell-error", Static))


async def _type(pilot: Pilot[Any], text: str) -> None:
    editor = _editor(pilot.app)  # type: ignore[arg-type]
    await clear_input(pilot, editor.input)
    await press(pilot, *text)


async def test_a_bad_value_then_a_good_one(demo_db: str) -> None:
    app = _app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await _on_age(pilot)
        before = query_db(demo_db, AGE)
        header = [c.label for c in table.ordered_columns]
        assert "Age (years)" in header  # column_labels in the list's header
        await press(pilot, "f2", until=lambda: _editor(app).editing, what="the cell editor")
        shown = "" if before[0][0] is None else str(before[0][0])  # Deadpond's age is NULL: empty
        assert app.focused is _editor(app).input and _editor(app).input.value == shown
        # The editor lies over the cursor's row.
        assert _editor(app).region.y == table.cursor_cell_region()[1]
        await _type(pilot, "abc")
        await press(pilot, "enter", until=lambda: _error(app) != "", what="the error in the row")
        assert "integer" in _error(app)
        assert _editor(app).editing and _editor(app).input.value == "abc"  # stays as typed
        assert query_db(demo_db, AGE) == before
        await _type(pilot, "40")
        await press(pilot, "enter", until=lambda: not _editor(app).editing, what="the save")
        await press(pilot, until=lambda: cursor_values(table)[table.cursor_column] == "40", what="the row reloaded")
        assert query_db(demo_db, AGE) == [(40,)]
        assert app.focused is table


async def test_a_concurrent_change_is_not_overwritten(demo_db: str) -> None:
    app = _app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await _on_age(pilot)
        await press(pilot, "i", until=lambda: _editor(app).editing, what="the cell editor")
        execute_db(demo_db, "UPDATE hero SET age = 77 WHERE id = 1")  # someone else, meanwhile
        await _type(pilot, "41")
        await press(pilot, "enter", until=lambda: "changed by someone else" in _error(app), what="the conflict")
        assert "age" in _error(app) and _editor(app).input.value == "41"
        assert query_db(demo_db, AGE) == [(77,)]
        await press(pilot, "escape", until=lambda: not _editor(app).editing, what="cancelled")
        assert query_db(demo_db, AGE) == [(77,)]


async def test_only_the_editable_columns_open_an_editor(sqlite_demo: str) -> None:
    app = _app(sqlite_demo)
    async with app.run_test(size=SIZE) as pilot:
        table = await _on_age(pilot)
        await press(pilot, "left")
        assert table.ordered_columns[table.cursor_column].key == "secret_name"
        await press(pilot, "f2")
        assert not _editor(app).editing
        await press(pilot, "right", "f2", until=lambda: _editor(app).editing, what="the cell editor")
        await press(pilot, "escape", until=lambda: not _editor(app).editing, what="cancelled")
        assert app.focused is table
