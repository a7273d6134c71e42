"""What every admin screen shares: access to the Store, worker failures shown (not raised), and
the App's way of telling a screen that what it shows has changed.

The App owns navigation (`ui/navigation.py`): a screen posts a message (`ui/messages.py`) for
another screen and never imports one; a screen is built once per model and reused, so it is
given its data (`present`) rather than built with it, and reloads only when `RecordsChanged`
names a model it `shows`."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_admin.core.errors import StoreError, first_line

if TYPE_CHECKING:
    from tui_admin.core.registry import ModelAdmin
    from tui_admin.core.store import Store
    from tui_admin.ui.app import AdminApp


def describe(error: BaseException) -> str:
    """One line a person can read: our own errors as they are, a driver's by its first line."""
    if isinstance(error, StoreError):
        return str(error)
    orig: Any = getattr(error, "orig", None) or error
    return f"{type(orig).__name__}: {first_line(error)}"


class SaveStopped(Exception):
    """The user stopped a save while it waited: nothing was written (see `screens/waiting.py`)."""


def related_models(store: Store, model: str) -> set[str]:
    """`model` and every registered model whose rows it shows beside its own: the targets of its
    foreign keys and relations (labels, related rows, counts) and its link models."""
    registry = store.registry
    info = store.admin(model).info
    tables = {col.foreign_key.table for col in info.columns.values() if col.foreign_key is not None}
    for rel in info.relationships.values():
        tables.add(rel.target_table)
        if rel.link_table:
            tables.add(rel.link_table)
    return {model} | {admin.info.name for table in tables if (admin := registry.for_table(table)) is not None}


#: The actions a read-only session (or a read-only model) disables.
WRITE_ACTIONS = frozenset({"new", "edit", "delete", "links"})

#: Seconds a "read-only" (or "no such table") warning stays up; the key pressed again meanwhile
#: does not stack a second one.
READ_ONLY_TIMEOUT = 3.0


class AdminScreen(Screen[Any]):
    """A screen that reads through the Store. Its workers run with `exit_on_error=False`; a
    failure becomes an error notification and the app stays usable."""

    #: Something it shows changed while it was covered: it reloads when it is shown again.
    stale = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._told: dict[str, float] = {}  # when each `tell_once` warning was last shown (monotonic)

    def read_only_reason(self) -> str | None:
        """Why writes are off here, or None: the session's `--read-only`, or the model's own
        reason (no primary key, a view)."""
        app = self.admin_app
        if app.read_only:
            return "read-only session"
        admin: ModelAdmin | None = getattr(self, "admin", None)  # the model a list or detail shows
        reason = admin.info.read_only if admin is not None else None
        return f"{admin.info.name} is read-only ({reason})" if admin is not None and reason else None

    def on_key(self, event: events.Key) -> None:
        """A write key (`n`, `e`, `d`, `l`) is disabled when writes are off, so Textual passes it
        on as a plain key: say why it did nothing instead of nothing at all. A focused input has
        already taken its letters."""
        reason = self.read_only_reason()
        if reason is None:
            return
        bound = self._bindings.key_to_bindings.get(event.key, [])
        if not any(b.action in WRITE_ACTIONS for b in bound):
            return
        event.stop()
        self.tell_once(f"{reason}: {event.key} does nothing", title="read-only", topic="read-only")

    def tell_once(self, message: str, *, title: str = "", topic: str | None = None) -> None:
        """A warning that a key did nothing, not stacked again while it is still on screen when
        the key is pressed again (`topic`, by default the message, says what counts as again)."""
        key = topic or message
        now = time.monotonic()
        if now - self._told.get(key, -READ_ONLY_TIMEOUT) < READ_ONLY_TIMEOUT:
            return
        self._told[key] = now
        self.notify(message, title=title, severity="warning", timeout=READ_ONLY_TIMEOUT)

    @property
    def admin_app(self) -> AdminApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        store = self.admin_app.store
        assert store is not None, "the Store is opened before any data screen is shown"
        return store

    def shows(self) -> set[str]:
        """The models whose rows this screen shows: a `RecordsChanged` naming one reloads it."""
        return set()

    def reload(self) -> None:
        """Read what the screen shows again, in place (cursor kept where it can be)."""

    _showing_again = False

    def showing_again(self) -> None:
        """The App is about to push this kept screen again (see `_on_screen_resume`)."""
        self._showing_again = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown, or back on top. Textual restyles every widget of a screen each time it is
        pushed; not doing so took opening a kept list again from 43 to 24 ms of the main thread's
        CPU (a detail 44 → 25, the create form 40 → 21; "next page" is 25-27; bench/run.py's Driver
        on 1,000,000 heroes). A kept screen's styles are current unless the CSS changed since they
        were computed (a theme change), which Textual's own marker `_css_update_count` says (as
        `App._init_mode` uses it; Textual is pinned below 8.3): only then is it restyled. Handled
        before `Screen._on_screen_resume` (the MRO order), which does the restyle."""
        current = self.app._css_update_count
        if self._showing_again and self._css_update_count == current:
            event.refresh_styles = False
        elif event.refresh_styles:
            self._css_update_count = current
        self._showing_again = False
        if self.stale:
            self.stale = False
            self.reload()

    def on_screen_suspend(self) -> None:
        """Closed (not merely covered): stop its loads, which would otherwise run on for a screen
        the App keeps to show again (a count on a large table, a slow search)."""
        if self not in self.app.screen_stack:
            self.workers.cancel_node(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(describe(event.worker.error), title="Error", severity="error", timeout=8)
