"""`Store.page(offset=N)`: "go to row N" reads the list from its row N+1 (OFFSET, with the
list's sort and filters); the keyset pages after it continue from there without a gap."""

from __future__ import annotations

import re

from tui_admin.core.query import Filter, ListQuery, SortKey
from tui_admin.core.store import Store


async def test_offset_starts_the_list_at_row_n(store: Store) -> None:
    query = ListQuery("Hero", sort=(SortKey("name"),))
    everything = [h.name for h in (await store.page(query, limit=100)).rows]
    page = await store.page(query, offset=10, limit=3)
    assert [h.name for h in page.rows] == everything[10:13]
    assert page.has_more
    following = await store.page(query, after=page.last, limit=100)
    assert [h.name for h in following.rows] == everything[13:]
    sql = store.log.actions[-2].statements[0].sql.upper()
    assert re.search(r"\bOFFSET\b|\bLIMIT \S+, ", sql), sql  # MySQL writes LIMIT offset, count
    filtered = query.adding(Filter("age", "not empty"))
    all_filtered = [h.name for h in (await store.page(filtered, limit=100)).rows]
    assert [h.name for h in (await store.page(filtered, offset=len(all_filtered) - 1, limit=5)).rows] == [
        all_filtered[-1]]
    assert (await store.page(query, offset=1000, limit=5)).rows == []
