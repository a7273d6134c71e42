"""Two people edit the same hero at once: two `AdminApp` instances on one database, both running
(nested `run_test`), on SQLite and on PostgreSQL through asyncpg. The first save lands; the
second is refused with a dialog naming what changed, and nothing is overwritten. "Reload" keeps the
second person's edits on top of the new values and the next save lands; "Cancel" writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.ui.helpers import (
    SIZE,
    clear_input,
    cursor_values,
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
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.list import ListScreen

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite", "postgresql+asyncpg"])

HERO_1 = "SELECT name, secret_name, age, team_id FROM hero WHERE id = 1"


async def open_deadpond_form(pilot: Pilot[Any]) -> FormScreen:
    """Models → Hero list → `e` on the first row (Deadpond, #1): its edit form."""
    app = pilot.app
    await start(pilot)
    table = await open_model(pilot, "Hero")
    assert cursor_values(table)[1] == "Deadpond"
    await press(pilot, "e", until=lambda: form_ready(app), what="Deadpond's edit form")
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def focus(pilot: Pilot[Any], form: FormScreen, field: str) -> Input:
    widget = form.query_one(f"#field-{field}", Input)
    for _ in range(len(form.columns)):
        if pilot.app.focused is widget:
            break
        await press(pilot, "tab")
    assert pilot.app.focused is widget, f"the focus should be on {field}"
    return widget


async def type_into(pilot: Pilot[Any], form: FormScreen, field: str, text: str) -> None:
    widget = await focus(pilot, form, field)
    await clear_input(pilot, widget)
    await pilot.press(*text)
    assert widget.value == text


def dialog_text(app: AdminApp) -> str:
    assert isinstance(app.screen, ConfirmScreen), f"expected the conflict dialog, not {app.screen!r}"
    return static_text(app.screen.query_one("#confirm-question", Static))


async def first_user_saves(pilot: Pilot[Any], form: FormScreen) -> None:
    """Deadpond → Deadpool, age ∅ → 30; saved, the detail shows it."""
    await type_into(pilot, form, "name", "Deadpool")
    await type_into(pilot, form, "age", "30")
    await press(pilot, "ctrl+s", until=lambda: detail_ready(pilot.app), what="the first user's saved detail")
    assert detail_fields(pilot.app)["name"] == "Deadpool"


async def second_user_saves_and_is_told(pilot: Pilot[Any], form: FormScreen, url: str) -> str:
    await type_into(pilot, form, "name", "Deadpond II")
    await press(pilot, "ctrl+s", until=lambda: isinstance(pilot.app.screen, ConfirmScreen),
                what="the conflict dialog")
    text = dialog_text(pilot.app)  # type: ignore[arg-type]
    assert "changed by someone else" in text
    assert "name: 'Deadpond' → 'Deadpool'" in text  # the field that changed, from what to what
    # every column that changed, not only the one the second user edited (issue 12)
    assert "age: ∅ → 30" in text.split("Changed meanwhile:")[1]
    assert "Reload" in text and "keeping your edits" in text
    assert pilot.app.screen.query_one("#confirm-yes").label.plain == "Reload (y)"  # type: ignore[attr-defined]
    assert pilot.app.screen.query_one("#confirm-no").label.plain == "Cancel (n)"  # type: ignore[attr-defined]
    # Refused: the database still holds exactly the first user's save.
    assert query_db(url, HERO_1) == [("Deadpool", "Dive Wilson", 30, 2)]
    return text


async def test_second_save_is_refused_and_reload_keeps_my_edits(
    make_app: Callable[..., AdminApp], demo_url: str, db_urls: tuple[str, str]
) -> None:
    check_url = db_urls[0]
    first, second = make_app(demo_url), make_app(demo_url)
    async with first.run_test(size=SIZE) as p1, second.run_test(size=SIZE) as p2:
        form1 = await open_deadpond_form(p1)
        form2 = await open_deadpond_form(p2)
        await first_user_saves(p1, form1)
        assert query_db(check_url, HERO_1) == [("Deadpool", "Dive Wilson", 30, 2)]

        await second_user_saves_and_is_told(p2, form2, check_url)

        # y: Reload. My edit (name) stays; the field I did not touch (age) takes the new value.
        await press(p2, "y", until=lambda: second.screen is form2
                    and form2.query_one("#field-age", Input).value == "30", what="the reloaded form")
        assert form2.query_one("#field-name", Input).value == "Deadpond II"
        assert form2.query_one("#field-secret_name", Input).value == "Dive Wilson"
        assert form2.query_one("#field-team_id").value == 2  # type: ignore[attr-defined]
        assert query_db(check_url, HERO_1) == [("Deadpool", "Dive Wilson", 30, 2)]  # reload wrote nothing
        assert static_text(form2.query_one("#form-title", Static)) == "Edit Hero · Deadpool"  # as it is now

        # ctrl+s again: it lands, on top of the first user's age.
        await press(p2, "ctrl+s", until=lambda: detail_ready(second), what="the second user's saved detail")
        assert detail_fields(second)["name"] == "Deadpond II"
        assert detail_fields(second)["age"] == "30"
    assert query_db(check_url, HERO_1) == [("Deadpond II", "Dive Wilson", 30, 2)]


async def test_second_save_is_refused_and_cancel_writes_nothing(
    make_app: Callable[..., AdminApp], demo_url: str, db_urls: tuple[str, str]
) -> None:
    check_url = db_urls[0]
    first, second = make_app(demo_url), make_app(demo_url)
    async with first.run_test(size=SIZE) as p1, second.run_test(size=SIZE) as p2:
        form1 = await open_deadpond_form(p1)
        form2 = await open_deadpond_form(p2)
        await first_user_saves(p1, form1)
        await second_user_saves_and_is_told(p2, form2, check_url)

        # n: Cancel. Back on my form, my input kept, the conflict still shown, nothing written.
        await press(p2, "n", until=lambda: second.screen is form2, what="the form again")
        assert form2.query_one("#field-name", Input).value == "Deadpond II"
        assert form2.query_one("#field-age", Input).value == ""  # not reloaded
        error = form2.query_one("#form-error", Static)
        assert "changed by someone else" in static_text(error) and not error.has_class("hidden")
        assert query_db(check_url, HERO_1) == [("Deadpool", "Dive Wilson", 30, 2)]

        # Leaving the form (discarding my edit) writes nothing either.
        await press(p2, "escape", until=lambda: isinstance(second.screen, ConfirmScreen), what="discard?")
        await press(p2, "y", until=lambda: isinstance(second.screen, ListScreen), what="the list")
    assert query_db(check_url, HERO_1) == [("Deadpool", "Dive Wilson", 30, 2)]
