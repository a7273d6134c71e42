"""`sqladmin-tui export` as a script uses it: the demo's heroes filtered, sorted, to a file or
stdout, one-line errors with exit code 2 for what the models do not have, no Textual import."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("import sys; from tui_admin.cli import main; rc = main(sys.argv[1:]); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(rc)")


def export(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-c", CODE, "export", *args], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)


def test_filtered_sorted_heroes_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    done = export(tmp_path, "Hero", "--filter", "team_id=1", "--sort=-age", "--format", "csv", "-o", "heroes.csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("exported 4 Hero rows to heroes.csv in ")
    rows = list(csv.DictReader((tmp_path / "heroes.csv").open(newline="", encoding="utf-8")))
    assert [(r["name"], r["age"]) for r in rows] == [
        ("Captain North America", "93"), ("Rusty-Man", "48"), ("Tarantula", "32"), ("Spider-Boy", "")]
    lines = export(tmp_path, "Hero", "--search", "spider", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["Spider-Boy"]
    assert json.loads(lines[0])["age"] is None


def test_what_the_models_lack_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    for args, message in [
        (["Villain", "--format", "csv"], "no model 'Villain' (models: Hero, HeroTeamLink, Team)"),
        (["Hero", "--filter", "age=old", "--format", "csv"], "--filter 'age=old': Input should be a valid integer"),
        (["Hero", "--filter", "power=9", "--format", "csv"], "--filter 'power=9': expected FIELD=VALUE"),
        (["Hero", "--sort", "nope", "--format", "csv"], "--sort: Hero cannot be sorted by 'nope'"),
    ]:
        done = export(tmp_path, *args)
        assert done.returncode == 2
        assert done.stderr.startswith(f"sqladmin-tui export: error: {message}"), done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert export(tmp_path, "Hero").returncode == 2  # --format is required


def test_a_large_table_made_by_raw_sql_is_written_in_parts_as_one_process_writes_it(tmp_path: Path) -> None:
    """120,000 rows (over PARTS_FROM) of a table with names that are no identifiers, text that
    looks like markup or needs quoting, NULLs and floats: `--parts 3` writes the same bytes as
    `--parts 1`, and says so."""
    import sqlite3

    db = tmp_path / "big.db"
    with sqlite3.connect(db) as conn:
        conn.execute('CREATE TABLE "big table" (id INTEGER PRIMARY KEY, "na me" TEXT, n REAL)')
        conn.execute(
            'WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 120000) '
            'INSERT INTO "big table" SELECT i, CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN \'[b]x[/b] \' || i '
            "WHEN 2 THEN 'a, \"b\"' ELSE 'plain' END, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 7.0 END FROM k")
    url = f"sqlite:///{db}"
    for fmt in ("csv", "jsonl"):
        one = export(tmp_path, url, "big table", "--format", fmt, "-o", f"one.{fmt}", "--parts", "1")
        three = export(tmp_path, url, "big table", "--format", fmt, "-o", f"three.{fmt}", "--parts", "3")
        assert one.returncode == three.returncode == 0, (one.stderr, three.stderr)
        assert "written in" not in one.stderr and ", written in 3 parts" in three.stderr
        assert (tmp_path / f"three.{fmt}").read_bytes() == (tmp_path / f"one.{fmt}").read_bytes()
    rows = list(csv.reader((tmp_path / "three.csv").open(newline="", encoding="utf-8")))
    assert len(rows) == 120_001 and rows[1] == ["1", "[b]x[/b] 1", str(1 / 7.0)] and rows[2][1] == 'a, "b"'
    assert rows[3] == ["3", "plain", ""] and rows[120_000][0] == "120000"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no part, no partial


def test_the_model_may_follow_the_models_option_as_the_readme_writes_it(tmp_path: Path) -> None:
    """`export URL --models M Hero`: the positional arguments around an option are read together."""
    from tui_admin import demo

    url = demo.url(demo.build(tmp_path / "demo.db"))
    done = export(tmp_path, url, "--models", demo.MODELS_MODULE, "Hero", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert len(list(csv.reader(done.stdout.splitlines()))) == 16
