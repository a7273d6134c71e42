"""The App's navigation: screens post what they want (`ui/messages.py`); this loads the data, shows
the screen with it, and tells the screens that show a changed model to reload.

Opening a screen cost far more than its data (bench/run.py on 1,000,000 heroes: open list 80 ms
from key to screen for 6 ms of Store time, a hero's detail 69 ms for 4 ms, the create form 69-91
ms, while "next page", a repaint of a screen already shown, took 41 ms): the rest was Textual
composing a new screen and styling its widgets. So the screens of a model are built once and kept
(installed in the App, so that Textual does not destroy them when they close), then shown again
with new data (`present`), their state reset. A screen is on the stack at most once: when the kept
one is already there (a hero's detail → its team's heroes → another hero's detail), a fresh one is
built for that visit. Measured (main-thread CPU from key to painted data, the same Driver): opening
a kept list, detail or create form again costs 21-25 ms, no more than a "next page" (25-27 ms);
the first opening still composes (73-85 ms).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen

from tui_admin.core.deletion import DeletePlan
from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store
from tui_admin.ui.screens.base import AdminScreen, SaveStopped
from tui_admin.ui.screens.confirm import ConfirmScreen, delete_question, deleted_what
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.waiting import save_visibly

if TYPE_CHECKING:
    from tui_admin.ui.app import AdminApp

T = TypeVar("T")
S = TypeVar("S", bound=AdminScreen)

SPINNER_AFTER = 0.3  # seconds before the screen a navigation starts from says it is loading
KEPT = 16  # screens kept for reuse, the least recently shown given up first


class Navigator:
    """Owned by the `AdminApp`, which hands it the screens' messages."""

    def __init__(self, app: AdminApp) -> None:
        self.app = app
        self._kept: OrderedDict[tuple[str, ...], AdminScreen] = OrderedDict()

    @property
    def store(self) -> Store:
        store = self.app.store
        assert store is not None, "nothing navigates before the Store is open"
        return store

    # -- opening screens ----------------------------------------------------------------------

    def open_list(self, query: ListQuery) -> None:
        admin = self.store.admin(query.model)

        def show(page: Any) -> None:
            screen = self._screen(("list", query.model), lambda: ListScreen(query.model))
            screen.present(query, page)
            self.app.push_screen(screen)

        self._navigate(self.store.page(query, limit=admin.page_size), show)

    def open_detail(self, model: str, pk: tuple[Any, ...]) -> None:
        def show(detail: Any) -> None:
            screen = self._screen(("detail", model), lambda: DetailScreen(model, pk))
            screen.present(pk, detail)
            self.app.push_screen(screen)

        self._navigate(self.store.detail(model, pk), show)

    def edit_record(self, model: str, pk: tuple[Any, ...] | None) -> None:
        """The form (an edit form once its record is loaded); once saved, the record's detail."""

        def show(record: Any) -> None:
            mode = "create" if pk is None else "edit"
            screen = self._screen(("form", model, mode), lambda: FormScreen(model, pk, record))
            screen.present(pk, record)
            self.app.push_screen(screen, lambda saved: self._saved(model, saved))

        if pk is None:  # a create form needs nothing from the database
            self.app.workers.cancel_group(self.app, "navigate")
            show(None)
        else:
            self._navigate(self.store.get(model, pk), show)

    def edit_links(self, model: str, pk: tuple[Any, ...], relation: str, label: str | None = None) -> None:
        self.app.push_screen(LinksScreen(model, pk, relation, label))  # it loads its links as it opens

    def _saved(self, model: str, pk: tuple[Any, ...] | None) -> None:
        """After a form: nothing if cancelled; else reload what shows the model, and show the saved
        record's detail (the one the form was opened from, reloaded, or a new one over the list)."""
        if pk is None:
            return
        self.records_changed({model})
        top = self.app.screen
        if not (isinstance(top, DetailScreen) and top.model == model and top.pk == pk):
            self.open_detail(model, pk)

    def _navigate(self, loading: Awaitable[T], show: Callable[[T], None]) -> None:
        """Load, then show, so that the new screen is drawn once, with its data. If that takes a
        while (a distant server), the screen it starts from shows the loading indicator meanwhile.
        A newer navigation replaces one still loading; a failure is shown as a notification; the
        result is dropped if the screen it started from has closed meanwhile."""
        origin = self._origin()

        async def load_and_show() -> None:
            slow = origin.set_timer(SPINNER_AFTER, lambda: setattr(origin, "loading", True)) if origin else None
            try:
                data = await loading
            finally:
                if origin is not None and slow is not None:
                    slow.stop()
                    origin.loading = False
            if origin is None or origin in self.app.screen_stack:
                show(data)

        self.app.run_worker(load_and_show(), group="navigate", exclusive=True, exit_on_error=False)

    def _origin(self) -> Screen[Any] | None:
        """The full screen the user is on (under the command palette or a dialog, if one is up)."""
        return next((s for s in reversed(self.app.screen_stack) if not isinstance(s, ModalScreen)), None)

    # -- kept screens -------------------------------------------------------------------------

    def _screen(self, key: tuple[str, ...], build: Callable[[], S]) -> S:
        """The kept screen for `key` if it is not on the stack already, else a new one (kept if
        none is)."""
        kept = self._kept.get(key)
        if kept is not None and kept not in self.app.screen_stack:
            self._kept.move_to_end(key)
            kept.showing_again()
            return kept  # type: ignore[return-value]
        screen = build()
        if kept is None:
            self._kept[key] = screen
            self.app.install_screen(screen, name=f"kept:{key!r}")
            self._give_up_oldest()
        return screen

    def _give_up_oldest(self) -> None:
        while len(self._kept) > KEPT:
            key = next((k for k, s in self._kept.items() if s not in self.app.screen_stack), None)
            if key is None:
                return
            screen = self._kept.pop(key)
            self.app.uninstall_screen(screen)
            if screen.is_attached:
                screen.remove()

    def kept(self) -> list[AdminScreen]:
        """The screens kept for reuse (for tests and the benchmark)."""
        return list(self._kept.values())

    # -- changes ------------------------------------------------------------------------------

    def records_changed(self, models: Iterable[str]) -> None:
        """Every screen on the stack that shows one of `models` reads again: the one on top now,
        the others when they are shown again. A kept screen off the stack gets new data anyway."""
        changed = set(models)
        for screen in self.app.screen_stack:
            if isinstance(screen, AdminScreen) and screen.shows() & changed:
                if screen is self.app.screen:
                    screen.reload()
                else:
                    screen.stale = True

    def delete_record(self, model: str, pk: tuple[Any, ...]) -> None:
        """Ask (naming the record and what goes with it), then delete in one transaction; a detail
        of the record on top then closes, and what showed it reloads."""
        store = self.store

        def closed(plan: DeletePlan) -> None:
            top = self.app.screen
            if isinstance(top, DetailScreen) and top.model == model and top.pk == pk:
                self.app.pop_screen()

        self._delete(model, lambda: store.delete_preview(model, pk), lambda: store.delete(model, pk), closed)

    def delete_records(self, model: str, chosen: list[tuple[Any, ...]] | ListQuery, done: Callable[[], None]) -> None:
        """Ask, showing the plan aggregated over the marked rows (or all matching), then delete
        them in one transaction of set-based statements; refused, naming every blocker, when any
        is referred to. `escape` while it runs stops it: nothing is deleted."""
        store = self.store
        self._delete(model, lambda: store.delete_many_preview(model, chosen), lambda: store.delete_many(model, chosen),
                     lambda plan: done())

    def _delete(self, model: str, preview: Callable[[], Awaitable[DeletePlan]],
                delete: Callable[[], Awaitable[DeletePlan]], deleted: Callable[[DeletePlan], None]) -> None:
        """Both deletes: the plan asked about, the delete awaited visibly from the screen it started
        on (`escape` stops it while it waits), then `deleted` and the reload of what it touched."""
        origin = self._origin()

        async def run() -> None:
            plan = await preview()
            what = deleted_what(model, plan)
            dialog = ConfirmScreen(delete_question(model, plan), yes="Delete", allowed=plan.allowed)
            if not await self.app.push_screen_wait(dialog):
                return
            try:
                await save_visibly(origin or self.app.screen, f"Deleting {what}", delete())
            except SaveStopped as exc:
                self.app.notify(str(exc), severity="warning")
                return
            self.app.notify(f"Deleted {what}")
            deleted(plan)
            self.records_changed(self._touched(model, plan))

        self.app.run_worker(run(), group="delete", exclusive=True, exit_on_error=False)

    def _touched(self, model: str, plan: DeletePlan) -> set[str]:
        """The models whose rows a delete removed or changed: the record's, and those of its link
        rows and of what the database cascaded to."""
        tables = [t for t, _ in [*plan.links, *plan.cascades, *plan.set_null]]
        registry = self.store.registry
        return {model} | {a.info.name for t in tables if (a := registry.for_table(t)) is not None}

