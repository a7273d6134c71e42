"""Values no database can take — an integer beyond 64 bits, a lone surrogate, JSON nested deeper
than the encoder goes — reach the Store's API as its own one-line errors (`StoreError`), on every
engine, in writes (create, update: nothing is written) and in reads (search, filter: nothing
matches, or the value is refused). Before, the driver's `OverflowError`, `UnicodeEncodeError` or a
`RecursionError` escaped the Store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import JSON, BigInteger, Column, Field, SQLModel

from tests.core.helpers import rows
from tui_admin.core.errors import StoreError
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store

_REGISTRY = registry()  # its own MetaData: created only here


class _Base(SQLModel, registry=_REGISTRY):
    pass


class BadValueTarget(_Base, table=True):
    __tablename__ = "core_test_bad_values"

    id: int | None = Field(default=None, primary_key=True)
    n: int | None = Field(default=None, sa_column=Column(BigInteger))
    label: str | None = Field(default=None, max_length=100)
    doc: Any = Field(default=None, sa_column=Column(JSON))


def deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


#: field → a value of it that no engine can take
BAD = {"n": 2**63, "label": "caf\ud800", "doc": deep(1200)}

SELECT = "SELECT id, n, label FROM core_test_bad_values ORDER BY id"


@pytest.fixture
async def store(create_tables: Callable[[sa.MetaData], str], check_db: sa.Engine) -> AsyncIterator[Store]:
    url = create_tables(_Base.metadata)
    with check_db.begin() as conn:  # a row written by another client, in plain SQL
        conn.exec_driver_sql("INSERT INTO core_test_bad_values (id, n, label, doc) VALUES (1, 5, 'ok', '[1]')")
    async with Store(url, Registry([BadValueTarget])) as store:
        yield store


def assert_one_line(error: StoreError) -> None:
    assert str(error).strip() and "\n" not in str(error), repr(str(error))


@pytest.mark.parametrize("field", list(BAD))
async def test_create_with_a_bad_value_raises_a_store_error_and_writes_nothing(
    store: Store, check_db: sa.Engine, field: str
) -> None:
    before = rows(check_db, SELECT)
    with pytest.raises(StoreError) as raised:
        await store.create("BadValueTarget", {"n": 1, "label": "new", field: BAD[field]})
    assert_one_line(raised.value)
    assert rows(check_db, SELECT) == before


@pytest.mark.parametrize("field", list(BAD))
async def test_update_with_a_bad_value_raises_a_store_error_and_writes_nothing(
    store: Store, check_db: sa.Engine, field: str
) -> None:
    before = rows(check_db, SELECT)
    record = await store.get("BadValueTarget", (1,))
    original = {name: getattr(record.obj, name) for name in ("id", "n", "label", "doc")}
    with pytest.raises(StoreError) as raised:
        await store.update("BadValueTarget", (1,), {field: BAD[field]}, original)
    assert_one_line(raised.value)
    assert rows(check_db, SELECT) == before


async def test_searching_a_lone_surrogate_finds_nothing_or_is_refused(store: Store) -> None:
    query = ListQuery("BadValueTarget").searching(BAD["label"])
    for read in (store.page, store.count):
        try:
            result = await read(query)
        except StoreError as error:
            assert_one_line(error)
        else:
            assert result == 0 or not result.rows  # type: ignore[union-attr]


@pytest.mark.parametrize("field", ["n", "label"])
async def test_filtering_on_a_bad_value_finds_nothing_or_is_refused(store: Store, field: str) -> None:
    query = ListQuery("BadValueTarget").filtered(field, BAD[field])
    for read in (store.page, store.count):
        try:
            result = await read(query)
        except StoreError as error:
            assert_one_line(error)
        else:
            assert result == 0 or not result.rows  # type: ignore[union-attr]
