"""Mapped classes for a database that came without models: one class per reflected table.

Reflection gives columns, keys and foreign keys but no Python defaults, validators or
relationship names, so what it yields is a plain SQLAlchemy mapping named after the tables.
Tables without a primary key cannot be mapped (a row could not be addressed) and are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase


@dataclass
class Reflected:
    models: list[type]
    names: dict[type, str]
    skipped: list[str] = field(default_factory=list)  # tables left out, with the reason


def _class_name(table: str) -> str:
    return "".join(part.capitalize() for part in table.replace("-", "_").split("_")) or "Table"


def map_tables(metadata: sa.MetaData) -> Reflected:
    """A declarative class per table with a primary key; each mapping lives in its own registry so
    that reflecting twice (or reflecting beside the user's models) never collides."""

    class Base(DeclarativeBase):
        pass

    models: list[type] = []
    names: dict[type, str] = {}
    skipped: list[str] = []
    for table in metadata.sorted_tables:
        if not table.primary_key.columns:
            skipped.append(f"{table.name}: no primary key")
            continue
        cls = type(_class_name(table.name), (Base,), {"__table__": table})
        models.append(cls)
        names[cls] = table.name
    return Reflected(models, names, skipped)
