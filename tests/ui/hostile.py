"""A schema nobody here designed, made by raw DDL, with rows written by raw SQL: names that are not
identifiers or look like markup, text that is markup or holds terminal control sequences, CJK and
emoji, JSON objects and arrays (and a PostgreSQL ARRAY), a foreign key and a many-to-many link
whose records carry such labels. Opened without models (reflected), as a user would open it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.cells import cell_len

from tests.conftest import ENGINES, _server_url, _with_driver

#: (stored text, what the screen shows for it): markup, an escape sequence that retitles a
#: terminal, a carriage return and a tab that would overwrite or shift the row, C1 NEL, DEL, CJK
#: and emoji. Row i of each table (owner, note, tag) holds VALUES[i - 1].
VALUES = [
    ("[/]", "[/]"),
    ("[bold]x[/bold]", "[bold]x[/bold]"),
    ("\x1b]2;PWNED\x07", "␛]2;PWNED␇"),
    ("ab\rXY", "ab␍XY"),
    ("a\tb", "a␉b"),
    ("x\x85y", "x\\x85y"),
    ("del\x7f", "del␡"),
    ("名前 😀", "名前 😀"),
]
ESC_ROW = 3  # the id of the rows holding the escape sequence
#: The `wide` table: one column of CJK, emoji, ASCII, and texts wider than a column (cut at a
#: wide character), then a number whose column must line up on every row.
WIDE = ["名前", "😀 emoji", "ascii", "名前" * 30, "a名前" * 15, "combining e\u0301"]

#: The note and link tables' names: Rich markup with spaces on SQLite. PostgreSQL gets plain ones
#: for now: the Store's row estimate passes the name unquoted to `to_regclass`, which refuses a
#: space ("invalid name syntax"; issue 8 §5, core's part); the screens meet such names on SQLite.
NAMES = {"sqlite": ("note [/]", "note [/] tag"), "postgresql": ("note", "note_tag")}
NOTE_COLUMNS = 'id, name, "first name", "名前", "a-b", "1st", "[b]col[/b]", doc, owner_id'


@dataclass(frozen=True)
class Hostile:
    read_url: str  # a sync driver, for the test's own reads
    url: str  # what the app opens
    note: str
    link: str


def _ddl(dialect: str, note: str, link: str) -> list[str]:
    key, text, json_type, false, more = {
        "sqlite": ("INTEGER PRIMARY KEY", "TEXT", "JSON", "0", ""),
        "postgresql": ("serial PRIMARY KEY", "text", "json", "false", ", tags text[], mood mood"),
    }[dialect]
    enum = [f"CREATE TYPE mood AS ENUM ('[/]', '{VALUES[ESC_ROW - 1][0]}', 'ok')"] if dialect == "postgresql" else []
    return [
        *enum,
        f"CREATE TABLE owner (id {key}, name {text} NOT NULL)",
        f'CREATE TABLE "{note}" (id {key}, name {text} NOT NULL, "first name" {text}, "名前" {text},'
        f' "a-b" {text}, "1st" integer, "[b]col[/b]" {text}, doc {json_type},'
        f' owner_id integer REFERENCES owner(id), "how many?" integer, "ok [/]" boolean NOT NULL DEFAULT {false}'
        f"{more})",
        f"CREATE TABLE tag (id {key}, name {text} NOT NULL)",
        f'CREATE TABLE "{link}" (note_id integer NOT NULL REFERENCES "{note}"(id), tag_id integer NOT NULL'
        f' REFERENCES tag(id), "role [/]" {text}, PRIMARY KEY (note_id, tag_id))',
        f'CREATE TABLE wide (id {key}, "名前" {text}, n integer)',
    ]


def _tables(dialect: str) -> list[str]:
    note, link = NAMES[dialect]
    return [link, note, "tag", "owner", "wide"]


def _quote(dialect: str, name: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


def drop(conn: sa.Connection, names: list[str]) -> None:
    for table in names:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_quote(conn.dialect.name, table)}")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TYPE IF EXISTS mood")


def note_doc(i: int, value: str) -> Any:
    """Odd rows hold a JSON object, even rows an array: neither can be hashed."""
    return {"k": value, "n": [i, i]} if i % 2 else [value, {"n": i}]


def _insert(conn: sa.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows by the driver's own parameter style: `?` for sqlite3, `%s` for psycopg."""
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    conn.exec_driver_sql(sql, rows)


def build(url: str) -> None:
    engine = sa.create_engine(url)
    dialect = engine.dialect.name
    note, link = NAMES[dialect]
    numbered = list(enumerate((value for value, _ in VALUES), 1))
    try:
        with engine.begin() as conn:
            drop(conn, _tables(dialect))
            for statement in _ddl(dialect, note, link):
                conn.exec_driver_sql(statement)
            _insert(conn, "INSERT INTO owner (id, name) VALUES (?, ?)", numbered)
            _insert(conn, "INSERT INTO tag (id, name) VALUES (?, ?)", numbered)
            notes = [(i, v, v, v, v, i, v, json.dumps(note_doc(i, v)), i) for i, v in numbered]
            _insert(conn, f'INSERT INTO "{note}" ({NOTE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', notes)
            _insert(conn, f'INSERT INTO "{link}" VALUES (?, ?, ?)', [(i, i, v) for i, v in numbered] + [(1, 2, "[/]")])
            _insert(conn, "INSERT INTO wide VALUES (?, ?, ?)", [(i, v, i) for i, v in enumerate(WIDE, 1)])
            if dialect == "postgresql":
                conn.exec_driver_sql(f"UPDATE \"{note}\" SET tags = ARRAY[name, 'x'], mood = '[/]'")
                for table in ("owner", note, "tag", "wide"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                                         f' (SELECT max(id) FROM "{table}"))')
    finally:
        engine.dispose()


#: A table whose writes the database refuses with a message that echoes markup and an escape
#: sequence: a CHECK constraint so named (SQLite, PostgreSQL), or MariaDB's duplicate-key message,
#: which quotes the typed value (the unique key's name names no column, so it is a form-wide error).
REFUSAL_DDL = {
    "sqlite": ['CREATE TABLE refusal (id INTEGER PRIMARY KEY, name TEXT NOT NULL,'
               " CONSTRAINT \"[/] \x1b]2;PWNED\x07\" CHECK (name <> '[/]'))"],
    "postgresql": ['CREATE TABLE refusal (id serial PRIMARY KEY, name text NOT NULL,'
                   " CONSTRAINT \"[/] \x1b]2;PWNED\x07\" CHECK (name <> '[/]'))"],
    "mysql": ["CREATE TABLE refusal (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL,"
              " UNIQUE KEY uq_label (name))",
              "INSERT INTO refusal (name) VALUES ('[/]')"],
}


def build_refusal(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            drop(conn, ["refusal"])
            for statement in REFUSAL_DDL[conn.dialect.name]:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def database(
    engine_name: str, tmp_path: Path, make: Callable[[str], None] = build, made: list[str] | None = None
) -> Iterator[Hostile]:
    """The schema made by `make` on `engine_name`; a server's tables (`made`, or those of `build`)
    are dropped afterwards, so that no other test reflects them."""
    env, sync_driver, driver = ENGINES[engine_name]
    if env is None:
        path = tmp_path / "hostile.db"
        setup = f"sqlite:///{path}"
        make(setup)
        yield Hostile(setup, f"{driver}:///{path}", *NAMES["sqlite"])
        return
    base = _server_url(env)
    setup = _with_driver(base, sync_driver)
    make(setup)
    dialect = sa.make_url(setup).get_backend_name()
    try:
        yield Hostile(setup, _with_driver(base, driver), *NAMES.get(dialect, ("", "")))
    finally:
        engine = sa.create_engine(setup)
        try:
            with engine.begin() as conn:
                drop(conn, made or _tables(dialect))
        finally:
            engine.dispose()


def cells_before(line: str, text: str) -> int:
    """The terminal column at which `text` starts in `line` (CJK and emoji take two cells)."""
    return cell_len(line[: line.index(text)])
