"""The tips each screen adds to the help panel (`f1`), above the keys Textual lists there.

Textual's help panel shows the `HELP` of the focused widget or of its nearest ancestor that has
one; the screen is such an ancestor, so a screen's `HELP` is shown whatever has focus on it. The
text is ours (Markdown), never data."""

from __future__ import annotations

SEARCH = """\
**Search** (`/`) looks in the searchable columns:

- `spi` — anywhere in the value, ignoring case
- `=spider-boy` — the whole value
- `^sp` — the value starts with it
"""

LIST = f"""\
**Records.** `enter` opens the record under the cursor.

{SEARCH}"""

DETAIL = """\
**One record.** `enter` on a relation lists all its records; `l` on a many-to-many edits its
links.
"""

FORM = """\
**Edit.** `tab` moves between fields; `enter` on a key field opens a picker. An empty field is
NULL (or the column's default). `ctrl+s` saves; `escape` cancels.
"""

LINKS = """\
**Links.** Type in the search box to find records; `enter` there, then `enter` on one, adds it.
`x` marks a link for removal, `e` edits its own columns; nothing is written until `ctrl+s`.
"""

PICKER = """\
**Pick a record.** Type to search; `enter` goes to the results with the first match
highlighted; `enter` there picks it. `(none)` sets NULL.
"""
