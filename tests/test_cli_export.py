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


def test_the_model_may_follow_the_models_option_as_the_readme_writes_it(tmp_path: Path) -> None:
    """`export URL --models M Hero`: the positional arguments around an option are read together."""
    from tui_admin import demo

    url = demo.url(demo.build(tmp_path / "demo.db"))
    done = export(tmp_path, url, "--models", demo.MODELS_MODULE, "Hero", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert len(list(csv.reader(done.stdout.splitlines()))) == 16
