"""Text from the database, the user or a driver, ready for a widget.

Textual and Rich read a `str` as markup in most places (a `Static`, a DataTable cell, a button or
select label, a notification), so a record labelled `[/]` or a driver message echoing one would
raise `MarkupError`, and `[bold]x[/bold]` would be obeyed. Everything shown is therefore a plain
Rich `Text`, with its control characters made visible (`core.format.visible`).
"""

from __future__ import annotations

from typing import Any

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
