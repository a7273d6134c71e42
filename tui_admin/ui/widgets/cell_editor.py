"""`CellEditor`: one line laid over a list's row, to edit one cell in place (`F2`/`i`).

It holds a `TextInput` (exact text, control characters escaped) and, beside it, the error of the
last save, so that the error shows in the row and the value stays as typed. `enter` asks the
screen to save (`Save`), `escape` to cancel (`Cancel`); the screen validates and writes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from tui_admin.ui.text import plain
from tui_admin.ui.widgets.text_input import TextInput


class _CellInput(TextInput):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="list.cell.cancel")]

    def action_cancel(self) -> None:
        self.post_message(CellEditor.Cancel())


class CellEditor(Horizontal):
    DEFAULT_CSS = """
    CellEditor { dock: top; layer: cell-edit; height: 1; width: 100%; display: none; background: $panel; }
    CellEditor.editing { display: block; }
    CellEditor > #cell-input { width: 30; height: 1; border: none; padding: 0 1; }
    CellEditor > #cell-error { width: 1fr; height: 1; color: $error; padding: 0 1; }
    """

    class Save(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Cancel(Message):
        pass

    def compose(self) -> ComposeResult:
        yield _CellInput(id="cell-input")
        yield Static("", id="cell-error")

    @property
    def input(self) -> TextInput:
        return self.query_one("#cell-input", TextInput)

    @property
    def editing(self) -> bool:
        return self.has_class("editing")

    def open(self, text: str, x: int, y: int, width: int) -> None:
        """Show over the row at screen line `y`, its input from column `x`, holding `text`."""
        self.styles.offset = (0, y)
        self.input.styles.width = max(width, 12)
        self.input.styles.margin = (0, 0, 0, max(x, 0))
        self.input.set_exact_value(text)
        self.show_error("")
        self.add_class("editing")
        self.input.focus()

    def close(self) -> None:
        self.remove_class("editing")

    def show_error(self, message: str) -> None:
        self.query_one("#cell-error", Static).update(plain(message.replace("\n", " ")))

    @on(Input.Submitted, "#cell-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Save(self.input.exact_value))
