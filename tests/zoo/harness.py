"""The zoo's test harness: raw SQL on the zoo (the reference every check compares with), walking
a list's pages through the Store, and the few points where the tests meet an API that may move
while the fixes land (page cursors, read-only reasons, finding a table in the registry): each of
those is one function here, so that such a change touches one place."""

from __future__ import annotations

import asyncio
import math
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tests.zoo.catalogue import ZooTable
from tui_admin.core.introspect import ModelInfo
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Page, Store

# -- where the tests meet the API -----------------------------------------------------------


def after_cursor(page: Page) -> Any:
    """The cursor to read the page after `page`."""
    return page.last


def before_cursor(page: Page) -> Any:
    """The cursor to read the page before `page`."""
    return page.first


def read_only_reason(admin: ModelAdmin) -> str | None:
    """Why a listed table cannot be written (a view, no primary key), as the admin states it: a
    read-only table's `ModelAdmin` has `can_create`, `can_edit` and `can_delete` False and says why
    in `info.read_only`; a writable one has no reason."""
    return admin.info.read_only


def find_admin(registry: Registry, table: ZooTable, backend: str) -> ModelAdmin:
    """The registry entry of a zoo table, found by its schema and name (not by the name the
    registry gives it, which is the registry's choice)."""
    default = "public" if backend == "postgresql" else None
    for admin in registry:
        t = admin.info.source  # the table itself (a keyless table is queried through a subquery)
        if t.name == table.name and (t.schema or default) == (table.schema or default):
            return admin
    raise AssertionError(f"{table} is not listed (the registry lists {len(registry)} tables, not it)")


def attr(info: ModelInfo, column: str) -> str:
    """The model's attribute for a database column."""
    for name, col in info.columns.items():
        if col.column.name == column:
            return name
    raise AssertionError(f"{info.name} has no field for column {column!r}: {list(info.columns)}")


def ident(info: ModelInfo, table: ZooTable, obj: Any) -> tuple[Any, ...]:
    """The values that identify a row read by the Store, as the catalogue names them."""
    return tuple(getattr(obj, attr(info, c)) for c in table.key)


def reflect(url: str) -> tuple[Registry, list[str]]:
    """`Store(url).reflect()`, with the warnings it gives recorded rather than raised (one test
    asserts there are none; the others then test their own behaviour). It runs in a thread of its
    own with its own event loop, so that the registry can be shared by the tests' Stores."""

    async def run() -> tuple[Registry, list[str]]:
        store = Store(url)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                registry = await store.reflect()
            return registry, [f"{w.category.__name__}: {w.message}" for w in caught]
        finally:
            await store.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to itself (PostgreSQL's 'NaN' is one value)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


# -- raw SQL on the zoo ---------------------------------------------------------------------


@dataclass
class Raw:
    """Raw SQL on the zoo database through a sync engine of its own, never through the Store."""

    engine: sa.Engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name.replace("mariadb", "mysql")

    def q(self, name: str) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name)

    def t(self, table: ZooTable) -> str:
        return f"{self.q(table.schema)}.{self.q(table.name)}" if table.schema else self.q(table.name)

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.rows(sql, **params)[0][0]

    def execute(self, sql: str, **params: Any) -> int:
        with self.engine.begin() as conn:
            return conn.execute(sa.text(sql), params).rowcount

    def _key_where(self, table: ZooTable, key: Sequence[Any], prefix: str = "k") -> tuple[str, dict[str, Any]]:
        parts = [f"{self.q(c)} = :{prefix}{i}" for i, c in enumerate(table.key)]
        return " AND ".join(parts), {f"{prefix}{i}": v for i, v in enumerate(key)}

    def count(self, table: ZooTable, key: Sequence[Any] | None = None) -> int:
        if key is None:
            return self.scalar(f"SELECT count(*) FROM {self.t(table)}")
        where, params = self._key_where(table, key)
        return self.scalar(f"SELECT count(*) FROM {self.t(table)} WHERE {where}", **params)

    def keys(self, table: ZooTable) -> list[tuple[Any, ...]]:
        """The identifying values of every row, in key order."""
        cols = ", ".join(self.q(c) for c in table.key)
        return self.rows(f"SELECT {cols} FROM {self.t(table)} ORDER BY {cols}")

    def columns(self, table: ZooTable) -> list[str]:
        """The table's columns, as the database lists them for `SELECT *`."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(f"SELECT * FROM {self.t(table)} WHERE 1 = 0")).keys())

    def value(self, table: ZooTable, column: str, key: Sequence[Any]) -> Any:
        where, params = self._key_where(table, key)
        return self.scalar(f"SELECT {self.q(column)} FROM {self.t(table)} WHERE {where}", **params)

    def order(self, table: ZooTable, sort: Sequence[tuple[str, bool]]) -> list[tuple[Any, ...]]:
        """The identifying values of every row in the order of one plain ORDER BY: the sort
        columns, then the key in the direction of the last sort column (how a list is ordered)."""
        terms = [f"{self.q(c)} {'DESC' if desc else 'ASC'}" for c, desc in sort]
        key_desc = sort[-1][1] if sort else False
        terms += [f"{self.q(c)} {'DESC' if key_desc else 'ASC'}" for c in table.key]
        cols = ", ".join(self.q(c) for c in table.key)
        return self.rows(f"SELECT {cols} FROM {self.t(table)} ORDER BY {', '.join(terms)}")

    def ranks(self, table: ZooTable, column: str, descending: bool) -> dict[tuple[Any, ...], int]:
        """Each row's rank in `ORDER BY column` (ties share a rank), for tables without a key,
        whose order among ties is the admin's choice."""
        cols = ", ".join(self.q(c) for c in table.key)
        order = f"{self.q(column)} {'DESC' if descending else 'ASC'}"
        found = self.rows(f"SELECT {cols}, DENSE_RANK() OVER (ORDER BY {order}) FROM {self.t(table)}")
        return {tuple(r[:-1]): r[-1] for r in found}

    def insert_copy(self, table: ZooTable, source: Sequence[Any], new_key: Sequence[Any]) -> None:
        """Copy a row under a new key, exactly as stored (INSERT … SELECT), leaving out the
        columns the database computes."""
        cols = [c for c in self.columns(table) if c not in table.generated]
        where, params = self._key_where(table, source, "s")
        select = []
        for c in cols:
            if c in table.key:
                params[f"n_{table.key.index(c)}"] = new_key[table.key.index(c)]
                select.append(f":n_{table.key.index(c)}")
            else:
                select.append(self.q(c))
        overriding = " OVERRIDING SYSTEM VALUE" if table.identity_always else ""
        self.execute(
            f"INSERT INTO {self.t(table)} ({', '.join(self.q(c) for c in cols)}){overriding} "
            f"SELECT {', '.join(select)} FROM {self.t(table)} WHERE {where}",
            **params,
        )

    def delete(self, table: ZooTable, key: Sequence[Any]) -> int:
        where, params = self._key_where(table, key)
        return self.execute(f"DELETE FROM {self.t(table)} WHERE {where}", **params)

    def set_from(self, table: ZooTable, column: str, target: Sequence[Any], source: Sequence[Any]) -> None:
        """Another client's change: the target row's column gets the source row's stored value
        (through a derived table, which MariaDB needs to read the table it updates)."""
        where_t, params = self._key_where(table, target, "t")
        where_s, params_s = self._key_where(table, source, "s")
        c = self.q(column)
        self.execute(
            f"UPDATE {self.t(table)} SET {c} = (SELECT v FROM (SELECT {c} AS v FROM {self.t(table)} "
            f"WHERE {where_s}) AS src) WHERE {where_t}",
            **params, **params_s,
        )

    @contextmanager
    def kept(self, *tables: ZooTable) -> Iterator[None]:
        """Put the tables' rows back as they were (in this order of deletes, the reverse order of
        inserts), whatever the test did to them."""
        saved = []
        for t in tables:
            cols = [c for c in self.columns(t) if c not in t.generated]
            saved.append((t, cols, self.rows(f"SELECT {', '.join(self.q(c) for c in cols)} FROM {self.t(t)}")))
        try:
            yield
        finally:
            with self.engine.begin() as conn:
                for t in tables:
                    conn.execute(sa.text(f"DELETE FROM {self.t(t)}"))
                for t, cols, rows in reversed(saved):
                    if rows:
                        names = ", ".join(self.q(c) for c in cols)
                        marks = ", ".join(f":c{i}" for i in range(len(cols)))
                        overriding = " OVERRIDING SYSTEM VALUE" if t.identity_always else ""
                        conn.execute(sa.text(f"INSERT INTO {self.t(t)} ({names}){overriding} VALUES ({marks})"),
                                     [{f"c{i}": v for i, v in enumerate(r)} for r in rows])


# -- walking a list -------------------------------------------------------------------------


class PagingError(AssertionError):
    pass


async def walk(store: Store, query: ListQuery, *, backwards: bool, limit: int, most: int) -> list[Any]:
    """Every row of the list, in list order, read page by page: forwards from the first page, or
    backwards from the last. More than `most` pages means the paging does not end."""
    page = await store.page(query, from_end=backwards, limit=limit)
    pages = [page]
    while page.has_more:
        if len(pages) > most:
            raise PagingError(f"paging does not end: {len(pages)} pages of {limit} for at most {most}")
        if backwards:
            page = await store.page(query, before=before_cursor(page), limit=limit)
        else:
            page = await store.page(query, after=after_cursor(page), limit=limit)
        pages.append(page)
    if backwards:
        pages.reverse()
    return [row for p in pages for row in p.rows]


def offered_sorts(admin: ModelAdmin) -> list[tuple[str, ListQuery]]:
    """The list as it opens, then every sort the admin offers, ascending and descending, as the
    list screen asks for them (`s` on a column, `s` again)."""
    base = ListQuery(admin.info.name)
    sorts = [("default order", base)]
    for name in admin.sortable:
        ascending = base.sorted_by(name)
        sorts += [(f"{name} ascending", ascending), (f"{name} descending", ascending.sorted_by(name))]
    return sorts


def sort_columns(info: ModelInfo, query: ListQuery) -> list[tuple[str, bool]]:
    """A query's sort as (database column, descending) pairs."""
    return [(info.columns[k.field].column.name, k.descending) for k in query.sort]


def check_walk(raw: Raw, table: ZooTable, info: ModelInfo, query: ListQuery, walked: list[Any]) -> str | None:
    """What is wrong with a walk of the list (None when it is exact). A table with a key must come
    in exactly the order of the raw ORDER BY; one without a key must hold each row exactly once,
    ordered by its sort column (ties in any order)."""
    got = [ident(info, table, r) for r in walked]
    if table.keyed:
        expected = raw.order(table, sort_columns(info, query))
        if got != expected:
            return f"rows {got} instead of {expected}"
        return None
    everything = raw.rows(f"SELECT {', '.join(raw.q(c) for c in table.key)} FROM {raw.t(table)}")
    if Counter(got) != Counter(everything):
        return f"rows {sorted(got, key=repr)} instead of each of {sorted(everything, key=repr)} once"
    for column, descending in sort_columns(info, query)[:1]:
        ranks = raw.ranks(table, column, descending)
        order = [ranks[g] for g in got]
        if order != sorted(order):
            return f"rows {got} are not in the order of {column} (ranks {order})"
    return None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
