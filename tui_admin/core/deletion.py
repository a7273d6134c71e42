"""What deleting a record takes with it, worked out in the delete's own transaction.

The confirmation must say exactly what the delete does, so the plan and the delete share their
conditions: the rows counted are the rows removed. Like Django's `NestedObjects`, the plan follows
every foreign key that refers to a doomed row, recursively:

- a link row (a row of a link table whose key holds the foreign key) goes with the record: the
  admin deletes it itself, deepest first, since a link is part of the record, not a separate one;
- `ON DELETE CASCADE` rows go (the database deletes them), and what refers to them is followed;
- `ON DELETE SET NULL`/`SET DEFAULT` rows stay, with their key cleared;
- any other referring row blocks the delete (the database would refuse it): it is named.

A foreign key is always a whole constraint: a composite key matches the whole tuple, through
`(a, b) IN (SELECT x, y …)`, never one column of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.introspect import is_link_table, table_key
from tui_admin.core.reads import Reading

#: How deep cascades are followed; a self-referencing cascade (a category tree) is counted to here.
MAX_DEPTH = 10
EXAMPLES = 3  # rows named per table in the confirmation


@dataclass
class DeletePlan:
    """What deleting a record implies, for the confirmation dialog, with counts per table."""

    label: str
    links: list[tuple[str, int]] = field(default_factory=list)  # link-table rows removed with it
    cascades: list[tuple[str, int]] = field(default_factory=list)  # rows the database deletes (ON DELETE CASCADE)
    set_null: list[tuple[str, int]] = field(default_factory=list)  # rows whose key the database clears
    blockers: list[tuple[str, str, int]] = field(default_factory=list)  # (table, columns, rows) that refer to it
    #: The first few rows of each table above, by their labels (for a registered model's table).
    examples: dict[str, list[str]] = field(default_factory=dict)
    #: How many rows of the model itself go (1 for one record; the count of a bulk delete).
    rows: int = 1
    #: A bulk delete (of marked rows or all matching): `label` counts the rows instead of naming one.
    many: bool = False
    #: The link rows to delete before the record, deepest first (not shown; run by `delete`).
    link_deletes: list[sa.Delete] = field(default_factory=list, repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        return not self.blockers


def referring(table: sa.Table) -> list[sa.ForeignKeyConstraint]:
    """Every foreign-key constraint, in any table of the metadata, that points at `table`."""
    return [
        fk
        for other in table.metadata.tables.values()
        for fk in other.foreign_key_constraints
        if fk.referred_table is table
    ]


def _is_link_of(fk: sa.ForeignKeyConstraint) -> bool:
    """The constraint is part of a link table's key: its rows are memberships of the referred
    record, not records of their own."""
    return is_link_table(fk.table) and set(fk.columns) <= set(fk.table.primary_key.columns)


def _referring_rows(fk: sa.ForeignKeyConstraint, doomed: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The rows of the constraint's table that refer to a row matching `doomed` (the whole key)."""
    referencing = [element.parent for element in fk.elements]
    referred = sa.select(*(element.column for element in fk.elements)).where(doomed)
    if len(referencing) == 1:
        return referencing[0].in_(referred)
    return sa.tuple_(*referencing).in_(referred)


def count_rows(session: Session, table: sa.Table, condition: sa.ColumnElement[bool]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(table).where(condition)) or 0


def _add(counts: list[tuple[str, int]], table: str, n: int) -> None:
    for i, (name, total) in enumerate(counts):
        if name == table:
            counts[i] = (name, total + n)
            return
    counts.append((table, n))


def _examples(session: Session, reading: Reading | None, table: sa.Table, rows: sa.ColumnElement[bool]) -> list[str]:
    """The labels of the first few rows matching `rows`, when a registered model shows `table`."""
    admin = reading.registry.for_table(table_key(table)) if reading is not None else None
    if admin is None or admin.info.table is not table:
        return []
    info = admin.info
    stmt = sa.select(*reading.reader(info).columns).select_from(table).where(rows).order_by(  # type: ignore[union-attr]
        *(info.columns[n].column for n in info.primary_key)).limit(EXAMPLES)
    return [info.label(obj) for obj, _, _ in reading.fetch(session, info, stmt)]  # type: ignore[union-attr]


def plan_delete(
    session: Session, table: sa.Table, condition: sa.ColumnElement[bool], label: str, reading: Reading | None = None
) -> DeletePlan:
    """Follow the foreign keys that refer to the rows matching `condition`, level by level; with
    `reading`, name the first few rows of each table that a registered model shows."""
    plan = DeletePlan(label)

    def example(child: sa.Table, rows: sa.ColumnElement[bool]) -> None:
        if child.name not in plan.examples and (found := _examples(session, reading, child, rows)):
            plan.examples[child.name] = found

    level: list[tuple[sa.Table, sa.ColumnElement[bool]]] = [(table, condition)]
    deletes: list[list[sa.Delete]] = []
    for _depth in range(MAX_DEPTH):
        following: list[tuple[sa.Table, sa.ColumnElement[bool]]] = []
        deletes.append([])
        for doomed_table, doomed in level:
            removed: dict[sa.Table, list[sa.ColumnElement[bool]]] = {}
            for fk in referring(doomed_table):
                rows = _referring_rows(fk, doomed)
                rule = (fk.ondelete or "").upper()
                if _is_link_of(fk) or rule == "CASCADE":
                    removed.setdefault(fk.table, []).append(rows)
                    continue
                n = count_rows(session, fk.table, rows)
                if not n:
                    continue
                if rule in ("SET NULL", "SET DEFAULT"):
                    _add(plan.set_null, fk.table.name, n)
                else:
                    plan.blockers.append((fk.table.name, ", ".join(c.name for c in fk.columns), n))
                example(fk.table, rows)
            for child, conditions in removed.items():
                rows = sa.or_(*conditions)
                n = count_rows(session, child, rows)
                if not n:
                    continue
                links = all(_is_link_of(fk) for fk in referring(doomed_table) if fk.table is child)
                if links:
                    _add(plan.links, child.name, n)
                    deletes[-1].append(sa.delete(child).where(rows))
                else:
                    _add(plan.cascades, child.name, n)
                    example(child, rows)
                following.append((child, rows))
        if not following:
            break
        level = following
    # Deepest first: a link row's condition reads the rows above it, which must still be there.
    plan.link_deletes = [stmt for group in reversed(deletes) for stmt in group]
    return plan

