"""`sample.db.sql` and `demo/models.py` describe the same schema, its sample data is what the
screens and the other tests rely on, and the demo mappers configure without a warning."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlmodel import SQLModel

from tui_admin import demo
from tui_admin.demo.models import HeroCreate, TeamCreate

TABLES = ("team", "hero", "heroteamlink")


def _type_name(type_: Any) -> str:
    """A column type as SQLite DDL spells it (`VARCHAR(50)`, `INTEGER`)."""
    return str(type_.compile(dialect=sqlite.dialect())).upper()


def _model_schema(table: sa.Table) -> dict[str, Any]:
    return {
        "columns": [(c.name, _type_name(c.type), bool(c.nullable) and not c.primary_key) for c in table.columns],
        "primary_key": [c.name for c in table.primary_key.columns],
        "foreign_keys": sorted(
            (
                tuple(fk.column_keys),
                fk.referred_table.name,
                tuple(e.column.name for e in fk.elements),
            )
            for fk in table.foreign_key_constraints
        ),
        "indexes": sorted((ix.name, tuple(c.name for c in ix.columns), bool(ix.unique)) for ix in table.indexes),
    }


def _reflected_schema(inspector: sa.Inspector, table: str) -> dict[str, Any]:
    return {
        "columns": [(c["name"], _type_name(c["type"]), bool(c["nullable"])) for c in inspector.get_columns(table)],
        "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
        "foreign_keys": sorted(
            (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
            for fk in inspector.get_foreign_keys(table)
        ),
        "indexes": sorted(
            (ix["name"], tuple(ix["column_names"]), bool(ix["unique"])) for ix in inspector.get_indexes(table)
        ),
    }


@pytest.fixture
def demo_engine(sqlite_demo: str):
    engine = sa.create_engine(sqlite_demo)
    try:
        yield engine
    finally:
        engine.dispose()


def test_sample_sql_creates_exactly_the_demo_tables(demo_engine: sa.Engine) -> None:
    inspector = sa.inspect(demo_engine)
    assert sorted(inspector.get_table_names()) == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_sample_sql_table_matches_the_model(demo_engine: sa.Engine, table: str) -> None:
    model = _model_schema(SQLModel.metadata.tables[table])
    reflected = _reflected_schema(sa.inspect(demo_engine), table)
    assert reflected["columns"] == model["columns"]
    assert reflected["primary_key"] == model["primary_key"]
    assert reflected["foreign_keys"] == model["foreign_keys"]
    assert reflected["indexes"] == model["indexes"]


def test_model_schema_has_what_the_demo_needs() -> None:
    # A guard on the comparison above: it compares something, not two empty lists.
    hero = _model_schema(SQLModel.metadata.tables["hero"])
    assert ("name", "VARCHAR(50)", False) in hero["columns"]
    assert hero["foreign_keys"] == [(("team_id",), "team", ("id",))]
    assert ("ix_hero_age", ("age",), False) in hero["indexes"]
    link = _model_schema(SQLModel.metadata.tables["heroteamlink"])
    assert link["primary_key"] == ["team_id", "hero_id"]
    assert ("ix_heroteamlink_hero_id", ("hero_id",), False) in link["indexes"]


def _all(engine: sa.Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def test_sample_data(demo_engine: sa.Engine) -> None:
    teams = _all(demo_engine, "SELECT id, name, headquarters FROM team")
    heroes = _all(demo_engine, "SELECT id, name, secret_name, age, team_id FROM hero")
    links = _all(demo_engine, "SELECT team_id, hero_id, role FROM heroteamlink")
    assert len(teams) >= 4
    assert len(heroes) == 15
    assert any(h[4] is None for h in heroes), "some heroes without a team"
    assert any(h[3] is None for h in heroes), "some heroes without an age"
    assert len(links) == 20
    assert {role for _, _, role in links} == {"member", "lead", "reserve"}
    assert len({h[1] for h in heroes}) == 15  # names are unique, so searches and labels are unambiguous


def test_sample_data_satisfies_the_models(demo_engine: sa.Engine) -> None:
    for _, name, headquarters in _all(demo_engine, "SELECT id, name, headquarters FROM team"):
        TeamCreate.model_validate({"name": name, "headquarters": headquarters})
    for _, name, secret_name, age, team_id in _all(demo_engine, "SELECT id, name, secret_name, age, team_id FROM hero"):
        HeroCreate.model_validate({"name": name, "secret_name": secret_name, "age": age, "team_id": team_id})
    assert _all(demo_engine, "PRAGMA foreign_key_check") == []
    assert _all(demo_engine, "SELECT role FROM heroteamlink WHERE length(role) > 30") == []


def test_install_loads_the_same_rows_as_the_sqlite_demo(
    demo_url: str, db_urls: tuple[str, str], sqlite_demo: str
) -> None:
    built = sa.create_engine(sqlite_demo)
    installed = sa.create_engine(db_urls[0])
    try:
        for sql in (
            "SELECT id, name, headquarters FROM team ORDER BY id",
            "SELECT id, name, secret_name, age, team_id FROM hero ORDER BY id",
            "SELECT team_id, hero_id, role FROM heroteamlink ORDER BY team_id, hero_id",
        ):
            assert _all(installed, sql) == _all(built, sql)
    finally:
        built.dispose()
        installed.dispose()


def test_build_is_kept_unless_reset(tmp_path) -> None:
    path = demo.build(tmp_path / "d.db")
    engine = sa.create_engine(demo.url(path))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM heroteamlink")
        demo.build(path)
        assert _all(engine, "SELECT count(*) FROM heroteamlink") == [(0,)]
        engine.dispose()
        demo.build(path, reset=True)
        assert _all(engine, "SELECT count(*) FROM heroteamlink") == [(20,)]
    finally:
        engine.dispose()
    assert not path.with_suffix(".building").exists()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)


def test_demo_mappers_configure_without_sawarning() -> None:
    result = _run(
        """
        import warnings
        import sqlalchemy as sa
        warnings.simplefilter("error", sa.exc.SAWarning)
        from sqlalchemy.orm import configure_mappers
        from tui_admin.demo import models
        configure_mappers()
        print(sorted(m.class_.__name__ for m in models.SQLModel._sa_registry.mappers))
        """
    )
    assert result.returncode == 0, result.stderr
    assert "SAWarning" not in result.stderr
    assert result.stdout.strip() == "['Hero', 'HeroTeamLink', 'Team']"
