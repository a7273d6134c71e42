"""`sqladmin-tui doctor` as a script sees it: exit status, text grouped by severity, one JSON
object per line, one-line errors, and no Textual import."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui_admin.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_is_clean_and_textual_is_never_imported(tmp_path: Path) -> None:
    code = ("import sys; from tui_admin.cli import main; rc = main(['doctor']); "
            "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(rc)")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "no findings: every rule checked holds", "")
    assert (tmp_path / "sqladmin-tui" / "demo.db").exists()


def test_an_error_finding_exits_1_and_text_groups_by_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _empty_database(tmp_path)
    assert main(["doctor", url, "--models", "tests.doctor.bad_models"]) == 1
    out = capsys.readouterr().out
    assert out.index("error (") < out.index("warning (") < out.index("note (")
    assert "  D001 Owner: table doc_owner does not exist" in out
    assert "       fix: CREATE TABLE doc_owner (" in out
    assert "  M003 Pet.owner: backref" in out
    assert out.rstrip().splitlines()[-1].endswith("errors, 8 warnings, 1 note")


def test_json_is_one_object_per_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _empty_database(tmp_path)
    assert main(["doctor", url, "--models", "tests.doctor.bad_models", "--json"]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["id"] for r in rows} >= {f"M00{n}" for n in range(1, 10)} | {"M010", "D001"}
    assert all(set(r) == {"id", "severity", "model", "field", "message", "fix"} for r in rows)
    assert {r["severity"] for r in rows} == {"error", "warning", "note"}


def _empty_database(tmp_path: Path) -> str:
    sqlite3.connect(tmp_path / "empty.db").close()
    return f"sqlite:///{tmp_path / 'empty.db'}"


def test_bad_usage_exits_2_and_an_unreachable_database_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["doctor", "--bogus"])
    assert exited.value.code == 2
    assert main(["doctor", "sqlite:///x.db", "--models", "no_such_module_here"]) == 2
    assert "cannot import models module 'no_such_module_here'" in capsys.readouterr().err
    assert main(["doctor", "postgresql+psycopg://someone:secret@127.0.0.1:1/x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sqladmin-tui doctor: error: cannot check postgresql+psycopg://someone:***@127.0.0.1:1/x: ")
    assert len(err.strip().splitlines()) == 1 and "secret" not in err
