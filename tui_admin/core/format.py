"""Stored values as text, the same in lists, details and pickers."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from tui_admin.core.introspect import ColumnInfo, Kind
from tui_admin.core.reading import Unreadable

#: The mark of a cell whose stored value its column's type cannot read: shown with the stored text.
UNREADABLE = "⚠"


def as_stored(col: ColumnInfo, value: Any) -> Any:
    """A time-zone column's value with its zone: SQLite and MySQL hand back the naive UTC time
    the Store wrote (schemas convert every aware input to UTC), so UTC is attached back."""
    if col.timezone and isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def interval_text(value: dt.timedelta) -> str:
    """A duration as `[-]D day[s], H:MM:SS[.ffffff]` with the sign in front of it all, as
    pydantic reads it back (str() writes -1 hour as '-1 day, 23:00:00', which reads as -47 hours)."""
    return f"-{abs(value)}" if value < dt.timedelta(0) else str(value)


def display(col: ColumnInfo, value: Any, labels: dict[Any, str] | None = None) -> str | None:
    """The value as one line of text; None for NULL (the UI decides how NULL looks). A foreign
    key shows the label of the record it names."""
    if value is None:
        return None
    if isinstance(value, Unreadable):
        return f"{UNREADABLE} {value.raw}"
    if col.foreign_key is not None and labels is not None and value in labels:
        return labels[value]
    if isinstance(value, enum.Enum):
        return str(value.value)
    if col.kind is Kind.BOOL:
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return as_stored(col, value).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if col.kind is Kind.JSON or col.kind is Kind.ARRAY:
        return json.dumps(value, ensure_ascii=False, default=str)
    if col.kind is Kind.SET and isinstance(value, set | frozenset):
        return ",".join(c for c in col.choices if c in value)  # in the order the SET declares them
    if isinstance(value, dt.timedelta):
        return interval_text(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    return str(value).replace("\r\n", "⏎").replace("\n", "⏎")

