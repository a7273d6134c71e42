"""A column kind of the tests' own, given to one column by `ModelAdmin.column_kinds`: an ISBN-13
stored as its 13 digits, typed with or without hyphens (the check digit checked), shown with
hyphens, and compared by its digits, so that a stored '978-0-306-40615-7' is the same ISBN as
'9780306406157' for the lost-update guard."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from tui_admin.core import kinds
from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.registry import ModelAdmin


def digits(value: Any) -> str | None:
    """The 13 digits of an ISBN-13 written with any hyphens or spaces, or None."""
    if not isinstance(value, str):
        return None
    found = value.replace("-", "").replace(" ", "")
    return found if len(found) == 13 and found.isdigit() else None


class Isbn(kinds.Text):
    name = "isbn"
    placeholder = "978-X-XXX-XXXXX-X"

    def from_form(self, col: ColumnInfo, raw: Any) -> Any:
        found = digits(raw)
        if found is None:
            raise ValueError("An ISBN has 13 digits")
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(found[:12]))
        if (10 - total % 10) % 10 != int(found[12]):
            raise ValueError("Not an ISBN: its check digit is wrong")
        return found

    def text(self, col: ColumnInfo, value: Any) -> str:
        found = digits(value)
        if found is None:
            return super().text(col, value)
        return f"{found[:3]}-{found[3]}-{found[4:7]}-{found[7:12]}-{found[12]}"

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        return "" if value is None else self.text(col, value)

    def same(self, a: Any, b: Any) -> bool:
        if digits(a) is not None and digits(a) == digits(b):
            return True
        return super().same(a, b)


REGISTRY = registry()


class _Base(SQLModel, registry=REGISTRY):
    pass


class Book(_Base, table=True):
    __tablename__ = "test_isbn_book"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=50)
    isbn: str = Field(max_length=17)


class BookAdmin(ModelAdmin, model=Book):
    column_kinds = {"isbn": Isbn}
