"""Every zoo table through the real app with a Pilot, on SQLite, PostgreSQL (asyncpg) and MariaDB
(aiomysql): its list opens with its rows and count, its first row's detail opens, and its edit
form opens (or, on a read-only table, no write is offered) — with no worker failing, no error
shown and no crash. The links editor adds a link whose own columns the database defaults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.ui.helpers import SIZE, footer_actions, list_ready, list_total, press, start
from tests.zoo.catalogue import ZooTable
from tests.zoo.conftest import Zoo
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.widgets.record_table import RecordTable

UI_ENGINES = ["sqlite", "postgresql+asyncpg", "mysql+aiomysql"]
TITLE = "zoo"


def app_on(zoo: Zoo) -> AdminApp:
    """The app on the zoo, with the reflected registry (the reflection itself is tested apart)."""
    return AdminApp(zoo.url, zoo.registry, title=TITLE)


def on(app: AdminApp, screen: type) -> bool:
    return isinstance(app.screen, screen)


def crashed(app: AdminApp) -> BaseException | None:
    """The exception that stopped the app, if one did (Textual keeps it to raise at the end)."""
    return getattr(app, "_exception", None)


async def reach(pilot: Pilot[Any], *keys: str, until: Callable[[], bool], what: str) -> None:
    """Press keys and wait for a state, failing at once (not after the wait's bound) if the app
    crashed meanwhile."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await press(pilot, *keys, until=lambda: until() or crashed(app) is not None, what=what)
    if crashed(app) is not None:
        raise AssertionError(f"the app crashed on the way to {what}: {crashed(app)!r}") from crashed(app)


async def open_list(pilot: Pilot[Any], name: str) -> ListScreen:
    """From the models screen: the cursor on the model, enter; the list with its rows and count."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    models = app.screen.query_one("#models", DataTable)
    models.move_cursor(row=models.get_row_index(name), animate=False)
    await reach(pilot, "enter", until=lambda: list_ready(app), what=f"the {name} list")
    assert isinstance(app.screen, ListScreen)
    return app.screen


@pytest.mark.zoo(engines=UI_ENGINES)
async def test_the_list_a_detail_and_the_forms_of_every_zoo_table_open(zoo: Zoo, zoo_table: ZooTable) -> None:
    name = zoo.admin(zoo_table).info.name
    app = app_on(zoo)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        listing = await open_list(pilot, name)
        assert list_total(listing) == zoo.raw.count(zoo_table)
        await reach(pilot, "enter", until=lambda: on(app, DetailScreen), what=f"the detail of a {name} row")
        detail = app.screen
        if zoo_table.writable:
            await reach(pilot, "e", until=lambda: on(app, FormScreen), what=f"the edit form of a {name} row")
            await reach(pilot, "escape", until=lambda: app.screen is detail, what="the detail again")
        else:
            assert {"edit", "delete"} & set(footer_actions(detail)) == set()
            assert {"new", "edit", "delete"} & set(footer_actions(listing)) == set()


@pytest.mark.zoo(engines=UI_ENGINES)
async def test_a_link_added_in_the_links_editor_gets_the_database_defaults_of_its_own_columns(zoo: Zoo) -> None:
    """zoo_membership's qty (DEFAULT 1) and added_at (DEFAULT CURRENT_TIMESTAMP) are NOT NULL:
    a link added from a club's links editor leaves them to the database and saves."""
    membership, raw = zoo.table("zoo_membership"), zoo.raw
    club = zoo.admin(zoo.table("zoo_club")).info.name
    app = app_on(zoo)
    with raw.kept(membership):
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            records = (await open_list(pilot, club)).query_one(RecordTable)
            await reach(pilot, "down", "down", until=lambda: records.cursor_row == 2, what="Bridge (id 3)")
            await reach(pilot, "enter", until=lambda: on(app, DetailScreen), what="the detail of Bridge")
            await reach(pilot, "l", until=lambda: on(app, LinksScreen), what="the links editor")
            screen = app.screen
            assert isinstance(screen, LinksScreen)
            candidates = screen.query_one("#candidates", DataTable)
            await reach(pilot, until=lambda: candidates.row_count > 0, what="the candidates")
            await reach(pilot, "slash", until=lambda: screen.focused is screen.query_one("#candidate-search", Input),
                        what="the candidate search")
            await reach(pilot, "enter", until=lambda: screen.focused is candidates, what="the candidates focused")
            await reach(pilot, "enter", until=lambda: screen.is_dirty, what="a link added")
            error = screen.query_one("#links-error", Static)
            await reach(pilot, "ctrl+s", until=lambda: not screen.is_dirty or not error.has_class("hidden"),
                        what="the links saved or refused")
            assert error.has_class("hidden"), str(error.visual)
        added: list[tuple[Any, ...]] = raw.rows(
            "SELECT actor_id, qty, added_at IS NOT NULL FROM zoo_membership WHERE club_id = 3 AND actor_id <> 4")
        assert [(qty, stamped) for _, qty, stamped in added] == [(1, True)]
