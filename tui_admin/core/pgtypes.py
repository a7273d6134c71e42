"""Column types the admin puts on reflected columns whose driver value is not the stored value.

PostgreSQL's `interval` keeps months apart from days ('1 mon' is not '30 days': it depends on
the month), but both psycopg and asyncpg hand it back as a `timedelta` of 30 days a month, so an
edit would silently change what is stored. `AsText` reads such a column as the database's own
text and writes text that the database casts back, so the value round-trips exactly.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


class AsText(sa.types.TypeDecorator[str]):
    """The column's value as the database writes it out (`CAST(col AS TEXT)`), written back as
    text cast to the column's own type."""

    impl = sa.types.TypeEngine
    cache_ok = True

    def __init__(self, stored: sa.types.TypeEngine[Any]) -> None:
        super().__init__()
        self.impl = stored  # type: ignore[assignment]
        self.stored = stored

    def load_dialect_impl(self, dialect: sa.engine.Dialect) -> sa.types.TypeEngine[Any]:
        return sa.Text()

    def column_expression(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.cast(sa.type_coerce(column, self.stored), sa.Text)

    def bind_expression(self, value: sa.BindParameter[Any]) -> sa.ColumnElement[Any]:
        return sa.cast(sa.type_coerce(value, sa.Text), self.stored)

    @property
    def python_type(self) -> type:
        return str


def stored_type(column_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """The type the database stores the column as (an `AsText` column's own type)."""
    return column_type.stored if isinstance(column_type, AsText) else column_type
