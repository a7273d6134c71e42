"""Database errors turned into messages a person can act on.

Each driver words its constraint errors differently; the patterns of its backend (`dialects`)
pull out the column (or constraint) so that the message can be shown beside the right form field.
Anything not recognised still becomes a clear one-line message, never a traceback.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tui_admin.core.dialects import Backend
from tui_admin.core.errors import LockTimeoutError, WriteError, first_line
from tui_admin.core.introspect import ModelInfo
from tui_admin.core.schemas import GENERAL


def is_lock_timeout(exc: BaseException, rules: Backend) -> bool:
    """The driver's error says a statement gave up waiting for another transaction's lock."""
    orig = getattr(exc, "orig", None)
    if not isinstance(exc, sa.exc.DBAPIError) or not isinstance(orig, BaseException):
        return False
    return rules.is_lock_timeout(orig)


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


def explain(exc: sa.exc.DBAPIError, info: ModelInfo, rules: Backend) -> WriteError:
    """A constraint violation as field errors (or one general message); a lock wait that ran out
    as a `LockTimeoutError` on the model's table."""
    if is_lock_timeout(exc, rules):
        return LockTimeoutError(f"Another transaction holds a lock on {info.table_name}: nothing was written",
                                info.table_name)
    text = rules.error_text(exc.orig) if exc.orig is not None else str(exc)
    for kind, pattern, message in rules.error_patterns:
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
