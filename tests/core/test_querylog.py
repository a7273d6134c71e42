"""Statement counts per user action, read from the Store's QueryLog on every engine: a list page
with its foreign-key labels and a detail read cost a fixed number of statements, however many
rows; nothing is loaded lazily behind the screen's back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.querylog import Action, QueryLog, Statement
from tui_admin.core.store import Store

TEAM_NAMES = {1: "Preventers", 2: "Z-Force", 3: "Wakaland", 4: "Avengers of the Sea", 5: "Night Watch"}


def _last(store: Store) -> Action:
    return store.log.actions[-1]


@pytest.mark.parametrize("limit", [10, 100])
async def test_hero_list_page_with_team_labels_is_at_most_two_statements(store: Store, limit: int) -> None:
    page = await store.page(ListQuery("Hero"), limit=limit)
    action = _last(store)
    assert action.name == "list Hero"
    assert len(page.rows) == min(limit, 15)
    assert 1 <= len(action.statements) <= 2
    assert action.repeated_shapes == []
    shown = {h.team_id for h in page.rows} - {None}
    assert page.labels == {"team_id": {t: TEAM_NAMES[t] for t in shown}}


async def test_every_page_of_a_walk_costs_the_same(store: Store) -> None:
    query = ListQuery("Hero", sort=(SortKey("age", True),))
    page = await store.page(query, limit=4)
    counts = [len(_last(store).statements)]
    while page.has_more:
        page = await store.page(query, after=page.last, limit=4)
        counts.append(len(_last(store).statements))
    assert len(counts) == 4
    assert all(n <= 2 for n in counts)


async def test_page_without_foreign_keys_on_screen_is_one_statement(store: Store) -> None:
    await store.page(ListQuery("Team"), limit=10)
    assert len(_last(store).statements) == 1


@pytest.mark.parametrize("pk", [(1,), (6,)])  # with a team, and without one
async def test_get_is_at_most_two_statements(store: Store, pk: tuple[int]) -> None:
    record = await store.get("Hero", pk)
    action = _last(store)
    assert action.name == "get Hero"
    assert 1 <= len(action.statements) <= 2
    expected = {} if record.obj.team_id is None else {record.obj.team_id: TEAM_NAMES[record.obj.team_id]}
    assert record.labels == {"team_id": expected}


async def test_get_of_link_labels_both_ends_in_three_statements(store: Store) -> None:
    record = await store.get("HeroTeamLink", (1, 3))
    assert record.labels == {"team_id": {1: "Preventers"}, "hero_id": {3: "Rusty-Man"}}
    assert len(_last(store).statements) <= 3  # the row, then one per foreign key


async def test_relationships_are_never_loaded_lazily(store: Store) -> None:
    hero = (await store.get("Hero", (3,))).obj
    listed = (await store.page(ListQuery("Hero"), limit=3)).rows[0]
    for obj in (hero, listed):
        for relation in ("team", "teams", "team_links"):
            with pytest.raises(sa.exc.InvalidRequestError, match="lazy='raise'"):
                getattr(obj, relation)


async def test_store_statements_are_logged_per_action(store: Store) -> None:
    await store.count(ListQuery("Hero"))
    await store.get("Team", (2,))
    count_action, get_action = list(store.log.actions)[-2:]
    assert count_action.name == "count Hero"
    assert get_action.name == "get Team"
    assert get_action.id == count_action.id + 1
    assert all(s.action == get_action.id for s in get_action.statements)
    assert "team" in get_action.statements[0].sql.lower()


def test_repeated_statement_shapes_flag_n_plus_one() -> None:
    log = QueryLog()
    action_id = log.begin("detail")
    action = log.get(action_id)
    assert action is not None
    for n in (1, 2, 3):
        action.statements.append(Statement(action_id, f"SELECT * FROM team WHERE team.id IN ({', '.join('?' * n)})", 1))
    assert action.repeated_shapes == [("SELECT * FROM team WHERE team.id IN (…)", 3)]
    action.statements.pop()
    assert action.repeated_shapes == []  # twice is not yet a pattern


def test_log_keeps_only_the_last_actions() -> None:
    log = QueryLog(keep=3)
    ids = [log.begin(f"a{i}") for i in range(5)]
    assert [a.name for a in log.actions] == ["a2", "a3", "a4"]
    assert log.get(ids[0]) is None
    assert log.get(ids[-1]) is not None
