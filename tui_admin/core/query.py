"""`ListQuery`: a pure description of a list view, compiled to a keyset-paged `select()`.

The list is ordered by the user's sort column(s) and then by the primary key, which makes the
order total, so a page is "the next N rows after this row" (`WHERE (sort, pk) > (…) LIMIT N`)
rather than `OFFSET`, whose cost grows with the page depth. Sort, search and filter fields are
allow-listed from the `ModelAdmin`; user text reaches SQL only as a bound parameter.

NULLs sort where each dialect puts them natively (smallest on SQLite and MySQL, largest on
PostgreSQL) so that an index on the sort column serves the ORDER BY; the keyset condition is
written to match that order. A cursor holds the row's values as the database returned them (see
`reading`) and is compared in the column's own representation (see `dialects`), so that a page
never skips or repeats a row, whatever client wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from tui_admin.core.dialects import LIKE_ESCAPE, Backend, backend_for, escape_like
from tui_admin.core.introspect import ColumnInfo, ModelInfo
from tui_admin.core.reading import raw_columns
from tui_admin.core.registry import ConfigError, ModelAdmin
from tui_admin.core.related import Via, via_condition

__all__ = ["LIKE_ESCAPE", "Filter", "ListQuery", "SortKey", "Stored", "escape_like"]


@dataclass(frozen=True)
class Stored:
    """A filter value as the database returned it (a cell of a page's `raw` values): compared in
    the column's own representation, so that `f` on a cell always finds that cell's row."""

    value: Any


@dataclass(frozen=True)
class Filter:
    """A typed filter of the filter bar: `field <op> value`, the operator one its kind offers
    (`kinds`: "=", "in" a tuple, "range" (low, high[, high excluded]), "empty", "not empty",
    "contains", "starts"). `label` names the value as a person knows it (`team = Preventers`,
    not `team_id = 1`); it does not change what matches."""

    field: str
    op: str
    value: Any = None
    label: str | None = field(default=None, compare=False)

    def describe(self, title: str | None = None) -> str:
        """`team = Preventers`, `age 30–40`, `name contains "sp"`, `age is empty`."""
        name = title or self.field
        shown = self.label
        if self.op in ("empty", "not empty"):
            return f"{name} is {self.op}"
        if self.op == "range":
            low, high, *_ = self.value
            return shown or f"{name} " + (f"{low}–{high}" if low is not None and high is not None else
                                           f"≥ {low}" if low is not None else f"≤ {high}")
        if self.op in ("contains", "starts"):
            return f'{name} {"starts with" if self.op == "starts" else "contains"} "{self.value}"'
        if self.op == "in":
            return f"{name} in {shown or ', '.join(map(str, self.value))}"
        return f"{name} = {shown if shown is not None else self.value}"


def preset_range(name: str, now: dt.datetime, *, dates: bool = False) -> tuple[Any, Any, bool]:
    """The range of a preset ("today", "last 7 days", "this month") as (from, to, to excluded),
    in `now`'s time zone; as dates for a DATE column."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if name == "today":
        low, high = day, day + dt.timedelta(days=1)
    elif name == "last 7 days":
        low, high = day - dt.timedelta(days=6), day + dt.timedelta(days=1)
    elif name == "this month":
        low = day.replace(day=1)
        high = (low + dt.timedelta(days=32)).replace(day=1)
    else:
        raise ValueError(f"no preset {name!r} (presets: {', '.join(PRESETS)})")
    return (low.date(), high.date(), True) if dates else (low, high, True)


PRESETS = ("today", "last 7 days", "this month")


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
    filters: tuple[tuple[str, Any], ...] = ()  # equality with a cell's value (`f`)
    via: Via | None = None  # only the rows related to one record (a relation's full list)
    conditions: tuple[Filter, ...] = ()  # the filter bar's typed filters
    #: Only the rows with these primary keys (as the database returned them): the marked rows an
    #: export or an action works on. None: no such restriction.
    keys: tuple[tuple[Any, ...], ...] | None = None

    def adding(self, condition: Filter) -> ListQuery:
        """Add a typed filter, replacing one of the same field and operator."""
        kept = tuple(c for c in self.conditions if (c.field, c.op) != (condition.field, condition.op))
        return replace(self, conditions=(*kept, condition))

    def removing(self, condition: Filter) -> ListQuery:
        return replace(self, conditions=tuple(c for c in self.conditions if c != condition))

    def only(self, keys: Sequence[tuple[Any, ...]] | None) -> ListQuery:
        """The same view restricted to the rows with these primary keys (None: no restriction)."""
        return replace(self, keys=None if keys is None else tuple(tuple(k) for k in keys))

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
    info: ColumnInfo
    descending: bool
    nullable: bool

    @property
    def column(self) -> sa.ColumnElement[Any]:
        return self.info.column


def order_columns(admin: ModelAdmin, query: ListQuery) -> list[OrderColumn]:
    """The user's sort keys, then the primary key in the direction of the last sort key (so one
    index scan in either direction serves the whole ORDER BY)."""
    info = admin.info
    result: list[OrderColumn] = []
    # No sort asked: the model's `column_default_sort` (then the key, as always).
    keys = query.sort or tuple(SortKey(name, desc) for name, desc in admin.default_sort)
    for key in keys:
        if key.field not in admin.sortable:
            raise ConfigError(f"{info.name} cannot be sorted by {key.field!r}")
        col = info.columns[key.field]
        if all(c.name != key.field for c in result):
            result.append(OrderColumn(key.field, col, key.descending, col.nullable))
    pk_desc = result[-1].descending if result else False
    for name in info.primary_key:  # nullable only in the key of a keyless table's rows (see reflect)
        # A key column sorted by already has its place (a link sorted by its second key column).
        if all(c.name != name for c in result):
            result.append(OrderColumn(name, info.columns[name], pk_desc, info.columns[name].nullable))
    return result


def _beyond(col: OrderColumn, value: Any, rules: Backend, reverse: bool) -> sa.ColumnElement[bool]:
    """Rows whose value of this column comes strictly after `value` in the (possibly reversed) order."""
    descending = col.descending != reverse
    nulls_after = rules.nulls_largest != descending
    if value is None:
        return col.column.is_not(None) if not nulls_after else sa.false()
    bound = rules.cursor_value(col.info, value)
    cmp = col.column < bound if descending else col.column > bound
    if col.nullable and nulls_after:
        return sa.or_(cmp, col.column.is_(None))
    return cmp


def keyset_condition(
    cols: Sequence[OrderColumn],
    cursor: Sequence[Any],
    rules: Backend,
    *,
    reverse: bool = False,
    inclusive: bool = False,
) -> sa.ColumnElement[bool]:
    """Rows after `cursor` (before it, with `reverse`; the cursor row too, with `inclusive`) in
    the order of `cols`: `c0 > v0 OR (c0 = v0 AND c1 > v1) OR …`, with a plain range on the first
    column in front when that is exact, so that every database turns it into an index range scan."""
    terms = []
    for i, col in enumerate(cols):
        prefix = [rules.equals(c.info, v) for c, v in zip(cols[:i], cursor[:i], strict=True)]
        terms.append(sa.and_(*prefix, _beyond(col, cursor[i], rules, reverse)))
    if inclusive:
        terms.append(sa.and_(*(rules.equals(c.info, v) for c, v in zip(cols, cursor, strict=True))))
    condition = sa.or_(*terms)
    first, value = cols[0], cursor[0]
    if value is not None and not first.nullable:
        descending = first.descending != reverse
        bound = rules.cursor_value(first.info, value)
        condition = sa.and_(first.column <= bound if descending else first.column >= bound, condition)
    return condition


def search_condition(admin: ModelAdmin, text: str, dialect: Dialect | Backend) -> sa.ColumnElement[bool] | None:
    """Match `text` on the searchable fields, ignoring case in all three forms (one rule: `^sp`
    finds Spider-Boy as `spider` and `=sure-e` do):

    - plain text: anywhere in the value (a scan: the UI runs it in a cancellable worker). LIKE
      already ignores case on SQLite (ASCII) and MySQL (ci collations), and `lower()` would
      defeat their indexes; PostgreSQL needs ILIKE.
    - `=text`: the whole value.
    - `^text`: the start of the value, on the indexed searchable fields when there are any, read
      from their index where it serves (see `Backend.prefix_uses_index`; `search_scans` says
      when none does).
    """
    rules = backend_for(dialect)
    text = text.strip()
    fields = admin.searchable
    if not text or not fields or text in ("=", "^"):
        return None
    cols = [admin.info.columns[name] for name in fields]
    columns = [rules.search_text(c) for c in cols]
    if "\x00" in text:
        mode = text[0] if text[0] in "=^" else ""
        return rules.nul_search(columns, mode, text[len(mode):])
    if text.startswith("^"):
        return sa.or_(*(rules.prefix(c, text[1:]) for c in _prefix_columns(cols)))
    if text.startswith("="):
        return sa.or_(*(rules.equals_ignoring_case(c, text[1:]) for c in cols))
    pattern = "%" + escape_like(text) + "%"
    return sa.or_(*(rules.contains(c, pattern) for c in columns))


def _prefix_columns(cols: list[ColumnInfo]) -> list[ColumnInfo]:
    """The columns a `^` search looks at: the indexed ones when there are any."""
    return [c for c in cols if c.indexed] or cols


def search_scans(admin: ModelAdmin, text: str, dialect: Dialect | Backend) -> bool:
    """Whether the search `text` reads every row (no index serves it), so that the list can say
    so: a substring always does; `^` and `=` do unless each column they look at has an index
    that serves a case-insensitive start (`Backend.prefix_uses_index`)."""
    rules = backend_for(dialect)
    text = text.strip()
    if not text or not admin.searchable or text in ("=", "^"):
        return False
    cols = [admin.info.columns[name] for name in admin.searchable]
    if "\x00" in text or text[0] not in "=^":
        return True
    looked_at = _prefix_columns(cols) if text[0] == "^" else cols
    return not all(rules.prefix_uses_index(c, text[1:]) for c in looked_at)


def where_clause(
    admin: ModelAdmin, query: ListQuery, dialect: Dialect | Backend, parent: ModelInfo | None = None
) -> list[sa.ColumnElement[bool]]:
    """The list's WHERE: its filters, its search, and (with `parent`, the model `query.via` names)
    the restriction to one record's relation."""
    info = admin.info
    conditions: list[sa.ColumnElement[bool]] = []
    if query.via is not None:
        if parent is None:
            raise ConfigError(f"{query.via.model} is needed to list its {query.via.relation}")
        conditions.append(via_condition(parent, query.via, info))
    rules = backend_for(dialect)
    for name, value in query.filters:
        if name not in info.columns:
            raise ConfigError(f"{info.name} has no column {name!r} to filter on")
        col = info.columns[name]
        if not col.spec.filterable:
            raise ConfigError(f"{info.name} cannot be filtered on {name!r}: its type has no equality to compare")
        if isinstance(value, Stored):
            conditions.append(rules.equals(col, value.value))
        else:
            conditions.append(col.spec.filter_condition(col, value, rules))
    leading = query.sort[0].field if query.sort else (info.primary_key[0] if info.primary_key else None)
    for condition in query.conditions:
        col = info.columns.get(condition.field)
        if col is None:
            raise ConfigError(f"{info.name} has no column {condition.field!r} to filter on")
        try:
            conditions.append(col.spec.condition(col, condition.op, condition.value, rules,
                                                 ordered=condition.field == leading))
        except ValueError as exc:
            raise ConfigError(f"{info.name}.{condition.field}: {exc}") from None
    if query.keys is not None:
        conditions.append(keys_condition(info, query.keys, rules))
    search = search_condition(admin, query.search, rules)
    if search is not None:
        conditions.append(search)
    return conditions


def keys_condition(info: ModelInfo, keys: Sequence[tuple[Any, ...]], rules: Backend) -> sa.ColumnElement[bool]:
    """The rows with these primary keys, each compared in the column's own representation (the
    keys are cells as the database returned them): `pk IN (…)` for a one-column key (an index
    lookup per key), `(a = … AND b = …) OR …` for a composite one (portable: SQLite has no
    row-value IN on older versions)."""
    cols = [info.columns[name] for name in info.primary_key]
    if not keys:
        return sa.false()
    if len(cols) == 1:
        column, bind = cols[0].column, (lambda v: rules.cursor_value(cols[0], v))
        return column.in_([bind(k[0]) for k in keys])
    return sa.or_(*(sa.and_(*(rules.equals(c, v) for c, v in zip(cols, key, strict=True))) for key in keys))


def page_select(
    admin: ModelAdmin,
    query: ListQuery,
    dialect: Dialect | Backend,
    columns: Sequence[sa.ColumnElement[Any]] | None = None,
    *,
    after: Sequence[Any] | None = None,
    start: Sequence[Any] | None = None,
    before: Sequence[Any] | None = None,
    from_end: bool = False,
    until: Sequence[Any] | None = None,
    limit: int,
    offset: int = 0,
    parent: ModelInfo | None = None,
) -> sa.Select[Any]:
    """One page of `columns` (by default the model's raw columns, see `reading`): the `limit` rows after `after`, from
    `start` on (that row included), before `before`, or at the end (`from_end`); none beyond the
    row whose cursor is `until` (that row included: one part of an export in parts). Pages read
    backwards (`before`, `from_end`) come out in reverse order; the Store flips them. `offset`
    skips rows first: only for an explicit "go to row N", as its cost grows with N."""
    rules = backend_for(dialect)
    cols = order_columns(admin, query)
    reverse = before is not None or from_end
    selected = columns if columns is not None else raw_columns(admin.info)
    stmt = scoped(admin, sa.select(*selected).select_from(admin.info.table).where(
        *where_clause(admin, query, rules, parent)))
    if after is not None or start is not None:
        cursor = after if after is not None else start
        stmt = stmt.where(keyset_condition(cols, cursor, rules, inclusive=start is not None))  # type: ignore[arg-type]
    elif before is not None:
        stmt = stmt.where(keyset_condition(cols, before, rules, reverse=True))
    if until is not None:
        stmt = stmt.where(keyset_condition(cols, until, rules, reverse=True, inclusive=True))  # type: ignore[arg-type]
    order = [c.column.asc() if c.descending == reverse else c.column.desc() for c in cols]
    stmt = stmt.order_by(*order).limit(limit)
    return stmt.offset(offset) if offset else stmt


def count_select(
    admin: ModelAdmin, query: ListQuery, dialect: Dialect | Backend, parent: ModelInfo | None = None
) -> sa.Select[Any]:
    """A plain `count(*)` with the list's WHERE and nothing else: no ORDER BY, no subquery."""
    return scoped(admin, sa.select(sa.func.count()).select_from(admin.info.table).where(
        *where_clause(admin, query, dialect, parent)
    ))


def scoped(admin: ModelAdmin, stmt: sa.Select[Any]) -> sa.Select[Any]:
    """The statement narrowed by the model's `list_query` (what its list may show at all)."""
    if not admin.has_hook("list_query"):
        return stmt
    narrowed = admin.list_query(stmt)
    if not isinstance(narrowed, sa.Select):
        raise ConfigError(f"{type(admin).__name__}.list_query must return the select it was given, narrowed "
                          f"(got {type(narrowed).__name__})")
    # `Hero.age >= 30` carries the ORM's marks, which would make the whole statement an ORM one
    # (its result no longer the raw cursor the readers read: see `reading`). The columns compile
    # the same without them; the statement is run as the Core statement it was.
    narrowed._propagate_attrs = stmt._propagate_attrs
    return narrowed


def cursor_of(admin: ModelAdmin, query: ListQuery, stored: dict[str, Any]) -> tuple[Any, ...]:
    """The keyset cursor of a row, from its values as the database returned them."""
    return tuple(stored[c.name] for c in order_columns(admin, query))
