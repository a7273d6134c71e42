"""The command line: a fast, complete --help and one-line errors (exit code 2) for bad usage."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "sqladmin-tui"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60, env=env)


def test_help_documents_every_option_and_the_demo() -> None:
    result = run("--help")
    assert result.returncode == 0
    for text in ("DATABASE_URL", "--models", "--read-only", "--reset-demo", "demo", "ModelAdmin", "ctrl+q"):
        assert text in result.stdout
    from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT

    assert "--lock-timeout SECONDS" in result.stdout
    assert f"(default: {DEFAULT_LOCK_TIMEOUT:g})" in " ".join(result.stdout.split())


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "tui_admin", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("sqladmin-tui ")


def test_help_imports_neither_textual_nor_sqlmodel() -> None:
    code = (
        "import sys\n"
        "from tui_admin import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('textual', 'sqlmodel', 'sqlalchemy', 'pydantic') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--models", "tui_admin.demo.models"], "--models needs a DATABASE_URL"),
        (["sqlite:///x.db", "--reset-demo"], "--reset-demo only applies"),
        (["sqlite:///x.db", "--models", "no_such_module_xyz"], "cannot import models module 'no_such_module_xyz'"),
        (["sqlite:///x.db", "--models", "json"], "defines no SQLModel table models"),
        (["sqlite:///x.db", "--lock-timeout", "0"], "--lock-timeout: not a number of seconds above 0: '0'"),
        (["sqlite:///x.db", "--lock-timeout", "soon"], "--lock-timeout: not a number of seconds above 0: 'soon'"),
    ],
)
def test_bad_usage_is_one_line_and_exit_code_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line the CLI printed last (the app may have drawn on the terminal before it)."""
    printed = re.split(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])", result.stderr)[-1]
    assert printed.endswith("\n") and printed.count("\n") == 1, f"not one line: {printed!r}"
    return printed.removesuffix("\n")


HINT = "percent-encode special characters in the user name and password (@ as %40, : as %3A, / as %2F)"


@pytest.mark.parametrize(
    ("url", "secret", "line"),
    [
        ("postgresql+asyncpg://postgres:pw@zq7@127.0.0.1/db", "zq7",
         "cannot read the database URL postgresql+asyncpg://***@127.0.0.1/db: it has more than one '@' before "
         f"the host; {HINT}"),
        ("postgresql+psycopg://postgres:pw@zq:7@127.0.0.1/db", "zq",
         f"cannot read the database URL postgresql+psycopg://***@127.0.0.1/db: its port is not a number; {HINT}"),
        ("mysql+pymysql://root:pw-9x@127.0.0.1:33o6/db", "pw-9x",
         f"cannot read the database URL mysql+pymysql://***@127.0.0.1:33o6/db: its port is not a number; {HINT}"),
        ("postgresql+psycopg://admin:pw-7q/db", "pw-7q",  # the @host forgotten: "pw-7q" reads as a port
         f"cannot read the database URL postgresql+psycopg://***: its port is not a number; {HINT}"),
    ],
    ids=["two-@", "@-and-:", "bad-port", "no-host"],
)
def test_a_url_that_does_not_parse_cleanly_is_one_line_without_its_credentials(
    url: str, secret: str, line: str
) -> None:
    result = run(url)
    assert result.returncode == 2
    assert last_line(result) == f"sqladmin-tui: error: {line}"
    assert secret not in result.stderr and secret not in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("mysql://root@127.0.0.1/db", "(MySQLdb): use mysql+pymysql:// (pip install 'sqladmin-tui[mysql]'), "
         "or pip install mysqlclient"),
        ("mariadb://root@127.0.0.1/db", "(MySQLdb): use mariadb+pymysql:// (pip install 'sqladmin-tui[mysql]'), "
         "or pip install mysqlclient"),
        ("postgres://me@127.0.0.1/db", "; did you mean postgresql:// ?"),
        ("postgres+asyncpg://me@127.0.0.1/db", "; did you mean postgresql+asyncpg:// ?"),
    ],
)
def test_a_dialect_or_driver_we_do_not_install_suggests_one_we_do(url: str, hint: str) -> None:
    result = run(url)
    assert result.returncode == 2
    line = last_line(result)
    assert line.startswith("sqladmin-tui: error: ") and line.endswith(hint), line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "from sqlmodel import Field, Relationship, SQLModel\n\n"
            "class Hero(SQLModel, table=True):\n"
            "    id: int | None = Field(default=None, primary_key=True)\n"
            "    team_id: int | None = None\n"
            "    team: 'Team' = Relationship()\n",
            "sqladmin-tui: error: the models cannot be mapped: When initializing mapper Mapper[Hero(hero)], "
            "expression 'Team' failed to locate a name ('Team').",
        ),
        ("raise RuntimeError('the settings file is missing')\n",
         "sqladmin-tui: error: cannot import models module 'broken_models': "
         "RuntimeError: the settings file is missing"),
    ],
    ids=["unresolved-relationship", "raises-on-import"],
)
def test_a_models_module_that_fails_is_one_line_and_exit_code_2(tmp_path: Path, source: str, message: str) -> None:
    (tmp_path / "broken_models.py").write_text(source)
    result = subprocess.run(
        [str(SCRIPT), f"sqlite:///{tmp_path / 'x.db'}", "--models", "broken_models"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert last_line(result).startswith(message)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("columns", [80, 200])
def test_help_fits_the_terminal_and_names_every_key(columns: int) -> None:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": str(columns)}
    for args in (["--help"], ["doctor", "--help"], ["init", "--help"]):
        result = run(*args, env=env)
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert max(map(len, lines)) <= min(columns, 100) - 1, [line for line in lines if len(line) >= columns]
    text = " ".join(run("--help", env=env).stdout.split())
    keys = ("l links", "f12 query log", "ctrl+p palette", "f1 or ? help", "sqladmin-tui doctor", "sqladmin-tui init")
    for key in keys:
        assert key in text


MODELS_FILE = (
    "from sqlmodel import Field, SQLModel\n\n"
    "class Gadget(SQLModel, table=True):\n"
    "    id: int | None = Field(default=None, primary_key=True)\n"
    "    name: str = Field(max_length=20)\n\n"
    "ADMIN = [Gadget]\n"
)


@pytest.mark.parametrize(
    "form", ["gadgets.py", "./gadgets.py", "{dir}/gadgets.py", "gadgets:ADMIN", "gadgets.py:ADMIN"]
)
def test_models_may_be_a_file_path_or_module_attr(tmp_path: Path, form: str) -> None:
    (tmp_path / "gadgets.py").write_text(MODELS_FILE)
    (tmp_path / "x.db").touch()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = elsewhere if form.startswith("{dir}") else tmp_path
    result = subprocess.run(
        [str(SCRIPT), "doctor", f"sqlite:///{tmp_path / 'x.db'}", "--models", form.format(dir=tmp_path)],
        capture_output=True, text=True, timeout=60, cwd=cwd, stdin=subprocess.DEVNULL,
    )
    assert "D001 Gadget: table gadget does not exist" in result.stdout, result.stderr  # the models were loaded
    assert result.returncode == 1


def test_a_models_module_not_found_says_where_it_is_looked_for(tmp_path: Path) -> None:
    result = subprocess.run([str(SCRIPT), "sqlite:///x.db", "--models", "mymodels"], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "importable from the current directory or PYTHONPATH, or be given as a file path" in last_line(result)
    missing_file = subprocess.run([str(SCRIPT), "sqlite:///x.db", "--models", "nothere.py"], capture_output=True,
                                  text=True, timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert last_line(missing_file) == "sqladmin-tui: error: cannot import models file 'nothere.py': no such file"
