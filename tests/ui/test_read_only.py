"""`read_only=True`: no way to create, edit or delete from the keyboard, and no such key shown."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.widgets import DataTable

from tests.ui.helpers import (
    SIZE,
    cursor_values,
    detail_ready,
    dump,
    footer_actions,
    open_model,
    press,
    screen_text,
    start,
)
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.list import ListScreen

WRITES = {"new", "edit", "delete"}


def file_digest(url: str) -> str | None:
    """The SQLite file's checksum (a server database has no file to compare: the dump does)."""
    if not url.startswith("sqlite"):
        return None
    return hashlib.sha256(Path(url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


async def test_writable_list_offers_new_edit_delete(demo_app: AdminApp) -> None:
    """The contrast case, so that the read-only test below cannot pass for a wrong reason."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Hero")
        screen = demo_app.screen
        assert all(screen.check_action(action, ()) for action in WRITES)
        assert footer_actions(screen) >= WRITES


async def test_read_only_list_and_detail_refuse_writes(make_app, demo_db: str) -> None:  # type: ignore[no-untyped-def]
    before, digest = dump(demo_db), file_digest(demo_db)
    app: AdminApp = make_app(demo_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.sub_title == "demo (read-only)"
        table = await open_model(pilot, "Hero")
        screen = app.screen
        assert isinstance(screen, ListScreen)
        for action in WRITES:
            assert not screen.check_action(action, ()), f"{action} should be disabled"
        shown = footer_actions(screen)
        assert not shown & WRITES, f"the footer offers {shown & WRITES}"
        assert {"search", "sort", "refresh"} <= shown
        assert not {b.binding.action for b in screen.active_bindings.values()} & WRITES

        for key in ("n", "e", "d"):
            await press(pilot, key)
            assert app.screen is screen, f"{key} must do nothing in a read-only list"
        assert cursor_values(table)[1] == "Deadpond"

        # the detail: e and d do nothing either
        await press(pilot, "enter", until=lambda: detail_ready(app), what="the detail")
        detail = app.screen
        assert not footer_actions(detail) & WRITES
        for key in ("e", "d"):
            await press(pilot, key)
            assert app.screen is detail, f"{key} must do nothing in a read-only detail"
    assert dump(demo_db) == before
    assert file_digest(demo_db) == digest


async def test_read_only_detail_opens_no_links_editor_on_a_many_to_many(make_app, demo_db: str) -> None:  # type: ignore[no-untyped-def]
    """`l` on Preventers' members (a many-to-many with a `role`) opens nothing; the keys of the links
    editor (remove, edit a link, save) then do nothing either, and nothing is written."""
    before, digest = dump(demo_db), file_digest(demo_db)
    app: AdminApp = make_app(demo_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "Team")
        await press(pilot, "enter", until=lambda: detail_ready(app), what="Preventers' detail")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        fields = detail.query_one("#fields", DataTable)
        row = fields.get_row_index("rel:members")
        await press(pilot, *["down"] * (row - fields.cursor_row), until=lambda: fields.cursor_row == row)
        assert "members" in screen_text(app)  # the many-to-many is shown, but not its `l` key
        assert "l: edit links" not in screen_text(app)
        assert not detail.check_action("links", ())
        assert "links" not in footer_actions(detail)
        for key in ("l", "x", "delete", "e", "ctrl+s"):
            await press(pilot, key)
            assert app.screen is detail, f"{key} must open nothing in a read-only detail"
    assert dump(demo_db) == before
    assert file_digest(demo_db) == digest


async def test_read_only_says_so_when_a_write_key_is_pressed(make_app, demo_db: str) -> None:  # type: ignore[no-untyped-def]
    """`n`, `e`, `d`, `l` do nothing in a read-only session, but say why (one notification, not one
    per press), and every screen's title says READ-ONLY."""
    app: AdminApp = make_app(demo_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert "READ-ONLY" in screen_text(app).splitlines()[0]
        await open_model(pilot, "Hero")
        list_screen = app.screen

        def told() -> list[str]:
            return [n.message for n in app._notifications if n.title == "read-only"]

        assert told() == []
        await press(pilot, "n", until=lambda: len(told()) == 1, what="a read-only notification")
        assert app.screen is list_screen
        assert told() == ["read-only session: n does nothing"]
        await press(pilot, "e", "d")
        assert len(told()) == 1  # pressed again while it is shown: not stacked
        assert "READ-ONLY" in screen_text(app).splitlines()[0]
        await press(pilot, "enter", until=lambda: detail_ready(app), what="the detail")
        app.clear_notifications()
        await press(pilot, "l", until=lambda: len(told()) == 1, what="a read-only notification on the detail")
        assert told() == ["read-only session: l does nothing"]
        assert isinstance(app.screen, DetailScreen)
        assert "READ-ONLY" in screen_text(app).splitlines()[0]


async def test_writable_session_says_nothing_of_read_only(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert "READ-ONLY" not in screen_text(demo_app)
        await open_model(pilot, "Hero")
        await press(pilot, "n", until=lambda: not isinstance(demo_app.screen, ListScreen), what="the new form")
        assert not [n for n in demo_app._notifications if n.title == "read-only"]
