"""The query log's questions, on every engine: the plan of a logged statement (with the
parameters it was sent with, full scans marked, never run), an N+1 named by the relationship it
lazy-loads and the eager load that fixes it, and the pool's checked-out connections."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tui_admin.core.plans import NoPlanError
from tui_admin.core.query import ListQuery
from tui_admin.core.querylog import Statement, reads
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero


def _first(store: Store, name: str) -> Statement:
    action = next(a for a in reversed(store.log.actions) if a.name == name)
    return action.statements[0]


async def test_a_substring_search_is_a_full_scan(store: Store) -> None:
    await store.page(ListQuery("Hero", search="pond"), limit=5)
    statement = _first(store, "list Hero")
    assert statement.parameters  # the search pattern and the limit, as the driver was sent them
    plan = await store.explain(statement)
    assert plan.statement == statement.sql
    scans = plan.full_scans
    assert scans, [line.text for line in plan.lines]
    word = {"sqlite": "SCAN hero", "postgresql": "Seq Scan on hero", "mysql": "hero: type="}[store.backend.name]
    assert all(word in line.text for line in scans)


async def test_a_lookup_by_key_uses_the_index(store: Store) -> None:
    await store.get("Hero", (1,))
    plan = await store.explain(_first(store, "get Hero"))
    assert plan.lines
    if store.backend.name == "postgresql":
        # a never-analysed 15-row table may be read whole by choice: the plan names the table
        assert any("hero" in line.text for line in plan.lines)
    else:
        assert plan.full_scans == [], [line.text for line in plan.lines]


async def test_explaining_an_update_does_not_run_it(store: Store) -> None:
    record = await store.get("Hero", (1,))
    name = record.obj.name
    await store.update("Hero", (1,), {"name": "Renamed"}, {"name": name})
    update = next(s for s in next(a for a in reversed(store.log.actions) if a.name == "update Hero").statements
                  if s.sql.lstrip().upper().startswith("UPDATE"))
    await store.update("Hero", (1,), {"name": name}, {"name": "Renamed"})
    plan = await store.explain(update)
    assert plan.lines
    assert (await store.get("Hero", (1,))).obj.name == name


@pytest.mark.parametrize("sql", ["BEGIN", "PRAGMA foreign_keys", "SET x = 1", "", "COMMIT"])
async def test_a_statement_without_a_plan_is_refused(store: Store, sql: str) -> None:
    with pytest.raises(NoPlanError, match="No plan for"):
        await store.explain(Statement(0, sql, 0.0))


async def test_an_n_plus_one_is_named_by_the_relationship_and_its_eager_load(store: Store) -> None:
    def lazily(session: Any) -> int:  # what a hook written without eager loads does
        heroes = session.execute(sa.select(Hero).order_by(Hero.id)).scalars().all()
        return len({h.team.id for h in heroes if h.team is not None})

    teams = await store._run("heroes lazily", lazily)
    repeats = store.log.actions[-1].n_plus_one
    assert [r.text for r in repeats] == [
        f"Hero.team: {teams} SELECTs of team by id — load it with selectinload(Hero.team)"]

    def links_lazily(session: Any) -> int:
        heroes = session.execute(sa.select(Hero).order_by(Hero.id)).scalars().all()
        return sum(len(h.teams) for h in heroes) and len(heroes)

    heroes = await store._run("teams lazily", links_lazily)
    (repeat,) = store.log.actions[-1].n_plus_one
    assert (repeat.relation, repeat.count, repeat.fix) == ("Hero.teams", heroes, "selectinload(Hero.teams)")
    assert repeat.reads == "team by heroteamlink.hero_id"


async def test_an_n_plus_one_without_the_orm_says_what_it_reads(store: Store) -> None:
    hero = store.admin("Hero").info

    def one_by_one(session: Any) -> None:
        for pk in range(1, 7):
            session.execute(sa.select(hero.table).where(hero.table.c.id == pk)).all()

    await store._run("one by one", one_by_one)
    (repeat,) = store.log.actions[-1].n_plus_one
    assert repeat.relation is None
    assert repeat.text == "6 SELECTs of hero by id — one statement for all of them (… IN (…)) would do"


async def test_a_held_connection_shows_in_the_pool_count(store: Store) -> None:
    await store.ping()
    assert store.connections_in_use == 0  # every operation gives its connection back
    if store.is_async:
        held: Any = await store._runner.engine.connect().start()
    else:
        held = store.sync_engine.connect()
    try:
        assert store.connections_in_use == 1
        await store.ping()
        assert store.connections_in_use == 1
    finally:
        await held.close() if store.is_async else held.close()
    assert store.connections_in_use == 0


def test_what_a_repeated_statement_reads() -> None:
    assert reads("SELECT team.id FROM team WHERE team.id = ?") == "team by id"
    assert reads("SELECT hero.id FROM hero WHERE %(param_1)s = hero.team_id") == "hero by team_id"
    assert reads('SELECT "T".id FROM public."T" WHERE "T".id = $1::INTEGER') == "public.T by id"
    assert reads("SELECT `t`.id FROM `t` WHERE `t`.a = %s AND `t`.b IN (…)") == "t by a, b"
    assert reads("SELECT 1") == "one shape"
