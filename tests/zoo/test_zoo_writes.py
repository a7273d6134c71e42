"""Writes on every zoo table through the Store, on every engine: create through the form and
delete; every field of a row edited through the form from the value another client stored (in
the database's own format), saved exactly once, and a concurrent change refused; read-only
tables refusing every write; composite keys (issue 8, section 1) deleting and counting exactly
their own rows.

Every test puts the zoo back as it found it: rows it adds use the catalogue's spare keys and are
removed, tables it changes are restored (`Raw.kept`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.zoo.catalogue import ZooTable
from tests.zoo.conftest import Zoo
from tests.zoo.harness import first_line, read_only_reason, same
from tui_admin.core.errors import ConflictError, StoreError, WriteError
from tui_admin.core.introspect import ColumnInfo, Direction
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin
from tui_admin.core.schemas import (
    Mode,
    Schemas,
    ValidationFailed,
    find_schemas,
    form_columns,
    parse_form,
    to_form_value,
)
from tui_admin.core.store import Store

SOURCES_PER_FIELD = 4  # distinct stored values of a field that each edit starts from


def opened(admin: ModelAdmin, obj: Any) -> dict[str, Any]:
    """What an edit form holds when it opens: every column of the record (as FormScreen does)."""
    return {name: getattr(obj, name) for name in admin.info.columns}


def typed(columns: list[ColumnInfo], original: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The form's raw input: the original values as the form shows them, some retyped."""
    raw = {c.name: to_form_value(c, original[c.name]) for c in columns}
    raw.update(changes)
    return raw


def typable(table: ZooTable, key: tuple[Any, ...], column: str) -> bool:
    """Whether a stored value is one a person could type into the form as a new value."""
    return (key, column) not in table.unreadable and (key, column) not in table.untypable


# -- create and delete ----------------------------------------------------------------------


@pytest.mark.zoo(select=lambda t: t.writable)
async def test_a_record_created_through_the_form_is_stored_as_given_then_deleted(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    """The create form filled with the first row's values (and a new key where the key is typed):
    created once, read back as validated, then deleted with nothing left."""
    admin = zoo.admin(zoo_table)
    info, raw = admin.info, zoo.raw
    schemas = find_schemas(admin)
    columns = form_columns(admin, schemas, Mode.CREATE)
    first = (await zoo_store.get(info.name, raw.keys(zoo_table)[0])).obj
    form = {c.name: to_form_value(c, getattr(first, c.name)) for c in columns}
    for c in columns:
        if c.column.name in zoo_table.key:
            form[c.name] = to_form_value(c, zoo_table.spare[zoo_table.key.index(c.column.name)])
    values = parse_form(admin, schemas, Mode.CREATE, form)
    before = raw.count(zoo_table)
    created: tuple[Any, ...] | None = None
    try:
        created = tuple(await zoo_store.create(info.name, values))
        assert raw.count(zoo_table) == before + 1
        assert raw.count(zoo_table, created) == 1
        stored = (await zoo_store.get(info.name, created)).obj
        assert {n: getattr(stored, n) for n in values if not same(getattr(stored, n), values[n])} == {}
        await zoo_store.delete(info.name, created)
        assert raw.count(zoo_table, created) == 0
        assert raw.count(zoo_table) == before
    finally:
        raw.delete(zoo_table, created or zoo_table.spare)


# -- update ---------------------------------------------------------------------------------


async def edit_once(
    zoo: Zoo, store: Store, admin: ModelAdmin, schemas: Schemas, table: ZooTable, col: ColumnInfo,
    copy: tuple[Any, ...], source: tuple[Any, ...], targets: list[Any], *, concurrent: bool,
) -> str | None:
    """Give the copy row the value another client stored in `source`, open it, edit `col` to
    another value through the form, save: it must save once and read back as saved. With
    `concurrent`, another client then changes the field behind the form's back: the stale save
    must be refused and the other client's value kept. What went wrong, or None."""
    raw, name = zoo.raw, admin.info.name
    columns = form_columns(admin, schemas, Mode.UPDATE)
    raw.set_from(table, col.column.name, copy, source)
    original = opened(admin, (await store.get(name, copy)).obj)
    target = next((v for v in targets if not same(v, original[col.name])), None)
    if target is None:
        return None  # no other value to change to
    form = typed(columns, original, **{col.name: to_form_value(col, target)})
    try:
        changes = parse_form(admin, schemas, Mode.UPDATE, form, original)
    except ValidationFailed as failed:
        return f"the form refuses {form[col.name]!r} (from {target!r}): {failed.errors}"
    if set(changes) != {col.name}:
        return f"the form sends {changes} when only {col.name} was retyped"
    try:
        await store.update(name, copy, changes, original)
    except Exception as exc:
        return f"saving {changes[col.name]!r} over {original[col.name]!r}: {first_line(exc)}"
    saved = getattr((await store.get(name, copy)).obj, col.name)
    if not same(saved, changes[col.name]):
        return f"saved {changes[col.name]!r} but reads back {saved!r}"
    if not concurrent:
        return None
    stale = opened(admin, (await store.get(name, copy)).obj)
    raw.set_from(table, col.column.name, copy, source)  # another client, meanwhile
    theirs = raw.value(table, col.column.name, copy)
    others = [v for v in targets if not same(v, stale[col.name])]
    mine = next((v for v in others if not same(v, original[col.name])), original[col.name])
    form = typed(columns, stale, **{col.name: to_form_value(col, mine)})
    changes = parse_form(admin, schemas, Mode.UPDATE, form, stale)
    try:
        await store.update(name, copy, changes, stale)
    except ConflictError:
        pass
    except Exception as exc:
        return f"a stale save of {changes} raises {first_line(exc)} instead of a ConflictError"
    else:
        return f"a stale save of {changes} overwrote another client's change (opened with {stale[col.name]!r})"
    now = raw.value(table, col.column.name, copy)
    if not same(now, theirs):
        return f"after the refused save the field holds {now!r}, not the other client's {theirs!r}"
    return None


@pytest.mark.zoo(select=lambda t: t.writable)
async def test_every_field_saves_exactly_once_and_refuses_a_concurrent_change(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    """For each field of the edit form and each of its distinct stored values (as other clients
    wrote them): a copy of a row holds the value, an edit through the form saves once, and a save
    from a form opened before another client's change is refused with a ConflictError."""
    admin = zoo.admin(zoo_table)
    info, raw = admin.info, zoo.raw
    schemas = find_schemas(admin)
    keys = raw.keys(zoo_table)
    readable: dict[tuple[Any, ...], Any] = {}
    for key in keys:
        try:
            readable[key] = (await zoo_store.get(info.name, key)).obj
        except Exception:
            continue  # a row the Store cannot read is the detail test's failure
    assert readable, f"the Store reads none of the rows of {zoo_table}"
    copy = zoo_table.spare
    failures: list[str] = []
    tried = 0
    raw.insert_copy(zoo_table, keys[0], copy)
    try:
        for col in form_columns(admin, schemas, Mode.UPDATE):
            column = col.column.name
            if column in zoo_table.generated:
                continue  # never in a form: the reflection tests say so
            targets = [getattr(o, col.name) for k, o in readable.items()
                       if getattr(o, col.name) is not None and typable(zoo_table, k, column)]
            seen: list[Any] = []
            sources = []
            for key in keys:
                value = raw.value(zoo_table, column, key)
                if not any(same(value, s) for s in seen) and len(sources) < SOURCES_PER_FIELD:
                    seen.append(value)
                    sources.append(key)
            for n, source in enumerate(sources):
                tried += 1
                try:
                    problem = await edit_once(zoo, zoo_store, admin, schemas, zoo_table, col, copy, source,
                                              targets, concurrent=n == 0)
                except Exception as exc:
                    problem = first_line(exc)
                if problem is not None:
                    stored = raw.value(zoo_table, column, source)
                    failures.append(f"{col.name}, stored as {stored!r} (row {source}): {problem}")
            raw.set_from(zoo_table, column, copy, keys[0])  # the copy is a plain row again
    finally:
        raw.delete(zoo_table, copy)
    assert not failures, f"{len(failures)} of {tried} edits of {zoo_table} go wrong:\n" + "\n".join(failures)


# -- read-only tables -----------------------------------------------------------------------


@pytest.mark.zoo(select=lambda t: not t.writable)
async def test_a_read_only_table_is_listed_says_why_and_refuses_every_write(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    admin = zoo.admin(zoo_table)
    info, raw = admin.info, zoo.raw
    assert (admin.can_create, admin.can_edit, admin.can_delete) == (False, False, False)
    assert read_only_reason(admin), f"{zoo_table} is read-only but does not say why"
    page = await zoo_store.page(ListQuery(info.name), limit=1)
    obj = page.rows[0]
    values = opened(admin, obj)
    field = next(iter(info.columns))
    before = raw.rows(f"SELECT * FROM {raw.t(zoo_table)} ORDER BY {', '.join(raw.q(c) for c in zoo_table.key)}")
    with pytest.raises(StoreError):
        await zoo_store.create(info.name, values)
    with pytest.raises(StoreError):
        await zoo_store.update(info.name, info.pk_of(obj), {field: values[field]}, values)
    with pytest.raises(StoreError):
        await zoo_store.delete(info.name, info.pk_of(obj))
    assert raw.rows(f"SELECT * FROM {raw.t(zoo_table)} ORDER BY {', '.join(raw.q(c) for c in zoo_table.key)}") == before


# -- composite keys (section 1) -------------------------------------------------------------


async def test_the_delete_preview_of_a_composite_keyed_record_counts_exactly_its_own_link_rows(
    zoo: Zoo, zoo_store: Store
) -> None:
    """country_code ('us', '1') has one cc_tag row; ('us', '2') and ('fr', '1') share a part of
    its key and have three."""
    name = zoo.admin(zoo.table("country_code")).info.name
    plans = {}
    for key in [("us", "1"), ("us", "2"), ("fr", "1")]:
        plan = await zoo_store.delete_preview(name, key)
        plans[key] = (plan.links, plan.cascades, plan.blockers)
    assert plans == {
        ("us", "1"): ([("cc_tag", 1)], [], []),
        ("us", "2"): ([("cc_tag", 2)], [], []),
        ("fr", "1"): ([("cc_tag", 1)], [], []),
    }


async def test_deleting_a_composite_keyed_record_removes_exactly_its_own_link_rows(zoo: Zoo, zoo_store: Store) -> None:
    """Deleting country_code ('us', '1') removes cc_tag ('us', '1', 1) and nothing else."""
    cc, link, raw = zoo.table("country_code"), zoo.table("cc_tag"), zoo.raw
    name = zoo.admin(cc).info.name
    with raw.kept(link, cc):
        await zoo_store.delete(name, ("us", "1"))
        assert raw.keys(link) == [("fr", "1", 1), ("us", "2", 1), ("us", "2", 2)]
        assert raw.keys(cc) == [("fr", "1"), ("us", "2")]


async def test_rows_referring_to_a_composite_key_are_counted_by_the_whole_key(zoo: Zoo, zoo_store: Store) -> None:
    """zoo_flight refers to zoo_route (origin, dest): a route no flight uses can be deleted, one
    that flights use is blocked by exactly their number."""
    route, flight, raw = zoo.table("zoo_route"), zoo.table("zoo_flight"), zoo.raw
    name = zoo.admin(route).info.name
    blockers = {}
    for key in [("cdg", "jfk"), ("cdg", "lhr"), ("ams", "jfk"), ("ams", "lhr")]:
        plan = await zoo_store.delete_preview(name, key)
        blockers[key] = [(table, n) for table, _, n in plan.blockers]
    assert blockers == {
        ("cdg", "jfk"): [("zoo_flight", 2)],
        ("cdg", "lhr"): [],
        ("ams", "jfk"): [("zoo_flight", 1)],
        ("ams", "lhr"): [("zoo_flight", 1)],
    }
    with raw.kept(flight, route):
        with pytest.raises(WriteError):
            await zoo_store.delete(name, ("cdg", "jfk"))
        await zoo_store.delete(name, ("cdg", "lhr"))
        assert raw.keys(route) == [("ams", "jfk"), ("ams", "lhr"), ("cdg", "jfk")]
        assert raw.count(flight) == 4


async def test_a_composite_keyed_detail_lists_exactly_its_own_related_rows(zoo: Zoo, zoo_store: Store) -> None:
    cc, route = zoo.admin(zoo.table("country_code")).info, zoo.admin(zoo.table("zoo_route")).info
    tags = next(r for r in cc.relationships.values()
                if r.direction is Direction.MANY_TO_MANY and r.target_table == "tag")
    flights = next(r for r in route.relationships.values() if r.target_table == "zoo_flight")
    found = {}
    for key in [("us", "1"), ("us", "2"), ("fr", "1")]:
        page = (await zoo_store.detail(cc.name, key)).related[tags.name]
        found[key] = (page.total, [r.obj.id for r in page.rows])
    assert found == {("us", "1"): (1, [1]), ("us", "2"): (2, [1, 2]), ("fr", "1"): (1, [1])}
    found = {}
    for key in [("cdg", "jfk"), ("cdg", "lhr"), ("ams", "jfk")]:
        page = (await zoo_store.detail(route.name, key)).related.get(flights.name)
        found[key] = (page.total, [r.obj.id for r in page.rows]) if page else (0, [])
    assert found == {("cdg", "jfk"): (2, [1, 2]), ("cdg", "lhr"): (0, []), ("ams", "jfk"): (1, [3])}


# -- unreadable values and NaN (section 4, SQLite) ------------------------------------------

SQLITE = ["sqlite", "sqlite+aiosqlite"]


@pytest.mark.zoo(engines=SQLITE)
async def test_an_unreadable_cell_shows_its_stored_text_and_spoils_nothing_else(zoo: Zoo, zoo_store: Store) -> None:
    from tui_admin.core.format import display

    bad = zoo.table("zoo_bad")
    admin = zoo.admin(bad)
    info = admin.info
    first = (await zoo_store.get(info.name, (1,))).obj
    failures = []
    for (key, column), text in bad.unreadable.items():
        field = next(n for n, c in info.columns.items() if c.column.name == column)
        try:
            obj = (await zoo_store.get(info.name, key)).obj
        except Exception as exc:
            failures.append(f"row {key} ({column} holds {text!r}): {first_line(exc)}")
            continue
        value, col = getattr(obj, field), info.columns[field]
        if to_form_value(col, value) != text:
            failures.append(f"row {key}: the form shows {to_form_value(col, value)!r} for the stored {text!r}")
        if text not in (display(col, value) or ""):
            failures.append(f"row {key}: the list shows {display(col, value)!r} for the stored {text!r}")
        spoiled = [n for n in info.columns if n != field and not same(getattr(obj, n), getattr(first, n))
                   and n not in info.primary_key]
        if spoiled:
            failures.append(f"row {key}: the readable fields {spoiled} read differently from row 1")
    assert not failures, "\n".join(failures)


@pytest.mark.zoo(engines=SQLITE)
async def test_a_row_holding_an_unreadable_value_can_be_deleted(zoo: Zoo, zoo_store: Store) -> None:
    bad, raw = zoo.table("zoo_bad"), zoo.raw
    name = zoo.admin(bad).info.name
    failures = []
    for (key, column), text in bad.unreadable.items():
        raw.insert_copy(bad, key, bad.spare)
        try:
            await zoo_store.delete(name, bad.spare)
            if raw.count(bad, bad.spare):
                failures.append(f"a row whose {column} holds {text!r} is still there")
        except Exception as exc:
            failures.append(f"a row whose {column} holds {text!r}: {first_line(exc)}")
        finally:
            raw.delete(bad, bad.spare)
    assert not failures, "\n".join(failures)


@pytest.mark.zoo(engines=SQLITE)
async def test_nan_typed_into_a_sqlite_real_is_refused_rather_than_stored_as_null(zoo: Zoo, zoo_store: Store) -> None:
    """SQLite stores a NaN as NULL: the edit must be refused with an error on the field, and the
    stored value stay."""
    numbers, raw = zoo.table("zoo_numbers"), zoo.raw
    admin = zoo.admin(numbers)
    schemas = find_schemas(admin)
    raw.insert_copy(numbers, (1,), numbers.spare)
    try:
        original = opened(admin, (await zoo_store.get(admin.info.name, numbers.spare)).obj)
        form = typed(form_columns(admin, schemas, Mode.UPDATE), original, n_real="nan")
        with pytest.raises((ValidationFailed, WriteError)) as refused:
            changes = parse_form(admin, schemas, Mode.UPDATE, form, original)
            await zoo_store.update(admin.info.name, numbers.spare, changes, original)
        errors = getattr(refused.value, "errors", None) or getattr(refused.value, "field_errors", {})
        assert "n_real" in errors
        assert raw.value(numbers, "n_real", numbers.spare) == 0.5
    finally:
        raw.delete(numbers, numbers.spare)
