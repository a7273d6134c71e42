"""Stored values as text, the same in lists, details and pickers."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from tui_admin.core.introspect import ColumnInfo, Kind


def as_stored(col: ColumnInfo, value: Any) -> Any:
    """A time-zone column's value with its zone: SQLite and MySQL hand back the naive UTC time
    the Store wrote (schemas convert every aware input to UTC), so UTC is attached back."""
    if col.timezone and isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def display(col: ColumnInfo, value: Any, labels: dict[Any, str] | None = None) -> str | None:
    """The value as one line of text; None for NULL (the UI decides how NULL looks). A foreign
    key shows the label of the record it names."""
    if value is None:
        return None
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
    if col.kind is Kind.JSON:
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    return str(value).replace("\r\n", "⏎").replace("\n", "⏎")

