"""Constraint violations (foreign key, NOT NULL, UNIQUE, CHECK, length) on every engine: each is a
`WriteError` naming the field where the driver says it, nothing is written, and the Store keeps
working. Values are written through `Store.create/update` directly, bypassing the schemas, as a
script (or a form whose schema misses a constraint) would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from tui_admin.core.errors import WriteError
from tui_admin.core.registry import Registry
from tui_admin.core.schemas import GENERAL
from tui_admin.core.store import Store

from .helpers import count_rows, rows

_REGISTRY = registry()


class _Base(SQLModel, registry=_REGISTRY):
    pass


class Gadget(_Base, table=True):
    __tablename__ = "core_test_gadget"
    __table_args__ = (sa.CheckConstraint("price >= 0", name="core_test_gadget_price_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    price: int = 0
    label: str | None = Field(default=None, max_length=40)


@pytest.fixture
async def gadgets(create_tables: Callable[[sa.MetaData], str]) -> AsyncIterator[Store]:
    store = Store(create_tables(_REGISTRY.metadata), Registry([Gadget]))
    try:
        await store.create("Gadget", {"code": "G-1", "price": 10})
        yield store
    finally:
        await store.dispose()


async def _still_usable(store: Store, model: str, pk: tuple[int, ...]) -> None:
    record = await store.get(model, pk)
    assert store.admin(model).info.pk_of(record.obj) == pk


# -- foreign keys -----------------------------------------------------------------------------


async def test_foreign_key_to_missing_team_on_create(store: Store, check_db: sa.Engine) -> None:
    before = count_rows(check_db, "hero")
    with pytest.raises(WriteError) as caught:
        await store.create("Hero", {"name": "Ghost", "secret_name": "Nobody", "team_id": 999})
    assert caught.value.field_errors == {"team_id": "Refers to a record that does not exist"}
    assert count_rows(check_db, "hero") == before
    assert count_rows(check_db, "hero", "name = 'Ghost'") == 0
    await _still_usable(store, "Hero", (1,))


async def test_foreign_key_to_missing_team_on_update(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await store.update("Hero", (3,), {"team_id": 999, "age": 49}, {"team_id": 1, "age": 48})
    assert set(caught.value.field_errors) == {"team_id"}
    assert rows(check_db, "SELECT team_id, age FROM hero WHERE id = 3") == [(1, 48)]  # age not written either
    await _still_usable(store, "Hero", (3,))


async def test_link_to_missing_hero_is_refused(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await store.create("HeroTeamLink", {"team_id": 1, "hero_id": 999, "role": "member"})
    # SQLite does not say which key failed: both foreign keys are blamed there.
    assert "hero_id" in caught.value.field_errors
    assert set(caught.value.field_errors) <= {"team_id", "hero_id"}
    assert count_rows(check_db, "heroteamlink") == 20


# -- NOT NULL ---------------------------------------------------------------------------------


async def test_not_null_on_create(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await store.create("Hero", {"name": None, "secret_name": "Nobody"})
    assert caught.value.field_errors == {"name": "Required"}
    assert count_rows(check_db, "hero") == 15
    await _still_usable(store, "Hero", (2,))


async def test_not_null_on_update(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await store.update("Team", (1,), {"headquarters": None}, {"headquarters": "Sharp Tower"})
    assert caught.value.field_errors == {"headquarters": "Required"}
    assert rows(check_db, "SELECT headquarters FROM team WHERE id = 1") == [("Sharp Tower",)]
    await _still_usable(store, "Team", (1,))


# -- UNIQUE -----------------------------------------------------------------------------------


async def test_unique_column_on_create(gadgets: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await gadgets.create("Gadget", {"code": "G-1", "price": 5, "label": "copy"})
    assert caught.value.field_errors == {"code": "Already used by another record"}
    assert rows(check_db, "SELECT code, price, label FROM core_test_gadget") == [("G-1", 10, None)]
    pk = await gadgets.create("Gadget", {"code": "G-2", "price": 5})  # the Store still writes
    await _still_usable(gadgets, "Gadget", pk)


async def test_unique_column_on_update(gadgets: Store, check_db: sa.Engine) -> None:
    pk = await gadgets.create("Gadget", {"code": "G-2", "price": 5})
    with pytest.raises(WriteError) as caught:
        await gadgets.update("Gadget", pk, {"code": "G-1", "price": 6}, {"code": "G-2", "price": 5})
    assert set(caught.value.field_errors) == {"code"}
    assert rows(check_db, "SELECT code, price FROM core_test_gadget ORDER BY id") == [("G-1", 10), ("G-2", 5)]


async def test_duplicate_composite_key_of_link(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await store.create("HeroTeamLink", {"team_id": 1, "hero_id": 2, "role": "lead"})
    errors = caught.value.field_errors
    # SQLite and PostgreSQL name the key's columns; MySQL names only the index (PRIMARY).
    assert set(errors) in ({"team_id", "hero_id"}, {GENERAL})
    assert rows(check_db, "SELECT role FROM heroteamlink WHERE team_id = 1 AND hero_id = 2") == [("member",)]


# -- CHECK ------------------------------------------------------------------------------------


async def test_check_constraint_on_create(gadgets: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await gadgets.create("Gadget", {"code": "G-9", "price": -1})
    assert caught.value.field_errors == {"price": "Not allowed by a CHECK constraint"}
    assert count_rows(check_db, "core_test_gadget") == 1
    await _still_usable(gadgets, "Gadget", (1,))


async def test_check_constraint_on_update(gadgets: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as caught:
        await gadgets.update("Gadget", (1,), {"price": -5, "label": "sale"}, {"price": 10, "label": None})
    assert set(caught.value.field_errors) == {"price"}
    assert rows(check_db, "SELECT price, label FROM core_test_gadget") == [(10, None)]


# -- length -----------------------------------------------------------------------------------


async def test_too_long_value_is_refused_where_the_database_checks_length(
    store: Store, check_db: sa.Engine, engine_name: str
) -> None:
    if engine_name.startswith("sqlite"):
        pytest.skip("SQLite does not enforce VARCHAR lengths (the schemas do)")
    with pytest.raises(WriteError) as caught:
        await store.create("Hero", {"name": "x" * 51, "secret_name": "S"})
    assert caught.value.field_errors == {"name": "Too long"}
    assert count_rows(check_db, "hero") == 15


# -- the Store after errors -------------------------------------------------------------------


async def test_store_keeps_working_after_several_errors(store: Store, check_db: sa.Engine) -> None:
    for values in (
        {"name": None, "secret_name": "a"},
        {"name": "b", "secret_name": "b", "team_id": 12345},
        {"name": None, "secret_name": None},
    ):
        with pytest.raises(WriteError):
            await store.create("Hero", values)
    pk = await store.create("Hero", {"name": "Survivor", "secret_name": "Still Here", "team_id": 5})
    assert (await store.get("Hero", pk)).obj.name == "Survivor"
    assert count_rows(check_db, "hero") == 16
