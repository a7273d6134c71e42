"""An export in parts: the list cut at its keyset into equal key ranges (`Store.split`), each range
read and written by a process of its own, the parts joined in list order into the one file.

Why: a Python export is bound to one CPU by the driver making an object of every cell (5,000,000
for a million heroes) and by the formatting of them, under one GIL. Measured on this 2-core
machine (bench/export.py): 1,000,000 heroes to CSV took 2.4-2.9 s in one process, against 1.0-1.5 s
for `sqlite3 -csv` on the same SELECT; in two parts, 1.5-1.7 s.

The parts are forked, so each has the models, the registry and its hooks as they are here, and
opens an engine of its own (a connection is never shared across a fork). Only where forking is
safe and useful: on Linux, with a sync driver (an async one runs in this process's event loop),
from a process without Textual's threads (the command line, scripts; the app exports in one
process), for CSV and JSON Lines (a JSON array is one value), and from `PARTS_FROM` rows on.
Each part reads in pages as `export.stream` does, so the memory is a page per part. A part that
fails or an export cancelled stops every part; nothing is left but the file as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tui_admin.core import export
from tui_admin.core.engine import make_engine
from tui_admin.core.errors import ExportError, first_line
from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.query import ListQuery

if TYPE_CHECKING:
    from tui_admin.core.store import Store

#: Rows from which an export is cut in parts: below, the split's count and the forks (~20 ms)
#: are not worth it.
PARTS_FROM = 100_000
FORMATS = ("csv", "jsonl")

__all__ = ["FORMATS", "PARTS_FROM", "ExportError", "parts_for", "to_file"]


def parts_for(store: Store, fmt: str) -> int:
    """How many parts an export of `store` in `fmt` can be cut into here: one where not (see the
    module's docstring), else one per CPU this process may use."""
    if fmt not in FORMATS or store.is_async or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0))


@dataclass
class _Part:
    pid: int
    reader: int  # the pipe the part reports on: "rows <n>" a page, "rss <kB>" at the end, "error <why>"
    path: Path
    error: str | None = None
    rss_growth_kb: int = 0
    unread: bytes = b""  # the start of a report line not read whole yet


async def to_file(
    store: Store,
    query: ListQuery,
    columns: Sequence[ColumnInfo],
    path: Path | str,
    fmt: str,
    *,
    order: Sequence[str],
    parts: int | None = None,
    progress: export.Progress | None = None,
    on_page: Callable[[export.Progress], None] | None = None,
    page_rows: int = export.PAGE_ROWS,
    parts_from: int = PARTS_FROM,
) -> export.Progress:
    """`export.to_file` of `store`'s rows, in `parts` processes (by default `parts_for`; one
    wherever `parts_for` says one) when the list has `parts_from` rows or more; else in this one.
    `progress.rows` counts every part's rows; `page_rows` is what all the parts hold at once (each
    reads pages of its share)."""
    progress = progress or export.Progress()
    progress.started = progress.started or time.monotonic()
    possible = parts_for(store, fmt)
    parts = possible if parts is None else parts if possible > 1 else 1
    ends: list[tuple[Any, ...]] = []
    if parts > 1:
        progress.total, ends = await store.split(query, parts, at_least=parts_from)
    if progress.total is None or progress.total < parts_from or not ends:
        return await export.to_file(store.values_page, query, columns, path, fmt, order=order, progress=progress,
                                    on_page=on_page, page_rows=page_rows)
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    ranges = list(zip([None, *ends], [*ends, None], strict=True))
    # Pages of 1/parts the size: the parts together hold what one process would (a page each
    # costs no hop to another thread here, so smaller ones cost nothing measurable).
    page_rows = max(page_rows // len(ranges), 1)
    running: list[_Part] = []
    try:
        for i, (after, until) in enumerate(ranges):
            part_path = path.with_name(f".{path.name}.part{i}")
            running.append(_fork(store, query, columns, order, fmt, after, until, part_path, page_rows))
        await _watch(running, progress, on_page)
        ended = []
        for part in running:
            _, status = os.waitpid(part.pid, 0)
            part.pid = 0  # reaped
            ended.append(os.waitstatus_to_exitcode(status))
        # The reason a part gave (the others were stopped for it), else how one ended unasked.
        failed = [p.error for p in running if p.error] or [f"a part of it ended with status {c}" for c in ended if c]
        if failed:
            raise ExportError(f"the export failed: {failed[0]}")
        with partial.open("w", encoding="utf-8", newline="") as out:
            export.WRITERS[fmt](out).begin([c.name for c in columns])
        with partial.open("r+b") as out:  # not "ab": the kernel's copy refuses a file opened to append
            out.seek(0, os.SEEK_END)
            for part in running:
                _append(out.fileno(), part.path)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        for part in running:
            if part.pid:  # the export stopped early (cancelled, or failed): so does every part
                with contextlib.suppress(ProcessLookupError):
                    os.kill(part.pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(part.pid, 0)
            os.close(part.reader)
            part.path.unlink(missing_ok=True)
    progress.parts = len(running)
    progress.parts_rss_growth_mb = sum(p.rss_growth_kb for p in running) / 1024
    return progress


def _fork(
    store: Store, query: ListQuery, columns: Sequence[ColumnInfo], order: Sequence[str], fmt: str,
    after: tuple[Any, ...] | None, until: tuple[Any, ...] | None, path: Path, page_rows: int,
) -> _Part:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the part: it never returns into the caller's code (nor its event loop)
        os.close(reader)
        code = 0
        try:
            _write_part(store, query, columns, order, fmt, after, until, path, page_rows, writer)
        except BaseException as exc:  # said to the parent, in one line
            with contextlib.suppress(OSError):
                os.write(writer, f"error {first_line(exc)}\n".encode("utf-8", "replace"))
            code = 1
        os._exit(code)
    os.close(writer)
    return _Part(pid, reader, path)


def _write_part(
    store: Store, query: ListQuery, columns: Sequence[ColumnInfo], order: Sequence[str], fmt: str,
    after: tuple[Any, ...] | None, until: tuple[Any, ...] | None, path: Path, page_rows: int, report: int,
) -> None:
    """In the forked part: its rows, page by page, after `after` up to `until` (included)."""
    started_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = make_engine(store.url, read_only=True, lock_timeout=store.lock_timeout, rules=store.backend)
    reading = store.reading
    with path.open("w", encoding="utf-8", newline="") as out:
        pages = export.Pages(out, fmt, columns, order, header=False)
        while True:
            with Session(engine) as session:
                rows, after, more = reading.values_page(session, query, after=after, until=until, limit=page_rows)
            pages.write(rows)
            os.write(report, f"rows {len(rows)}\n".encode())
            if not more:
                break
        pages.end()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - started_kb
    os.write(report, f"rss {grown}\n".encode())


async def _watch(running: list[_Part], progress: export.Progress,
                 on_page: Callable[[export.Progress], None] | None) -> None:
    """Read every part's reports until each has closed its pipe (it has ended)."""
    loop = asyncio.get_running_loop()
    ended = {part.pid: loop.create_future() for part in running}

    def readable(part: _Part) -> None:
        chunk = os.read(part.reader, 65536)
        if not chunk:
            loop.remove_reader(part.reader)
            ended[part.pid].set_result(None)
            return
        *lines, part.unread = (part.unread + chunk).split(b"\n")
        for line in lines:
            what, _, value = line.decode("utf-8", "replace").partition(" ")
            if what == "rows":
                progress.rows += int(value)
                if on_page is not None:
                    on_page(progress)
            elif what == "rss":
                part.rss_growth_kb = int(value)
            elif what == "error":
                part.error = value
                for other in running:  # one part failed: the others' rows are of no use
                    if other is not part:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(other.pid, signal.SIGKILL)

    for part in running:
        loop.add_reader(part.reader, readable, part)
    try:
        await asyncio.gather(*ended.values())
    finally:
        for part in running:
            loop.remove_reader(part.reader)


def _append(out: int, path: Path) -> None:
    """Copy the file at `path` to the end of `out`, in the kernel."""
    with path.open("rb") as part:
        size, sent = os.fstat(part.fileno()).st_size, 0
        while sent < size:
            sent += os.sendfile(out, part.fileno(), sent, size - sent)
