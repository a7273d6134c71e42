"""Marks: `space` marks a row (drawn with ●, counted in the title) and they survive paging;
`ctrl+a` marks all the rows the filters match (counted, not the window), again: unmarks all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel
from textual.widgets import Static

from tests.ui.helpers import SIZE, cursor_values, list_total, open_model, press, screen_lines, start, static_text
from tui_admin.core.query import Filter
from tui_admin.demo import models
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.list import WINDOW, ListScreen

HEROES = 1000


@pytest.fixture
def many_heroes(tmp_path: Path) -> str:
    """The demo schema with one team and 1,000 heroes: more than a window holds."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = sa.create_engine(url)
    SQLModel.metadata.create_all(engine, tables=[models.Team.__table__, models.Hero.__table__,
                                                 models.HeroTeamLink.__table__])
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Team.__table__), [{"id": 1, "name": "Legion", "headquarters": "Everywhere"}])
        conn.execute(sa.insert(models.Hero.__table__), [
            {"id": i, "name": f"Hero {i:04d}", "secret_name": f"Secret {i}", "age": i % 90, "team_id": 1}
            for i in range(1, HEROES + 1)])
    engine.dispose()
    return url


def title(app: Any) -> str:
    return static_text(app.screen.query_one("#list-title", Static))


async def test_marks_show_and_survive_paging(make_app: Any, many_heroes: str) -> None:
    assert HEROES > WINDOW
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = app.screen
        assert isinstance(screen, ListScreen)
        await press(pilot, "space", "space", until=lambda: table.cursor_row == 2)
        assert "2 marked" in title(app)
        marked_lines = [line for line in screen_lines(app) if line.startswith("●")]
        assert [line[1:].split()[0] for line in marked_lines] == ["1", "2"], "marked rows are drawn with ●"
        await press(pilot, "space", until=lambda: "3 marked" in title(app))
        await press(pilot, "up", "space", until=lambda: "2 marked" in title(app))  # again: unmarked

        await press(pilot, "end", until=lambda: cursor_values(table)[0] == str(HEROES), what="the last page")
        assert not screen.window.more_after and screen.window.more_before
        await press(pilot, "space", until=lambda: "3 marked" in title(app))
        await press(pilot, "home", until=lambda: cursor_values(table)[0] == "1", what="the first page again")
        assert [screen._row_marked(i) for i in range(4)] == [True, True, False, False]
        assert sorted(screen.marks) == [(1,), (2,), (HEROES,)]
        only = screen.marked_query()
        assert only is not None and only.keys is not None and sorted(only.keys) == [(1,), (2,), (HEROES,)]


async def test_mark_all_matching_marks_the_filtered_set_not_the_window(make_app: Any, many_heroes: str) -> None:
    app: AdminApp = make_app(many_heroes)
    expected = sum(1 for i in range(1, HEROES + 1) if 30 <= i % 90 <= 59)
    assert expected > WINDOW
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        screen = app.screen
        assert isinstance(screen, ListScreen)
        screen.add_filter(Filter("age", "range", (30, 59)))
        await press(pilot, until=lambda: list_total(screen) == expected, what="the filtered list")
        await press(pilot, "ctrl+a", until=lambda: f"all {expected:,} matching marked" in title(app))
        assert any(f"Marked all {expected:,} matching" in n.message for n in app._notifications)
        assert len(screen.window) < expected
        assert screen.marked_query() == screen.query_state, "the whole filtered set, by its query"
        assert all(line.startswith("●") for line in screen_lines(app)[4:10])
        # a changed filter is another set: the marks of the old one go
        screen.add_filter(Filter("age", "range", (30, 31)))
        await press(pilot, until=lambda: "matching marked" not in title(app))
        assert screen.marked_query() is None
        await press(pilot, "ctrl+a", until=lambda: "matching marked" in title(app))
        await press(pilot, "ctrl+a", until=lambda: "marked" not in title(app))
        assert screen.marked_query() is None
