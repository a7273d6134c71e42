"""`ctrl+e` exports the list's view (search, filters, sort) or its marked rows through
core/export.py: a proposed file name that follows the format, a question before replacing a
file, a progress line (rows, rows/s, time left), and `escape` stops it leaving no file."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from tests.ui.helpers import SIZE, list_total, open_model, press, query_db, start, static_text
from tests.ui.test_marks import HEROES, many_heroes  # noqa: F401  (fixture)
from tui_admin.core.query import Filter
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.export import ExportScreen, progress_text
from tui_admin.ui.screens.list import ListScreen


async def test_the_filtered_sorted_view_to_json_lines(
    demo_app: AdminApp, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    expected = query_db(demo_db, "SELECT id, name, secret_name, age, team_id FROM hero "
                                 "WHERE age BETWEEN 30 AND 60 ORDER BY age DESC, id DESC")
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        assert isinstance(screen, ListScreen)
        screen.add_filter(Filter("age", "range", (30, 60)))
        await press(pilot, until=lambda: list_total(screen) == len(expected))
        await press(pilot, "right", "right", "right", "s", "s", until=lambda: "age ↓" in static_text(
            screen.query_one("#list-title", Static)))
        assert table.cursor_column == 3
        await press(pilot, "ctrl+e", until=lambda: isinstance(demo_app.screen, ExportScreen))
        dialog = demo_app.screen
        assert f"Export the {len(expected)} Hero rows of this list (age 30–60)" in static_text(
            dialog.query_one(".screen-title", Static))
        path_box = dialog.query_one("#export-path", Input)
        assert path_box.value.startswith("hero-") and path_box.value.endswith(".csv")
        dialog.query_one("#export-format", Select).value = "jsonl"
        await press(pilot, until=lambda: path_box.value.endswith(".jsonl"), what="the name follows the format")
        name = path_box.value
        await press(pilot, "enter", until=lambda: demo_app.screen is screen, what="the export done")
        assert any(f"Exported {len(expected)} Hero rows to {name}" in n.message for n in demo_app._notifications)
    lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"id": i, "name": n, "secret_name": s, "age": a, "team_id": t} for i, n, s, a, t in expected]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")], "no partial file left"


async def test_marked_rows_to_csv_and_asked_before_replacing(
    demo_app: AdminApp, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        screen = demo_app.screen
        await press(pilot, "down", "space", "down", "space", "space")  # heroes 2, 4 and 5
        assert "3 marked" in static_text(screen.query_one("#list-title", Static))
        (tmp_path / "out.csv").write_text("keep me\n", encoding="utf-8")

        async def export_to(name: str) -> ExportScreen:
            await press(pilot, "ctrl+e", until=lambda: isinstance(demo_app.screen, ExportScreen))
            dialog = demo_app.screen
            assert isinstance(dialog, ExportScreen)
            assert "Export the 3 marked Hero rows" in static_text(dialog.query_one(".screen-title", Static))
            box = dialog.query_one("#export-path", Input)
            box.value = name
            await press(pilot, "enter", until=lambda: isinstance(demo_app.screen, ConfirmScreen))
            assert "out.csv exists. Replace it?" in static_text(demo_app.screen.query_one(Static))
            return dialog

        dialog = await export_to("out.csv")
        await press(pilot, "escape", until=lambda: demo_app.screen is dialog)  # no: kept
        assert "Not replaced" in static_text(dialog.query_one("#export-status", Static))
        assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "keep me\n"
        await press(pilot, "escape", until=lambda: demo_app.screen is screen)

        await export_to("out.csv")
        await press(pilot, "y", until=lambda: demo_app.screen is screen, what="replaced and exported")
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    expected = query_db(demo_db, "SELECT id, name, secret_name, age, team_id FROM hero "
                                 "WHERE id IN (2, 4, 5) ORDER BY id")
    assert rows == [["id", "name", "secret_name", "age", "team_id"]] + [
        ["" if v is None else str(v) for v in row] for row in expected]


async def test_escape_stops_an_export_and_leaves_no_file(
    make_app: Any, many_heroes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    monkeypatch.setattr(ExportScreen, "page_rows", 5)  # 200 pages: time to stop it between two
    app: AdminApp = make_app(many_heroes)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        assert app.store is not None
        read_page = app.store.values_page

        async def slowly(*args: Any, **kwargs: Any) -> Any:  # the real read, paced so escape lands mid-way
            await asyncio.sleep(0.02)
            return await read_page(*args, **kwargs)

        app.store.values_page = slowly  # type: ignore[method-assign]
        screen = app.screen
        await press(pilot, "ctrl+e", until=lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        await pilot.press("enter")
        for _ in range(500):
            await pilot.pause(0.01)
            if dialog.progress.rows > 0:
                break
        assert 0 < dialog.progress.rows < HEROES
        status = static_text(dialog.query_one("#export-status", Static))
        assert " rows · " in status and "rows/s" in status
        await press(pilot, "escape", until=lambda: "Export stopped: no file written" in static_text(
            dialog.query_one("#export-status", Static)), what="the export stopped")
        assert list(out.iterdir()) == [], "neither the file nor its partial file"
        await press(pilot, "escape", until=lambda: app.screen is screen)


def test_progress_text_shows_rows_rate_and_time_left() -> None:
    from tui_admin.core.export import Progress

    p = Progress(rows=1200, total=None, started=0.0)
    assert progress_text(p).startswith("1,200 rows · ") and "left" not in progress_text(p)
    import time

    p = Progress(rows=1000, total=3000, started=time.monotonic() - 2.0)
    text = progress_text(p)
    assert text.startswith("1,000 of 3,000 rows · ") and "rows/s" in text and text.endswith(" s left")
    assert 3.5 < (p.eta or 0) < 4.5
