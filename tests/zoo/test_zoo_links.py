"""The zoo's two-way link tables on every engine, from each of their ends, through
`Store.apply_links`: a link added with its defaulted columns left to the database, its own
columns edited through the link form (including rows whose stored values another client wrote),
and removed; only that link row changes. The link tables are restored afterwards."""

from __future__ import annotations

from typing import Any

import pytest

from tests.zoo.catalogue import ZooTable
from tests.zoo.conftest import Zoo
from tests.zoo.harness import first_line, same
from tui_admin.core.introspect import Direction, RelationInfo
from tui_admin.core.registry import ModelAdmin
from tui_admin.core.schemas import Mode, find_schemas, parse_form, to_form_value
from tui_admin.core.store import LinkChange, LinkDiff, Store


def many_to_many(admin: ModelAdmin, link: ZooTable, target: str) -> RelationInfo:
    found = [r for r in admin.info.relationships.values()
             if r.direction is Direction.MANY_TO_MANY and r.link_table == link.name and r.target_table == target]
    assert len(found) == 1, f"{admin.info.name} should have one many-to-many to {target} via {link}: {found}"
    return found[0]


def link_rows(zoo: Zoo, link: ZooTable) -> list[tuple[Any, ...]]:
    cols = zoo.raw.columns(link)
    return zoo.raw.rows(f"SELECT * FROM {zoo.raw.t(link)} ORDER BY {', '.join(zoo.raw.q(c) for c in cols)}")


def link_key(link: ZooTable, end: str, parent: tuple[Any, ...], other: str, target: tuple[Any, ...]) -> tuple[Any, ...]:
    """The link row's key (in the link table's key order) joining `parent` and `target`."""
    values = dict(zip(link.link_ends[end], parent, strict=True)) | dict(zip(link.link_ends[other], target, strict=True))
    return tuple(values[c] for c in link.key)


def edited(link_admin: ModelAdmin, extras: list[str], current: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """The link form (LinkFormScreen) with one column retyped: the changed values it returns."""
    columns = {c: link_admin.info.columns[c] for c in extras}
    raw = {c: to_form_value(col, current.get(c)) for c, col in columns.items()}
    raw[name] = to_form_value(columns[name], value)
    return parse_form(link_admin, find_schemas(link_admin), Mode.UPDATE, raw, current)


@pytest.mark.zoo(select=lambda t: bool(t.link_ends))
async def test_a_link_is_added_edited_and_removed_from_each_end(
    zoo: Zoo, zoo_store: Store, zoo_table: ZooTable
) -> None:
    raw = zoo.raw
    link_admin = zoo.admin(zoo_table)
    ends = list(zoo_table.link_ends)
    with raw.kept(zoo_table):
        for end, other in (ends, ends[::-1]):
            parent_admin, target_admin = zoo.admin(zoo.table(end)), zoo.admin(zoo.table(other))
            rel = many_to_many(parent_admin, zoo_table, other)
            name = parent_admin.info.name
            parent, candidates = None, []
            for key in raw.keys(zoo.table(end)):
                candidates = await zoo_store.link_candidates(name, key, rel.name)
                if candidates:
                    parent = key
                    break
            assert parent is not None, f"no {end} row has a {other} left to link"
            target = target_admin.info.pk_of(candidates[0])
            key = link_key(zoo_table, end, parent, other, target)
            before = link_rows(zoo, zoo_table)

            await zoo_store.apply_links(name, parent, rel.name, LinkDiff(add=[LinkChange(target, {})]))
            assert raw.count(zoo_table, key) == 1, f"adding {target} to {end} {parent}"
            assert len(link_rows(zoo, zoo_table)) == len(before) + 1
            for extra in rel.link_extra_columns:  # left empty: the database's default
                assert raw.value(zoo_table, extra, key) is not None, f"{extra} of a new link is NULL"
            related = await zoo_store.related(name, parent, rel.name, limit=1000)
            assert target in [target_admin.info.pk_of(r.obj) for r in related.rows]

            for extra in rel.link_extra_columns:
                current = next(r.link for r in related.rows if target_admin.info.pk_of(r.obj) == target)
                value = next((r.link[extra] for r in related.rows
                              if r.link[extra] is not None and not same(r.link[extra], current[extra])), None)
                if value is None:
                    continue
                changed = edited(link_admin, list(rel.link_extra_columns), current, extra, value)
                diff = LinkDiff(change=[LinkChange(target, changed, {k: current[k] for k in changed})])
                await zoo_store.apply_links(name, parent, rel.name, diff)
                related = await zoo_store.related(name, parent, rel.name, limit=1000)
                now = next(r.link for r in related.rows if target_admin.info.pk_of(r.obj) == target)
                assert same(now[extra], changed[extra]), f"{extra}: saved {changed[extra]!r}, reads {now[extra]!r}"

            await zoo_store.apply_links(name, parent, rel.name, LinkDiff(remove=[target]))
            assert raw.count(zoo_table, key) == 0
            assert link_rows(zoo, zoo_table) == before


@pytest.mark.zoo(select=lambda t: t.name == "zoo_membership")  # the two-way link with columns of its own
async def test_the_columns_of_every_stored_link_can_be_edited(zoo: Zoo, zoo_store: Store, zoo_table: ZooTable) -> None:
    """Each link row as other clients wrote it (a SQLite timestamp without microseconds, a date
    alone): each of its own columns edited through the link form saves."""
    raw = zoo.raw
    link_admin = zoo.admin(zoo_table)
    end, other = list(zoo_table.link_ends)
    parent_admin, target_admin = zoo.admin(zoo.table(end)), zoo.admin(zoo.table(other))
    rel = many_to_many(parent_admin, zoo_table, other)
    name = parent_admin.info.name
    failures = []
    tried = 0
    with raw.kept(zoo_table):
        every = {key: await zoo_store.related(name, key, rel.name, limit=1000) for key in raw.keys(zoo.table(end))}
        values = {x: [r.link[x] for p in every.values() for r in p.rows if r.link[x] is not None]
                  for x in rel.link_extra_columns}
        for parent, page in every.items():
            for row in page.rows:
                target = target_admin.info.pk_of(row.obj)
                for extra in rel.link_extra_columns:
                    current = dict(row.link)
                    value = next((v for v in values[extra] if not same(v, current[extra])), None)
                    if value is None:
                        continue
                    tried += 1
                    try:
                        changed = edited(link_admin, list(rel.link_extra_columns), current, extra, value)
                        diff = LinkDiff(change=[LinkChange(target, changed, {k: current[k] for k in changed})])
                        await zoo_store.apply_links(name, parent, rel.name, diff)
                    except Exception as exc:
                        stored = raw.value(zoo_table, extra, link_key(zoo_table, end, parent, other, target))
                        failures.append(f"{end} {parent} → {other} {target}, {extra} stored as {stored!r}: "
                                        f"{first_line(exc)}")
    assert not failures, f"{len(failures)} of {tried} link edits in {zoo_table} fail:\n" + "\n".join(failures)


async def test_a_link_row_created_with_its_defaulted_columns_empty_gets_the_defaults(
    zoo: Zoo, zoo_store: Store
) -> None:
    """qty INTEGER NOT NULL DEFAULT 1 and added_at … DEFAULT CURRENT_TIMESTAMP left empty in the
    create form are left to the database."""
    membership = zoo.table("zoo_membership")
    admin = zoo.admin(membership)
    schemas = find_schemas(admin)
    values = parse_form(admin, schemas, Mode.CREATE, {"club_id": 3, "actor_id": 1, "qty": "", "added_at": ""})
    try:
        assert tuple(await zoo_store.create(admin.info.name, values)) == (3, 1)
        assert zoo.raw.value(membership, "qty", (3, 1)) == 1
        assert zoo.raw.value(membership, "added_at", (3, 1)) is not None
    finally:
        zoo.raw.delete(membership, (3, 1))
