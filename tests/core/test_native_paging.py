"""Keyset paging is exact for every sort it offers, on values written by raw SQL in each
database's own literal formats, on every engine (sync and async driver).

Walking every page forwards from the first and backwards from the last, in both directions of
every offered sort, yields each row exactly once, in the order of one plain `ORDER BY` run by the
database itself. The columns are full of ties and NULLs, and of the forms that broke the cursor:
SQLite date texts without microseconds (bound back as '… 00:00:00.000000' they never equalled the
stored text: pages skipped, repeated, or never ended), PostgreSQL booleans (page 2 raised), reals
(the cursor never equalled the stored float4), `char(n)` padding, MySQL ENUM (sorted by index,
compared as text). A type without a usable order (MySQL SET, JSON) is not offered as a sort.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.reflect import map_tables
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store

from .helpers import rows

#: The most pages a walk may take before it is a failure (a list that never ends).
MAX_PAGES = 200

SCHEMAS: dict[str, tuple[str, list[str]]] = {
    "sqlite": (
        "id integer PRIMARY KEY, ts DATETIME, same DATETIME, d DATE, n NUMERIC(10, 2), b BOOLEAN, "
        "t VARCHAR(20), r REAL",
        [
            "(1, '2021-02-01 00:00:00', '2021-02-01 00:00:00', '2016-07-04', 12.5, 1, 'a', 1.5)",
            "(2, '2021-02-01 00:00:00', '2021-02-01 00:00:00', '2016-07-04', '12.50', 0, 'A', 1.5)",
            "(3, '2016-07-04', '2021-02-01 00:00:00', NULL, 3, NULL, 'á', NULL)",
            "(4, NULL, '2021-02-01 00:00:00', '2016-07-05', NULL, 1, 'B', 2.25)",
            "(5, '2021-02-01T00:00:00', '2021-02-01 00:00:00', '2016-07-04', 12.5, 0, 'b', 1.5)",
            "(6, '2021-02-01 00:00:00.5', '2021-02-01 00:00:00', '2016-07-03', 12.5, 1, 'a', -1)",
            "(7, '2021-02-01 00:00:00', '2021-02-01 00:00:00', '2016-07-04', 0, NULL, NULL, 1.5)",
            "(8, NULL, '2021-02-01 00:00:00', NULL, 12.5, 1, 'a', 1.5)",
        ],
    ),
    "postgresql": (
        "id integer PRIMARY KEY, b boolean, r real, f double precision, ch char(5), t text, ts timestamp, "
        "tz timestamptz, u uuid, n numeric(10, 2)",
        [
            "(1, true, 1.1, 'Infinity', 'ab', 'a', '2021-02-01 00:00:00', '2021-02-01 00:00:00+05', "
            "'00000000-0000-0000-0000-000000000001', 12.5)",
            "(2, false, 1.1, '-Infinity', 'ab ', 'A', '2021-02-01 00:00:00', '2021-02-01 00:00:00+00', "
            "'00000000-0000-0000-0000-000000000001', 12.50)",
            "(3, NULL, NULL, 'NaN', 'a', 'á', NULL, NULL, NULL, NULL)",
            "(4, true, 2.5, 1.1, NULL, 'B', '2016-07-04 00:00:00', '2021-02-01 05:00:00+05', "
            "'00000000-0000-0000-0000-000000000002', 3)",
            "(5, false, 1.1, 'NaN', 'ab', 'b', '2021-02-01 00:00:00.5', '2021-01-31 19:00:00+00', "
            "'00000000-0000-0000-0000-000000000001', 12.5)",
            "(6, true, -1, 1.1, 'zz', NULL, '2021-02-01 00:00:00', NULL, NULL, 0)",
            "(7, NULL, 1.1, 'Infinity', 'ab', 'a', '2021-02-01 00:00:00', '2021-02-01 00:00:00+05', "
            "'00000000-0000-0000-0000-000000000002', 12.5)",
        ],
    ),
    "mysql": (
        "id integer PRIMARY KEY, e ENUM('b', 'a', 'c'), s SET('x', 'y'), f FLOAT, d DOUBLE, ch CHAR(5), "
        "t VARCHAR(20), dt DATETIME",
        [
            "(1, 'a', 'x,y', 1.1, 1.1, 'ab', 'a', '2021-02-01 00:00:00')",
            "(2, 'c', 'y', 1.1, 1.1, 'ab', 'A', '2021-02-01 00:00:00')",
            "(3, NULL, NULL, NULL, NULL, NULL, 'á', NULL)",
            "(4, 'b', '', 2.5, 2.5, 'a', 'B', '2016-07-04 00:00:00')",
            "(5, 'a', 'x', 1.1, 1.1, 'ab ', 'b', '2021-02-01 00:00:00')",
            "(6, 'b', 'x,y', -1, -1, 'zz', 'a ', '2021-02-01 00:00:01')",
            "(7, 'a', 'x', 1.1, 1.1, 'ab', NULL, '2021-02-01 00:00:00')",
        ],
    ),
}
#: Columns that must not be offered as a sort.
NOT_SORTABLE = {"mysql": {"s"}}


@pytest.fixture
async def native(engine_name: str, db_urls: tuple[str, str], raw_tables: Callable[..., str]) -> AsyncIterator[Store]:
    columns, values = SCHEMAS[engine_name.split("+")[0]]
    url = raw_tables(["np_row"], [f"CREATE TABLE np_row ({columns})", f"INSERT INTO np_row VALUES {', '.join(values)}"])
    engine = sa.create_engine(db_urls[0])
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine, only=["np_row"])
    finally:
        engine.dispose()
    reflected = map_tables(metadata)
    async with Store(url, Registry(reflected.models, names=reflected.names)) as store:
        yield store


def reference(check_db: sa.Engine, field: str, descending: bool) -> list[int]:
    """The order of one plain ORDER BY: the column, then the key in the same direction."""
    direction = "DESC" if descending else "ASC"
    return [r[0] for r in rows(check_db, f"SELECT id FROM np_row ORDER BY {field} {direction}, id {direction}")]


async def walk(store: Store, query: ListQuery, size: int, *, backwards: bool) -> list[int]:
    page = await store.page(query, from_end=backwards, limit=size)
    pages = [page]
    while page.has_more:
        assert len(pages) < MAX_PAGES, "the list never ends"
        if backwards:
            page = await store.page(query, before=page.first, limit=size)
        else:
            page = await store.page(query, after=page.last, limit=size)
        pages.append(page)
    ordered = reversed(pages) if backwards else pages
    return [r.id for p in ordered for r in p.rows]


async def test_every_offered_sort_pages_each_row_once_in_order(native: Store, check_db: sa.Engine,
                                                               engine_name: str) -> None:
    admin = native.admin("np_row")
    backend = engine_name.split("+")[0]
    offered = set(admin.sortable)
    assert offered.isdisjoint(NOT_SORTABLE.get(backend, set()))
    assert offered == set(admin.info.columns) - NOT_SORTABLE.get(backend, set())
    walked: dict[str, Any] = {}
    for field in sorted(offered - {"id"}):
        for descending in (False, True):
            query = ListQuery("np_row", sort=(SortKey(field, descending),))
            expected = reference(check_db, field, descending)
            for size in (1, 2, 3):
                for backwards in (False, True):
                    walked[f"{field} {'desc' if descending else 'asc'} by {size} {'back' if backwards else ''}"] = (
                        await walk(native, query, size, backwards=backwards), expected)
    wrong = {k: v for k, (v, expected) in walked.items() if v != expected}
    assert not wrong, {k: (v, walked[k][1]) for k, v in wrong.items()}


async def test_an_equality_filter_on_a_cell_finds_its_row(native: Store, check_db: sa.Engine) -> None:
    """`f` on a cell filters by the value as the database returned it: a SQLite date text
    without microseconds finds its rows (bound as SQLAlchemy writes it, it matched nothing)."""
    from tui_admin.core.query import Stored

    admin = native.admin("np_row")
    page = await native.page(ListQuery("np_row"), limit=50)
    for field in admin.sortable:
        for obj, raw in zip(page.rows, page.raw, strict=True):
            if raw[field] is None:
                continue
            query = ListQuery("np_row").filtered(field, Stored(raw[field]))
            found = [r.id for r in (await native.page(query, limit=50)).rows]
            assert obj.id in found, (field, raw[field])
            assert await native.count(query) == len(found)
