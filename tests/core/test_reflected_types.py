"""Reflection sees the types that are there (raw DDL on each database, rows by raw SQL).

- PostgreSQL: a DOMAIN is its base type; an ARRAY of scalars is edited as a list; `interval`
  keeps its months (read and written as the database's own text, not as 30-day timedeltas);
  inet/cidr and money are validated text; tsvector, xml and geometric types are shown, never
  edited, sorted or filtered; NUMERIC(p, s) enforces its scale; a `char(n)` value is shown and
  searched without its padding; a prefix search is exact under an ICU collation.
- MySQL/MariaDB: YEAR is an integer, SET a multi-choice (not text shown as `{'x', 'y'}`).
- SQLite: a NUMERIC without scale is shown as stored, not padded to ten decimals.
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.format import display
from tui_admin.core.introspect import Kind
from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import rows


async def _reflected(url: str) -> Store:
    store = Store(url)
    await store.reflect()
    return store


def _form(store: Store, model: str, obj: Any, **typed: Any) -> dict[str, Any]:
    """The changes the edit form sends when `typed` is typed over the record's values."""
    admin = store.admin(model)
    schemas = find_schemas(admin)
    original = {n: getattr(obj, n) for n in admin.info.columns}
    raw = {c.name: to_form_value(c, original[c.name]) for c in form_columns(admin, schemas, Mode.UPDATE)}
    return parse_form(admin, schemas, Mode.UPDATE, {**raw, **typed}, original)


async def _edit(store: Store, model: str, pk: tuple[Any, ...], **typed: Any) -> Any:
    obj = (await store.get(model, pk)).obj
    original = {n: getattr(obj, n) for n in store.admin(model).info.columns}
    await store.update(model, pk, _form(store, model, obj, **typed), original)
    return (await store.get(model, pk)).obj


# -- PostgreSQL ----------------------------------------------------------------------------------

PG_DDL = [
    "DROP DOMAIN IF EXISTS rt_positive CASCADE",
    "CREATE DOMAIN rt_positive AS integer CHECK (VALUE > 0)",
    "CREATE TABLE rt_pg (id integer PRIMARY KEY, pos rt_positive, nums integer[], tags text[], "
    "span interval, addr inet, net cidr, price money, words tsvector, doc xml, spot point, "
    "amount numeric(10, 2), code char(10), name text COLLATE \"und-x-icu\")",
    "INSERT INTO rt_pg VALUES (1, 5, '{1,2,3}', '{a,\"b c\"}', '1 mon 2 days', '10.0.0.1/24', '10.0.0.0/24', "
    "'12.50', 'a fat cat', '<a>b</a>', '(1,2)', 12.5, 'Mandarin', 'Zebra')",
    "INSERT INTO rt_pg VALUES (2, 7, '{}', NULL, '-1 hour', '::1', '192.168.0.0/16', '-3', 'dog', NULL, "
    "'(0,0)', 3, 'Lime', 'apple')",
]


@pytest.fixture
async def pg(engine_name: str, raw_tables: Callable[..., str]) -> AsyncIterator[Store]:
    store = await _reflected(raw_tables(["rt_pg"], PG_DDL))
    try:
        yield store
    finally:
        await store.dispose()


pg_engines = pytest.mark.parametrize("engine_name", ["postgresql+psycopg", "postgresql+asyncpg"])


@pg_engines
async def test_postgresql_kinds_and_what_can_be_sorted_and_edited(pg: Store) -> None:
    admin = pg.admin("rt_pg")
    kinds = {name: col.kind for name, col in admin.info.columns.items()}
    assert kinds == {
        "id": Kind.INTEGER, "pos": Kind.INTEGER, "nums": Kind.ARRAY, "tags": Kind.ARRAY, "span": Kind.INTERVAL,
        "addr": Kind.NETWORK, "net": Kind.NETWORK, "price": Kind.MONEY, "words": Kind.OTHER, "doc": Kind.OTHER,
        "spot": Kind.OTHER, "amount": Kind.DECIMAL, "code": Kind.TEXT, "name": Kind.TEXT,
    }
    read_only = {"words", "doc", "spot"}
    assert read_only.isdisjoint(admin.sortable) and {"nums", "tags"}.isdisjoint(admin.sortable)
    editable = {c.name for c in form_columns(admin, find_schemas(admin), Mode.UPDATE)}
    assert editable == set(kinds) - read_only - {"id"}
    obj = (await pg.get("rt_pg", (1,))).obj
    assert (obj.nums, obj.tags, obj.span, obj.price) == ([1, 2, 3], ["a", "b c"], "1 mon 2 days", "$12.50")
    assert obj.addr == ipaddress.ip_interface("10.0.0.1/24") and obj.code == "Mandarin"
    columns = admin.info.columns
    assert display(columns["words"], obj.words) == "'a' 'cat' 'fat'"
    assert display(columns["nums"], obj.nums) == "[1, 2, 3]"


@pg_engines
async def test_postgresql_values_edit_exactly(pg: Store, check_db: sa.Engine) -> None:
    obj = await _edit(pg, "rt_pg", (1,), pos="6", nums="[4, 5]", tags='["x", "y z"]', span="1 year 2 mons",
                      addr="10.1.2.3/8", net="10.0.0.0/8", price="1,234.50", amount="7.25", code="Pomelo")
    assert (obj.pos, obj.nums, obj.tags, obj.span, obj.code) == (6, [4, 5], ["x", "y z"], "1 year 2 mons", "Pomelo")
    assert rows(check_db, "SELECT span::text, price::text, amount, code FROM rt_pg WHERE id = 1") == [
        ("1 year 2 mons", "$1,234.50", decimal.Decimal("7.25"), "Pomelo    ")
    ]
    # an untouched interval with months is sent back as it is: nothing changes
    assert _form(pg, "rt_pg", (await pg.get("rt_pg", (2,))).obj) == {}


@pg_engines
@pytest.mark.parametrize(("field", "typed"), [
    ("pos", "x"), ("nums", "[1, \"a\"]"), ("nums", "1, 2"), ("addr", "10.0.0.300"), ("net", "10.0.0.1/8"),
    ("price", "twelve"), ("amount", "12.345"),
])
async def test_postgresql_bad_input_is_a_field_error(pg: Store, field: str, typed: str) -> None:
    obj = (await pg.get("rt_pg", (1,))).obj
    with pytest.raises(ValidationFailed) as caught:
        _form(pg, "rt_pg", obj, **{field: typed})
    assert list(caught.value.errors) == [field]


@pg_engines
async def test_postgresql_sorts_and_searches_follow_the_database(pg: Store) -> None:
    async def ids(query: ListQuery) -> list[int]:
        return [r.id for r in (await pg.page(query, limit=10)).rows]

    assert await ids(ListQuery("rt_pg", sort=(SortKey("span"),))) == [2, 1]
    assert await ids(ListQuery("rt_pg", sort=(SortKey("price", True),))) == [1, 2]
    assert await ids(ListQuery("rt_pg", sort=(SortKey("addr"),))) == [1, 2]  # IPv4 before IPv6
    assert await ids(ListQuery("rt_pg").searching("^Z")) == [1]  # ICU collation: no code-point range
    assert await ids(ListQuery("rt_pg").searching("^z")) == [1]  # one case rule for every search form (issue 12)
    assert await ids(ListQuery("rt_pg").searching("=mandarin")) == [1]  # char(10): without its padding
    assert await ids(ListQuery("rt_pg").filtered("code", "Mandarin")) == [1]


# -- MySQL / MariaDB -----------------------------------------------------------------------------

MY_DDL = [
    "CREATE TABLE rt_my (id integer PRIMARY KEY, born YEAR, flags SET('x', 'y', 'z'))",
    "INSERT INTO rt_my VALUES (1, 1999, 'y,x'), (2, 2024, ''), (3, NULL, NULL)",
]


@pytest.mark.parametrize("engine_name", ["mysql+pymysql", "mysql+aiomysql"])
async def test_mysql_year_is_an_integer_and_set_a_multi_choice(
    raw_tables: Callable[..., str], check_db: sa.Engine
) -> None:
    store = await _reflected(raw_tables(["rt_my"], MY_DDL))
    try:
        admin = store.admin("rt_my")
        assert (admin.info.columns["born"].kind, admin.info.columns["flags"].kind) == (Kind.INTEGER, Kind.SET)
        assert admin.info.columns["flags"].choices == ("x", "y", "z")
        assert "flags" not in admin.sortable
        obj = (await store.get("rt_my", (1,))).obj
        assert (obj.born, obj.flags) == (1999, {"x", "y"})
        assert display(admin.info.columns["flags"], obj.flags) == "x,y"
        obj = await _edit(store, "rt_my", (1,), born="2001", flags={"z", "x"})
        assert (obj.born, obj.flags) == (2001, {"x", "z"})
        assert rows(check_db, "SELECT born, flags FROM rt_my WHERE id = 1") == [(2001, "x,z")]
        with pytest.raises(ValidationFailed):
            _form(store, "rt_my", obj, flags={"w"})
    finally:
        await store.dispose()


# -- SQLite --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["sqlite", "sqlite+aiosqlite"])
async def test_sqlite_numeric_without_scale_is_shown_as_stored(raw_tables: Callable[..., str]) -> None:
    store = await _reflected(raw_tables(["rt_lite"], [
        "CREATE TABLE rt_lite (id integer PRIMARY KEY, n NUMERIC, d DATE)",
        "INSERT INTO rt_lite VALUES (1, 12.5, '2020-01-01'), (2, 100, NULL), (3, 0.1, NULL)",
    ]))
    try:
        page = await store.page(ListQuery("rt_lite"), limit=5)
        column = store.admin("rt_lite").info.columns["n"]
        assert [display(column, r.n) for r in page.rows] == ["12.5", "100", "0.1"]
        assert page.rows[0].d == dt.date(2020, 1, 1)
    finally:
        await store.dispose()
