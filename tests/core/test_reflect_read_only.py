"""Views and tables without a primary key are listed read-only, with the reason, and every one of
their rows is shown: identical rows, rows of NULLs, values that a collation ties ('a', 'A', 'a ')
— across page boundaries, in both directions and every sort. PostgreSQL's partitioned tables show
the parent, not each partition. Schemas by raw DDL, rows by raw SQL, on every engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa

from tests.core.raw_ddl import RunDDL, quote
from tui_admin.core.errors import StoreError
from tui_admin.core.introspect import Kind
from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.related import Via
from tui_admin.core.store import LinkDiff, Store

from .helpers import rows

LOG = "rf Log"  # a table without a primary key, named with a space and capitals
VIEW = "rf View"
BROKEN = "rf_broken_view"
#: (at, Note, n, score): duplicates, all-NULL rows, values a case- or pad-insensitive collation
#: ties, markup, a value that differs only in a column that is no part of the key.
LOG_ROWS = [
    "1, 'a', 1, 0.5", "1, 'a', 1, 0.5", "1, 'a', 1, 0.5", "1, 'A', 1, 0.5", "1, 'a ', 1, 0.5",
    "NULL, NULL, NULL, NULL", "NULL, NULL, NULL, NULL", "2, '[/]', NULL, 1.5", "2, 'x', 2, 0.5",
    "2, 'x', 2, 0.25", "3, 'ü', 3, NULL",
]


def _log_ddl(backend: str) -> tuple[list[str], list[str]]:
    log, view = quote(backend, LOG), quote(backend, VIEW)
    text = "VARCHAR(20)" if backend == "mysql" else "TEXT"
    number = "DOUBLE PRECISION" if backend == "postgresql" else "DOUBLE" if backend == "mysql" else "REAL"
    doc = ", doc JSON" if backend == "postgresql" else ""  # json has no equality on PostgreSQL
    create = [f'CREATE TABLE {log} ({quote(backend, "at")} INTEGER, {quote(backend, "Note")} {text}, '
              f"n INTEGER, score {number}{doc})"]
    for values in LOG_ROWS:
        extra = ", '{\"k\": [1]}'" if backend == "postgresql" else ""
        create.append(f"INSERT INTO {log} VALUES ({values}{extra})")
    # a column named by a reserved word
    create.append(f'CREATE VIEW {view} AS SELECT {quote(backend, "at")}, {quote(backend, "Note")} AS '
                  f'{quote(backend, "select")} FROM {log}')
    return create, [f"DROP VIEW IF EXISTS {view}", f"DROP TABLE IF EXISTS {log}"]


@pytest.fixture
async def store(db_urls: tuple[str, str], backend: str, run_ddl: RunDDL) -> AsyncIterator[Store]:
    run_ddl(*_log_ddl(backend))
    store = Store(db_urls[1])
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


def _values(obj: Any, names: list[str]) -> tuple[Any, ...]:
    return tuple(None if (v := getattr(obj, n)) is None else float(v) if n == "score" else v for n in names)


async def _walk(store: Store, query: ListQuery, *, backwards: bool, limit: int = 2) -> list[Any]:
    """Every row of the list, a page of `limit` at a time, from the first page on (or the last one
    back), in list order."""
    page = await store.page(query, from_end=backwards, limit=limit)
    seen = list(page.rows)
    while page.has_more:
        if backwards:
            page = await store.page(query, before=page.first, limit=limit)
            seen[:0] = page.rows
        else:
            page = await store.page(query, after=page.last, limit=limit)
            seen += page.rows
    return seen


async def test_keyless_table_and_view_are_listed_read_only_with_the_reason(store: Store) -> None:
    names = {a.info.name: a for a in store.registry}
    assert names[LOG].info.read_only == "no primary key"
    assert names[VIEW].info.read_only == "a view"
    assert not names[LOG].writable and not names[VIEW].writable
    assert names[LOG].list_columns[:4] == ["at", "Note", "n", "score"]  # the row numbering is not shown
    assert not any(s.startswith((LOG, VIEW)) for s in store.skipped_tables)


@pytest.mark.parametrize("model", [LOG, VIEW])
async def test_every_row_is_shown_once_in_every_sort_and_both_directions(
    store: Store, check_db: sa.Engine, backend: str, model: str
) -> None:
    admin = store.admin(model)
    columns = ["at", "select"] if model == VIEW else ["at", "Note", "n", "score"]
    quoted = ", ".join(quote(backend, c) for c in columns)
    expected = Counter(
        tuple(None if v is None else float(v) if c == "score" else v for c, v in zip(columns, r, strict=True))
        for r in rows(check_db, f"SELECT {quoted} FROM {quote(backend, model)}")
    )
    assert sum(expected.values()) == len(LOG_ROWS)
    assert await store.count(ListQuery(model)) == len(LOG_ROWS)
    sorts = [()] + [(SortKey(n, d),) for n in admin.sortable if admin.info.columns[n].kind is not Kind.JSON
                    for d in (False, True)]
    for sort in sorts:
        query = ListQuery(model, sort=sort)
        one_page = (await store.page(query, limit=100)).rows
        assert len({id(r) for r in one_page}) == len(LOG_ROWS), "identical rows merged into one object"
        order = [_values(r, columns) for r in one_page]
        for backwards in (False, True):
            walked = [_values(r, columns) for r in await _walk(store, query, backwards=backwards)]
            assert Counter(walked) == expected, (sort, backwards)
            assert walked == order, (sort, backwards)


async def test_a_keyless_row_opens_in_detail_with_its_own_values(store: Store) -> None:
    info = store.admin(LOG).info
    for obj in (await store.page(ListQuery(LOG), limit=100)).rows:
        detail = await store.detail(LOG, info.pk_of(obj))
        assert _values(detail.record.obj, ["at", "Note", "n", "score"]) == _values(obj, ["at", "Note", "n", "score"])


async def test_the_store_refuses_every_write_to_a_view_or_keyless_table(store: Store, check_db: sa.Engine,
                                                                        backend: str) -> None:
    before = rows(check_db, f"SELECT count(*) FROM {quote(backend, LOG)}")
    for model in (LOG, VIEW):
        pk = store.admin(model).info.pk_of((await store.page(ListQuery(model), limit=1)).rows[0])
        attempts = [
            store.create(model, {"at": 9, "Note": "new"}),
            store.update(model, pk, {"Note": "changed"}, {"Note": "a"}),
            store.delete_preview(model, pk),
            store.delete(model, pk),
            store.apply_links(model, pk, "none", LinkDiff()),
        ]
        for attempt in attempts:
            with pytest.raises(StoreError, match="read-only"):
                await attempt
    assert rows(check_db, f"SELECT count(*) FROM {quote(backend, LOG)}") == before


# PostgreSQL refuses to drop a table that a view reads: no such view there.
@pytest.mark.parametrize("engine_name", ["sqlite", "sqlite+aiosqlite", "mysql+pymysql", "mysql+aiomysql"])
async def test_a_view_that_cannot_be_read_is_reported_and_the_others_are_shown(
    db_urls: tuple[str, str], backend: str, run_ddl: RunDDL
) -> None:
    run_ddl(
        [f"CREATE TABLE {BROKEN}_t (a INTEGER)", f"CREATE VIEW {BROKEN} AS SELECT a FROM {BROKEN}_t",
         f"DROP TABLE {BROKEN}_t", "CREATE TABLE rf_fine (id INTEGER PRIMARY KEY)"],
        [f"DROP VIEW IF EXISTS {BROKEN}", f"DROP TABLE IF EXISTS {BROKEN}_t", "DROP TABLE IF EXISTS rf_fine"],
    )
    store = Store(db_urls[1])
    try:
        registry = await store.reflect()
        assert "rf_fine" in {a.info.name for a in registry}
        assert BROKEN not in {a.info.name for a in registry}
        assert [s for s in store.skipped_tables if s.startswith(BROKEN)] == [
            next(s for s in store.skipped_tables if s.startswith(f"{BROKEN}: cannot be read ("))
        ]
    finally:
        await store.dispose()


# -- PostgreSQL partitions -----------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg", "postgresql+asyncpg"])  # partitions are PostgreSQL's
async def test_a_partitioned_table_shows_the_parent_with_the_rows_of_every_partition(
    db_urls: tuple[str, str], backend: str, run_ddl: RunDDL, check_db: sa.Engine
) -> None:
    run_ddl(
        [
            "CREATE TABLE rf_measure (id integer, at date, v integer, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
            "CREATE TABLE rf_measure_2020 PARTITION OF rf_measure FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
            "CREATE TABLE rf_measure_2021 PARTITION OF rf_measure FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')",
            "INSERT INTO rf_measure VALUES (1, '2020-05-01', 10), (2, '2021-05-01', 20)",
            "CREATE TABLE rf_events (at date, what text) PARTITION BY RANGE (at)",
            "CREATE TABLE rf_events_2020 PARTITION OF rf_events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
            "CREATE TABLE rf_events_2021 PARTITION OF rf_events FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')",
            "INSERT INTO rf_events VALUES ('2020-02-02', 'same'), ('2021-02-02', 'same'), ('2021-02-02', 'same')",
        ],
        ["DROP TABLE IF EXISTS rf_measure", "DROP TABLE IF EXISTS rf_events"],
    )
    store = Store(db_urls[1])
    try:
        names = {a.info.name for a in await store.reflect()}
        assert {"rf_measure", "rf_events"} <= names
        assert not {n for n in names if n.startswith(("rf_measure_", "rf_events_"))}
        assert store.admin("rf_measure").writable
        assert store.admin("rf_events").info.read_only == "no primary key"
        assert [m.v for m in (await store.page(ListQuery("rf_measure"))).rows] == [10, 20]
        assert len((await store.page(ListQuery("rf_events"))).rows) == 3
        # A write to the parent lands in the partition that holds its range.
        import datetime as dt

        await store.create("rf_measure", {"id": 3, "at": dt.date(2021, 7, 1), "v": 30})
        assert rows(check_db, "SELECT v FROM rf_measure_2021 ORDER BY id") == [(20,), (30,)]
    finally:
        await store.dispose()


async def test_a_keyless_table_with_a_foreign_key_is_labelled_and_listed_under_its_target(
    db_urls: tuple[str, str], backend: str, run_ddl: RunDDL
) -> None:
    run_ddl(
        ["CREATE TABLE rf_team (id INTEGER PRIMARY KEY, name VARCHAR(20))",
         "CREATE TABLE rf_audit (team_id INTEGER, what VARCHAR(20), FOREIGN KEY (team_id) REFERENCES rf_team (id))",
         "INSERT INTO rf_team VALUES (1, 'Lions'), (2, 'Tigers')",
         "INSERT INTO rf_audit VALUES (1, 'joined'), (1, 'joined'), (2, 'left'), (NULL, 'orphan')"],
        ["DROP TABLE IF EXISTS rf_audit", "DROP TABLE IF EXISTS rf_team"],
    )
    store = Store(db_urls[1])
    try:
        await store.reflect()
        page = await store.page(ListQuery("rf_audit"))
        keyed = [(1, "joined"), (1, "joined"), (2, "left")]
        nulls = [(None, "orphan")]  # in the order of all columns: NULLs last on PostgreSQL, first on MySQL;
        expected = {"postgresql": keyed + nulls, "mysql": nulls + keyed, "sqlite": keyed + nulls}[backend]
        assert [(r.team_id, r.what) for r in page.rows] == expected  # SQLite: in rowid order
        assert page.labels == {"team_id": {1: "Lions", 2: "Tigers"}}
        lions = await store.detail("rf_team", (1,))
        audits = lions.related["rf_audit_set"]
        assert (audits.total, [r.obj.what for r in audits.rows]) == (2, ["joined", "joined"])
        via = ListQuery("rf_audit", via=Via("rf_team", "rf_audit_set", (1,)))
        assert [r.what for r in (await store.page(via)).rows] == ["joined", "joined"]
        assert await store.count(via) == 2
        row = next(r for r in page.rows if r.what == "left")
        detail = await store.detail("rf_audit", store.admin("rf_audit").info.pk_of(row))
        assert detail.record.labels == {"team_id": {2: "Tigers"}}
        assert (await store.counts(["rf_audit"])) == {"rf_audit": 4}
    finally:
        await store.dispose()


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg", "postgresql+asyncpg"])  # materialized views too
async def test_a_materialized_view_is_listed_read_only(db_urls: tuple[str, str], backend: str,
                                                       run_ddl: RunDDL) -> None:
    run_ddl(["CREATE MATERIALIZED VIEW rf_matview AS SELECT 1 AS one, 'x'::text AS two UNION ALL SELECT 1, 'x'"],
            ["DROP MATERIALIZED VIEW IF EXISTS rf_matview"])
    store = Store(db_urls[1])
    try:
        await store.reflect()
        assert store.admin("rf_matview").info.read_only == "a view"
        assert [(r.one, r.two) for r in (await store.page(ListQuery("rf_matview"))).rows] == [(1, "x"), (1, "x")]
    finally:
        await store.dispose()
