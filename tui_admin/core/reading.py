"""Reading rows exactly as the database holds them, one cell at a time.

Every read the Store makes selects each column *raw* (the driver's value, with no SQLAlchemy
processing) and turns it into the model's Python value here, cell by cell, for two reasons:

- **one bad value spoils one cell, never the table.** A SQLite row can hold a value its column
  type cannot parse (`DATE '0000-00-00'`, `'9999-12-31T23:59:60'`, invalid JSON text, `'abc'` in a
  NUMERIC column). SQLAlchemy's result processor raises for the whole result; here that cell
  becomes `Unreadable`, holding the stored value, and the rest of the row and the table load.
- **the raw value is the database's own representation.** Keyset cursors and equality filters
  bind it back (see `dialects`), so SQLite compares the stored text '2021-02-01 00:00:00' with
  itself rather than with the '… 00:00:00.000000' SQLAlchemy would write, and paging is exact
  whatever client wrote the row.

The objects are instances of the mapped class with their column attributes set, as a detached ORM
object has them; relationships are not loaded (a screen asks the Store for what it shows).
Building them costs what the ORM's own loading costs (about 1 ms per 100 rows, measured here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.types import NullType

from tui_admin.core.dialects import backend_for
from tui_admin.core.introspect import ModelInfo
from tui_admin.core.kinds import same_value as same_value  # kept here for scripts and tests


@dataclass(frozen=True)
class Unreadable:
    """A stored value that its column's type cannot turn into a Python value: shown as the stored
    text, marked; compared and written back as stored."""

    raw: Any
    reason: str = field(default="", compare=False)

    def __str__(self) -> str:
        return str(self.raw)


def raw(column: sa.ColumnElement[Any], label: str) -> sa.Label[Any]:
    """The column as the driver returns it (no result processing), under `label`; a type that
    reads its column through an SQL expression (`column_expression`, e.g. `pgtypes.AsText`)
    keeps it."""
    if column.type._has_column_expression:
        column = column.type.column_expression(column)  # type: ignore[assignment]
    return sa.type_coerce(column, NullType()).label(label)


def raw_columns(
    info: ModelInfo, prefix: str = "c", table: Any = None, keys: Sequence[str] | None = None
) -> list[sa.Label[Any]]:
    """The model's columns (of `table`, an alias of its table, when given), raw, labelled
    `<prefix><n>`."""
    source = table if table is not None else info.table
    names = keys if keys is not None else list(info.columns)
    return [raw(source.c[info.columns[key].column.key], f"{prefix}{i}") for i, key in enumerate(names)]


def _raise_on_load(model: str, key: str) -> Callable[..., Any]:
    def refuse(state: Any, passive: Any) -> Any:
        raise sa.exc.InvalidRequestError(f"'{model}.{key}' is not available due to lazy='raise'")

    return refuse


class Reader:
    """Reads objects of one model from the raw columns it adds to a statement."""

    def __init__(
        self, info: ModelInfo, dialect: Dialect, *, prefix: str = "c", table: Any = None,
        keys: Sequence[str] | None = None,
    ) -> None:
        """The raw columns of `info` (of `table`, an alias of its table, when given; only `keys`,
        when given), labelled `<prefix><n>`."""
        self.info = info
        self.dialect = dialect
        self.keys = list(keys if keys is not None else info.columns)
        self.columns = raw_columns(info, prefix, table, self.keys)
        self._mapper: Mapper[Any] = sa.inspect(info.model)
        self._types = [info.columns[key].column.type for key in self.keys]
        rules = backend_for(dialect)
        self._after = [rules.reading(info.columns[key]) for key in self.keys]
        name = info.model.__name__
        #: Relationships raise when read, as `raiseload("*")` makes them on ORM-loaded objects: a
        #: screen that reads one it did not ask the Store for is a bug, never a hidden query.
        self._unloaded = {rel.key: _raise_on_load(name, rel.key) for rel in self._mapper.relationships}

    def processors(self, result: sa.CursorResult[Any], offset: int = 0) -> list[Any]:
        """The result processors of the columns, for the driver's type codes of this result (some
        dialects pick the conversion from the code, e.g. PostgreSQL numeric sent as float). Asked
        before the rows are read: a result that has been read to its end has no cursor left."""
        description = result.cursor.description if result.cursor is not None else None
        codes = [d[1] for d in description[offset: offset + len(self.keys)]] if description else [None] * len(
            self.keys)
        return [t._cached_result_processor(self.dialect, code) for t, code in zip(self._types, codes, strict=True)]

    def values(self, cells: Sequence[Any], processors: Sequence[Any]) -> dict[str, Any]:
        """The Python values (by attribute name) of one row's raw cells."""
        out: dict[str, Any] = {}
        for key, value, process, after in zip(self.keys, cells, processors, self._after, strict=True):
            if value is not None and (process is not None or after is not None):
                try:
                    value = process(value) if process is not None else value
                    value = after(value) if after is not None else value
                except Exception as exc:  # any failure of a type's conversion spoils this cell only
                    value = Unreadable(value, f"{type(exc).__name__}: {exc}")
            out[key] = value
        return out

    def converters(self, result: sa.CursorResult[Any]) -> list[tuple[int, Any, Any]]:
        """(position, processor, after) of each column whose raw cell must be converted; none for
        those the driver already gives as their Python value (SQLite's integers and text)."""
        return [
            (i, process, after)
            for i, (process, after) in enumerate(zip(self.processors(result), self._after, strict=True))
            if process is not None or after is not None
        ]

    @staticmethod
    def converted(cells: Sequence[Any], converters: Sequence[tuple[int, Any, Any]]) -> list[Any]:
        """One row's cells with `converters` applied (see `values`: a failure spoils one cell)."""
        out = list(cells)
        for i, process, after in converters:
            value = out[i]
            if value is None:
                continue
            try:
                value = process(value) if process is not None else value
                out[i] = after(value) if after is not None else value
            except Exception as exc:
                out[i] = Unreadable(value, f"{type(exc).__name__}: {exc}")
        return out

    def build(self, cells: Sequence[Any], processors: Sequence[Any]) -> tuple[Any, dict[str, Any]]:
        """The object and its raw values (by attribute name) from one row's raw cells."""
        obj = self._mapper.class_manager.new_instance()
        values = self.values(cells, processors)
        # What `set_committed_value` does per attribute, done once for all of them on the fresh
        # instance (its dict, then one commit of those keys): 2.0 ms per 100 heroes instead of
        # 8.6 ms (measured here), the larger part of a page's Store time.
        state = instance_state(obj)
        state.dict.update(values)
        state._commit(state.dict, list(values))
        if self._unloaded:
            state.callables = dict(self._unloaded)
        return obj, dict(zip(self.keys, cells, strict=True))

    def rows(self, result: sa.CursorResult[Any], offset: int = 0) -> list[tuple[Any, dict[str, Any], Any]]:
        """(object, raw values, the whole result row) for each row; the model's cells start at
        `offset` in the row."""
        processors = self.processors(result, offset)
        end = offset + len(self.keys)
        out = []
        for row in result:
            obj, stored = self.build(row[offset:end], processors)
            out.append((obj, stored, row))
        return out
