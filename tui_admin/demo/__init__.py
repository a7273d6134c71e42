"""The embedded demo: a SQLite file built from `sample.db.sql` in the user's data directory.

It is built on first use and kept, so that edits made in the demo persist between runs;
`build(reset=True)` (the CLI's `--reset-demo`) starts it afresh.
"""

from __future__ import annotations

import sqlite3
from importlib.resources import files
from pathlib import Path

import platformdirs

MODELS_MODULE = "tui_admin.demo.models"


def sample_sql() -> str:
    return files(__package__).joinpath("sample.db.sql").read_text(encoding="utf-8")


#: The demo's models, parents first: the order its rows are loaded in.
TABLE_MODELS = ("Team", "Hero", "HeroTeamLink")


def sample_inserts() -> list[str]:
    """The INSERT statements of `sample.db.sql`: plain SQL with explicit keys, which every
    supported database accepts."""
    return [s.strip() for s in sample_sql().split(";\n") if s.strip().startswith("INSERT")]


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("sqladmin-tui", appauthor=False)) / "demo.db"


def build(path: Path | None = None, *, reset: bool = False) -> Path:
    """The demo database file, created from `sample.db.sql` if missing (or if `reset`). It is
    written beside its final name and renamed, so an interrupted build never leaves half a file."""
    path = path or default_path()
    if path.exists() and not reset:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as conn:
        conn.executescript(sample_sql())
    conn.close()
    partial.replace(path)
    return path


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def install(url: str) -> None:
    """Create the demo tables on any database (from the models) and load the sample rows (the
    INSERT statements of `sample.db.sql`, which are plain SQL). Existing demo tables are replaced.
    PostgreSQL sequences are moved past the inserted ids, so the next insert gets a fresh one."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    from tui_admin.core.creation import load_rows
    from tui_admin.demo import models

    engine = sa.create_engine(url)
    tables = [models.Team.__table__, models.Hero.__table__, models.HeroTeamLink.__table__]
    try:
        SQLModel.metadata.drop_all(engine, tables=tables)
        SQLModel.metadata.create_all(engine, tables=tables)
        with engine.begin() as conn:
            load_rows(conn, tables, sample_inserts())  # type: ignore[arg-type]
    finally:
        engine.dispose()
