"""SVG snapshots of the main screens at the smallest usual terminal (80×24) and at the size the
other UI tests use (120×36): the Hero list, Deadpond's detail with its teams and their roles (a
detail with link columns), Deadpond's edit form (a foreign-key field) and his links editor. At
80×24 the key bar keeps help, quit and save, texts shorten after whole words, and the roles stay
in view. Taken as in test_snapshots.py: every step waits for the workers, no cursor blinks.

Regenerate with `pytest tests/ui/test_snapshots_sizes.py --snapshot-update` and look at the SVGs
(tests/ui/__snapshots__/test_snapshots_sizes/) before committing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import form_ready, open_model, press, start
from tests.ui.test_relations_ui import open_hero, open_links
from tests.ui.test_snapshots import SnapCompare
from tests.ui.test_snapshots_relations import steady_cursors
from tui_admin.ui.app import AdminApp

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


async def hero_list(pilot: Pilot[Any]) -> None:
    await start(pilot)
    await open_model(pilot, "Hero")


async def detail_with_links(pilot: Pilot[Any]) -> None:
    await open_hero(pilot, "Deadpond")


async def edit_form(pilot: Pilot[Any]) -> None:
    await open_hero(pilot, "Deadpond")
    await press(pilot, "e", until=lambda: form_ready(pilot.app), what="the edit form")
    steady_cursors(pilot)
    await press(pilot)


async def links(pilot: Pilot[Any]) -> None:
    await open_hero(pilot, "Deadpond")
    await open_links(pilot, "teams")
    steady_cursors(pilot)
    await press(pilot)


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "list": hero_list, "detail_with_links": detail_with_links, "form": edit_form, "links": links,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_at_size(snap_compare: SnapCompare, snapshot_app: AdminApp, screen: str, size: str) -> None:
    assert snap_compare(snapshot_app, run_before=SCREENS[screen], terminal_size=SIZES[size])
