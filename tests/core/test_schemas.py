"""Create/Update schemas: the demo's own (found by the SQLModel naming convention), registered ones,
derived ones, and form parsing with the demo's Hero and HeroTeamLink."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError, field_validator
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.schemas import (
    Mode,
    ValidationFailed,
    derive_schema,
    find_schemas,
    form_columns,
    parse_form,
    to_form_value,
)
from tui_admin.demo.models import Hero, HeroCreate, HeroTeamLink, HeroUpdate, Team, TeamCreate, TeamUpdate


def test_demo_schemas_are_found_by_naming_convention(demo_registry: Registry) -> None:
    hero = find_schemas(demo_registry["Hero"])
    assert hero.create is HeroCreate
    assert hero.update is HeroUpdate
    assert hero.create_is_users and hero.update_is_users
    team = find_schemas(demo_registry["Team"])
    assert (team.create, team.update) == (TeamCreate, TeamUpdate)


def test_table_model_is_never_taken_for_a_schema(demo_registry: Registry) -> None:
    # `HeroTeamLink` has no HeroTeamLinkCreate; nothing else in the module may stand in for it.
    schemas = find_schemas(demo_registry["HeroTeamLink"])
    assert not schemas.create_is_users and not schemas.update_is_users
    assert not hasattr(schemas.create, "__table__")


def test_registered_schema_wins_over_convention() -> None:
    class StrictHeroCreate(BaseModel):
        name: str
        secret_name: str

    class HeroAdmin(ModelAdmin, model=Hero):
        create_schema = StrictHeroCreate

    reg = Registry([HeroAdmin, Team, HeroTeamLink])
    schemas = find_schemas(reg["Hero"])
    assert schemas.create is StrictHeroCreate
    assert schemas.update is HeroUpdate  # not registered: still found by convention
    assert [c.name for c in form_columns(reg["Hero"], schemas, Mode.CREATE)] == ["name", "secret_name"]


def test_derived_create_schema_of_link_model_requires_its_keys(demo_registry: Registry) -> None:
    create = find_schemas(demo_registry["HeroTeamLink"]).create
    assert set(create.model_fields) == {"team_id", "hero_id", "role"}
    assert create.model_fields["team_id"].is_required()
    assert create.model_fields["hero_id"].is_required()
    assert not create.model_fields["role"].is_required()


def test_derived_update_schema_has_every_field_optional_and_no_key(demo_registry: Registry) -> None:
    update = find_schemas(demo_registry["HeroTeamLink"]).update
    assert set(update.model_fields) == {"role"}  # a key is never edited
    assert not update.model_fields["role"].is_required()
    assert update.model_validate({}).model_dump(exclude_unset=True) == {}


def test_derived_schemas_of_hero_leave_out_the_key(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    create = derive_schema(admin, Mode.CREATE)
    update = derive_schema(admin, Mode.UPDATE)
    assert list(create.model_fields) == ["name", "secret_name", "age", "team_id"]  # no autoincrement id
    assert [n for n, f in create.model_fields.items() if f.is_required()] == ["name", "secret_name"]
    assert list(update.model_fields) == ["name", "secret_name", "age", "team_id"]
    assert not any(f.is_required() for f in update.model_fields.values())
    # The field constraints of the table model (ge=0, le=10000) carry over to the derived schema.
    with pytest.raises(ValidationError):
        create.model_validate({"name": "a", "secret_name": "b", "age": -1})


def test_derived_schema_keeps_field_constraints(demo_registry: Registry) -> None:
    # The link's role has max_length=30 on its column; a derived schema must refuse 31 characters.
    admin = demo_registry["HeroTeamLink"]
    schemas = find_schemas(admin)
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.CREATE, {"team_id": 1, "hero_id": 2, "role": "x" * 31})
    assert set(caught.value.errors) == {"role"}
    assert "30" in caught.value.errors["role"]


def test_link_model_keys_are_required_in_forms(demo_registry: Registry) -> None:
    admin = demo_registry["HeroTeamLink"]
    schemas = find_schemas(admin)
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.CREATE, {"team_id": None, "hero_id": "", "role": "lead"})
    assert caught.value.errors == {"team_id": "Required", "hero_id": "Required"}


def test_link_role_left_empty_uses_the_column_default(demo_registry: Registry) -> None:
    admin = demo_registry["HeroTeamLink"]
    values = parse_form(admin, find_schemas(admin), Mode.CREATE, {"team_id": 1, "hero_id": 6, "role": ""})
    assert values == {"team_id": 1, "hero_id": 6}  # role not sent: the column default applies


def test_hero_form_converts_text(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    raw = {"name": "Nova", "secret_name": "Nora Vale", "age": "27", "team_id": 2}
    values = parse_form(admin, find_schemas(admin), Mode.CREATE, raw)
    assert values == {"name": "Nova", "secret_name": "Nora Vale", "age": 27, "team_id": 2}
    assert type(values["age"]) is int


def test_hero_form_empty_optional_fields_are_null(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    raw = {"name": "N", "secret_name": "S", "age": "", "team_id": None}
    values = parse_form(admin, find_schemas(admin), Mode.CREATE, raw)
    assert values == {"name": "N", "secret_name": "S", "age": None, "team_id": None}


def test_hero_form_errors_name_each_bad_field(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    raw = {"name": "", "secret_name": "x" * 101, "age": "-1", "team_id": None}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, find_schemas(admin), Mode.CREATE, raw)
    errors = caught.value.errors
    assert set(errors) == {"name", "secret_name", "age"}
    assert errors["name"] == "Required"
    assert "100" in errors["secret_name"]
    assert "0" in errors["age"] and "greater" in errors["age"]


def test_hero_age_above_maximum_is_refused(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, find_schemas(admin), Mode.CREATE, {"name": "A", "secret_name": "B", "age": "10001"})
    assert set(caught.value.errors) == {"age"}


def test_hero_update_returns_only_changed_fields(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    original = {"id": 3, "name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1}
    cols = {c.name: c for c in admin.info.columns.values()}
    raw = {n: to_form_value(cols[n], original[n]) for n in ("name", "secret_name", "age", "team_id")}
    schemas = find_schemas(admin)
    assert parse_form(admin, schemas, Mode.UPDATE, raw, original) == {}
    assert parse_form(admin, schemas, Mode.UPDATE, {**raw, "age": "49"}, original) == {"age": 49}
    assert parse_form(admin, schemas, Mode.UPDATE, {**raw, "age": "", "team_id": 2}, original) == {
        "age": None,
        "team_id": 2,
    }


def test_hero_update_cannot_clear_a_required_field(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    original = {"id": 3, "name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, find_schemas(admin), Mode.UPDATE, {"name": "", "secret_name": "Tommy Sharp"}, original)
    assert caught.value.errors == {"name": "Required"}


class LinkCreate(BaseModel):
    """A user's Create schema with a validator of its own (and no LinkUpdate)."""

    team_id: int
    hero_id: int
    role: str = "member"

    @field_validator("role")
    @classmethod
    def role_is_lowercase(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError("a role is written in lowercase")
        return value


def test_update_without_a_user_schema_is_derived_from_the_users_create_with_its_validators(
    demo_registry: Registry,
) -> None:
    class LinkAdmin(ModelAdmin, model=HeroTeamLink):
        create_schema = LinkCreate

    reg = Registry([Hero, Team, LinkAdmin])
    admin = reg["HeroTeamLink"]
    schemas = find_schemas(admin)
    assert not schemas.update_is_users
    assert list(schemas.update.model_fields) == ["role"]  # the keys are never edited
    original = {"team_id": 1, "hero_id": 2, "role": "member"}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.UPDATE, {"role": "Leader"}, original)
    assert caught.value.errors == {"role": "a role is written in lowercase"}  # LinkCreate's check, on edit
    assert parse_form(admin, schemas, Mode.UPDATE, {"role": "leader"}, original) == {"role": "leader"}
    assert parse_form(admin, schemas, Mode.UPDATE, {"role": "member"}, original) == {}  # unchanged: not checked
    with pytest.raises(ValidationFailed) as caught:  # the table's own constraint still holds
        parse_form(admin, schemas, Mode.UPDATE, {"role": "x" * 31}, original)
    assert "30" in caught.value.errors["role"]



class _VisitBase(SQLModel, registry=registry()):
    pass


class Visit(_VisitBase, table=True):
    __tablename__ = "core_test_visit"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime


def test_a_datetime_is_edited_as_the_list_shows_it_and_read_back() -> None:
    """One form of a datetime on every screen (`2026-12-01 06:45:32`, not `…T06:45:32`), and a form
    holding it unedited sends nothing; retyped with the space it is read as that datetime."""
    admin = Registry([Visit])["Visit"]
    col = admin.info.columns["at"]
    when = dt.datetime(2026, 12, 1, 6, 45, 32)
    shown = to_form_value(col, when)
    assert shown.startswith("2026-12-01 06:45:32") and shown == col.spec.text(col, when)
    original = {"id": 1, "at": when}
    schemas = find_schemas(admin)
    assert parse_form(admin, schemas, Mode.UPDATE, {"at": shown}, original) == {}
    assert parse_form(admin, schemas, Mode.UPDATE, {"at": "2026-12-02 07:00:00"}, original) == {
        "at": col.spec.checked(col, dt.datetime(2026, 12, 2, 7, 0))
    }
