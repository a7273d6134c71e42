"""Export a list (its search, filters and sort applied) to CSV, JSON or JSON Lines, streamed.

The rows are read page by page by keyset, each page in a session of its own, and written as they
come, so a million rows cost the memory of one page, and a cancelled export stops at a page
boundary. The file is written beside its name and renamed at the end: an export that fails or is
cancelled leaves no partial file behind, and an existing file is replaced only by a whole one.

Each cell is its kind's export form (`KindSpec.export`): NULL is an empty CSV field and JSON
`null`; decimals keep every digit (a JSON number written from the decimal's own text, never
through a float); datetimes, dates and times are ISO 8601; bytes are base64; JSON documents and
arrays stay JSON (text in CSV).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import decimal
import itertools
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.kinds import KindSpec
from tui_admin.core.query import ListQuery
from tui_admin.core.reading import Unreadable

FORMATS = ("csv", "json", "jsonl")
#: Rows per keyset page. 20,000, not 5,000: each page is a session and a hop to the Store's
#: thread, and with 200 of them 1,000,000 heroes took 1.7-2.1x the bare sqlite3 + csv floor of
#: bench/export.py, with 50 1.2-1.4x; the page held costs 12 MB of RSS (target 30).
PAGE_ROWS = 20_000


def exported(col: ColumnInfo, value: Any) -> Any:
    """A cell as an export writes it: its kind's export form (`KindSpec.export`: ISO 8601, base64,
    the decimal itself…), an unreadable cell as its stored text."""
    if value is None:
        return None
    if isinstance(value, Unreadable):
        return str(value.raw)
    return col.spec.export(col, value)


def _json(value: Any) -> str:
    """JSON text of a `plain` value, decimals written from their own digits."""
    if isinstance(value, decimal.Decimal):
        return str(value)  # '12.50', '-0', '1E+2': each a JSON number, with the decimal's digits
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)  # an Unreadable cell: its stored text


class Writer(Protocol):
    def begin(self, names: Sequence[str], *, header: bool = True) -> None:
        """Start the file: its header where the format has one (not for a part of the file, see
        export_parts)."""
    def rows(self, rows: Iterable[Sequence[Any]]) -> None: ...
    def end(self) -> None: ...


class CsvWriter:
    """RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._csv = csv.writer(out, lineterminator="\r\n")

    def begin(self, names: Sequence[str], *, header: bool = True) -> None:
        if header:
            self._csv.writerow(names)

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        rows = rows if isinstance(rows, list) else list(rows)
        text = csv_text(rows)
        if text is None:
            self._csv.writerows(rows)  # fields already made CSV's (see `_plan`)
        else:
            self._out.write(text)

    def end(self) -> None:
        pass


def csv_text(rows: Sequence[Sequence[Any]]) -> str | None:
    """The text `csv` writes for `rows` (CRLF, minimal quoting), made in C by one `%` over the
    page, when no field needs quoting; None when one might, or the page is not plain cells.

    `csv` writes each field as `str` of it (a float as its repr: the same text), None as an empty
    field, and quotes a field holding a comma, a quote, CR or LF: so when the text `%` made has no
    quote and exactly the commas and line ends of its rows, no field needed quoting and the text is
    what `csv` writes. Measured on 1,000,000 heroes: 1.7-2.4 s in `csv`, 0.7 s this way."""
    width = len(rows[0]) if rows else 0
    if width < 2:  # a single field that is empty: `csv` quotes it
        return None
    cells = list(itertools.chain.from_iterable(rows))
    count = len(rows)
    if len(cells) != width * count:
        return None
    if None in cells:
        try:
            cells = list(map(_EMPTY_FOR_NONE.get, cells, cells))
        except TypeError:  # a cell that is no plain value (unhashable)
            return None
    text = ((",".join(["%s"] * width) + "\r\n") * count) % tuple(cells)
    if '"' in text or text.count(",") != (width - 1) * count or text.count("\n") != count or (
            text.count("\r") != count):
        return None
    return text


_EMPTY_FOR_NONE: dict[Any, Any] = {None: ""}


def _csv_field(value: Any) -> Any:
    if isinstance(value, dict | list):
        return _json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value  # None: an empty field


#: Cells `json` itself would write wrongly: a decimal (as a float or a string), and the documents
#: and arrays that may hold one. A page without any is encoded by `json` a row at a time.
_OWN_JSON = (decimal.Decimal, dict, list)


class JsonLinesWriter:
    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._keys: list[str] = []
        self._names: list[str] = []
        # The text `_json` writes (its separators, `default=str`), made by `json` in C: one call
        # a row instead of one a cell (1,000,000 heroes to JSON Lines: 15.3 s → 5.4 s).
        self._encode = json.JSONEncoder(ensure_ascii=False, default=str).encode

    def begin(self, names: Sequence[str], *, header: bool = True) -> None:
        self._keys = list(names)
        self._names = [json.dumps(n, ensure_ascii=False) for n in names]

    def _objects(self, rows: Iterable[Sequence[Any]]) -> Iterable[str]:
        """Each row as one JSON object: whole by `json` when no cell of the page needs `_json`
        (one pass over the cells' types, in C), else cell by cell."""
        rows = rows if isinstance(rows, list) else list(rows)
        if any(issubclass(t, _OWN_JSON) for t in set(map(type, itertools.chain.from_iterable(rows)))):
            names = self._names
            return ("{" + ", ".join(f"{n}: {_json(v)}" for n, v in zip(names, row, strict=True)) + "}"
                    for row in rows)
        keys, encode = self._keys, self._encode
        return (encode(dict(zip(keys, row, strict=True))) for row in rows)

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._out.write("".join(line + "\n" for line in self._objects(rows)))

    def end(self) -> None:
        pass


class JsonWriter(JsonLinesWriter):
    """One JSON array of objects, written one row at a time (never held whole)."""

    def begin(self, names: Sequence[str], *, header: bool = True) -> None:
        super().begin(names)
        self._out.write("[")
        self._first = True

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for line in self._objects(rows):
            self._out.write(("\n" if self._first else ",\n") + line)
            self._first = False

    def end(self) -> None:
        self._out.write("\n]\n" if not self._first else "]\n")


WRITERS: dict[str, Callable[[IO[str]], Writer]] = {"csv": CsvWriter, "json": JsonWriter, "jsonl": JsonLinesWriter}


@dataclass
class Progress:
    """How far an export has come; `total` is None until the count (asked alongside) is known."""

    rows: int = 0
    total: int | None = None
    started: float = 0.0
    parts: int = 1  # processes it was written by (see export_parts)
    parts_rss_growth_mb: float = 0.0  # how much those processes grew, together

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    def took(self) -> str:
        """`in 2.3 s (430,000 rows/s)`: the rate only once there was time to measure one (three
        rows "in 0.0 s" are no "270 rows/s")."""
        rate = f" ({self.rate:,.0f} rows/s)" if self.elapsed >= 0.1 else ""
        return f"in {self.elapsed:.1f} s{rate}"

    @property
    def eta(self) -> float | None:
        """Seconds left, at the rate so far."""
        if self.total is None or not self.rate:
            return None
        return max(self.total - self.rows, 0) / self.rate


#: Reads one page: (rows as tuples in `ModelInfo.columns` order, cursor of the last, more follow).
PageReader = Callable[[ListQuery, Sequence[Any] | None, int], Awaitable[tuple[list[Sequence[Any]], Any, bool]]]

#: Kinds whose values are already what every format writes (int, str, None): passed through.
_AS_IS = frozenset({"integer", "text"})


def _plan(columns: Sequence[ColumnInfo], order: Sequence[str], fmt: str) -> tuple[list[int], list[Any]]:
    """Which cell of a row each exported column is, and its conversion (None: as it is)."""
    positions = [list(order).index(c.name) for c in columns]
    converters: list[Any] = []
    for col in columns:
        if str(col.kind) in _AS_IS and type(col.spec).export is KindSpec.export:
            converters.append(None)
        elif fmt == "csv":
            converters.append(lambda v, c=col: _csv_field(exported(c, v)))
        else:
            converters.append(lambda v, c=col: exported(c, v))
    return positions, converters


def _prepared(rows: Sequence[Sequence[Any]], positions: list[int], converters: list[Any], whole: bool) -> Any:
    if whole and not any(converters):  # the rows as the driver gave them: csv writes them in C
        return rows
    plan = list(zip(positions, converters, strict=True))
    return [[row[i] if convert is None or row[i] is None else convert(row[i]) for i, convert in plan] for row in rows]


class Pages:
    """Writes the pages of rows a `PageReader` gives (cells in `order`) to `out` in `fmt`: the
    `columns` picked from them, each in its export form. Without `header`, no header row (one
    part of a file, see export_parts)."""

    def __init__(self, out: IO[str], fmt: str, columns: Sequence[ColumnInfo], order: Sequence[str], *,
                 header: bool = True) -> None:
        order = list(order)
        self._positions, self._converters = _plan(columns, order, fmt)
        self._whole = self._positions == list(range(len(order)))
        self._writer = WRITERS[fmt](out)
        self._writer.begin([c.name for c in columns], header=header)

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        self._writer.rows(_prepared(rows, self._positions, self._converters, self._whole))

    def end(self) -> None:
        self._writer.end()


async def stream(
    read_page: PageReader,
    query: ListQuery,
    columns: Sequence[ColumnInfo],
    out: IO[str],
    fmt: str,
    *,
    order: Sequence[str],
    progress: Progress | None = None,
    on_page: Callable[[Progress], None] | None = None,
    page_rows: int = PAGE_ROWS,
) -> Progress:
    """Write every row of `query` to `out` in `fmt`, page by page. `order`: the names of a row's
    cells as `read_page` gives them (the model's columns), which `columns` picks from."""
    progress = progress or Progress()
    progress.started = progress.started or time.monotonic()
    pages = Pages(out, fmt, columns, order)
    # The next page is read (in the Store's thread) while this one is written: the two overlap.
    pending = asyncio.ensure_future(read_page(query, None, page_rows))
    try:
        while True:
            rows, after, more = await pending
            if more:
                pending = asyncio.ensure_future(read_page(query, after, page_rows))
            pages.write(rows)
            progress.rows += len(rows)
            if on_page is not None:
                on_page(progress)
            if not more:
                break
    finally:
        pending.cancel()
    pages.end()
    return progress


async def to_file(
    read_page: PageReader,
    query: ListQuery,
    columns: Sequence[ColumnInfo],
    path: Path | str,
    fmt: str,
    **options: Any,
) -> Progress:
    """`stream` into `path`, through a partial file renamed at the end; on any failure or
    cancellation the partial file is removed and `path` is left as it was."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            done = await stream(read_page, query, columns, out, fmt, **options)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return done


def suggested_name(model: str, fmt: str, now: dt.datetime | None = None) -> str:
    """`hero-2026-12-01-0645.csv`: the model and the minute, so exports do not overwrite each other."""
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model.lower()) or "export"
    return f"{safe}-{stamp}.{fmt}"

