"""Create forms validate on ctrl+s: errors beside their fields, the input kept, nothing written."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.ui.helpers import (
    SIZE,
    clear_input,
    detail_fields,
    detail_ready,
    field_errors,
    form_ready,
    open_model,
    press,
    query_db,
    scalar,
    start,
    static_text,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen


async def open_create_form(pilot, app: AdminApp) -> FormScreen:  # type: ignore[no-untyped-def]
    await start(pilot)
    await open_model(pilot, "Hero")
    await press(pilot, "n", until=lambda: form_ready(app), what="the create form")
    form = app.screen
    assert isinstance(form, FormScreen)
    assert static_text(form.query_one("#form-title")) == "New Hero"
    assert app.focused is form.query_one("#field-name")
    return form


async def test_create_with_a_bad_age_keeps_the_form_then_saves_once_fixed(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_create_form(pilot, demo_app)
        await pilot.press(*"Test Hero", "tab", *"Secret Identity", "tab", *"abc")
        age = form.query_one("#field-age", Input)
        assert demo_app.focused is age
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the validation errors")

        assert demo_app.screen is form, "an invalid form must stay open"
        shown = field_errors(form)
        assert list(shown) == ["age"]
        assert "integer" in shown["age"].lower()
        assert form.query_one("#form-error", Static).has_class("hidden")
        # what was typed is kept
        assert form.query_one("#field-name", Input).value == "Test Hero"
        assert form.query_one("#field-secret_name", Input).value == "Secret Identity"
        assert age.value == "abc"
        assert demo_app.focused is age, "the first field in error gets the focus"
        assert scalar(demo_db, "SELECT count(*) FROM hero") == 15

        # fix the age and save: the detail of the new hero
        await clear_input(pilot, age)
        await pilot.press(*"42")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(demo_app), what="the new hero's detail")
        shown_fields = detail_fields(demo_app)
        assert shown_fields["name"] == "Test Hero"
        assert shown_fields["secret_name"] == "Secret Identity"
        assert shown_fields["age"] == "42"
        assert shown_fields["team_id"] == "∅"  # NULL is ∅ on every screen
        new_id = int(shown_fields["id"])
        assert static_text(demo_app.screen.query_one("#detail-title")) == "Hero · Test Hero"

    assert query_db(demo_db, "SELECT id, name, secret_name, age, team_id FROM hero WHERE name = 'Test Hero'") == [
        (new_id, "Test Hero", "Secret Identity", 42, None)
    ]
    assert scalar(demo_db, "SELECT count(*) FROM hero") == 16


async def test_empty_required_fields_say_required(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_create_form(pilot, demo_app)
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the validation errors")
        assert demo_app.screen is form
        shown = field_errors(form)
        assert shown == {"name": "Required", "secret_name": "Required"}
        assert demo_app.focused is form.query_one("#field-name")
    assert scalar(demo_db, "SELECT count(*) FROM hero") == 15


async def test_a_name_longer_than_50_characters_is_refused(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_create_form(pilot, demo_app)
        await pilot.press(*("x" * 51), "tab", *"Secret")
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the validation errors")
        assert demo_app.screen is form
        shown = field_errors(form)
        assert list(shown) == ["name"]
        assert "50" in shown["name"]
        assert form.query_one("#field-name", Input).value == "x" * 51
        assert demo_app.focused is form.query_one("#field-name"), "the field in error gets the focus"
        # 50 characters are fine
        await pilot.press("end", "backspace")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(demo_app), what="the detail")
    saved = query_db(demo_db, "SELECT name, secret_name, age FROM hero WHERE id = 16")
    assert saved == [("x" * 50, "Secret", None)]


async def test_an_error_goes_when_its_field_changes_and_the_others_stay(demo_app: AdminApp, demo_db: str) -> None:
    """Errors are from the last save: fixing one field clears its own error at once (not at the
    next save); a field not touched keeps its error."""
    async with demo_app.run_test(size=SIZE) as pilot:
        form = await open_create_form(pilot, demo_app)
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the validation errors")
        assert field_errors(form) == {"name": "Required", "secret_name": "Required"}
        await press(pilot, "N", until=lambda: "name" not in field_errors(form), what="name's error gone")
        assert field_errors(form) == {"secret_name": "Required"}
        await press(pilot, "tab", *"S", until=lambda: not field_errors(form), what="every error gone")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(demo_app), what="the new hero's detail")
    assert scalar(demo_db, "SELECT count(*) FROM hero") == 16
