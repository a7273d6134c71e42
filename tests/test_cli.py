"""The command line: a fast, complete --help and one-line errors (exit code 2) for bad usage."""

from __future__ import annotations

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
    ],
)
def test_bad_usage_is_one_line_and_exit_code_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
