"""Engines for any supported URL, sync or async, with the admin's connection rules applied.

- SQLite enforces foreign keys only when asked (`PRAGMA foreign_keys=ON`), per connection.
- MySQL/MariaDB sessions are strict (`STRICT_ALL_TABLES`), so a bad value is refused, not cut.
- Read-only is enforced by the database session wherever the dialect allows: SQLite opens the
  file with `mode=ro`, PostgreSQL sets `default_transaction_read_only`, MySQL/MariaDB
  `SET SESSION TRANSACTION READ ONLY`. The Store refuses writes too; this is the second lock.
- A URL whose driver is not installed gets a one-line error naming the extra to install.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

#: Driver module → the package extra that installs it.
DRIVER_EXTRAS = {
    "psycopg": "postgres",
    "asyncpg": "postgres",
    "psycopg2": "postgres",
    "pymysql": "mysql",
    "aiomysql": "mysql",
    "asyncmy": "mysql",
    "MySQLdb": "mysql",
    "aiosqlite": "async",
}


class EngineError(Exception):
    """The URL cannot be used: unknown dialect, missing driver, malformed."""


def mask(url: str | URL) -> str:
    """The URL as it may be shown or logged: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid database URL>"


def parse(url: str | URL) -> URL:
    try:
        return make_url(url)
    except sa.exc.ArgumentError as exc:
        raise EngineError(f"not a database URL: {exc}") from None


def is_async(url: URL) -> bool:
    try:
        return bool(url.get_dialect().is_async)
    except sa.exc.NoSuchModuleError as exc:
        raise EngineError(f"unknown database dialect in {mask(url)}: {exc}") from None


def _missing_driver(url: URL, exc: ImportError) -> EngineError:
    module = (exc.name or str(exc)).split(".")[0]
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
        raise EngineError(f"unknown database dialect in {mask(parsed)}: {exc}") from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise _missing_driver(parsed, exc) from None
    return parsed


def _sqlite_read_only(url: URL) -> URL:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return url
    return url.set(database=f"file:{database}", query={**url.query, "mode": "ro", "uri": "true"})


def _on_connect(dialect_name: str, read_only: bool):  # type: ignore[no-untyped-def]
    def configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if dialect_name == "sqlite":
            cursor.execute("PRAGMA foreign_keys=ON")
        elif dialect_name in ("mysql", "mariadb"):
            # Strict, whatever the server's default: otherwise a too-long value is cut to fit
            # with only a warning, and the record is stored differently than given.
            cursor.execute("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')")
            if read_only:
                cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.close()

    return configure


def make_engine(url: str | URL, *, read_only: bool = False) -> sa.Engine | Any:
    """A sync `Engine` or an `AsyncEngine`, chosen from the URL's driver."""
    parsed = parse(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if backend == "sqlite" and read_only:
        parsed = _sqlite_read_only(parsed)
    if backend == "postgresql" and read_only:
        if parsed.get_driver_name() == "asyncpg":
            kwargs["connect_args"] = {"server_settings": {"default_transaction_read_only": "on"}}
        else:
            kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
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
    sa.event.listen(sync_engine, "connect", _on_connect(backend, read_only))
    return engine
