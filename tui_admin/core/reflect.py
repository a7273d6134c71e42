"""Mapped classes for a database that came without models: one class per reflected table.

Reflection gives columns, keys and foreign keys but no Python defaults, validators or
relationship names, so the classes are plain SQLAlchemy mappings named after the tables, with
relationships derived from the foreign keys and named after their columns:

- every foreign key gives a many-to-one named after its column (`team_id` → `team`,
  `home_team_id` → `home_team`, `parent_id` → `parent`), and the referenced table a one-to-many
  named `<table>_set` (or `<table>_set_by_<column>` when the table refers to it twice);
- a link table (a primary key made only of foreign keys, extra columns allowed) gives each side a
  many-to-many named `<other>_via_<link>`.

The relationships are view-only: the admin writes columns and link rows itself, never through a
collection. Tables without a primary key cannot be mapped (a row could not be addressed) and are
reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, relationship

from tui_admin.core.introspect import is_link_table
from tui_admin.core.pgtypes import AsText


@dataclass
class Reflected:
    models: list[type]
    names: dict[type, str]
    skipped: list[str] = field(default_factory=list)  # tables left out, with the reason


def _class_name(table: str) -> str:
    return "".join(part.capitalize() for part in table.replace("-", "_").split("_")) or "Table"


def _free_name(cls: type, wanted: str) -> str:
    """`wanted`, or `wanted_ref`, `wanted_ref2`…: never shadow a column or another relationship."""
    taken = set(sa.inspect(cls).attrs.keys())
    name, n = wanted, 1
    while name in taken:
        name = f"{wanted}_ref" if n == 1 else f"{wanted}_ref{n}"
        n += 1
    return name


def _add(cls: type, wanted: str, rel: Any) -> None:
    setattr(cls, _free_name(cls, wanted), rel)


def _add_foreign_key_relations(classes: dict[str, type]) -> None:
    for table_name, cls in classes.items():
        table: sa.Table = cls.__table__  # type: ignore[attr-defined]
        constraints = [fk for fk in table.foreign_key_constraints if fk.referred_table.name in classes]
        per_target: dict[str, int] = {}
        for fk in constraints:
            per_target[fk.referred_table.name] = per_target.get(fk.referred_table.name, 0) + 1
        for fk in constraints:
            target = classes[fk.referred_table.name]
            cols = list(fk.columns)
            pairs = [(c, e.column) for c, e in zip(cols, fk.elements, strict=True)]
            join = sa.and_(*(c == ref for c, ref in pairs))
            col_names = "_".join(c.name for c in cols)
            single = len(cols) == 1 and col_names.endswith("_id")
            to_one = col_names.removesuffix("_id") if single else f"{col_names}_ref"
            # remote_side says which end is "many"; it is what makes a self-reference (parent_id) work.
            referred = [ref for _, ref in pairs]
            _add(cls, to_one, relationship(target, primaryjoin=join, foreign_keys=cols, remote_side=referred,
                                           viewonly=True))
            twice = per_target[fk.referred_table.name] > 1
            many = f"{table_name}_set_by_{col_names}" if twice else f"{table_name}_set"
            _add(target, many, relationship(cls, primaryjoin=join, foreign_keys=cols, remote_side=cols, viewonly=True))


def _add_many_to_many(classes: dict[str, type]) -> None:
    for link_name, link_cls in classes.items():
        table: sa.Table = link_cls.__table__  # type: ignore[attr-defined]
        fks = [fk for fk in table.foreign_key_constraints if fk.referred_table.name in classes]
        if not is_link_table(table) or len(fks) != 2:
            continue
        for here, there in (fks, fks[::-1]):
            near, far = classes[here.referred_table.name], classes[there.referred_table.name]
            primary = sa.and_(*(c == e.column for c, e in zip(here.columns, here.elements, strict=True)))
            secondary = sa.and_(*(c == e.column for c, e in zip(there.columns, there.elements, strict=True)))
            wanted = f"{there.referred_table.name}_via_{link_name}"
            if near is far:  # self-referencing: name each direction by the far column
                wanted += "_" + "_".join(c.name for c in there.columns)
            _add(near, wanted, relationship(far, secondary=table, primaryjoin=primary,
                                            secondaryjoin=secondary, viewonly=True))


def map_tables(metadata: sa.MetaData) -> Reflected:
    """A declarative class per table with a primary key; each mapping lives in its own registry so
    that reflecting twice (or reflecting beside the user's models) never collides."""

    class Base(DeclarativeBase):
        pass

    classes: dict[str, type] = {}
    skipped: list[str] = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.Float):
                # MySQL's DOUBLE and REAL reflect as Decimals: the column holds a float.
                column.type.asdecimal = False
            elif isinstance(column.type, postgresql.INTERVAL):
                column.type = AsText(column.type)  # '1 mon' is not 30 days: keep the database's text
        if not table.primary_key.columns:
            skipped.append(f"{table.name}: no primary key")
            continue
        classes[table.name] = type(_class_name(table.name), (Base,), {"__table__": table})
    _add_foreign_key_relations(classes)
    _add_many_to_many(classes)
    Base.registry.configure()
    return Reflected(list(classes.values()), {cls: name for name, cls in classes.items()}, skipped)
