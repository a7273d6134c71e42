"""`ListQuery.only(keys)`: the marked rows of a list (what an export of marks reads), by their
primary keys as the database returned them, with the list's filters and sort still applied; a
composite key (the link model) matches whole keys, not the cross product of their columns."""

from __future__ import annotations

from tui_admin.core.query import Filter, ListQuery, SortKey
from tui_admin.core.store import Store


async def test_only_the_given_keys_in_list_order(store: Store) -> None:
    query = ListQuery("Hero", sort=(SortKey("name"),)).only([(3,), (1,), (7,)])
    page = await store.page(query, limit=2)
    rows = list(page.rows)
    page = await store.page(query, after=page.last, limit=2)
    rows += page.rows
    assert [h.id for h in rows] == sorted([1, 3, 7], key=lambda i: next(h.name for h in rows if h.id == i))
    assert len(rows) == 3
    assert await store.count(query) == 3
    assert await store.estimate(query) is None  # not the table's estimate
    # combined with a filter: a marked row the filter excludes is not there
    assert await store.count(query.adding(Filter("id", "range", (2, None)))) == 2
    assert await store.count(ListQuery("Hero").only([])) == 0
    values, _cursor, more = await store.values_page(query, None, 10)
    assert sorted(v[0] for v in values) == [1, 3, 7] and not more


async def test_composite_keys_match_whole_keys(store: Store) -> None:
    links = await store.page(ListQuery("HeroTeamLink"), limit=100)
    info = store.admin("HeroTeamLink").info
    keys = [info.pk_of(links.rows[0]), info.pk_of(links.rows[-1])]
    crossed = {(a, b) for a, _ in keys for _, b in keys}
    assert len(crossed) > 2, "the keys differ in both columns, so a per-column IN would match more"
    page = await store.page(ListQuery("HeroTeamLink").only(keys), limit=100)
    assert sorted(info.pk_of(r) for r in page.rows) == sorted(keys)
