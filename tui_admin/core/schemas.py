"""Create/Update schemas and the conversion of form input into validated values.

A SQLModel `table=True` model does not validate on construction, so every write goes through a
schema: the user's own `HeroCreate`/`HeroUpdate` when they exist (registered on the `ModelAdmin`,
or found by the SQLModel naming convention in the model's module), otherwise one derived from the
table model. Whether a field is required comes from the column (NOT NULL, no default, not
generated), because SQLModel declares composite-key fields `Optional` and pydantic alone would let
them through as NULL.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Optional

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, ValidationError, create_model, field_validator
from pydantic import Field as PydanticField
from pydantic.fields import FieldInfo

from tui_admin.core.errors import AdminError
from tui_admin.core.format import escape_json_text as escape_json_text  # where it was; the UI uses it
from tui_admin.core.format import json_form_text as json_form_text
from tui_admin.core.introspect import ColumnInfo, ModelInfo, column_info
from tui_admin.core.reading import Unreadable
from tui_admin.core.registry import ModelAdmin

GENERAL = "__all__"


class Mode(StrEnum):
    CREATE = "create"
    UPDATE = "update"


class ValidationFailed(AdminError):
    """Form input that cannot be written, with a message per field (`GENERAL` for the form)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Schemas:
    create: type[BaseModel]
    update: type[BaseModel]
    create_is_users: bool
    update_is_users: bool
    #: Required columns that the user's Create schema lacks (an API's `ItemCreate` without
    #: `owner_id`): `create` is the user's schema with them added, checked by the table model's own
    #: rules, so that the form can build a row.
    create_added: tuple[str, ...] = ()
    #: Fields the user's Create schema requires that are no column (`password`, which the API
    #: hashes into `hashed_password`): they could not be written, so they are not asked.
    create_ignored: tuple[str, ...] = ()

    @property
    def notice(self) -> str | None:
        """What a create form says at its start when the user's schema could not build a row."""
        if not (self.create_added or self.create_ignored):
            return None
        name = self.create.__name__
        parts = []
        if self.create_added:
            parts.append(f"{name} lacks {', '.join(self.create_added)}, which the table requires: "
                         "asked here too, checked by the table's own rules")
        if self.create_ignored:
            parts.append(f"{name}'s {', '.join(self.create_ignored)} is not a column of the table and cannot "
                         "be written here: not asked")
        return "; ".join(parts) + "."


def _pydantic_constraints(info: ModelInfo, name: str) -> tuple[Any, list[Any]] | None:
    """The annotation and constraint metadata of a SQLModel field (without SQLModel's own
    `FieldInfoMetadata`, which pydantic would reject), or None for a plain mapped class."""
    fields: dict[str, FieldInfo] | None = getattr(info.model, "model_fields", None)
    if not fields or name not in fields:
        return None
    field = fields[name]
    keep = [m for m in field.metadata if type(m).__module__.startswith(("annotated_types", "pydantic"))]
    return field.annotation, keep


def _annotation(info: ModelInfo, col: ColumnInfo) -> tuple[Any, list[Any]]:
    found = _pydantic_constraints(info, col.name)
    if found is not None:
        return found
    base, metadata = col.spec.annotation(col)
    if col.max_length is not None:
        metadata = [*metadata, PydanticField(max_length=col.max_length)]
    return (Optional[base] if col.nullable else base), metadata  # noqa: UP045 - built at runtime


def _schema_field(annotation: Any, metadata: list[Any], *, required: bool) -> tuple[Any, Any]:
    ann = Annotated[(annotation, *metadata)] if metadata else annotation
    return ann, (... if required else None)


def editable_columns(admin: ModelAdmin, mode: Mode) -> list[ColumnInfo]:
    """The columns a form shows, in order: `form_columns` when given; never a generated key on
    create, never a key on update (changing a key is a delete + insert, not an edit), never the
    version column (the Store keeps it), never a column the database computes (`GENERATED ALWAYS`:
    it refuses any value for it)."""
    info = admin.info
    # `form_excluded_columns` never; `form_readonly_columns` on create only.
    left_out = {*admin.form_excluded_columns, *(admin.form_readonly_columns if mode is Mode.UPDATE else ())}
    names = [n for n in admin.form_columns or info.columns if n != info.version_column and n not in left_out]
    cols = [c for c in (info.columns[n] for n in names) if not c.generated]
    if mode is Mode.CREATE:
        return [c for c in cols if not c.autoincrement and c.spec.editable]
    return [c for c in cols if not c.primary_key and c.spec.editable]


def derive_schema(admin: ModelAdmin, mode: Mode) -> type[BaseModel]:
    """`XCreate`: the form's columns, required as the column says. `XUpdate`: every column optional
    (only the fields that changed are sent)."""
    info = admin.info
    fields: dict[str, Any] = {}
    for col in editable_columns(admin, mode):
        annotation, metadata = _annotation(info, col)
        if mode is Mode.UPDATE:
            annotation = Optional[annotation]  # noqa: UP045
        fields[col.name] = _schema_field(annotation, metadata, required=mode is Mode.CREATE and col.required)
    config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    return create_model(f"{info.model.__name__}{mode.value.title()}", __config__=config, **fields)


def update_from_create(admin: ModelAdmin, create: type[BaseModel]) -> type[BaseModel]:
    """`XUpdate` derived from the user's `XCreate` when they define none: every editable column
    optional, typed and constrained as `XCreate` declares it and as the table model does, and
    `XCreate`'s field validators kept, so that a check the user wrote (an
    ISBN's checksum) runs on edit too. Only the changed fields are validated (the others are not
    sent), so a field validator runs exactly for the fields being changed. Model validators are
    not kept: they would see every unchanged field as None."""
    info = admin.info
    given = create.model_fields
    fields: dict[str, Any] = {}
    for col in editable_columns(admin, Mode.UPDATE):
        annotation, metadata = _annotation(info, col)
        if col.name in given:  # XCreate's type and constraints, and the column's too (VARCHAR(30))
            annotation, metadata = given[col.name].annotation, [*given[col.name].metadata, *metadata]
        fields[col.name] = _schema_field(Optional[annotation], metadata, required=False)  # noqa: UP045
    validators: dict[str, Any] = {}
    for name, dec in create.__pydantic_decorators__.field_validators.items():
        names = [f for f in dec.info.fields if f in fields]
        if names:  # a validator of fields the edit form has
            func = dec.func  # a classmethod comes bound to XCreate: rebind it to XUpdate
            func = classmethod(func.__func__) if inspect.ismethod(func) else func
            validators[name] = field_validator(*names, mode=dec.info.mode, check_fields=False)(func)
    config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    name = f"{info.model.__name__}Update"
    return create_model(name, __config__=config, __validators__=validators, **fields)


def _conventional(info: ModelInfo, suffix: str) -> type[BaseModel] | None:
    module = sys.modules.get(info.model.__module__)
    candidate = getattr(module, f"{info.model.__name__}{suffix}", None)
    if isinstance(candidate, type) and issubclass(candidate, BaseModel) and not hasattr(candidate, "__table__"):
        return candidate
    return None


def _completed(admin: ModelAdmin, schema: type[BaseModel]) -> tuple[type[BaseModel], tuple[str, ...], tuple[str, ...]]:
    """The user's Create schema, made able to build a row: a subclass (its validators kept) with
    the required columns it lacks, typed and constrained as the table model says, and its required
    fields that are no column made optional. Returns (schema, columns added, fields ignored)."""
    info = admin.info
    added = tuple(c.name for c in editable_columns(admin, Mode.CREATE)
                  if c.required and c.name not in schema.model_fields)
    # A field that is no column (a `password`) is for `on_model_change` to use, when there is one;
    # without it nothing could write it, so it is not asked for.
    uses_inputs = admin.has_hook("on_model_change")
    ignored = tuple(n for n, f in schema.model_fields.items()
                    if f.is_required() and n not in info.columns and not uses_inputs)
    if not added and not ignored:
        return schema, (), ()
    fields: dict[str, Any] = {n: (Optional[schema.model_fields[n].annotation], None) for n in ignored}  # noqa: UP045
    for name in added:
        annotation, metadata = _annotation(info, info.columns[name])
        fields[name] = _schema_field(annotation, metadata, required=True)
    completed = create_model(schema.__name__, __base__=schema, __module__=schema.__module__, **fields)
    return completed, added, ignored


def find_schemas(admin: ModelAdmin) -> Schemas:
    create = admin.create_schema or _conventional(admin.info, "Create")
    update = admin.update_schema or _conventional(admin.info, "Update")
    added: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    if create is not None:
        create, added, ignored = _completed(admin, create)
    if update is not None:
        update_schema = update
    elif create is not None:
        update_schema = update_from_create(admin, create)  # the user's validators run on edit too
    else:
        update_schema = derive_schema(admin, Mode.UPDATE)
    return Schemas(
        create=create or derive_schema(admin, Mode.CREATE),
        update=update_schema,
        create_is_users=create is not None,
        update_is_users=update is not None,
        create_added=added,
        create_ignored=ignored,
    )


def form_columns(admin: ModelAdmin, schemas: Schemas, mode: Mode) -> list[ColumnInfo]:
    """Editable columns that the mode's schema accepts (a user's `HeroUpdate` may leave some out),
    then the fields of the user's schema that are no column (see `input_fields`)."""
    schema = schemas.create if mode is Mode.CREATE else schemas.update
    return [c for c in editable_columns(admin, mode) if c.name in schema.model_fields] + input_fields(
        admin, schemas, mode)


def input_fields(admin: ModelAdmin, schemas: Schemas, mode: Mode) -> list[ColumnInfo]:
    """The fields of the user's schema that are no column (an API's `password`), as text fields,
    when the model has an `on_model_change` hook to turn them into columns (`hashed_password`):
    validated by the schema like the others, handed to the hook, never written themselves."""
    users = schemas.create_is_users if mode is Mode.CREATE else schemas.update_is_users
    if not users or not admin.has_hook("on_model_change"):
        return []
    schema = schemas.create if mode is Mode.CREATE else schemas.update
    fields = {n: f for n, f in schema.model_fields.items()
              if n not in admin.info.columns and n not in admin.form_excluded_columns}
    if not fields:
        return []
    table = sa.Table("_form_input", sa.MetaData(),
                     *(sa.Column(n, sa.String, nullable=not f.is_required()) for n, f in fields.items()))
    return [column_info(n, table.c[n]) for n in fields]


def to_form_value(col: ColumnInfo, value: Any) -> Any:
    """What a form widget starts with for a stored value: text for inputs, the value itself for
    booleans, enums and foreign keys (selects)."""
    if isinstance(value, Unreadable):
        return str(value.raw)  # the stored text, to be replaced by a valid value
    if col.foreign_key is not None:
        return value
    return col.spec.form_value(col, value)


def _preprocess(col: ColumnInfo, raw: Any, mode: Mode) -> tuple[bool, Any]:
    """(present, value): empty input means NULL on a nullable column and "use the default" on a
    NOT NULL one that has a default; on create, a column the database fills (`DEFAULT now()`, a
    sequence) left empty is left out of the INSERT, so that its default applies. Other input goes
    through the column's spec (`KindSpec.from_form`: JSON text is parsed here, as pydantic would
    keep it a string)."""
    if (isinstance(raw, str) and raw == "") or raw is None:
        if mode is Mode.CREATE and col.server_default:
            return False, None
        if col.nullable:
            return True, None
        if col.has_default or col.autoincrement:
            return False, None
        raise ValueError("Required")
    return True, col.spec.from_form(col, raw)


def parse_form(
    admin: ModelAdmin,
    schemas: Schemas,
    mode: Mode,
    raw: dict[str, Any],
    original: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate form input through the mode's schema; return the values to write (on update only
    the fields that changed) or raise `ValidationFailed` with a message per field."""
    schema = schemas.create if mode is Mode.CREATE else schemas.update
    columns = form_columns(admin, schemas, mode)
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for col in columns:
        if col.name not in raw:
            continue
        value = raw[col.name]
        if original is not None and value == to_form_value(col, original.get(col.name)):
            continue  # unchanged: not sent, so not written
        try:
            present, value = _preprocess(col, value, mode)
        except ValueError as exc:
            errors[col.name] = str(exc)
            continue
        if present:
            data[col.name] = value
    try:
        validated = schema.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = str(err["loc"][0]) if err["loc"] else GENERAL
            if loc in raw or loc == GENERAL:
                errors.setdefault(loc, _message(err))
            else:  # a field the form does not show: the form-wide message must say which one
                errors.setdefault(GENERAL, f"{loc}: {_message(err)}")
        raise ValidationFailed(errors) from None
    if errors:
        raise ValidationFailed(errors)
    values = validated.model_dump(exclude_unset=True)
    by_name = {c.name: c for c in columns}
    result: dict[str, Any] = {}
    for name, value in values.items():
        col = by_name.get(name)
        if col is None:
            continue  # a schema field that is not a column (e.g. a password to hash) is not written
        if value is None and not col.nullable:
            errors[name] = "Required"
            continue
        try:
            result[name] = col.spec.checked(col, value)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return result


def _message(err: Any) -> str:
    msg = str(err["msg"])
    if err["type"] == "missing":
        return "Required"
    return msg.removeprefix("Value error, ")
