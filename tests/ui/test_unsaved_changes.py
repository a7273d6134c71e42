"""Unsaved form input is never dropped silently: escape and ctrl+q ask first."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.ui.helpers import SIZE, dump, form_ready, open_model, press, start, static_text
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.list import ListScreen


async def open_edit_form(pilot, app: AdminApp) -> FormScreen:  # type: ignore[no-untyped-def]
    await start(pilot)
    await open_model(pilot, "Hero")
    await press(pilot, "e", until=lambda: form_ready(app), what="the edit form")
    assert isinstance(app.screen, FormScreen)
    return app.screen


def question(app: AdminApp) -> str:
    assert isinstance(app.screen, ConfirmScreen), f"expected a confirmation dialog, not {app.screen!r}"
    return static_text(app.screen.query_one("#confirm-question", Static))


async def test_escape_on_a_clean_form_closes_it_at_once(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_edit_form(pilot, demo_app)
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list")


async def test_escape_on_a_dirty_form_asks_before_discarding(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_edit_form(pilot, demo_app)
        name = form.query_one("#field-name", Input)
        await pilot.press(*" II")
        assert name.value == "Deadpond II"

        # escape asks; n keeps editing, with the input intact
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        assert question(demo_app) == "Discard your changes?"
        await press(pilot, "n", until=lambda: demo_app.screen is form, what="the form again")
        assert name.value == "Deadpond II"

        # escape, y: discarded, back on the list, nothing written
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        await press(pilot, "y", until=lambda: isinstance(demo_app.screen, ListScreen), what="the list")
    assert dump(demo_db) == before


async def test_ctrl_q_on_a_clean_form_quits_at_once(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_edit_form(pilot, demo_app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert demo_app.return_code == 0
        assert not isinstance(demo_app.screen, ConfirmScreen)


async def test_ctrl_q_on_a_dirty_form_asks_before_quitting(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_edit_form(pilot, demo_app)
        await pilot.press(*" II")

        await press(pilot, "ctrl+q", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        assert question(demo_app) == "You have unsaved changes. Quit anyway?"
        await press(pilot, "n", until=lambda: demo_app.screen is form, what="the form again")
        assert demo_app.return_code is None, "n must not quit"
        assert form.query_one("#field-name", Input).value == "Deadpond II"

        await press(pilot, "ctrl+q", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await pilot.pause()
        assert demo_app.return_code == 0
    assert dump(demo_db) == before
