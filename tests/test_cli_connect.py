"""A database that cannot be opened at start: the real `sqladmin-tui` exits non-zero with one line
naming the masked URL and the driver's reason, never a traceback, never the password.

The app draws (and clears) its screen on the terminal before it knows the connection failed, so
its output holds terminal control codes: the message is read from the last line of stderr, after
the control sequences. The servers are the machine's PostgreSQL (trust authentication: any
password is accepted, so a wrong one cannot be tested there) and MariaDB (which checks passwords
over TCP)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

SCRIPT = Path(sys.executable).parent / "sqladmin-tui"
PASSWORD = "s3cr3t-pw"
MISSING_DB = "tui_admin_no_such_db_h5"
MISSING_USER = "tui_admin_no_such_user_h5"
SERVER_ENGINES = ["postgresql+psycopg", "postgresql+asyncpg", "mysql+pymysql", "mysql+aiomysql"]

_CONTROL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


def run(url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [str(SCRIPT), url, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90, env=env,
        cwd=cwd,
    )


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """What the CLI printed after the app's last terminal control sequence: exactly one line."""
    printed = _CONTROL.split(result.stderr)[-1]
    assert printed.endswith("\n") and printed.count("\n") == 1, f"not one line: {printed!r}"
    return printed.removesuffix("\n")


def masked(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def free_port() -> int:
    """A local port that nothing listens on (it was just free, and nothing here binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_connect_error(result: subprocess.CompletedProcess[str], url: sa.URL, cause: str) -> str:
    """Exit code 1, one line `sqladmin-tui: error: cannot open <masked URL>: <reason>` whose reason
    matches `cause`, no traceback, and the password nowhere in the output."""
    line = last_line(result)
    assert result.returncode == 1, line
    prefix = f"sqladmin-tui: error: cannot open {masked(url)}: "
    assert line.startswith(prefix), line
    assert re.search(cause, line.removeprefix(prefix)), f"the reason should match {cause!r}: {line}"
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert PASSWORD not in result.stderr and PASSWORD not in result.stdout
    if url.password is not None:
        assert "***" in line
    return line


@pytest.fixture
def server_url(db_urls: tuple[str, str]) -> sa.URL:
    """The URL of the test server with the driver of the test (skipped when the server is unset)."""
    return sa.make_url(db_urls[1])


SERVER_DRIVERS = ["postgresql+psycopg", "postgresql+asyncpg", "mysql+pymysql", "mysql+aiomysql"]


@pytest.mark.parametrize("engine_name", SERVER_DRIVERS)
def test_port_nothing_listens_on(server_url: sa.URL) -> None:
    url = server_url.set(host="127.0.0.1", port=free_port(), password=PASSWORD)
    assert_connect_error(run(url.render_as_string(hide_password=False)), url,
                         r"(?i)connection refused|connect call failed")


@pytest.mark.parametrize("engine_name", SERVER_DRIVERS)
def test_unknown_host(server_url: sa.URL) -> None:
    url = server_url.set(host="no-such-host.invalid", password=PASSWORD)
    line = assert_connect_error(
        run(url.render_as_string(hide_password=False)), url,
        r"(?i)name or service not known|could not translate host name|failed to resolve host|nodename nor servname",
    )
    assert "no-such-host.invalid" in line


@pytest.mark.parametrize("engine_name", SERVER_ENGINES)
def test_unknown_database(server_url: sa.URL) -> None:
    # MariaDB checks the password before the database: keep the server's own (none here) there.
    url = server_url.set(database=MISSING_DB)
    if url.get_backend_name() == "postgresql":
        url = url.set(password=PASSWORD)
    line = assert_connect_error(
        run(url.render_as_string(hide_password=False)), url,
        rf"database \"{MISSING_DB}\" does not exist|Unknown database '{MISSING_DB}'",
    )
    assert line.count(MISSING_DB) >= 2  # in the URL and in the reason


@pytest.mark.parametrize("engine_name", SERVER_ENGINES)
def test_unknown_user(server_url: sa.URL) -> None:
    url = server_url.set(username=MISSING_USER, password=PASSWORD)
    assert_connect_error(
        run(url.render_as_string(hide_password=False)), url,
        rf"role \"{MISSING_USER}\" does not exist|Access denied for user '{MISSING_USER}'",
    )


@pytest.mark.parametrize("engine_name", ["mysql+pymysql", "mysql+aiomysql"])
def test_wrong_password_where_the_server_checks_it(server_url: sa.URL) -> None:
    """MariaDB's root@127.0.0.1 has no password here: any password given is wrong."""
    url = server_url.set(password=PASSWORD)
    assert_connect_error(
        run(url.render_as_string(hide_password=False)), url,
        r"Access denied for user '[^']+'@'[^']+' \(using password: YES\)",
    )


def test_driver_not_installed_names_the_extra() -> None:
    url = sa.make_url(f"mysql+asyncmy://root:{PASSWORD}@127.0.0.1:3306/{MISSING_DB}")
    result = run(url.render_as_string(hide_password=False))
    assert result.returncode == 2
    line = last_line(result)
    assert line == (
        f"sqladmin-tui: error: the driver for {masked(url)} is not installed (asyncmy): "
        "pip install 'sqladmin-tui[mysql]'"
    )
    assert "***" in line
    assert PASSWORD not in result.stderr and PASSWORD not in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
@pytest.mark.parametrize(
    "form",
    ["sqlite:///missing.db", "sqlite:///{dir}/missing.db", "sqlite+aiosqlite:///file:{dir}/missing.db?uri=true&mode=rwc"],
    ids=["relative", "absolute", "uri-rwc"],
)
def test_a_missing_sqlite_file_is_named_and_not_created(tmp_path: Path, form: str, read_only: bool) -> None:
    """A typo in a SQLite path must not open (and leave behind) a new empty database."""
    url = form.format(dir=tmp_path)
    result = run(url, *(["--read-only"] if read_only else []), cwd=tmp_path)
    line = last_line(result)
    assert result.returncode == 1, line
    assert line == f"sqladmin-tui: error: cannot open {url}: no such database file: {tmp_path / 'missing.db'}"
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
