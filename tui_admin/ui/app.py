"""`AdminApp`: the Textual application. It owns the Store; screens ask it for data through
workers and render what comes back."""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT, EngineError, mask
from tui_admin.core.format import visible
from tui_admin.core.registry import ConfigError, Registry
from tui_admin.core.store import Store
from tui_admin.ui.commands import AdminCommands


class AdminApp(App[None]):
    """A terminal admin over `url` for the given models (table models and/or `ModelAdmin`
    subclasses, or a `Registry`); with no models, the database's tables are reflected."""

    CSS_PATH = "admin.tcss"
    TITLE = "sqladmin-tui"
    COMMANDS = App.COMMANDS | {AdminCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "toggle_help", "Help", key_display="F1/?"),
        Binding("f12", "query_log", "Query log", show=False),
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
    ) -> None:
        """`lock_timeout`: seconds a save waits for another transaction's lock before it gives up."""
        super().__init__()
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
        self.sub_title = title or mask(url)
        if read_only:
            self.sub_title += " (read-only)"

    def on_mount(self) -> None:
        from tui_admin.ui.screens.models import ModelsScreen

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
        self._collect_when_idle()
        from tui_admin.ui.screens.models import ModelsScreen

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
    COLLECT_ANYWAY = 100_000  # allocations since the last collection

    def _collect_when_idle(self) -> None:
        gc.collect()
        gc.freeze()
        gc.disable()
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
        await super().on_event(event)


    def rendered(self, what: str) -> None:
        """Note that new data is on screen, once the refresh that paints it has happened."""
        self.call_after_refresh(lambda: self.render_marks.append((what, time.perf_counter())))

    def _fail(self, message: str, code: int) -> None:
        """Stop with `message` for the caller to print (the CLI writes it to stderr, unwrapped)."""
        self.startup_error = message
        self.call_after_refresh(self.exit, None, code)

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

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
        from tui_admin.ui.screens.query_log import QueryLogScreen

        if isinstance(self.screen, QueryLogScreen):
            self.screen.dismiss(None)
        elif self.store is not None:
            self.push_screen(QueryLogScreen(self.store.log))

    async def action_quit(self) -> None:
        """Quit, asking first if a form has unsaved changes."""
        dirty = [s for s in self.screen_stack if getattr(s, "is_dirty", False)]
        if not dirty:
            self.exit()
            return
        from tui_admin.ui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("You have unsaved changes. Quit anyway?", yes="Quit"), answer)

    async def on_unmount(self) -> None:
        gc.enable()
        gc.unfreeze()
        if self.store is not None:
            await self.store.dispose()


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
