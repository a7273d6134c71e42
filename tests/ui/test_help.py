"""The help panel (`f1`): the screen's own tips above its keys (the search syntax on a list), and
`escape` closes the panel rather than leaving the screen under it."""

from __future__ import annotations

from textual.widgets import HelpPanel

from tests.ui.helpers import SIZE, form_ready, open_model, press, screen_text, start
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.models import ModelsScreen


def help_open(app: AdminApp) -> bool:
    return bool(app.screen.query(HelpPanel))


def panel_text(app: AdminApp) -> str:
    """The help panel's text (right of its border), its wrapped lines joined as one."""
    right = [line.split("▏", 1)[1] for line in screen_text(app).splitlines() if "▏" in line]
    return " ".join(" ".join(right).split())


async def test_f1_shows_the_search_syntax_and_escape_closes_only_the_panel(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        screen = demo_app.screen
        assert isinstance(screen, ListScreen)
        await press(pilot, "f1", until=lambda: help_open(demo_app), what="the help panel")
        shown = panel_text(demo_app)
        for tip in ("anywhere in the value, ignoring case", "=spider-boy", "the whole value", "^sp",
                    "starts with it"):
            assert tip in shown, f"the help panel lacks {tip!r}"
        await press(pilot, "escape", until=lambda: not help_open(demo_app), what="the panel closed")
        assert demo_app.screen is screen, "escape left the list instead of closing the help"
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ModelsScreen), what="the models")


async def test_escape_closes_the_help_over_a_form_and_keeps_the_form(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        await press(pilot, "n", until=lambda: form_ready(demo_app), what="the new hero form")
        form = demo_app.screen
        assert isinstance(form, FormScreen)
        await press(pilot, "f1", until=lambda: help_open(demo_app), what="the help panel")
        assert "ctrl+s saves" in panel_text(demo_app)  # the form's tips
        await press(pilot, "escape", until=lambda: not help_open(demo_app), what="the panel closed")
        assert demo_app.screen is form
