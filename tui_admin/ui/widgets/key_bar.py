"""`KeyBar`: the current screen's keys on the bottom line.

It shows what Textual's `Footer` shows (the screen's active bindings, disabled ones dimmed, the
command palette key on the right) as one line of text. The `Footer` rebuilds one widget per key
each time the focus or a binding changes; opening a screen did that five or six times, some
sixty widgets to style, the largest single part of a screen's first paint (measured with the
benchmark). Here a change re-renders one line.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Static

#: Actions that stay on the bar however narrow it is: how to learn the rest, how to leave, and
#: (on a form or the links editor) how to keep what was typed.
KEEP = frozenset({"quit", "toggle_help", "save"})


def fit_keys(widths: list[int], kept: list[bool], room: int) -> list[bool]:
    """Which keys to show, given each one's width, whether it must stay, and the room there is:
    keys are dropped from the end (the least important), never one in `kept`."""
    shown = [True] * len(widths)
    total = sum(widths)
    for i in reversed(range(len(widths))):
        if total <= room:
            break
        if not kept[i]:
            shown[i] = False
            total -= widths[i]
    return shown


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--disabled {
        color: $text-disabled;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, event: events.Resize) -> None:
        self.update(self.keys_text(), layout=False)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # One docked line: new keys never change its size, and the layout pass Static asks for by
        # default repainted the whole screen at each focus change (bench/run.py: a prefix search's
        # enter, 67 ms → 26 ms key to screen).
        if self.is_attached and screen is self.screen:
            self.update(self.keys_text(), layout=False)

    def shown_actions(self) -> list[str]:
        """The actions listed, in order (every active one, whether or not it fits the width)."""
        return [binding.action for binding, _ in self._shown()]

    def fitting_actions(self) -> list[str]:
        """The actions drawn at the bar's current width (what a person sees)."""
        return [binding.action for binding, _, _ in self._labelled() if binding is not None]

    def _shown(self) -> list[tuple[Any, bool]]:
        seen: set[str] = set()
        shown = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen and binding.key != self.app.COMMAND_PALETTE_BINDING:
                seen.add(binding.action)
                shown.append((binding, enabled))
        return shown

    def _labelled(self) -> list[tuple[Any, bool, tuple[str, str]]]:
        """The keys that fit the bar's width, each as (binding, enabled, (key, description))."""
        items = [(b, on, (f" {self.app.get_key_display(b)} ", f"{b.description} ")) for b, on in self._shown()]
        width = self.size.width
        if not width:  # not laid out yet: everything, as before the first resize
            return items
        room = width - cell_len(self._palette_label())
        widths = [cell_len(key + description) for _, _, (key, description) in items]
        shown = fit_keys(widths, [b.action in KEEP for b, _, _ in items], room)
        return [item for item, show in zip(items, shown, strict=True) if show]

    def _palette_label(self) -> str:
        return " ^p palette " if self.app.ENABLE_COMMAND_PALETTE else ""

    def keys_text(self) -> Table:
        """The keys on the left (those that fit); the command palette's key on the right."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        keys = Text(no_wrap=True, overflow="ellipsis")
        for _binding, enabled, (key, description) in self._labelled():
            keys.append(key, key_style if enabled else disabled)
            keys.append(description, description_style if enabled else disabled)
        palette = Text()
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Text.assemble((" ^p ", key_style), ("palette ", description_style))
        row = Table.grid(expand=True)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(justify="right", no_wrap=True)
        row.add_row(keys, palette)
        return row
