"""`OneLine`: a Static of one line whose text, when wider than the widget, is shortened after its
last whole word that fits, with `…` (`ui.text.shorten`).

A screen title or pane title in a plain Static was cropped at the edge on an 80-column terminal
(`Linked Team records  (x: remove · e: edit`). What the widget holds (`visual`, `content`) stays
the whole text, so reading it back gives what was set; only what is drawn is shortened, and it
is redrawn at each width.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from tui_admin.ui.text import shorten


class OneLine(Static):
    DEFAULT_CSS = """
    OneLine {
        height: 1;
        text-wrap: nowrap;
    }
    """

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """New text never changes the size of one full-width line, so no layout pass: Static's
        default asks for one, which repaints the whole screen (a list's title changing three
        times per page cost three full repaints, bench/run.py)."""
        super().update(content, layout=layout)

    def render(self) -> RenderResult:
        visual = self.visual
        width = self.content_size.width
        if not isinstance(visual, Content) or not width or visual.cell_length <= width:
            return visual
        short = shorten(visual.plain, width)
        if short.endswith("…"):
            return visual[:len(short) - 1] + "…"
        return visual[:len(short)]  # a key hint dropped whole
