"""Create and edit forms: one input per column, validated through the model's Create/Update
schema on `ctrl+s`. Errors appear beside their fields (`#error-<field>`), what was typed stays,
and nothing is written until every field is valid and the database accepts the change."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Button, Static

from tui_admin.core.errors import ConflictError, WriteError
from tui_admin.core.format import display, lookup
from tui_admin.core.introspect import ColumnInfo, format_pk
from tui_admin.core.schemas import (
    GENERAL,
    Mode,
    Schemas,
    ValidationFailed,
    find_schemas,
    form_columns,
    parse_form,
    to_form_value,
)
from tui_admin.core.store import Record
from tui_admin.ui import tips
from tui_admin.ui.screens.base import AdminScreen, SaveStopped, describe
from tui_admin.ui.text import plain, plain_lines
from tui_admin.ui.widgets.fields import (
    ClearsFieldErrors,
    clear_field_error,
    error_id,
    field_cells,
    field_id,
    field_value,
    set_field_value,
)
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.one_line import OneLine
from tui_admin.ui.widgets.picker import ForeignKeyField, Picked
from tui_admin.ui.widgets.title_bar import TitleBar


class FormScreen(ClearsFieldErrors, AdminScreen):
    """Dismissed with the saved record's primary key, or None when cancelled."""

    HELP = tips.FORM  # the help panel's tips (f1)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, model: str, pk: tuple[Any, ...] | None = None, record: Record | None = None) -> None:
        """An edit form (`pk`) is given the `record` as loaded (see `present`), so that it is
        drawn once, with its values; a create form needs nothing from the database. Dismissed
        with the saved record's key (the App then shows its detail), or None."""
        super().__init__()
        assert (pk is None) == (record is None), "an edit form is opened with its record"
        self.model = model
        self.mode = Mode.CREATE if pk is None else Mode.UPDATE
        self.admin = self.store.admin(model)
        self.schemas: Schemas = find_schemas(self.admin)
        self.columns: list[ColumnInfo] = form_columns(self.admin, self.schemas, self.mode)
        self._set_record(pk, record)
        self.saving = False

    def _set_record(self, pk: tuple[Any, ...] | None, record: Record | None) -> None:
        self.pk = pk
        self.record = record
        # Every column, not only the form's: the version column guards the update too.
        self.original: dict[str, Any] = (
            {name: getattr(record.obj, name) for name in self.admin.info.columns} if record else {}
        )
        self.initial: dict[str, Any] | None = None

    def _title(self) -> str:
        if self.record is None:
            return f"New {self.model}"
        return f"Edit {self.model} · {self.admin.info.titled(self.record.obj, self.record.labels)}"

    def _values(self) -> tuple[dict[str, Any], dict[str, dict[Any, str]]]:
        """The value each field starts with (the record's, or the column's default), and the labels
        of the records its keys name."""
        return self.original or {c.name: c.default for c in self.columns}, self.record.labels if self.record else {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OneLine(plain(self._title()), id="form-title", classes="screen-title")
        if self.mode is Mode.CREATE and self.schemas.notice:
            yield Static(plain(self.schemas.notice), id="form-notice")
        yield Static("", id="form-error", classes="error hidden")
        values, labels = self._values()
        with Grid(id="form", classes="form-grid"):
            for col in self.columns:
                value = values.get(col.name)
                yield from field_cells(col, to_form_value(col, value), lookup(labels.get(col.name), value),
                                       self.admin.label_for(col.name))
        yield KeyBar()

    def on_mount(self) -> None:
        self._ready()

    def _ready(self) -> None:
        self.initial = self._raw()
        if self.columns:
            self.field(self.columns[0].name).focus()
        self.admin_app.rendered("form")

    def present(self, pk: tuple[Any, ...] | None, record: Record | None) -> None:
        """Hold record `pk` (None: a new record) as loaded by the App: a kept form, shown again,
        gets every field set afresh and its errors cleared rather than being composed again."""
        assert (pk is None) is (self.mode is Mode.CREATE), "a form is kept per model and mode"
        if not self.is_mounted:
            return  # built with this record: composed with its values
        self.workers.cancel_node(self)
        self._set_record(pk, record)
        self.saving = False
        self.query_one("#form-title", Static).update(plain(self._title()))
        values, labels = self._values()
        for col in self.columns:
            value = values.get(col.name)
            set_field_value(self.field(col.name), to_form_value(col, value), lookup(labels.get(col.name), value))
        self.show_errors({})
        self.query_one("#form").scroll_home(animate=False, immediate=True)
        self._ready()

    def field(self, name: str) -> Widget:
        """The input of column `name` (its id: see `fields.field_key`)."""
        return self.query_one(f"#{field_id(name)}")

    def _raw(self) -> dict[str, Any]:
        return {c.name: field_value(self.field(c.name)) for c in self.columns}

    @property
    def is_dirty(self) -> bool:
        return self.initial is not None and self._raw() != self.initial

    def show_errors(self, errors: dict[str, str]) -> None:
        for col in self.columns:
            self.query_one(f"#{error_id(col.name)}", Static).update(plain_lines(errors.get(col.name, "")))
        general = errors.get(GENERAL, "")
        unplaced = [f"{k}: {v}" for k, v in errors.items() if k != GENERAL and k not in {c.name for c in self.columns}]
        message = "\n".join(filter(None, [general, *unplaced]))
        box = self.query_one("#form-error", Static)
        box.update(plain_lines(message))
        box.set_class(not message, "hidden")
        first = next((c.name for c in self.columns if c.name in errors), None)
        if first is not None:
            self.field(first).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """`enter` on a foreign-key field: pick the record it names."""
        field = event.button
        if not isinstance(field, ForeignKeyField):
            return

        def picked(answer: Picked | None) -> None:
            if answer is not None:
                field.set_value(answer.value, answer.label)
                clear_field_error(self, field)

        self.admin_app.pick(field.col, field.value, field.record_label, picked)

    def action_save(self) -> None:
        if self.initial is None or self.saving:
            return
        try:
            values = parse_form(self.admin, self.schemas, self.mode, self._raw(), self.original if self.pk else None)
        except ValidationFailed as failed:
            self.show_errors(failed.errors)
            return
        self.show_errors({})
        self.save(values)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save(self, values: dict[str, Any]) -> None:
        self.saving = True
        try:
            if self.pk is None:
                pk = await self.admin_app.save_visibly(self, "Saving", self.store.create(self.model, values))
            else:
                saving = self.store.update(self.model, self.pk, values, self.original)
                await self.admin_app.save_visibly(self, "Saving", saving)
                pk = self.pk
        except SaveStopped as exc:
            self.show_errors({GENERAL: str(exc)})
            return
        except ConflictError as exc:
            changed = "; ".join(f"{k}: {self._shown(k, a)} → {self._shown(k, b)}"
                                for k, (a, b) in exc.every_change.items())
            message = f"{exc}. Changed meanwhile: {changed}."
            self.show_errors({GENERAL: message})
            self.offer_reload(message)
            return
        except WriteError as exc:
            self.show_errors(exc.field_errors or {GENERAL: str(exc)})
            return
        except Exception as exc:  # connection lost, read-only, …: the form stays, with its input
            self.show_errors({GENERAL: describe(exc)})
            return
        finally:
            self.saving = False
        self.initial = None
        self.notify(f"Saved {self.model} #{format_pk(pk)}")
        self.dismiss(pk)

    def _shown(self, name: str, value: Any) -> str:
        """A value in a message as the screens show it (∅ for NULL, a date as the list writes
        it); text quoted, so that a trailing space or an empty string can be seen."""
        if isinstance(value, str):
            return repr(value)
        return display(self.admin.info.columns[name], value) or "∅"

    def offer_reload(self, message: str) -> None:
        """After a lost update: reload the record with your edits kept on top, or cancel."""

        def answer(reload: bool | None) -> None:
            if reload:
                self.reload_keeping_edits()

        question = f"{message}\n\nReload it, keeping your edits on top of the new values?"
        self.admin_app.ask(question, answer, yes="Reload", no="Cancel")

    @work(exclusive=True, group="form", exit_on_error=False)
    async def reload_keeping_edits(self) -> None:
        """Fields you edited keep your text; the others take the record's current values, which
        become the new "original" the next save is checked against."""
        assert self.pk is not None and self.initial is not None
        record = await self.store.get(self.model, self.pk)
        edited = {name for name, value in self._raw().items() if value != self.initial[name]}
        self.original = {name: getattr(record.obj, name) for name in self.admin.info.columns}
        self.record = record  # the title names the record as it is now (its label may have moved)
        self.query_one("#form-title", Static).update(plain(self._title()))
        for col in self.columns:
            fresh = to_form_value(col, self.original[col.name])
            self.initial[col.name] = fresh
            if col.name not in edited:
                label = lookup(record.labels.get(col.name), self.original[col.name])
                set_field_value(self.field(col.name), fresh, label)
        self.show_errors({})
        self.notify("Reloaded: the fields you had edited keep your text. Save again with ctrl+s.")

    def action_cancel(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.admin_app.ask("Discard your changes?", answer, yes="Discard", no="Keep editing")
