"""`TextInput`: an Input that never holds a raw control character, yet edits any text exactly.

Textual's Input draws its value through Rich, which drops some control characters (BEL, CR, …)
and passes the others (ESC, C1, DEL, NUL) to the terminal as they are: a value holding
`ESC ] 2 ; … BEL` would retitle the terminal, and the cursor would stand in the wrong place. So a
value holding control characters is edited in its escaped form (`core.format.escape_controls`:
``\\x1b``, ``\\t``, ``\\n``, ``\\r``, and ``\\\\`` for a backslash), said so in the input's border,
and read back exactly (`exact_value`); an unedited field gives back the very value it was given.
A paste holding control characters (a newline too) switches the input to that form, rather than
inserting them raw or, as Input does, keeping only the first line.

Its placeholder is shortened to the input's width at word boundaries (`ui.text.shorten`): Input
crops it at the edge, which on an 80-column terminal left `search Team (name,`.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tui_admin.core.format import escape_controls, has_controls, unescape_controls
from tui_admin.ui.text import shorten

ESCAPED_HINT = r"escaped, \\ = backslash"


class TextInput(Input):
    escaped = False

    def __init__(self, value: str = "", **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.full_placeholder = self.placeholder
        self.set_exact_value(value)

    def on_resize(self, event: events.Resize) -> None:
        self.placeholder = shorten(self.full_placeholder, self.content_size.width)

    @property
    def exact_value(self) -> str:
        """The text the input stands for (what is saved or searched for)."""
        return unescape_controls(self.value) if self.escaped else self.value

    def set_exact_value(self, value: str) -> None:
        self._set_escaped(has_controls(value))
        self.value = escape_controls(value) if self.escaped else value
        self.cursor_position = len(self.value)

    def _set_escaped(self, escaped: bool) -> None:
        self.escaped = escaped
        self.border_subtitle = ESCAPED_HINT if escaped else None

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit comes here (typing, pasting, the clipboard). Typed keys are printable; text
        with control characters is inserted escaped, first escaping what the input holds."""
        if has_controls(text):
            if not self.escaped:
                value = self.value
                start, end = sorted((max(0, start), min(len(value), end)))
                start, end = len(escape_controls(value[:start])), len(escape_controls(value[:end]))
                self._set_escaped(True)
                self.value = escape_controls(value)
            text = escape_controls(text)
        super().replace(text, start, end)

    def _on_paste(self, event: events.Paste) -> None:
        if has_controls(event.text):  # all of it, escaped: Input would keep only its first line
            event.stop()
            event.prevent_default()
            self.replace(event.text, *self.selection)
