"""The configuration file: `sqladmin-tui.toml` in the current directory, or `[tool.sqladmin-tui]`
in its `pyproject.toml`, like ruff and pytest read theirs.

    url = "sqlite:///app.db"
    models = "myapp.models"
    read_only = false
    theme = "gruvbox"
    [keys]                      # binding id = keys (Textual keymaps)
    "app.quit" = "ctrl+q,f10"
    [connections.staging]       # sqladmin-tui @staging
    url = "postgresql+psycopg://me:${PGPASSWORD}@db.internal/shop"
    read_only = true

Secrets never live in the file: `${NAME}` is replaced by the environment variable NAME when the
file is read, and an unset one is an error. Every error names the file, the line and the key,
because a config that is silently half-applied is worse than none. Standard library only: it is
read before `--help` answers.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "sqladmin-tui.toml"
PYPROJECT_TABLE = ("tool", "sqladmin-tui")

#: Each setting and the type it must have (a connection takes the same but `keys` and `theme`).
SETTINGS: dict[str, type | tuple[type, ...]] = {
    "url": str, "models": str, "read_only": bool, "theme": str, "lock_timeout": (int, float),
}
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigFileError(Exception):
    """The file cannot be used as written: the message names the file, the line and the key."""


@dataclass(frozen=True)
class Config:
    """What the file sets; `None` where it says nothing (the command line or the default wins)."""

    path: Path | None = None
    url: str | None = None
    models: str | None = None
    read_only: bool | None = None
    theme: str | None = None
    lock_timeout: float | None = None
    keys: dict[str, str] = field(default_factory=dict)
    connections: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Where each setting was written ("file, line 4: connections.pg.url"), for messages.
    origins: dict[str, str] = field(default_factory=dict, repr=False)

    def connection(self, name: str) -> Config:
        """The settings of `@name`: the file's own, overridden by the connection's."""
        if name not in self.connections:
            known = ", ".join("@" + n for n in sorted(self.connections)) or "none"
            where = self.path or FILE_NAME
            raise ConfigFileError(f"{where}: no connection named {name!r} (connections: {known})")
        chosen = self.connections[name]
        own = {k.removeprefix(name + "."): v for k, v in self.origins.items() if k.startswith(name + ".")}
        origins = {k: v for k, v in {**self.origins, **own}.items() if "." not in k}
        return Config(self.path, **{k: chosen.get(k, getattr(self, k)) for k in SETTINGS}, keys=self.keys,
                      origins=origins)

    def resolved(self) -> Config:
        """The settings with `${NAME}` replaced from the environment: only those of the
        connection used, so another connection's secret need not be set."""
        values: dict[str, Any] = {}
        for key in SETTINGS:
            value = getattr(self, key)
            if isinstance(value, str):
                origin = self.origins[key]
                value = _environment(value, lambda name, o=origin: ConfigFileError(f"{o}: ${{{name}}} is not set"))
            values[key] = value
        return Config(self.path, **values, keys=self.keys, connections=self.connections, origins=self.origins)


def settle(url: str | None, directory: Path | None = None) -> tuple[str | None, Config]:
    """The URL to open and the file's settings that go with it. `@name` picks a named connection;
    otherwise the command line's URL wins, then `$DATABASE_URL`, then the file's `url`."""
    config = find(directory)
    if url is not None and url.startswith("@"):
        config = config.connection(url[1:]).resolved()
        return config.url, config
    config = config.resolved()
    return url or os.environ.get("DATABASE_URL") or config.url, config


def find(directory: Path | None = None) -> Config:
    """The configuration of `directory` (the current one): its `sqladmin-tui.toml`, else the
    `[tool.sqladmin-tui]` table of its `pyproject.toml`, else nothing."""
    directory = directory or Path.cwd()
    own = directory / FILE_NAME
    if own.is_file():
        return load(own)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        data = _parse(pyproject)
        table = data.get(PYPROJECT_TABLE[0], {}).get(PYPROJECT_TABLE[1])
        if table is not None:
            return _config(pyproject, table, prefix="tool.sqladmin-tui.")
    return Config()


def load(path: Path) -> Config:
    return _config(path, _parse(path), prefix="")


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # its message ends with "(at line L, column C)"
        raise ConfigFileError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{path}: cannot be read: {exc}") from None


def _config(path: Path, data: dict[str, Any], prefix: str) -> Config:
    text = path.read_text(encoding="utf-8")

    origins: dict[str, str] = {}

    def where(table: str, key: str) -> str:
        full = ".".join(part for part in (prefix.rstrip("."), table) if part)
        return f"{path}, line {_line_of(text, full, key)}: {full + '.' if full else ''}{key}"

    def fail(table: str, key: str, problem: str) -> ConfigFileError:
        return ConfigFileError(f"{where(table, key)}: {problem}")

    settings = _settings(data, "", set(SETTINGS) | {"keys", "connections"}, fail)
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise fail("", "keys", "must be a table of binding id = keys")
    for key, value in keys.items():
        if not isinstance(value, str):
            raise fail("keys", key, f"must be keys as text (like \"ctrl+n,f5\"), not {type(value).__name__}")
    connections = data.get("connections", {})
    if not isinstance(connections, dict) or not all(isinstance(v, dict) for v in connections.values()):
        raise fail("", "connections", "must hold tables: [connections.NAME] with url = …")
    named = {
        name: _settings(values, f"connections.{name}", set(SETTINGS) - {"theme"}, fail)
        for name, values in connections.items()
    }
    for table, values in [("", settings), *((f"connections.{n}", v) for n, v in named.items())]:
        for key in values:
            name = table.removeprefix("connections.")
            origins[f"{name}.{key}" if table else key] = where(table, key)
    return Config(path, **settings, keys=dict(keys), connections=named, origins=origins)


def _settings(data: dict[str, Any], table: str, allowed: set[str], fail: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            raise fail(table, key, "unknown setting" + (f" — did you mean {close[0]!r}?" if close else
                                                        f" (settings: {', '.join(sorted(allowed))})"))
        if key in ("keys", "connections"):
            continue
        wanted = SETTINGS[key]
        if not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool)):
            names = " or ".join(t.__name__ for t in (wanted if isinstance(wanted, tuple) else (wanted,)))
            raise fail(table, key, f"must be {names}, not {type(value).__name__} {value!r}")
        found[key] = float(value) if key == "lock_timeout" else value
    return found


def _environment(value: str, unset: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name not in os.environ:
            raise unset(name)
        return os.environ[name]

    return _ENV.sub(replace, value)


def _line_of(text: str, table: str, key: str) -> int:
    """The line where `key` is set in `table` (dotted, "" for the top level), or the table's own
    line when the key is a table; tomllib keeps no positions, so find it as a person would."""
    current = ""
    header = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
    setting = re.compile(r'^\s*(?:"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+))\s*=')
    for number, line in enumerate(text.splitlines(), 1):
        heading = header.match(line)
        if heading:
            current = heading[1].replace('"', "")
            if f"{table}.{key}".strip(".") == current:
                return number
            continue
        found = setting.match(line)
        if found and current == table and key in found.groups():
            return number
    return 1
