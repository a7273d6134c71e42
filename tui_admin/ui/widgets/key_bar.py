"""`KeyBar`: the current screen's keys on the bottom line.

It shows what Textual's `Footer` shows (the screen's active bindings, disabled ones dimmed, the
command palette key on the right) as one line of text. The `Footer` rebuilds one widget per key
each time the focus or a binding changes; opening a screen did that five or six times, some
sixty widgets to style, the largest single part of a screen's first paint (measured with the
benchmark). Here a change re-renders one line.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


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

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self.update(self.keys_text())

    def shown_actions(self) -> list[str]:
        """The actions listed, in order (what a person sees, for tests and scripts)."""
        return [binding.action for binding, _ in self._shown()]

    def _shown(self) -> list[tuple[Any, bool]]:
        seen: set[str] = set()
        shown = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen and binding.key != self.app.COMMAND_PALETTE_BINDING:
                seen.add(binding.action)
                shown.append((binding, enabled))
        return shown

    def keys_text(self) -> Table:
        """The keys on the left; the command palette's key on the right."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        keys = Text(no_wrap=True, overflow="ellipsis")
        for binding, enabled in self._shown():
            keys.append(f" {self.app.get_key_display(binding)} ", key_style if enabled else disabled)
            keys.append(f"{binding.description} ", description_style if enabled else disabled)
        palette = Text()
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Text.assemble((" ^p ", key_style), ("palette ", description_style))
        row = Table.grid(expand=True)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(justify="right", no_wrap=True)
        row.add_row(keys, palette)
        return row
