"""A foreign-key field: shows the label of the record it names; `enter` opens the search picker."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Button

from tui_admin.core.introspect import ColumnInfo
from tui_admin.ui.text import plain


class Picked:
    """The search picker's answer for a foreign-key field: a key and its label (`value` None
    means NULL)."""

    def __init__(self, value: Any, label: str | None) -> None:
        self.value, self.label = value, label


class ForeignKeyField(Button):
    """Holds the key value; its label is the named record's label (or "(none)")."""

    def __init__(self, col: ColumnInfo, value: Any, label: str | None, *, id: str) -> None:
        super().__init__(self._text(value, label), id=id, classes="fk-field")
        self.col = col
        self.value = value
        self.record_label = label

    @staticmethod
    def _text(value: Any, label: str | None) -> Text:
        """The record's label as plain text (a Button reads a str as markup)."""
        if value is None:
            return plain("(none)  ▸ enter to pick")
        return plain(f"{label or '#' + str(value)}  ▸ enter to change")

    def set_value(self, value: Any, label: str | None) -> None:
        self.value = value
        self.record_label = label
        self.label = self._text(value, label)
