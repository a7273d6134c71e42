"""Keyset paging, counts, filters and search on every engine.

Walking a list forwards (`after=page.last`) and backwards (`from_end`, then `before=page.first`) at
small page sizes must give exactly the order of a plain `ORDER BY sort, pk` — no row twice, none
missing — with NULLs where each database puts them natively (first in ascending order on SQLite
and MySQL, last on PostgreSQL). Extra heroes with tied names (differing only in case on purpose:
MySQL compares case-insensitively) and tied or NULL ages make the tie-breaking on the key matter.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.store import Page, Store

PAGE_SIZES = (1, 2, 3, 7)

EXTRA_HEROES = [
    {"name": "Twin", "secret_name": "First Twin", "age": 30},
    {"name": "Twin", "secret_name": "Second Twin", "age": 30},
    {"name": "twin", "secret_name": "Lower Twin", "age": None},
    {"name": "Alpha", "secret_name": "Al", "age": 48},
    {"name": "Zed", "secret_name": "Zed Zero", "age": None},
]

SORTS = {
    "id": (),
    "id desc": (SortKey("id", descending=True),),
    "name": (SortKey("name"),),
    "name desc": (SortKey("name", descending=True),),
    "age": (SortKey("age"),),
    "age desc": (SortKey("age", descending=True),),
    "team_id desc": (SortKey("team_id", descending=True),),
    "name, age": (SortKey("name"), SortKey("age", descending=True)),
}


@pytest.fixture
async def heroes(store: Store) -> Store:
    """The demo store with the extra, tie-making heroes (ids 16–20)."""
    for values in EXTRA_HEROES:
        await store.create("Hero", values)
    return store


def reference_ids(check_db: sa.Engine, sort: tuple[SortKey, ...], where: str = "") -> list[int]:
    """The list's order as one plain ORDER BY on the same database: the sort keys, then the key in
    the direction of the last sort key; each database's own NULL placement."""
    keys = [f"{k.field} {'DESC' if k.descending else 'ASC'}" for k in sort if k.field != "id"]
    id_desc = sort[-1].descending if sort else False
    keys.append(f"id {'DESC' if id_desc else 'ASC'}")
    sql = f"SELECT id FROM hero {'WHERE ' + where if where else ''} ORDER BY {', '.join(keys)}"
    with check_db.connect() as conn:
        return list(conn.exec_driver_sql(sql).scalars())


def python_reference(check_db: sa.Engine, field: str, descending: bool) -> list[int]:
    """The same order computed in Python for an integer column, with NULLs smallest on SQLite and
    MySQL and largest on PostgreSQL."""
    with check_db.connect() as conn:
        data = list(conn.exec_driver_sql(f"SELECT id, {field} FROM hero"))
    nulls_largest = check_db.dialect.name == "postgresql"
    null_rank = 1 if nulls_largest else -1

    def key(row: Any) -> tuple[int, int, int]:
        return (null_rank, 0, row[0]) if row[1] is None else (0, row[1], row[0])

    return [row[0] for row in sorted(data, key=key, reverse=descending)]


async def walk_forward(store: Store, query: ListQuery, size: int) -> list[int]:
    page = await store.page(query, limit=size)
    pages = [page]
    while page.has_more:
        assert len(page.rows) == size
        page = await store.page(query, after=page.last, limit=size)
        pages.append(page)
        assert len(pages) < 100, "paging does not end"
    return _ids(pages)


async def walk_backward(store: Store, query: ListQuery, size: int) -> list[int]:
    page = await store.page(query, from_end=True, limit=size)
    pages = [page]
    while page.has_more:
        assert len(page.rows) == size
        page = await store.page(query, before=page.first, limit=size)
        pages.insert(0, page)
        assert len(pages) < 100, "paging does not end"
    return _ids(pages)


def _ids(pages: list[Page]) -> list[int]:
    ids = [row.id for page in pages for row in page.rows]
    assert len(ids) == len(set(ids)), f"a row was shown twice: {ids}"
    return ids


@pytest.mark.parametrize("sort", list(SORTS), ids=list(SORTS))
async def test_walks_forward_and_backward_in_reference_order(heroes: Store, check_db: sa.Engine, sort: str) -> None:
    query = ListQuery("Hero", sort=SORTS[sort])
    expected = reference_ids(check_db, SORTS[sort])
    assert len(expected) == 20
    for size in PAGE_SIZES:
        assert await walk_forward(heroes, query, size) == expected, f"forward, pages of {size}"
        assert await walk_backward(heroes, query, size) == expected, f"backward, pages of {size}"


@pytest.mark.parametrize(("field", "descending"), [("id", False), ("age", False), ("age", True), ("team_id", False)])
async def test_order_matches_python_reference_with_dialect_null_rule(
    heroes: Store, check_db: sa.Engine, field: str, descending: bool
) -> None:
    query = ListQuery("Hero", sort=(SortKey(field, descending),))
    expected = python_reference(check_db, field, descending)
    assert await walk_forward(heroes, query, 4) == expected
    assert await walk_backward(heroes, query, 4) == expected


async def test_nulls_sort_first_or_last_by_dialect(heroes: Store, check_db: sa.Engine) -> None:
    page = await heroes.page(ListQuery("Hero", sort=(SortKey("age"),)), limit=20)
    ages = [h.age for h in page.rows]
    nulls = ages.count(None)
    assert nulls == 6
    if check_db.dialect.name == "postgresql":
        assert ages[-nulls:] == [None] * nulls
    else:
        assert ages[:nulls] == [None] * nulls


async def test_first_page_is_sorted_by_key_by_default(store: Store) -> None:
    page = await store.page(ListQuery("Hero"), limit=5)
    assert [h.id for h in page.rows] == [1, 2, 3, 4, 5]
    assert page.has_more
    assert page.first == (1,)
    assert page.last == (5,)


async def test_last_page_reads_backwards_in_list_order(store: Store) -> None:
    page = await store.page(ListQuery("Hero"), from_end=True, limit=4)
    assert [h.id for h in page.rows] == [12, 13, 14, 15]
    assert page.has_more  # rows lie before it


async def test_page_past_the_end_is_empty(store: Store) -> None:
    page = await store.page(ListQuery("Hero"), after=(15,), limit=5)
    assert page.rows == [] and not page.has_more
    assert page.first is None and page.last is None


@pytest.mark.parametrize("sort", ["id", "name desc", "age", "age desc"])
async def test_start_includes_the_cursor_row(heroes: Store, check_db: sa.Engine, sort: str) -> None:
    query = ListQuery("Hero", sort=SORTS[sort])
    expected = reference_ids(check_db, SORTS[sort])
    everything = await heroes.page(query, limit=50)
    for position in (0, 5, 11, 19):
        cursor = everything.cursors[position]
        page = await heroes.page(query, start=cursor, limit=4)
        assert [h.id for h in page.rows] == expected[position : position + 4]
        assert page.first == cursor


async def test_cursor_of_null_sort_value(heroes: Store) -> None:
    query = ListQuery("Hero", sort=(SortKey("age"),))
    page = await heroes.page(query, limit=50)
    position, row = next((i, h) for i, h in enumerate(page.rows) if h.age is None)
    assert page.cursors[position] == (None, row.id)


async def test_count_matches_the_rows(heroes: Store, check_db: sa.Engine) -> None:
    assert await heroes.count(ListQuery("Hero")) == 20
    assert await heroes.count(ListQuery("Hero", sort=(SortKey("age", True),))) == 20
    assert await heroes.count(ListQuery("Hero").filtered("team_id", 1)) == 4
    assert await heroes.count(ListQuery("Hero").filtered("team_id", None)) == 8
    assert await heroes.count(ListQuery("Team")) == 5


async def test_count_is_a_plain_count(heroes: Store) -> None:
    await heroes.count(ListQuery("Hero", sort=(SortKey("name"),), search="twin"))
    statements = heroes.log.actions[-1].statements
    assert len(statements) == 1
    sql = statements[0].sql.upper()
    assert "COUNT(" in sql
    assert "ORDER BY" not in sql and "LIMIT" not in sql


async def test_filters_page_and_count_together(heroes: Store, check_db: sa.Engine) -> None:
    query = ListQuery("Hero", sort=(SortKey("age", True),)).filtered("team_id", None)
    expected = reference_ids(check_db, query.sort, "team_id IS NULL")
    assert len(expected) == 8
    assert await walk_forward(heroes, query, 3) == expected
    assert await walk_backward(heroes, query, 3) == expected
    assert await heroes.count(query) == 8


# -- search -----------------------------------------------------------------------------------


def _matches(text: str, mode: str) -> set[int]:
    """Ids of demo and extra heroes whose name or secret name matches, computed in Python."""
    from tui_admin.demo import sample_sql

    names = _all_names(sample_sql())
    t = text.lower()
    ok = {
        "contains": lambda v: t in v.lower(),
        "prefix": lambda v: v.lower().startswith(t),
        "exact": lambda v: v.lower() == t,
    }[mode]
    return {i for i, (name, secret) in names.items() if ok(name) or ok(secret)}


def _all_names(sql: str) -> dict[int, tuple[str, str]]:
    import re

    names = {
        int(m[1]): (m[2].replace("''", "'"), m[3].replace("''", "'"))
        for m in re.finditer(r"\((\d+), '((?:[^']|'')*)', '((?:[^']|'')*)', (?:NULL|\d+), (?:NULL|\d+)\)", sql)
    }
    assert len(names) == 15
    for i, values in enumerate(EXTRA_HEROES, start=16):
        names[i] = (values["name"], values["secret_name"])
    return names


async def _search_ids(store: Store, text: str) -> list[int]:
    page = await store.page(ListQuery("Hero").searching(text), limit=100)
    assert await store.count(ListQuery("Hero").searching(text)) == len(page.rows)
    return [h.id for h in page.rows]


@pytest.mark.parametrize(
    ("text", "plain", "mode"),
    [
        ("man", "man", "contains"),
        ("MAN", "man", "contains"),
        ("twin", "twin", "contains"),
        ("  spider ", "spider", "contains"),
        ("=twin", "twin", "exact"),
        ("=SURE-E", "sure-e", "exact"),
    ],
)
async def test_search(heroes: Store, text: str, plain: str, mode: str) -> None:
    expected = _matches(plain, mode)
    assert expected, "the case must match something"
    ids = await _search_ids(heroes, text)
    assert ids == sorted(ids)  # still in list order
    assert set(ids) == expected


async def test_search_without_match_is_empty(heroes: Store) -> None:
    assert await _search_ids(heroes, "no such hero") == []


async def test_exact_search_does_not_match_a_prefix_or_part(heroes: Store) -> None:
    assert await _search_ids(heroes, "=Spider") == []
    assert await _search_ids(heroes, "=win") == []
    assert await _search_ids(heroes, "=Spider-Boy") == [2]


def _ignores_case(store: Store) -> bool:
    """Every search form ignores case on every engine (issue 12: `^sp` found nothing on SQLite
    and PostgreSQL while `spider` found Spider-Boy); the index ranges spell the prefix in every case."""
    return True


@pytest.mark.parametrize("prefix", ["T", "Tw", "tw", "Z", "Captain", "Sp"])
async def test_prefix_search_matches_the_start_of_the_indexed_name(heroes: Store, prefix: str) -> None:
    from tui_admin.demo import sample_sql

    folded = _ignores_case(heroes)
    expected = {
        i
        for i, (name, _secret) in _all_names(sample_sql()).items()
        if (name.lower().startswith(prefix.lower()) if folded else name.startswith(prefix))
    }
    assert expected, "the case must match something"
    ids = await _search_ids(heroes, "^" + prefix)
    assert ids == sorted(ids)
    assert set(ids) == expected


async def test_prefix_search_does_not_match_inside(heroes: Store) -> None:
    assert await _search_ids(heroes, "^Boy") == []
    assert await _search_ids(heroes, "^Spider-B") == [2]
    assert await _search_ids(heroes, "^spider-b") == ([2] if _ignores_case(heroes) else [])


async def test_empty_search_shows_everything(heroes: Store) -> None:
    assert len(await _search_ids(heroes, "   ")) == 20


@pytest.fixture
async def odd_names(store: Store) -> dict[str, int]:
    """Heroes whose names hold LIKE's wildcards and its escape character, and near misses that an
    unescaped pattern would match."""
    names = ["100%_real", "100ab real", "100x real", "AC/DC", "ACxDC", "under_score", "underXscore"]
    return {n: (await store.create("Hero", {"name": n, "secret_name": "odd"}))[0] for n in names}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["100%_real"]),
        ("_", ["100%_real", "under_score"]),
        ("%_", ["100%_real"]),
        ("100%_real", ["100%_real"]),
        ("=100%_real", ["100%_real"]),
        ("^100%", ["100%_real"]),
        ("/", ["AC/DC"]),
        ("c/d", ["AC/DC"]),
        ("=ac/dc", ["AC/DC"]),
        ("r_s", ["under_score"]),
    ],
)
async def test_search_matches_wildcards_literally(
    heroes: Store, odd_names: dict[str, int], text: str, expected: list[str]
) -> None:
    assert await _search_ids(heroes, text) == [odd_names[n] for n in expected]
