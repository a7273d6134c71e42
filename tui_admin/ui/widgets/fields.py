"""One form widget per column kind, and reading its value back as form input.

Numbers, dates and UUIDs are plain text inputs on purpose: what the user typed is validated by the
model's schema on save and any error is shown beside the field, in the schema's own words.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from tui_admin.core.introspect import ColumnInfo, Kind
from tui_admin.ui.widgets.picker import ForeignKeyField

PLACEHOLDERS = {
    Kind.INTEGER: "whole number",
    Kind.FLOAT: "number",
    Kind.DECIMAL: "decimal number",
    Kind.DATE: "YYYY-MM-DD",
    Kind.DATETIME: "YYYY-MM-DD HH:MM[:SS][+HH:MM]",
    Kind.TIME: "HH:MM[:SS]",
    Kind.UUID: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
}


def field_widget(col: ColumnInfo, value: Any, label: str | None = None) -> Widget:
    """The input for `col`, holding `value` (already in form form: see `schemas.to_form_value`).
    A foreign key gets a field that opens the search picker; `label` names its current record."""
    wid = f"field-{col.name}"
    if col.foreign_key is not None:
        return ForeignKeyField(col, value, label, id=wid)
    if col.kind is Kind.BOOL and not col.nullable:
        return Checkbox(col.name, value=bool(value), id=wid)
    if col.kind is Kind.BOOL:
        options = [("true", True), ("false", False)]
        return Select(options, id=wid, prompt="(NULL)", value=_option(options, value))
    if col.kind is Kind.ENUM:
        options = [(str(getattr(c, "value", c)), c) for c in col.choices]
        # A value the column's type cannot read (a stored text that is no member) shows no choice.
        chosen = _option(options, value)
        return Select(options, id=wid, allow_blank=col.nullable or chosen is Select.NULL, prompt="(NULL)",
                      value=chosen)
    if col.kind is Kind.SET:
        members = value if isinstance(value, set | frozenset) else set()
        return SelectionList[str](*((str(c), c, c in members) for c in col.choices), id=wid)
    if col.kind is Kind.JSON:
        return TextArea(value or "", id=wid, classes="json-field", soft_wrap=True)
    placeholder = PLACEHOLDERS.get(col.kind, "")
    if col.max_length:
        placeholder = f"up to {col.max_length} characters"
    if col.nullable:
        placeholder = (placeholder + " · empty = NULL").lstrip(" ·")
    return Input(value or "", id=wid, placeholder=placeholder, select_on_focus=False)


def _option(options: list[tuple[str, Any]], value: Any) -> Any:
    return value if any(v == value for _, v in options) and value is not None else Select.NULL


def field_cells(col: ColumnInfo, value: Any, label: str | None = None) -> tuple[Widget, Widget, Widget]:
    """The three cells of a form row, for a 3-column grid: the field's name (with `*` when
    required, and its kind below), its input (`#field-<name>`), its error (`#error-<name>`). One
    grid for the whole form, rather than a container per row, halves the widgets a form styles."""
    marker = " *" if col.required else ""
    hint = col.kind.value + (" · FK → " + col.foreign_key.table if col.foreign_key else "")
    name = Static(Text.assemble(f"{col.name}{marker}\n", (hint, "dim")), classes="field-label")
    return name, field_widget(col, value, label), Static("", id=f"error-{col.name}", classes="field-error")


def field_value(widget: Widget) -> Any:
    """The widget's current value as form input: text, a bool, or a selected key (None when blank)."""
    if isinstance(widget, ForeignKeyField):
        return widget.value
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return set(widget.selected)
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    raise TypeError(f"not a form field widget: {widget!r}")


def set_field_value(widget: Widget, value: Any, label: str | None = None) -> None:
    """Put a form value (see `schemas.to_form_value`) back into its widget."""
    if isinstance(widget, ForeignKeyField):
        widget.set_value(value, label)
    elif isinstance(widget, Select):
        widget.value = Select.NULL if value is None else value
    elif isinstance(widget, SelectionList):
        widget.deselect_all()
        for member in value or ():
            widget.select(member)
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, TextArea):
        widget.text = value or ""
    elif isinstance(widget, Input):
        widget.value = value or ""
    else:
        raise TypeError(f"not a form field widget: {widget!r}")
