"""The record list of one model: a window of rows over a keyset-paged query.

The table holds at most `WINDOW` rows. Moving near an edge fetches the next page in that
direction and drops rows at the other end; `home`/`end` load the first or last page of the whole
list. The count runs after the first page is on screen and is cancelled when the view changes.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tui_admin.core.format import display, lookup, visible
from tui_admin.core.query import ListQuery, Stored
from tui_admin.core.results import Page
from tui_admin.core.window import WINDOW, ListWindow
from tui_admin.ui import tips
from tui_admin.ui.messages import DeleteRecord, EditRecord, OpenDetail
from tui_admin.ui.screens.base import AdminScreen
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.record_table import RecordTable
from tui_admin.ui.widgets.search_box import SearchBox
from tui_admin.ui.widgets.title_bar import TitleBar

SPINNER_AFTER = 0.3  # seconds before a slow load shows the loading indicator
EXACT_COUNT_BOUND = 3.0  # seconds the exact count may take when an estimate is already shown
LARGE = 10_000  # rows from which a sort without an index earns a warning


class ListScreen(AdminScreen):
    HELP = tips.LIST  # the help panel's tips (f1)
    BINDINGS = [
        Binding("n", "new", "New", id="list.new"),
        Binding("e", "edit", "Edit", id="list.edit"),
        Binding("d", "delete", "Delete", id="list.delete"),
        Binding("slash", "search", "Search", key_display="/", id="list.search"),
        Binding("s", "sort", "Sort", id="list.sort"),
        Binding("f", "filter", "Filter", id="list.filter"),
        Binding("r", "refresh", "Refresh", id="list.refresh"),
        Binding("escape", "back", "Back", id="list.back"),
    ]

    def __init__(self, model: str, query: ListQuery | None = None, first_page: Page | None = None) -> None:
        """Given its `first_page` as loaded (see `present`), the list is drawn once, with its rows."""
        super().__init__()
        self.model = model
        self.admin = self.store.admin(model)
        self.query_state = query or ListQuery(model)
        self.first_page = first_page
        self.columns = self.admin.list_columns
        self.window = ListWindow(WINDOW)
        self.total: int | None = None
        self.estimated: int | None = None  # PostgreSQL's planner estimate, shown as ≈N
        self.shown_query = self.query_state  # the query whose rows are on screen

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(plain(self.model), id="list-title", classes="screen-title")
        fields = ", ".join(self.admin.searchable) or "nothing"
        yield SearchBox(placeholder=visible(f"search {fields}  (^prefix  =exact)"), id="search", classes="hidden")
        table = RecordTable(id="records")
        for name in self.columns:
            table.add_column(name, key=name)
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()
        if self.first_page is None:
            self.load("first")
            return
        page, self.first_page = self.first_page, None
        self._show_first(page)

    def present(self, query: ListQuery, first_page: Page) -> None:
        """Show `query` from its `first_page` (as loaded by the App): when mounted for a new
        screen; at once for a kept one, before it is shown again, so that it is drawn once, with
        these rows and a fresh state (cursor, scroll, search box, count)."""
        self.query_state = self.shown_query = query
        if not self.is_mounted:
            self.first_page = first_page
            return
        self.workers.cancel_node(self)  # what the last visit still had running
        self.window = ListWindow(WINDOW)
        self.total = self.estimated = None
        box = self.query_one("#search", SearchBox)
        if box.value:
            box.set_exact_value("")
        box.add_class("hidden")
        table = self.query_one(RecordTable)
        table.loading = False
        table.move_cursor(row=0, column=0)
        table.scroll_to(0, 0, animate=False, immediate=True)
        table.focus()
        self._show_first(first_page)

    def _show_first(self, page: Page) -> None:
        self._replace(page, before=False, after=page.has_more, cursor=0)
        self._update_title()
        self.count()
        self.admin_app.rendered("list:first")

    def shows(self) -> set[str]:
        """Its rows, and what its columns show of other models: the labels of the records its keys
        name, the counts of its to-many relations (link rows, for a many-to-many), and for a
        relation's list, the links that decide which rows belong to it."""
        info, registry = self.admin.info, self.store.registry
        tables: set[str] = set()
        for name in self.columns:
            col, rel = info.columns.get(name), info.relationships.get(name)
            if col is not None and col.foreign_key is not None:
                tables.add(col.foreign_key.table)
            if rel is not None:
                tables.update(t for t in (rel.target_table, rel.link_table) if t)
        via = self.query_state.via
        if via is not None:
            parent = self.store.admin(via.model).info.relationships[via.relation]
            tables.update(t for t in (parent.target_table, parent.link_table) if t)
        return {self.model} | {a.info.name for t in tables if (a := registry.for_table(t)) is not None}

    def reload(self) -> None:
        """The window read again in place (the same rows from the same first key)."""
        self.load("reload")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writable = not self.store.read_only and self.admin.writable
        rules = {
            "new": writable and self.admin.can_create,
            "edit": writable and self.admin.can_edit,
            "delete": writable and self.admin.can_delete,
        }
        return rules.get(action, True)

    # -- loading ------------------------------------------------------------------------------

    @work(exclusive=True, group="page", exit_on_error=False)
    async def load(self, mode: Literal["first", "last", "down", "up", "reload"]) -> None:
        """Fetch and show rows; a slow fetch (a scan for a substring search, a sort without an
        index) shows the loading indicator and can be stopped with escape."""
        table = self.query_one(RecordTable)
        spinner = self.set_timer(SPINNER_AFTER, lambda: setattr(table, "loading", True))
        try:
            await self._load(mode)
        finally:
            spinner.stop()
            table.loading = False

    async def _load(self, mode: Literal["first", "last", "down", "up", "reload"]) -> None:
        q, size, store, window = self.query_state, self.admin.page_size, self.store, self.window
        table = self.query_one(RecordTable)
        if mode == "first" or (mode == "reload" and not window.rows):
            page = await store.page(q, limit=size)
            self._replace(page, before=False, after=page.has_more, cursor=0)
            self.count()
        elif mode == "last":
            page = await store.page(q, from_end=True, limit=size)
            self._replace(page, before=page.has_more, after=False, cursor=len(page.rows) - 1)
        elif mode == "reload":
            keep = max(len(window), size)
            page = await store.page(q, start=window.first, limit=keep)
            self._replace(page, before=window.more_before, after=page.has_more, cursor=table.cursor_row)
            self.count()
        elif mode == "down" and window.more_after and window.rows:
            page = await store.page(q, after=window.last, limit=size)
            dropped = window.extend(page)
            if dropped:
                self._show(cursor=table.cursor_row - dropped)
            else:
                table.add_rows([self._cells(r) for r in page.rows])
        elif mode == "up" and window.more_before and window.rows:
            page = await store.page(q, before=window.first, limit=size)
            self._show(cursor=table.cursor_row + window.prepend(page))
        self._update_title()
        self.admin_app.rendered(f"list:{mode}")

    @work(exclusive=True, group="count", exit_on_error=False)
    async def count(self) -> None:
        """A plain count after the first page is on screen (cancelled when the view changes). On
        PostgreSQL the planner's estimate shows at once; the exact figure replaces it if it comes
        within a bound, else the estimate stays."""
        query = self.query_state
        self.total = self.estimated = None
        self._update_title()
        self.estimated = await self.store.estimate(query)
        self._update_title()
        try:
            if self.estimated is None:
                self.total = await self.store.count(query)
            else:
                self.total = await asyncio.wait_for(self.store.count(query), EXACT_COUNT_BOUND)
        except TimeoutError:
            pass
        self._update_title()

    def _replace(self, page: Page, *, before: bool, after: bool, cursor: int) -> None:
        """Hold and show exactly `page`, keeping the cursor's column and putting it on row `cursor`."""
        self.window.replace(page, before=before, after=after)
        self._show(cursor)

    def _show(self, cursor: int) -> None:
        self.shown_query = self.query_state
        self.query_one(RecordTable).set_rows([self._cells(r) for r in self.window.rows], cursor_row=cursor)

    def _cells(self, obj: Any) -> list[str | None]:
        """The row as text cells (None for NULL)."""
        info = self.admin.info
        cells: list[str | None] = []
        for name in self.columns:
            rel = info.relationships.get(name)
            if rel is None:
                text = display(info.columns[name], getattr(obj, name), self.window.labels.get(name))
            elif rel.to_many:
                text = f"{lookup(self.window.counts.get(name), info.pk_of(obj)) or 0:,}"
            else:
                fk = rel.local_columns[0]
                text = lookup(self.window.labels.get(fk), getattr(obj, fk))
            cells.append(text)
        return cells

    def _update_title(self) -> None:
        q = self.query_state
        parts = [self.model]
        if q.via is not None:
            parts[0] = f"{q.via.model} #{', '.join(map(str, q.via.pk))} · {q.via.relation} ({self.model})"
        if self.total is not None:
            parts.append(f"{self.total:,} row{'s' if self.total != 1 else ''}")
        elif self.estimated is not None:
            parts.append(f"≈{self.estimated:,} rows")
        elif self.window.rows or self.window.more_after:
            parts.append("counting…")
        sort = q.sort[0] if q.sort else None
        info = self.admin.info
        key = ", ".join(n for n in info.primary_key if not info.columns[n].hidden) or "row order"
        parts.append(f"sorted by {sort.field if sort else key} "
                     f"{'↓' if sort and sort.descending else '↑'}")
        if q.search.strip():
            parts.append(f"search “{q.search.strip()}”")
        for name, value in q.filters:
            value = value.value if isinstance(value, Stored) else value
            col = self.admin.info.columns.get(name)
            shown = display(col, value) if col is not None else str(value)
            parts.append(f"{name} = {'NULL' if shown is None else shown}")
        if self.admin.info.read_only:
            parts.append(f"read-only: {self.admin.info.read_only}")
        self.query_one("#list-title", Static).update(plain(" · ".join(parts)))

    def _set_query(self, query: ListQuery) -> None:
        self.query_state = query
        self.total = None
        self.load("first")

    # -- events -------------------------------------------------------------------------------

    @on(RecordTable.NearEdge)
    def _near_edge(self, event: RecordTable.NearEdge) -> None:
        if event.edge == "bottom" and self.window.more_after:
            self.load("down")
        elif event.edge == "top" and self.window.more_before:
            self.load("up")

    @on(RecordTable.Jump)
    def _jump(self, event: RecordTable.Jump) -> None:
        table = self.query_one(RecordTable)
        if event.to == "first":
            if self.window.more_before:
                self.load("first")
            else:
                table.move_cursor(row=0, animate=False)
        elif self.window.more_after:
            self.load("last")
        else:
            table.move_cursor(row=table.row_count - 1, animate=False)

    @on(RecordTable.CellSelected, "#records")
    def _cell_selected(self, event: RecordTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    @on(SearchBox.Search, "#search")
    def _search(self, event: SearchBox.Search) -> None:
        self._apply_search(event.text)
        if event.submitted:
            self.query_one(RecordTable).focus()

    def _apply_search(self, text: str) -> None:
        if text != self.query_state.search:
            self._set_query(self.query_state.searching(text))

    # -- actions ------------------------------------------------------------------------------

    def _current(self) -> Any | None:
        table = self.query_one(RecordTable)
        if not self.window.rows or not 0 <= table.cursor_row < len(self.window):
            return None
        return self.window.rows[table.cursor_row]

    def _current_pk(self) -> tuple[Any, ...] | None:
        obj = self._current()
        return None if obj is None else self.admin.info.pk_of(obj)

    def action_open(self) -> None:
        pk = self._current_pk()
        if pk is not None:
            self.post_message(OpenDetail(self.model, pk))

    def action_new(self) -> None:
        self.post_message(EditRecord(self.model, None))  # once saved, the App shows its detail

    def action_edit(self) -> None:
        pk = self._current_pk()
        if pk is not None:
            self.post_message(EditRecord(self.model, pk))

    def action_delete(self) -> None:
        pk = self._current_pk()
        if pk is not None:
            self.post_message(DeleteRecord(self.model, pk))  # the App asks, deletes, reloads this

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.remove_class("hidden")
        box.focus()

    def action_sort(self) -> None:
        table = self.query_one(RecordTable)
        field = self.columns[table.cursor_column]
        if field not in self.admin.sortable:
            self.notify(f"{self.model} cannot be sorted by {field}", severity="warning")
            return
        if not self.admin.info.columns[field].indexed and (self.total is None or self.total > LARGE):
            self.notify(f"{field} has no index: each page of this sort reads the whole table "
                        "(escape stops it)", severity="warning")
        self._set_query(self.query_state.sorted_by(field))

    def action_filter(self) -> None:
        obj = self._current()
        if obj is None:
            return
        field = self.columns[self.query_one(RecordTable).cursor_column]
        if field not in self.admin.info.columns:
            self.notify(f"{field} is a relation: open the record to follow it", severity="warning")
            return
        if not self.admin.info.columns[field].spec.filterable:
            self.notify(f"{field} cannot be filtered on: its type has no equality to compare", severity="warning")
            return
        # The cell as the database holds it: a stored text a Python value would not bind back to
        # (a SQLite date without microseconds) still finds its row.
        stored = self.window.raw[self.query_one(RecordTable).cursor_row][field]
        self._set_query(self.query_state.filtered(field, Stored(stored)))

    def action_refresh(self) -> None:
        self.load("reload")

    def action_back(self) -> None:
        box = self.query_one("#search", SearchBox)
        if box.has_focus or box.value:
            box.set_exact_value("")
            box.add_class("hidden")
            self._apply_search("")
            self.query_one(RecordTable).focus()
            return
        loading = [w for w in self.app.workers if w.node is self and w.group == "page" and w.is_running]
        if loading:
            self.workers.cancel_group(self, "page")
            self.query_state = self.shown_query  # the rows on screen are still those of this query
            self._update_title()
            self.notify("Stopped: the list shows what it showed before")
            return
        self.app.pop_screen()
