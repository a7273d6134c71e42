"""Text from the database, the user or a driver, ready for a widget.

Textual and Rich read a `str` as markup in most places (a `Static`, a DataTable cell, a button or
select label, a notification), so a record labelled `[/]` or a driver message echoing one would
raise `MarkupError`, and `[bold]x[/bold]` would be obeyed. Everything shown is therefore a plain
Rich `Text`, with its control characters made visible (`core.format.visible`).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from tui_admin.core.format import visible


def plain(text: object, style: str | Style = "", **options: Any) -> Text:
    """`text` (a str, or anything by its `str()`) as literal Text: no markup, no control characters."""
    return Text(visible(str(text)), style=style, **options)


def plain_lines(text: object, style: str | Style = "", **options: Any) -> Text:
    """A message of several lines (a dialog, a list of errors) as literal Text: like `plain`, but
    its line breaks stay line breaks."""
    return Text(visible(str(text), keep_newlines=True), style=style, **options)


#: What is trimmed from the end of a shortened text before its `…`: a dangling separator.
_TRAILING = " ·,;:-–—(/→"


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole, or cut after its last whole word that fits, then `…`.

    Cropping at the edge (what a widget does) leaves half a word (`search Team (name,`, `r Ref…`);
    a word is only cut when it is the first and alone does not fit. A trailing key hint in the
    house style, `  (x: remove · e: edit link)`, goes whole first (the key bar lists the keys)."""
    if cell_len(text) <= width:
        return text
    hint = text.rfind("  (")
    if hint > 0 and text.endswith(")"):
        return shorten(text[:hint], width)
    if width <= 1:
        return "…"[:max(width, 0)]
    room = width - 1  # the `…`
    head = set_cell_size(text, room)  # at most `room` cells, never half a wide character
    if not text[len(head):len(head) + 1].isspace():
        cut = head.rfind(" ")
        if cut > 0:
            head = head[:cut]
    head = head.rstrip(_TRAILING) or head
    return head + "…"


def shortest_fit(forms: list[str], width: int) -> str:
    """The first of `forms` (longest and fullest first) that fits `width`, else the last one
    shortened (`shorten`): a heading drops its key hints before it loses words."""
    for form in forms:
        if cell_len(form) <= width:
            return form
    return shorten(forms[-1], width)
