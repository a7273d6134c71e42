"""Which file a SQLite URL names, and how it is opened: resolved once, by the rules SQLAlchemy and
SQLite apply to the URL as written (a plain path, or a `file:` URI when `uri=true`), and always
opened through a quoted `file:` URI of that one absolute path, so that read-only opens exactly the
file read-write would. The admin never creates a database: a file that does not exist is an error
naming it (`mode=rwc` too); only `sqladmin-tui init`, whose purpose it is, creates one
(`create_file`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from tui_admin.core.errors import EngineError

#: SQLite waits for a lock in its own busy handler, which nothing can interrupt; so it waits at
#: most this long at a time, and the Runner starts the unit of work again until the lock timeout.
SQLITE_BUSY_SLICE = 0.1


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


def opener(target: SqliteTarget, read_only: bool, lock_timeout: float):  # type: ignore[no-untyped-def]
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


def create_file(url: Any) -> str | None:
    """Create the empty database file a SQLite URL names, if it does not exist (what `init` does
    before creating tables, through `SQLite.create_database`); return its path when it was."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    dialect = parsed.get_dialect()()
    cargs, cparams = dialect.create_connect_args(parsed)
    target = sqlite_target(cargs[0], bool(cparams.get("uri")))
    if target.path is None or os.path.exists(target.path):
        return None
    import sqlite3

    sqlite3.connect(target.path).close()
    return target.path
