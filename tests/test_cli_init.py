"""`sqladmin-tui init`: the models' missing tables created on an empty database, and with
`--demo` the demo's rows loaded so that a new row gets a new key, on SQLite, PostgreSQL and
MariaDB; a table that exists is never altered; read-only refuses and writes nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from tui_admin import demo
from tui_admin.cli import main
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store
from tui_admin.demo import models

ROOT = Path(__file__).resolve().parents[1]
DEMO_TABLES = [models.Team.__table__, models.Hero.__table__, models.HeroTeamLink.__table__]


@pytest.fixture(params=["sqlite", "postgresql+psycopg", "mysql+pymysql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty(db_urls: tuple[str, str]) -> Iterator[tuple[str, sa.Engine]]:
    """(URL, sync engine) of a database without the demo's tables."""
    setup, url = db_urls
    if url.startswith("sqlite"):
        Path(sa.make_url(url).database).touch()  # type: ignore[arg-type]
    engine = sa.create_engine(setup)
    SQLModel.metadata.drop_all(engine, tables=DEMO_TABLES)
    yield url, engine
    SQLModel.metadata.drop_all(engine, tables=DEMO_TABLES)
    engine.dispose()


def test_init_demo_builds_a_database_where_new_rows_get_new_keys(
    empty: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    url, engine = empty
    assert main(["init", url, "--demo"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["created table team", "created table hero", "created table heroteamlink",
                   "loaded the demo rows: 5 team, 15 hero, 20 heroteamlink"]
    assert asyncio.run(_create_a_hero_and_a_team(url)) == ((16,), (6,))
    assert main(["init", url, "--demo"]) == 0  # again: nothing created, nothing loaded twice
    assert capsys.readouterr().out.splitlines() == [
        "nothing to create: every table of the models exists",
        "demo rows not loaded: team already holds rows: nothing loaded, nothing changed",
    ]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM hero")).scalar() == 16


async def _create_a_hero_and_a_team(url: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    store = Store(url, Registry.from_module(demo.MODELS_MODULE))
    try:
        hero = await store.create("Hero", {"name": "Newcomer", "secret_name": "N", "age": None, "team_id": 1})
        return hero, await store.create("Team", {"name": "New team", "headquarters": "Here"})
    finally:
        await store.dispose()


def test_a_table_that_exists_is_left_as_it_is(empty: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str]) -> None:
    url, engine = empty
    with engine.begin() as conn:  # a team table that is not the model's: one more column, one row
        conn.exec_driver_sql("CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL,"
                             " headquarters VARCHAR(100) NOT NULL, motto VARCHAR(20))")
        conn.exec_driver_sql("INSERT INTO team VALUES (9, 'Kept', 'There', 'as is')")
    assert main(["init", url, "--models", demo.MODELS_MODULE]) == 0
    assert capsys.readouterr().out.splitlines() == ["created table hero", "created table heroteamlink"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, name, motto FROM team")).all() == [(9, "Kept", "as is")]
        assert {c["name"] for c in sa.inspect(conn).get_columns("team")} == {"id", "name", "headquarters", "motto"}


def test_read_only_refuses_and_creates_nothing(
    empty: tuple[str, sa.Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    url, engine = empty
    assert main(["init", url, "--demo", "--read-only"]) == 1
    assert "read-only" in capsys.readouterr().err
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("hero")


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_usage_errors_exit_2_without_textual(empty: tuple[str, sa.Engine]) -> None:
    url, _ = empty
    code = ("import sys; from tui_admin.cli import main; rc = main(sys.argv[1:]); "
            "assert 'textual' not in sys.modules; sys.exit(rc)")
    run = lambda *args: subprocess.run([sys.executable, "-c", code, *args], capture_output=True,  # noqa: E731
                                       text=True, cwd=ROOT, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert run("init", url).returncode == 2  # neither --models nor --demo
    assert run("init", "--demo").returncode == 2  # no URL
    bad = run("init", url, "--models", "no_such_module_here")
    assert bad.returncode == 2 and "cannot import models module 'no_such_module_here'" in bad.stderr
    assert run("init", url, "--models", demo.MODELS_MODULE).returncode == 0


def test_init_creates_a_missing_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new folder" / "app #1.db"
    path.parent.mkdir()
    assert main(["init", f"sqlite:///{path}", "--demo"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [f"created database file {path}", "created table team"]
    assert main(["init", f"sqlite:///{tmp_path / 'other.db'}", "--demo", "--read-only"]) == 1
    assert not (tmp_path / "other.db").exists()  # read-only creates nothing, not even the file
