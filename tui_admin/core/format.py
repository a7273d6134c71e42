"""Stored values as text, the same in lists, details and pickers, and text that is safe to show.

A value read from a database we did not write may hold anything: a terminal escape sequence, a
carriage return that would overwrite the row, a tab that would shift it. Nothing of it may reach
the terminal as a control character, so every text shown goes through `visible`, and a form edits
such a value through `escape_controls` / `unescape_controls`, which keep it exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tui_admin.core.introspect import ColumnInfo

#: The mark of a cell whose stored value its column's type cannot read: shown with the stored text.
UNREADABLE = "⚠"

V = TypeVar("V")

#: Shown instead of a value nested too deeply for Python's encoder (its recursion limit).
TOO_DEEP = "⚠ nested too deeply to show"


def _is_control(code: int) -> bool:
    """C0 (U+0000-U+001F), DEL, C1 (U+0080-U+009F): Unicode category Cc. Lone surrogates count too:
    they cannot be written to a UTF-8 terminal at all."""
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def _picture(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (U+2400-U+241F): ␛ for ESC, ␇ BEL, ␍ CR, ␉ TAB, ␊ LF
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"  # C1 has no control pictures: \x85 (NEL), \x9b (CSI), …
    return f"\\u{code:04x}"  # a lone surrogate: \ud800


#: Built from the three ranges `_is_control` accepts (not by testing every code point below
#: U+E000, which cost 9 ms of each start).
_CONTROL_CODES = (*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000))
_VISIBLE = {code: _picture(code) for code in _CONTROL_CODES}
_VISIBLE_LINES = {code: shown for code, shown in _VISIBLE.items() if code != 0x0A}


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character shown as a visible symbol, the one scheme of every
    screen: C0 controls as their Unicode control pictures (``"\\x1b"`` → ``␛``, ``"\\r"`` → ``␍``,
    ``"\\t"`` → ``␉``, ``"\\n"`` → ``␊``), DEL as ``␡``, C1 controls (which have no pictures) as
    ``\\x85``-style escapes, lone surrogates as ``\\ud800``. Everything else is kept, so printable
    text is unchanged and a list row is exactly one line of the terminal. With `keep_newlines`
    (a message of several lines, a dialog), ``"\\n"`` stays a line break: it cannot move the
    cursor anywhere but to the next line of the widget."""
    if text.isprintable():  # the common case; False also for a few harmless spaces (NBSP, …)
        return text
    return text.translate(_VISIBLE_LINES if keep_newlines else _VISIBLE)


# -- the editable form of text holding control characters --------------------------------------

_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPED = re.compile(r"\\(?:(\\)|([tnr])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))")


def has_controls(text: str) -> bool:
    """Whether `text` holds a character that `visible` would replace."""
    return not text.isprintable() and any(_is_control(ord(ch)) for ch in text)


def escape_controls(text: str) -> str:
    """The text an input shows for a value holding control characters: printable only, and exact,
    because `unescape_controls` gives the value back. A backslash is doubled; tab, newline and
    carriage return are ``\\t``, ``\\n``, ``\\r``; other controls ``\\xHH`` (surrogates ``\\uHHHH``)."""

    def one(ch: str) -> str:
        code = ord(ch)
        if ch in _NAMED:
            return _NAMED[ch]
        if _is_control(code):
            return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        return ch

    return "".join(one(ch) for ch in text)


def unescape_controls(text: str) -> str:
    """The value of an escaped input: ``\\\\``, ``\\t``, ``\\n``, ``\\r``, ``\\xHH`` and
    ``\\uHHHH`` are read back; any other backslash is kept as typed."""

    def one(match: re.Match[str]) -> str:
        backslash, named, byte, unit = match.groups()
        if backslash:
            return "\\"
        if named:
            return {"t": "\t", "n": "\n", "r": "\r"}[named]
        return chr(int(byte or unit, 16))

    return _ESCAPED.sub(one, text)


# -- values ---------------------------------------------------------------------------------------


def lookup(mapping: Mapping[Any, V] | None, key: Any) -> V | None:
    """`mapping.get(key)` for any value: a JSON object or array, a PostgreSQL ARRAY (a list) or a
    MySQL SET (a set) is unhashable, and can name nothing in a mapping."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except TypeError:
        return None


def as_stored(col: ColumnInfo, value: Any) -> Any:
    """A time-zone column's value with its zone: SQLite and MySQL hand back the naive UTC time
    the Store wrote (schemas convert every aware input to UTC), so UTC is attached back."""
    if col.timezone and isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def interval_text(value: dt.timedelta) -> str:
    """A duration as `[-]D day[s], H:MM:SS[.ffffff]` with the sign in front of it all, as
    pydantic reads it back (str() writes -1 hour as '-1 day, 23:00:00', which reads as -47 hours)."""
    return f"-{abs(value)}" if value < dt.timedelta(0) else str(value)


def json_text(value: Any, *, indent: int | None = None) -> str | None:
    """`value` as JSON text, or None when it is nested deeper than the encoder's recursion limit
    allows (a value another client wrote; the encoder raises RecursionError)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str, indent=indent)
    except RecursionError:
        return None


#: Characters that a JSON text in an editor must not hold raw: control characters other than tab
#: and line breaks (they would reach the terminal), DEL and C1 controls, the separators U+2028 and
#: U+2029 (a text area turns them, and U+0085, into newlines) and lone surrogates. JSON allows DEL,
#: C1 and the separators raw inside a string, and json.dumps writes them so.
_UNSAFE_IN_JSON_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape_json_text(text: str) -> str:
    """`text` with the characters above as `\\uXXXX` escapes: inside a JSON string that is the
    same value (`json.loads` reads it back), and outside one neither form is valid JSON."""
    return _UNSAFE_IN_JSON_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_form_text(value: Any) -> str:
    """A JSON value as the text a form edits: indented, safe for an editor (`escape_json_text`).
    A value nested too deeply to encode shows a notice; left as it is, the field is not sent (see
    `schemas.parse_form`), so the value stays."""
    text = json_text(value, indent=2)
    return TOO_DEEP if text is None else escape_json_text(text)


def display(col: ColumnInfo, value: Any, labels: Mapping[Any, str] | None = None) -> str | None:
    """The value as one line of visible text (see `visible`); None for NULL (the UI decides how
    NULL looks). A foreign key shows the label of the record it names; a value the column's type
    cannot read shows the stored text, marked."""
    if value is None:
        return None
    from tui_admin.core.reading import Unreadable  # reading -> dialects -> introspect -> kinds -> here

    if isinstance(value, Unreadable):
        return visible(f"{UNREADABLE} {value.raw}")
    try:
        return visible(_text(col, value, labels))
    except RecursionError:  # str() of a list nested deeper than the interpreter's limit
        return TOO_DEEP


def _text(col: ColumnInfo, value: Any, labels: Mapping[Any, str] | None) -> str:
    label = lookup(labels, value) if col.foreign_key is not None else None
    if label is not None:
        return label
    return col.spec.text(col, value)



def plural(count: int, noun: str) -> str:
    """`count` and `noun` as English writes them: "1 team", "2 teams", "0 heroes", "3 categories".
    A table name is a noun someone else chose, so only the regular rules apply; a name that
    already ends in a plain `s` ("users") or is no word is left as it is."""
    lower = noun.lower()
    if count == 1 or not lower[-1:].isalpha():
        word = noun
    elif lower.endswith(("ss", "us", "x", "z", "ch", "sh")):
        word = noun + "es"  # class → classes, box → boxes
    elif lower.endswith("s"):
        word = noun  # users, news: already plural
    elif lower.endswith(("y", "o")) and lower[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        word = noun[:-1] + "ies" if lower.endswith("y") else noun + "es"  # category → categories, hero → heroes
    else:
        word = noun + "s"
    return f"{count:,} {word}"
