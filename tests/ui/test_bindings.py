"""Every key binding has an id, unique across the app, so that users can remap keys with a Textual
keymap (`App.set_keymap`, later from a config file)."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import tui_admin.ui
from tests.ui.helpers import SIZE, footer_actions, form_ready, open_model, press, screen_lines, start
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp, binding_ids
from tui_admin.ui.screens.list import ListScreen


def our_classes() -> list[type[DOMNode]]:
    """The app, every screen and every widget of tui_admin.ui (each module imported)."""
    for module in pkgutil.walk_packages(tui_admin.ui.__path__, "tui_admin.ui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui_admin.") and cls not in found:
            found.append(cls)
    return found


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings the class itself declares (not those it inherits)."""
    declared = cls.__dict__.get("BINDINGS", [])
    assert all(isinstance(b, Binding) for b in declared), f"{cls.__name__}: declare Binding objects"
    return list(declared)


def test_every_binding_has_an_id_unique_across_the_app() -> None:
    classes = our_classes()
    names = {c.__name__ for c in classes}
    assert {"AdminApp", "ListScreen", "DetailScreen", "FormScreen", "LinksScreen", "RecordTable"} <= names
    bindings = [(cls.__name__, b) for cls in classes for b in own_bindings(cls)]
    assert len(bindings) > 30
    missing = [f"{name}: {b.key} → {b.action}" for name, b in bindings if not b.id]
    assert missing == []
    counts = Counter(b.id for _, b in bindings)
    assert [i for i, n in counts.items() if n > 1] == []
    # an id names its place: "list.new", "records.page_down", "app.quit"
    assert all(b.id is not None and "." in b.id for _, b in bindings)


async def test_a_keymap_remaps_a_screen_binding(demo_app: AdminApp) -> None:
    demo_app.set_keymap({"list.new": "a", "records.down": "x"})
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        screen = demo_app.screen
        assert isinstance(screen, ListScreen)
        # the key bar lists the new key for the action
        assert "new" in footer_actions(screen)
        assert " a New " in screen_lines(demo_app)[-1] and " n New " not in screen_lines(demo_app)[-1]
        await press(pilot, "x", until=lambda: table.cursor_row == 1, what="the cursor one row down")
        await press(pilot, "n")
        assert demo_app.screen is screen, "n is no longer bound to new"
        await press(pilot, "a", until=lambda: form_ready(demo_app), what="the create form, by the new key")


async def test_the_config_files_theme_and_keys_reach_the_app(sqlite_demo: str, demo_registry: Registry) -> None:
    assert {"app.quit", "list.new", "records.down"} <= binding_ids()
    app = AdminApp(sqlite_demo, demo_registry, theme="gruvbox", keymap={"list.new": "a"})
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.theme == "gruvbox"
        await open_model(pilot, "Hero")
        assert " a New " in screen_lines(app)[-1]
        await press(pilot, "a", until=lambda: form_ready(app), what="the create form, by the remapped key")


def test_an_unknown_theme_or_binding_id_is_refused() -> None:
    with pytest.raises(ValueError, match="no theme 'nosuch'"):
        AdminApp("sqlite://", theme="nosuch")
    with pytest.raises(ValueError, match=r"keys: no key binding has the id 'list\.nwe' — did you mean 'list\.new'"):
        AdminApp("sqlite://", keymap={"list.nwe": "a"})
