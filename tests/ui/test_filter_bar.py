"""The filter bar (`F`): a field of `ModelAdmin.filters`, an operator its kind offers, a value
(typed, the search picker for a foreign key, a preset for dates); the active filters as chips
that can be removed; shown in the title by label; combined with search, sort and `f`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tests.ui.helpers import SIZE, column_values, list_total, open_model, press, query_db, start, static_text
from tui_admin.core.introspect import column_info
from tui_admin.core.query import Filter
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.picker import PickerScreen
from tui_admin.ui.widgets.filter_bar import FilterBar, FilterChip, operators, parse


def title(app: AdminApp) -> str:
    return static_text(app.screen.query_one("#list-title", Static))


async def choose(pilot: Pilot[Any], select: Select[Any], value: str) -> None:
    """Pick `value` in a Select the way a person does: enter opens it, arrows, enter."""
    options = [v for _, v in select._options]
    await press(pilot, "enter")
    steps = options.index(value) - options.index(select.value)
    await press(pilot, *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter",
                until=lambda: select.value == value, what=f"{value!r} chosen")


async def test_a_range_filter_then_its_chip_removed(demo_app: AdminApp, demo_db: str) -> None:
    expected = [r[0] for r in query_db(demo_db, "SELECT name FROM hero WHERE age BETWEEN 30 AND 40 ORDER BY id")]
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        bar = screen.query_one(FilterBar)
        assert not bar.display, "no filters: no bar"
        assert bar.fields == ["age", "team_id"] or set(bar.fields) == {"age", "team_id"}
        await press(pilot, "right", "right", "right", until=lambda: table.cursor_column == 3)
        await press(pilot, "F", until=lambda: bar.display and bar.open)
        field, op = bar.query_one("#filter-field", Select), bar.query_one("#filter-op", Select)
        assert demo_app.focused is field and field.value == "age", "opened on the cursor's column"
        await press(pilot, "tab")
        assert [v for _, v in op._options] == ["=", "in", "range", "empty", "not empty"]
        await choose(pilot, op, "range")
        await press(pilot, "tab", *"30..40", "enter",
                    until=lambda: column_values(table, "name") == expected and list_total(screen) == len(expected),
                    what="the heroes aged 30 to 40")
        assert "age 30–40" in title(demo_app)
        chips = list(bar.query(FilterChip))
        assert [static_text(c).strip() for c in chips] == ["age 30–40 ✕"]

        # a bad value says why and changes nothing
        await press(pilot, *"abc..", "enter")
        assert "valid integer" in static_text(bar.query_one("#filter-error", Static))
        assert list_total(screen) == len(expected)

        await press(pilot, "escape", until=lambda: table.has_focus and not bar.open)
        assert bar.display, "the chips stay while a filter is active"
        chips[0].focus()
        await press(pilot, "delete", until=lambda: list_total(screen) == 15, what="the whole list again")
        assert "age" not in title(demo_app)
        assert not bar.display and not list(bar.query(FilterChip))

        # escape on the table closes an open filter row before it leaves the list
        await press(pilot, "F", until=lambda: bar.open)
        table.focus()
        await press(pilot, "escape", until=lambda: not bar.open)
        assert demo_app.screen is screen


async def test_a_foreign_key_through_the_picker_named_by_label_with_search_sort_and_f(
    demo_app: AdminApp, demo_db: str
) -> None:
    sql = "SELECT name FROM hero WHERE team_id = 1 AND (lower(name) LIKE '%a%' OR lower(secret_name) LIKE '%a%')"
    expected = sorted(r[0] for r in query_db(demo_db, sql))
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        bar = screen.query_one(FilterBar)
        await press(pilot, *["right"] * 4, until=lambda: table.cursor_column == 4)
        await press(pilot, "F", until=lambda: bar.open)
        assert bar.query_one("#filter-field", Select).value == "team_id"
        await press(pilot, "tab", "tab")
        assert demo_app.focused is bar.query_one("#filter-value", Input)
        await press(pilot, "enter", until=lambda: isinstance(demo_app.screen, PickerScreen))
        await pilot.press(*"preven")
        await press(pilot, "enter", until=lambda: [r[0] for r in _picker_rows(demo_app)] == ["(none)", "Preventers"])
        await press(pilot, "down", until=lambda: _picker_row(demo_app) == "Preventers")
        await press(pilot, "enter", until=lambda: demo_app.screen is screen and list_total(screen) is not None
                    and set(column_values(table, "team_id")) == {"Preventers"}, what="the Preventers")
        assert "team = Preventers" in title(demo_app)
        assert "team_id = 1" not in title(demo_app)
        assert screen.query_state.conditions == (Filter("team_id", "=", 1),)

        # with a search and a sort
        await press(pilot, "escape", "slash", *"a", "enter",
                    until=lambda: sorted(column_values(table, "name")) == expected, what="searched in the team")
        await press(pilot, "left", "left", "left", "s", until=lambda: "sorted by name" in title(demo_app))
        assert column_values(table, "name") == expected
        assert "team = Preventers" in title(demo_app) and "search “a”" in title(demo_app)

        # `f` on a cell still adds an equality, named by the label the page has
        await press(pilot, "right", "right", "f", until=lambda: "age = " in title(demo_app))
        assert len(list(bar.query(FilterChip))) == 2
        await press(pilot, "f", until=lambda: "age = " not in title(demo_app))
        assert len(list(bar.query(FilterChip))) == 1


def _picker_rows(app: AdminApp) -> list[list[str]]:
    from tests.ui.helpers import table_rows

    return table_rows(app.screen.query_one("#picker-results"))


def _picker_row(app: AdminApp) -> str:
    from tests.ui.helpers import cursor_values

    return cursor_values(app.screen.query_one("#picker-results"))[0]


def test_dates_offer_presets_and_values_parse_by_kind() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("born", sa.Date), sa.Column("seen", sa.DateTime), sa.Column("name", sa.String(20)))
    born, seen, name = (column_info(n, table.c[n]) for n in ("born", "seen", "name"))
    assert operators(born) == ["=", "in", "range", "today", "last 7 days", "this month", "empty", "not empty"]
    assert "today" not in operators(name) and "contains" in operators(name)
    now = dt.datetime(2026, 12, 1, 15, 30)
    week = parse(seen, "last 7 days", "", title="seen", now=now)
    assert week == Filter("seen", "range", (dt.datetime(2026, 11, 25), dt.datetime(2026, 12, 2), True))
    assert week.describe("seen") == "seen last 7 days"
    assert parse(born, "this month", "", now=now).value == (dt.date(2026, 12, 1), dt.date(2027, 1, 1), True)
    assert parse(born, "range", "2026-01-01..").value == (dt.date(2026, 1, 1), None)
    assert parse(name, "in", "a, b").value == ("a", "b")
    assert parse(name, "empty", "ignored") == Filter("name", "empty")
    for bad in ("2026-01-01", "..", "x..y"):
        try:
            parse(born, "range", bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} should be refused")
