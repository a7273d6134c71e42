"""Benchmark of sqladmin-tui on a large SQLite (or PostgreSQL) database.

    python bench/run.py [--rows N] [--repeat R] [--cold R] [--json] [--url URL]

It builds once (cached in bench/.cache/, see build_db.py) a SQLite database of the demo schema
with N heroes (default 1,000,000), 100 teams and N hero-team links; `--rows 15` uses the
15-hero demo built from sample.db.sql, for comparison. With `--url` (a PostgreSQL database of the
benchmark's own, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/tui_admin_benchpg) the same
rows are loaded there with COPY, then vacuumed and analysed (once; see build_db.py), and the run is
made on it. It then drives the real `AdminApp` headless (`App.run_test`, 120x36) through these
actions, each repeated R times (default 5):

    open list      enter on Hero in the models screen             list Hero      mark list:first
    next page      pagedown until the list fetches the next page  list Hero      mark list:down
    last page      end (the last page of the whole list)          list Hero      mark list:last
    sort by name   right to the `name` column, then s             list Hero      mark list:first
    open list again  escape to the models screen, enter on Hero   list Hero      mark list:first
    prefix search  /, type "^Hero 0999", enter                    list Hero      mark list:first
    hero detail    enter on the first hero of the list            detail Hero    mark detail
    hero detail again  escape to the list, enter on it again      detail Hero    mark detail
    team detail    enter on team_id in the hero's detail (~N/100 heroes in that team)
                                                                  detail Team    mark detail
    team detail again  escape to the hero, enter on team_id again detail Team    mark detail
    create form    n in the hero list (no Store call)             -              mark form
    create form again  escape to the list, n again                -              mark form
    picker search  enter on team_id in the form, type "Team 05", enter
                                                                  choices Team   mark picker

Each screen is opened twice in a row ("… again": the screen was just shown and left), and the
table prints both with the repeated opening's ratio to "next page" (a repaint of a screen
already shown): the target is ≤ 1.3. The first opening of run 1 is the very first of the app's
life (JSON `run1_ui_ms`); in later runs the screen has been shown before.

Figures, each the median of the R runs:
- store_ms: the Store's own time for the operation that served the action (`Action.work_ms` in
  the app's query log: session, statements, loading the objects, in the thread or greenlet that
  runs it), 0 when the action needs no Store call. The wait for the event loop to start that
  thread and take its result (busy painting the screen the key changed) is not the Store's: it
  is in key→screen. The table (not the JSON) also shows "sql ms", the statements' own time in
  cursor.execute; "cpu ms" (JSON store_cpu_ms) is the CPU time of the thread that did that
  work: what the Store itself costs, where store_ms adds the waits for a CPU and for the GIL
  while the event loop paints the screen the key changed.
- ui_ms: from just before the key press to the refresh that painted the new data, as the app
  itself notes it (`AdminApp.render_marks`). The key goes to the app's driver as `Pilot.press`
  sends it, and the mark is awaited with `asyncio.sleep` polling: Pilot's fixed waits are not
  part of it, and the benchmark posts nothing into the app while an action is measured.
- statements: how many SQL statements that Store operation sent.
- count: the list's `count Hero`, which runs in the background once the first page is shown
  (store_ms only; it is not part of "open list").
- rss_mb: the peak resident memory of this process (the app and the benchmark) at the end.
- cold_start_ms: from just before spawning the real `sqladmin-tui` console script in a
  pseudo-terminal (120x36, TERM=xterm-256color) to the models screen showing the Hero row count
  in its output; median of `--cold` runs (default 3). The package's bytecode is written first,
  as installing it does (see `compile_package`).
- bare_import_ms: from spawning a fresh interpreter running only `import textual.app, sqlmodel`
  to its exit, measured in turns with the cold starts; cold_start_ratio is cold start ÷ that
  (target ≤ 1.15): what the app adds to the floor every Textual + SQLModel program pays.
- again_ratio: each repeated opening's ui_ms ÷ "next page"'s ui_ms (medians of this run).

An action that cannot happen at that size (no next or last page in a 15-row list) is null.
The table also reports the garbage collector's full collections while the app was driven (they
pause the whole process, and explain most slow outliers). The figures are wall-clock times: run
on a quiet machine, and compare medians of several runs.
Progress goes to stderr; `--json` prints exactly one JSON object on stdout:
{"open list": {"store_ms": …, "ui_ms": …, "statements": …, "run1_ui_ms": …}, …,
 "count": {"store_ms": …}, "cold_start_ms": …, "rss_mb": …, "backend": "sqlite",
 "bare_import_ms": …, "cold_start_ratio": …, "again_ratio": {"open list again": …, …}}.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import fcntl
import gc
import json
import os
import re
import resource
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_db  # the sibling module (bench/ is on the path from here on)

MODELS = "tui_admin.demo.models"
SIZE = (120, 36)
SEARCH = "^Hero 0999"
PICKER_SEARCH = "Team 05"
MARK_TIMEOUT = 60.0  # seconds an action may take before the benchmark gives up on it

#: (name, ui target ms, store target ms, statements target); None: no target.
ACTIONS: list[tuple[str, float | None, float | None, int | None]] = [
    ("open list", 50, 10, 2),
    ("open list again", 50, 10, 2),
    ("next page", 50, 10, 2),
    ("last page", 50, 10, 2),
    ("sort by name", 50, 10, 2),
    ("prefix search", 50, 10, 2),
    ("hero detail", 60, 10, 4),
    ("hero detail again", 60, 10, 4),
    ("team detail", 60, 10, 4),
    ("team detail again", 60, 10, 4),
    ("create form", 50, None, None),
    ("create form again", 50, None, None),
    ("picker search", None, 10, None),
]
#: A screen opened a second time (list, detail, form) costs at most this times "next page" (a
#: repaint of a screen already shown), in the same run.
AGAIN_TARGET = 1.3
#: Cold start costs at most this times the bare `import textual.app, sqlmodel` of the same run.
COLD_IMPORT_TARGET = 1.15
COLD_TARGET_MS = 1000.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Sample:
    store_ms: float
    ui_ms: float
    statements: int
    sql_ms: float = 0.0  # the statements' own time (cursor.execute), a part of store_ms
    cpu_ms: float = 0.0  # the CPU time of the thread that did the Store's work, a part of store_ms


class StoreCpu:
    """The CPU time of the thread running each Store read (`Reading.page`, `detail`, `choices`):
    the part of store_ms that is the Store's own work. The rest is waiting: for a CPU on a loaded
    machine, and for the GIL while the event loop paints (the sqlite3 module releases it at each
    row, and every release can hand it to the UI thread for up to a switch interval: 0.5 ms in
    the app, `AdminApp.SWITCH_INTERVAL`, where Python's default is 5 ms).

    Installed by wrapping the methods on the class, for the benchmark only; meaningful for a sync
    driver, whose reads run in a thread of their own (the benchmark's URLs are)."""

    METHODS = {"list": "page", "detail": "detail", "choices": "choices"}

    def __init__(self) -> None:
        self.calls: list[tuple[float, str, float]] = []  # (perf_counter at the start, method, cpu ms)

    def install(self) -> None:
        from tui_admin.core.reads import Reading

        for method in self.METHODS.values():
            original = getattr(Reading, method)

            def timed(*args: Any, _original: Any = original, _method: str = method, **kwargs: Any) -> Any:
                started, cpu = time.perf_counter(), time.thread_time()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.calls.append((started, _method, (time.thread_time() - cpu) * 1000))

            setattr(Reading, method, timed)

    def of(self, action: Any) -> float:
        """The CPU ms of the read that served a Store action (started after it, of its kind)."""
        method = self.METHODS.get(action.name.split(" ", 1)[0])
        found = [cpu for at, m, cpu in self.calls if m == method and at >= action.started]
        return found[0] if found else 0.0


STORE_CPU = StoreCpu()


@dataclass
class Results:
    samples: dict[str, list[Sample]] = field(default_factory=lambda: {name: [] for name, *_ in ACTIONS})
    count_ms: list[float] = field(default_factory=list)
    gc_pauses_ms: list[float] = field(default_factory=list)  # full (generation 2) collections


class GcWatch:
    """Times the garbage collector's full collections while the app runs: they stop everything,
    the event loop and the Store's thread alike, and explain the slow outliers."""

    def __init__(self, into: list[float]) -> None:
        self.into = into
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif info["generation"] == 2:
            self.into.append((time.perf_counter() - self._started) * 1000)

    async def __aenter__(self) -> GcWatch:
        gc.callbacks.append(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


class BenchError(RuntimeError):
    pass


# -- driving the app -----------------------------------------------------------------------------


def _key_event(key: str) -> Any:
    """The `Key` event a terminal would deliver for `key`, built as `Pilot.press` builds it."""
    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class Driver:
    """Sends keys to the headless app and reads what the app itself noted: its render marks and
    the Store's query log.

    A measured key is handed to the driver as `Pilot.press` does, but without Pilot's waits, and
    the render mark is awaited by polling a deque with `asyncio.sleep`: nothing of the benchmark
    runs in the app's message queues while an action is measured. Between actions `settle` waits
    (with Pilot) until no worker runs, so each action starts from a quiet app."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app = app
        self.pilot = pilot

    @property
    def store(self) -> Any:
        return self.app.store

    @property
    def screen_name(self) -> str:
        return type(self.app.screen).__name__

    def send(self, key: str) -> None:
        event = _key_event(key)
        event.set_sender(self.app)
        self.app._driver.send_message(event)

    def mark_after(self, kind: str, since: float) -> float | None:
        for what, at in list(self.app.render_marks):
            if at > since and what == kind:
                return float(at)
        return None

    async def wait_mark(self, kind: str, since: float, timeout: float = MARK_TIMEOUT) -> float:
        """The time of the first render mark `kind` noted after `since`, waiting for it."""
        deadline = time.perf_counter() + timeout
        while (at := self.mark_after(kind, since)) is None:
            if time.perf_counter() > deadline:
                raise BenchError(f"no {kind!r} render mark within {timeout:.0f} s (screen: {self.screen_name})")
            await asyncio.sleep(0.001)
        return at

    async def settle(self) -> None:
        """Until no worker runs and the message queues are drained: the next action starts clean."""
        for _ in range(2000):
            await self.pilot.pause()
            running = [w for w in self.app.workers if w.is_running]
            if not running:
                await self.pilot.pause()
                if not any(w.is_running for w in self.app.workers):
                    if errors := [n.message for n in getattr(self.app, "_notifications", ()) if n.severity == "error"]:
                        raise BenchError(f"the app shows an error: {errors}")
                    return
            else:
                await asyncio.gather(*(w.wait() for w in running), return_exceptions=True)
        raise BenchError(f"the app never settled (screen: {self.screen_name})")

    def actions_since(self, since: float, name: str | None = None) -> list[Any]:
        return [a for a in list(self.store.log.actions) if a.started >= since and (name is None or a.name == name)]

    async def measure(self, key: str | None, mark: str, store_action: str | None, *, t0: float | None = None) -> Sample:
        """Send `key` (t0 taken just before, unless the key was sent at `t0`), wait for the render
        mark `mark`, settle, and read the Store action `store_action` that served it."""
        if t0 is None:
            assert key is not None
            t0 = time.perf_counter()
            self.send(key)
        at = await self.wait_mark(mark, t0)
        await self.settle()
        if store_action is None:
            return Sample(0.0, (at - t0) * 1000, 0)
        served = [a for a in self.actions_since(t0, store_action) if a.started <= at]
        if not served:
            names = [a.name for a in self.actions_since(t0)]
            raise BenchError(f"no {store_action!r} Store action before the {mark!r} mark (saw {names})")
        action = served[-1]
        return Sample(float(action.work_ms or 0.0), (at - t0) * 1000, len(action.statements), action.ms,
                      STORE_CPU.of(action))

    def record(self, results: Results, name: str, sample: Sample) -> None:
        results.samples[name].append(sample)
        log(f"    {name:<18} store {sample.store_ms:7.1f} ms (sql {sample.sql_ms:6.1f})  "
            f"ui {sample.ui_ms:7.1f} ms  {sample.statements} stmt")

    async def press(self, *keys: str) -> None:
        """Keys that are not measured: with Pilot's waits, then settled."""
        await self.pilot.press(*keys)
        await self.settle()

    async def type_text(self, text: str) -> None:
        """Type as a person would (one key at a time); the search box's debounce must not fire
        before the enter that is measured."""
        started = time.perf_counter()
        await self.pilot.press(*text)
        if self.actions_since(started):
            raise BenchError("the search debounce fired while typing (keys came more than 0.25 s apart)")

    async def next_page(self, table: Any) -> Sample | None:
        """pagedown until a key press makes the list fetch the rows after its window; that press
        is the one measured."""
        for _ in range(100):
            row = table.cursor_row
            t0 = time.perf_counter()
            self.send("pagedown")
            deadline = t0 + 5.0
            while table.cursor_row == row and time.perf_counter() < deadline:  # the key is handled
                await asyncio.sleep(0.001)
            for _ in range(50):  # the NearEdge message it posts, and the worker that starts
                if self.actions_since(t0, "list Hero"):
                    break
                await asyncio.sleep(0.001)
            else:
                await self.settle()  # (a slow machine: the fetch may start later)
            if self.actions_since(t0, "list Hero"):
                return await self.measure(None, "list:down", "list Hero", t0=t0)
            if table.cursor_row == row:
                return None  # at the end of the list
        return None


async def drive(url: str, repeat: int) -> Results:
    from tui_admin.core.registry import Registry
    from tui_admin.ui.app import AdminApp
    from tui_admin.ui.screens.detail import DetailScreen
    from tui_admin.ui.screens.form import FormScreen
    from tui_admin.ui.screens.list import ListScreen
    from tui_admin.ui.screens.models import ModelsScreen
    from tui_admin.ui.screens.picker import PickerScreen

    results = Results()
    STORE_CPU.install()
    app = AdminApp(url, Registry.from_module(MODELS), title="bench")

    def expect(kind: type) -> Any:
        if not isinstance(app.screen, kind):
            raise BenchError(f"expected {kind.__name__}, the app shows {type(app.screen).__name__}")
        return app.screen

    async with app.run_test(size=SIZE) as pilot, GcWatch(results.gc_pauses_ms):
        d = Driver(app, pilot)
        await d.wait_mark("models", 0.0)
        await d.settle()
        models = expect(ModelsScreen)
        models_table = models.query_one("#models")
        models_table.move_cursor(row=models_table.get_row_index("Hero"))

        for run in range(1, repeat + 1):
            log(f"  run {run}/{repeat}")
            await d.settle()
            expect(ModelsScreen)

            # open list (and its background count)
            t0 = time.perf_counter()
            d.record(results, "open list", await d.measure("enter", "list:first", "list Hero"))
            counts = [a for a in d.actions_since(t0, "count Hero") if a.work_ms is not None]
            if counts:
                results.count_ms.append(float(counts[-1].work_ms))
            screen = expect(ListScreen)
            table = screen.query_one("#records")

            # next page, then the last page (neither exists when the list fits in one page)
            if screen.window.more_after and (sample := await d.next_page(table)) is not None:
                d.record(results, "next page", sample)
            if screen.window.more_after:
                d.record(results, "last page", await d.measure("end", "list:last", "list Hero"))

            # sort by name: the cursor to the name column, then s
            name_col = screen.columns.index("name")
            while table.cursor_column != name_col:
                await d.press("right" if table.cursor_column < name_col else "left")
            d.record(results, "sort by name", await d.measure("s", "list:first", "list Hero"))

            # back to the models screen, and open the list again (sorted by key) for the search
            await d.press("escape")
            expect(ModelsScreen)
            d.record(results, "open list again", await d.measure("enter", "list:first", "list Hero"))
            screen = expect(ListScreen)

            # prefix search: type, then measure the enter that applies it at once
            await d.press("slash")
            await d.type_text(SEARCH)
            d.record(results, "prefix search", await d.measure("enter", "list:first", "list Hero"))

            # escape clears the search: the list is back to its first page
            t0 = time.perf_counter()
            await d.press("escape")
            await d.wait_mark("list:first", t0)

            # hero detail, of the first hero; back to the list, and the same detail again
            d.record(results, "hero detail", await d.measure("enter", "detail", "detail Hero"))
            expect(DetailScreen)
            await d.press("escape")
            expect(ListScreen)
            d.record(results, "hero detail again", await d.measure("enter", "detail", "detail Hero"))
            detail = expect(DetailScreen)
            if detail.detail is None or detail.detail.record.obj.team_id is None:
                raise BenchError("the first hero has no team")

            # team detail: enter on the hero's team_id; back to the hero, and the team again
            async def to_team_id() -> None:
                fields = expect(DetailScreen).query_one("#fields")
                fields.move_cursor(row=fields.get_row_index("field:team_id"))
                await d.settle()

            await to_team_id()
            d.record(results, "team detail", await d.measure("enter", "detail", "detail Team"))
            expect(DetailScreen)
            await d.press("escape")
            await to_team_id()
            d.record(results, "team detail again", await d.measure("enter", "detail", "detail Team"))
            expect(DetailScreen)

            # back to the list (each screen reloads as it comes back)
            await d.press("escape")
            await d.press("escape")
            expect(ListScreen)

            # create form; back to the list, and the form again
            d.record(results, "create form", await d.measure("n", "form", None))
            expect(FormScreen)
            await d.press("escape")
            expect(ListScreen)
            d.record(results, "create form again", await d.measure("n", "form", None))
            form = expect(FormScreen)

            # the team picker: open it, type, and measure the enter that applies the search
            form.query_one("#field-team_id").focus()
            await d.settle()
            t0 = time.perf_counter()
            await d.press("enter")
            await d.wait_mark("picker", t0)
            expect(PickerScreen)
            await d.type_text(PICKER_SEARCH)
            d.record(results, "picker search", await d.measure("enter", "picker", "choices Team"))

            # picker → form → list → models
            for _ in range(3):
                await d.press("escape")
            expect(ModelsScreen)
    return results


# -- cold start ----------------------------------------------------------------------------------

_ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_=>78])")


#: The Hero row of the models screen once its count is in (before, the cell shows "…").
_HERO_COUNT = re.compile(r"Hero\s+hero\s+([0-9][0-9,]*)(?=\s)")


def cold_start_once(url: str, timeout: float = 30.0) -> tuple[float, str]:
    """Milliseconds from spawning `sqladmin-tui` in a pseudo-terminal to the models screen showing
    the Hero row count, and the count as the screen showed it."""
    script = Path(sys.executable).parent / "sqladmin-tui"
    master, slave = os.openpty()
    rows, cols = SIZE[1], SIZE[0]
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") and not k.startswith("TEXTUAL")}
    env["TERM"] = "xterm-256color"
    output = bytearray()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(script), url, "--models", MODELS],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True,
    )
    os.close(slave)
    try:
        while True:
            left = timeout - (time.perf_counter() - started)
            if left <= 0:
                raise BenchError(f"cold start: no Hero row count on screen within {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    tail = bytes(output)[-500:]
                    raise BenchError(f"cold start: sqladmin-tui exited with {proc.returncode}: {tail!r}")
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                raise BenchError(f"cold start: sqladmin-tui closed its terminal: {bytes(output)[-500:]!r}")
            now = time.perf_counter()
            output += chunk
            text = _ESCAPES.sub(b"", bytes(output)).decode("utf-8", "replace")
            if shown := _HERO_COUNT.search(text):
                return (now - started) * 1000, shown.group(1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)


#: What any Textual + SQLModel program pays before its first line runs: the floor of a cold start.
BARE_IMPORT = "import textual.app, sqlmodel"


def bare_import_once() -> float:
    """Milliseconds from spawning a fresh interpreter (this one's, with the environment the cold
    start gets) that runs only `import textual.app, sqlmodel` to its exit."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") and not k.startswith("TEXTUAL")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_IMPORT], env=env, check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def compile_package() -> None:
    """Write tui_admin's bytecode, as `pip install .` does for an installed package (and has done
    for Textual's and SQLModel's, which the bare import loads). An editable install under
    PYTHONDONTWRITEBYTECODE=1 (set on this machine) has none, and every cold start compiled the
    package's ~80 modules from source first: 170 ms that no installed copy pays."""
    import tui_admin

    compileall.compile_dir(Path(tui_admin.__file__).parent, quiet=1)


def cold_start(url: str, rows: int, runs: int) -> tuple[float | None, float | None]:
    """The medians of `runs` cold starts and of as many bare imports, taken in turns (an import,
    then a cold start), so that both see the same load on the machine."""
    if runs:
        compile_package()
    times: list[float] = []
    imports: list[float] = []
    for i in range(runs):
        imports.append(bare_import_once())
        ms, shown = cold_start_once(url)
        log(f"  cold start {i + 1}/{runs}: {ms:.0f} ms (Hero rows shown as {shown!r}); "
            f"bare import {imports[-1]:.0f} ms")
        if shown != f"{rows:,}":
            log(f"  warning: the models screen shows {shown!r} for {rows:,} heroes (a cut-off column?)")
        times.append(ms)
    return (statistics.median(times) if times else None), (statistics.median(imports) if imports else None)


# -- report --------------------------------------------------------------------------------------


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


#: The screens opened twice: (first opening, repeated opening).
OPENINGS = [(name, f"{name} again") for name in ("open list", "hero detail", "team detail", "create form")]


def summarize(
    results: Results, cold_ms: float | None, rss_mb: float, *, import_ms: float | None = None,
    backend: str = "sqlite",
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for name, *_ in ACTIONS:
        samples = results.samples[name]
        report[name] = {
            "store_ms": _median([s.store_ms for s in samples]),
            "ui_ms": _median([s.ui_ms for s in samples]),
            "statements": int(statistics.median([s.statements for s in samples])) if samples else None,
            "store_cpu_ms": _median([s.cpu_ms for s in samples]),
            # The first run's figure: in it the first opening is the very first of the app's life.
            "run1_ui_ms": round(samples[0].ui_ms, 2) if samples else None,
        }
    report["count"] = {"store_ms": _median(results.count_ms)}
    report["cold_start_ms"] = round(cold_ms, 1) if cold_ms is not None else None
    report["rss_mb"] = round(rss_mb, 1)
    report["backend"] = backend
    report["bare_import_ms"] = round(import_ms, 1) if import_ms is not None else None
    report["cold_start_ratio"] = _ratio(cold_ms, import_ms)
    next_page = report["next page"]["ui_ms"]
    report["again_ratio"] = {again: _ratio(report[again]["ui_ms"], next_page) for _, again in OPENINGS}
    return report


def table(report: dict[str, Any], results: Results, rows: int, repeat: int, backend: str = "sqlite") -> str:
    def cell(value: Any, target: float | None, fmt: str) -> str:
        if value is None:
            return "–  "
        over = target is not None and value > target
        return format(value, fmt) + (" !" if over else "  ")

    lines = [
        f"sqladmin-tui benchmark · {backend} · {rows:,} heroes · median of {repeat} · ! = over target",
        f"{'action':<19}{'store ms':>11}{'(sql ms)':>10}{'(cpu ms)':>10}{'key→screen ms':>16}{'statements':>13}"
        "   targets: store / ui / statements",
    ]
    for name, ui_t, store_t, stmt_t in ACTIONS:
        r = report[name]
        sql = _median([s.sql_ms for s in results.samples[name]])
        cpu = _median([s.cpu_ms for s in results.samples[name]])
        targets = " / ".join("–" if t is None else f"{t:g}" for t in (store_t, ui_t, stmt_t))
        lines.append(
            f"{name:<19}{cell(r['store_ms'], store_t, '.1f'):>11}"
            f"{cell(sql, None, '.1f'):>10}{cell(cpu, None, '.1f'):>10}"
            f"{cell(r['ui_ms'], ui_t, '.1f'):>16}{cell(r['statements'], stmt_t, 'd'):>13}   {targets}"
        )
    lines.append(f"{'count':<19}{cell(report['count']['store_ms'], None, '.1f'):>11}   (in the background)")
    lines.append("")
    lines.append(f"opening a screen, key→screen ms: first / again; again ÷ next page "
                 f"({report['next page']['ui_ms'] or 0:.1f} ms), target ≤ {AGAIN_TARGET:g}")
    for first, again in OPENINGS:
        ratio = report["again_ratio"][again]
        a, b = report[first], report[again]
        lines.append(
            f"  {first:<13}{cell(a['ui_ms'], None, '.1f'):>10}{cell(b['ui_ms'], None, '.1f'):>10}"
            f"   ×{cell(ratio, AGAIN_TARGET, '.2f')}   (run 1: {a['run1_ui_ms'] or 0:.1f} / {b['run1_ui_ms'] or 0:.1f})"
        )
    cold = cell(report["cold_start_ms"], COLD_TARGET_MS, ".0f")
    lines.append(f"cold start     {cold} ms (target {COLD_TARGET_MS:g})")
    bare = report["bare_import_ms"]
    if bare is not None:
        ratio = cell(report["cold_start_ratio"], COLD_IMPORT_TARGET, ".2f")
        lines.append(f"bare import    {bare:.0f} ms ({BARE_IMPORT!r} in a fresh interpreter); cold start ÷ it "
                     f"×{ratio} (target ≤ {COLD_IMPORT_TARGET:g})")
    lines.append(f"peak RSS       {report['rss_mb']:.1f} MB")
    pauses = results.gc_pauses_ms
    if pauses:
        lines.append(f"full GC        {len(pauses)} pauses while driving, {sum(pauses):.0f} ms in all, "
                     f"median {statistics.median(pauses):.0f} ms, max {max(pauses):.0f} ms")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark sqladmin-tui on a large SQLite (or PostgreSQL) database.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="heroes and links (default 1,000,000; 15 = demo)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each action (default 5)")
    parser.add_argument("--cold", type=int, default=3, help="cold starts (default 3; 0 skips them)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--url", help="run on this PostgreSQL database instead (built there if needed, see "
                                      "build_db.py), e.g. postgresql+psycopg://postgres@127.0.0.1:5432/tui_admin_benchpg")
    args = parser.parse_args()
    if args.rows < 1 or args.repeat < 1 or args.cold < 0:
        parser.error("--rows and --repeat must be at least 1, --cold at least 0")

    # Built in a child process, so that the build's memory is not part of this process's peak RSS.
    build = [sys.executable, str(Path(build_db.__file__)), "--rows", str(args.rows)]
    if args.url:
        url = args.url
        if not build_db.pg_is_built(url, args.rows):
            log(f"building the database for {args.rows:,} heroes on {url}…")
            subprocess.run([*build, "--url", url], check=True, stdout=subprocess.DEVNULL)
    else:
        path = build_db.path_for(args.rows)
        if not path.exists():
            log(f"building the database for {args.rows:,} heroes…")
            subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        url = f"sqlite:///{path}"
    log(f"database: {url}")

    log(f"driving the app headless ({args.repeat} runs)…")
    results = asyncio.run(drive(url, args.repeat))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log("cold start…")
    cold_ms, import_ms = cold_start(url, args.rows, args.cold)

    backend = url.split(":", 1)[0].split("+", 1)[0]
    report = summarize(results, cold_ms, rss_mb, import_ms=import_ms, backend=backend)
    if args.json:
        print(json.dumps(report))
    else:
        print(table(report, results, args.rows, args.repeat, backend))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
