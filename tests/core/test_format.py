"""Text that is safe to show and exact to edit: `format.visible` (the one scheme for control
characters on every screen), the escaped form inputs use, values that cannot be hashed, and JSON
nested deeper than Python's recursion limit, shown and typed."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_admin.core.format import (
    TOO_DEEP,
    display,
    escape_controls,
    has_controls,
    lookup,
    plural,
    unescape_controls,
    visible,
)
from tui_admin.core.reflect import map_tables
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, parse_form, to_form_value

ANY_CHARACTER = st.characters(exclude_categories=[])  # lone surrogates too (excluded by default)
CONTROLS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"]
HOSTILE = ["\x1b]2;PWNED\x07", "ab\rXY", "a\tb", "x\x85y", "del\x7f", "nul\x00", "csi\x9b31m", "lone\ud800"]
DEEP = "[" * 1200 + "]" * 1200


def _shown_raw(text: str) -> list[str]:
    """The characters of `text` that a terminal would take as control (or cannot encode)."""
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs")]


# -- visible ---------------------------------------------------------------------------------


def test_every_control_character_is_shown_as_a_visible_symbol() -> None:
    assert len(CONTROLS) == 65  # C0, DEL and C1
    for ch in [*CONTROLS, "\ud800", "\udfff"]:
        shown = visible(f"a{ch}b")
        assert not _shown_raw(shown), f"{ch!r} reaches the screen raw"
        assert shown.startswith("a") and shown.endswith("b") and len(shown) > 2


def test_the_scheme_control_pictures_for_c0_and_del_escapes_for_c1() -> None:
    assert visible("\x1b]2;PWNED\x07") == "␛]2;PWNED␇"
    assert visible("ab\rXY\ta\nb") == "ab␍XY␉a␊b"
    assert visible("del\x7f") == "del␡"
    assert visible("x\x85y\x9b") == "x\\x85y\\x9b"
    assert visible("lone\ud800") == "lone\\ud800"
    assert visible("one\ntwo", keep_newlines=True) == "one\ntwo"  # a dialog keeps its lines
    assert visible("one\r\ntwo", keep_newlines=True) == "one␍\ntwo"


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"])))
@settings(max_examples=200)
def test_text_without_control_characters_is_shown_unchanged(text: str) -> None:
    assert visible(text) == text


@given(st.text(ANY_CHARACTER))
@settings(max_examples=300)
def test_nothing_raw_is_ever_shown(text: str) -> None:
    assert not _shown_raw(visible(text))


# -- the escaped form of an input ---------------------------------------------------------------


@given(st.text(ANY_CHARACTER) | st.sampled_from(HOSTILE))
@settings(max_examples=400)
def test_escaped_text_reads_back_exactly_and_holds_no_control_character(text: str) -> None:
    escaped = escape_controls(text)
    assert unescape_controls(escaped) == text
    assert not has_controls(escaped)
    assert not _shown_raw(escaped)


def test_escapes_are_the_familiar_ones_and_a_backslash_is_doubled() -> None:
    assert escape_controls("C:\\dir\t\x1b[31m\n\x85") == "C:\\\\dir\\t\\x1b[31m\\n\\x85"
    assert unescape_controls("\\x41\\u00e9 \\q \\") == "Aé \\q \\"  # an unknown escape is kept as typed


def test_has_controls() -> None:
    assert all(has_controls(f"x{c}") for c in CONTROLS)
    assert not has_controls("plain text, 名前, 😀, non\u00a0breaking")


# -- reflected columns: JSON, a foreign key --------------------------------------------------------


@pytest.fixture
def doc() -> ModelAdmin:
    metadata = sa.MetaData()
    sa.Table("owner", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))
    sa.Table(
        "doc", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.JSON, nullable=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("owner.id"), nullable=True),
    )
    reflected = map_tables(metadata)
    return Registry(reflected.models, names=reflected.names)["doc"]


UNHASHABLE: list[Any] = [{"a": [1, 2]}, [1, {"b": None}], {"x", "y"}]


def test_unhashable_values_name_no_label_instead_of_raising(doc: ModelAdmin) -> None:
    owner = doc.info.columns["owner_id"]
    labels = {1: "Ann"}
    for value in UNHASHABLE:
        assert lookup(labels, value) is None
        assert display(owner, value, labels) is not None  # shown as itself, not a TypeError
    assert lookup(labels, 1) == "Ann"
    assert display(owner, 1, labels) == "Ann"


def test_a_label_with_control_characters_is_shown_visibly(doc: ModelAdmin) -> None:
    assert display(doc.info.columns["owner_id"], 1, {1: "A\x1b]2;X\x07"}) == "A␛]2;X␇"


def test_json_nested_too_deeply_is_a_field_error_not_a_recursion_error(doc: ModelAdmin) -> None:
    schemas = find_schemas(doc)
    with pytest.raises(ValidationFailed) as failed:
        parse_form(doc, schemas, Mode.CREATE, {"body": DEEP, "owner_id": None})
    assert failed.value.errors == {"body": "Invalid JSON: nested too deeply"}


def test_json_nested_too_deeply_in_the_database_is_shown_and_left_alone(doc: ModelAdmin) -> None:
    body = doc.info.columns["body"]
    value: Any = []
    for _ in range(5000):  # deeper than json.dumps can encode (another client wrote it)
        value = [value]
    assert display(body, value) == TOO_DEEP
    text = to_form_value(body, value)
    assert text == TOO_DEEP
    schemas = find_schemas(doc)
    original = {"id": 1, "body": value, "owner_id": None}
    # left as shown, the field is not written; replaced, the new value is
    assert parse_form(doc, schemas, Mode.UPDATE, {"body": text, "owner_id": None}, original) == {}
    assert parse_form(doc, schemas, Mode.UPDATE, {"body": "[1]", "owner_id": None}, original) == {"body": [1]}


JSON_VALUES = [
    {"esc": "\x1b]2;PWNED\x07", "nel": "x\x85y", "del": "\x7f", "ls": "a\u2028b\u2029c", "cr": "a\rb"},
    ["[/]", "[bold]x[/bold]", "名前", "😀", {"deep": [[["\x9b"]]]}],
    "lone \ud800 surrogate",
]


@pytest.mark.parametrize("value", JSON_VALUES)
def test_json_form_text_is_exact_and_safe_in_an_editor(doc: ModelAdmin, value: Any) -> None:
    body = doc.info.columns["body"]
    text = to_form_value(body, value)
    assert json.loads(text) == value
    assert [ch for ch in text if ch != "\n" and (_shown_raw(ch) or ch in "\u2028\u2029")] == []
    # unedited, it is not sent; sent, it is the same value
    schemas = find_schemas(doc)
    original = {"id": 1, "body": value, "owner_id": None}
    assert parse_form(doc, schemas, Mode.UPDATE, {"body": text, "owner_id": None}, original) == {}
    assert parse_form(doc, schemas, Mode.CREATE, {"body": text, "owner_id": None})["body"] == value


@pytest.mark.parametrize(("count", "noun", "shown"), [
    (1, "team", "1 team"), (2, "team", "2 teams"), (0, "tag", "0 tags"), (4, "hero", "4 heroes"),
    (3, "category", "3 categories"), (2, "day", "2 days"), (2, "class", "2 classes"), (2, "box", "2 boxes"),
    (2, "users", "2 users"), (10_002, "hero", "10,002 heroes"), (2, "note [/]", "2 note [/]"),
])
def test_a_count_of_rows_is_written_with_the_plural(count: int, noun: str, shown: str) -> None:
    assert plural(count, noun) == shown
