"""The hooks of `ModelAdmin` (sqladmin's names), sync and async, inside the write's transaction on
every engine (sync and async drivers): `on_model_change` turning an API-style `password` into
`hashed_password`, `after_model_change` writing an audit row in the same transaction, a hook that
raises leaving nothing written, the delete hooks, and `list_query` scoping a list, its count and
its pages."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry as orm_registry
from sqlmodel import Field, SQLModel

from tui_admin.core import usercode
from tui_admin.core.errors import WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero, HeroTeamLink, Team

from .helpers import count_rows, rows

_REGISTRY = orm_registry()


class _Base(SQLModel, registry=_REGISTRY):
    pass


class HkUser(_Base, table=True):
    __tablename__ = "hk_user"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=60)
    hashed_password: str = Field(max_length=100)


class HkAudit(_Base, table=True):
    __tablename__ = "hk_audit"
    id: int | None = Field(default=None, primary_key=True)
    what: str = Field(max_length=100)


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def _audit(what: str) -> None:
    usercode.session().execute(sa.insert(HkAudit.__table__).values(what=what))  # type: ignore[attr-defined]


class HkUserAdmin(ModelAdmin, model=HkUser):
    form_excluded_columns = ["hashed_password"]

    async def on_model_change(self, values: dict[str, Any], model: Any, is_created: bool) -> None:
        await asyncio.sleep(0)  # an async hook is awaited where the write runs
        if "password" in values:
            values["hashed_password"] = _hash(values.pop("password"))
        if values.get("email") == "refused@example.org":
            raise ValueError({"email": "this address is refused"})

    def after_model_change(self, values: dict[str, Any], model: Any, is_created: bool) -> None:
        _audit(f"{'created' if is_created else 'changed'} {model.email} #{model.id}")
        if model.email == "boom@example.org":
            raise RuntimeError("audit refused")

    def on_model_delete(self, model: Any) -> None:
        if model.email == "keep@example.org":
            raise PermissionError("kept")

    async def after_model_delete(self, model: Any) -> None:
        _audit(f"deleted {model.email}")


@pytest.fixture
def hk_db(db_urls: tuple[str, str]) -> Iterator[tuple[str, sa.Engine]]:
    engine = sa.create_engine(db_urls[0])
    _REGISTRY.metadata.drop_all(engine)
    _REGISTRY.metadata.create_all(engine)
    try:
        yield db_urls[1], engine
    finally:
        _REGISTRY.metadata.drop_all(engine)
        engine.dispose()


@pytest.fixture
async def hk_store(hk_db: tuple[str, sa.Engine]) -> AsyncIterator[Store]:
    async with Store(hk_db[0], Registry([HkUserAdmin, HkAudit])) as store:
        yield store


async def test_create_hashes_the_password_and_audits_in_one_transaction(
    hk_store: Store, hk_db: tuple[str, sa.Engine]
) -> None:
    engine = hk_db[1]
    pk = await hk_store.create("HkUser", {"email": "ann@example.org", "password": "s3cret!"})
    assert rows(engine, "SELECT email, hashed_password FROM hk_user") == [("ann@example.org", _hash("s3cret!"))]
    assert rows(engine, "SELECT what FROM hk_audit") == [(f"created ann@example.org #{pk[0]}",)]


async def test_a_hook_that_raises_leaves_nothing_written(hk_store: Store, hk_db: tuple[str, sa.Engine]) -> None:
    engine = hk_db[1]
    with pytest.raises(WriteError) as refused:
        await hk_store.create("HkUser", {"email": "refused@example.org", "password": "x"})
    assert refused.value.field_errors == {"email": "this address is refused"}
    with pytest.raises(WriteError, match=r"HkUserAdmin.after_model_change failed: RuntimeError: audit refused"):
        await hk_store.create("HkUser", {"email": "boom@example.org", "password": "x"})
    assert count_rows(engine, "hk_user") == 0 and count_rows(engine, "hk_audit") == 0  # the flush rolled back


async def test_update_runs_the_hooks_after_the_guard(hk_store: Store, hk_db: tuple[str, sa.Engine]) -> None:
    engine = hk_db[1]
    pk = await hk_store.create("HkUser", {"email": "ann@example.org", "password": "old"})
    record = await hk_store.get("HkUser", pk)
    original = {n: getattr(record.obj, n) for n in ("id", "email", "hashed_password")}
    await hk_store.update("HkUser", pk, {"password": "new"}, original)
    assert rows(engine, "SELECT hashed_password FROM hk_user") == [(_hash("new"),)]
    assert rows(engine, "SELECT what FROM hk_audit ORDER BY id")[-1] == (f"changed ann@example.org #{pk[0]}",)


async def test_delete_hooks(hk_store: Store, hk_db: tuple[str, sa.Engine]) -> None:
    engine = hk_db[1]
    kept = await hk_store.create("HkUser", {"email": "keep@example.org", "password": "x"})
    gone = await hk_store.create("HkUser", {"email": "gone@example.org", "password": "x"})
    with pytest.raises(WriteError, match="on_model_delete failed: PermissionError: kept"):
        await hk_store.delete("HkUser", kept)
    await hk_store.delete("HkUser", gone)
    assert rows(engine, "SELECT email FROM hk_user") == [("keep@example.org",)]
    assert rows(engine, "SELECT what FROM hk_audit ORDER BY id")[-1] == ("deleted gone@example.org",)


class AdultHeroes(ModelAdmin, model=Hero):
    def list_query(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        return stmt.where(Hero.age >= 30)


@pytest.fixture
async def scoped_store(demo_url: str) -> AsyncIterator[Store]:
    async with Store(demo_url, Registry([AdultHeroes, Team, HeroTeamLink])) as store:
        yield store


async def test_list_query_scopes_the_pages_the_count_and_the_export_reads(
    scoped_store: Store, check_db: sa.Engine
) -> None:
    expected = rows(check_db, "SELECT id FROM hero WHERE age >= 30 ORDER BY id")
    assert 0 < len(expected) < count_rows(check_db, "hero")
    query = ListQuery("Hero")
    first = await scoped_store.page(query, limit=2)
    rest = await scoped_store.page(query, after=first.last, limit=100)
    assert [(h.id,) for h in first.rows + rest.rows] == expected
    assert await scoped_store.count(query) == len(expected)
    assert await scoped_store.estimate(query) is None  # the table's estimate is not the scope's
    values, _, more = await scoped_store.values_page(query, limit=100)
    assert len(values) == len(expected) and not more
    searched = await scoped_store.page(query.searching("man"), limit=100)
    assert searched.rows and all(h.age >= 30 for h in searched.rows)  # search applies within the scope
