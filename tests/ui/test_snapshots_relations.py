"""SVG snapshots of the relationship screens: a detail with its relations, the links editor with
pending changes, and the foreign-key picker. Taken as in test_snapshots.py: every step waits for
the workers, and no input cursor blinks.

Regenerate with `pytest tests/ui/test_snapshots_relations.py --snapshot-update` and look at the SVGs
(tests/ui/__snapshots__/test_snapshots_relations/) before committing them."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.ui.helpers import clear_input, open_model, press, start
from tests.ui.test_relations_ui import edit_role, open_hero, open_links, open_team_picker, search_and_add, shows_detail
from tests.ui.test_snapshots import SnapCompare, snap
from tui_admin.ui.app import AdminApp


def steady_cursors(pilot: Pilot[Any]) -> None:
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def test_team_detail_with_relations(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    """Preventers: its fields, its 4 heroes (one-to-many) and 5 members with their roles."""

    async def steps(pilot: Pilot[Any]) -> None:
        await start(pilot)
        await open_model(pilot, "Team")
        await press(pilot, "enter", until=lambda: shows_detail(pilot.app, "Team · Preventers"), what="Preventers")

    assert snap(snap_compare, snapshot_app, steps)


def test_links_with_pending_changes(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    """Deadpond's teams: Z-Force changed to member (~), Avengers of the Sea removed (−), Preventers
    added (+); the search cleared again, so the candidates left show on the right."""

    async def steps(pilot: Pilot[Any]) -> None:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        steady_cursors(pilot)
        await edit_role(pilot, "member")
        await press(pilot, "down", "x")
        await search_and_add(pilot, screen, "Prev", "Preventers")
        box = screen.query_one("#candidate-search", Input)
        await press(pilot, "slash", until=lambda: screen.focused is box)
        await clear_input(pilot, box)
        candidates = screen.query_one("#candidates", DataTable)
        await press(pilot, "enter", until=lambda: candidates.row_count == 2, what="Night Watch and Wakaland")
        steady_cursors(pilot)

    assert snap(snap_compare, snapshot_app, steps)


def test_fk_picker_in_the_hero_form(snap_compare: SnapCompare, snapshot_app: AdminApp) -> None:
    """Deadpond's form, enter on team_id: the picker, current value Z-Force."""

    async def steps(pilot: Pilot[Any]) -> None:
        await open_team_picker(pilot)
        steady_cursors(pilot)
        await press(pilot)

    assert snap(snap_compare, snapshot_app, steps)
