"""Build and drop the zoo: each backend's .sql file, run statement by statement through the raw
DBAPI connection (no SQLAlchemy parameter handling, so a `%` or `:` in the data stays data)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import sqlalchemy as sa

SQL_DIR = Path(__file__).with_name("sql")
FILES = {"sqlite": "sqlite.sql", "postgresql": "postgresql.sql", "mysql": "mariadb.sql"}
CREATE_MARKER = "-- @create"


def _statements(script: str) -> list[str]:
    """The statements of a zoo file: comment lines dropped, split where a line ends with `;`."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in re.split(r";[ \t]*\n", "\n".join(lines) + "\n") if s.strip()]


def _parts(backend: str) -> tuple[str, str]:
    """(drop, create): what comes before and after the `@create` line of the backend's file."""
    script = (SQL_DIR / FILES[backend]).read_text(encoding="utf-8")
    drop, _, create = script.partition(CREATE_MARKER)
    return (drop, create) if create else ("", drop)


def _run(url: str, statements: list[str]) -> None:
    engine = sa.create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement in statements:
                cursor.execute(statement)
            cursor.close()
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()


def create_sqlite(path: Path) -> str:
    """A new SQLite file holding the zoo (sqlite3's own script runner); its sync URL."""
    with sqlite3.connect(path) as conn:
        conn.executescript((SQL_DIR / FILES["sqlite"]).read_text(encoding="utf-8"))
    conn.close()
    return f"sqlite:///{path}"


def create_server(backend: str, url: str) -> None:
    """Replace any zoo left on the server's database by a fresh one."""
    drop, create = _parts(backend)
    _run(url, _statements(drop) + _statements(create))


def drop_server(backend: str, url: str) -> None:
    _run(url, _statements(_parts(backend)[0]))
