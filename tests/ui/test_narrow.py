"""The app at 80×24, the smallest usual terminal: the key bar keeps help, quit and save and drops
whole keys (least important first), texts are shortened at word boundaries with `…`, and a
detail shows a link's own columns without scrolling sideways."""

from __future__ import annotations

import re

from textual.widgets import Input

from tests.ui.helpers import detail_ready, form_ready, open_model, press, screen_lines, start
from tests.ui.test_relations_ui import open_hero, open_links
from tui_admin.ui.app import AdminApp
from tui_admin.ui.text import shorten
from tui_admin.ui.widgets.key_bar import KeyBar, fit_keys
from tui_admin.ui.widgets.picker import ForeignKeyField

NARROW = (80, 24)


def key_bar_line(app: AdminApp) -> str:
    return screen_lines(app)[-1]


def no_word_cut(line: str) -> bool:
    """Every `…` on the line follows a whole word (a space or the start before the word)."""
    return all(match.start() == 0 or line[match.start() - 1] != " " for match in re.finditer("…", line)) and not (
        re.search(r"\w…\w", line))


def test_fit_keys_drops_from_the_end_but_never_a_kept_key() -> None:
    assert fit_keys([5, 5, 5, 5], [False, False, False, True], 20) == [True] * 4
    assert fit_keys([5, 5, 5, 5], [False, False, False, True], 15) == [True, True, False, True]
    assert fit_keys([5, 5, 5, 5], [False, False, False, True], 6) == [False, False, False, True]


async def test_the_key_bar_at_80_columns_keeps_help_quit_and_save_and_cuts_no_key(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=NARROW) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        bar = demo_app.screen.query_one(KeyBar)
        line = key_bar_line(demo_app)
        assert "^q Quit" in line and "F1/? Help" in line and "^p palette" in line
        assert "…" not in line  # whole keys are dropped, none is cut
        shown = bar.fitting_actions()
        assert shown[:4] == ["select", "new", "edit", "delete"]  # the most important stay
        assert "refresh" not in shown and "refresh" in bar.shown_actions()  # the least important went
        assert shown[-2:] == ["quit", "toggle_help"]

        await press(pilot, "escape")
        await open_hero(pilot, "Deadpond")
        await open_links(pilot, "teams")
        line = key_bar_line(demo_app)
        assert "^s Save" in line and "^q Quit" in line and "F1/? Help" in line and "…" not in line

        await pilot.resize_terminal(160, 24)
        await press(pilot)
        assert demo_app.screen.query_one(KeyBar).fitting_actions() == demo_app.screen.query_one(KeyBar).shown_actions()



def test_shorten_cuts_after_whole_words_and_drops_a_key_hint_first() -> None:
    assert shorten("search Team (name, headquarters) to add", 26) == "search Team (name…"
    assert shorten("Linked Team records  (x: remove · e: edit link)", 40) == "Linked Team records"
    assert shorten("2 team · many-to-many via heroteamlink", 30) == "2 team · many-to-many via…"
    assert shorten("Supercalifragilistic", 8) == "Superca…"  # one word alone: cut, but marked
    assert shorten("fits", 4) == "fits"


async def test_a_detail_at_80_columns_shows_the_link_columns_and_whole_words(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=NARROW) as pilot:
        await open_hero(pilot, "Deadpond")
        lines = screen_lines(demo_app)
        assert any("Z-Force" in line and "role: lead" in line for line in lines)  # no scrolling sideways
        assert any("Avengers of the Sea" in line and "role: reserve" in line for line in lines)
        heading = next(line for line in lines if "▾ teams" in line)
        assert "2 teams · many-to-many via heroteamlink" in heading and "(enter" not in heading
        assert all(no_word_cut(line) for line in lines)

        await pilot.resize_terminal(120, 36)  # wider again: the key hints come back
        await press(pilot)
        heading = next(line for line in screen_lines(demo_app) if "▾ teams" in line)
        assert "(enter: list all · l: edit links)" in heading


async def test_the_form_and_links_at_80_columns_keep_their_texts_on_one_line(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=NARROW) as pilot:
        await open_hero(pilot, "Deadpond")
        await press(pilot, "e", until=lambda: form_ready(demo_app), what="the edit form")
        button = demo_app.screen.query_one(ForeignKeyField)
        lines = screen_lines(demo_app)
        assert any("Z-Force  ▸ enter" in line for line in lines)
        assert not any(line.strip().startswith("change") for line in lines)  # it wrapped there
        assert button.region.height == 3  # its label on one line, between the borders above and below
        await press(pilot, "escape", until=lambda: detail_ready(demo_app))

        links = await open_links(pilot, "teams")
        lines = screen_lines(demo_app)
        assert any(line.startswith(" Linked Team records ") for line in lines)
        assert all(no_word_cut(line) for line in lines)
        box = links.query_one("#candidate-search", Input)
        assert box.full_placeholder == "search Team (name, headquarters) to add"
        assert box.placeholder.endswith("…") and box.full_placeholder.startswith(box.placeholder[:-1])
