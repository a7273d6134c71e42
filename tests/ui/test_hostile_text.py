"""Nothing from the database or the user is obeyed by the screen (issue 8, section 3).

The real app, opened without models on a schema made by raw DDL (tests/ui/hostile.py), on SQLite
and on PostgreSQL through asyncpg: records labelled `[/]` or `[bold]x[/bold]`, cells holding
`ESC ] 2 ; PWNED BEL`, a carriage return, a tab, C1 NEL, DEL; names that are not identifiers; JSON
objects and arrays; CJK and emoji. Every assertion reads what the screen shows (the rendered
lines, and the characters sent to the terminal), and the app must still be running at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from tests.ui.helpers import (
    SIZE,
    column_values,
    detail_ready,
    field_errors,
    form_ready,
    list_ready,
    list_total,
    open_model,
    press,
    query_db,
    raw_controls,
    screen_lines,
    screen_text,
    settle,
    start,
    static_text,
)
from tests.ui.hostile import ESC_ROW, VALUES, WIDE, Hostile, build_refusal, cells_before, database
from tui_admin.core.format import visible
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.picker import PickerScreen
from tui_admin.ui.screens.query_log import QueryLogScreen
from tui_admin.ui.widgets.fields import field_id
from tui_admin.ui.widgets.record_table import RecordTable, fit
from tui_admin.ui.widgets.text_input import ESCAPED_HINT, TextInput

UI = ["sqlite", "postgresql+asyncpg"]
ESC, ESC_SHOWN = VALUES[ESC_ROW - 1]


def note_rows(h: Hostile) -> list[tuple[Any, ...]]:
    return query_db(h.read_url, 'SELECT id, name, "first name", "名前", "a-b", "1st", "[b]col[/b]",'
                    f' CAST(doc AS TEXT), owner_id FROM "{h.note}" ORDER BY id')


@pytest.fixture
def h(engine_name: str, tmp_path: Path) -> Iterator[Hostile]:
    yield from database(engine_name, tmp_path)


def reflected(url: str) -> AdminApp:
    return AdminApp(url, None, title="hostile")


def shows_nothing_raw(app: AdminApp) -> None:
    """No control character from the data reaches the terminal, and the app is still up."""
    assert app.is_running, "the app exited"
    assert raw_controls(app) == [], f"sent to the terminal as is: {raw_controls(app)!r}"


async def to_row(pilot: Pilot[Any], table: RecordTable, row: int) -> None:
    step = "down" if row > table.cursor_row else "up"
    await press(pilot, *[step] * abs(row - table.cursor_row), until=lambda: table.cursor_row == row)


async def to_column(pilot: Pilot[Any], table: RecordTable, name: str) -> None:
    column = table.get_column_index(name)
    step = "right" if column > table.cursor_column else "left"
    await press(pilot, *[step] * abs(column - table.cursor_column), until=lambda: table.cursor_column == column)


async def open_note(pilot: Pilot[Any], h: Hostile, note_id: int) -> DetailScreen:
    """The note list, then the detail of note `note_id`."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await start(pilot)
    table = await open_model(pilot, h.note)
    await to_row(pilot, table, note_id - 1)
    await press(pilot, "enter", until=lambda: detail_ready(app), what=f"the detail of note {note_id}")
    assert isinstance(app.screen, DetailScreen)
    return app.screen


def row_of(lines: list[str], first_cell: str) -> str:
    """The table line whose first cell is `first_cell`."""
    return next(line for line in lines if line.split()[:1] == [first_cell])


# -- markup and control characters: lists, details, forms, pickers, dialogs, notifications -------


@pytest.mark.parametrize("engine_name", UI)
async def test_records_that_look_like_markup_or_hold_escapes_are_shown_as_text(engine_name: str, h: Hostile) -> None:
    """The models screen, the list (names, cells, a column named `[b]col[/b]`), a detail, its edit
    form (a checkbox named `ok [/]`, an enum's options, the foreign key's button naming `ESC…`),
    the picker, and saving the form unedited."""
    before = note_rows(h)
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        assert h.note in screen_text(app) and h.link in screen_text(app)
        shows_nothing_raw(app)

        await open_model(pilot, h.note)
        lines = screen_lines(app)
        assert f"{h.note} · {len(VALUES)} rows" in lines[1]
        assert "[b]col[/b]" in lines[2] and "first name" in lines[2]
        for i, (_, shown) in enumerate(VALUES, 1):
            row = row_of(lines, str(i))
            assert row.count(shown) >= 5, f"row {i} should show {shown!r} in each text column: {row!r}"
        shows_nothing_raw(app)

        await press(pilot, *["down"] * (ESC_ROW - 1), "enter", until=lambda: detail_ready(app), what="the detail")
        text = screen_text(app)
        assert f"{h.note} · {ESC_SHOWN}" in screen_lines(app)[1]
        assert f"{ESC_SHOWN}  → owner #{ESC_ROW}" in text  # the foreign key names its record
        assert f"▾ tag_via_{h.link}" in text
        shows_nothing_raw(app)

        await press(pilot, "e", until=lambda: form_ready(app), what="the edit form")
        form = app.screen
        assert isinstance(form, FormScreen)
        text = screen_text(app)
        assert f"Edit {h.note} · {ESC_SHOWN}" in text
        assert "\\x1b]2;PWNED\\x07" in text  # the input shows the exact value, escaped
        assert ESCAPED_HINT in text
        shows_nothing_raw(app)

        flag = form.field("ok [/]")
        flag.focus()  # scrolls the form to it
        await settle(pilot, lambda: flag.has_focus and "ok [/]" in screen_text(app), "the checkbox named ok [/]")
        if engine_name.startswith("postgresql"):  # an enum whose labels are markup and an escape
            mood = form.field("mood")
            mood.focus()
            shown = screen_text(app).count(ESC_SHOWN)
            await press(pilot, "enter", until=lambda: screen_text(app).count(ESC_SHOWN) > shown, what="its options")
            shows_nothing_raw(app)
            await press(pilot, "escape", until=lambda: screen_text(app).count(ESC_SHOWN) == shown)
        shows_nothing_raw(app)

        owner = form.field("owner_id")
        owner.focus()
        await settle(pilot, lambda: owner.has_focus and f"{ESC_SHOWN}  ▸ enter to change" in screen_text(app),
                     "the foreign-key button naming its record")
        shows_nothing_raw(app)
        await press(pilot, "enter", until=lambda: isinstance(app.screen, PickerScreen), what="the picker")
        await settle(pilot, lambda: app.screen.query_one("#picker-results", DataTable).row_count > 1)
        text = screen_text(app)
        assert all(shown in text for _, shown in VALUES), text
        shows_nothing_raw(app)
        await press(pilot, "escape", until=lambda: app.screen is form)

        saved = f"Saved {h.note} #{ESC_ROW}"
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app) and saved in screen_text(app),
                    what="the detail after saving, and its notification")
        shows_nothing_raw(app)
    assert note_rows(h) == before  # an unedited form writes nothing


@pytest.mark.parametrize("engine_name", UI)
async def test_deleting_a_record_labelled_with_markup_asks_and_tells_in_plain_text(
    h: Hostile,
) -> None:
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        table = await open_model(pilot, h.note)
        list_screen = app.screen
        for note_id in (1, ESC_ROW):
            await to_row(pilot, table, column_values(table, "id").index(str(note_id)))
            await press(pilot, "d", until=lambda: isinstance(app.screen, ConfirmScreen), what="the question")
            label = VALUES[note_id - 1][1]
            text = screen_text(app)
            assert f"Delete {h.note} “{label}”?" in text
            assert f" link row in {h.link}" in text or f" link rows in {h.link}" in text
            shows_nothing_raw(app)
            await press(pilot, "y", until=lambda: app.screen is list_screen and list_ready(app), what="the list")
            await settle(pilot, lambda lab=label: f"Deleted {h.note} “{lab}”" in screen_text(app))  # type: ignore[misc]
            shows_nothing_raw(app)
    assert [r[0] for r in query_db(h.read_url, f'SELECT id FROM "{h.note}" ORDER BY id')] == [2, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("engine_name", UI)
async def test_links_query_log_palette_and_help_show_hostile_names_as_text(h: Hostile) -> None:
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = await open_note(pilot, h, ESC_ROW)
        fields = detail.query_one("#fields", DataTable)
        row = fields.get_row_index(f"rel:tag_via_{h.link}")
        await press(pilot, *["down"] * (row - fields.cursor_row), until=lambda: fields.cursor_row == row)
        await press(pilot, "l", until=lambda: isinstance(app.screen, LinksScreen), what="the links")
        links = app.screen
        await settle(pilot, lambda: links.query_one("#candidates", DataTable).row_count > 0)
        text = screen_text(app)
        label = static_text(detail.query_one("#detail-title", Static)).split(" · ", 1)[1]
        assert f"{h.note} {label} · tag_via_{h.link}" in text  # the record by its label, as the detail
        assert "role [/]" in text and text.count(ESC_SHOWN) >= 2  # the tag and its role
        assert "[bold]x[/bold]" in text  # a candidate
        shows_nothing_raw(app)
        await press(pilot, "slash", *"[/]", until=lambda: links.query_one("#candidates", DataTable).row_count == 1)
        shows_nothing_raw(app)
        await press(pilot, "escape", until=lambda: isinstance(app.screen, DetailScreen))

        await press(pilot, "f12", until=lambda: isinstance(app.screen, QueryLogScreen), what="the query log")
        assert h.note in screen_text(app)
        shows_nothing_raw(app)
        await press(pilot, "escape", until=lambda: isinstance(app.screen, DetailScreen))

        await press(pilot, "f1")
        assert app.is_running
        shows_nothing_raw(app)

        await pilot.press("ctrl+p", *"open note")
        await settle(pilot, lambda: f"Open {h.link}" in screen_text(app), "the palette's hits")
        assert f"the list of {h.note}" in screen_text(app)  # a hit's help
        shows_nothing_raw(app)
        await press(pilot, "enter", until=lambda: isinstance(app.screen, ListScreen), what="a list from the palette")
        assert app.screen.model in (h.note, h.link)


@pytest.mark.parametrize("engine_name", UI)
async def test_markup_and_escapes_typed_in_the_search_box_and_f_on_such_cells(h: Hostile) -> None:
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        table = await open_model(pilot, h.note)
        screen = app.screen
        title = screen.query_one("#list-title", Static)

        await press(pilot, "slash", *"[/]", until=lambda: "search “[/]”" in static_text(title) and
                    list_total(screen) == 1, what="the search for [/]")
        assert "search “[/]”" in screen_lines(app)[1]
        assert row_of(screen_lines(app), "1")
        shows_nothing_raw(app)

        # pasted into the box (a terminal sends a paste as one event), an escape sequence is shown
        # escaped and searched for exactly
        box = screen.query_one("#search", TextInput)
        await press(pilot, *["backspace"] * 3, until=lambda: box.value == "")
        box.post_message(events.Paste(ESC))
        await settle(pilot, lambda: f"search “{ESC_SHOWN}”" in static_text(title) and list_total(screen) == 1)
        assert box.value == "\\x1b]2;PWNED\\x07" and box.exact_value == ESC
        assert "\\x1b]2;PWNED\\x07" in screen_text(app) and ESCAPED_HINT in screen_text(app)
        assert row_of(screen_lines(app), str(ESC_ROW))
        shows_nothing_raw(app)
        await press(pilot, "escape", until=lambda: list_total(screen) == len(VALUES), what="the search cleared")

        await to_column(pilot, table, "name")
        for note_id in (1, 2, ESC_ROW):
            label = VALUES[note_id - 1][1]
            await to_row(pilot, table, note_id - 1)
            await press(pilot, "f", until=lambda lab=label: f"name = {lab}" in static_text(title)  # type: ignore[misc]
                        and list_total(screen) == 1, what=f"the filter on {label}")
            assert f"name = {label}" in screen_lines(app)[1]
            shows_nothing_raw(app)
            await press(pilot, "f", until=lambda: list_total(screen) == len(VALUES), what="the filter removed")


def refusal_message(form: FormScreen) -> str:
    return static_text(form.query_one("#form-error", Static))


@pytest.fixture
def refusal(engine_name: str, tmp_path: Path) -> Iterator[Hostile]:
    yield from database(engine_name, tmp_path, build_refusal, ["refusal"])


@pytest.mark.parametrize("engine_name", [*UI, "mysql+pymysql"])
async def test_a_driver_message_echoing_markup_and_escapes_is_shown_as_text(
    engine_name: str, refusal: Hostile
) -> None:
    """The database refuses `[/]`: SQLite and PostgreSQL name the CHECK constraint
    (`[/] ESC]2;PWNED BEL`), MariaDB quotes the duplicate value. The form shows the message."""
    app = reflected(refusal.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        await open_model(pilot, "refusal")
        await press(pilot, "n", until=lambda: form_ready(app), what="the create form")
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"[/]")
        await press(pilot, "ctrl+s", until=lambda: bool(refusal_message(form)), what="the refusal")
        expected = "Duplicate entry '[/]'" if engine_name.startswith("mysql") else f"[/] {ESC_SHOWN}"
        assert expected in refusal_message(form)
        assert expected in screen_text(app)
        shows_nothing_raw(app)
        assert app.screen is form
    kept = [("[/]",)] if engine_name.startswith("mysql") else []  # MariaDB's row was there before
    assert query_db(refusal.read_url, "SELECT name FROM refusal") == kept


# -- forms: exact values, any column name ------------------------------------------------------


@pytest.mark.parametrize("engine_name", UI)
async def test_values_with_control_characters_are_edited_exactly(h: Hostile) -> None:
    """The form of `ab CR XY`: left alone, every value stays byte for byte (also the JSON holding
    C1 NEL of note 6); edited, the saved value is the shown one with the edit; a paste holding
    control characters into a plain field is kept whole and exact."""
    app = reflected(h.url)
    rows = f'SELECT name, "first name", CAST(doc AS TEXT), "1st" FROM "{h.note}" WHERE id = :id'
    nel_doc = query_db(h.read_url, f'SELECT CAST(doc AS TEXT) FROM "{h.note}" WHERE id = 6')
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_note(pilot, h, 4)
        await press(pilot, "e", until=lambda: form_ready(app), what="the form of note 4")
        form = app.screen
        name = form.query_one(f"#{field_id('name')}", TextInput)
        assert name.value == "ab\\rXY" and name.escaped
        first = form.query_one(f"#{field_id('1st')}", Input)
        first.focus()
        await pilot.press("end", "backspace", *"40")
        name.focus()
        await pilot.press("end", "Z")
        shows_nothing_raw(app)
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the saved detail")
        assert "ab␍XYZ" in screen_text(app)

        await press(pilot, "escape", until=lambda: list_ready(app))
        table = app.screen.query_one(RecordTable)
        await to_row(pilot, table, 0)
        await press(pilot, "e", until=lambda: form_ready(app), what="the form of note 1")
        form = app.screen
        given = form.query_one(f"#{field_id('first name')}", TextInput)
        assert not given.escaped
        given.focus()
        await pilot.press("end")
        given.post_message(events.Paste("p\x1bq\nr\\"))
        await settle(pilot, lambda: given.escaped)
        assert given.value == "[/]p\\x1bq\\nr\\\\"
        shows_nothing_raw(app)
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the saved detail")

        await press(pilot, "escape", until=lambda: list_ready(app))
        await to_row(pilot, app.screen.query_one(RecordTable), 5)
        await press(pilot, "e", until=lambda: form_ready(app), what="the form of note 6")
        doc = app.screen.query_one(f"#{field_id('doc')}", TextArea)
        assert "\\u0085" in doc.text and "\x85" not in doc.text
        shows_nothing_raw(app)
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the saved detail")
    assert query_db(h.read_url, rows, id=4)[0][:2] == ("ab\rXYZ", "ab\rXY")
    assert query_db(h.read_url, rows, id=4)[0][3] == 40
    assert json.loads(query_db(h.read_url, rows, id=4)[0][2]) == ["ab\rXY", {"n": 4}]
    assert query_db(h.read_url, rows, id=1)[0][1] == "[/]p\x1bq\nr\\"
    assert query_db(h.read_url, f'SELECT CAST(doc AS TEXT) FROM "{h.note}" WHERE id = 6') == nel_doc  # not rewritten


@pytest.mark.parametrize("engine_name", UI)
async def test_columns_whose_names_are_not_identifiers_get_fields_and_errors(h: Hostile) -> None:
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        await open_model(pilot, h.note)
        await press(pilot, "n", until=lambda: form_ready(app), what="the create form")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name") is form.field("name")  # identifier names keep their ids
        assert form.query_one("#field-a-b") is form.field("a-b")
        ids = {form.field(c.name).id for c in form.columns}
        assert len(ids) == len(form.columns)
        text = screen_text(app)
        assert all(name in text for name in ("first name", "名前", "[b]col[/b]", "how many?"))
        for name, typed in [("name", "fresh"), ("first name", "given"), ("名前", "名"), ("[b]col[/b]", "[i]"),
                            ("how many?", "lots")]:
            form.field(name).focus()
            await pilot.press(*typed)
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the error")
        not_a_number = "Input should be a valid integer, unable to parse string as an integer"
        assert field_errors(form) == {"how many?": not_a_number}
        assert "Input should be a valid integer" in screen_text(app)
        form.field("how many?").focus()
        await pilot.press(*["backspace"] * 4, *"12")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the new record")
    assert query_db(h.read_url, f'SELECT name, "first name", "名前", "[b]col[/b]", "how many?" FROM "{h.note}"'
                              " WHERE name = 'fresh'") == [("fresh", "given", "名", "[i]", 12)]


# -- values that cannot be hashed, JSON nested too deeply -------------------------------------------


@pytest.mark.parametrize("engine_name", UI)
async def test_json_objects_arrays_and_arrays_show_in_detail_form_and_filter(
    engine_name: str, h: Hostile
) -> None:
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for note_id in (1, 2):  # a JSON object, a JSON array
            await open_note(pilot, h, note_id)
            assert ('{"k": "[/]", "n": [1, 1]}' if note_id == 1 else '["[bold]x[/bold]", {"n": 2}]') in screen_text(app)
            if engine_name.startswith("postgresql"):  # an ARRAY (a list), shown as the JSON list it is edited as
                assert json.dumps([VALUES[note_id - 1][0], "x"], ensure_ascii=False) in screen_text(app)
            await press(pilot, "e", until=lambda: form_ready(app), what="the form")
            shows_nothing_raw(app)
            await press(pilot, "escape", until=lambda: detail_ready(app))
            await press(pilot, "escape", "escape", until=lambda: type(app.screen).__name__ == "ModelsScreen")
        table = await open_model(pilot, h.note)
        # f on such a cell: SQLite compares the JSON; PostgreSQL has no json = json, so its ARRAY
        column = "doc" if engine_name == "sqlite" else "tags"
        await to_column(pilot, table, column)
        title = app.screen.query_one("#list-title", Static)
        await press(pilot, "f", until=lambda: f"{column} = " in static_text(title) and list_total(app.screen) == 1,
                    what="the filter on an unhashable value")
        assert ('{"k": "[/]", "n": [1, 1]}' if column == "doc" else '["[/]", "x"]') in screen_text(app)
        shows_nothing_raw(app)


async def test_json_nested_too_deeply_typed_into_the_form_is_a_field_error(tmp_path: Path) -> None:
    h = next(database("sqlite", tmp_path))
    app = reflected(h.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_note(pilot, h, 1)
        await press(pilot, "e", until=lambda: form_ready(app), what="the form")
        form = app.screen
        doc = form.query_one(f"#{field_id('doc')}", TextArea)
        doc.focus()
        doc.select_all()
        doc.post_message(events.Paste("[" * 1200 + "]" * 1200))
        await settle(pilot, lambda: doc.text.startswith("[["))
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the error")
        assert field_errors(form) == {"doc": "Invalid JSON: nested too deeply"}
        assert "Invalid JSON: nested too deeply" in screen_text(app)
        assert app.is_running and app.screen is form
    stored = query_db(h.read_url, f'SELECT doc FROM "{h.note}" WHERE id = 1')[0][0]
    assert json.loads(stored) == {"k": "[/]", "n": [1, 1]}


# -- widths in terminal cells ------------------------------------------------------------------------


def test_fit_measures_and_cuts_in_terminal_cells() -> None:
    assert fit("名前", 6) == "名前  "
    assert fit("名前名前", 5) == "名前…"  # 4 cells of text, then the ellipsis
    assert fit("a名前", 3) == "a …"  # 名 would straddle the cut: a space stands in for it
    assert all(cell_len(fit(text, w)) == w for text in WIDE for w in (1, 2, 3, 7, 40))


async def test_cjk_and_emoji_cells_keep_the_columns_aligned(tmp_path: Path) -> None:
    app = reflected(next(database("sqlite", tmp_path)).url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        await open_model(pilot, "wide")
        lines = screen_lines(app)
        header = lines[2]
        where = cells_before(header, " n ") + 1
        for i, text in enumerate(WIDE, 1):
            line = row_of(lines, str(i))
            assert cell_len(line) == SIZE[0]
            number = line.rstrip().rsplit(" ", 1)[1]
            assert number == str(i) and cell_len(line.rstrip()) - cell_len(number) == where, (
                f"row {i}: the n column starts at cell {cell_len(line.rstrip()) - cell_len(number)}, not {where}")
            shown = visible(text)
            assert (shown if cell_len(shown) <= 40 else fit(shown, 40)) in line
        assert "…" in row_of(lines, "4") and "…" in row_of(lines, "5")
