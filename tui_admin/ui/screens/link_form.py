"""A small modal form for a link row's own columns (e.g. `role`), validated like any form: through
the link model's Update schema, with each error beside its field."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_admin.core.registry import ModelAdmin
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, parse_form, to_form_value
from tui_admin.ui.text import plain, plain_lines
from tui_admin.ui.widgets.fields import ClearsFieldErrors, error_id, field_cells, field_id, field_value
from tui_admin.ui.widgets.one_line import OneLine


class LinkFormScreen(ClearsFieldErrors, ModalScreen[dict[str, Any] | None]):
    """Dismissed with the new values of the edited columns, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Apply", priority=True, id="link_form.apply"),
        Binding("escape", "cancel", "Cancel", id="link_form.cancel"),
    ]

    def __init__(self, link: ModelAdmin, columns: list[str], values: dict[str, Any], *, title: str) -> None:
        super().__init__()
        self.link = link
        self.columns = [link.info.columns[n] for n in columns]
        self.values = values
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="link-form"):
            yield OneLine(plain(f"{self.title_text}  (ctrl+s apply · esc cancel)"), classes="screen-title")
            with Grid(classes="form-grid"):
                for col in self.columns:
                    yield from field_cells(col, to_form_value(col, self.values.get(col.name)))

    def on_mount(self) -> None:
        if self.columns:
            self.query_one(f"#{field_id(self.columns[0].name)}").focus()

    def action_save(self) -> None:
        raw = {c.name: field_value(self.query_one(f"#{field_id(c.name)}")) for c in self.columns}
        try:
            changed = parse_form(self.link, find_schemas(self.link), Mode.UPDATE, raw, self.values)
        except ValidationFailed as failed:
            for col in self.columns:
                self.query_one(f"#{error_id(col.name)}", Static).update(plain_lines(failed.errors.get(col.name, "")))
            first = next((c.name for c in self.columns if c.name in failed.errors), None)
            if first is not None:  # as the record form does: the cursor where the fix is typed
                self.query_one(f"#{field_id(first)}").focus()
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)
