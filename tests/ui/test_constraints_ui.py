"""Constraint violations that only the database can see, through the form, on every engine: the
error appears beside its field (or as a clear message), the transaction is rolled back (nothing
written), the form keeps what was typed, and a corrected save then lands.

- a foreign key to a team deleted from outside after it was picked;
- UNIQUE and CHECK constraints the model's schema knows nothing about;
- a value too long for a column whose length only the database enforces (PostgreSQL, and MariaDB
  in strict mode; SQLite does not enforce VARCHAR lengths)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.ui.helpers import (
    SIZE,
    TITLE,
    clear_input,
    detail_fields,
    detail_ready,
    field_errors,
    form_ready,
    open_model,
    press,
    query_db,
    start,
    table_rows,
)
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.picker import PickerScreen
from tui_admin.ui.widgets.fields import field_value
from tui_admin.ui.widgets.picker import ForeignKeyField

_REGISTRY = registry()


class _Base(SQLModel, registry=_REGISTRY):
    pass


class Gadget(_Base, table=True):
    """UNIQUE code, CHECK on price, and a label whose length (10) only the column knows: the
    pydantic field has no max_length, so the form's schema lets a longer one through."""

    __tablename__ = "ui_test_gadget"
    __table_args__ = (sa.CheckConstraint("price >= 0", name="ui_test_gadget_price_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    price: int = 0
    label: str | None = Field(default=None, sa_column=sa.Column("label", sa.String(10), nullable=True))


def execute(url: str, *statements: str) -> None:
    """Someone else's writes, outside the app."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.fixture
def gadget_url(db_urls: tuple[str, str]) -> Iterator[str]:
    """The gadget table holding one gadget (code G-1), dropped afterwards."""
    setup, url = db_urls
    engine = sa.create_engine(setup)
    try:
        _REGISTRY.metadata.drop_all(engine)
        _REGISTRY.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO ui_test_gadget (code, price) VALUES ('G-1', 10)")
        yield url
    finally:
        _REGISTRY.metadata.drop_all(engine)
        engine.dispose()


def values(form: FormScreen) -> dict[str, Any]:
    """What the form's fields hold, as the form reads them on save."""
    return {c.name: field_value(form.query_one(f"#field-{c.name}")) for c in form.columns}


async def new_record_form(pilot: Pilot[Any], model: str) -> FormScreen:
    app = pilot.app
    await start(pilot)
    await open_model(pilot, model)
    await press(pilot, "n", until=lambda: form_ready(app), what=f"the new {model} form")
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def save_expecting_errors(pilot: Pilot[Any], form: FormScreen) -> dict[str, str]:
    await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the errors beside the fields")
    assert pilot.app.screen is form, "a refused save keeps the form open"
    return field_errors(form)


async def retype(pilot: Pilot[Any], form: FormScreen, field: str, text: str) -> None:
    widget = form.query_one(f"#field-{field}", Input)
    for _ in range(len(form.columns)):
        if pilot.app.focused is widget:
            break
        await press(pilot, "tab")
    await clear_input(pilot, widget)
    await pilot.press(*text)


def picker_rows(app: Any) -> list[str]:
    return [r[0] for r in table_rows(app.screen.query_one("#picker-results", DataTable))]


async def pick_team(pilot: Pilot[Any], form: FormScreen, search: str, label: str) -> None:
    """On the focused team field: enter, type to search, choose the one result."""
    app = pilot.app
    field = form.query_one("#field-team_id", ForeignKeyField)
    assert app.focused is field
    await press(pilot, "enter", until=lambda: isinstance(app.screen, PickerScreen), what="the picker")
    await pilot.press(*search)
    await press(pilot, "enter", until=lambda: picker_rows(app) == ["(none)", label], what=f"only {label} found")
    await press(pilot, "down", "enter", until=lambda: app.screen is form, what="the form again")
    assert field.record_label == label


async def test_team_deleted_after_it_was_picked_is_a_field_error(
    make_app: Any, demo_url: str, db_urls: tuple[str, str]
) -> None:
    check_url = db_urls[0]
    execute(check_url, "INSERT INTO team (name, headquarters) VALUES ('Pop-up', 'Tent')")
    (popup,) = query_db(check_url, "SELECT id FROM team WHERE name = 'Pop-up'")[0]
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_record_form(pilot, "Hero")
        await pilot.press(*"Nova", "tab", *"Nora Vale", "tab", *"27", "tab")
        await pick_team(pilot, form, "pop", "Pop-up")
        typed = values(form)
        assert typed == {"name": "Nova", "secret_name": "Nora Vale", "age": "27", "team_id": popup}

        execute(check_url, f"DELETE FROM team WHERE id = {popup}")  # meanwhile, someone deletes the team
        errors = await save_expecting_errors(pilot, form)
        assert errors == {"team_id": "Refers to a record that does not exist"}
        assert values(form) == typed, "the form keeps the input"
        assert app.focused is form.query_one("#field-team_id")
        assert query_db(check_url, "SELECT count(*) FROM hero") == [(15,)]
        assert query_db(check_url, "SELECT count(*) FROM hero WHERE name = 'Nova'") == [(0,)]

        # Another team, and the same form saves.
        await pick_team(pilot, form, "wak", "Wakaland")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the new hero's detail")
        assert detail_fields(app)["team_id"] == "Wakaland  → team #3"
    assert query_db(check_url, "SELECT name, secret_name, age, team_id FROM hero WHERE name = 'Nova'") == [
        ("Nova", "Nora Vale", 27, 3)
    ]


async def test_unique_and_check_violations_are_field_errors(gadget_url: str, db_urls: tuple[str, str]) -> None:
    check_url = db_urls[0]
    app = AdminApp(gadget_url, Registry([Gadget]), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_record_form(pilot, "Gadget")
        assert [c.name for c in form.columns] == ["code", "price", "label"]

        assert values(form) == {"code": "", "price": "0", "label": ""}  # the column's default
        await pilot.press(*"G-1")
        await retype(pilot, form, "price", "5")
        assert await save_expecting_errors(pilot, form) == {"code": "Already used by another record"}
        assert values(form) == {"code": "G-1", "price": "5", "label": ""}
        assert query_db(check_url, "SELECT code, price, label FROM ui_test_gadget") == [("G-1", 10, None)]

        await retype(pilot, form, "code", "G-2")
        await retype(pilot, form, "price", "-1")
        assert await save_expecting_errors(pilot, form) == {"price": "Not allowed by a CHECK constraint"}
        assert values(form) == {"code": "G-2", "price": "-1", "label": ""}
        assert query_db(check_url, "SELECT count(*) FROM ui_test_gadget") == [(1,)]

        await retype(pilot, form, "price", "3")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the new gadget's detail")
        assert detail_fields(app)["code"] == "G-2"
    assert query_db(check_url, "SELECT code, price FROM ui_test_gadget ORDER BY id") == [("G-1", 10), ("G-2", 3)]


async def test_value_too_long_for_the_column_is_a_field_error(
    gadget_url: str, db_urls: tuple[str, str], engine_name: str
) -> None:
    if engine_name.startswith("sqlite"):
        pytest.skip("SQLite does not enforce VARCHAR lengths: the value is stored as typed")
    check_url = db_urls[0]
    app = AdminApp(gadget_url, Registry([Gadget]), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_record_form(pilot, "Gadget")
        await pilot.press(*"G-3", "tab", "tab", *"eleven-char")
        assert await save_expecting_errors(pilot, form) == {"label": "Too long"}
        assert values(form) == {"code": "G-3", "price": "0", "label": "eleven-char"}
        assert query_db(check_url, "SELECT count(*) FROM ui_test_gadget") == [(1,)]

        await retype(pilot, form, "label", "ten-chars!")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the new gadget's detail")
    assert query_db(check_url, "SELECT code, price, label FROM ui_test_gadget WHERE code = 'G-3'") == [
        ("G-3", 0, "ten-chars!")
    ]
