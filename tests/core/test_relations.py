"""Relationships through the Store on every engine: a detail with its relations in a fixed number
of statements, related pages, lists filtered to one parent, link candidates, and link edits applied
as one atomic diff."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.related import Via
from tui_admin.core.store import LinkChange, LinkDiff, Store

from .helpers import rows


def _links_of_hero(check_db: sa.Engine, hero: int) -> list[tuple]:
    return rows(check_db, f"SELECT team_id, role FROM heroteamlink WHERE hero_id = {hero} ORDER BY team_id")


async def test_hero_detail_in_three_statements(store: Store) -> None:
    detail = await store.detail("Hero", (1,))
    assert len(store.log.actions[-1].statements) <= 3
    assert detail.record.obj.name == "Deadpond"
    assert detail.record.labels == {"team_id": {2: "Z-Force"}}
    assert set(detail.related) == {"teams"}  # team_links shows the same rows: left out
    teams = detail.related["teams"]
    assert (teams.total, teams.has_more) == (2, False)
    assert [(r.obj.id, r.link) for r in teams.rows] == [(2, {"role": "lead"}), (4, {"role": "reserve"})]


async def test_team_detail_in_four_statements_whatever_its_size(store: Store) -> None:
    detail = await store.detail("Team", (1,), related_limit=3)
    assert len(store.log.actions[-1].statements) <= 4
    heroes, members = detail.related["heroes"], detail.related["members"]
    assert (heroes.total, heroes.has_more, [r.obj.id for r in heroes.rows]) == (4, True, [2, 3, 4])
    assert (members.total, members.has_more) == (5, True)
    assert [(r.obj.id, r.link["role"]) for r in members.rows] == [(2, "member"), (3, "lead"), (4, "member")]


async def test_detail_of_record_without_relations_skips_their_pages(store: Store) -> None:
    pk = await store.create("Team", {"name": "Empty", "headquarters": "Void"})
    detail = await store.detail("Team", pk)
    assert {n: (p.total, p.rows) for n, p in detail.related.items()} == {"heroes": (0, []), "members": (0, [])}
    assert len(store.log.actions[-1].statements) <= 2


async def test_related_pages_walk_by_key(store: Store) -> None:
    first = await store.related("Team", (1,), "heroes", limit=2)
    assert (first.total, first.has_more, [r.obj.id for r in first.rows]) == (4, True, [2, 3])
    second = await store.related("Team", (1,), "heroes", after=(3,), limit=2)
    assert (second.has_more, [r.obj.id for r in second.rows]) == (False, [4, 7])


async def test_list_filtered_to_one_parent(store: Store) -> None:
    query = ListQuery("Hero", via=Via("Team", "members", (1,)))
    assert await store.count(query) == 5
    page = await store.page(query, limit=3)
    ids = [h.id for h in page.rows]
    while page.has_more:
        page = await store.page(query, after=page.last, limit=3)
        ids += [h.id for h in page.rows]
    assert ids == [2, 3, 4, 5, 7]
    assert [h.id for h in (await store.page(ListQuery("Hero", via=Via("Team", "heroes", (1,))))).rows] == [2, 3, 4, 7]


async def test_team_list_counts_its_relations_in_the_page_statement(store: Store) -> None:
    page = await store.page(ListQuery("Team"), limit=10)
    assert len(store.log.actions[-1].statements) == 1
    assert page.counts["heroes"] == {(1,): 4, (2,): 2, (3,): 2, (4,): 2, (5,): 2}
    assert page.counts["members"] == {(1,): 5, (2,): 4, (3,): 4, (4,): 3, (5,): 4}


async def test_link_candidates_are_the_unlinked_ones_by_label(store: Store) -> None:
    candidates = await store.link_candidates("Hero", (1,), "teams")
    assert [t.name for t in candidates] == ["Night Watch", "Preventers", "Wakaland"]
    assert [t.id for t in await store.link_candidates("Hero", (1,), "teams", "WAK")] == [3]
    assert len(await store.link_candidates("Hero", (1,), "teams", limit=2)) == 2


async def test_apply_links_diff(store: Store, check_db: sa.Engine) -> None:
    diff = LinkDiff(
        add=[LinkChange((1,), {"role": "member"})],
        remove=[(4,)],
        change=[LinkChange((2,), {"role": "member"}, {"role": "lead"})],
    )
    await store.apply_links("Hero", (1,), "teams", diff)
    assert _links_of_hero(check_db, 1) == [(1, "member"), (2, "member")]
    assert rows(check_db, "SELECT count(*) FROM heroteamlink") == [(20,)]
    assert store.log.actions[-1].name == "links Hero.teams"


async def test_apply_links_from_the_team_side_uses_role_default(store: Store, check_db: sa.Engine) -> None:
    await store.apply_links("Team", (5,), "members", LinkDiff(add=[LinkChange((6,))]))
    assert _links_of_hero(check_db, 6) == [(2, "reserve"), (5, "member")]


async def test_failed_link_add_applies_nothing(store: Store, check_db: sa.Engine) -> None:
    diff = LinkDiff(remove=[(2,)], add=[LinkChange((5,), {"role": "lead"}), LinkChange((999,), {"role": "lead"})])
    with pytest.raises(WriteError):
        await store.apply_links("Hero", (1,), "teams", diff)
    assert _links_of_hero(check_db, 1) == [(2, "lead"), (4, "reserve")]
    assert (await store.get("Hero", (1,))).obj.name == "Deadpond"  # still usable


async def test_stale_link_change_applies_nothing(store: Store, check_db: sa.Engine) -> None:
    with check_db.begin() as conn:
        conn.exec_driver_sql("UPDATE heroteamlink SET role = 'member' WHERE team_id = 2 AND hero_id = 1")
    diff = LinkDiff(remove=[(4,)], change=[LinkChange((2,), {"role": "reserve"}, {"role": "lead"})])
    with pytest.raises(WriteError, match="changed or removed by someone else"):
        await store.apply_links("Hero", (1,), "teams", diff)
    assert _links_of_hero(check_db, 1) == [(2, "member"), (4, "reserve")]


async def test_removing_a_link_already_gone_applies_nothing(store: Store, check_db: sa.Engine) -> None:
    diff = LinkDiff(add=[LinkChange((3,), {"role": "lead"})], remove=[(5,)])
    with pytest.raises(WriteError, match="already removed"):
        await store.apply_links("Hero", (1,), "teams", diff)
    assert _links_of_hero(check_db, 1) == [(2, "lead"), (4, "reserve")]


async def test_empty_link_diff_sends_nothing(store: Store) -> None:
    before = len(store.log.actions)
    await store.apply_links("Hero", (1,), "teams", LinkDiff())
    assert len(store.log.actions) == before
