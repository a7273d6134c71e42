"""Issue 8 §9: a Create schema found by name may be an API's input schema that cannot build a row
(`ItemCreate` without the required `owner_id`; `UserCreate` with `password` where the table needs
`hashed_password`). The form then asks for the missing required columns, checked by the table
model's rules, keeps the schema's own checks, does not ask for what cannot be written, and says
so (`Schemas.notice`); a record can be created on every engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa
from pydantic import field_validator
from sqlalchemy.orm import registry as orm_registry
from sqlmodel import Field, SQLModel

from tui_admin.core.registry import Registry
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, form_columns, parse_form
from tui_admin.core.store import Store

from .helpers import rows

# Its own registry (so its own MetaData), never touched by the demo's `SQLModel.metadata`.
_REGISTRY = orm_registry()


class _Base(SQLModel, registry=_REGISTRY):
    pass


class Rf9Owner(_Base, table=True):
    __tablename__ = "rf9_owner"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)


class Rf9Item(_Base, table=True):
    __tablename__ = "rf9_item"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=40)
    owner_id: int = Field(foreign_key="rf9_owner.id")


class Rf9ItemCreate(SQLModel):
    """What the API takes: the owner is the user who is logged in."""

    title: str


class Rf9User(_Base, table=True):
    __tablename__ = "rf9_user"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=60)
    hashed_password: str = Field(min_length=8, max_length=100)


class Rf9UserCreate(SQLModel):
    email: str
    password: str

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError("not an e-mail address")
        return value


MODELS = [Rf9Owner, Rf9Item, Rf9User]


@pytest.fixture
def registry() -> Registry:
    return Registry(MODELS)


@pytest.fixture
def tables(db_urls: tuple[str, str]) -> Iterator[str]:
    engine = sa.create_engine(db_urls[0])
    metadata = _REGISTRY.metadata
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO rf9_owner (id, name) VALUES (1, 'Ann')"))
    try:
        yield db_urls[1]
    finally:
        metadata.drop_all(engine)
        engine.dispose()


@pytest.fixture
async def store(tables: str, registry: Registry) -> AsyncIterator[Store]:
    async with Store(tables, registry) as store:
        yield store


def test_a_create_schema_without_a_required_column_gets_it_and_says_so(registry: Registry) -> None:
    schemas = find_schemas(registry["Rf9Item"])
    assert schemas.create_is_users and issubclass(schemas.create, Rf9ItemCreate)
    assert (schemas.create_added, schemas.create_ignored) == (("owner_id",), ())
    assert schemas.notice is not None and "owner_id" in schemas.notice and "Rf9ItemCreate" in schemas.notice
    assert [c.name for c in form_columns(registry["Rf9Item"], schemas, Mode.CREATE)] == ["title", "owner_id"]


def test_the_added_column_is_checked_by_the_table_models_rules(registry: Registry) -> None:
    admin = registry["Rf9Item"]
    schemas = find_schemas(admin)
    with pytest.raises(ValidationFailed) as missing:
        parse_form(admin, schemas, Mode.CREATE, {"title": "Lamp", "owner_id": None})
    assert missing.value.errors == {"owner_id": "Required"}
    assert parse_form(admin, schemas, Mode.CREATE, {"title": "Lamp", "owner_id": 1}) == {"title": "Lamp", "owner_id": 1}


def test_a_field_that_is_no_column_is_not_asked_and_the_schemas_checks_still_apply(registry: Registry) -> None:
    admin = registry["Rf9User"]
    schemas = find_schemas(admin)
    assert (schemas.create_added, schemas.create_ignored) == (("hashed_password",), ("password",))
    assert "password" in (schemas.notice or "")
    assert [c.name for c in form_columns(admin, schemas, Mode.CREATE)] == ["email", "hashed_password"]
    with pytest.raises(ValidationFailed) as refused:
        parse_form(admin, schemas, Mode.CREATE, {"email": "ann", "hashed_password": "short"})
    assert set(refused.value.errors) == {"email", "hashed_password"}
    assert "e-mail" in refused.value.errors["email"]  # the user's own validator
    assert "8" in refused.value.errors["hashed_password"]  # the table model's min_length
    values = parse_form(admin, schemas, Mode.CREATE, {"email": "ann@example.org", "hashed_password": "$2b$12$abc"})
    assert values == {"email": "ann@example.org", "hashed_password": "$2b$12$abc"}


def test_a_schema_that_can_build_a_row_is_used_as_it_is(demo_registry: Registry) -> None:
    schemas = find_schemas(demo_registry["Hero"])
    assert schemas.notice is None and schemas.create.__module__ == "tui_admin.demo.models"
    assert schemas.create.__name__ == "HeroCreate" and not schemas.create_added


async def test_records_can_be_created_through_such_schemas(store: Store, db_urls: tuple[str, str]) -> None:
    item, user = store.admin("Rf9Item"), store.admin("Rf9User")
    raw_item = {"title": "Lamp", "owner_id": 1}
    await store.create("Rf9Item", parse_form(item, find_schemas(item), Mode.CREATE, raw_item))
    raw_user = {"email": "ann@example.org", "hashed_password": "$2b$12$abcdefgh"}
    await store.create("Rf9User", parse_form(user, find_schemas(user), Mode.CREATE, raw_user))
    engine = sa.create_engine(db_urls[0])
    try:
        assert rows(engine, "SELECT title, owner_id FROM rf9_item") == [("Lamp", 1)]
        assert rows(engine, "SELECT email, hashed_password FROM rf9_user") == [("ann@example.org", "$2b$12$abcdefgh")]
    finally:
        engine.dispose()
