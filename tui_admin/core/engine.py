"""Engines for any supported URL, sync or async, with the admin's connection rules applied.

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

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from tui_admin.core.errors import EngineError

#: Seconds a statement waits for another transaction's lock before it gives up.
DEFAULT_LOCK_TIMEOUT = 10.0

#: SQLite waits for a lock in its own busy handler, which nothing can interrupt; so it waits at
#: most this long at a time, and the Runner starts the unit of work again until the lock timeout.
SQLITE_BUSY_SLICE = 0.1

#: Driver module → the package extra that installs it.
DRIVER_EXTRAS = {
    "psycopg": "postgres",
    "asyncpg": "postgres",
    "pymysql": "mysql",
    "aiomysql": "mysql",
    "asyncmy": "mysql",
    "aiosqlite": "async",
}

#: Drivers no extra installs (such as SQLAlchemy's default for `mysql://` and `mariadb://`) →
#: (the package that does install it, a driver of the same dialect that an extra installs, that extra).
DRIVER_INSTEAD = {
    "MySQLdb": ("mysqlclient", "pymysql", "mysql"),
    "mariadb": ("mariadb", "pymysql", "mysql"),
    "psycopg2": ("psycopg2-binary", "psycopg", "postgres"),
}

#: Dialect names people write that SQLAlchemy does not know → the one it does.
DIALECT_ALIASES = {"postgres": "postgresql", "pgsql": "postgresql", "psql": "postgresql", "sqlite3": "sqlite"}


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
    instead = DIALECT_ALIASES.get(name.lower())
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
    if module in DRIVER_INSTEAD:
        package, driver, extra = DRIVER_INSTEAD[module]
        prefix = f"{url.get_backend_name()}+{driver}"
        hint = f"use {prefix}:// (pip install 'sqladmin-tui[{extra}]'), or pip install {package}"
    else:
        extra = DRIVER_EXTRAS.get(module)
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


# -- SQLite files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqliteTarget:
    """The database a SQLite URL names: one absolute file (None: in memory), and the SQLite URI
    parameters given with it other than `mode` (cache, vfs, immutable, …)."""

    path: str | None
    params: dict[str, str] = field(default_factory=dict)

    def uri(self, mode: str) -> str:
        """A `file:` URI that SQLite reads back as exactly this path, whatever characters it holds."""
        assert self.path is not None
        query = {**self.params, "mode": mode}
        encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(query.items()))
        return f"file://{quote(os.fsencode(self.path), safe='/')}?{encoded}"


def _sqlite_uri_parts(uri: str) -> tuple[str, dict[str, str]]:
    """Path and parameters of a SQLite URI filename, decoded as SQLite does (`?` starts the
    parameters, `#` a fragment that is ignored, `%XX` escapes; `+` is no space)."""
    parts = urlsplit(uri)
    if parts.netloc not in ("", "localhost"):
        raise EngineError(f"a SQLite file: URI names no host (not {parts.netloc!r})")
    params: dict[str, str] = {}
    for pair in filter(None, parts.query.split("&")):
        key, _, value = pair.partition("=")
        params[unquote(key)] = unquote(value)
    return unquote(parts.path), params


def sqlite_target(filename: str, uri: bool) -> SqliteTarget:
    """What the SQLite driver opens for the filename SQLAlchemy gives it (its `uri` flag says
    whether SQLite reads it as a URI): resolved once, against the current directory."""
    if filename in ("", ":memory:"):
        return SqliteTarget(None)
    if not (uri and filename.startswith("file:")):
        return SqliteTarget(os.path.abspath(filename))
    path, params = _sqlite_uri_parts(filename)
    mode = params.pop("mode", None)
    if mode == "memory" or path in ("", ":memory:"):
        return SqliteTarget(None, params)
    return SqliteTarget(os.path.abspath(path), params)


def _sqlite_connect(target: SqliteTarget, read_only: bool, lock_timeout: float):  # type: ignore[no-untyped-def]
    """A `do_connect` hook: open the resolved file (`mode=ro` or `rw`, never creating it), with a
    busy timeout of one slice."""

    def connect(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        cparams["timeout"] = min(lock_timeout, SQLITE_BUSY_SLICE)
        if target.path is None:
            return
        if not os.path.exists(target.path):
            raise dialect.loaded_dbapi.OperationalError(f"no such database file: {target.path}")
        cargs[:] = [target.uri("ro" if read_only else "rw")]
        cparams["uri"] = True

    return connect


# -- connection setup ----------------------------------------------------------------------------


def _on_connect(dialect_name: str, read_only: bool, lock_timeout: float):  # type: ignore[no-untyped-def]
    def configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if dialect_name == "sqlite":
            cursor.execute("PRAGMA foreign_keys=ON")
            if read_only:  # also where no file is opened read-only: an in-memory database
                cursor.execute("PRAGMA query_only=ON")
        elif dialect_name in ("mysql", "mariadb"):
            # Strict, whatever the server's default: otherwise a too-long value is cut to fit
            # with only a warning, and the record is stored differently than given.
            cursor.execute("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')")
            # Row locks (InnoDB) and metadata locks (a table being altered); whole seconds.
            seconds = max(1, math.ceil(lock_timeout))
            cursor.execute(f"SET SESSION innodb_lock_wait_timeout = {seconds}, lock_wait_timeout = {seconds}")
            if read_only:
                cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.close()

    return configure


def _postgresql_settings(url: URL, read_only: bool, lock_timeout: float) -> dict[str, Any]:
    """Session settings given at connect time, so that no transaction can roll them back."""
    settings = {"lock_timeout": str(max(1, round(lock_timeout * 1000)))}  # milliseconds
    if read_only:
        settings["default_transaction_read_only"] = "on"
    if url.get_driver_name() == "asyncpg":
        return {"server_settings": settings}
    options = " ".join(f"-c {name}={value}" for name, value in settings.items())
    given = url.query.get("options")
    return {"options": f"{given} {options}" if isinstance(given, str) else options}


def make_engine(
    url: str | URL, *, read_only: bool = False, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> sa.Engine | Any:
    """A sync `Engine` or an `AsyncEngine`, chosen from the URL's driver."""
    if not lock_timeout > 0:
        raise EngineError(f"the lock timeout must be a number of seconds above 0, not {lock_timeout!r}")
    parsed = parse(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if backend == "postgresql":
        kwargs["connect_args"] = _postgresql_settings(parsed, read_only, lock_timeout)
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
    if backend == "sqlite":
        cargs, cparams = sync_engine.dialect.create_connect_args(parsed)
        target = sqlite_target(cargs[0], bool(cparams.get("uri")))
        sa.event.listen(sync_engine, "do_connect", _sqlite_connect(target, read_only, lock_timeout))
    sa.event.listen(sync_engine, "connect", _on_connect(backend, read_only, lock_timeout))
    return engine
