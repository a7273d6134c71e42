"""A long list: the table holds a window of rows, never the table; pages load as the cursor moves."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel
from textual.widgets import DataTable

from tests.ui.helpers import SIZE, column_values, cursor_values, list_total, open_model, press, start
from tui_admin.demo import models
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.list import WINDOW

HEROES = 2000


@pytest.fixture
def many_heroes(tmp_path: Path) -> str:
    """The demo schema (from the models' metadata) with one team and 2,000 heroes."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = sa.create_engine(url)
    tables = [models.Team.__table__, models.Hero.__table__, models.HeroTeamLink.__table__]
    SQLModel.metadata.create_all(engine, tables=tables)
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Team.__table__), [{"id": 1, "name": "Legion", "headquarters": "Everywhere"}])
        conn.execute(
            sa.insert(models.Hero.__table__),
            [
                {"id": i, "name": name(i), "secret_name": f"Secret {i}", "age": i % 90, "team_id": 1}
                for i in range(1, HEROES + 1)
            ],
        )
    engine.dispose()
    return url


def name(i: int) -> str:
    return f"Hero {i:04d}"


def ids(table: DataTable[object]) -> list[int]:
    return [int(v) for v in column_values(table, "id")]


def assert_window(table: DataTable[object]) -> None:
    """The table holds a contiguous run of at most WINDOW heroes, in key order."""
    held = ids(table)
    assert 0 < len(held) <= WINDOW
    assert held == list(range(held[0], held[0] + len(held))), "the window has a gap or a duplicate"


def cursor_visible(table: DataTable[object]) -> bool:
    rows_on_screen = table.scrollable_content_region.height - table.header_height
    return table.scroll_y <= table.cursor_row < table.scroll_y + rows_on_screen


async def test_a_long_list_holds_a_window_and_jumps_to_both_ends(make_app, many_heroes: str) -> None:  # type: ignore[no-untyped-def]
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        assert list_total(app.screen) == HEROES
        assert_window(table)
        assert ids(table)[0] == 1
        assert table.row_count < HEROES

        await press(pilot, "end", until=lambda: cursor_values(table)[1] == name(HEROES), what="the last hero")
        assert_window(table)
        assert ids(table)[-1] == HEROES
        assert table.cursor_row == table.row_count - 1
        assert cursor_visible(table)

        await press(pilot, "home", until=lambda: cursor_values(table)[1] == name(1), what="the first hero")
        assert_window(table)
        assert table.cursor_row == 0
        assert cursor_visible(table)


def cursor_id(table: DataTable[object]) -> int:
    return int(cursor_values(table)[0])


async def test_moving_down_loads_the_next_pages(make_app, many_heroes: str) -> None:  # type: ignore[no-untyped-def]
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        first_page = ids(table)
        assert first_page[-1] < 101, "the first page should not already hold hero 101"
        # down, one row at a time, towards the end of the first page: the next page loads
        for _ in range(5):
            await press(pilot, *["down"] * 17)
        assert cursor_id(table) == 86
        assert name(101) in column_values(table, "name")
        assert table.row_count > len(first_page)
        assert_window(table)
        assert cursor_visible(table)


async def test_paging_far_down_and_back_keeps_a_window(make_app, many_heroes: str) -> None:  # type: ignore[no-untyped-def]
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        # far past the window: rows are dropped at the top, the cursor keeps moving forward
        while cursor_id(table) < 700:
            before = cursor_id(table)
            await press(pilot, "pagedown")
            assert cursor_id(table) > before, f"pagedown from hero {before} landed on {cursor_id(table)}"
            assert_window(table)
            assert cursor_visible(table)
        assert ids(table)[0] > 1
        # and back up: earlier pages load again above
        while cursor_id(table) > 1:
            before = cursor_id(table)
            await press(pilot, "pageup")
            assert cursor_id(table) < before, f"pageup from hero {before} landed on {cursor_id(table)}"
            assert_window(table)
            assert cursor_visible(table)
        assert ids(table)[0] == 1


async def test_pagedown_and_pageup_move_one_screen_across_the_window_edge(make_app, many_heroes: str) -> None:  # type: ignore[no-untyped-def]
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        await press(pilot, "pagedown")
        step = cursor_id(table) - 1
        assert step > 10
        while cursor_id(table) < 700:
            before = cursor_id(table)
            await press(pilot, "pagedown")
            assert cursor_id(table) == before + step, f"pagedown from hero {before} landed on {cursor_id(table)}"
        while cursor_id(table) > step:
            before = cursor_id(table)
            await press(pilot, "pageup")
            assert cursor_id(table) == before - step, f"pageup from hero {before} landed on {cursor_id(table)}"


async def test_a_sorted_long_list_pages_in_the_database_order(make_app, many_heroes: str) -> None:  # type: ignore[no-untyped-def]
    """Sorted by a nullable, repeating column (age, some NULL), paging down and back up shows the
    database's own order: every window is a contiguous run of `ORDER BY age, id`."""
    engine = sa.create_engine(many_heroes)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM hero WHERE id > 800"))  # still well over a window, and quicker
        conn.execute(sa.text("UPDATE hero SET age = NULL WHERE id % 7 = 0"))
        order = [r[0] for r in conn.execute(sa.text("SELECT id FROM hero ORDER BY age, id"))]
    engine.dispose()
    position = {hero: i for i, hero in enumerate(order)}

    def assert_slice(table: DataTable[object]) -> None:
        held = ids(table)
        assert 0 < len(held) <= WINDOW
        start_at = position[held[0]]
        assert held == order[start_at:start_at + len(held)], "the window is not a run of the database's order"

    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        await press(pilot, "right", "right", "right", until=lambda: table.cursor_column == 3)
        await press(pilot, "s", until=lambda: ids(table)[0] == order[0], what="sorted by age")
        seen = set(ids(table))
        while cursor_id(table) != order[-1]:
            before = position[cursor_id(table)]
            await press(pilot, "pagedown")
            assert position[cursor_id(table)] > before
            assert_slice(table)
            seen.update(ids(table))
        assert seen == set(order), "paging down skipped some heroes"
        await press(pilot, "home", until=lambda: cursor_id(table) == order[0], what="the first hero")
        assert_slice(table)
        await press(pilot, "end", until=lambda: cursor_id(table) == order[-1], what="the last hero")
        assert_slice(table)
        while cursor_id(table) != order[0]:
            before = position[cursor_id(table)]
            await press(pilot, "pageup")
            assert position[cursor_id(table)] < before
            assert_slice(table)
