"""Lost updates between two users: two Stores (two app instances) on the same database, on every
engine. The second save of a record the first one changed meanwhile is refused with what changed;
nothing is silently overwritten. A model with a version column (`version_id_col`) is guarded by
that column alone, which moves on by one on each update; other models by the original values of
the edited columns."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from tui_admin.core.errors import ConflictError
from tui_admin.core.registry import Registry
from tui_admin.core.schemas import Mode, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import rows

# -- two users on the demo (no version column) ------------------------------------------------


@pytest.fixture
async def other(demo_url: str, demo_registry: Registry) -> AsyncIterator[Store]:
    """A second user: a Store of its own on the same database as `store`."""
    async with Store(demo_url, demo_registry) as store:
        yield store


async def opened(store: Store, name: str, pk: tuple[int, ...]) -> dict[str, object]:
    """What an edit form holds when it opens: every column of the record."""
    obj = (await store.get(name, pk)).obj
    return {n: getattr(obj, n) for n in store.admin(name).info.columns}


def edit(store: Store, model: str, original: dict[str, object], **typed: str) -> dict[str, object]:
    """The changes a form sends: its raw text (the original values, some retyped) through the schema."""
    admin = store.admin(model)
    schemas = find_schemas(admin)
    raw = {c.name: to_form_value(c, original[c.name]) for c in form_columns(admin, schemas, Mode.UPDATE)}
    raw.update(typed)
    return parse_form(admin, schemas, Mode.UPDATE, raw, original)


async def test_second_save_of_the_same_field_is_refused_with_what_changed(
    store: Store, other: Store, check_db: sa.Engine
) -> None:
    first = await opened(store, "Hero", (3,))
    second = await opened(other, "Hero", (3,))
    await store.update("Hero", (3,), edit(store, "Hero", first, name="Rusty-Man Prime", age="50"), first)
    with pytest.raises(ConflictError) as caught:
        await other.update("Hero", (3,), edit(other, "Hero", second, name="Rusty the Second"), second)
    assert caught.value.changes == {"name": ("Rusty-Man", "Rusty-Man Prime")}
    assert caught.value.others == {"age": (48, 50)}  # not edited here, but changed too: named as well
    assert list(caught.value.every_change) == ["name", "age"]
    assert "changed by someone else" in str(caught.value)
    assert "nothing was saved" in str(caught.value)
    assert rows(check_db, "SELECT name, secret_name, age FROM hero WHERE id = 3") == [
        ("Rusty-Man Prime", "Tommy Sharp", 50)
    ]


async def test_after_a_conflict_the_reloaded_form_saves(store: Store, other: Store, check_db: sa.Engine) -> None:
    first = await opened(store, "Hero", (3,))
    second = await opened(other, "Hero", (3,))
    await store.update("Hero", (3,), edit(store, "Hero", first, name="Rusty-Man Prime"), first)
    with pytest.raises(ConflictError):
        await other.update("Hero", (3,), edit(other, "Hero", second, name="Rusty the Second"), second)
    reloaded = await opened(other, "Hero", (3,))
    await other.update("Hero", (3,), edit(other, "Hero", reloaded, name="Rusty the Second"), reloaded)
    assert rows(check_db, "SELECT name FROM hero WHERE id = 3") == [("Rusty the Second",)]


async def test_edits_of_different_fields_both_land(store: Store, other: Store, check_db: sa.Engine) -> None:
    """Without a version column only the edited columns are compared: the second user's age edit
    does not overwrite the first user's new name (only the changed columns are written)."""
    first = await opened(store, "Hero", (3,))
    second = await opened(other, "Hero", (3,))
    await store.update("Hero", (3,), edit(store, "Hero", first, name="Rusty-Man Prime"), first)
    await other.update("Hero", (3,), edit(other, "Hero", second, age="49"), second)
    assert rows(check_db, "SELECT name, age FROM hero WHERE id = 3") == [("Rusty-Man Prime", 49)]


async def test_a_change_and_back_meanwhile_is_not_a_conflict(store: Store, other: Store, check_db: sa.Engine) -> None:
    """The guard is the values, not the history: a field changed and restored meanwhile still holds
    what the form was opened with."""
    second = await opened(other, "Hero", (2,))
    await store.update("Hero", (2,), {"name": "Spider-Man"}, {"name": "Spider-Boy"})
    await store.update("Hero", (2,), {"name": "Spider-Boy"}, {"name": "Spider-Man"})
    await other.update("Hero", (2,), edit(other, "Hero", second, name="Spider-Boy Jr."), second)
    assert rows(check_db, "SELECT name FROM hero WHERE id = 2") == [("Spider-Boy Jr.",)]


async def test_clearing_a_field_someone_else_filled_is_a_conflict(
    store: Store, other: Store, check_db: sa.Engine
) -> None:
    first = await opened(store, "Hero", (3,))
    second = await opened(other, "Hero", (3,))
    await store.update("Hero", (3,), edit(store, "Hero", first, age="51"), first)
    with pytest.raises(ConflictError) as caught:
        await other.update("Hero", (3,), edit(other, "Hero", second, age=""), second)  # empty: NULL
    assert caught.value.changes == {"age": (48, 51)}
    assert rows(check_db, "SELECT age FROM hero WHERE id = 3") == [(51,)]


# -- a model with a version column ------------------------------------------------------------

_REGISTRY = registry()
_VERSION = sa.Column("version", sa.Integer, nullable=False)


class _Base(SQLModel, registry=_REGISTRY):
    pass


class Memo(_Base, table=True):
    __tablename__ = "core_test_memo"
    __mapper_args__ = {"version_id_col": _VERSION}

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=50)
    body: str | None = Field(default=None, max_length=200)
    version: int | None = Field(default=None, sa_column=_VERSION)


@pytest.fixture
async def memos(create_tables: Callable[[sa.MetaData], str]) -> AsyncIterator[tuple[Store, Store]]:
    """Two Stores on a table with a version column, holding one memo (version 1)."""
    url = create_tables(_REGISTRY.metadata)
    first, second = Store(url, Registry([Memo])), Store(url, Registry([Memo]))
    try:
        assert await first.create("Memo", {"title": "Groceries", "body": "milk"}) == (1,)
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


def test_the_version_column_is_found_and_kept_out_of_the_forms() -> None:
    admin = Registry([Memo])["Memo"]
    assert admin.info.version_column == "version"
    schemas = find_schemas(admin)
    assert [c.name for c in form_columns(admin, schemas, Mode.UPDATE)] == ["title", "body"]
    assert [c.name for c in form_columns(admin, schemas, Mode.CREATE)] == ["title", "body"]


async def test_create_starts_the_version_at_one(memos: tuple[Store, Store], check_db: sa.Engine) -> None:
    assert rows(check_db, "SELECT title, body, version FROM core_test_memo") == [("Groceries", "milk", 1)]


async def test_a_fresh_update_bumps_the_version_by_one(memos: tuple[Store, Store], check_db: sa.Engine) -> None:
    first, _ = memos
    original = await opened(first, "Memo", (1,))
    assert original["version"] == 1
    await first.update("Memo", (1,), edit(first, "Memo", original, body="milk, eggs"), original)
    assert rows(check_db, "SELECT title, body, version FROM core_test_memo") == [("Groceries", "milk, eggs", 2)]
    again = await opened(first, "Memo", (1,))
    await first.update("Memo", (1,), edit(first, "Memo", again, title="Shopping"), again)
    assert rows(check_db, "SELECT title, body, version FROM core_test_memo") == [("Shopping", "milk, eggs", 3)]


async def test_a_stale_version_is_refused_even_for_another_field(
    memos: tuple[Store, Store], check_db: sa.Engine
) -> None:
    """With a version column the whole row is guarded: the second user edits `title`, the first
    changed only `body`, and the second save is still refused (the version moved)."""
    first, second = memos
    mine = await opened(first, "Memo", (1,))
    theirs = await opened(second, "Memo", (1,))
    await first.update("Memo", (1,), edit(first, "Memo", mine, body="milk, eggs"), mine)
    with pytest.raises(ConflictError) as caught:
        await second.update("Memo", (1,), edit(second, "Memo", theirs, title="Errands"), theirs)
    assert caught.value.changes == {"version": (1, 2)}
    assert caught.value.others == {"body": ("milk", "milk, eggs")}
    assert rows(check_db, "SELECT title, body, version FROM core_test_memo") == [("Groceries", "milk, eggs", 2)]


async def test_a_stale_version_of_the_same_field_names_it(memos: tuple[Store, Store], check_db: sa.Engine) -> None:
    first, second = memos
    mine = await opened(first, "Memo", (1,))
    theirs = await opened(second, "Memo", (1,))
    await first.update("Memo", (1,), edit(first, "Memo", mine, body="bread"), mine)
    with pytest.raises(ConflictError) as caught:
        await second.update("Memo", (1,), edit(second, "Memo", theirs, body="cheese"), theirs)
    assert caught.value.changes == {"body": ("milk", "bread"), "version": (1, 2)}
    assert rows(check_db, "SELECT body, version FROM core_test_memo") == [("bread", 2)]
    # Reloaded, the second user's edit lands on top, and the version moves on again.
    reloaded = await opened(second, "Memo", (1,))
    await second.update("Memo", (1,), edit(second, "Memo", reloaded, body="cheese"), reloaded)
    assert rows(check_db, "SELECT body, version FROM core_test_memo") == [("cheese", 3)]


async def test_a_version_bumped_from_outside_is_a_conflict(memos: tuple[Store, Store], check_db: sa.Engine) -> None:
    """Another program that keeps the version (bumps it without touching our fields) is noticed."""
    first, _ = memos
    original = await opened(first, "Memo", (1,))
    with check_db.begin() as conn:
        conn.exec_driver_sql("UPDATE core_test_memo SET version = version + 1 WHERE id = 1")
    with pytest.raises(ConflictError) as caught:
        await first.update("Memo", (1,), edit(first, "Memo", original, body="tea"), original)
    assert caught.value.changes == {"version": (1, 2)}
    assert rows(check_db, "SELECT body, version FROM core_test_memo") == [("milk", 2)]


async def test_the_update_statement_is_guarded_by_the_version_only(memos: tuple[Store, Store]) -> None:
    first, _ = memos
    original = await opened(first, "Memo", (1,))
    await first.update("Memo", (1,), edit(first, "Memo", original, body="tea"), original)
    updates = [s.sql for s in first.log.actions[-1].statements if s.sql.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    where = updates[0].upper().split(" WHERE ")[1]
    assert "VERSION" in where
    assert "BODY" not in where and "TITLE" not in where


# -- what "still holds the original value" means ----------------------------------------------


@pytest.mark.parametrize("meanwhile", ["DEADPOND", "Déadpond", "Deadpond "], ids=["case", "accent", "trailing-space"])
async def test_a_change_of_case_accent_or_trailing_space_meanwhile_is_a_conflict(
    store: Store, other: Store, check_db: sa.Engine, engine_name: str, meanwhile: str, request: pytest.FixtureRequest
) -> None:
    """The guard must compare values exactly. MySQL/MariaDB compare strings by the column's
    collation: case- and accent-insensitive, trailing spaces ignored (utf8mb4_general_ci, PAD SPACE)."""
    second = await opened(other, "Hero", (1,))
    await store.update("Hero", (1,), {"name": meanwhile}, {"name": "Deadpond"})
    with pytest.raises(ConflictError) as caught:
        await other.update("Hero", (1,), edit(other, "Hero", second, name="Deadpond II"), second)
    assert caught.value.changes == {"name": ("Deadpond", meanwhile)}
    assert rows(check_db, "SELECT name FROM hero WHERE id = 1") == [(meanwhile,)]
