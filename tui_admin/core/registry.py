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
