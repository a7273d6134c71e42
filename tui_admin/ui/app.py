"""`AdminApp`: the Textual application. It owns the Store and navigation: screens read through
workers and render what comes back, and post messages (`ui/messages.py`) for another screen,
which the App loads and shows (`ui/navigation.py`); it also shows the dialogs screens ask for."""

from __future__ import annotations

import difflib
import gc
import importlib
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT, EngineError, mask
from tui_admin.core.format import visible
from tui_admin.core.introspect import ColumnInfo
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ConfigError, ModelAdmin, Registry
from tui_admin.core.store import Store
from tui_admin.ui.commands import AdminCommands, DoctorCommands
from tui_admin.ui.messages import (
    DeleteRecord,
    DeleteRecords,
    EditLinks,
    EditRecord,
    OpenDetail,
    OpenList,
    RecordsChanged,
)
from tui_admin.ui.screens.base import describe
from tui_admin.ui.screens.models import ModelsScreen

if TYPE_CHECKING:
    from tui_admin.ui.navigation import Navigator
    from tui_admin.ui.screens.picker import Picked

T = TypeVar("T")

#: What the first screen (the models and their counts) does not need: imported where first used,
#: and all of them once the counts are painted and the keys pause (`AdminApp._settle`), so that
#: neither the start nor, as a rule, the first navigation waits for them. Importing them up front
#: cost 40 ms of each cold start (bench/run.py).
DEFERRED = (
    "tui_admin.ui.navigation", "tui_admin.ui.screens.confirm", "tui_admin.ui.screens.doctor",
    "tui_admin.ui.screens.export", "tui_admin.ui.screens.link_form", "tui_admin.ui.screens.picker",
    "tui_admin.ui.screens.query_log", "tui_admin.ui.screens.waiting", "tui_admin.core.doctor",
)


def load_deferred() -> None:
    """Import every module of `DEFERRED` (those already imported cost nothing)."""
    for name in DEFERRED:
        importlib.import_module(name)


def binding_ids() -> set[str]:
    """The id of every key binding of the app, its screens and widgets: what a keymap may name."""
    load_deferred()  # their screens' bindings too
    found: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui_admin."):
            found |= {b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id}
    return found


class AdminApp(App[None]):
    """A terminal admin over `url` for the given models (table models and/or `ModelAdmin`
    subclasses, or a `Registry`); with no models, the database's tables are reflected."""

    CSS_PATH = "admin.tcss"
    TITLE = "sqladmin-tui"
    COMMANDS = App.COMMANDS | {AdminCommands, DoctorCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f1,question_mark", "toggle_help", "Help", key_display="F1/?", id="app.help"),
        Binding("escape", "close_help", "Close help", priority=True, id="app.close_help"),
        Binding("f12", "query_log", "Query log", show=False, id="app.query_log"),
    ]

    def __init__(
        self,
        url: str,
        models: Sequence[type] | Registry | None = None,
        *,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        title: str | None = None,
        schemas: Sequence[str] | None = None,
        theme: str | None = None,
        keymap: dict[str, str] | None = None,
    ) -> None:
        """`lock_timeout`: seconds a save waits for another transaction's lock before it gives up.
        `theme`: a Textual theme's name; `keymap`: binding id → keys (the config file's `[keys]`),
        e.g. `{"app.quit": "ctrl+q,f10"}`."""
        super().__init__()
        if theme is not None:
            if theme not in self.available_themes:
                raise ValueError(f"no theme {theme!r} (themes: {', '.join(sorted(self.available_themes))})")
            self.theme = theme
        if keymap:
            known = binding_ids()
            for name in keymap:
                if name not in known:
                    close = difflib.get_close_matches(name, sorted(known), n=1)
                    hint = f" — did you mean {close[0]!r}?" if close else ""
                    raise ValueError(f"keys: no key binding has the id {name!r}{hint}")
            self.set_keymap(keymap)
        self.url = url
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.schemas = schemas  # the schemas reflected, when no models are given (all when None)
        self._models = models
        self.store: Store | None = None
        #: Why the database could not be opened (the app then exits with a non-zero code).
        self.startup_error: str | None = None
        #: (what, when) each time a screen has painted new data: how benchmarks measure
        #: key-to-screen inside the app. Bounded, and cheap enough to keep on.
        self.render_marks: deque[tuple[str, float]] = deque(maxlen=200)
        self._navigator: Navigator | None = None
        self.sub_title = title or mask(url)
        if read_only:
            self.sub_title += " (read-only)"

    @property
    def navigator(self) -> Navigator:
        if self._navigator is None:
            from tui_admin.ui.navigation import Navigator  # see DEFERRED

            self._navigator = Navigator(self)
        return self._navigator

    #: Seconds the event loop's thread may hold the GIL while the Store's thread waits for it
    #: (Python's default: 5 ms). A sync driver's read gives the GIL up at each statement and row
    #: (sqlite3 at every step), and while a screen paints, each return waited for up to the whole
    #: interval: bench/run.py's picker search took 13.6-30 ms of Store time for 1.9 ms of its
    #: thread's CPU; at 0.5 ms, 3.9 ms, and every key→screen time fell too. Set once the app has
    #: settled (`_settle`): set on mount, it delayed the first screen (cold start 766 → 790 ms,
    #: medians of 12 in alternating order).
    SWITCH_INTERVAL = 0.0005

    def on_mount(self) -> None:
        self.push_screen(ModelsScreen())
        self.connect()

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self) -> None:
        """Open the database in a worker, so the first screen paints before the connection
        (and, without models, the reflection) is done."""
        try:
            registry = self._models if isinstance(self._models, Registry) or self._models is None else Registry(
                self._models
            )
            store = Store(self.url, registry, read_only=self.read_only, lock_timeout=self.lock_timeout)
            await store.ping()
            if registry is None:
                await store.reflect(self.schemas)
        except (ConfigError, EngineError) as exc:
            self._fail(str(exc), 2)
            return
        except Exception as exc:  # a connection failure: say why, in one line, and stop
            self._fail(f"cannot open {mask(self.url)}: {_first_line(exc)}", 1)
            return
        self.store = store
        # The first collection walks everything loaded (45-55 ms): not on the way to the first
        # screen's counts, but once they are painted (`rendered`), with the modules they did not
        # need; after SETTLE_AFTER at the latest (counts that never come).
        self.set_timer(self.SETTLE_AFTER, self._settle)
        for screen in self.screen_stack:
            if isinstance(screen, ModelsScreen):
                screen.show_models()

    # -- garbage collection ---------------------------------------------------------------------
    #
    # A full collection walks every tracked object (~90,000 once Textual, SQLAlchemy and pydantic
    # are loaded) and paused a key press by 100-180 ms, several times a minute (measured with
    # bench/run.py). So once the app is up, what exists is frozen (never walked again), automatic
    # collection is off, and the young objects are collected when the user pauses, or at once if
    # they pile up under continuous input, which keeps memory flat.

    IDLE_BEFORE_COLLECT = 0.5  # seconds without a key or click
    SETTLE_AFTER = 2.0  # seconds from the connection to `_settle`, at the latest
    COLLECT_ANYWAY = 100_000  # allocations since the last collection

    _settled = False
    _ended = False  # on_unmount has run
    _settle_timer: Timer | None = None
    SETTLE_DELAY = 0.3  # seconds from the first screen's data on screen (or the last key) to `_settle`

    def _settle(self) -> None:
        """Load what the first screen did not need (`DEFERRED`), then freeze it all (once)."""
        if self._settled or self._ended:  # a timer's call may still come after on_unmount
            return
        self._settled = True
        load_deferred()
        gc.collect()
        _TUNING.take(self.SWITCH_INTERVAL)
        self._last_input = time.monotonic()
        self.set_interval(0.5, self._idle_collect)

    def _idle_collect(self) -> None:
        """The young generations when idle (a few ms); everything only once ten of those have run,
        as the collector's own default would."""
        young, _middle, old = gc.get_count()
        idle = time.monotonic() - self._last_input >= self.IDLE_BEFORE_COLLECT
        if (idle and young) or young > self.COLLECT_ANYWAY:
            gc.collect(2 if old >= 10 else 1)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
            if self._settle_timer is not None and not self._settled:
                self._settle_timer.reset()  # settle once the user pauses, not while a key is served
        await super().on_event(event)


    def rendered(self, what: str) -> None:
        """Note that new data is on screen, once the refresh that paints it has happened; the
        first screen's data painted, settle (`_settle`)."""
        self.call_after_refresh(lambda: self.render_marks.append((what, time.perf_counter())))
        if not self._settled and self.store is not None and self._settle_timer is None:
            # Not at once: the driver's writer thread puts the frame on the terminal, and it
            # needs the GIL that the imports and the collection would hold (measured: the cold
            # start's count reached the terminal 100 ms later).
            self._settle_timer = self.set_timer(self.SETTLE_DELAY, self._settle)

    def _fail(self, message: str, code: int) -> None:
        """Stop with `message` for the caller to print (the CLI writes it to stderr, unwrapped)."""
        self.startup_error = message
        self.call_after_refresh(self.exit, None, code)

    def _help_shown(self) -> bool:
        # By its CSS type name, not its class: importing HelpPanel imports Markdown (markdown-it),
        # 130 ms that the first key bar paid on the way to the first screen (bench/run.py).
        return bool(self.screen.query("HelpPanel"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`escape` means "close help" only while the help panel is open: otherwise the binding is
        off, so the screen's own `escape` (back, cancel) is the one run and shown in the key bar."""
        if action == "close_help":
            return self._help_shown()
        return True

    def action_toggle_help(self) -> None:
        if self._help_shown():
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
        self.screen.refresh_bindings()

    def action_close_help(self) -> None:
        """`escape` closes the help panel when it is open, before the screen's own `escape`
        would leave the screen under it."""
        if not self._help_shown():
            raise SkipAction()
        self.action_hide_help_panel()
        self.screen.refresh_bindings()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: messages name records and echo driver errors, so
        markup is never read (whatever a caller asks) and control characters are made visible."""
        del markup
        message = visible(str(message), keep_newlines=True)
        super().notify(message, title=visible(str(title)), severity=severity, timeout=timeout, markup=False)

    def action_query_log(self) -> None:
        from tui_admin.ui.screens.query_log import QueryLogScreen  # see DEFERRED

        if isinstance(self.screen, QueryLogScreen):
            self.screen.dismiss(None)
        elif self.store is not None:
            self.push_screen(QueryLogScreen(self.store))

    def action_doctor(self) -> None:
        """The doctor's findings (command palette → "Doctor"): the user's models are checked with
        their module when they were given, a reflected database by its own rules only."""
        from tui_admin.core.doctor import models_module  # see DEFERRED
        from tui_admin.ui.screens.doctor import DoctorScreen

        if self.store is None or isinstance(self.screen, DoctorScreen):
            return
        given = self._models is not None
        self.push_screen(DoctorScreen(models=given, module=models_module(self.store.registry) if given else None))

    async def action_quit(self) -> None:
        """Quit, asking first if a form has unsaved changes."""
        dirty = [s for s in self.screen_stack if getattr(s, "is_dirty", False)]
        if not dirty:
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.ask("You have unsaved changes. Quit anyway?", answer, yes="Quit")

    # -- navigation: what the screens post (see ui/navigation.py) ------------------------------

    def on_open_list(self, message: OpenList) -> None:
        self.navigator.open_list(message.query)

    def on_open_detail(self, message: OpenDetail) -> None:
        self.navigator.open_detail(message.model, message.pk)

    def on_edit_record(self, message: EditRecord) -> None:
        self.navigator.edit_record(message.model, message.pk)

    def on_edit_links(self, message: EditLinks) -> None:
        self.navigator.edit_links(message.model, message.pk, message.relation, message.label)

    def on_delete_record(self, message: DeleteRecord) -> None:
        self.navigator.delete_record(message.model, message.pk)

    def on_delete_records(self, message: DeleteRecords) -> None:
        self.navigator.delete_records(message.model, message.chosen, message.done)

    def on_records_changed(self, message: RecordsChanged) -> None:
        self.navigator.records_changed(message.models)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The App's own workers (navigation, deletes) fail as the screens' do: with a message."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(describe(event.worker.error), title="Error", severity="error", timeout=8)

    # -- dialogs the screens ask for (a screen does not import another screen) -----------------

    def ask(self, question: str, answer: Callable[[bool | None], None], *, yes: str = "Yes", no: str = "No") -> None:
        """A yes/no question (plain text); `answer` gets True for yes."""
        from tui_admin.ui.screens.confirm import ConfirmScreen  # see DEFERRED

        self.push_screen(ConfirmScreen(question, yes=yes, no=no), answer)

    def pick(self, col: ColumnInfo, current: Any, label: str | None, picked: Callable[[Picked | None], None]) -> None:
        """The search picker for foreign key `col`; `picked` gets the chosen record, or None."""
        from tui_admin.ui.screens.picker import PickerScreen  # see DEFERRED

        assert self.store is not None
        self.push_screen(PickerScreen(self.store, col, current, label), picked)

    def export_rows(self, query: ListQuery, what: str) -> None:
        """The export dialog for the rows of `query` (a list's view, or its marked rows)."""
        from tui_admin.ui.screens.export import ExportScreen  # see DEFERRED

        assert self.store is not None
        self.push_screen(ExportScreen(self.store, query, what))

    def edit_link_row(self, link: ModelAdmin, columns: list[str], values: dict[str, Any], title: str,
                      done: Callable[[dict[str, Any] | None], None]) -> None:
        """The small form of a link row's own `columns`; `done` gets the new values, or None."""
        from tui_admin.ui.screens.link_form import LinkFormScreen  # see DEFERRED

        self.push_screen(LinkFormScreen(link, columns, values, title=title), done)

    async def save_visibly(self, screen: Screen[Any], what: str, operation: Awaitable[T]) -> T:
        """A write awaited from `screen`'s worker, saying so if it waits (see screens/waiting.py)."""
        from tui_admin.ui.screens.waiting import save_visibly  # see DEFERRED

        return await save_visibly(screen, what, operation)

    async def on_unmount(self) -> None:
        self._ended = True
        if self._settled:
            _TUNING.give_back()
        if self.store is not None:
            await self.store.dispose()


class _ProcessTuning:
    """What a settled app changes for the whole process (the collector frozen and off, the GIL's
    switch interval), and puts back when the last app that changed it ends: two apps may run at
    once in one process (tests of concurrent edits do), and the first to end must not undo it for
    the other, nor the other restore what the first had set."""

    def __init__(self) -> None:
        self.apps = 0
        self.interval = 0.0
        self.collecting = True

    def take(self, interval: float) -> None:
        if self.apps == 0:
            self.interval, self.collecting = sys.getswitchinterval(), gc.isenabled()
            sys.setswitchinterval(interval)
        self.apps += 1
        gc.freeze()
        gc.disable()

    def give_back(self) -> None:
        self.apps -= 1
        if self.apps == 0:
            sys.setswitchinterval(self.interval)
            gc.unfreeze()
            if self.collecting:
                gc.enable()


_TUNING = _ProcessTuning()


def _first_line(exc: BaseException) -> str:
    """The driver's reason on one line (psycopg and others spread it over several), with the
    underlying cause when the driver keeps it apart (aiomysql: "Can't connect" … refused)."""
    orig: Any = getattr(exc, "orig", None) or exc

    def flat(error: BaseException) -> str:
        return " ".join(line.strip() for line in str(error).strip().splitlines() if line.strip())

    text = flat(orig) or type(orig).__name__
    cause = orig.__cause__
    if cause is not None and flat(cause) and flat(cause) not in text:
        text += f" ({flat(cause)})"
    return text
