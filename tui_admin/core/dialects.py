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
"""

from __future__ import annotations

import decimal
import json
import math
import struct
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from tui_admin.core.introspect import ColumnInfo, Kind
from tui_admin.core.pgtypes import AsText, stored_type

LIKE_ESCAPE = "/"

def escape_like(text: str) -> str:
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


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
    #: NULLs come after every value in ascending order (PostgreSQL, Oracle); first elsewhere.
    nulls_largest = False
    #: The LIKE of this backend ignores case (SQLite for ASCII, MySQL's _ci collations).
    like_ignores_case = False

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

    def contains(self, column: sa.ColumnElement[Any], pattern: str) -> sa.ColumnElement[bool]:
        """Case-insensitive LIKE."""
        if self.like_ignores_case:
            return column.like(pattern, escape=LIKE_ESCAPE)
        return column.ilike(pattern, escape=LIKE_ESCAPE)

    def learn(self, dbapi_connection: Any, _record: Any = None) -> None:
        """Read, on the first connection, what the rules depend on in this database."""

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
        """Values that start with `prefix` (exact in case unless the collation ignores case): an
        index range where the collation allows, with the LIKE kept as the exact filter."""
        column = col.column
        like = column.like(escape_like(prefix) + "%", escape=LIKE_ESCAPE)
        if not self.orders_by_code_point(col):
            return like
        after = _next_string(prefix)
        if after is None:
            return sa.and_(column >= prefix, like)
        return sa.and_(column >= prefix, column < after, like)

    def search_text(self, col: ColumnInfo) -> sa.ColumnElement[Any]:
        """The column as the text a search compares."""
        return col.column

    def nul_search(self, columns: list[sa.ColumnElement[Any]], mode: str, value: str) -> sa.ColumnElement[bool]:
        """Search text holding a NUL byte (mode "", "=" or "^")."""
        pattern = escape_like(value) if mode == "=" else escape_like(value) + "%" if mode == "^" else (
            "%" + escape_like(value) + "%")
        return sa.or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns))


class SQLite(Backend):
    name = "sqlite"
    like_ignores_case = True

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

    def nul_search(self, columns: list[sa.ColumnElement[Any]], mode: str, value: str) -> sa.ColumnElement[bool]:
        # SQLite's LIKE stops reading its pattern at a NUL; instr/substr see every character.
        if mode == "=":
            return sa.or_(*(c == value for c in columns))
        if mode == "^":
            return sa.or_(*(sa.func.substr(c, 1, len(value)) == value for c in columns))
        return sa.or_(*(sa.func.instr(c, value) > 0 for c in columns))


class PostgreSQL(Backend):
    name = "postgresql"
    nulls_largest = True
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


class MySQL(Backend):
    name = "mysql"
    like_ignores_case = True

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


_BACKENDS: dict[str, type[Backend]] = {"sqlite": SQLite, "postgresql": PostgreSQL, "mysql": MySQL, "mariadb": MySQL}


def backend(dialect: Dialect | Backend) -> Backend:
    """The rules for a SQLAlchemy dialect. A `Store` keeps one for its database (it learns, say,
    PostgreSQL's default collation once connected); given a bare dialect, the rules assume
    nothing they have not been told."""
    if isinstance(dialect, Backend):
        return dialect
    return _BACKENDS.get(dialect.name, Backend)()
