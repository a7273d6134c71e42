"""Bulk delete from the list: `d` with marks asks with the plan aggregated over the marked rows,
then deletes them (their link rows too) in one transaction; all matching a filter the same way;
a blocked one names its blockers and deletes nothing."""

from __future__ import annotations

from typing import Any

from tests.ui.helpers import open_model, press, scalar, start
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.list import ListScreen


def question(app: Any) -> str:
    screen = app.screen
    assert isinstance(screen, ConfirmScreen), f"expected the confirmation dialog, not {screen!r}"
    return screen.question


async def test_marked_heroes_are_deleted_after_reading_the_plan(demo_app: AdminApp, demo_db: str) -> None:
    links = scalar(demo_db, "SELECT count(*) FROM heroteamlink WHERE hero_id IN (1, 2)")
    async with demo_app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "space", "space", until=lambda: len(demo_app.screen.marks) == 2)
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        asked = question(demo_app)
        assert asked.startswith("Delete 2 Hero rows?")
        assert links > 1 and f"also removes their {links} link rows in heroteamlink" in asked
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen)
                    and scalar(demo_db, "SELECT count(*) FROM hero") == 13, what="the heroes deleted")
        assert scalar(demo_db, "SELECT count(*) FROM hero WHERE id IN (1, 2)") == 0
        assert scalar(demo_db, "SELECT count(*) FROM heroteamlink WHERE hero_id IN (1, 2)") == 0
        assert demo_app.screen.marks == {}


async def test_a_blocked_bulk_delete_names_the_blockers_and_deletes_nothing(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        await open_model(pilot, "Team")
        await press(pilot, "ctrl+a", until=lambda: demo_app.screen.all_marked is not None, what="all marked")
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        asked = question(demo_app)
        assert asked.startswith("5 Team rows cannot be deleted:")
        assert "hero rows refer to them (hero.team_id)" in asked
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        assert scalar(demo_db, "SELECT count(*) FROM team") == 5
