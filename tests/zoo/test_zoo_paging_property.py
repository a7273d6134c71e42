"""Keyset paging is exact for every sort it offers (issue 8, section 2), as a property, on every
engine, sync and async: a table with a column of each sortable type, filled by raw SQL with rows
drawn from small pools of each database's own literals (so there are many ties and NULLs, and the
values are written the way other clients write them); walking every page forwards from the first
and backwards from the last, in both directions of every offered sort, gives each row exactly
once, in the order of one raw ORDER BY.

Shrinking is off: one example costs a few hundred statements, and a failing example is small and
is printed whole (its rows as SQL literals)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.zoo.catalogue import ZooTable
from tests.zoo.conftest import Zoo
from tests.zoo.harness import Raw, check_walk, find_admin, first_line, offered_sorts, reflect, walk
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Store

TABLE = ZooTable("zoo_prop", "zoo_prop", ("id",))
MAX_ROWS = 9

# -- each database's table and literals -------------------------------------------------------

DDL = {
    "sqlite": [
        """CREATE TABLE zoo_prop (id INTEGER PRIMARY KEY, c_int INTEGER, c_bool BOOLEAN, c_real REAL,
        c_double DOUBLE PRECISION, c_numeric NUMERIC(10, 2), c_text TEXT, c_char CHAR(4), c_date DATE,
        c_ts DATETIME, c_ts_us DATETIME, c_tz TIMESTAMP, c_enum VARCHAR(5), c_uuid VARCHAR(36))""",
    ],
    "postgresql": [
        "CREATE TYPE zoo_prop_mood AS ENUM ('sad', 'ok', 'happy')",
        """CREATE TABLE zoo_prop (id integer PRIMARY KEY, c_int integer, c_bool boolean, c_real real,
        c_double double precision, c_numeric numeric(10, 2), c_text text, c_char char(4), c_date date,
        c_ts timestamp, c_ts_us timestamp(6), c_tz timestamptz, c_enum zoo_prop_mood, c_uuid uuid)""",
    ],
    "mysql": [
        """CREATE TABLE zoo_prop (id INT PRIMARY KEY, c_int BIGINT, c_bool BOOLEAN, c_real FLOAT,
        c_double DOUBLE, c_numeric DECIMAL(10, 2), c_text VARCHAR(10), c_char CHAR(4), c_date DATE,
        c_ts DATETIME, c_ts_us DATETIME(6), c_tz TIMESTAMP NULL DEFAULT NULL, c_enum ENUM('sad', 'ok', 'happy'),
        c_uuid CHAR(36))""",
    ],
}
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS zoo_prop"],
    "postgresql": ["DROP TABLE IF EXISTS zoo_prop", "DROP TYPE IF EXISTS zoo_prop_mood"],
    "mysql": ["DROP TABLE IF EXISTS zoo_prop"],
}

_UUIDS = ["'00000000-0000-0000-0000-000000000001'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
          "'12345678-1234-5678-1234-567812345678'"]
_TEXTS = ["'a'", "'A'", "'á'", "'B'", "'b'", "''"]

#: column → SQL literals a row's cell is drawn from (NULL always among them).
LITERALS = {
    "sqlite": {
        "c_int": ["-1", "0", "7", "9223372036854775807"],
        "c_bool": ["0", "1"],
        "c_real": ["0.1", "2.5", "-1e10"],
        "c_double": ["0.1", "1e300", "-2.5"],
        "c_numeric": ["12.5", "'12.50'", "-0.01", "0"],
        "c_text": _TEXTS,
        "c_char": ["'ab'", "'ab  '", "'b'"],
        "c_date": ["'2016-07-04'", "'2021-02-01'"],
        "c_ts": ["'2021-02-01 00:00:00'", "'2016-07-04'", "'2021-02-01T10:00:00'", "'2021-02-01 10:00:00.000000'"],
        "c_ts_us": ["'2021-02-01 00:00:00.123456'", "'2021-02-01 00:00:00.5'", "'2016-07-04 23:59:59.999999'"],
        "c_tz": ["'2021-02-01 10:00:00+02:00'", "'2021-02-01 08:00:00+00:00'", "'2021-02-01 10:00:00'"],
        "c_enum": ["'sad'", "'ok'", "'happy'"],
        "c_uuid": _UUIDS,
    },
    "postgresql": {
        "c_int": ["-1", "0", "7", "2147483647"],
        "c_bool": ["TRUE", "FALSE"],
        "c_real": ["0.1", "2.5", "'-Infinity'"],
        "c_double": ["0.1", "'Infinity'", "'NaN'", "-2.5"],
        "c_numeric": ["12.5", "'12.50'", "-0.01", "0"],
        "c_text": _TEXTS,
        "c_char": ["'ab'", "'ab  '", "'b'"],
        "c_date": ["DATE '2016-07-04'", "DATE '2021-02-01'"],
        "c_ts": ["TIMESTAMP '2021-02-01 00:00:00'", "TIMESTAMP '2016-07-04 00:00:00'", "TIMESTAMP '2021-02-01 10:00'"],
        "c_ts_us": ["TIMESTAMP '2021-02-01 00:00:00.123456'", "TIMESTAMP '2021-02-01 00:00:00.5'",
                    "TIMESTAMP '2016-07-04 23:59:59.999999'"],
        "c_tz": ["TIMESTAMPTZ '2021-02-01 10:00:00+02'", "TIMESTAMPTZ '2021-02-01 08:00:00+00'",
                 "TIMESTAMPTZ '2016-07-04 00:00:00.25-07'"],
        "c_enum": ["'sad'", "'ok'", "'happy'"],
        "c_uuid": _UUIDS,
    },
    "mysql": {
        "c_int": ["-1", "0", "7", "9223372036854775807"],
        "c_bool": ["TRUE", "FALSE"],
        "c_real": ["0.1", "2.5", "-1e10"],
        "c_double": ["0.1", "1e300", "-2.5"],
        "c_numeric": ["12.5", "'12.50'", "-0.01", "0"],
        "c_text": [*_TEXTS, "'a '"],
        "c_char": ["'ab'", "'ab  '", "'b'"],
        "c_date": ["'2016-07-04'", "'2021-02-01'"],
        "c_ts": ["'2021-02-01 00:00:00'", "'2016-07-04'", "'2021-02-01 10:00'"],
        "c_ts_us": ["'2021-02-01 00:00:00.123456'", "'2021-02-01 00:00:00.5'", "'2016-07-04 23:59:59.999999'"],
        "c_tz": ["'2021-02-01 10:00:00'", "'2016-07-04 00:00:00'", "'2021-02-01 10:00:00.5'"],
        "c_enum": ["'sad'", "'ok'", "'happy'"],
        "c_uuid": _UUIDS,
    },
}
COLUMNS = list(LITERALS["sqlite"])
assert all(list(pools) == COLUMNS for pools in LITERALS.values())


def rows_of(backend: str) -> st.SearchStrategy[list[tuple[str, ...]]]:
    """Rows as tuples of SQL literals, one per column (id excluded)."""
    cells = [st.sampled_from(["NULL", *LITERALS[backend][c]]) for c in COLUMNS]
    return st.lists(st.tuples(*cells), max_size=MAX_ROWS)


def fill(raw: Raw, rows: list[tuple[str, ...]]) -> None:
    """Replace the table's rows by raw SQL, the values written as literals."""
    statements = ["DELETE FROM zoo_prop"]
    if rows:
        values = ", ".join(f"({i}, {', '.join(r)})" for i, r in enumerate(rows, start=1))
        statements.append(f"INSERT INTO zoo_prop (id, {', '.join(COLUMNS)}) VALUES {values}")
    with raw.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    note(statements[-1])


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def prop_registry(zoo: Zoo) -> Iterator[Registry]:
    """The property's table, created for the test and dropped afterwards, and the database
    reflected with it."""
    with zoo.raw.engine.begin() as conn:
        for statement in DROP[zoo.backend] + DDL[zoo.backend]:
            conn.exec_driver_sql(statement)
    try:
        yield reflect(zoo.url)[0]
    finally:
        with zoo.raw.engine.begin() as conn:
            for statement in DROP[zoo.backend]:
                conn.exec_driver_sql(statement)


@pytest.fixture
def prop_table(zoo: Zoo, prop_registry: Registry) -> ModelAdmin:
    return find_admin(prop_registry, TABLE, zoo.backend)


@pytest.fixture
async def prop_store(zoo: Zoo, prop_registry: Registry) -> AsyncIterator[Store]:
    async with Store(zoo.url, prop_registry) as store:
        yield store


# -- the property -----------------------------------------------------------------------------


def test_every_sortable_type_is_offered_as_a_sort(prop_table: ModelAdmin) -> None:
    assert sorted(prop_table.info.columns[f].column.name for f in prop_table.sortable) == sorted(["id", *COLUMNS])


PROPERTY = settings(
    max_examples=25,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(data=st.data(), limit=st.sampled_from([2, 3]))
async def test_walking_every_offered_sort_both_ways_gives_each_row_once_in_order_by_order(
    zoo: Zoo, prop_table: ModelAdmin, prop_store: Store, data: st.DataObject, limit: int
) -> None:
    rows = data.draw(rows_of(zoo.backend), label="rows")
    fill(zoo.raw, rows)
    most = len(rows) // limit + 3
    failures = []
    for label, query in offered_sorts(prop_table):
        for backwards in (False, True):
            way = "backwards from the last page" if backwards else "forwards from the first page"
            try:
                walked = await walk(prop_store, query, backwards=backwards, limit=limit, most=most)
            except Exception as exc:
                failures.append(f"{label}, {way}: {first_line(exc)}")
                continue
            problem = check_walk(zoo.raw, TABLE, prop_table.info, query, walked)
            if problem is not None:
                failures.append(f"{label}, {way}: {problem}")
    assert not failures, "\n".join(failures)
