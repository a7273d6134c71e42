"""The errors the admin raises on purpose, all under one base (`AdminError`), and the one line of
a driver's error that is shown for it.

A script catches `AdminError` for anything the admin tells the user (a bad URL, an option that
names a missing column, a write the database refused); anything else is a bug. Which driver
errors become which of these, per database, is in `dialects` and `refusals`.
"""

from __future__ import annotations

from typing import Any


class AdminError(Exception):
    """A failure the user should read: the message says what went wrong, in one line."""


class ConfigError(AdminError):
    """The registered models or their `ModelAdmin` options cannot be used as given. `problems`:
    every problem the startup checks found (`checks.Problem`), one per line of the message."""

    def __init__(self, message: str, *, problems: list[Any] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class EngineError(AdminError):
    """The URL cannot be used: unknown dialect, missing driver, malformed."""


class StoreError(AdminError):
    """A failure the user should read: the operation did nothing."""


class ReadOnlyError(StoreError):
    pass


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """The record changed since the form was opened: `changes` maps each guarded field that moved
    (the ones the save would have overwritten, or the version) → (when opened, now); `others` the
    other columns that moved meanwhile, so that the message can name every change, not only the
    conflicting ones."""

    def __init__(
        self, message: str, changes: dict[str, tuple[Any, Any]], others: dict[str, tuple[Any, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.changes = changes
        self.others = others or {}

    @property
    def every_change(self) -> dict[str, tuple[Any, Any]]:
        """Every column that moved since the form was opened: the guarded ones first."""
        return {**self.changes, **self.others}


class WriteError(StoreError):
    """A write refused by the database, with the fields it concerns when they are known."""

    def __init__(self, message: str, field_errors: dict[str, str]) -> None:
        super().__init__(message)
        self.field_errors = field_errors


class UserCodeError(WriteError):
    """A hook or an action (the user's code, see `usercode`) raised: the write is rolled back and
    the message shown. A `ValueError` raised as `ValueError({"field": "message"})` becomes that
    field's error."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message, field_errors or {})


class LockTimeoutError(WriteError):
    """Another transaction held a lock for longer than the lock timeout: the statement gave up,
    its transaction was rolled back, and nothing was written. `table` is the table the statement
    wanted, when it is known."""

    def __init__(self, message: str, table: str | None = None) -> None:
        super().__init__(message, {})
        self.table = table


class NoPlanError(StoreError):
    """A statement of the query log has no plan to show (`Store.explain`): it is not a query nor
    a change of rows (BEGIN, SET, PRAGMA, …)."""


class BadValueError(StoreError):
    """A value the database or its driver cannot take (an integer beyond 64 bits, a lone
    surrogate, JSON nested too deep, a number out of the column's range): nothing was read or
    written."""


class ExportError(StoreError):
    """A part of an export in parts failed (its reason, on one line): the file was not written."""


def first_line(error: BaseException | str) -> str:
    """The first line of a driver's message (of the driver error SQLAlchemy wraps, when it wraps
    one): the line that says what went wrong, where the rest is the SQL, its parameters and a link
    to SQLAlchemy's documentation. An error with no message is named by its type; empty text
    gives ""."""
    if isinstance(error, str):
        text = error.strip()
        return text.splitlines()[0] if text else ""
    orig = getattr(error, "orig", None)
    source = orig if isinstance(orig, BaseException) else error
    text = str(source).strip()
    return text.splitlines()[0] if text else type(source).__name__
