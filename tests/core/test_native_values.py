"""Values written by another client, in each database's own literal format, on every engine.

For every supported type: a value written by raw SQL (as other tools write it: a SQLite date text
without microseconds, a PostgreSQL `Infinity`, a MariaDB latin1 `café`, JSON with its own spacing)
is read by the Store, edited through `update` with the original the Store gave, and saves exactly
once; and a change of it by another client meanwhile is still refused, with nothing written.
Before the guard compared Python values read the same way, each of these was refused forever as
"changed by someone else" (or, for JSON, not guarded at all: a lost update).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import ENGINES
from tui_admin.core.errors import ConflictError
from tui_admin.core.reflect import map_tables
from tui_admin.core.registry import Registry
from tui_admin.core.schemas import Mode, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import rows


@dataclass(frozen=True)
class Case:
    id: str
    ddl: str  # the column's type, in the database's own DDL
    stored: str  # a literal written by another client
    theirs: str  # another client's change of it
    typed: Any  # what the user types in the form (text), or a value for `update` itself (bytes, bools)


SQLITE = [
    Case("datetime-without-microseconds", "DATETIME", "'2021-02-01 00:00:00'", "'2021-02-01 00:00:01'",
         "2022-03-04 05:06:07"),
    Case("datetime-date-only", "DATETIME", "'2016-07-04'", "'2016-07-05'", "2022-03-04 05:06:07"),
    Case("datetime-with-T", "DATETIME", "'2021-02-01T10:00:00'", "'2021-02-01T10:00:01'", "2022-03-04 05:06:07"),
    Case("datetime-microseconds", "DATETIME", "'2021-02-01 10:00:00.123456'", "'2021-02-01 10:00:00.5'",
         "2022-03-04 05:06:07"),
    Case("date", "DATE", "'2016-07-04'", "'2016-07-05'", "2020-01-01"),
    Case("time-without-seconds", "TIME", "'10:00'", "'11:00'", "12:30:00"),
    Case("numeric-stored-as-real", "NUMERIC(10, 2)", "12.5", "13.25", "7.10"),
    Case("numeric-stored-as-text", "NUMERIC(10, 2)", "'12.50'", "'13.25'", "7.10"),
    Case("real", "REAL", "1.1", "2.2", "3.3"),
    Case("json-with-its-own-spacing", "JSON", """'{"a":  1, "b": [1, 2]}'""", """'{"a": 2}'""", '{"c": 3}'),
    Case("boolean", "BOOLEAN", "1", "0", False),
    Case("text", "VARCHAR(20)", "'café'", "'cafe'", "thé"),
    Case("blob", "BLOB", "x'00ff'", "x'01'", b"\x02"),
]
POSTGRES = [
    Case("float8-infinity", "double precision", "'Infinity'", "'-Infinity'", "1.5"),
    Case("float8-nan", "double precision", "'NaN'", "1", "1.5"),
    Case("float4", "real", "1.1", "2.2", "3.3"),
    Case("numeric", "numeric(10, 2)", "12.5", "13.25", "7.10"),
    Case("json", "json", """'{"a":  1, "b": [1, 2]}'""", """'{"a": 2}'""", '{"c": 3}'),
    Case("jsonb", "jsonb", """'{"b": 2, "a": 1}'""", """'{"a": 2}'""", '{"c": 3}'),
    Case("timestamptz", "timestamptz", "'2021-02-01 00:00:00+05'", "'2021-02-01 00:00:01+05'",
         "2022-03-04 05:06:07+00:00"),
    Case("timestamp", "timestamp", "'2021-02-01 00:00:00'", "'2021-02-01 00:00:01'", "2022-03-04 05:06:07"),
    Case("char", "char(5)", "'ab'", "'abc'", "xy"),
    Case("boolean", "boolean", "true", "false", False),
    Case("uuid", "uuid", "'12345678-1234-5678-1234-567812345678'", "'87654321-1234-5678-1234-567812345678'",
         "11111111-2222-3333-4444-555555555555"),
    Case("bytea", "bytea", r"'\x00ff'", r"'\x01'", b"\x02"),
    Case("text-case", "text", "'Café'", "'café'", "thé"),
]
MYSQL = [
    Case("latin1", "varchar(20) CHARACTER SET latin1", "'café'", "'CAFÉ'", "thé"),
    Case("double", "DOUBLE", "1.1", "2.2", "3.3"),
    Case("float", "FLOAT", "1.1", "2.2", "3.3"),
    Case("decimal", "DECIMAL(10, 2)", "12.5", "13.25", "7.10"),
    Case("json", "JSON", """'{"a":  1, "b": [1, 2]}'""", """'{"a": 2}'""", '{"c": 3}'),
    Case("datetime", "DATETIME", "'2021-02-01 00:00:00'", "'2021-02-01 00:00:01'", "2022-03-04 05:06:07"),
    Case("datetime6", "DATETIME(6)", "'2021-02-01 00:00:00.123456'", "'2021-02-01 00:00:00.5'",
         "2022-03-04 05:06:07.000001"),
    Case("enum", "ENUM('b', 'a', 'c')", "'a'", "'c'", "b"),
    Case("char", "CHAR(5)", "'ab'", "'abc'", "xy"),
    Case("text-case", "VARCHAR(20)", "'Deadpond'", "'DEADPOND'", "Deadpond II"),
    Case("blob", "BLOB", "x'00ff'", "x'01'", b"\x02"),
]
CASES = {"sqlite": SQLITE, "postgresql": POSTGRES, "mysql": MYSQL}
#: Each case on each engine (sync and async driver) of its own database.
ON_ITS_ENGINES = pytest.mark.parametrize(("engine_name", "case"), [
    pytest.param(engine, case, id=f"{engine}-{case.id}")
    for engine in ENGINES for case in CASES[engine.split("+")[0]]
])


async def _store(url: str, setup: str) -> Store:
    """A Store over the one reflected table (reflecting the whole test database is not needed)."""
    engine = sa.create_engine(setup)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine, only=["nv_value"])
    finally:
        engine.dispose()
    reflected = map_tables(metadata)
    return Store(url, Registry(reflected.models, names=reflected.names))


@pytest.fixture
async def native(
    case: Case, db_urls: tuple[str, str], raw_tables: Callable[..., str]
) -> AsyncIterator[tuple[Store, Case]]:
    url = raw_tables(["nv_value"], [
        f"CREATE TABLE nv_value (id integer PRIMARY KEY, v {case.ddl} NULL, note varchar(10))",
        f"INSERT INTO nv_value (id, v, note) VALUES (1, {case.stored}, 'x')",
    ])
    store = await _store(url, db_urls[0])
    try:
        yield store, case
    finally:
        await store.dispose()


async def opened(store: Store) -> dict[str, Any]:
    obj = (await store.get("nv_value", (1,))).obj
    return {n: getattr(obj, n) for n in store.admin("nv_value").info.columns}


def changes(store: Store, original: dict[str, Any], typed: Any) -> dict[str, Any]:
    """What the edit form sends when `typed` is typed into the field (through the Update schema),
    or the value itself for a column the form does not edit as text."""
    if not isinstance(typed, str):
        return {"v": typed}
    admin = store.admin("nv_value")
    schemas = find_schemas(admin)
    raw = {c.name: to_form_value(c, original[c.name]) for c in form_columns(admin, schemas, Mode.UPDATE)}
    raw["v"] = typed
    return parse_form(admin, schemas, Mode.UPDATE, raw, original)


def _as_text(check_db: sa.Engine) -> Any:
    """The stored value as the database itself writes it out."""
    cast = "CHAR" if check_db.dialect.name == "mysql" else "TEXT"
    return rows(check_db, f"SELECT CAST(v AS {cast}) FROM nv_value WHERE id = 1")[0][0]


@ON_ITS_ENGINES
async def test_a_value_written_by_another_client_saves_exactly_once(
    native: tuple[Store, Case], check_db: sa.Engine
) -> None:
    store, case = native
    original = await opened(store)
    edit = changes(store, original, case.typed)
    assert edit, "the typed value differs from the stored one"
    await store.update("nv_value", (1,), edit, original)
    updates = [s for s in store.log.actions[-1].statements if s.sql.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    saved = (await store.get("nv_value", (1,))).obj.v
    expected = edit["v"]
    if isinstance(expected, float):
        assert saved == pytest.approx(expected, rel=1e-6)
    elif isinstance(expected, dt.datetime) and expected.tzinfo is not None:
        assert saved == expected  # aware values compare as instants
    else:
        assert saved == expected


@ON_ITS_ENGINES
async def test_a_change_of_that_value_by_another_client_is_still_refused(
    native: tuple[Store, Case], check_db: sa.Engine
) -> None:
    store, case = native
    original = await opened(store)
    with check_db.begin() as conn:
        conn.exec_driver_sql(f"UPDATE nv_value SET v = {case.theirs} WHERE id = 1")
    theirs = _as_text(check_db)
    with pytest.raises(ConflictError) as caught:
        await store.update("nv_value", (1,), changes(store, original, case.typed), original)
    assert set(caught.value.changes) == {"v"}
    assert _as_text(check_db) == theirs  # nothing written
