"""The Doctor and the query log's plans in the real `sqladmin-tui`, in tmux, as a new user tries
them: a models module with an unindexed foreign key and a `backref` reports both in the Doctor,
with the index DDL; `x` in the query log shows a statement's plan."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

from tests.e2e.test_tmux import tmux_runner  # noqa: F401  (the fixture)

PETSHOP = """
from sqlmodel import Field, Relationship, SQLModel


class Owner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)


class Pet(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    owner_id: int = Field(foreign_key="owner.id")
    owner: Owner = Relationship(sa_relationship_kwargs={"backref": "pets"})
"""


def test_doctor_reports_the_unindexed_key_and_the_backref_then_x_shows_a_plan(
    tmux_runner, tmp_path: Path  # noqa: F811
) -> None:
    (tmp_path / "petshop.py").write_text(textwrap.dedent(PETSHOP))
    db = tmp_path / "pets.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "CREATE TABLE owner (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);"
            "CREATE TABLE pet (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
            " owner_id INTEGER NOT NULL REFERENCES owner (id));"
            "INSERT INTO owner (name) VALUES ('Ann'); INSERT INTO pet (name, owner_id) VALUES ('Rex', 1);"
        )
    tui = tmux_runner(f"sqlite:///{db}", "--models", "petshop")
    tui.wait_for("Owner", "Pet")

    tui.keys("C-p")
    tui.type("doctor")
    tui.wait_for("Doctor")
    tui.keys("Enter")
    screen = tui.wait_for("Doctor · ", "M001", "M003")
    assert "Pet.owner_id" in screen and "Pet.owner " in screen
    tui.keys("Enter")  # the cursor starts on the first finding: the unindexed foreign key
    tui.wait_for("CREATE INDEX ix_pet_owner_id ON pet (owner_id)")
    tui.keys("c")
    tui.wait_for("Copied the fix of M001")

    tui.keys("Escape")
    tui.wait_for("2 models")  # back home (waiting for it, so the next key is not read as alt+enter)
    tui.keys("Enter")  # the Owner list
    tui.wait_for("Ann")
    tui.keys("F12")
    tui.wait_for("Query log", "list Owner")
    tui.keys("Down")  # the newest action is the count; the page is the next one
    tui.keys("Tab", "x")
    screen = tui.wait_for("full scan")  # "plan · 1 full scan" or "plan · no full scan"
    assert "SCAN owner" in screen or "SEARCH owner" in screen, screen
