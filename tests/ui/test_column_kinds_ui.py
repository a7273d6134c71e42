"""A column with a spec of its own (`ModelAdmin.column_kinds`, `tests.isbn_kind.Isbn`) through the
screens: the list and the form show its values as the spec writes them, the form refuses what the
spec refuses (beside the field, nothing written), and a corrected save stores the spec's value."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from textual.widgets import Input, Static

from tests.isbn_kind import REGISTRY, BookAdmin
from tests.ui.conftest import app_url
from tests.ui.helpers import (
    SIZE,
    TITLE,
    clear_input,
    column_values,
    detail_fields,
    detail_ready,
    field_errors,
    form_ready,
    open_model,
    press,
    query_db,
    start,
    static_text,
)
from tui_admin.core.kinds import Editor
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.widgets.fields import EDITORS, field_id


@pytest.fixture
def books_url(db_urls: tuple[str, str]) -> Iterator[str]:
    """The book table holding one book, its ISBN stored as digits; dropped afterwards."""
    setup, _ = db_urls
    engine = sa.create_engine(setup)
    try:
        REGISTRY.metadata.drop_all(engine)
        REGISTRY.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO test_isbn_book (id, title, isbn) VALUES (1, 'Numbers', '9780306406157')")
        yield setup
    finally:
        REGISTRY.metadata.drop_all(engine)
        engine.dispose()


async def test_the_columns_spec_shows_parses_and_refuses_in_the_form(books_url: str) -> None:
    app = AdminApp(app_url(books_url), Registry([BookAdmin]), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Book")
        assert column_values(table, "isbn") == ["978-0-306-40615-7"]
        await press(pilot, "e", until=lambda: form_ready(app), what="the edit form")
        form = app.screen
        assert isinstance(form, FormScreen)
        field = form.query_one(f"#{field_id('isbn')}", Input)
        assert field.value == "978-0-306-40615-7"
        labels = [static_text(w) for w in form.query(".field-label").results(Static)]
        assert any(label.startswith("isbn *") and "\nisbn" in label for label in labels), labels

        while app.focused is not field:
            await press(pilot, "tab")
        await clear_input(pilot, field)
        await pilot.press(*"978-1-86197-271-3")  # the check digit of 978-1-86197-271-2 is 2
        await press(pilot, "ctrl+s", until=lambda: bool(field_errors(form)), what="the ISBN's error")
        assert app.screen is form
        assert field_errors(form) == {"isbn": "Not an ISBN: its check digit is wrong"}
        assert query_db(books_url, "SELECT isbn FROM test_isbn_book") == [("9780306406157",)]

        await pilot.press("backspace", "2")
        await press(pilot, "ctrl+s", until=lambda: detail_ready(app), what="the saved book's detail")
        assert detail_fields(app)["isbn"] == "978-1-861-97271-2"  # the spec's fixed grouping
        assert query_db(books_url, "SELECT isbn FROM test_isbn_book") == [("9781861972712",)]


def test_every_editor_a_spec_can_name_has_its_widget() -> None:
    assert set(EDITORS) == set(Editor)
