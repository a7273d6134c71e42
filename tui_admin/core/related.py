"""Statements for one record's relationships: a page of related rows, their counts, the
candidates for a new link, and the condition that filters a list to one parent.

They never go through the relationship attribute (which would load the whole collection): each
is a query on the target (or on the link table) with the parent's key values bound, ordered by
the target's key and LIMIT-ed, so a team with 10,000 heroes costs what a team with 3 costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tui_admin.core.introspect import Direction, ModelInfo, RelationInfo
from tui_admin.core.registry import ConfigError, ModelAdmin


@dataclass(frozen=True)
class Via:
    """"The rows related to one record": list the `relation` of `model` #`pk`."""

    model: str
    relation: str
    pk: tuple[Any, ...]


def detail_relations(info: ModelInfo) -> list[RelationInfo]:
    """The to-many relations a detail view lists. A one-to-many to a link model is left out when a
    many-to-many through the same link shows the same rows (with the link's columns) already."""
    through = {r.link_table for r in info.relationships.values() if r.direction is Direction.MANY_TO_MANY}
    return [
        r
        for r in info.relationships.values()
        if r.to_many and not (r.direction is Direction.ONE_TO_MANY and r.target_table in through)
    ]


def link_table(rel: RelationInfo) -> sa.Table:
    assert rel.prop is not None and rel.prop.secondary is not None, f"{rel.name} is not a many-to-many"
    return rel.prop.secondary  # type: ignore[return-value]


def _parent_condition(rel: RelationInfo, values: dict[str, Any]) -> sa.ColumnElement[bool]:
    return sa.and_(*(column == values[key] for key, column in rel.parent_pairs))


def _link_join(rel: RelationInfo) -> sa.ColumnElement[bool]:
    return sa.and_(*(link_col == target_col for target_col, link_col in rel.target_pairs))


def parent_values(rel: RelationInfo, parent: Any) -> dict[str, Any]:
    """The parent's values that the relation's join needs (usually just its primary key)."""
    return {key: getattr(parent, key) for key, _ in rel.parent_pairs}


def related_select(
    rel: RelationInfo,
    values: dict[str, Any],
    target: ModelInfo,
    columns: Sequence[sa.ColumnElement[Any]],
    *,
    link_columns: Sequence[sa.ColumnElement[Any]] = (),
    after: Sequence[Any] | None = None,
    limit: int,
) -> sa.Select[Any]:
    """A page of related rows (`columns` of the target, then `link_columns` of the link table for
    a many-to-many: the link row's own columns such as `role`) in target-key order. For a
    many-to-many the order is taken from the link's copy of the target key: the link's composite
    key (parent, target) then serves both the WHERE and the ORDER BY, where ordering by the
    target's own column would sort every link of the parent (10,000 of them for a big team) to
    return the first ten."""
    pk_cols = [target.columns[n].column for n in target.primary_key]
    stmt = sa.select(*columns, *link_columns).select_from(target.table)
    if rel.direction is Direction.MANY_TO_MANY:
        stmt = stmt.join(link_table(rel), _link_join(rel))
        link_of = {target_col: link_col for target_col, link_col in rel.target_pairs}
        if all(col in link_of for col in pk_cols):
            pk_cols = [link_of[col] for col in pk_cols]
    stmt = stmt.where(_parent_condition(rel, values))
    if after is not None:
        stmt = stmt.where(sa.tuple_(*pk_cols) > sa.tuple_(*after) if len(pk_cols) > 1 else pk_cols[0] > after[0])
    return stmt.order_by(*pk_cols).limit(limit)


def related_count(rel: RelationInfo, values: dict[str, Any], target: ModelInfo) -> sa.ScalarSelect[Any]:
    """How many rows the relation holds for the parent: a count on the link table (many-to-many)
    or the target, by the indexed foreign key, with no join and no ORDER BY."""
    table = link_table(rel) if rel.direction is Direction.MANY_TO_MANY else target.table
    return sa.select(sa.func.count()).select_from(table).where(_parent_condition(rel, values)).scalar_subquery()


def candidates_select(
    rel: RelationInfo,
    values: dict[str, Any],
    target: ModelAdmin,
    columns: Sequence[sa.ColumnElement[Any]],
    search: sa.ColumnElement[bool] | None,
    *,
    limit: int,
) -> sa.Select[Any]:
    """Targets (their `columns`) that could be linked: matching the search, not linked already,
    LIMIT-ed."""
    info = target.info
    linked = sa.exists().where(_parent_condition(rel, values), _link_join(rel))
    stmt = sa.select(*columns).select_from(info.table).where(~linked)
    if search is not None:
        stmt = stmt.where(search)
    order = info.columns[info.label_field].column if info.label_field else info.columns[info.primary_key[0]].column
    return stmt.order_by(order, *(info.columns[n].column for n in info.primary_key)).limit(limit)


def via_condition(parent: ModelInfo, via: Via, target: ModelInfo) -> sa.ColumnElement[bool]:
    """Filter a list of `target` rows to those related to one parent record."""
    rel = parent.relationships.get(via.relation)
    if rel is None or rel.target_table != target.table_key:
        raise ConfigError(f"{parent.name} has no relation {via.relation!r} to {target.name}")
    keys = [key for key, _ in rel.parent_pairs]
    if set(keys) != set(parent.primary_key):
        raise ConfigError(f"{parent.name}.{via.relation} does not join on {parent.name}'s primary key")
    values = dict(zip(parent.primary_key, via.pk, strict=True))
    condition = _parent_condition(rel, values)
    if rel.direction is not Direction.MANY_TO_MANY:
        return condition
    table = link_table(rel)
    if len(rel.target_pairs) == 1:
        (target_col, link_col), = rel.target_pairs
        return target_col.in_(sa.select(link_col).select_from(table).where(condition))
    return sa.exists().where(condition, _link_join(rel))
