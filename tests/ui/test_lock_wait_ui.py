"""A save that waits for another transaction's lock says so, and `escape` stops it, writing
nothing; the lock timeout ends the wait with its message. The lock is real: another connection
holds `SELECT … FOR UPDATE` on the hero (PostgreSQL, through asyncpg in the app) or an open write
transaction (`BEGIN IMMEDIATE`, SQLite). The form, the links editor and the delete all save
through it.

Nothing here measures time: the app's lock timeout is either longer than the test waits for
anything (the wait can only end by `escape`) or short (the wait can only end by the timeout)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.ui.conftest import app_url
from tests.ui.helpers import (
    SIZE,
    TITLE,
    clear_input,
    column_values,
    cursor_values,
    dump,
    form_ready,
    open_model,
    press,
    query_db,
    settle,
    start,
    static_text,
)
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.waiting import WaitingScreen

LONG = 600.0  # seconds: longer than any test here waits, so only escape ends the wait
SHORT = 0.5


@contextmanager
def lock_held(url: str) -> Iterator[None]:
    """Another transaction locks hero 1 (SQLite: the whole database) until the block ends."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(parsed.database or "", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT id FROM hero WHERE id = 1 FOR UPDATE")
            yield
            conn.rollback()
    finally:
        engine.dispose()


def waiting_on_the_server(url: str) -> int:
    """PostgreSQL statements of the test database waiting for a lock (SQLite shows none)."""
    if sa.make_url(url).get_backend_name() == "sqlite":
        return 0
    return query_db(url, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         "AND datname = current_database()")[0][0]


async def until(pilot: Pilot[Any], predicate: Callable[[], bool], what: str) -> None:
    """Let the app run (without awaiting its workers: the save is blocked) until `predicate`."""
    for _ in range(1000):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never saw: {what}; screen: {type(pilot.app.screen).__name__}")


def waiting_message(app: AdminApp) -> str:
    return static_text(app.screen.query_one("#waiting-message", Static))


def make(demo_db: str, demo_registry: Registry, lock_timeout: float) -> AdminApp:
    return AdminApp(app_url(demo_db), demo_registry, lock_timeout=lock_timeout, title=TITLE)


async def edit_deadpond_age(pilot: Pilot[Any], age: str) -> FormScreen:
    """Hero list → `e` on Deadpond (#1) → age typed in; not saved yet."""
    app = pilot.app
    await start(pilot)
    table = await open_model(pilot, "Hero")
    assert cursor_values(table)[1] == "Deadpond"
    await press(pilot, "e", until=lambda: form_ready(app), what="Deadpond's edit form")
    form = app.screen
    assert isinstance(form, FormScreen)
    field = form.query_one("#field-age", Input)
    while app.focused is not field:
        await press(pilot, "tab")
    await clear_input(pilot, field)
    await pilot.press(*age)
    return form


def form_error(form: FormScreen) -> str:
    return static_text(form.query_one("#form-error", Static))


async def test_a_form_save_waiting_for_a_lock_says_so_and_escape_stops_it(
    demo_db: str, demo_registry: Registry
) -> None:
    before = dump(demo_db)
    app = make(demo_db, demo_registry, LONG)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_deadpond_age(pilot, "77")
        with lock_held(demo_db):
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen), "the waiting notice")
            assert "still waiting for the database" in waiting_message(app)
            assert "holds a lock" in waiting_message(app)
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is form and bool(form_error(form)), "the form, stopped")
            assert form_error(form) == "Saving: stopped while waiting; nothing was written"
            assert waiting_on_the_server(demo_db) == 0  # the statement was stopped, not left waiting
        assert dump(demo_db) == before
        # the lock gone, the same form saves
        await press(pilot, "ctrl+s", until=lambda: app.screen is not form, what="the saved record")
    assert query_db(demo_db, "SELECT age FROM hero WHERE id = 1") == [(77,)]


async def test_a_form_save_gives_up_at_the_lock_timeout_and_says_why(demo_db: str, demo_registry: Registry) -> None:
    before = dump(demo_db)
    app = make(demo_db, demo_registry, SHORT)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_deadpond_age(pilot, "77")
        with lock_held(demo_db):
            await press(pilot, "ctrl+s", until=lambda: app.screen is form and bool(form_error(form)),
                        what="the lock timeout's message")
        where = "the database" if sa.make_url(demo_db).get_backend_name() == "sqlite" else "hero"
        assert form_error(form) == f"Another transaction holds a lock on {where}: nothing was written (waited 0.5 s)"
        assert form.query_one("#field-age", Input).value == "77"  # the input is kept
    assert dump(demo_db) == before


async def test_a_links_save_waiting_for_a_lock_says_so_and_escape_stops_it(
    demo_db: str, demo_registry: Registry
) -> None:
    before = dump(demo_db)
    app = make(demo_db, demo_registry, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        await press(pilot, "enter", until=lambda: app.screen.query("#fields"), what="Deadpond's detail")
        fields = app.screen.query_one("#fields")
        target = fields.get_row_index("rel:teams")
        await press(pilot, *["down"] * (target - fields.cursor_row), until=lambda: fields.cursor_row == target)
        await press(pilot, "l", until=lambda: isinstance(app.screen, LinksScreen), what="the links editor")
        links = app.screen
        # a new link to the first candidate: its insert checks hero 1, which the other transaction holds
        await press(pilot, "slash", until=lambda: isinstance(app.focused, Input))
        await press(pilot, "enter", until=lambda: app.focused is links.query_one("#candidates"))
        await press(pilot, "enter", until=lambda: links.is_dirty, what="a link added")
        with lock_held(demo_db):
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen), "the waiting notice")
            assert waiting_message(app).startswith("Saving the links: still waiting for the database.")
            await pilot.press("escape")
            error = links.query_one("#links-error", Static)
            await settle(pilot, lambda: app.screen is links and not error.has_class("hidden"), "the links, stopped")
            assert static_text(error) == "Saving the links: stopped while waiting; nothing was written"
            assert links.is_dirty  # the pending change is kept
            assert waiting_on_the_server(demo_db) == 0
        assert dump(demo_db) == before
    del table


@pytest.mark.parametrize(("marks", "what", "kept"), [
    (0, "Hero “Deadpond”", {"Deadpond"}),
    (2, "2 Hero rows", {"Deadpond", "Spider-Boy"}),  # marked rows: the bulk delete
])
async def test_a_delete_waiting_for_a_lock_says_so_and_escape_stops_it(
    demo_db: str, demo_registry: Registry, marks: int, what: str, kept: set[str]
) -> None:
    before = dump(demo_db)
    app = make(demo_db, demo_registry, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        if marks:
            await press(pilot, *["space"] * marks, until=lambda: len(app.screen.marks) == marks, what="the marks")
        await press(pilot, "d", until=lambda: isinstance(app.screen, ConfirmScreen), what="the dialog")
        with lock_held(demo_db):
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen), "the waiting notice")
            assert waiting_message(app).startswith(f"Deleting {what}: still waiting for the database.")
            await pilot.press("escape")
            stopped = f"Deleting {what}: stopped while waiting; nothing was written"
            await until(pilot, lambda: stopped in [n.message for n in app._notifications], "the notice")
            await settle(pilot, lambda: isinstance(app.screen, ListScreen), "the list again")
            assert waiting_on_the_server(demo_db) == 0
        assert kept <= set(column_values(table, "name"))
    assert dump(demo_db) == before
