"""The real `sqladmin-tui`, in a real terminal (tmux), driven by keys as a person would, checking
what is on screen and what lands in the database."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_admin import demo

SCRIPT = Path(sys.executable).parent / "sqladmin-tui"


class Tmux:
    """One tmux session running one command."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = f"tui-admin-{uuid.uuid4().hex[:8]}"
        env_args = [f"{k}={v}" for k, v in env.items()]
        # COLUMNS/LINES inherited from the test run would override the pane's real size.
        shell = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", *map(_quote, env_args), *map(_quote, command)])
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "120", "-y", "36", "-c", str(cwd), shell],
            check=True,
        )

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, *texts: str, timeout: float = 20) -> str:
        """Poll the screen until every text is visible (a bound on waiting, not a timing check)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {texts!r} on screen:\n{screen}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        """Send keys one at a time, as typed: a burst would read as a paste."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.1)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@pytest.fixture
def tmux_runner(tmp_path: Path) -> Iterator[callable]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is not installed: the end-to-end suite cannot run")
        pytest.skip("tmux is not installed")
    sessions: list[Tmux] = []

    def start(*args: str, extra_env: dict[str, str] | None = None) -> Tmux:
        env = {"TERM": "xterm-256color", "XDG_DATA_HOME": str(tmp_path / "xdg"), **(extra_env or {})}
        session = Tmux([str(SCRIPT), *args], env, tmp_path)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.kill()


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_demo_browse_create_with_error_then_save(tmux_runner, tmp_path: Path) -> None:
    tui = tmux_runner()
    screen = tui.wait_for("Hero", "HeroTeamLink", "Team", "15")
    assert "demo" in screen  # the header says which database is open
    db = tmp_path / "xdg" / "sqladmin-tui" / "demo.db"
    assert db.exists()

    tui.keys("Enter")
    tui.wait_for("Deadpond", "Spider-Boy", "Z-Force")

    tui.keys("n")
    tui.wait_for("New Hero")
    tui.type("Iron Test")
    tui.keys("Tab")
    tui.type("Tony")
    tui.keys("Tab")
    tui.type("abc")
    tui.keys("C-s")
    tui.wait_for("valid integer")
    assert _count(db, "SELECT count(*) FROM hero") == 15

    tui.keys("BSpace", "BSpace", "BSpace")
    tui.type("45")
    tui.keys("C-s")
    tui.wait_for("Hero · Iron Test")
    assert _count(db, "SELECT count(*) FROM hero WHERE name = 'Iron Test' AND age = 45") == 1

    tui.keys("Escape")
    tui.wait_for("16 rows")
    tui.keys("C-q")
    deadline = time.monotonic() + 10
    while tui.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tui.alive()


def test_own_models_module(tmux_runner, tmp_path: Path) -> None:
    (tmp_path / "shopmodels.py").write_text(
        textwrap.dedent(
            """
            from sqlmodel import Field, SQLModel

            class Product(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                title: str = Field(max_length=80)
                price: float
            """
        )
    )
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE product (id INTEGER PRIMARY KEY, title VARCHAR(80) NOT NULL, price FLOAT NOT NULL)")
        conn.execute("INSERT INTO product (title, price) VALUES ('Grappling hook', 12.5)")
    tui = tmux_runner(f"sqlite:///{db}", "--models", "shopmodels")
    tui.wait_for("Product", "1")
    tui.keys("Enter")
    tui.wait_for("Grappling hook", "12.5")


def test_reflected_database_without_models(tmux_runner, tmp_path: Path) -> None:
    db = demo.build(tmp_path / "plain.db")
    tui = tmux_runner(f"sqlite:///{db}")
    tui.wait_for("hero", "heroteamlink", "team")
    tui.keys("Enter")
    tui.wait_for("Deadpond", "Z-Force")  # the foreign key shows the team's name


def _until(tui: Tmux, check, what: str, timeout: float = 20) -> str:  # type: ignore[no-untyped-def]
    """Poll the screen until `check(screen)` holds (a bound on waiting, not a timing check)."""
    deadline = time.monotonic() + timeout
    while True:
        screen = tui.screen()
        if check(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what} on screen:\n{screen}")
        time.sleep(0.1)


def _links_pane(screen: str) -> list[list[str]]:
    """The rows of the links table (left pane): mark, team, role."""
    rows = []
    for line in screen.splitlines():
        left = line.split("▏")[0]
        cells = [c for c in re.split(r"\s{2,}", left.strip()) if c]
        if cells and cells[-1] in ("member", "lead", "reserve"):
            rows.append(cells if cells[0] in ("+", "−", "~") else ["", *cells])
    return rows


def test_follow_relations_and_edit_links_then_save(tmux_runner, tmp_path: Path) -> None:
    """Rusty-Man → his team (Preventers) → one of its heroes (Spider-Boy) → `l`: remove Preventers,
    Wakaland's role to member, add Z-Force and Night Watch (as lead), ctrl+s; reopened: exactly that."""
    tui = tmux_runner()
    tui.wait_for("Hero", "HeroTeamLink", "Team", "15")
    db = tmp_path / "xdg" / "sqladmin-tui" / "demo.db"
    tui.keys("Enter")
    tui.wait_for("Deadpond", "Rusty-Man")
    tui.keys("Down", "Down", "Enter")
    tui.wait_for("Hero · Rusty-Man", "Preventers  → team #1")

    tui.keys("Down", "Down", "Down", "Down", "Enter")  # team_id
    tui.wait_for("Team · Preventers", "▾ heroes", "▾ members")
    tui.keys("Down", "Down", "Down", "Down", "Enter")  # the first of its heroes
    tui.wait_for("Hero · Spider-Boy", "▾ teams")

    tui.keys("Down", "Down", "Down", "Down", "Down", "l")  # on the teams relation
    tui.wait_for("Hero Spider-Boy · teams (2 linked via heroteamlink)", "Z-Force")
    _until(tui, lambda s: _links_pane(s) == [["", "Preventers", "member"], ["", "Wakaland", "reserve"]],
           "Spider-Boy's two teams")

    tui.keys("x")
    tui.wait_for("1 pending change ")
    tui.keys("Down", "e")
    tui.wait_for("Link to Wakaland")
    tui.keys("End", *["BSpace"] * len("reserve"))
    tui.type("member")
    tui.keys("C-s")
    tui.wait_for("2 pending changes")

    tui.keys("/")
    _until(tui, lambda s: "⏎ Open" not in s, "the search box focused (its footer)")
    tui.type("Z-F")
    tui.keys("Enter")
    _until(tui, lambda s: "Avengers of the Sea" not in s, "only Z-Force as candidate")
    tui.keys("Enter")
    tui.wait_for("3 pending changes")
    tui.keys("/")
    _until(tui, lambda s: "⏎ Open" not in s, "the search box focused (its footer)")
    tui.keys("BSpace", "BSpace", "BSpace")
    tui.type("Night")
    tui.keys("Enter")
    _until(tui, lambda s: "Avengers of the Sea" not in s and "Night Watch" in s, "only Night Watch as candidate")
    tui.keys("Enter")
    tui.wait_for("4 pending changes")

    tui.keys("BTab", "BTab", "Down", "Down", "e")  # back to the links, onto Night Watch
    tui.wait_for("Link to Night Watch")
    tui.keys("End", *["BSpace"] * len("member"))
    tui.type("lead")
    tui.keys("C-s")
    pending = [
        ["−", "Preventers", "member"],
        ["~", "Wakaland", "member"],
        ["+", "Z-Force", "member"],
        ["+", "Night Watch", "lead"],
    ]
    _until(tui, lambda s: _links_pane(s) == pending, f"the pending changes {pending}")
    assert _count(db, "SELECT count(*) FROM heroteamlink WHERE hero_id = 2 AND team_id = 1") == 1  # not yet

    tui.keys("C-s")
    tui.wait_for("Saved: 2 added, 1 removed, 1 changed")
    tui.keys("Escape")
    tui.wait_for("Hero · Spider-Boy", "3 teams · many-to-many")
    tui.keys("l")
    saved = [["", "Z-Force", "member"], ["", "Wakaland", "member"], ["", "Night Watch", "lead"]]
    heading = "Hero Spider-Boy · teams (3 linked via heroteamlink)"
    screen = _until(tui, lambda s: heading in s and _links_pane(s) == saved, f"the saved links {saved}")
    assert "pending" not in screen

    with sqlite3.connect(db) as conn:
        links = conn.execute("SELECT team_id, role FROM heroteamlink WHERE hero_id = 2 ORDER BY team_id").fetchall()
        total = conn.execute("SELECT count(*) FROM heroteamlink").fetchone()[0]
    conn.close()
    assert links == [(2, "member"), (3, "member"), (5, "lead")]
    assert total == 20 - 1 + 2
