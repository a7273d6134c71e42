"""`ModelAdmin` options and the `Registry` of the models an admin shows.

Option names follow sqladmin / Flask-Admin (`column_list`, `column_searchable_list`, `form_columns`,
`can_create`, …) so that users coming from the web admins recognise them. Options are checked when
the registry is built, with messages that name the option and the model (Django's startup checks),
because a typo found at the first keypress is much harder to understand.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, ClassVar

import sqlalchemy as sa
from pydantic import BaseModel

from tui_admin.core.actions import Action
from tui_admin.core.checks import Problem, check_admin
from tui_admin.core.errors import ConfigError, first_line
from tui_admin.core.introspect import SOURCE_ATTR, ModelInfo, introspect
from tui_admin.core.kinds import KindSpec


class ModelAdmin:
    """Per-model options. Subclass with the model as a class keyword::

        class HeroAdmin(ModelAdmin, model=Hero):
            column_list = ["name", "age", "team_id"]
            label = "name"
    """

    model: ClassVar[type]
    name: ClassVar[str | None] = None
    #: Field name, or a callable taking the record, used wherever a record is named.
    label: ClassVar[str | Callable[[Any], str] | None] = None
    column_list: ClassVar[list[str] | None] = None
    column_searchable_list: ClassVar[list[str] | None] = None
    column_sortable_list: ClassVar[list[str] | None] = None
    form_columns: ClassVar[list[str] | None] = None
    can_create: ClassVar[bool] = True
    can_edit: ClassVar[bool] = True
    can_delete: ClassVar[bool] = True
    create_schema: ClassVar[type[BaseModel] | None] = None
    update_schema: ClassVar[type[BaseModel] | None] = None
    page_size: ClassVar[int] = 100
    #: The fields the filter bar offers (default: foreign keys, enums, booleans, dates and
    #: datetimes, and indexed numbers: what a filter is usually wanted on, and cheap to filter).
    column_filters: ClassVar[list[str] | None] = None
    #: A spec of its own for a column (by field name), instead of the one its type has: how the
    #: column is parsed, shown, edited, compared, sorted and filtered (see `kinds`), e.g.
    #: `{"isbn": Isbn}` with `class Isbn(kinds.Text)`.
    column_kinds: ClassVar[dict[str, type[KindSpec]]] = {}
    #: What a field is called on screen (list headers, detail, form), by field name: `{"team_id": "Team"}`.
    column_labels: ClassVar[dict[str, str]] = {}
    #: How a field is shown in the list and on the detail screen, by field name: a function of the
    #: record and the field's name returning the text (sqladmin's signature), e.g.
    #: `{"name": lambda m, a: m.name.upper()}`. Display only: sort, search and filters see the value.
    column_formatters: ClassVar[dict[str, Callable[[Any, str], Any]]] = {}
    #: The order a list opens in (instead of the primary key): a field, `(field, descending)`,
    #: or a list of those. The primary key still follows, so the order stays total.
    column_default_sort: ClassVar[str | tuple[str, bool] | list[str | tuple[str, bool]] | None] = None
    #: The fields (and relations) the detail screen shows, in order (default: every column).
    column_details_list: ClassVar[list[str] | None] = None
    #: Fields no form shows nor writes (e.g. `hashed_password`, set by `on_model_change`).
    form_excluded_columns: ClassVar[list[str]] = []
    #: Fields set when a record is created but never changed by an edit: the edit form and its
    #: derived Update schema leave them out, and they cannot be edited in the list (A008).
    form_readonly_columns: ClassVar[list[str]] = []
    #: Whether the list can be exported (the app's export and `sqladmin-tui export`), and to what.
    can_export: ClassVar[bool] = True
    export_types: ClassVar[list[str]] = ["csv", "json", "jsonl"]
    #: Fields editable in place in the list (`F2` or `i` on a cell), validated through the Update
    #: schema and guarded against lost updates like the form.
    column_editable_list: ClassVar[list[str]] = []
    #: User bulk actions on the marked rows or all matching ones (see `actions.action`).
    actions: ClassVar[list[Action]] = []

    def __init_subclass__(cls, model: type | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if model is not None:
            cls.model = model

    def __init__(self, info: ModelInfo) -> None:
        self.info = info
        if info.read_only is not None:
            # A view or a keyless table: nothing to create, edit or delete, whatever the options say.
            self.can_create = self.can_edit = self.can_delete = False  # type: ignore[misc]

    @property
    def shown_columns(self) -> list[str]:
        """Every column but the hidden numbering of a keyless table's rows."""
        return [n for n, c in self.info.columns.items() if not c.hidden]

    @property
    def list_columns(self) -> list[str]:
        return list(self.column_list or self.shown_columns)

    @property
    def searchable(self) -> list[str]:
        if self.column_searchable_list is not None:
            return list(self.column_searchable_list)
        return [n for n in self.info.string_fields if self.info.columns[n].foreign_key is None]

    @property
    def sortable(self) -> list[str]:
        """The allowed sorts, of columns whose type has an order a page cursor can follow."""
        names = self.column_sortable_list or self.shown_columns
        return [n for n in names if n in self.info.columns and self.info.columns[n].spec.sortable]

    @property
    def filters(self) -> list[str]:
        """The fields the filter bar offers (`column_filters`, or the defaults above)."""
        if self.column_filters is not None:
            return list(self.column_filters)
        wanted = {"enum", "bool", "date", "datetime"}
        numbers = {"integer", "float", "decimal"}
        return [
            n for n in self.shown_columns
            if (c := self.info.columns[n]).foreign_key is not None or str(c.kind) in wanted
            or (str(c.kind) in numbers and c.indexed and not c.primary_key)
        ]

    def label_for(self, name: str) -> str:
        """What field `name` is called on screen (`column_labels`, else its name)."""
        return self.column_labels.get(name, name)

    def formatted(self, obj: Any, name: str) -> str | None:
        """The field as `column_formatters` shows it, or None when it has no formatter (shown by
        its kind). A formatter that fails shows its error in the cell, never stops the screen."""
        formatter = self.column_formatters.get(name)
        if formatter is None:
            return None
        try:
            return str(formatter(obj, name))
        except Exception as exc:  # the user's code: one cell spoiled, not the list
            return f"<{name}: {type(exc).__name__}: {first_line(exc)}>"

    @property
    def default_sort(self) -> list[tuple[str, bool]]:
        """`column_default_sort` as (field, descending) pairs."""
        given = self.column_default_sort
        if given is None:
            return []
        items = given if isinstance(given, list) else [given]
        return [(item, False) if isinstance(item, str) else (item[0], bool(item[1])) for item in items]

    @property
    def details_columns(self) -> list[str]:
        """The fields the detail screen shows (`column_details_list`, else every shown column)."""
        return list(self.column_details_list or self.shown_columns)

    @property
    def export_formats(self) -> list[str]:
        """The formats the list may be exported to: none when `can_export` is off."""
        return list(self.export_types) if self.can_export else []

    @property
    def editable_in_list(self) -> list[str]:
        """The columns `F2` edits in place: `column_editable_list`, when records can be edited."""
        return list(self.column_editable_list) if self.can_edit and self.writable else []

    def action_named(self, name: str) -> Action:
        for act in self.actions:
            if act.name == name:
                return act
        raise ConfigError(f"{self.info.name} has no action {name!r} "
                          f"(actions: {', '.join(a.name for a in self.actions) or 'none'})")

    # -- hooks (sqladmin's names), run inside the write's transaction; sync or async -----------

    def on_model_change(self, values: dict[str, Any], model: Any, is_created: bool) -> Any:
        """Before a create or an update is written: `values` (validated, and any non-column field
        of the schema, such as a `password`) may be changed in place; what is then in it is
        written. `model`: the record as it is (locked), or an empty instance on create. Raising
        stops the write (nothing saved; the message is shown)."""

    def after_model_change(self, values: dict[str, Any], model: Any, is_created: bool) -> Any:
        """After the create or update is written, before the COMMIT: `model` is the record as
        written. Raising rolls the write back."""

    def on_model_delete(self, model: Any) -> Any:
        """Before a record is deleted (`model`: the record); raising stops the delete."""

    def after_model_delete(self, model: Any) -> Any:
        """After the delete, before the COMMIT; raising rolls it back."""

    def list_query(self, stmt: Any) -> Any:
        """The list's SELECT, to narrow what the list shows (and counts, and exports), e.g.
        `return stmt.where(Hero.age >= 18)`. Paging, search, sort and filters apply on top."""
        return stmt

    def has_hook(self, name: str) -> bool:
        """Whether the subclass overrides the hook (a hook left alone costs nothing)."""
        return getattr(type(self), name) is not getattr(ModelAdmin, name)

    @property
    def writable(self) -> bool:
        """False for a view or a table without a primary key (`info.read_only` says which)."""
        return self.info.read_only is None

    def problems(self) -> list[Problem]:
        """Every problem of the options (see `checks`): unknown fields, fields an option cannot
        use, misspelt options."""
        return check_admin(self)


def _link_models(models: list[type]) -> list[type]:
    """The mapped classes of the link tables that the models' many-to-many relationships go
    through, when not given: editing a link's own columns (`role`) needs its model."""
    found: list[type] = []
    for model in models:
        mapper = sa.inspect(model)
        for rel in mapper.relationships:
            if rel.secondary is None:
                continue
            for candidate in mapper.registry.mappers:
                cls = candidate.class_
                if candidate.local_table is rel.secondary and cls not in models and cls not in found:
                    found.append(cls)
    return found


def _is_table_model(obj: object) -> bool:
    """A class mapped to a table (or, reflected, to a numbering of a view's rows: see `reflect`)."""
    table = getattr(obj, SOURCE_ATTR, None)
    if table is None:
        table = getattr(obj, "__table__", None)
    return inspect.isclass(obj) and isinstance(table, sa.Table)


class Registry:
    """The models an admin shows, each with its `ModelAdmin` and `ModelInfo`, by name."""

    def __init__(self, entries: Iterable[type], *, names: dict[type, str] | None = None) -> None:
        admin_classes: dict[type, type[ModelAdmin]] = {}
        models: list[type] = []
        for entry in entries:
            if inspect.isclass(entry) and issubclass(entry, ModelAdmin):
                if not hasattr(entry, "model"):
                    name = entry.__name__
                    raise ConfigError(f"{name} has no model: write `class {name}(ModelAdmin, model=X)`")
                admin_classes[entry.model] = entry
                model = entry.model
            elif _is_table_model(entry):
                model = entry
            else:
                raise ConfigError(f"{entry!r} is neither a table model nor a ModelAdmin subclass")
            if model not in models:
                models.append(model)
        if not models:
            raise ConfigError("no table models to show")
        try:  # relationships given by name resolve only now ("expression 'Team' failed to locate a name")
            sa.orm.configure_mappers()
        except sa.exc.SQLAlchemyError as exc:
            raise ConfigError(f"the models cannot be mapped: {first_line(exc)}") from None
        models += _link_models(models)
        problems: list[Problem] = []
        self._admins: dict[str, ModelAdmin] = {}
        for model in models:
            admin_cls = admin_classes.get(model, ModelAdmin)
            name = admin_cls.name or (names or {}).get(model) or model.__name__
            if name in self._admins:
                raise ConfigError(f"two models are named {name!r}; give one a ModelAdmin with `name = ...`")
            info = introspect(model, name=name, label=admin_cls.label,
                              column_kinds=admin_cls.column_kinds)
            admin = admin_cls(info)
            problems += admin.problems()
            self._admins[name] = admin
        if problems:
            raise ConfigError("\n".join(map(str, problems)), problems=problems)
        # By `table_key` (`schema.name` outside the default schema): what foreign keys and
        # relations name, so that two schemas' tables of one name never stand for each other.
        self._by_table = {a.info.table_key: a for a in self._admins.values()}

    @classmethod
    def from_module(cls, module: str | ModuleType) -> Registry:
        """Every table model and `ModelAdmin` subclass found in the module (imported or defined)."""
        if isinstance(module, str):
            try:
                module = importlib.import_module(module)
            except ImportError as exc:
                raise ConfigError(f"cannot import models module {module!r}: {exc}") from exc
            except Exception as exc:  # the module itself fails: one line, not its traceback
                raise ConfigError(f"cannot import models module {module!r}: {type(exc).__name__}: {exc}") from exc
        found = [obj for obj in vars(module).values() if _is_table_model(obj)]
        found += [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, ModelAdmin) and obj is not ModelAdmin and hasattr(obj, "model")
        ]
        if not found:
            raise ConfigError(f"module {module.__name__!r} defines no SQLModel table models")
        return cls(found)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._admins.values(), key=lambda a: a.info.name.lower()))

    def __len__(self) -> int:
        return len(self._admins)

    def __getitem__(self, name: str) -> ModelAdmin:
        return self._admins[name]

    def for_table(self, table: str) -> ModelAdmin | None:
        """The model of a table, by its `table_key` (as `ForeignKeyInfo.table` and
        `RelationInfo.target_table` name it)."""
        return self._by_table.get(table)
