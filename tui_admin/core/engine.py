"""Engines for any supported URL, sync or async, with the admin's connection rules applied.

The rules are each backend's own (its object in `dialects`; SQLite's files in `sqlite_files`);
this module parses the URL, reports what is wrong with it, and applies them:

- SQLite enforces foreign keys only when asked (`PRAGMA foreign_keys=ON`), per connection.
- MySQL/MariaDB sessions are strict (`STRICT_ALL_TABLES`), so a bad value is refused, not cut.
- Read-only is enforced by the database session wherever the dialect allows: SQLite opens the
  file with `mode=ro` (and `PRAGMA query_only`), PostgreSQL sets `default_transaction_read_only`,
  MySQL/MariaDB `SET SESSION TRANSACTION READ ONLY`. The Store refuses writes too; this is the
  second lock.
- A SQLite file is found once, by the rules SQLAlchemy and SQLite apply to the URL as written
  (a plain path, or a `file:` URI when `uri=true`), and always opened through a quoted `file:`
  URI of that one absolute path: read-only opens exactly the file read-write would. The admin
  never creates a database: a file that does not exist is an error naming it (`mode=rwc` too).
- Waiting on another transaction's lock is bounded by `lock_timeout` seconds on every dialect
  (PostgreSQL `lock_timeout`, MariaDB `innodb_lock_wait_timeout` and `lock_wait_timeout`, SQLite's
  busy timeout, in short slices that the Runner repeats so that a wait can be stopped).
- A URL whose driver is not installed gets a one-line error naming what to install.
- A URL is shown with its password masked; when it does not parse cleanly (several `@`, a port
  that is not a number), with no part of its credentials at all.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from tui_admin.core.dialects import Backend, backend_for, dialect_meant_by
from tui_admin.core.errors import EngineError

#: Seconds a statement waits for another transaction's lock before it gives up.
DEFAULT_LOCK_TIMEOUT = 10.0

# -- URLs as shown -------------------------------------------------------------------------------


def _credentials_hidden(raw: str) -> str:
    """A URL that did not parse cleanly, with everything up to its last `@` (where any user name
    and password are) hidden: which `@` ends the password cannot be known."""
    scheme, sep, rest = raw.partition("://")
    if not sep or not re.fullmatch(r"[\w+.-]+", scheme):
        return "<invalid database URL>"
    if "@" in rest:
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return f"{scheme}://***"


def _unclean(raw: str) -> str | None:
    """Why the URL as written cannot be read as intended, or None. SQLAlchemy ends the password
    at the first `@` and lets the host take any further `@`; a port must be a number."""
    try:
        parsed = make_url(raw)
    except ValueError:  # int() of the port
        return "its port is not a number"
    except sa.exc.ArgumentError:
        return None
    if parsed.host is not None and "@" in parsed.host:
        return "it has more than one '@' before the host"
    return None


def mask(url: str | URL) -> str:
    """The URL as it may be shown or logged: the password replaced by ***; a URL that does not
    parse cleanly shows none of its credentials."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    if _unclean(url) is not None:
        return _credentials_hidden(url)
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        return "<invalid database URL>"
    # Without a password, as the user wrote it (`file:x.db`, not SQLAlchemy's `file%3Ax.db`).
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def parse(url: str | URL) -> URL:
    if isinstance(url, URL):
        return url
    reason = _unclean(url)
    if reason is not None:
        raise EngineError(
            f"cannot read the database URL {mask(url)}: {reason}; percent-encode special characters "
            "in the user name and password (@ as %40, : as %3A, / as %2F)"
        )
    try:
        return make_url(url)
    except sa.exc.ArgumentError as exc:
        raise EngineError(f"not a database URL: {exc}") from None


def _unknown_dialect(url: URL, exc: Exception) -> EngineError:
    name = url.drivername.partition("+")[0]
    instead = dialect_meant_by(name)
    hint = ""
    if instead is not None:
        hint = f"; did you mean {url.drivername.replace(name, instead, 1)}:// ?"
    return EngineError(f"unknown database dialect in {mask(url)}: {exc}{hint}")


def is_async(url: URL) -> bool:
    try:
        return bool(url.get_dialect().is_async)
    except sa.exc.NoSuchModuleError as exc:
        raise _unknown_dialect(url, exc) from None


def _missing_driver(url: URL, exc: ImportError) -> EngineError:
    module = (exc.name or str(exc)).split(".")[0]
    rules = backend_for(url.get_backend_name())
    if module in rules.drivers_instead:
        package, driver, extra = rules.drivers_instead[module]
        prefix = f"{url.get_backend_name()}+{driver}"
        hint = f"use {prefix}:// (pip install 'sqladmin-tui[{extra}]'), or pip install {package}"
    else:
        extra = rules.driver_extras.get(module)
        hint = f"pip install 'sqladmin-tui[{extra}]'" if extra else f"pip install {module}"
    return EngineError(f"the driver for {mask(url)} is not installed ({module}): {hint}")


def check(url: str | URL) -> URL:
    """Parse the URL and load its dialect and driver, without connecting: a typo or a missing
    driver is reported before any screen is drawn."""
    parsed = parse(url)
    try:
        dialect = parsed.get_dialect()
    except sa.exc.NoSuchModuleError as exc:
        raise _unknown_dialect(parsed, exc) from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise _missing_driver(parsed, exc) from None
    return parsed


# -- the engine ---------------------------------------------------------------------------------


def make_engine(
    url: str | URL, *, read_only: bool = False, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    rules: Backend | None = None,
) -> sa.Engine | Any:
    """A sync `Engine` or an `AsyncEngine`, chosen from the URL's driver, set up by the backend's
    rules (`rules`, by default those registered for the URL's dialect): how it is opened, what each
    connection is told (read-only, lock timeout), and what the first connection learns."""
    if not lock_timeout > 0:
        raise EngineError(f"the lock timeout must be a number of seconds above 0, not {lock_timeout!r}")
    parsed = parse(url)
    rules = rules if rules is not None else backend_for(parsed.get_backend_name())
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    connect_args = rules.connect_args(parsed, read_only=read_only, lock_timeout=lock_timeout)
    if connect_args:
        kwargs["connect_args"] = connect_args
    asynchronous = is_async(parsed)
    try:
        if asynchronous:
            from sqlalchemy.ext.asyncio import create_async_engine

            engine = create_async_engine(parsed, **kwargs)
            sync_engine = engine.sync_engine
        else:
            engine = sync_engine = sa.create_engine(parsed, **kwargs)
    except ImportError as exc:
        raise _missing_driver(parsed, exc) from None
    rules.prepare(sync_engine, parsed, read_only=read_only, lock_timeout=lock_timeout)

    def configure(dbapi_connection: Any, _record: Any) -> None:
        rules.configure(dbapi_connection, read_only=read_only, lock_timeout=lock_timeout)

    sa.event.listen(sync_engine, "connect", configure)
    sa.event.listen(sync_engine, "first_connect", rules.learn)
    return engine
