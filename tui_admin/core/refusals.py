"""Database errors turned into messages a person can act on.

Each driver words its constraint errors differently; the patterns below pull out the column (or
constraint) so that the message can be shown beside the right form field. Anything not recognised
still becomes a clear one-line message, never a traceback.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tui_admin.core.errors import LockTimeoutError, WriteError, first_line
from tui_admin.core.introspect import ModelInfo
from tui_admin.core.schemas import GENERAL

#: SQLite's SQLITE_BUSY and SQLITE_LOCKED (primary result codes).
_SQLITE_LOCK_CODES = {5, 6}
#: PostgreSQL's lock_not_available (lock_timeout, NOWAIT).
_POSTGRESQL_LOCK_STATE = "55P03"
#: MySQL/MariaDB ER_LOCK_WAIT_TIMEOUT (innodb_lock_wait_timeout, lock_wait_timeout).
_MYSQL_LOCK_CODE = 1205


def is_lock_timeout(exc: BaseException) -> bool:
    """The driver's error says a statement gave up waiting for another transaction's lock."""
    orig = getattr(exc, "orig", None)
    if not isinstance(exc, sa.exc.DBAPIError) or orig is None:
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_LOCK_CODES
    if getattr(orig, "sqlstate", None) == _POSTGRESQL_LOCK_STATE:
        return True
    args = getattr(orig, "args", ())
    if args and args[0] == _MYSQL_LOCK_CODE:
        return True
    # aiosqlite's adapter raises a fresh sqlite3 error without the code
    return bool(re.match(r"database (table )?is locked", str(orig)))


_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    # SQLite
    ("unique", re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)"), "Already used by another record"),
    ("not_null", re.compile(r"NOT NULL constraint failed: ([\w.]+)"), "Required"),
    ("check", re.compile(r"CHECK constraint failed: (\w+)"), "Not allowed by a CHECK constraint"),
    ("foreign_key", re.compile(r"FOREIGN KEY constraint failed()"), "Refers to a record that does not exist"),
    # PostgreSQL (asyncpg's DETAIL line is added by `explain`)
    ("unique", re.compile(r'duplicate key value violates unique constraint.*?Key \(([^)]+)\)', re.S),
     "Already used by another record"),
    ("not_null", re.compile(r'null value in column "(\w+)"'), "Required"),
    ("foreign_key", re.compile(r'violates foreign key constraint.*?Key \(([^)]+)\)', re.S),
     "Refers to a record that does not exist"),
    ("check", re.compile(r'violates check constraint "(\w+)"'), "Not allowed by a CHECK constraint"),
    ("too_long", re.compile(r"value too long for type character varying\((\d+)\)"), "Too long"),
    # MySQL / MariaDB
    ("unique", re.compile(r"Duplicate entry .* for key '(?:\w+\.)?([\w]+)'"), "Already used by another record"),
    ("not_null", re.compile(r"Column '(\w+)' cannot be null"), "Required"),
    ("foreign_key", re.compile(r"foreign key constraint fails .*?FOREIGN KEY \(`(\w+)`\)"),
     "Refers to a record that does not exist"),
    ("check", re.compile(r"CONSTRAINT `(\w+)` failed"), "Not allowed by a CHECK constraint"),
    ("too_long", re.compile(r"Data too long for column '(\w+)'"), "Too long"),
    ("out_of_range", re.compile(r"Out of range value for column '(\w+)'"), "Out of range"),
    ("bad_value", re.compile(r"Incorrect \w+ value: .* for column `?[\w`.]*?`?(\w+)`? at row"), "Not a valid value"),
]


def _fields_named(info: ModelInfo, names: str) -> list[str]:
    """Column names found in a driver's text (`hero.name`, `name, secret_name`, an index name)."""
    found = []
    for part in re.split(r"[,\s]+", names):
        column = part.split(".")[-1].strip('`"')
        if column in info.columns:
            found.append(column)
    if not found and names.strip("`'\"").upper() == "PRIMARY":  # MySQL names the primary key index so
        found = list(info.primary_key)
    if not found:  # an index or constraint name such as ix_hero_name or uq_team_name_hq
        found = [c for c in info.columns if re.search(rf"(^|_){re.escape(c)}(_|$)", names)]
    return found


def explain(exc: sa.exc.DBAPIError, info: ModelInfo) -> WriteError:
    """A constraint violation as field errors (or one general message); a lock wait that ran out
    as a `LockTimeoutError` on the model's table."""
    if is_lock_timeout(exc):
        return LockTimeoutError(f"Another transaction holds a lock on {info.table_name}: nothing was written",
                                info.table_name)
    text = str(exc.orig) if exc.orig is not None else str(exc)
    # asyncpg keeps PostgreSQL's DETAIL line ("Key (team_id)=(999) is not present …"), the one that
    # names the column, out of str(); psycopg includes it. Add it so both read the same.
    detail = getattr(exc.orig, "detail", None)
    if isinstance(detail, str) and detail and detail not in text:
        text = f"{text}\nDETAIL:  {detail}"
    for kind, pattern, message in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        if kind == "foreign_key" and not match.group(1):
            # SQLite does not say which key: blame every foreign key the write touched.
            fields = [c.name for c in info.columns.values() if c.foreign_key is not None]
        elif kind == "too_long" and match.group(1).isdigit():
            fields = [c.name for c in info.columns.values() if c.max_length == int(match.group(1))]
        else:
            fields = _fields_named(info, match.group(1))
        line = first_line(text)
        if fields:
            return WriteError(f"{message}: {line}", dict.fromkeys(fields, message))
        return WriteError(f"{message}: {line}", {GENERAL: f"{message}: {line}"})
    line = first_line(text) or type(exc).__name__
    return WriteError(f"The database refused the change: {line}", {GENERAL: line})
