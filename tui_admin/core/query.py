"""`ListQuery`: a pure description of a list view, compiled to a keyset-paged `select()`.

The list is ordered by the user's sort column(s) and then by the primary key, which makes the
order total, so a page is "the next N rows after this row" (`WHERE (sort, pk) > (…) LIMIT N`)
rather than `OFFSET`, whose cost grows with the page depth. Sort, search and filter fields are
allow-listed from the `ModelAdmin`; user text reaches SQL only as a bound parameter.

NULLs sort where each dialect puts them natively (smallest on SQLite and MySQL, largest on
PostgreSQL) so that an index on the sort column serves the ORDER BY; the keyset condition is
written to match that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from tui_admin.core.introspect import ModelInfo
from tui_admin.core.registry import ConfigError, ModelAdmin
from tui_admin.core.related import Via, via_condition

LIKE_ESCAPE = "/"


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: which model, in which order, matching which search and filters."""

    model: str
    sort: tuple[SortKey, ...] = ()
    search: str = ""
    filters: tuple[tuple[str, Any], ...] = ()
    via: Via | None = None  # only the rows related to one record (a relation's full list)

    def sorted_by(self, field: str) -> ListQuery:
        """Sort by `field`; asked again for the same field, reverse it."""
        current = self.sort[0] if self.sort else None
        descending = current is not None and current.field == field and not current.descending
        return replace(self, sort=(SortKey(field, descending),))

    def searching(self, text: str) -> ListQuery:
        return replace(self, search=text)

    def filtered(self, field: str, value: Any) -> ListQuery:
        """Add an equality filter, or remove it when the same filter is asked again."""
        pair = (field, value)
        if pair in self.filters:
            return replace(self, filters=tuple(f for f in self.filters if f != pair))
        return replace(self, filters=(*tuple(f for f in self.filters if f[0] != field), pair))


@dataclass(frozen=True)
class OrderColumn:
    name: str
    column: sa.ColumnElement[Any]
    descending: bool
    nullable: bool


def order_columns(admin: ModelAdmin, query: ListQuery) -> list[OrderColumn]:
    """The user's sort keys, then the primary key in the direction of the last sort key (so one
    index scan in either direction serves the whole ORDER BY)."""
    info = admin.info
    result: list[OrderColumn] = []
    for key in query.sort:
        if key.field not in admin.sortable:
            raise ConfigError(f"{info.name} cannot be sorted by {key.field!r}")
        if key.field in info.primary_key:
            continue
        col = info.columns[key.field]
        result.append(OrderColumn(key.field, col.column, key.descending, col.nullable))
    pk_desc = result[-1].descending if result else bool(query.sort and query.sort[0].descending)
    for name in info.primary_key:  # nullable only in the key of a keyless table's rows (see reflect)
        result.append(OrderColumn(name, info.columns[name].column, pk_desc, info.columns[name].nullable))
    return result


def nulls_sort_largest(dialect: Dialect) -> bool:
    """PostgreSQL (and Oracle) put NULLs after every value in ascending order; SQLite, MySQL and
    MariaDB put them first."""
    return dialect.name in ("postgresql", "oracle")


def _beyond(col: OrderColumn, value: Any, nulls_largest: bool, reverse: bool) -> sa.ColumnElement[bool]:
    """Rows whose value of this column comes strictly after `value` in the (possibly reversed) order."""
    descending = col.descending != reverse
    nulls_after = nulls_largest != descending
    if value is None:
        return col.column.is_not(None) if not nulls_after else sa.false()
    cmp = col.column < value if descending else col.column > value
    if col.nullable and nulls_after:
        return sa.or_(cmp, col.column.is_(None))
    return cmp


def _equal(col: OrderColumn, value: Any) -> sa.ColumnElement[bool]:
    return col.column.is_(None) if value is None else col.column == value


def keyset_condition(
    cols: Sequence[OrderColumn],
    cursor: Sequence[Any],
    nulls_largest: bool,
    *,
    reverse: bool = False,
    inclusive: bool = False,
) -> sa.ColumnElement[bool]:
    """Rows after `cursor` (before it, with `reverse`; the cursor row too, with `inclusive`) in
    the order of `cols`: `c0 > v0 OR (c0 = v0 AND c1 > v1) OR …`, with a plain range on the first
    column in front when that is exact, so that every database turns it into an index range scan."""
    terms = []
    for i, col in enumerate(cols):
        prefix = [_equal(c, v) for c, v in zip(cols[:i], cursor[:i], strict=True)]
        terms.append(sa.and_(*prefix, _beyond(col, cursor[i], nulls_largest, reverse)))
    if inclusive:
        terms.append(sa.and_(*(_equal(c, v) for c, v in zip(cols, cursor, strict=True))))
    condition = sa.or_(*terms)
    first, value = cols[0], cursor[0]
    if value is not None and not first.nullable:
        descending = first.descending != reverse
        bound = first.column <= value if descending else first.column >= value
        condition = sa.and_(bound, condition)
    return condition


def escape_like(text: str) -> str:
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def prefix_condition(column: sa.ColumnElement[Any], prefix: str, dialect: Dialect) -> sa.ColumnElement[bool]:
    """Values that start with `prefix`, as an index range scan. MySQL's LIKE 'x%' uses the index
    (case-insensitively, as its collation compares). SQLite cannot use an index for a LIKE with
    ESCAPE, nor PostgreSQL for a LIKE outside the C collation, so there it is the range
    [prefix, prefix with its last character incremented), which is exact in case, with the LIKE
    kept as a filter so that a collation's odd ordering can never let a non-match through."""
    like = column.like(escape_like(prefix) + "%", escape=LIKE_ESCAPE)
    if dialect.name in ("mysql", "mariadb"):
        return like
    last = ord(prefix[-1])
    if last == 0x10FFFF:  # nothing sorts after it: the range has no upper end
        return sa.and_(column >= prefix, like)
    after = 0xE000 if 0xD800 <= last + 1 <= 0xDFFF else last + 1  # surrogates cannot be encoded
    return sa.and_(column >= prefix, column < prefix[:-1] + chr(after), like)


def search_condition(admin: ModelAdmin, text: str, dialect: Dialect) -> sa.ColumnElement[bool] | None:
    """Match `text` on the searchable fields.

    - plain text: anywhere in the value, case-insensitive (a scan: the UI runs it in a
      cancellable worker). LIKE is already case-insensitive on SQLite (ASCII) and MySQL (ci
      collations), and `lower()` would defeat their indexes; PostgreSQL needs ILIKE.
    - `=text`: the whole value, case-insensitive.
    - `^text`: the start of the value, on the indexed searchable fields when there are any (so
      the database reads an index range, whatever the table's size); see `prefix_condition`.
    """
    text = text.strip()
    fields = admin.searchable
    if not text or not fields or text in ("=", "^"):
        return None
    columns = [admin.info.columns[name].column for name in fields]
    if "\x00" in text:
        return _nul_search(columns, text, dialect)
    if text.startswith("^"):
        indexed = [admin.info.columns[n].column for n in fields if admin.info.columns[n].indexed]
        return sa.or_(*(prefix_condition(c, text[1:], dialect) for c in indexed or columns))
    pattern = escape_like(text[1:]) if text.startswith("=") else "%" + escape_like(text) + "%"
    if dialect.name == "postgresql":
        return sa.or_(*(c.ilike(pattern, escape=LIKE_ESCAPE) for c in columns))
    return sa.or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns))


def _nul_search(columns: list[sa.ColumnElement[Any]], text: str, dialect: Dialect) -> sa.ColumnElement[bool]:
    """Text holding a NUL byte. PostgreSQL text cannot hold one, so nothing matches (and the
    driver would refuse the parameter); SQLite's LIKE stops reading its pattern at the NUL, so the
    match is done with instr/substr, which see every byte. MySQL's LIKE handles it."""
    if dialect.name == "postgresql":
        return sa.false()
    mode, value = ("=", text[1:]) if text.startswith("=") else ("^", text[1:]) if text.startswith("^") else ("", text)
    if dialect.name == "sqlite":
        if mode == "=":
            return sa.or_(*(c == value for c in columns))
        if mode == "^":
            return sa.or_(*(sa.func.substr(c, 1, len(value)) == value for c in columns))
        return sa.or_(*(sa.func.instr(c, value) > 0 for c in columns))
    pattern = escape_like(value) if mode == "=" else escape_like(value) + "%" if mode == "^" else (
        "%" + escape_like(value) + "%")
    return sa.or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns))


def where_clause(
    admin: ModelAdmin, query: ListQuery, dialect: Dialect, parent: ModelInfo | None = None
) -> list[sa.ColumnElement[bool]]:
    """The list's WHERE: its filters, its search, and (with `parent`, the model `query.via` names)
    the restriction to one record's relation."""
    info = admin.info
    conditions: list[sa.ColumnElement[bool]] = []
    if query.via is not None:
        if parent is None:
            raise ConfigError(f"{query.via.model} is needed to list its {query.via.relation}")
        conditions.append(via_condition(parent, query.via, info))
    for name, value in query.filters:
        if name not in info.columns:
            raise ConfigError(f"{info.name} has no column {name!r} to filter on")
        conditions.append(_equal(OrderColumn(name, info.columns[name].column, False, True), value))
    search = search_condition(admin, query.search, dialect)
    if search is not None:
        conditions.append(search)
    return conditions


def page_select(
    admin: ModelAdmin,
    query: ListQuery,
    dialect: Dialect,
    *,
    after: Sequence[Any] | None = None,
    start: Sequence[Any] | None = None,
    before: Sequence[Any] | None = None,
    from_end: bool = False,
    limit: int,
    parent: ModelInfo | None = None,
) -> sa.Select[Any]:
    """One page: the `limit` rows after `after`, from `start` on (that row included), before
    `before`, or at the end (`from_end`). Pages read backwards (`before`, `from_end`) come out in
    reverse order; the Store flips them."""
    cols = order_columns(admin, query)
    reverse = before is not None or from_end
    stmt = sa.select(admin.info.model).where(*where_clause(admin, query, dialect, parent))
    nulls_largest = nulls_sort_largest(dialect)
    if after is not None or start is not None:
        cursor = after if after is not None else start
        stmt = stmt.where(keyset_condition(cols, cursor, nulls_largest, inclusive=start is not None))  # type: ignore[arg-type]
    elif before is not None:
        stmt = stmt.where(keyset_condition(cols, before, nulls_largest, reverse=True))
    order = [c.column.asc() if c.descending == reverse else c.column.desc() for c in cols]
    return stmt.order_by(*order).limit(limit)


def count_select(
    admin: ModelAdmin, query: ListQuery, dialect: Dialect, parent: ModelInfo | None = None
) -> sa.Select[Any]:
    """A plain `count(*)` with the list's WHERE and nothing else: no ORDER BY, no subquery."""
    return sa.select(sa.func.count()).select_from(admin.info.table).where(
        *where_clause(admin, query, dialect, parent)
    )


def cursor_of(admin: ModelAdmin, query: ListQuery, obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, c.name) for c in order_columns(admin, query))

