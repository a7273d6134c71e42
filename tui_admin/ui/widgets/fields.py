"""One form widget per editor name (`kinds.Editor`, which a column's spec names), and reading its
value back as form input.

Numbers, dates and UUIDs are plain text inputs on purpose: what the user typed is validated by the
model's schema on save and any error is shown beside the field, in the schema's own words.

Every widget shows the exact stored value without a raw control character reaching the terminal:
text inputs are `TextInput`s (control characters escaped), JSON is edited as text whose unusual
characters are `\\u` escapes (`schemas.json_form_text`), and labels are plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea
from textual.widgets.text_area import EditResult, Location

from tui_admin.core.format import escape_json_text, visible
from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.kinds import Editor
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.picker import ForeignKeyField
from tui_admin.ui.widgets.text_input import TextInput

#: Names used in widget ids as they are (`#field-name`): ASCII letters, digits, `_` and `-`, not
#: starting with `-`. Textual refuses anything else in an id (a space, `名前`, a dot).
_ID_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def field_key(name: str) -> str:
    """What follows `field-` / `error-` in the ids of a column's widgets: the name itself when it
    fits in an id, else `-` and the hex of its UTF-8 bytes. Stable, distinct for every name, and
    never equal to a name kept as it is (none of those starts with `-`)."""
    if _ID_SAFE.fullmatch(name):
        return name
    return "-" + name.encode("utf-8", "surrogatepass").hex()


def field_id(name: str) -> str:
    return f"field-{field_key(name)}"


def error_id(name: str) -> str:
    return f"error-{field_key(name)}"


class ClearsFieldErrors:
    """For a form screen: a field's error (from the last save) goes as soon as its value changes,
    since it no longer describes it; the others stay until they are fixed or the form is saved
    again. (A foreign-key field posts no change: the form calls `clear_field_error` when the
    picker answers.) Textual finds these handlers by name on any class of the screen's MRO."""

    def on_input_changed(self, event: Input.Changed) -> None:
        clear_field_error(self, event.control)  # type: ignore[arg-type]

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        clear_field_error(self, event.control)  # type: ignore[arg-type]

    def on_select_changed(self, event: Select.Changed) -> None:
        clear_field_error(self, event.control)  # type: ignore[arg-type]

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[Any]) -> None:
        clear_field_error(self, event.control)  # type: ignore[arg-type]

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        clear_field_error(self, event.control)  # type: ignore[arg-type]


class JsonArea(TextArea):
    """A JSON field. Text typed or pasted into it keeps control characters (except tab and line
    breaks) and the separators U+2028/U+2029 as `\\u` escapes: raw, they would reach the terminal
    or be turned into newlines by the text area; escaped, they mean the same inside a JSON string."""

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        return super()._replace_via_keyboard(escape_json_text(insert), start, end)


def _text_input(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    placeholder = col.spec.placeholder
    if col.max_length:
        placeholder = f"up to {col.max_length} characters"
    if col.nullable:
        placeholder = (placeholder + " · empty = NULL").lstrip(" ·")
    return TextInput(value or "", id=wid, placeholder=placeholder, select_on_focus=False)


class BoolBox(Checkbox):
    """A boolean field whose box is empty when off: Textual's shows `▐X▌` either way (only the X's
    colour changes), which reads as "on" in a theme with little contrast or none (a screenshot)."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # Textual's name for the box's inside
        return "X" if self.value else " "


def _checkbox(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    return BoolBox(plain(col.name), value=bool(value), id=wid)


def _select(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    options = [(plain(text), v) for text, v in col.spec.options(col)]
    # A value the column's type cannot read (a stored text that is no member) shows no choice.
    chosen = _option(options, value)
    return Select(options, id=wid, allow_blank=col.nullable or chosen is Select.NULL, prompt="(NULL)", value=chosen)


def _multi_select(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    members = value if isinstance(value, set | frozenset) else set()
    return SelectionList[Any](*((plain(text), v, v in members) for text, v in col.spec.options(col)), id=wid)


def _json_area(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    return JsonArea(value or "", id=wid, classes="json-field", soft_wrap=True)


def _foreign_key(col: ColumnInfo, value: Any, label: str | None, wid: str) -> Widget:
    return ForeignKeyField(col, value, label, id=wid)


#: The widget of each editor a spec can name: (column, form value, label of a foreign key's
#: record, widget id) -> widget.
EDITORS: dict[Editor, Callable[[ColumnInfo, Any, str | None, str], Widget]] = {
    Editor.TEXT: _text_input,
    Editor.CHECKBOX: _checkbox,
    Editor.SELECT: _select,
    Editor.MULTI_SELECT: _multi_select,
    Editor.JSON: _json_area,
    Editor.FOREIGN_KEY: _foreign_key,
}


def field_widget(col: ColumnInfo, value: Any, label: str | None = None) -> Widget:
    """The input for `col`, holding `value` (already in form form: see `schemas.to_form_value`).
    A foreign key gets a field that opens the search picker; `label` names its current record.
    Any other column gets the editor its spec names."""
    editor = Editor.FOREIGN_KEY if col.foreign_key is not None else col.spec.editor(col)
    return EDITORS[editor](col, value, label, field_id(col.name))


def _option(options: list[tuple[str, Any]], value: Any) -> Any:
    return value if any(v == value for _, v in options) and value is not None else Select.NULL


def field_cells(
    col: ColumnInfo, value: Any, label: str | None = None, title: str | None = None
) -> tuple[Widget, Widget, Widget]:
    """The three cells of a form row, for a 3-column grid: the field's name (with `*` when
    required, and its kind below), its input (`#field-<name>`), its error (`#error-<name>`; see
    `field_key` for names that do not fit in an id); `title`: its `column_labels` name. One grid
    for the whole form, rather than a container per row, halves the widgets a form styles."""
    marker = " *" if col.required else ""
    hint = col.spec.name + (" · FK → " + col.foreign_key.table if col.foreign_key else "")
    text = Text.assemble(visible((title or col.name) + marker), "\n", (visible(hint), "dim"))
    name = Static(text, classes="field-label")
    return name, field_widget(col, value, label), Static("", id=error_id(col.name), classes="field-error")


def clear_field_error(form: DOMNode, field: DOMNode | None) -> None:
    """`field`'s value changed: its error on `form` goes (see `ClearsFieldErrors`)."""
    wid = (field.id if field is not None else None) or ""
    if not wid.startswith("field-"):
        return
    for error in form.query(f"#error-{wid.removeprefix('field-')}").results(Static):
        if str(error.content):  # not restyled on every keystroke of a field with no error
            error.update("")


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
    if isinstance(widget, TextInput):
        return widget.exact_value
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
    elif isinstance(widget, TextInput):
        widget.set_exact_value(value or "")
    else:
        raise TypeError(f"not a form field widget: {widget!r}")
