"""Export, checked field by field on rows written by raw SQL in each database's own literals:
NULL, exact decimals, unicode, markup-like text, CSV's own delimiters, datetimes, bytes, JSON;
streamed across many pages by keyset (each row once, in list order); a cancelled or failed export
leaves no file and an existing one untouched."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import os
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.raw_ddl import RunDDL, quote
from tui_admin.core import export, export_parts
from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.store import Store

TYPES = {
    "sqlite": ("INTEGER PRIMARY KEY", "NUMERIC(30, 12)", "TEXT", "TIMESTAMP", "BLOB", "JSON"),
    "postgresql": ("INTEGER PRIMARY KEY", "NUMERIC(30, 12)", "TEXT", "TIMESTAMP", "BYTEA", "JSONB"),
    "mysql": ("INTEGER PRIMARY KEY", "DECIMAL(30, 12)", "TEXT", "DATETIME", "BLOB", "JSON"),
}
BYTES = {"sqlite": "X'00FF10'", "postgresql": "'\\x00ff10'::bytea", "mysql": "X'00FF10'"}
#: What the database stores for the literal '12345678901234567.123456789012': SQLite keeps a NUMERIC
#: as a REAL when the text converts, so its digits end at the float's.
AMOUNT = {"sqlite": "12345678901234568.000000000000"}
EXACT = "12345678901234567.123456789012"
ORDER = ["id", "grp", "amount", "words", "at", "data", "doc"]
TEXTS = ["café ☕ 日本", "[bold red]not markup[/]", 'a, "quoted"\nsecond line', "", None]


@pytest.fixture(params=["sqlite", "postgresql+psycopg", "mysql+pymysql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store(backend: str, run_ddl: RunDDL, db_urls: tuple[str, str]) -> AsyncIterator[Store]:
    key, number, text, stamp, blob, doc = TYPES[backend]
    table = quote(backend, "export me")
    rows = []
    for i, words in enumerate(TEXTS, 1):
        literal = "NULL" if words is None else "'" + words.replace("'", "''") + "'"
        if backend == "mysql" and words is not None:
            literal = literal.replace("\\", "\\\\")
        rows.append(
            f"INSERT INTO {table} VALUES ({i}, {i % 2}, '12345678901234567.123456789012', {literal}, "
            f"'2026-12-01 06:45:{i:02d}', {BYTES[backend]}, '{{\"n\": {i}, \"list\": [1, 2.5, null]}}')"
        )
    rows.append(f"INSERT INTO {table} VALUES (6, 1, NULL, NULL, NULL, NULL, NULL)")
    run_ddl([f"CREATE TABLE {table} (id {key}, grp INTEGER, amount {number}, words {text}, at {stamp},"
             f" data {blob}, doc {doc})", *rows], [f"DROP TABLE IF EXISTS {table}"])
    store = Store(db_urls[1])
    await store.reflect()
    yield store
    await store.dispose()


def _columns(store: Store) -> list:
    admin = store.registry["export me"]
    return [admin.info.columns[n] for n in admin.shown_columns]


async def _export(store: Store, fmt: str, query: ListQuery | None = None, page_rows: int = 2) -> str:
    out = io.StringIO()
    await export.stream(store.values_page, query or ListQuery("export me"), _columns(store), out, fmt,
                        order=ORDER, page_rows=page_rows)
    return out.getvalue()


async def test_csv_field_by_field(store: Store, backend: str) -> None:
    text = await _export(store, "csv")
    assert text.endswith("\r\n") and "\r\n" in text.split('second line')[1]  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["id", "grp", "amount", "words", "at", "data", "doc"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    first = rows[1]
    assert first[2] == AMOUNT.get(backend, EXACT)  # every digit the database holds
    assert first[3] == "café ☕ 日本"
    assert rows[2][3] == "[bold red]not markup[/]"
    assert rows[3][3] == 'a, "quoted"\nsecond line'
    assert first[4] == "2026-12-01T06:45:01"
    assert base64.b64decode(first[5]) == b"\x00\xff\x10"
    assert json.loads(first[6]) == {"n": 1, "list": [1, 2.5, None]}
    assert rows[5][3] == "" and rows[6][2:] == ["", "", "", "", ""]  # NULL: empty fields


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
async def test_json_field_by_field(store: Store, fmt: str, backend: str) -> None:
    text = await _export(store, fmt)
    parse = lambda t: json.loads(t, parse_float=Decimal)  # noqa: E731
    rows = parse(text) if fmt == "json" else [parse(line) for line in text.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0]["amount"] == Decimal(AMOUNT.get(backend, EXACT))  # a JSON number, exact
    assert f'"amount": {AMOUNT.get(backend, EXACT)},' in text
    assert [r["words"] for r in rows] == [*TEXTS, None]
    assert rows[0]["at"] == "2026-12-01T06:45:01"
    assert base64.b64decode(rows[0]["data"]) == b"\x00\xff\x10"
    doc = rows[0]["doc"]
    if backend == "mysql":  # MariaDB's JSON is a LONGTEXT (with a json_valid check): it reflects as text
        doc = parse(doc)
    assert doc == {"n": 1, "list": [1, Decimal("2.5"), None]}
    assert rows[5] == {"id": 6, "grp": 1, "amount": None, "words": None, "at": None, "data": None, "doc": None}


async def test_every_row_once_in_list_order_across_pages(store: Store) -> None:
    query = ListQuery("export me", sort=(SortKey("grp", descending=True),))
    lines = (await _export(store, "jsonl", query, page_rows=1)).splitlines()
    assert [(r["grp"], r["id"]) for r in map(json.loads, lines)] == [(1, 6), (1, 5), (1, 3), (1, 1), (0, 4), (0, 2)]
    searched = (await _export(store, "jsonl", ListQuery("export me", search="markup"), page_rows=1)).splitlines()
    assert [json.loads(line)["id"] for line in searched] == [2]


@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_a_cancelled_export_leaves_the_old_file_untouched(store: Store, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.csv"
    target.write_text("the old export\n")
    first_page = asyncio.Event()

    async def slow_pages(query, after, limit):  # type: ignore[no-untyped-def]
        page = await store.values_page(query, after, limit)
        first_page.set()
        await asyncio.sleep(10)
        return page

    task = asyncio.create_task(export.to_file(slow_pages, ListQuery("export me"), _columns(store), target, "csv",
                                              order=ORDER, page_rows=1))
    await first_page.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert target.read_text() == "the old export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]  # no partial file left
    done = await export.to_file(store.values_page, ListQuery("export me"), _columns(store), target, "csv",
                                order=ORDER)
    assert done.rows == 6 and target.read_text().startswith("id,grp,amount")


def test_json_rows_written_whole_are_the_text_written_cell_by_cell() -> None:
    """A page with no decimal, document or array is encoded by `json` a row at a time; one with
    any goes cell by cell. Both give the same text for the cells they share."""
    plain = [(1, 'a "b"\n', None, 1.5, True, "☕ [bold]x[/]"), (2, "", None, -0.0, False, "\x1b")]
    own = [(3, "x", Decimal("12.50"), 2.5, None, {"k": [Decimal("1E+2"), None]})]
    out = io.StringIO()
    writer = export.JsonLinesWriter(out)
    writer.begin(["id", "text", "amount", "f", "flag", "doc"])
    writer.rows(plain)
    writer.rows(own)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        '{"id": 1, "text": "a \\"b\\"\\n", "amount": null, "f": 1.5, "flag": true, "doc": "☕ [bold]x[/]"}',
        '{"id": 2, "text": "", "amount": null, "f": -0.0, "flag": false, "doc": "\\u001b"}',
    ]
    assert lines[2] == '{"id": 3, "text": "x", "amount": 12.50, "f": 2.5, "flag": null, "doc": {"k": [1E+2, null]}}'
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3]


def _csv_module(rows: list[tuple[object, ...]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


_CELLS = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=True), st.binary(max_size=6),
    st.text(alphabet=st.sampled_from('ab ,"\r\n\x1b☕[]/'), max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.tuples(*[_CELLS] * width), max_size=5)))
def test_csv_pages_made_whole_are_the_text_of_the_csv_module(rows: list[tuple[object, ...]]) -> None:
    """`csv_text` gives exactly what `csv` writes, or None (and the page goes through `csv`)."""
    text = export.csv_text(rows)
    if text is not None:
        assert text == _csv_module(rows)


def test_csv_pages_with_a_field_to_quote_go_through_the_csv_module() -> None:
    plain = [(1, "Hero", None, 1.5, b"x"), (2, "", "[b]x[/b]", -0.0, None)]
    assert export.csv_text(plain) == _csv_module(plain) == '1,Hero,,1.5,b\'x\'\r\n2,,[b]x[/b],-0.0,\r\n'
    for cell in ("a,b", 'say "hi"', "two\nlines", "cr\r"):
        assert export.csv_text([(1, cell)]) is None, cell
    assert export.csv_text([("",)]) is None  # one empty field: csv writes ""
    assert export.csv_text([(1, ["a list"])]) == _csv_module([(1, ["a list"])])  # as csv: its str
    assert export.csv_text([(None, ["a list"])]) is None  # unhashable: no NULL put in as ""
    out = io.StringIO(newline="")
    writer = export.CsvWriter(out)
    writer.rows([(1, "plain"), (2, "a,b")])
    writer.rows([(3, None)])
    assert out.getvalue() == '1,plain\r\n2,"a,b"\r\n3,\r\n'


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where the exports go (beside the SQLite file they read, but not in its directory)."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


# -- an export in parts (export_parts): forked processes, each a key range -------------------------

async def _one_process_file(store: Store, query: ListQuery, fmt: str, path: Path) -> tuple[bytes, int]:
    done = await export.to_file(store.values_page, query, _columns(store), path, fmt, order=ORDER, page_rows=2)
    return path.read_bytes(), done.rows


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("parts", [2, 3])
async def test_a_file_written_in_parts_is_the_file_one_process_writes(store: Store, fmt: str, parts: int,
                                                                     out_dir: Path) -> None:
    """Every row once, in list order, each byte the same: by key, by a column with ties (grp,
    then the key), by one with NULLs, and searched; a cut may fall inside a run of equal values."""
    for query in (ListQuery("export me"), ListQuery("export me", sort=(SortKey("grp", descending=True),)),
                  ListQuery("export me", sort=(SortKey("words"),)),  # NULLs and "" in the sort column
                  ListQuery("export me", search="o")):
        expected, rows = await _one_process_file(store, query, fmt, out_dir / f"one.{fmt}")
        target = out_dir / f"parts.{fmt}"
        done = await export_parts.to_file(store, query, _columns(store), target, fmt, order=ORDER, parts=parts,
                                          parts_from=0, page_rows=2)
        assert target.read_bytes() == expected, query
        assert done.rows == done.total == rows >= 2
        assert 1 < done.parts <= parts and (done.parts == parts or bool(query.search))  # 2 found: 2 parts
        assert sorted(p.name for p in out_dir.iterdir()) == [f"one.{fmt}", f"parts.{fmt}"]  # no part left


@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_a_small_list_or_a_json_array_is_written_by_this_process(store: Store, out_dir: Path) -> None:
    small = await export_parts.to_file(store, ListQuery("export me"), _columns(store), out_dir / "a.csv", "csv",
                                       order=ORDER, parts=2)  # 6 rows, below PARTS_FROM
    array = await export_parts.to_file(store, ListQuery("export me"), _columns(store), out_dir / "a.json", "json",
                                       order=ORDER, parts=2, parts_from=0)
    assert (small.parts, small.rows, array.parts, array.rows) == (1, 6, 1, 6)
    assert json.loads((out_dir / "a.json").read_text())[5]["id"] == 6


def _children_left() -> bool:
    """Whether this process has a child, running or not yet reaped."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True


@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_an_export_in_parts_cancelled_stops_every_part_and_leaves_the_old_file(
        store: Store, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts are made slow (each page waits, in the forked process) so that the export is
    cancelled while they run: they are stopped and reaped, their files and the partial file gone."""
    from tui_admin.core.reads import Reading

    real = Reading.values_page

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Reading, "values_page", slow)
    target = out_dir / "out.csv"
    target.write_text("the old export\n")
    task = asyncio.create_task(export_parts.to_file(store, ListQuery("export me"), _columns(store), target, "csv",
                                                    order=ORDER, parts=2, parts_from=0, page_rows=2))
    for _ in range(200):
        if any(p.name.startswith(".out.csv.part") for p in out_dir.iterdir()):
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("no part started")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert target.read_text() == "the old export\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.csv"]
    assert not _children_left()


@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_a_part_that_fails_fails_the_export_with_its_reason(
        store: Store, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_admin.core.reads import Reading

    real = Reading.values_page

    def failing(self: Reading, session: object, query: ListQuery, *, after: object = None, **kwargs: object) -> object:
        if after is not None:  # the second part (it starts after the first's last row)
            raise RuntimeError("the disk is on fire\nand more")
        return real(self, session, query, after=after, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Reading, "values_page", failing)
    target = out_dir / "out.csv"
    with pytest.raises(export_parts.ExportError, match=r"^the export failed: the disk is on fire$"):
        await export_parts.to_file(store, ListQuery("export me"), _columns(store), target, "csv", order=ORDER,
                                   parts=2, parts_from=0, page_rows=100)
    assert list(out_dir.iterdir()) == []
    assert not _children_left()
