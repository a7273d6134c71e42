"""`--schema NAME` (repeatable) narrows the reflected tables: documented, refused with one line
where it cannot apply, and a schema that does not exist ends the app with exit code 2."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tests.test_cli import run
from tests.ui.helpers import settle
from tui_admin.cli import build_parser
from tui_admin.ui.app import AdminApp


def test_schema_is_documented_and_repeatable() -> None:
    assert "--schema NAME" in run("--help").stdout
    args = build_parser().parse_args(["sqlite:///x.db", "--schema", "public", "--schema", "Other One"])
    assert args.schemas == ["public", "Other One"]


def test_schema_without_a_url_or_with_models_is_a_one_line_error(tmp_path: Path) -> None:
    for argv in (["--schema", "x"], [f"sqlite:///{tmp_path / 'a.db'}", "--models", "m", "--schema", "x"]):
        result = run(*argv)
        assert result.returncode == 2
        assert "--schema narrows the reflected tables" in result.stderr
        assert "Traceback" not in result.stderr


async def test_an_unknown_schema_stops_the_app_with_exit_code_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    engine.dispose()
    app = AdminApp(url, None, schemas=["nope"])
    async with app.run_test() as pilot:
        await settle(pilot, lambda: app.startup_error is not None, "the startup error")
    assert app.startup_error == "no schema 'nope' to show (schemas: main)"
    assert app.return_code == 2
