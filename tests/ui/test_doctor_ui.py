"""The Doctor in the app (command palette → "Doctor"): the doctor's findings grouped by severity,
`enter` shows a finding's fix, `c` copies it and says so; names from the database are plain text.
SQLite files made here: the doctor's rules and their drift are tested per backend in tests/doctor."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.doctor import bad_models
from tests.ui.helpers import SIZE, TITLE, press, settle, static_text, table_rows
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.doctor import DoctorScreen


def bad_database(tmp_path: Path) -> str:
    """The bad models' tables, created as the models declare them: what is left is the models' own
    mistakes (an unindexed foreign key, a backref, echo=True…), not drift."""
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    engine = sa.create_engine(url)
    bad_models.REGISTRY.metadata.create_all(engine)
    engine.dispose()
    return url


async def open_doctor(pilot: Pilot[Any]) -> DoctorScreen:
    """The Doctor, through the command palette, once its findings are shown."""
    app = pilot.app
    await settle(pilot, lambda: getattr(app, "store", None) is not None, "the database open")
    await pilot.press("ctrl+p")
    await pilot.press(*"doctor")
    await pilot.pause(0.3)  # the palette's own search is debounced
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(app.screen, DoctorScreen)
                 and not static_text(app.screen.query_one("#doctor-title", Static)).endswith("…"), "the findings")
    assert isinstance(app.screen, DoctorScreen)
    return app.screen


def findings_table(screen: DoctorScreen) -> DataTable[Any]:
    return screen.query_one("#doctor-findings", DataTable)


async def test_palette_doctor_lists_the_findings_grouped_by_severity(tmp_path: Path) -> None:
    app = AdminApp(bad_database(tmp_path), Registry.from_module(bad_models), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doctor(pilot)
        rows = table_rows(findings_table(screen))
        headings = [r[0] for r in rows if not r[1]]
        assert headings == ["error (1)", "warning (8)", "note (1)"]
        severities = [r[0].strip() for r in rows if r[1]]
        assert severities == sorted(severities, key=["error", "warning", "note"].index)  # each under its heading
        by_id = {r[1]: r for r in rows if r[1]}
        assert by_id["M001"][2] == "Pet.owner_id" and "index" in by_id["M001"][3]
        assert by_id["M003"][2] == "Pet.owner" and "backref" in by_id["M003"][3]
        assert {"M009", "M010"} <= set(by_id)  # the module's engine: echo=True, no pool_pre_ping
        title = static_text(screen.query_one("#doctor-title", Static))
        assert title == "Doctor · 1 error, 8 warnings, 1 note"
        assert by_id["M006"][0].strip() == "error" and "PetCreate" in by_id["M006"][3]
        # every cell is Text built from plain text (never read as markup)
        table = findings_table(screen)
        assert all(isinstance(cell, Text) for i in range(table.row_count) for cell in table.get_row_at(i)
                   if cell != "")


async def test_enter_shows_the_fix_and_c_copies_it(tmp_path: Path) -> None:
    app = AdminApp(bad_database(tmp_path), Registry.from_module(bad_models), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doctor(pilot)
        table = findings_table(screen)
        rows = table_rows(table)
        assert rows[table.cursor_row][1] == "M006"  # the first finding, under the first heading
        row = next(i for i, r in enumerate(rows) if r[1] == "M001")
        await press(pilot, "down", until=lambda: table.cursor_row == row)  # over the "warning" heading
        await press(pilot, "up", until=lambda: table.cursor_row == row - 2)  # and back over it
        await press(pilot, "down", until=lambda: table.cursor_row == row)
        fix_pane = screen.query_one("#doctor-fix", Static)
        assert "CREATE INDEX" not in static_text(fix_pane)
        await press(pilot, "enter", until=lambda: "CREATE INDEX" in static_text(fix_pane), what="the fix")
        finding = screen.highlighted()
        assert finding is not None and finding.id == "M001"
        shown = static_text(fix_pane)
        assert shown.startswith("M001 Pet.owner_id: ") and finding.fix in shown
        assert "ON doc_pet (owner_id)" in finding.fix

        await press(pilot, "c", until=lambda: app.clipboard == finding.fix, what="the fix copied")
        messages = [n.message for n in app._notifications]
        assert "Copied the fix of M001 (Pet.owner_id) to the clipboard" in messages

        await press(pilot, "escape", until=lambda: not isinstance(app.screen, DoctorScreen), what="back")


async def test_the_demo_is_clean_in_the_doctor(make_app: Any, sqlite_demo: str) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doctor(pilot)
        assert findings_table(screen).row_count == 0
        assert static_text(screen.query_one("#doctor-title", Static)) == (
            "Doctor · no findings: every rule checked holds")
        await press(pilot, "c")
        assert app.clipboard == ""
        assert "No finding under the cursor: nothing copied" in [n.message for n in app._notifications]


async def test_names_with_markup_are_shown_as_text(tmp_path: Path) -> None:
    """A reflected database (no models: only the index rules and the database's own) whose table
    names are Rich markup: the finding, its fix and the copy show them literally."""
    path = tmp_path / "markup.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            'CREATE TABLE "t[/]a" (id INTEGER PRIMARY KEY);'
            'CREATE TABLE "b[bold]" (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES "t[/]a"(id));'
        )
    app = AdminApp(f"sqlite:///{path}", title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doctor(pilot)
        rows = table_rows(findings_table(screen))
        unindexed = next(r for r in rows if r[1] == "M001")
        assert unindexed[2] == "b[bold].a_id"
        table = findings_table(screen)
        for _ in range(table.row_count):
            if table_rows(table)[table.cursor_row][1] == "M001":
                break
            await press(pilot, "down")
        await press(pilot, "enter")
        assert '"b[bold]"' in static_text(screen.query_one("#doctor-fix", Static))
        await press(pilot, "c")
        assert '"b[bold]"' in app.clipboard


async def test_a_database_that_cannot_be_read_is_said_in_the_title(tmp_path: Path) -> None:
    url = bad_database(tmp_path)
    app = AdminApp(url, Registry.from_module(bad_models), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.store is not None, "the database open")
        (tmp_path / "bad.db").write_bytes(b"not a database " * 512)  # another program broke the file
        await pilot.press("ctrl+p")
        await pilot.press(*"doctor")
        await pilot.pause(0.3)
        await pilot.press("enter")
        title = lambda: static_text(app.screen.query_one("#doctor-title", Static))  # noqa: E731
        await settle(pilot, lambda: isinstance(app.screen, DoctorScreen) and not title().endswith("…"), "the check")
        assert title().startswith("Doctor · could not check: ")
        assert findings_table(app.screen).row_count == 0
