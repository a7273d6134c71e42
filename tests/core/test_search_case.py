"""One case rule for the three search forms: a substring (`spider`), a whole value (`=sure-e`)
and a start (`^sp`) all ignore case, on every engine, and the start and whole value are read from
an index where one serves them; `search_scans` says when none does (the list shows "scan")."""

from __future__ import annotations

import pytest

from tests.core.test_index_use import _page_plan
from tui_admin.core.dialects import backend_for
from tui_admin.core.query import ListQuery, search_scans
from tui_admin.core.store import Store


async def names(store: Store, text: str) -> list[str]:
    return [r.name for r in (await store.page(ListQuery("Hero").searching(text))).rows]


@pytest.mark.parametrize(("text", "found"), [
    ("spider", ["Spider-Boy"]),
    ("SPIDER", ["Spider-Boy"]),
    ("^sp", ["Spider-Boy"]),
    ("^SP", ["Spider-Boy"]),
    ("^sPiDeR-b", ["Spider-Boy"]),
    ("^captain n", ["Captain North America"]),
    ("=sure-e", ["Princess Sure-E"]),  # the whole secret_name "Sure-E"
    ("=SPIDER-BOY", ["Spider-Boy"]),
    ("=spider", []),  # a whole value, not a start
    ("^boy", []),  # a start, not inside
])
async def test_every_search_form_ignores_case(store: Store, text: str, found: list[str]) -> None:
    assert await names(store, text) == found
    assert await store.count(ListQuery("Hero").searching(text)) == len(found)


async def test_a_substring_scans_and_an_indexed_start_does_not(store: Store, engine_name: str) -> None:
    hero = store.admin("Hero")
    assert search_scans(hero, "spider", store.backend)
    assert not search_scans(hero, "", store.backend)
    name = hero.info.columns["name"]
    assert search_scans(hero, "^sp", store.backend) is not store.backend.prefix_uses_index(name, "sp")
    if engine_name == "sqlite" or engine_name.startswith("mysql"):  # code point order / a _ci LIKE
        assert not search_scans(hero, "^sp", store.backend)
    assert search_scans(hero, "=sure-e", store.backend)  # secret_name has no index


def test_case_heads_spell_out_the_ascii_start_in_every_case() -> None:
    sqlite, postgres = backend_for("sqlite"), backend_for("postgresql")
    assert sqlite.case_heads("sp") == ["SP", "Sp", "sP", "sp"]
    spider = sqlite.case_heads("spider")
    assert len(spider) == 16 and spider[0] == "SPID"  # the LIKE checks the rest
    assert sqlite.case_heads("Hero 0999")[0] == "HERO 0999"  # what follows the letters narrows each range
    assert sqlite.case_heads("12-a") == ["12-A", "12-a"]
    assert sqlite.case_heads("é") == ["é"]  # SQLite's LIKE does not fold it: one spelling
    assert postgres.case_heads("é") == []  # ILIKE does: no range would hold every match
    assert postgres.case_heads("ski") == ["S", "s"]  # the Kelvin sign folds to k: the ranges stop before it
    assert sqlite.case_heads("ski") == ["SKI", "SKi", "SkI", "Ski", "sKI", "sKi", "skI", "ski"]


async def test_sqlite_reads_a_case_insensitive_start_from_the_name_index(sqlite_demo: str, demo_registry) -> None:
    store = Store(sqlite_demo, demo_registry)
    try:
        plan = await _page_plan(store, ListQuery("Hero").searching("^sp"))
        assert "USING INDEX ix_hero_name (name>? AND name<?)" in plan, plan
        assert await names(store, "^sp") == ["Spider-Boy"]
    finally:
        await store.dispose()
