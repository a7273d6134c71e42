"""The labels of the records a page's foreign keys name are read from the columns a label needs
(the key, the primary key, the label field), not as whole records: a page of 100 heroes labels
up to 100 teams, and building them as model objects was most of the page's Store time. A model
with a label function still gets whole records, as the function may read any column."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero, HeroTeamLink, Team


def _label_statement(store: Store) -> str:
    statements = [s.sql for s in store.log.actions[-1].statements]
    assert len(statements) == 2, statements  # the page, then the teams' labels
    return " ".join(statements[1].split())


async def test_a_page_reads_only_the_key_and_label_columns_of_the_teams(store: Store) -> None:
    page = await store.page(ListQuery("Hero"))
    sql = _label_statement(store)
    assert "team.name" in sql and "team.id" in sql and "headquarters" not in sql, sql
    assert page.labels["team_id"] == {1: "Preventers", 2: "Z-Force", 3: "Wakaland", 4: "Avengers of the Sea",
                                      5: "Night Watch"}


async def test_an_empty_label_field_falls_back_to_the_model_and_key(demo_url: str, demo_registry: Registry,
                                                                    db_urls: tuple[str, str]) -> None:
    engine = sa.create_engine(db_urls[0])
    with engine.begin() as conn:
        conn.execute(sa.update(Team.__table__).where(Team.__table__.c.id == 2).values(name=""))
    engine.dispose()
    store = Store(demo_url, demo_registry)
    try:
        page = await store.page(ListQuery("Hero"))
        record = await store.get("Hero", (1,))  # Deadpond, of team 2
    finally:
        await store.dispose()
    assert page.labels["team_id"][2] == "Team #2"
    assert record.labels["team_id"] == {2: "Team #2"}


def _with_headquarters(team: Any) -> str:
    return f"{team.name} ({team.headquarters})"


class TeamByPlace(ModelAdmin, model=Team):
    label = _with_headquarters


async def test_a_label_function_gets_the_whole_record(demo_url: str) -> None:
    store = Store(demo_url, Registry([Hero, TeamByPlace, HeroTeamLink]))
    try:
        page = await store.page(ListQuery("Hero"))
        sql = _label_statement(store)
    finally:
        await store.dispose()
    assert "headquarters" in sql, sql
    assert page.labels["team_id"][1] == "Preventers (Sharp Tower)"
