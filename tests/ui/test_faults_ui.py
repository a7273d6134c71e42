"""A save whose connection dies at COMMIT, through the form: the user is told whether it was saved.
The app's own connection is terminated by the server (see tests/core/test_faults.py, whose
helpers inject the fault); the form stays with its input when the change was NOT saved, and closes
on the saved record when the COMMIT had landed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, Static

from tests.core.test_faults import Connections, checked_whether_it_landed, cut_at_commit
from tests.ui.helpers import (
    SIZE,
    clear_input,
    detail_fields,
    detail_ready,
    form_ready,
    open_model,
    press,
    query_db,
    start,
    static_text,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen

pytestmark = pytest.mark.parametrize("engine_name", ["postgresql+asyncpg", "mysql+pymysql"])

HERO_1 = "SELECT name, age FROM hero WHERE id = 1"


async def edit_deadpond_name(pilot, app: AdminApp, name: str) -> FormScreen:  # type: ignore[no-untyped-def]
    await start(pilot)
    await open_model(pilot, "Hero")
    await press(pilot, "e", until=lambda: form_ready(app), what="Deadpond's edit form")
    form = app.screen
    assert isinstance(form, FormScreen)
    field = form.query_one("#field-name", Input)
    await clear_input(pilot, field)
    await pilot.press(*name)
    return form


@pytest.mark.parametrize("committed", [False, True], ids=["not-saved", "saved"])
async def test_save_cut_off_at_commit_tells_the_user_which(
    make_app: Callable[..., AdminApp], demo_url: str, db_urls: tuple[str, str], committed: bool
) -> None:
    check_url = db_urls[0]
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_deadpond_name(pilot, app, "Deadpond Lost")
        assert app.store is not None
        connections = Connections(app.store, check_url)
        try:
            fired = cut_at_commit(app.store, connections, committed=committed)
            error = form.query_one("#form-error", Static)
            if not committed:
                await press(pilot, "ctrl+s", until=lambda: bool(static_text(error)), what="the form's message")
                assert fired
                assert app.screen is form
                assert "NOT saved" in static_text(error) and not error.has_class("hidden")
                assert form.query_one("#field-name", Input).value == "Deadpond Lost"
                assert query_db(check_url, HERO_1) == [("Deadpond", None)]
                # Saving again, on a fresh connection, lands.
            await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the saved hero's detail")
            assert fired
            assert checked_whether_it_landed(app.store)  # the COMMIT was cut off, then checked
            assert detail_fields(app)["name"] == "Deadpond Lost"
            assert any(n.message == "Saved Hero #1" for n in app._notifications)
            assert len(connections.terminated) == 1
        finally:
            connections.dispose()
    assert query_db(check_url, HERO_1) == [("Deadpond Lost", None)]
