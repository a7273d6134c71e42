"""Typed filters (the filter bar's): each operator its kind offers, on the demo and on text
timestamps written by raw SQL, on SQLite, PostgreSQL and MariaDB; they combine with search and
sort, page exactly, and the default filter fields are the ones worth filtering on."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.core.raw_ddl import RunDDL, quote
from tui_admin.core.errors import ConfigError
from tui_admin.core.query import Filter, ListQuery, SortKey, preset_range
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store


@pytest.fixture(params=["sqlite", "postgresql+psycopg", "mysql+pymysql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


async def names(store: Store, query: ListQuery, limit: int = 100) -> list[str]:
    page = await store.page(query, limit=limit)
    out = [h.name for h in page.rows]
    while page.has_more:
        page = await store.page(query, after=page.last, limit=limit)
        out += [h.name for h in page.rows]
    return out


async def test_each_operator_on_the_demo(store: Store) -> None:
    heroes = ListQuery("Hero")
    assert await names(store, heroes.adding(Filter("team_id", "in", (2, 4)))) == [
        "Deadpond", "Aqua-Lad", "Mermaid Mia", "Quantum Quill"]
    in_range = heroes.adding(Filter("age", "range", (30, 41)))
    assert await names(store, in_range) == ["Tarantula", "Black Lion", "Dr. Weird", "Owl-Eye", "Quantum Quill"]
    assert await names(store, heroes.adding(Filter("age", "range", (None, 22)))) == ["Aqua-Lad", "The Invisible Intern"]
    assert await names(store, heroes.adding(Filter("age", "range", (48, 93, True)))) == ["Rusty-Man", "Lantern Lou"]
    assert await names(store, heroes.adding(Filter("age", "empty"))) == [
        "Deadpond", "Spider-Boy", "Mermaid Mia", "Captain Procrastination"]
    assert len(await names(store, heroes.adding(Filter("age", "not empty")))) == 11
    assert await names(store, heroes.adding(Filter("name", "contains", "MAN"))) == ["Rusty-Man"]
    assert await names(store, heroes.adding(Filter("name", "starts", "sp"))) == ["Spider-Boy"]
    assert await names(store, heroes.adding(Filter("name", "contains", "%"))) == []  # a literal %, not a wildcard
    assert await names(store, heroes.adding(Filter("team_id", "in", (None, 4)))) == [
        "Dr. Weird", "Aqua-Lad", "Mermaid Mia", "The Invisible Intern", "Captain Procrastination"]


async def test_filters_combine_with_search_sort_and_paging(store: Store) -> None:
    query = ListQuery("Hero", sort=(SortKey("age", descending=True),), search="a").adding(
        Filter("team_id", "in", (1, 3, 4))).adding(Filter("age", "not empty"))
    assert await names(store, query, limit=2) == [
        "Captain North America", "Rusty-Man", "Black Lion", "Tarantula", "Aqua-Lad"]
    assert await store.count(query) == 5
    replaced = query.adding(Filter("team_id", "in", (4,)))  # same field and operator: replaced
    assert await names(store, replaced) == ["Aqua-Lad"]
    assert await names(store, replaced.removing(Filter("team_id", "in", (4,)))) == await names(
        store, ListQuery("Hero", sort=query.sort, search="a").adding(Filter("age", "not empty")))


async def test_an_operator_the_kind_does_not_offer_is_refused(store: Store) -> None:
    with pytest.raises(ConfigError, match="cannot be filtered with 'contains'"):
        await store.page(ListQuery("Hero").adding(Filter("age", "contains", "3")))


async def test_ranges_and_presets_on_timestamps_written_by_raw_sql(
    backend: str, run_ddl: RunDDL, db_urls: tuple[str, str]
) -> None:
    table = quote(backend, "ev log")
    stamp = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP", "mysql": "DATETIME"}[backend]
    rows = ["2026-11-30 23:59:59", "2026-12-01 00:00:00", "2026-12-01 06:45:32", "2026-11-25 12:00:00",
            "2026-10-31 10:00:00"]
    run_ddl([f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, at {stamp})",
             *(f"INSERT INTO {table} VALUES ({i}, '{v}')" for i, v in enumerate(rows, 1))],
            [f"DROP TABLE IF EXISTS {table}"])
    store = Store(db_urls[1])
    try:
        registry = await store.reflect()
        assert registry["ev log"].filters == ["at"]  # a datetime: filtered by default
        now = dt.datetime(2026, 12, 1, 9, 30)

        async def ids(name: str) -> list[int]:
            query = ListQuery("ev log").adding(Filter("at", "range", preset_range(name, now)))
            return [r.id for r in (await store.page(query)).rows]

        assert await ids("today") == [2, 3]
        assert await ids("last 7 days") == [1, 2, 3, 4]
        assert await ids("this month") == [2, 3]
        day = ListQuery("ev log").adding(Filter("at", "range", (dt.datetime(2026, 11, 30), dt.datetime(2026, 12, 1))))
        assert [r.id for r in (await store.page(day)).rows] == [1, 2]  # both ends included
    finally:
        await store.dispose()


def test_default_filter_fields_and_the_option_checked(demo_registry: Registry) -> None:
    assert demo_registry["Hero"].filters == ["age", "team_id"]  # indexed number, foreign key
    assert demo_registry["Team"].filters == []

    from tui_admin.core.registry import ModelAdmin
    from tui_admin.demo.models import Hero

    class HeroFilters(ModelAdmin, model=Hero):
        column_filters = ["nam"]

    with pytest.raises(ConfigError, match=r"A001 HeroFilters.column_filters: unknown field 'nam' — did you mean"):
        Registry([HeroFilters])


def test_a_filter_describes_itself_by_label() -> None:
    assert Filter("team_id", "=", 1, label="Preventers").describe("team") == "team = Preventers"
    assert Filter("age", "range", (30, 40)).describe() == "age 30–40"
    assert Filter("age", "range", (None, 40)).describe() == "age ≤ 40"
    assert Filter("name", "contains", "sp").describe() == 'name contains "sp"'
    assert Filter("age", "empty").describe() == "age is empty"
    assert Filter("at", "range", preset_range("today", dt.datetime(2026, 12, 1)), label="at today").describe() == (
        "at today")
