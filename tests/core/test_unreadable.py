"""One bad value spoils one cell, never the table (SQLite, whose columns hold any value).

A row written by another client can hold a value its column's type cannot parse: `DATE
'0000-00-00'`, a timestamp with a leap second, invalid JSON text, 'abc' in a NUMERIC column.
SQLAlchemy's result processor raised for the whole result, so the list, the detail and the form
could not load at all. Now that cell holds `Unreadable` (the stored value), shown marked; the form
shows the stored text and accepts a valid new value; the row can be deleted.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import WriteError
from tui_admin.core.format import UNREADABLE, display
from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.reading import Unreadable
from tui_admin.core.schemas import Mode, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import rows

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite", "sqlite+aiosqlite"])

BAD = {
    "born": "0000-00-00",
    "seen": "9999-12-31T23:59:60",
    "doc": '{"unclosed": ',
    "amount": "abc",
}


@pytest.fixture
async def bad(raw_tables: Callable[..., str]) -> AsyncIterator[Store]:
    url = raw_tables(["ur_row", "ur_owner"], [
        "CREATE TABLE ur_owner (id integer PRIMARY KEY, name varchar(20))",
        "CREATE TABLE ur_row (id integer PRIMARY KEY, name varchar(20), born DATE, seen DATETIME, doc JSON, "
        "amount NUMERIC(10, 2), owner_id integer REFERENCES ur_owner(id))",
        "INSERT INTO ur_owner VALUES (1, 'Owner')",
        "INSERT INTO ur_row VALUES (1, 'good', '2020-01-02', '2020-01-02 03:04:05', '{\"a\": 1}', 12.5, 1)",
        f"INSERT INTO ur_row VALUES (2, 'bad', '{BAD['born']}', '{BAD['seen']}', '{BAD['doc']}', "
        f"'{BAD['amount']}', 1)",
        "INSERT INTO ur_row VALUES (3, 'also good', '2021-01-01', NULL, NULL, NULL, NULL)",
    ])
    store = Store(url)
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


async def test_the_list_loads_with_the_bad_cells_marked(bad: Store) -> None:
    page = await bad.page(ListQuery("ur_row"), limit=10)
    assert [r.name for r in page.rows] == ["good", "bad", "also good"]
    good, broken, _ = page.rows
    assert (good.born, good.amount) == (dt.date(2020, 1, 2), decimal.Decimal("12.50"))
    info = bad.admin("ur_row").info
    for field, stored in BAD.items():
        value = getattr(broken, field)
        assert isinstance(value, Unreadable) and value.raw == stored, field
        assert display(info.columns[field], value) == f"{UNREADABLE} {stored}"
    assert broken.name == "bad" and broken.owner_id == 1  # the rest of the row reads as usual
    assert page.labels == {"owner_id": {1: "Owner"}}


async def test_a_list_sorted_by_a_column_with_a_bad_cell_pages_every_row(bad: Store) -> None:
    for field in ("born", "seen", "amount"):
        query = ListQuery("ur_row", sort=(SortKey(field),))
        first = await bad.page(query, limit=1)
        ids = [r.id for r in first.rows]
        page = first
        while page.has_more:
            page = await bad.page(query, after=page.last, limit=1)
            ids += [r.id for r in page.rows]
        assert sorted(ids) == [1, 2, 3], field


async def test_the_detail_and_the_form_load_and_a_valid_value_replaces_the_bad_one(
    bad: Store, check_db: sa.Engine
) -> None:
    detail = await bad.detail("ur_row", (2,))
    assert isinstance(detail.record.obj.born, Unreadable)
    assert detail.record.labels == {"owner_id": {1: "Owner"}}
    admin = bad.admin("ur_row")
    schemas = find_schemas(admin)
    obj = (await bad.get("ur_row", (2,))).obj
    original = {n: getattr(obj, n) for n in admin.info.columns}
    raw = {c.name: to_form_value(c, original[c.name]) for c in form_columns(admin, schemas, Mode.UPDATE)}
    assert {n: raw[n] for n in BAD} == BAD  # the form shows the stored text
    assert parse_form(admin, schemas, Mode.UPDATE, raw, original) == {}  # untouched: nothing sent
    changes = parse_form(admin, schemas, Mode.UPDATE, {**raw, "born": "2022-02-02", "amount": "7.25"}, original)
    assert changes == {"born": dt.date(2022, 2, 2), "amount": decimal.Decimal("7.25")}
    await bad.update("ur_row", (2,), changes, original)
    assert rows(check_db, "SELECT born, amount, seen FROM ur_row WHERE id = 2") == [
        ("2022-02-02", 7.25, BAD["seen"])
    ]


async def test_a_row_with_bad_values_can_be_deleted(bad: Store, check_db: sa.Engine) -> None:
    plan = await bad.delete_preview("ur_row", (2,))
    assert plan.label == "bad"
    await bad.delete("ur_row", (2,))
    assert rows(check_db, "SELECT id FROM ur_row ORDER BY id") == [(1,), (3,)]


async def test_nan_is_refused_rather_than_stored_as_null(bad: Store, check_db: sa.Engine) -> None:
    """SQLite stores a float NaN as NULL: the value would silently change, so it is refused."""
    with pytest.raises(WriteError) as caught:
        await bad.create("ur_row", {"id": 9, "name": "nan", "amount": decimal.Decimal("NaN")})
    assert "amount" in caught.value.field_errors
    with pytest.raises(WriteError):
        await bad.update("ur_row", (1,), {"doc": {"x": math.nan}}, {"doc": {"a": 1}})
    assert rows(check_db, "SELECT count(*) FROM ur_row WHERE id = 9") == [(0,)]
    assert rows(check_db, "SELECT doc FROM ur_row WHERE id = 1") == [('{"a": 1}',)]
