"""What every admin screen shares: access to the Store, and worker failures shown, not raised."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui_admin.core.errors import StoreError, first_line

if TYPE_CHECKING:
    from tui_admin.core.store import Store
    from tui_admin.ui.app import AdminApp


def describe(error: BaseException) -> str:
    """One line a person can read: our own errors as they are, a driver's by its first line."""
    if isinstance(error, StoreError):
        return str(error)
    orig: Any = getattr(error, "orig", None) or error
    return f"{type(orig).__name__}: {first_line(error)}"


NAVIGATION_SPINNER_AFTER = 0.3  # seconds before a screen still loading its data says so


class AdminScreen(Screen[Any]):
    """A screen that reads through the Store. Its workers run with `exit_on_error=False`; a
    failure becomes an error notification and the app stays usable."""

    _suspended = False
    _covered_by_modal = False

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self._covered_by_modal = isinstance(self.app.screen_stack[-1], ModalScreen)

    @property
    def back_from_another_screen(self) -> bool:
        """Resumed after a full screen (a form, another record) rather than a dialog or the query
        log (and not merely shown for the first time): what that screen did may have changed the
        data shown here, so it is worth reading again."""
        return self._suspended and not self._covered_by_modal

    @property
    def admin_app(self) -> AdminApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        store = self.admin_app.store
        assert store is not None, "the Store is opened before any data screen is shown"
        return store

    def navigate(self, opening: Coroutine[Any, Any, None]) -> None:
        """Open another screen once its data is loaded (the screens' `open` classmethods), so that
        it is drawn once, with its data, instead of empty and then again. If that takes a while (a
        distant server), this screen shows the loading indicator meanwhile. A newer navigation
        replaces one still loading; a failure is shown like any worker's."""

        async def open_and_wait() -> None:
            slow = self.set_timer(NAVIGATION_SPINNER_AFTER, lambda: setattr(self, "loading", True))
            try:
                await opening
            finally:
                slow.stop()
                self.loading = False

        self.run_worker(open_and_wait(), group="navigate", exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(describe(event.worker.error), title="Error", severity="error", timeout=8)
