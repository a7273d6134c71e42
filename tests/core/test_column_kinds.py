"""`ModelAdmin.column_kinds` gives one column a spec of its own (`tests.isbn_kind.Isbn`), and that
spec is what parses the column's form input, shows its values and guards it against lost
updates, through the real Store on every engine. Without the override the same column is text."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa

from tests.isbn_kind import REGISTRY, Book, BookAdmin, Isbn
from tui_admin.core import kinds
from tui_admin.core.errors import ConflictError
from tui_admin.core.format import display
from tui_admin.core.registry import ConfigError, ModelAdmin, Registry
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import rows


def test_the_override_is_the_columns_spec_and_keeps_what_text_offers() -> None:
    admin = Registry([BookAdmin])["Book"]
    isbn = admin.info.columns["isbn"]
    assert type(isbn.spec) is Isbn
    assert isbn.kind is kinds.Kind.TEXT and isbn.max_length == 17  # described by the type, as text is
    assert "isbn" in admin.sortable and "isbn" in admin.searchable
    assert type(admin.info.columns["title"].spec) is kinds.Text  # the other columns keep theirs
    assert type(Registry([Book])["Book"].info.columns["isbn"].spec) is kinds.Text


def test_form_input_is_parsed_and_checked_by_the_spec() -> None:
    admin = Registry([BookAdmin])["Book"]
    schemas = find_schemas(admin)
    typed = {"title": "Numbers", "isbn": "978-0-306-40615-7"}
    assert parse_form(admin, schemas, Mode.CREATE, typed) == {"title": "Numbers", "isbn": "9780306406157"}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.CREATE, {"title": "Numbers", "isbn": "978-0-306-40615-8"})
    assert caught.value.errors == {"isbn": "Not an ISBN: its check digit is wrong"}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.CREATE, {"title": "Numbers", "isbn": "12345"})
    assert caught.value.errors == {"isbn": "An ISBN has 13 digits"}
    # Without the override, any text up to 17 characters is an "isbn".
    plain = Registry([Book])["Book"]
    assert parse_form(plain, find_schemas(plain), Mode.CREATE, {"title": "N", "isbn": "12345"})["isbn"] == "12345"


def test_values_are_shown_and_edited_as_the_spec_writes_them() -> None:
    col = Registry([BookAdmin])["Book"].info.columns["isbn"]
    assert display(col, "9780306406157") == "978-0-306-40615-7"
    assert to_form_value(col, "9780306406157") == "978-0-306-40615-7"
    assert display(col, "not one") == "not one"  # a stored value that is no ISBN is shown as it is
    # An export holds a text column's values as stored (JSON has strings), not as shown.
    assert col.spec.export(col, "9780306406157") == "9780306406157"


def test_an_unknown_column_in_column_kinds_is_a_config_error() -> None:
    class Wrong(ModelAdmin, model=Book):
        column_kinds = {"isnb": Isbn}

    with pytest.raises(ConfigError, match=r"A001 Wrong.column_kinds: unknown field 'isnb' — did you mean 'isbn'\?"):
        Registry([Wrong])


@pytest.fixture
def books_url(create_tables: Callable[[sa.MetaData], str], check_db: sa.Engine) -> str:
    url = create_tables(REGISTRY.metadata)
    with check_db.begin() as conn:
        conn.exec_driver_sql("INSERT INTO test_isbn_book (id, title, isbn) VALUES (1, 'Numbers', '9780306406157')")
    return url


@pytest.fixture
async def two_stores(books_url: str) -> AsyncIterator[tuple[Store, Store]]:
    """A Store whose Book has the Isbn override, and one whose Book is plain."""
    with_isbn, plain = Store(books_url, Registry([BookAdmin])), Store(books_url, Registry([Book]))
    try:
        yield with_isbn, plain
    finally:
        await with_isbn.dispose()
        await plain.dispose()


async def test_the_guard_compares_as_the_spec_does(
    two_stores: tuple[Store, Store], check_db: sa.Engine
) -> None:
    """Another client rewrites the stored ISBN with hyphens: the same ISBN to the Isbn spec, so a
    save over it lands; a different text to plain text, so the same save is refused."""
    with_isbn, plain = two_stores
    opened = {s: (await s.get("Book", (1,))).obj for s in (with_isbn, plain)}
    with check_db.begin() as conn:
        conn.exec_driver_sql("UPDATE test_isbn_book SET isbn = '978-0-306-40615-7' WHERE id = 1")

    def edit(store: Store, isbn: str) -> tuple[dict[str, object], dict[str, object]]:
        admin = store.admin("Book")
        original = {n: getattr(opened[store], n) for n in admin.info.columns}
        schemas = find_schemas(admin)
        raw = {c.name: to_form_value(c, original[c.name]) for c in form_columns(admin, schemas, Mode.UPDATE)}
        return parse_form(admin, schemas, Mode.UPDATE, {**raw, "isbn": isbn}, original), original

    changes, original = edit(plain, "9781861972712")
    with pytest.raises(ConflictError) as caught:
        await plain.update("Book", (1,), changes, original)
    assert caught.value.changes == {"isbn": ("9780306406157", "978-0-306-40615-7")}
    assert rows(check_db, "SELECT isbn FROM test_isbn_book") == [("978-0-306-40615-7",)]

    changes, original = edit(with_isbn, "978-1-86197-271-2")
    assert changes == {"isbn": "9781861972712"}
    await with_isbn.update("Book", (1,), changes, original)
    assert rows(check_db, "SELECT isbn FROM test_isbn_book") == [("9781861972712",)]
