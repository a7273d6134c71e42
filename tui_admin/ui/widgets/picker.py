"""A foreign-key field: shows the label of the record it names; `enter` opens the search picker."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import Button

from tui_admin.core.introspect import ColumnInfo
from tui_admin.ui.text import plain, shortest_fit


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
    def _text(value: Any, label: str | None, width: int | None = None) -> Text:
        """The record's label as plain text (a Button reads a str as markup), on one line: at
        `width` the hint shortens, then goes, then the label shortens (a Button wraps its label,
        which at 80 columns put `change` on a second line)."""
        name = "(none)" if value is None else label or f"#{value}"
        hint = "pick" if value is None else "change"
        forms = [f"{name}  ▸ enter to {hint}", f"{name}  ▸ enter", name]
        return plain(forms[0] if width is None else shortest_fit(forms, width))

    def _room(self) -> int | None:
        """The cells the label can use: the content width less the button's line padding."""
        width = self.content_size.width - 2 * self.styles.line_pad
        return width if self.content_size.width else None

    def on_resize(self, event: events.Resize) -> None:
        self.label = self._text(self.value, self.record_label, self._room())

    def set_value(self, value: Any, label: str | None) -> None:
        self.value = value
        self.record_label = label
        self.label = self._text(value, label, self._room())
