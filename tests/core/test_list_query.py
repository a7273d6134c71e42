"""`ListQuery` as a pure value and the statements it compiles to, per dialect (no database)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Dialect

from tui_admin.core.dialects import backend_for
from tui_admin.core.query import (
    ListQuery,
    SortKey,
    count_select,
    escape_like,
    order_columns,
    page_select,
)
from tui_admin.core.registry import ConfigError, ModelAdmin, Registry
from tui_admin.demo.models import Hero, HeroTeamLink, Team

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect(), "mysql": mysql.dialect()}


@pytest.fixture(params=list(DIALECTS))
def dialect(request: pytest.FixtureRequest) -> Dialect:
    return DIALECTS[request.param]


def test_sorted_by_sets_then_reverses_then_restarts() -> None:
    query = ListQuery("Hero")
    assert query.sort == ()
    by_name = query.sorted_by("name")
    assert by_name.sort == (SortKey("name", False),)
    assert by_name.sorted_by("name").sort == (SortKey("name", True),)
    assert by_name.sorted_by("name").sorted_by("name").sort == (SortKey("name", False),)
    assert by_name.sorted_by("name").sorted_by("age").sort == (SortKey("age", False),)
    assert query.sort == ()  # immutable: every change is a new query


def test_filtered_adds_replaces_and_removes() -> None:
    query = ListQuery("Hero").filtered("team_id", 1)
    assert query.filters == (("team_id", 1),)
    assert query.filtered("team_id", 2).filters == (("team_id", 2),)
    assert query.filtered("age", None).filters == (("team_id", 1), ("age", None))
    assert query.filtered("team_id", 1).filters == ()


def test_searching_keeps_sort_and_filters() -> None:
    query = ListQuery("Hero").sorted_by("age").filtered("team_id", 3).searching("man")
    assert (query.search, query.sort, query.filters) == ("man", (SortKey("age"),), (("team_id", 3),))


def test_order_ends_with_key_in_direction_of_last_sort(demo_registry: Registry) -> None:
    admin = demo_registry["Hero"]
    cols = order_columns(admin, ListQuery("Hero", sort=(SortKey("age", True),)))
    assert [(c.name, c.descending, c.nullable) for c in cols] == [("age", True, True), ("id", True, False)]
    cols = order_columns(admin, ListQuery("Hero", sort=(SortKey("id", True),)))
    assert [(c.name, c.descending) for c in cols] == [("id", True)]
    link = demo_registry["HeroTeamLink"]
    assert [c.name for c in order_columns(link, ListQuery("HeroTeamLink", sort=(SortKey("role"),)))] == [
        "role",
        "team_id",
        "hero_id",
    ]


def test_a_sort_by_a_key_column_keeps_its_place(demo_registry: Registry) -> None:
    """A link sorted by the second column of its key is ordered by that column first, then by
    the rest of the key (the key column was dropped from the sort: the list kept key order)."""
    link = demo_registry["HeroTeamLink"]
    cols = order_columns(link, ListQuery("HeroTeamLink", sort=(SortKey("hero_id", True),)))
    assert [(c.name, c.descending) for c in cols] == [("hero_id", True), ("team_id", True)]
    cols = order_columns(link, ListQuery("HeroTeamLink", sort=(SortKey("team_id"),)))
    assert [(c.name, c.descending) for c in cols] == [("team_id", False), ("hero_id", False)]


def test_sort_outside_allow_list_is_refused() -> None:
    class HeroAdmin(ModelAdmin, model=Hero):
        column_sortable_list = ["name"]

    admin = Registry([HeroAdmin, Team, HeroTeamLink])["Hero"]
    with pytest.raises(ConfigError, match="cannot be sorted by 'secret_name'"):
        page_select(admin, ListQuery("Hero", sort=(SortKey("secret_name"),)), sqlite.dialect(), limit=10)


def test_filter_on_unknown_column_is_refused(demo_registry: Registry) -> None:
    with pytest.raises(ConfigError, match="no column 'power'"):
        count_select(demo_registry["Hero"], ListQuery("Hero").filtered("power", 9000), sqlite.dialect())


def test_searchable_fields_default_to_non_key_strings(demo_registry: Registry) -> None:
    assert demo_registry["Hero"].searchable == ["name", "secret_name"]
    assert demo_registry["HeroTeamLink"].searchable == ["role"]

    class HeroAdmin(ModelAdmin, model=Hero):
        column_searchable_list = ["secret_name"]

    admin = Registry([HeroAdmin, Team, HeroTeamLink])["Hero"]
    sql = str(page_select(admin, ListQuery("Hero", search="x"), sqlite.dialect(), limit=5).compile())
    assert "hero.secret_name LIKE" in sql
    assert "hero.name LIKE" not in sql


def test_user_text_reaches_sql_only_as_a_bound_parameter(demo_registry: Registry, dialect: Dialect) -> None:
    evil = "x'; DROP TABLE hero; --"
    query = ListQuery("Hero", search=evil).filtered("name", evil)
    stmt = page_select(demo_registry["Hero"], query, dialect, limit=5)
    compiled = stmt.compile(dialect=dialect)
    assert "DROP" not in str(compiled)
    assert evil in compiled.params.values()
    assert "%x'; DROP TABLE hero; --%" in compiled.params.values()


def test_keyset_cursor_values_are_bound_parameters(demo_registry: Registry, dialect: Dialect) -> None:
    query = ListQuery("Hero", sort=(SortKey("name"),))
    stmt = page_select(demo_registry["Hero"], query, dialect, after=("O'Brien", 7), limit=5)
    compiled = stmt.compile(dialect=dialect)
    assert "O'Brien" not in str(compiled)
    assert "O'Brien" in compiled.params.values()


@pytest.mark.parametrize(
    "kwargs", [{}, {"after": (5,)}, {"start": (5,)}, {"before": (5,)}, {"from_end": True}]
)
def test_pages_use_limit_never_offset(demo_registry: Registry, dialect: Dialect, kwargs: dict) -> None:
    stmt = page_select(demo_registry["Hero"], ListQuery("Hero"), dialect, limit=6, **kwargs)
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    assert re.search(r"LIMIT 6\b", sql)
    assert re.search(r"OFFSET (?!0\b)", sql) is None  # SQLite always writes OFFSET 0


def test_count_is_a_plain_count_without_order(demo_registry: Registry, dialect: Dialect) -> None:
    query = ListQuery("Hero", sort=(SortKey("name", True),), search="man").filtered("team_id", 1)
    sql = str(count_select(demo_registry["Hero"], query, dialect).compile(dialect=dialect)).upper()
    assert sql.startswith("SELECT COUNT(*)")
    assert "ORDER BY" not in sql
    assert "LIMIT" not in sql
    assert sql.count("SELECT") == 1  # no subquery


def test_search_is_case_insensitive_per_dialect(demo_registry: Registry, dialect: Dialect) -> None:
    stmt = page_select(demo_registry["Hero"], ListQuery("Hero", search="Man"), dialect, limit=5)
    sql = str(stmt.compile(dialect=dialect)).upper()
    if dialect.name == "postgresql":
        assert "ILIKE" in sql
    else:
        assert " LIKE " in sql and "LOWER(" not in sql  # ci already, and lower() would defeat the index


def test_escape_like_escapes_wildcards_and_the_escape_character() -> None:
    assert escape_like("100%_real") == "100/%/_real"
    assert escape_like("AC/DC") == "AC//DC"
    assert escape_like("plain") == "plain"


def test_nulls_sort_largest_only_on_postgresql() -> None:
    assert backend_for(postgresql.dialect()).nulls_largest
    assert not backend_for(sqlite.dialect()).nulls_largest
    assert not backend_for(mysql.dialect()).nulls_largest


def test_filter_on_none_is_is_null(demo_registry: Registry) -> None:
    stmt = count_select(demo_registry["Hero"], ListQuery("Hero").filtered("team_id", None), sqlite.dialect())
    assert "hero.team_id IS NULL" in str(stmt.compile(dialect=sqlite.dialect()))


def test_statements_select_every_column_of_the_model_raw(demo_registry: Registry) -> None:
    """A page reads each column as the driver returns it (no SQLAlchemy processing), so that one
    unparseable value spoils one cell and cursors keep the database's own representation."""
    stmt = page_select(demo_registry["Hero"], ListQuery("Hero"), sqlite.dialect(), limit=3)
    assert isinstance(stmt, sa.Select)
    selected = [c.element.clause for c in stmt.selected_columns]
    assert sorted(c.key for c in selected) == sorted(c.key for c in Hero.__table__.columns)
    assert all(c.type._isnull for c in stmt.selected_columns)
