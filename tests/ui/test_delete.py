"""Delete asks first, naming the record and what goes with it; a record others refer to is kept."""

from __future__ import annotations

from textual.widgets import Button, Static

from tests.ui.helpers import (
    SIZE,
    column_values,
    cursor_values,
    detail_ready,
    dump,
    open_model,
    press,
    query_db,
    scalar,
    start,
    static_text,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.list import ListScreen


def dialog_text(app: AdminApp) -> str:
    assert isinstance(app.screen, ConfirmScreen), f"expected the confirmation dialog, not {app.screen!r}"
    return static_text(app.screen.query_one("#confirm-question", Static))


async def test_delete_hero_asks_then_removes_it_and_its_links(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        assert cursor_values(table)[1] == "Deadpond"

        # d: the dialog names the hero and its two link rows; n keeps it
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        text = dialog_text(demo_app)
        assert "Delete Hero “Deadpond”?" in text
        assert "2 link rows in heroteamlink" in text
        assert demo_app.screen.query_one("#confirm-yes", Button)
        await press(pilot, "n", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list again")
        assert dump(demo_db) == before
        assert "Deadpond" in column_values(table, "name")

        # d, y: gone, with its links, and the list no longer shows it
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen)
                    and "Deadpond" not in column_values(table, "name"), what="the list without Deadpond")
        assert len(column_values(table, "name")) == 14
        assert cursor_values(table)[1] == "Spider-Boy"
        assert static_text(demo_app.screen.query_one("#list-title")).startswith("Hero · 14 rows")

    assert query_db(demo_db, "SELECT id FROM hero WHERE id = 1") == []
    assert scalar(demo_db, "SELECT count(*) FROM heroteamlink WHERE hero_id = 1") == 0
    after = dump(demo_db)
    assert after["hero"] == [r for r in before["hero"] if r[4] != 1]
    assert after["heroteamlink"] == [r for r in before["heroteamlink"] if r[1] != 1]
    assert after["team"] == before["team"]


async def test_delete_from_the_detail_returns_to_the_list(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        await press(pilot, "end", until=lambda: cursor_values(table)[1] == "Quantum Quill")
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="the detail")
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        assert "Delete Hero “Quantum Quill”?" in dialog_text(demo_app)
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen)
                    and "Quantum Quill" not in column_values(table, "name"), what="the list without the hero")
    assert scalar(demo_db, "SELECT count(*) FROM hero WHERE id = 15") == 0
    assert scalar(demo_db, "SELECT count(*) FROM heroteamlink WHERE hero_id = 15") == 0


async def test_a_team_that_heroes_refer_to_cannot_be_deleted(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Team")
        assert cursor_values(table)[1] == "Preventers"
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        text = dialog_text(demo_app)
        assert "Team “Preventers” cannot be deleted" in text
        assert "4 hero rows refer to it (hero.team_id)" in text
        # no way to confirm: only a close button, and y does not delete either
        assert not demo_app.screen.query("#confirm-yes")
        assert "Close" in str(demo_app.screen.query_one("#confirm-no", Button).label)
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list again")
        assert "Preventers" in column_values(table, "name")
        # and escape closes it as well
        await press(pilot, "d", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the dialog")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list again")
        assert len(column_values(table, "name")) == 5
    assert dump(demo_db) == before
