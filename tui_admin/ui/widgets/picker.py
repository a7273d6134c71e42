"""A foreign-key field: shows the label of the record it names; `enter` opens the search picker."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button

from tui_admin.core.introspect import ColumnInfo


class ForeignKeyField(Button):
    """Holds the key value; its label is the named record's label (or "(none)")."""

    def __init__(self, col: ColumnInfo, value: Any, label: str | None, *, id: str) -> None:
        super().__init__(self._text(value, label), id=id, classes="fk-field")
        self.col = col
        self.value = value
        self.record_label = label

    @staticmethod
    def _text(value: Any, label: str | None) -> str:
        if value is None:
            return "(none)  ▸ enter to pick"
        return f"{label or '#' + str(value)}  ▸ enter to change"

    def set_value(self, value: Any, label: str | None) -> None:
        self.value = value
        self.record_label = label
        self.label = self._text(value, label)
