"""`RecordTable`: a DataTable that holds a window of a list, not the list.

Textual's DataTable measures every cell it holds, so it is given a few hundred rows at a time.
This widget only knows keys: it asks its screen for more rows when the cursor nears an edge of
the window (`NearEdge`) and for the first or last page of the whole list (`Jump`); the screen
fetches them through the Store.
"""

from __future__ import annotations

from typing import Literal

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

#: How close to the window's edge the cursor may come before the next page is fetched; at least
#: two screens, so that a pagedown never lands on the edge before the next rows are there.
PREFETCH_MARGIN = 20


class OpenTable(DataTable[object]):
    """A DataTable whose `enter` is listed in the footer as "Open"."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]


class RecordTable(OpenTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "jump('first')", "First", show=False),
        Binding("G,end", "jump('last')", "Last", show=False),
    ]

    class NearEdge(Message):
        def __init__(self, edge: Literal["top", "bottom"]) -> None:
            super().__init__()
            self.edge = edge

    class Jump(Message):
        def __init__(self, to: Literal["first", "last"]) -> None:
            super().__init__()
            self.to = to

    def action_jump(self, to: Literal["first", "last"]) -> None:
        self.post_message(self.Jump(to))

    def watch_cursor_coordinate(self, old, new) -> None:  # type: ignore[no-untyped-def]
        super().watch_cursor_coordinate(old, new)
        if new.row == old.row or self.row_count == 0:
            return
        margin = max(PREFETCH_MARGIN, 2 * self.scrollable_content_region.height)
        if new.row >= self.row_count - margin and new.row > old.row:
            self.post_message(self.NearEdge("bottom"))
        elif new.row < margin and new.row < old.row:
            self.post_message(self.NearEdge("top"))
