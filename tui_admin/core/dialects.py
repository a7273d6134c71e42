"""One object per database backend: the rules in which the backends differ.

Every place that would otherwise ask `dialect.name` asks the backend object instead, so that a
new backend (a PostgreSQL-compatible engine, say) is one subclass. The rules here are the ones
that decide whether a list is exact:

- **Cursors and equality filters** compare a column with a value *as the database returned it*
  (see `reading`), bound so that the database compares it in the column's own representation:
  SQLite binds the stored value itself (the text '2021-02-01 00:00:00' equals itself, where
  SQLAlchemy would bind '… 00:00:00.000000'); PostgreSQL casts the value to the column's type
  (a `real` cursor is compared as a `real`, a `char(5)` as a padded `bpchar`, a boolean without
  SQLAlchemy's refusal of `col > true`); MySQL compares an ENUM by its index, as it sorts it, and
  a FLOAT as a FLOAT.
- **NULLs** sort where each backend puts them natively, so that an index serves the ORDER BY.
- **Prefix search** reads an index range only where the column's collation orders by code point.

Around those, each backend says how it is connected to (connect arguments, the setup of each
connection: read-only, lock timeout, strictness), how a running statement is stopped, which of
its errors is a lock wait that ran out and how its constraint errors name the column, what its
planner estimates a table's rows at, and how its schemas are reflected.

The rules for a dialect are found by its SQLAlchemy name (`backend_for`); `register` puts a
subclass in its place. A PostgreSQL-compatible engine (CockroachDB, YugabyteDB) is a subclass of
`PostgreSQL` that overrides where it differs, registered under its dialect's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import decimal
import json
import math
import re
import struct
from collections.abc import Callable
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from tui_admin.core import sqlite_files
from tui_admin.core.introspect import ColumnInfo, Kind
from tui_admin.core.pgtypes import AsText, stored_type
from tui_admin.core.plans import PlanLine

LIKE_ESCAPE = "/"

#: (what a constraint error is, the pattern whose group names its column or constraint, the
#: message shown beside the field); see `refusals.explain`.
ErrorPattern = tuple[str, re.Pattern[str], str]
UNIQUE = "Already used by another record"
REQUIRED = "Required"
CHECK = "Not allowed by a CHECK constraint"
MISSING_TARGET = "Refers to a record that does not exist"
TOO_LONG = "Too long"


def escape_like(text: str) -> str:
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


#: ASCII letters of a case-insensitive prefix spelled out as index ranges (2**4 ranges at most).
#: Four, not three: "^Hero 0999" on 1,000,000 heroes all named "Hero …" read every row through
#: three letters' ranges ('Her'..'Hes', 220 ms); with four the ranges hold only its 1,000 (2 ms).
RANGE_LETTERS = 4


def _next_string(prefix: str) -> str | None:
    """The smallest string after every string that starts with `prefix` (in code point order),
    or None when nothing sorts after its last character."""
    last = ord(prefix[-1])
    if last == 0x10FFFF:
        return None
    after = 0xE000 if 0xD800 <= last + 1 <= 0xDFFF else last + 1  # surrogates cannot be encoded
    return prefix[:-1] + chr(after)


class AsStored(TypeEngine[Any]):
    """The type of a value bound as the driver returned it: no bind processing. Not NullType,
    which SQLAlchemy replaces by the compared column's type (whose processor would then turn the
    stored text '2021-02-01 00:00:00' into something else, or refuse it)."""

    cache_ok = True

    def literal_processor(self, dialect: Dialect) -> Any:
        """Rendered as a literal of its Python type (for logs and `literal_binds` compiles)."""

        def render(value: Any) -> str:
            return str(sa.literal(value).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

        return render


def shortest_float4(value: Any) -> Any:
    """The shortest decimal that reads back as the same 4-byte float as `value`."""
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(6, 10):
        shortest = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shortest))[0] == single:
            return shortest
    return single


def _unpadded(value: Any) -> Any:
    """A Decimal without the trailing zeros of its fraction (12.5000000000 → 12.5, 100 stays 100)."""
    if not isinstance(value, decimal.Decimal) or not value.is_finite():
        return value
    normal = value.normalize()
    return normal.quantize(decimal.Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


def _has_non_finite(value: Any, depth: int = 0) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if depth > 100:  # deeper documents are refused by the schema (RecursionError)
        return False
    if isinstance(value, dict):
        return any(_has_non_finite(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_non_finite(v, depth + 1) for v in value)
    return False


def raw_param(value: Any) -> sa.BindParameter[Any]:
    """A bound value that SQLAlchemy passes to the driver untouched (no type processing)."""
    return sa.bindparam(None, value, type_=AsStored())


class Backend:
    """The rules of a backend not listed below (they are those of the SQL standard)."""

    name = "default"
    #: Names people write for this dialect that SQLAlchemy does not know (a "did you mean").
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Driver module → the package extra that installs it.
    driver_extras: ClassVar[dict[str, str]] = {}
    #: Drivers no extra installs (such as SQLAlchemy's default for `mysql://`) → (the package that
    #: does install it, a driver of the same dialect that an extra installs, that extra).
    drivers_instead: ClassVar[dict[str, tuple[str, str, str]]] = {}
    #: NULLs come after every value in ascending order (PostgreSQL, Oracle); first elsewhere.
    nulls_largest = False
    #: The LIKE of this backend ignores case (SQLite for ASCII, MySQL's _ci collations).
    like_ignores_case = False
    #: Its case-insensitive LIKE (or ILIKE) folds letters beyond ASCII (PostgreSQL): see `case_heads`.
    folds_beyond_ascii = False
    #: A LIKE with a constant start is read from the column's index by the database itself
    #: (MySQL/MariaDB: the _ci collation orders as it compares).
    like_prefix_uses_index = False
    #: A lock wait is cut into short slices that the Runner repeats (SQLite: its busy handler
    #: cannot be interrupted), rather than bounded by the database itself.
    waits_in_slices = False
    #: Constraint errors, as this backend's driver words them (see `refusals.explain`).
    error_patterns: ClassVar[list[ErrorPattern]] = []

    # -- connecting ------------------------------------------------------------------------

    def connect_args(self, url: URL, *, read_only: bool, lock_timeout: float) -> dict[str, Any]:
        """Arguments for the driver's connect (settings given there no transaction can undo)."""
        return {}

    def prepare(self, engine: sa.Engine, url: URL, *, read_only: bool, lock_timeout: float) -> None:
        """Hooks on a new engine, before its first connection (how the database is opened)."""

    def configure(self, dbapi_connection: Any, *, read_only: bool, lock_timeout: float) -> None:
        """Set up every new connection: read-only, the lock timeout, strict values."""

    def learn(self, dbapi_connection: Any, _record: Any = None) -> None:
        """Read, on the first connection, what the rules depend on in this database."""

    # -- running ---------------------------------------------------------------------------

    def lock_holder(self, table: str | None) -> str:
        """What another transaction holds a lock on, as a lock timeout's message names it."""
        return table or "what it needs"

    def is_lock_timeout(self, orig: BaseException) -> bool:
        """The driver's error says a statement gave up waiting for another transaction's lock."""
        return False

    def error_text(self, orig: BaseException) -> str:
        """The driver's message, with all the lines that name what it refused."""
        return str(orig)

    async def interrupt(self, dbapi_connection: Any, engine: Any) -> bool:
        """Stop the statement that `dbapi_connection` (of `engine`, sync or async) is running.
        True if the driver was told; False leaves it to the cancellation of the task."""
        return False

    def row_estimate(self, table: sa.Table) -> sa.TextClause | None:
        """A statement reading the planner's figure for the rows of `table`, instantly however
        large it is (None: this backend has none)."""
        return None

    def explain(self, connection: sa.Connection, sql: str, parameters: Any) -> list[PlanLine]:
        """The plan of `sql` (a statement as the driver was sent it, with its `parameters`), one
        line per step, full scans marked. Plain EXPLAIN: the statement itself is never run."""
        rows = connection.exec_driver_sql(f"EXPLAIN {sql}", parameters).all()
        return [PlanLine(" ".join(str(v) for v in row)) for row in rows]

    def create_database(self, url: URL) -> str | None:
        """Create the empty database the URL names, where that is a file of ours to create (what
        `sqladmin-tui init` does first); return what it created. A server's databases are the
        server administrator's: nothing."""
        return None

    def restart_serial(self, connection: sa.Connection, table: sa.Table, column: str) -> None:
        """After rows were inserted with explicit ids, make the next generated id follow them
        (SQLite and MySQL/MariaDB move their counters past an explicit key themselves)."""

    # -- reflecting ------------------------------------------------------------------------

    def user_schemas(self, connection: sa.Connection, inspector: sa.Inspector) -> list[str]:
        """The schemas shown when none is named: the URL's database."""
        default = inspector.default_schema_name
        return [default] if default else inspector.get_schema_names()[:1]

    def may_show(self, schema: str, existing: set[str], available: list[str]) -> bool:
        """Whether a schema the user named can be shown (`available`: the user's schemas)."""
        return schema in existing

    def reflection_setup(self, connection: sa.Connection, default: str | None) -> tuple[
        list[str], set[tuple[str, str]]
    ]:
        """Before reflecting: the search path (for the names), and the (schema, table) pairs to
        leave out."""
        return ([default] if default else []), set()

    def attempt(self, connection: sa.Connection) -> contextlib.AbstractContextManager[Any]:
        """Around one reflection that may fail, so that the transaction stays usable."""
        return contextlib.nullcontext()

    def view_names(self, inspector: sa.Inspector, schema: str | None) -> set[str]:
        return set(inspector.get_view_names(schema))

    def exact_forms(self, column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
        """Sort keys under which two values are tied only if they are the same value."""
        return [column]

    def text_ties_apart(self, column: sa.Column[Any]) -> bool:
        """Whether equal values of a text column may still differ (under a declared collation)."""
        return bool(getattr(column.type, "collation", None))

    def rowid(self, table: sa.Table) -> str | None:
        """The name by which a table's built-in row key can be read (None: it has none)."""
        return None

    # -- values ----------------------------------------------------------------------------

    def reading(self, col: ColumnInfo) -> Callable[[Any], Any] | None:
        """What turns the Python value SQLAlchemy gives for `col` into the value shown and
        compared, where the driver's own form misleads (None: the value as it is)."""
        return None

    def refusal(self, col: ColumnInfo, value: Any) -> str | None:
        """Why `value` cannot be written to `col` as it is (the database would store another
        value, or refuse it obscurely), or None."""
        if col.kind is Kind.JSON and _has_non_finite(value):
            return "JSON has no NaN or Infinity"
        return None

    def cursor_value(self, col: ColumnInfo, value: Any) -> sa.ColumnElement[Any]:
        """`value`, as the database returned it for `col`, bound for comparing with the column."""
        if col.kind is Kind.OTHER or col.column.type._isnull:
            return raw_param(value)  # a type SQLAlchemy cannot name: the driver's own value
        if isinstance(col.column.type, AsText):
            # Read as text: cast the text (as text, which asyncpg binds from a str) back.
            return sa.cast(sa.cast(raw_param(value), sa.Text), stored_type(col.column.type))
        return sa.cast(raw_param(value), col.column.type)

    def equals(self, col: ColumnInfo, value: Any) -> sa.ColumnElement[bool]:
        if value is None:
            return col.column.is_(None)
        return col.column == self.cursor_value(col, value)

    def compared(self, col: ColumnInfo) -> tuple[sa.ColumnElement[Any], Callable[[Any], Any]]:
        """The column as a typed filter compares it (`=`, `in`, ranges), and how a Python value is
        bound against it: the column itself and the value, so an index serves the filter."""
        return col.column, lambda value: value

    def unindexed(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """The column, in a form no index serves: for a range filter on a column the list is not
        ordered by, where walking the order's index and filtering finds a page sooner than
        reading the whole range and sorting it. Cost-based planners choose that themselves."""
        return column

    def contains(self, column: sa.ColumnElement[Any], pattern: str) -> sa.ColumnElement[bool]:
        """Case-insensitive LIKE."""
        if self.like_ignores_case:
            return column.like(pattern, escape=LIKE_ESCAPE)
        return column.ilike(pattern, escape=LIKE_ESCAPE)

    def begin_guarded(self, session: Session) -> None:
        """Start a transaction whose reads (see `lock`) cannot change before it writes; called
        before its first statement."""

    def lock(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        """`stmt`, made to lock the rows it reads until the transaction ends."""
        return stmt.with_for_update()

    def orders_by_code_point(self, col: ColumnInfo) -> bool:
        """The column's collation orders strings by code point, so a prefix is an index range."""
        return False

    def prefix(self, col: ColumnInfo, prefix: str) -> sa.ColumnElement[bool]:
        """Values that start with `prefix`, ignoring case like every search form: an index range
        where one serves it (see `prefix_uses_index`), with the LIKE kept as the exact filter."""
        return self._ranged(col, prefix, self.contains(col.column, escape_like(prefix) + "%"))

    def equals_ignoring_case(self, col: ColumnInfo, value: str) -> sa.ColumnElement[bool]:
        """Values equal to `value` but for case (the `=text` search): read as the prefix is."""
        return self._ranged(col, value, self.contains(self.search_text(col), escape_like(value)))

    def prefix_uses_index(self, col: ColumnInfo, prefix: str) -> bool:
        """Whether an index range serves a case-insensitive search starting with `prefix`: the
        column is indexed, and its LIKE reads a prefix from the index (MySQL), or its index is
        in code point order and the start of `prefix` can be spelled out in every case."""
        if not col.indexed or not prefix:
            return False
        return self.like_prefix_uses_index or (
            self.orders_by_code_point(col) and self.search_text(col) is col.column and bool(self.case_heads(prefix)))

    def case_heads(self, prefix: str) -> list[str]:
        """Every spelling in case of the start of `prefix`, for index ranges that together hold
        every value the case-insensitive LIKE matches ([] when no start can be spelled out).

        Only ASCII letters are spelled both ways, at most `RANGE_LETTERS` of them:
        SQLite's LIKE folds only those, and the rest of `prefix` is checked by the LIKE. Where
        the LIKE folds beyond ASCII (PostgreSQL's ILIKE), the start stops before a letter that
        another character folds to (K: the Kelvin sign; i: İ) or a cased non-ASCII character."""
        heads = [""]
        letters = 0
        for ch in prefix:
            cased = ch.lower() != ch or ch.upper() != ch
            if ch.isascii() and cased:
                if letters == RANGE_LETTERS or (self.folds_beyond_ascii and ch in "kKiI"):
                    break
                letters += 1
                heads = [h + v for h in heads for v in (ch.upper(), ch.lower())]
            elif cased and self.folds_beyond_ascii:
                break
            else:
                heads = [h + ch for h in heads]
        return heads if heads[0] else []

    def _ranged(self, col: ColumnInfo, text: str, like: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
        """`like`, preceded by the index ranges of `text`'s start where they serve it (a
        code-point index: MySQL reads the LIKE from its index by itself)."""
        if not (col.indexed and self.orders_by_code_point(col) and self.search_text(col) is col.column):
            return like
        column = col.column
        ranges = []
        for head in self.case_heads(text):
            # BETWEEN holds the next string itself too: a range only has to hold every match (the
            # LIKE is the exact filter), and it builds in half the time of `>= AND <` (16 ranges:
            # 0.8 → 0.4 ms of every prefix search's page).
            after = _next_string(head)
            ranges.append(column >= head if after is None else column.between(head, after))
        return sa.and_(self.selective(sa.or_(*ranges)), like) if ranges else like

    def selective(self, condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
        """`condition`, marked for the planner as true of few rows (where it takes such hints)."""
        return condition

    def search_text(self, col: ColumnInfo) -> sa.ColumnElement[Any]:
        """The column as the text a search compares."""
        return col.column

    def nul_search(self, columns: list[sa.ColumnElement[Any]], mode: str, value: str) -> sa.ColumnElement[bool]:
        """Search text holding a NUL byte (mode "", "=" or "^")."""
        pattern = escape_like(value) if mode == "=" else escape_like(value) + "%" if mode == "^" else (
            "%" + escape_like(value) + "%")
        return sa.or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns))


#: SQLite's SQLITE_BUSY and SQLITE_LOCKED (primary result codes).
_SQLITE_LOCK_CODES = {5, 6}


class SQLite(Backend):
    name = "sqlite"
    aliases = ("sqlite3",)
    driver_extras = {"aiosqlite": "async"}
    like_ignores_case = True
    waits_in_slices = True
    error_patterns = [
        ("unique", re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)"), UNIQUE),
        ("not_null", re.compile(r"NOT NULL constraint failed: ([\w.]+)"), REQUIRED),
        ("check", re.compile(r"CHECK constraint failed: (\w+)"), CHECK),
        ("foreign_key", re.compile(r"FOREIGN KEY constraint failed()"), MISSING_TARGET),
    ]

    #: A SQLite date or datetime is text in whatever form its writer chose ('2021-02-01 00:00:00',
    #: '2021-02-01T00:00:00.000000', '2016-07-04'): compared as text, a bound value in SQLAlchemy's
    #: form misses rows written in another. Both sides are put in one form first (milliseconds,
    #: the finest strftime gives), at the cost of the index.
    _NORMAL = {Kind.DATETIME: "%Y-%m-%d %H:%M:%f", Kind.DATE: "%Y-%m-%d"}

    def unindexed(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        # SQLite's planner takes any index range over the order's index, then sorts the whole
        # range: 88 ms for a page of heroes aged 30-40 of 1,000,000 (bench/filters.py), where
        # walking the key in order and filtering takes under 1 ms. likely(x) is x, unindexed.
        return sa.func.likely(column)

    def compared(self, col: ColumnInfo) -> tuple[sa.ColumnElement[Any], Callable[[Any], Any]]:
        form = self._NORMAL.get(col.kind)
        if form is None:
            return super().compared(col)

        def bind(value: Any) -> Any:
            text = value.isoformat(sep=" ") if col.kind is Kind.DATETIME else value.isoformat()
            return sa.func.strftime(form, sa.literal(text, sa.Text))

        return sa.func.strftime(form, col.column), bind

    def create_database(self, url: URL) -> str | None:
        from tui_admin.core.sqlite_files import create_file

        return create_file(url)

    def prepare(self, engine: sa.Engine, url: URL, *, read_only: bool, lock_timeout: float) -> None:
        # The file is found once and opened by one absolute path, never created (see sqlite_files).
        cargs, cparams = engine.dialect.create_connect_args(url)
        target = sqlite_files.sqlite_target(cargs[0], bool(cparams.get("uri")))
        sa.event.listen(engine, "do_connect", sqlite_files.opener(target, read_only, lock_timeout))

    def configure(self, dbapi_connection: Any, *, read_only: bool, lock_timeout: float) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # enforced only when asked, per connection
        if read_only:  # also where no file is opened read-only: an in-memory database
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    def explain(self, connection: sa.Connection, sql: str, parameters: Any) -> list[PlanLine]:
        """`EXPLAIN QUERY PLAN`: rows of (id, parent, -, detail), a tree by parent. A full scan is
        `SCAN t` on a table without `USING … INDEX` (`SCAN t USING COVERING INDEX i` reads an
        index; a scan of a subquery or a CTE, named by an earlier CO-ROUTINE or MATERIALIZE
        step, reads rows already computed)."""
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
        depth: dict[int, int] = {0: -1}
        computed: set[str] = set()
        lines: list[PlanLine] = []
        for step, parent, _unused, detail in rows:
            depth[step] = depth.get(parent, -1) + 1
            made = re.match(r"(?:CO-ROUTINE|MATERIALIZE) (\S+)", detail)
            if made:
                computed.add(made.group(1))
            scan = re.match(r"SCAN (\S+)(.*)", detail)
            full = bool(scan) and "INDEX" not in scan.group(2) and scan.group(1) not in computed and not (
                scan.group(1).startswith("(") or detail.startswith("SCAN CONSTANT ROW"))
            lines.append(PlanLine(detail, full, depth[step]))
        return lines

    def lock_holder(self, table: str | None) -> str:
        return "the database"  # SQLite locks the whole database, not a table

    def is_lock_timeout(self, orig: BaseException) -> bool:
        code = getattr(orig, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF in _SQLITE_LOCK_CODES
        # aiosqlite's adapter raises a fresh sqlite3 error without the code
        return bool(re.match(r"database (table )?is locked", str(orig)))

    async def interrupt(self, dbapi_connection: Any, engine: Any) -> bool:
        # sqlite3's interrupt() may be called from any thread. Under aiosqlite it is reached
        # through the adapter: aiosqlite's own interrupt() would queue behind the query.
        raw = getattr(dbapi_connection, "_connection", dbapi_connection)
        getattr(raw, "_conn", raw).interrupt()
        return True

    def exact_forms(self, column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
        return [sa.func.typeof(column), sa.cast(column, sa.LargeBinary)]  # 1 and 1.0 are tied

    def rowid(self, table: sa.Table) -> str | None:
        names = {c.name.lower() for c in table.columns}  # unless columns shadow all three
        return next((alias for alias in ("rowid", "_rowid_", "oid") if alias not in names), None)

    def reading(self, col: ColumnInfo) -> Callable[[Any], Any] | None:
        if col.kind is Kind.DECIMAL and getattr(col.column.type, "scale", None) is None:
            # SQLAlchemy pads a NUMERIC without scale to ten decimals (12.5 as 12.5000000000).
            return _unpadded
        return None

    def refusal(self, col: ColumnInfo, value: Any) -> str | None:
        if isinstance(value, float | decimal.Decimal) and not isinstance(value, bool) and value != value:
            return "SQLite stores NaN as NULL: enter a number"
        return super().refusal(col, value)

    def cursor_value(self, col: ColumnInfo, value: Any) -> sa.ColumnElement[Any]:
        # SQLite compares the stored value with itself: no cast, which would apply an affinity.
        return raw_param(value)

    def begin_guarded(self, session: Session) -> None:
        # SQLite has no row locks: take the database's write lock before reading (the driver
        # would begin the transaction only at the first write, after the guard's read).
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")

    def lock(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        return stmt

    def orders_by_code_point(self, col: ColumnInfo) -> bool:
        return (getattr(col.column.type, "collation", None) or "BINARY").upper() == "BINARY"

    def selective(self, condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
        # Without the hint, SQLite planned the OR of a prefix's case ranges (bound parameters)
        # as a scan of the demo's hero table; with it, one index search per range.
        return sa.func.likelihood(condition, sa.literal_column("0.001"))  # untyped: no "= 1" after it

    def nul_search(self, columns: list[sa.ColumnElement[Any]], mode: str, value: str) -> sa.ColumnElement[bool]:
        # SQLite's LIKE stops reading its pattern at a NUL; instr/substr see every character.
        if mode == "=":
            return sa.or_(*(c == value for c in columns))
        if mode == "^":
            return sa.or_(*(sa.func.substr(c, 1, len(value)) == value for c in columns))
        return sa.or_(*(sa.func.instr(c, value) > 0 for c in columns))


#: PostgreSQL's lock_not_available (lock_timeout, NOWAIT).
_POSTGRESQL_LOCK_STATE = "55P03"
#: PostgreSQL's own schemas besides those starting with `pg_` (`pg_catalog`, `pg_toast`, …).
_SYSTEM_SCHEMAS = ("information_schema",)


class PostgreSQL(Backend):
    name = "postgresql"
    aliases = ("postgres", "pgsql", "psql")
    driver_extras = {"psycopg": "postgres", "asyncpg": "postgres"}
    drivers_instead = {"psycopg2": ("psycopg2-binary", "psycopg", "postgres")}
    nulls_largest = True
    folds_beyond_ascii = True  # ILIKE lowers both sides with the database's Unicode rules
    # asyncpg's DETAIL line is added by `error_text`
    error_patterns = [
        ("unique", re.compile(r"duplicate key value violates unique constraint.*?Key \(([^)]+)\)", re.S), UNIQUE),
        ("not_null", re.compile(r'null value in column "(\w+)"'), REQUIRED),
        ("foreign_key", re.compile(r"violates foreign key constraint.*?Key \(([^)]+)\)", re.S), MISSING_TARGET),
        ("check", re.compile(r'violates check constraint "(\w+)"'), CHECK),
        ("too_long", re.compile(r"value too long for type character varying\((\d+)\)"), TOO_LONG),
    ]
    #: Collations that order by code point (a libc "C.UTF-8" compares UTF-8 bytes).
    CODE_POINT = frozenset({"c", "posix", "ucs_basic", "c.utf8", "c.utf-8"})

    def __init__(self) -> None:
        #: The database's default collation when it is a libc one (an ICU locale never orders by
        #: code point), read on the first connection; None: unknown, or ICU.
        self.default_collation: str | None = None

    def learn(self, dbapi_connection: Any, _record: Any = None) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # to_jsonb: `datlocprovider` exists from PostgreSQL 15 on ('c' libc, 'i' ICU).
            cursor.execute("SELECT datcollate, to_jsonb(d) ->> 'datlocprovider' FROM pg_database d "
                           "WHERE datname = current_database()")
            collate, provider = cursor.fetchone()
            self.default_collation = collate if provider in (None, "c") else None
        except Exception:  # no rights on the catalog: assume nothing, the prefix search stays exact
            self.default_collation = None
        finally:
            cursor.close()
            dbapi_connection.rollback()  # the driver began a transaction for the read: end it

    def connect_args(self, url: URL, *, read_only: bool, lock_timeout: float) -> dict[str, Any]:
        # Session settings given at connect time, so that no transaction can roll them back.
        settings = {"lock_timeout": str(max(1, round(lock_timeout * 1000)))}  # milliseconds
        if read_only:
            settings["default_transaction_read_only"] = "on"
        if url.get_driver_name() == "asyncpg":
            return {"server_settings": settings}
        options = " ".join(f"-c {name}={value}" for name, value in settings.items())
        given = url.query.get("options")
        return {"options": f"{given} {options}" if isinstance(given, str) else options}

    def is_lock_timeout(self, orig: BaseException) -> bool:
        return getattr(orig, "sqlstate", None) == _POSTGRESQL_LOCK_STATE

    def error_text(self, orig: BaseException) -> str:
        # asyncpg keeps PostgreSQL's DETAIL line ("Key (team_id)=(999) is not present …"), the one
        # that names the column, out of str(); psycopg includes it. Add it so both read the same.
        text = str(orig)
        detail = getattr(orig, "detail", None)
        if isinstance(detail, str) and detail and detail not in text:
            text = f"{text}\nDETAIL:  {detail}"
        return text

    async def interrupt(self, dbapi_connection: Any, engine: Any) -> bool:
        if isinstance(engine, sa.Engine):  # psycopg; asyncpg cancels its query with its task
            dbapi_connection.cancel()
            return True
        return False

    def row_estimate(self, table: sa.Table) -> sa.TextClause | None:
        # `pg_class.reltuples`, by name and schema, not `to_regclass(text)`: that would parse the
        # name as SQL, folding `Mixed` to `mixed` (another table's figure) and refusing a name
        # with a space. -1 (or NULL): never analysed.
        return sa.text(
            "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = :name AND n.nspname = coalesce(:schema, current_schema()) "
            "AND c.relkind IN ('r', 'p', 'm')"
        ).bindparams(name=table.name, schema=table.schema)

    def explain(self, connection: sa.Connection, sql: str, parameters: Any) -> list[PlanLine]:
        """`EXPLAIN`: one text line per step or detail, nested by PostgreSQL's own indentation
        (kept as it is); `Seq Scan on t` (parallel or not) reads the whole table."""
        rows = connection.exec_driver_sql(f"EXPLAIN {sql}", parameters).all()
        return [PlanLine(text.rstrip(), "Seq Scan on " in text) for (text,) in rows]

    def restart_serial(self, connection: sa.Connection, table: sa.Table, column: str) -> None:
        # A sequence (serial or identity) stays where it was: set it to the largest key. A column
        # without one has no sequence, and an empty table no largest key: nothing to do.
        preparer = connection.dialect.identifier_preparer
        quoted = preparer.format_table(table)
        sequence = connection.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": quoted, "column": column}
        ).scalar()
        if sequence is not None:
            largest = f"(SELECT max({preparer.quote(column)}) FROM {quoted})"
            connection.execute(sa.text(f"SELECT setval(:sequence, {largest})"), {"sequence": sequence})

    def user_schemas(self, connection: sa.Connection, inspector: sa.Inspector) -> list[str]:
        # The schemas that are not PostgreSQL's own and that the user may use (the tables of the
        # others could be listed but not read).
        names = connection.scalars(sa.text(
            "SELECT nspname FROM pg_namespace WHERE has_schema_privilege(oid, 'USAGE') ORDER BY nspname"
        ))
        return [n for n in names if not n.startswith("pg_") and n not in _SYSTEM_SCHEMAS]

    def may_show(self, schema: str, existing: set[str], available: list[str]) -> bool:
        return schema in existing and schema in available

    def reflection_setup(self, connection: sa.Connection, default: str | None) -> tuple[
        list[str], set[tuple[str, str]]
    ]:
        """The search path, and the partitions (the parent stands for them). For this transaction
        the search path is the default schema alone: PostgreSQL then writes every foreign key to
        another schema with its schema, so each table is reflected once, under one key."""
        path = list(connection.scalar(sa.text("SELECT current_schemas(false)")) or [])
        if default:
            quoted = connection.dialect.identifier_preparer.quote_identifier(default)
            connection.execute(sa.text("SELECT set_config('search_path', :path, true)"), {"path": quoted})
        partitions = connection.execute(sa.text(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relispartition"
        ))
        return path, {(schema, name) for schema, name in partitions}

    def attempt(self, connection: sa.Connection) -> contextlib.AbstractContextManager[Any]:
        # A failed statement spoils the whole transaction: a savepoint keeps it usable.
        return connection.begin_nested()

    def view_names(self, inspector: sa.Inspector, schema: str | None) -> set[str]:
        return {*inspector.get_view_names(schema), *inspector.get_materialized_view_names(schema)}

    def exact_forms(self, column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
        return [sa.cast(column, sa.Text)]  # numeric 1.0 and 1.00 are tied, and json has no order

    def orders_by_code_point(self, col: ColumnInfo) -> bool:
        collation = getattr(col.column.type, "collation", None) or self.default_collation
        return collation is not None and collation.lower() in self.CODE_POINT

    def reading(self, col: ColumnInfo) -> Callable[[Any], Any] | None:
        column_type = col.column.type
        if isinstance(column_type, sa.CHAR) and not isinstance(column_type, sa.NCHAR | sa.VARCHAR):
            # char(n) comes back padded to n; the padding is not part of the value (PostgreSQL
            # itself ignores it in comparisons, and MySQL strips it when reading).
            return lambda value: value.rstrip(" ") if isinstance(value, str) else value
        if col.kind is Kind.FLOAT and getattr(column_type, "precision", None) is None and isinstance(
                column_type, sa.REAL):
            # asyncpg widens a real (float4) to the nearest double (3.3 comes back as
            # 3.299999952316284); the shortest decimal that is the same float4 is the value.
            return shortest_float4
        return None

    def equals(self, col: ColumnInfo, value: Any) -> sa.ColumnElement[bool]:
        if col.kind is Kind.JSON and value is not None:
            # `json` has no equality: compare as `jsonb`, whose equality ignores key order and
            # spacing. Both drivers hand a document back decoded ('"text"' as the str 'text').
            # (Imported here: the PostgreSQL dialect is loaded only where one is used.)
            from sqlalchemy.dialects.postgresql import JSONB

            return sa.cast(col.column, JSONB) == sa.cast(raw_param(json.dumps(value)), JSONB)
        return super().equals(col, value)

    def search_text(self, col: ColumnInfo) -> sa.ColumnElement[Any]:
        # A char(n) LIKE compares the padded value ('Mandarin  ' is not LIKE 'Mandarin'); as text,
        # the padding goes, as it does for `=`.
        if isinstance(col.column.type, sa.CHAR):
            return sa.cast(col.column, sa.Text)
        return col.column

    def nul_search(self, columns: list[sa.ColumnElement[Any]], mode: str, value: str) -> sa.ColumnElement[bool]:
        return sa.false()  # PostgreSQL text cannot hold a NUL: nothing matches


#: MySQL/MariaDB ER_LOCK_WAIT_TIMEOUT (innodb_lock_wait_timeout, lock_wait_timeout).
_MYSQL_LOCK_CODE = 1205


class MySQL(Backend):
    name = "mysql"
    driver_extras = {"pymysql": "mysql", "aiomysql": "mysql", "asyncmy": "mysql"}
    drivers_instead = {"MySQLdb": ("mysqlclient", "pymysql", "mysql"), "mariadb": ("mariadb", "pymysql", "mysql")}
    like_ignores_case = True
    like_prefix_uses_index = True
    error_patterns = [
        ("unique", re.compile(r"Duplicate entry .* for key '(?:\w+\.)?([\w]+)'"), UNIQUE),
        ("not_null", re.compile(r"Column '(\w+)' cannot be null"), REQUIRED),
        ("foreign_key", re.compile(r"foreign key constraint fails .*?FOREIGN KEY \(`(\w+)`\)"), MISSING_TARGET),
        ("check", re.compile(r"CONSTRAINT `(\w+)` failed"), CHECK),
        ("too_long", re.compile(r"Data too long for column '(\w+)'"), TOO_LONG),
        ("out_of_range", re.compile(r"Out of range value for column '(\w+)'"), "Out of range"),
        ("bad_value", re.compile(r"Incorrect \w+ value: .* for column `?[\w`.]*?`?(\w+)`? at row"),
         "Not a valid value"),
    ]

    def configure(self, dbapi_connection: Any, *, read_only: bool, lock_timeout: float) -> None:
        cursor = dbapi_connection.cursor()
        # Strict, whatever the server's default: otherwise a too-long value is cut to fit with
        # only a warning, and the record is stored differently than given.
        cursor.execute("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')")
        # Row locks (InnoDB) and metadata locks (a table being altered); whole seconds.
        seconds = max(1, math.ceil(lock_timeout))
        cursor.execute(f"SET SESSION innodb_lock_wait_timeout = {seconds}, lock_wait_timeout = {seconds}")
        if read_only:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.close()

    def is_lock_timeout(self, orig: BaseException) -> bool:
        args = getattr(orig, "args", ())
        return bool(args) and args[0] == _MYSQL_LOCK_CODE

    async def interrupt(self, dbapi_connection: Any, engine: Any) -> bool:
        if not isinstance(engine, sa.Engine):
            # aiomysql only stops reading: the server would go on waiting (for a lock, say).
            thread = int(dbapi_connection._connection.thread_id())
            async with engine.connect() as other:
                await other.exec_driver_sql(f"KILL QUERY {thread}")
            return True
        thread = int(dbapi_connection.thread_id())

        def kill() -> None:
            with engine.connect() as other:
                other.exec_driver_sql(f"KILL QUERY {thread}")

        await asyncio.to_thread(kill)
        return True

    def explain(self, connection: sa.Connection, sql: str, parameters: Any) -> list[PlanLine]:
        """`EXPLAIN`: one row per table read; access `type=ALL` reads the whole table, and so does
        `type=index` on `PRIMARY` (InnoDB's rows are its primary key's index: a list in key order
        that a LIMIT does not stop early, when a WHERE filters it, reads them all)."""
        rows = connection.exec_driver_sql(f"EXPLAIN {sql}", parameters).mappings().all()
        lines: list[PlanLine] = []
        for row in rows:
            info = {str(k).lower(): v for k, v in row.items()}
            extra = f" · {info['extra']}" if info.get("extra") else ""
            text = (f"{info.get('select_type') or ''} {info.get('table') or '-'}: type={info.get('type') or '-'} "
                    f"key={info.get('key') or '-'} rows={info.get('rows') or '-'}{extra}").strip()
            access = str(info.get("type") or "").upper()
            lines.append(PlanLine(text, access == "ALL" or (access == "INDEX" and info.get("key") == "PRIMARY")))
        return lines

    def exact_forms(self, column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
        return [sa.cast(column, sa.LargeBinary)]  # the collations tie 'a' and 'A'

    def text_ties_apart(self, column: sa.Column[Any]) -> bool:
        return True  # the usual collations ignore case, accents and trailing spaces

    def cursor_value(self, col: ColumnInfo, value: Any) -> sa.ColumnElement[Any]:
        column_type = col.column.type
        if col.kind is Kind.ENUM:
            # MySQL sorts an ENUM by its index but compares it with text as text: compare the index.
            members = [getattr(m, "name", m) for m in getattr(column_type, "enums", ())]
            return raw_param(members.index(value) + 1 if value in members else 0)
        if col.kind is Kind.FLOAT and not isinstance(column_type, sa.Double):
            # A 4-byte FLOAT is returned as its shortest decimal text: compared as a double, 1.1
            # would not equal the stored float nearest to 1.1.
            return sa.cast(raw_param(value), sa.Float)
        return raw_param(value)


_BACKENDS: dict[str, type[Backend]] = {}


def register(name: str, rules: type[Backend]) -> type[Backend] | None:
    """Make `rules` the backend of the SQLAlchemy dialect called `name` (a PostgreSQL-compatible
    engine: a subclass of `PostgreSQL`, under its dialect's name). Returns the class it replaced,
    so that it can be put back."""
    previous = _BACKENDS.get(name)
    _BACKENDS[name] = rules
    return previous


for _rules in (SQLite, PostgreSQL, MySQL):
    register(_rules.name, _rules)
register("mariadb", MySQL)


def backend_for(dialect: Dialect | Backend | str | None) -> Backend:
    """The rules for a SQLAlchemy dialect (or a dialect's name), as registered. A `Store` keeps one
    for its database (it learns, say, PostgreSQL's default collation once connected); given a bare
    dialect, the rules assume nothing they have not been told. None, or a dialect nobody
    registered: the rules of the SQL standard."""
    if isinstance(dialect, Backend):
        return dialect
    if dialect is None:
        return Backend()
    name = dialect if isinstance(dialect, str) else dialect.name
    return _BACKENDS.get(name, Backend)()


def dialect_meant_by(alias: str) -> str | None:
    """The dialect that people mean by a name SQLAlchemy does not know (`postgres`), if any."""
    alias = alias.lower()
    return next((name for name, rules in _BACKENDS.items() if alias in rules.aliases), None)
