"""A save that is still running after half a second is most often waiting for a lock that another
transaction holds (someone editing the same row in another tool). Say so, and let `escape` stop
it: the Store's call is cancelled, the Runner stops the statement in the database and rolls the
transaction back, so nothing is written. Until then the lock timeout (`--lock-timeout`) ends the
wait with its own message."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui_admin.ui.screens.base import SaveStopped

__all__ = ["WAIT_NOTICE_AFTER", "SaveStopped", "WaitingScreen", "save_visibly"]

T = TypeVar("T")

#: Seconds a save runs before the screen says that it is waiting.
WAIT_NOTICE_AFTER = 0.5


class WaitingScreen(ModalScreen[None]):
    """Over the screen that saves, while its save waits; `escape` stops the save."""

    DEFAULT_CSS = """
    WaitingScreen { align: center middle; }
    #waiting-dialog { width: 70; height: auto; padding: 1 2; border: thick $warning 80%; background: $surface; }
    #waiting-message { width: 100%; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "stop", "Stop waiting", id="waiting.stop")]

    def __init__(self, what: str, task: asyncio.Future[object]) -> None:
        super().__init__()
        self.what = what
        self.saving = task
        self.stopped = False
        self._finished = False
        self._left = False

    def compose(self) -> ComposeResult:
        with Vertical(id="waiting-dialog"):
            yield Static(
                Text(f"{self.what}: still waiting for the database. Another transaction probably holds a lock "
                     "on what this changes."),
                id="waiting-message",
            )
            yield Static(Text("escape: stop waiting (nothing is written)"), id="waiting-hint")

    def action_stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self.saving.cancel()
        self.query_one("#waiting-hint", Static).update(Text("Stopping…"))

    def finish(self) -> None:
        """The save is over: leave now, or as soon as a screen opened over this one closes."""
        self._finished = True
        self._leave()

    def on_screen_resume(self) -> None:
        if self._finished:
            self._leave()

    def _leave(self) -> None:
        # Only from the top of the stack (dismiss pops whatever is there), and only once.
        if not self._left and self.app.screen is self:
            self._left = True
            self.dismiss()


async def save_visibly(screen: Screen[object], what: str, operation: Awaitable[T]) -> T:
    """Await a Store write from a screen's worker; after `WAIT_NOTICE_AFTER` seconds still running,
    show a `WaitingScreen`. Raises `SaveStopped` when the user stopped it there. Screens call it
    through `AdminApp.save_visibly` (a screen does not import another screen)."""
    task: asyncio.Future[T] = asyncio.ensure_future(operation)
    dialog: WaitingScreen | None = None

    def notice() -> None:
        nonlocal dialog
        if not task.done():
            dialog = WaitingScreen(what, task)  # type: ignore[arg-type]
            screen.app.push_screen(dialog)

    timer = screen.set_timer(WAIT_NOTICE_AFTER, notice)
    try:
        return await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if dialog is not None and dialog.stopped and not (current is not None and current.cancelling()):
            raise SaveStopped(f"{what}: stopped while waiting; nothing was written") from None
        raise  # the worker itself was cancelled (its screen closed, the app quit)
    finally:
        timer.stop()
        if dialog is not None:
            dialog.finish()
