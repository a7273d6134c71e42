"""A database opened without models, as a person sees it: a view and a keyless table are listed
read-only with the reason (models screen, list and detail titles) and offer no new/edit/delete/
links; a link added from the links editor leaves its server-default columns to the database; and
(§9) a create form whose schema lacks a required column asks for it and says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.conftest import POSTGRES_ENV, _server_url, _with_driver
from tests.core.test_schemas_incomplete import _REGISTRY, Rf9Item, Rf9Owner
from tests.ui.conftest import UI_ENGINES, app_url
from tests.ui.helpers import (
    SIZE,
    TITLE,
    column_values,
    detail_fields,
    detail_ready,
    execute_db,
    footer_actions,
    form_ready,
    open_model,
    press,
    query_db,
    settle,
    start,
    static_text,
    table_rows,
)
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.models import ModelsScreen
from tui_admin.ui.screens.picker import PickerScreen
from tui_admin.ui.widgets.picker import ForeignKeyField

WRITES = {"new", "edit", "delete", "links"}
CREATE = [
    "CREATE TABLE rfu_item (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
    "CREATE TABLE rfu_tag (id INTEGER PRIMARY KEY, name VARCHAR(20))",
    "CREATE TABLE rfu_item_tag (item_id INTEGER NOT NULL REFERENCES rfu_item (id), "
    "tag_id INTEGER NOT NULL REFERENCES rfu_tag (id), qty INTEGER NOT NULL DEFAULT 1, "
    "last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (item_id, tag_id))",
    'CREATE TABLE "rfu Log" (at INTEGER, note VARCHAR(20))',
    "CREATE VIEW rfu_view AS SELECT name FROM rfu_item",
    "INSERT INTO rfu_item VALUES (1, 'Lamp')",
    "INSERT INTO rfu_tag VALUES (1, 'red'), (2, 'blue')",
    "INSERT INTO \"rfu Log\" VALUES (1, 'twice'), (1, 'twice')",
]
DROP = ["DROP VIEW IF EXISTS rfu_view", 'DROP TABLE IF EXISTS "rfu Log"', "DROP TABLE IF EXISTS rfu_item_tag",
        "DROP TABLE IF EXISTS rfu_tag", "DROP TABLE IF EXISTS rfu_item"]


def _run(url: str, statements: list[str], *, ignore_errors: bool = False) -> None:
    engine = sa.create_engine(url)
    try:
        for sql in statements:
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(sql)
            except sa.exc.DBAPIError:
                if not ignore_errors:
                    raise
    finally:
        engine.dispose()


@pytest.fixture(params=UI_ENGINES)
def raw_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The tables above made by raw DDL (SQLite file, or PostgreSQL), dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'raw.db'}"
    else:
        url = _with_driver(_server_url(POSTGRES_ENV), "postgresql+psycopg")
    _run(url, DROP, ignore_errors=True)
    _run(url, CREATE)
    try:
        yield url
    finally:
        _run(url, DROP, ignore_errors=True)


def reflected_app(url: str) -> AdminApp:
    return AdminApp(app_url(url), None, title=TITLE)


async def test_a_view_and_a_keyless_table_show_why_they_are_read_only(raw_db: str) -> None:
    app = reflected_app(raw_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        models = dict((r[0], r[1]) for r in table_rows(app.screen.query_one("#models", DataTable)))
        assert models["rfu_view"] == "rfu_view (read-only: a view)"
        assert models["rfu Log"] == "rfu Log (read-only: no primary key)"
        assert models["rfu_item"] == "rfu_item"

        table = await open_model(pilot, "rfu Log")
        screen = app.screen
        assert isinstance(screen, ListScreen)
        assert static_text(screen.query_one("#list-title")).endswith(" · read-only: no primary key")
        assert [r[:2] for r in table_rows(table)] == [["1", "twice"], ["1", "twice"]]  # both identical rows
        assert not footer_actions(screen) & WRITES
        for key in ("n", "e", "d"):
            await press(pilot, key)
            assert app.screen is screen, f"{key} must do nothing on a keyless table"
        told = [n.message for n in app._notifications if n.title == "read-only"]
        assert told == ["rfu Log is read-only (no primary key): n does nothing"]  # said once, not per key
        await press(pilot, "enter", until=lambda: detail_ready(app), what="the detail")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert static_text(detail.query_one("#detail-title")).endswith(" · read-only: no primary key")
        assert detail_fields(app) == {"at": "1", "note": "twice"}  # the row numbering is not shown
        assert not footer_actions(detail) & WRITES
        for key in ("e", "d", "l"):
            await press(pilot, key)
            assert app.screen is detail, f"{key} must do nothing on a keyless row"
        await press(pilot, "escape", "escape", until=lambda: isinstance(app.screen, ModelsScreen), what="the models")
        await open_model(pilot, "rfu_view")
        assert static_text(app.screen.query_one("#list-title")).endswith(" · read-only: a view")
        assert not footer_actions(app.screen) & WRITES


def links_rows(app: Any) -> list[list[str]]:
    return table_rows(app.screen.query_one("#links", DataTable))


async def test_a_link_added_in_the_links_editor_gets_the_databases_defaults(raw_db: str) -> None:
    app = reflected_app(raw_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "rfu_item")
        await press(pilot, "enter", until=lambda: detail_ready(app), what="the item's detail")
        await press(pilot, "l", until=lambda: isinstance(app.screen, LinksScreen)
                    and app.screen.query_one("#candidates", DataTable).row_count == 2, what="the links editor")
        screen = app.screen
        candidates = screen.query_one("#candidates", DataTable)
        await press(pilot, "slash", until=lambda: screen.focused is screen.query_one("#candidate-search", Input))
        await pilot.press(*"red")
        await press(pilot, "enter", until=lambda: screen.focused is candidates
                    and column_values(candidates, "label") == ["red"], what="red as the only candidate")
        await press(pilot, "enter", until=lambda: [r[1] for r in links_rows(app)] == ["red"], what="red added")
        assert links_rows(app) == [["+", "red", "(default)", "(default)"]]
        await press(pilot, "ctrl+s", until=lambda: links_rows(app)[:1] and links_rows(app)[0][0] == "",
                    what="the saved link, reloaded")
        assert links_rows(app)[0][:3] == ["", "red", "1"]
        assert screen.query_one("#links-error").has_class("hidden")
    stored = query_db(raw_db, "SELECT tag_id, qty, last_update IS NOT NULL FROM rfu_item_tag")
    assert stored == [(1, 1, True)]


# -- §9: a create schema that cannot build a row ------------------------------------------------


@pytest.fixture
def owners_db(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'owners.db'}"
    engine = sa.create_engine(url)
    _REGISTRY.metadata.create_all(engine)
    engine.dispose()
    execute_db(url, "INSERT INTO rf9_owner (id, name) VALUES (1, 'Ann'), (2, 'Bob')")
    yield url


async def pick(pilot: Pilot[Any], form: FormScreen, name: str, search: str, label: str) -> None:
    app = pilot.app
    field = form.query_one(f"#field-{name}", ForeignKeyField)
    field.focus()
    await press(pilot, "enter", until=lambda: isinstance(app.screen, PickerScreen), what="the picker")
    await pilot.press(*search)
    picked = app.screen

    def results() -> list[str]:
        return [r[0] for r in table_rows(picked.query_one("#picker-results", DataTable))]

    # owner_id is NOT NULL: no "(none)" row, the one result is under the cursor
    await press(pilot, "enter", until=lambda: results() == [label], what=f"only {label} found")
    await press(pilot, "enter", until=lambda: app.screen is form, what="the form again")
    assert field.record_label == label


async def test_a_create_form_asks_for_the_required_column_its_schema_lacks(owners_db: str) -> None:
    app = AdminApp(owners_db, Registry([Rf9Owner, Rf9Item]), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Rf9Item")
        await press(pilot, "n", until=lambda: form_ready(app), what="the create form")
        form = app.screen
        assert isinstance(form, FormScreen)
        notice = static_text(form.query_one("#form-notice"))
        assert "Rf9ItemCreate lacks owner_id" in notice
        assert [c.name for c in form.columns] == ["title", "owner_id"]
        await pilot.press(*"Lamp")
        await pick(pilot, form, "owner_id", "bob", "Bob")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the new item's detail")
        await settle(pilot)
    assert query_db(owners_db, "SELECT title, owner_id FROM rf9_item") == [("Lamp", 2)]
