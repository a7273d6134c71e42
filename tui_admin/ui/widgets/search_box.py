"""`SearchBox`: an Input that asks for a search when typing pauses, and at once on enter.

Each keystroke restarts the wait, so a fast typist sends one query, not one per letter; the
screen's worker for the search is exclusive, so a query still running is cancelled (and its
statement stopped by the Store) when the next one starts. Text holding control characters is
shown escaped and searched for exactly (see `TextInput`).
"""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from tui_admin.ui.widgets.text_input import TextInput


class SearchBox(TextInput):
    DEBOUNCE = 0.25  # seconds of quiet before a search is asked for

    class Search(Message):
        def __init__(self, box: SearchBox, text: str, submitted: bool) -> None:
            super().__init__()
            self.box = box
            self.text = text
            self.submitted = submitted  # enter was pressed: the user wants the results now

        @property
        def control(self) -> SearchBox:
            return self.box

    _timer: Timer | None = None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        text = self.exact_value
        self._timer = self.set_timer(self.DEBOUNCE, lambda: self.post_message(self.Search(self, text, False)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.post_message(self.Search(self, self.exact_value, True))
