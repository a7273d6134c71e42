"""Every zoo table read through the Store on every engine (sync and async drivers): its pages in
every sort it offers, walked both ways at a small page size, its count, its search, its filters
and the detail of each of its rows. The reference is always raw SQL on the same database.

A test that tries many things (every sort, every field) tries them all and then lists everything
that went wrong, one line each, so that one failure does not hide the others."""

from __future__ import annotations

from typing import Any

import pytest

from tests.zoo.catalogue import ZooTable
from tests.zoo.conftest import Zoo
from tests.zoo.harness import check_walk, first_line, ident, offered_sorts, walk
from tui_admin.core.errors import StoreError
from tui_admin.core.query import ListQuery, Stored
from tui_admin.core.registry import ConfigError
from tui_admin.core.store import Page, Store

LIMIT = 3  # rows per page: many pages even on small tables
ALL = 1000  # more rows than any zoo table holds
VALUES_PER_FIELD = 4  # distinct values of a field a search or filter is tried with (NULL besides)


def report(what: str, failures: list[str], tried: int) -> str:
    return f"{len(failures)} of {tried} {what}:\n" + "\n".join(failures)


async def all_rows(store: Store, name: str) -> list[Any]:
    page = await store.page(ListQuery(name), limit=ALL)
    assert not page.has_more
    return page.rows


# -- paging ---------------------------------------------------------------------------------


async def test_every_offered_sort_pages_exactly_forwards_and_backwards(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    """Walking all pages forwards from the first and backwards from the last, in both directions
    of every offered sort, gives each row exactly once, in the order of one raw ORDER BY (sort
    column, then key). Without a key, each row once, ordered by the sort column; and the same
    order both ways."""
    admin = zoo.admin(zoo_table)
    most = zoo.raw.count(zoo_table) // LIMIT + 3
    sorts = offered_sorts(admin)
    failures: list[str] = []
    for label, query in sorts:
        walks: list[list[Any]] = []
        for backwards in (False, True):
            way = "backwards from the last page" if backwards else "forwards from the first page"
            try:
                walked = await walk(zoo_store, query, backwards=backwards, limit=LIMIT, most=most)
            except Exception as exc:
                failures.append(f"{label}, {way}: {first_line(exc)}")
                continue
            walks.append([ident(admin.info, zoo_table, r) for r in walked])
            problem = check_walk(zoo.raw, zoo_table, admin.info, query, walked)
            if problem is not None:
                failures.append(f"{label}, {way}: {problem}")
        if not zoo_table.keyed and len(walks) == 2 and walks[0] != walks[1]:
            failures.append(f"{label}: forwards {walks[0]} but backwards {walks[1]}")
    assert not failures, report(f"walks of {zoo_table} go wrong", failures, 2 * len(sorts))


@pytest.mark.zoo(select=lambda t: t.keyed)
async def test_first_and_last_pages_are_the_ends_of_the_key_order(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    admin = zoo.admin(zoo_table)
    expected = zoo.raw.order(zoo_table, [])
    first = await zoo_store.page(ListQuery(admin.info.name), limit=LIMIT)
    last = await zoo_store.page(ListQuery(admin.info.name), from_end=True, limit=LIMIT)
    assert [ident(admin.info, zoo_table, r) for r in first.rows] == expected[:LIMIT]
    assert [ident(admin.info, zoo_table, r) for r in last.rows] == expected[-LIMIT:]
    assert (first.has_more, last.has_more) == (len(expected) > LIMIT, len(expected) > LIMIT)


async def test_count_is_the_raw_count(zoo: Zoo, zoo_store: Store, zoo_table: ZooTable) -> None:
    name = zoo.admin(zoo_table).info.name
    assert await zoo_store.count(ListQuery(name)) == zoo.raw.count(zoo_table)


# -- search and filters ---------------------------------------------------------------------


def needles(value: str, *, prefix: bool) -> list[str]:
    """What a person would type to find a value: part of it (here: all of it), `=` the whole
    value, and (where a `^` search looks) `^` its first character and `^` all of it. Search text
    is stripped, so a value with spaces at its ends is looked for by its inner text only."""
    inner = value.strip()
    if not inner:
        return []
    found = [inner]
    if inner == value:
        found.append(f"={value}")
        if prefix:
            found += [f"^{value[:1]}", f"^{value}"]
    return found


async def test_search_finds_each_row_by_the_text_it_holds(zoo: Zoo, zoo_store: Store, zoo_table: ZooTable) -> None:
    """Every distinct text of every searchable field (markup, control characters, CJK, emoji,
    accents, ICU-collated words) finds its row, and the count agrees with the rows found. A `^`
    search looks in the indexed searchable fields when there are any (ListQuery's documented
    rule, so that it reads an index range), else in all of them."""
    admin = zoo.admin(zoo_table)
    info, raw = admin.info, zoo.raw
    prefixed = [f for f in admin.searchable if info.columns[f].indexed] or admin.searchable
    failures: list[str] = []
    tried = 0
    for field in admin.searchable:
        column = raw.q(info.columns[field].column.name)
        keys = ", ".join(raw.q(c) for c in zoo_table.key)
        seen: set[str] = set()
        for *key, value in raw.rows(f"SELECT {keys}, {column} FROM {raw.t(zoo_table)} ORDER BY {keys}"):
            if not isinstance(value, str) or value in seen or len(seen) >= VALUES_PER_FIELD:
                continue
            seen.add(value)
            for needle in needles(value, prefix=field in prefixed):
                tried += 1
                query = ListQuery(info.name).searching(needle)
                try:
                    page = await zoo_store.page(query, limit=ALL)
                    counted = await zoo_store.count(query)
                except Exception as exc:
                    failures.append(f"{field}: search {needle!r}: {first_line(exc)}")
                    continue
                found = [ident(info, zoo_table, r) for r in page.rows]
                if tuple(key) not in found:
                    failures.append(f"{field}: search {needle!r} does not find {tuple(key)} (found {found})")
                if counted != len(found):
                    failures.append(f"{field}: search {needle!r} counts {counted} for {len(found)} rows")
    assert not failures, report(f"searches in {zoo_table} go wrong", failures, tried)


def distinct_values(page: Page, field: str) -> list[tuple[Any, Any]]:
    """(value as the database returned it, row) for the first few distinct values of a field,
    NULL too when it occurs: what `f` on a cell filters by."""
    chosen: dict[str, tuple[Any, Any]] = {}
    for row, stored in zip(page.rows, page.raw, strict=True):
        value = stored[field]
        key = repr(value)
        if key not in chosen and (value is None or sum(v is not None for v, _ in chosen.values()) < VALUES_PER_FIELD):
            chosen[key] = (value, row)
    return list(chosen.values())


async def test_filter_on_a_value_read_from_a_row_finds_that_row(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    """`f` on a cell filters on the value the Store read for it: the filtered list holds that row.
    A column of a type without equality, or a cell whose stored value cannot be read, may refuse
    the filter instead, with a StoreError."""
    admin = zoo.admin(zoo_table)
    info = admin.info
    everything = await zoo_store.page(ListQuery(info.name), limit=ALL)
    assert not everything.has_more
    failures: list[str] = []
    tried = 0
    for field, col in info.columns.items():
        for value, row in distinct_values(everything, field):
            tried += 1
            key = ident(info, zoo_table, row)
            query = ListQuery(info.name).filtered(field, Stored(value))
            try:
                page = await zoo_store.page(query, limit=ALL)
                counted = await zoo_store.count(query)
            except (StoreError, ConfigError) as exc:
                if col.column.name in zoo_table.unordered or (key, col.column.name) in zoo_table.unreadable:
                    continue  # no equality on such a type, or no value to compare: refusing is fine
                failures.append(f"{field} = {value!r} is refused: {first_line(exc)}")
                continue
            except Exception as exc:
                failures.append(f"{field} = {value!r}: {first_line(exc)}")
                continue
            found = [ident(info, zoo_table, r) for r in page.rows]
            if key not in found:
                failures.append(f"{field} = {value!r} does not find {key} (found {found})")
            if counted != len(found):
                failures.append(f"{field} = {value!r} counts {counted} for {len(found)} rows")
    assert not failures, report(f"filters on {zoo_table} go wrong", failures, tried)


# -- one record -----------------------------------------------------------------------------


async def test_detail_and_get_of_every_row(zoo: Zoo, zoo_store: Store, zoo_table: ZooTable) -> None:
    """Each row opens (its detail with its relations, and the record a form is opened with)."""
    admin = zoo.admin(zoo_table)
    info = admin.info
    # A keyless table's rows are opened by whatever key the admin gives them.
    keys = zoo.raw.keys(zoo_table) if zoo_table.keyed else [info.pk_of(r) for r in await all_rows(zoo_store, info.name)]
    failures: list[str] = []
    for key in keys:
        try:
            detail = await zoo_store.detail(info.name, key)
            record = await zoo_store.get(info.name, key)
        except Exception as exc:
            failures.append(f"{key}: {first_line(exc)}")
            continue
        for obj in (detail.record.obj, record.obj):
            if info.pk_of(obj) != tuple(key):
                failures.append(f"{key}: opened the row {info.pk_of(obj)}")
    assert not failures, report(f"rows of {zoo_table} do not open", failures, len(keys))
