"""The record list of one model: a window of rows over a keyset-paged query.

The table holds at most `WINDOW` rows. Moving near an edge fetches the next page in that
direction and drops rows at the other end; `home`/`end` load the first or last page of the whole
list. The count runs after the first page is on screen and is cancelled when the view changes.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tui_admin.core.errors import ConflictError, WriteError
from tui_admin.core.format import display, lookup, visible
from tui_admin.core.introspect import format_pk
from tui_admin.core.query import Filter, ListQuery, SortKey, Stored, search_scans
from tui_admin.core.results import Page
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.window import WINDOW, ListWindow
from tui_admin.ui import tips
from tui_admin.ui.messages import DeleteRecord, DeleteRecords, EditRecord, OpenDetail, RecordsChanged
from tui_admin.ui.screens.base import AdminScreen, describe
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.cell_editor import CellEditor
from tui_admin.ui.widgets.filter_bar import FilterBar, FilterChip, field_title
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.one_line import OneLine
from tui_admin.ui.widgets.picker import Picked
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
        Binding("F", "filter_bar", "Filters", key_display="F", show=False, id="list.filter_bar"),
        Binding("space", "mark", "Mark", show=False, id="list.mark"),
        Binding("ctrl+a", "mark_all", "Mark all matching", show=False, id="list.mark_all"),
        Binding("ctrl+e", "export", "Export", show=False, id="list.export"),
        Binding("r", "refresh", "Refresh", id="list.refresh"),
        Binding("escape", "back", "Back", id="list.back"),
        # -- in-place edit (column_editable_list): see "in-place edit" below
        Binding("f2,i", "edit_cell", "Edit cell", show=False, id="list.edit_cell"),  # in the help (F1)
        # -- user actions (ModelAdmin.actions): see "user actions" below
        Binding("a", "actions", "Actions", id="list.actions"),
    ]
    DEFAULT_CSS = """
    ListScreen { layers: default cell-edit; }
    """
    #: The cell being edited in place: (the row's key, the field, the row's values as listed).
    _editing: tuple[tuple[Any, ...], str, dict[str, Any]] | None = None

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
        #: Marked rows (space): primary key → the key as the database returned it (for `only`).
        self.marks: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        #: "Mark all matching" (ctrl+a): the query whose whole set is marked, and its count.
        self.all_marked: tuple[ListQuery, int] | None = None

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OneLine(plain(self.model), id="list-title", classes="screen-title")
        fields = ", ".join(self.admin.searchable) or "nothing"
        yield SearchBox(placeholder=visible(f"search {fields}  (^prefix  =exact)"), id="search", classes="hidden")
        yield OneLine("", id="list-empty", classes="hidden")  # "no matches for …" (see _update_title)
        yield FilterBar(self.admin.info, self.admin.filters, id="filter-bar", classes="hidden")
        table = RecordTable(id="records")
        for name in self.columns:
            table.add_column(self.admin.label_for(name), key=name)
        yield table
        yield CellEditor(id="cell-editor")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RecordTable).is_marked = self._row_marked
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
        self._editing = None  # an in-place edit left open is dropped
        self.query_one(CellEditor).close()
        self.window = ListWindow(WINDOW)
        self.total = self.estimated = None
        self.marks, self.all_marked = {}, None
        box = self.query_one("#search", SearchBox)
        if box.value:
            box.set_exact_value("")
        box.add_class("hidden")
        self.query_one("#filter-bar", FilterBar).hide_editor()
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
            "edit_cell": writable and bool(self.admin.editable_in_list),
            "actions": writable and bool(self.admin.actions),
        }
        return rules.get(action, True)

    # -- loading ------------------------------------------------------------------------------

    @work(exclusive=True, group="page", exit_on_error=False)
    async def load(self, mode: Literal["first", "last", "down", "up", "reload"], *, focus: bool = False) -> None:
        """Fetch and show rows; a slow fetch (a scan for a substring search, a sort without an
        index) shows the loading indicator and can be stopped with escape. `focus`: the table
        takes the focus once its rows are in, or when the indicator shows, whichever is first
        (not when the read fails, or a newer one replaces it)."""
        table = self.query_one(RecordTable)

        def slow() -> None:
            table.loading = True
            if focus:
                table.focus()

        spinner = self.set_timer(SPINNER_AFTER, slow)
        try:
            await self._load(mode)
            if focus:
                table.focus()
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
            if name in self.admin.column_formatters:
                text = self.admin.formatted(obj, name)
            elif rel is None:
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
        default = [SortKey(n, d) for n, d in self.admin.default_sort[:1]]
        sort = q.sort[0] if q.sort else default[0] if default else None
        info = self.admin.info
        key = ", ".join(n for n in info.primary_key if not info.columns[n].hidden) or "row order"
        parts.append(f"sorted by {self.admin.label_for(sort.field) if sort else key} "
                     f"{'↓' if sort and sort.descending else '↑'}")
        if q.search.strip():
            scan = " (scan)" if search_scans(self.admin, q.search, self.store.backend) else ""
            parts.append(f"search “{q.search.strip()}”{scan}")
        filtered = [text for text, _key in self._filter_chips()]
        parts += filtered
        marked = self._marked_text()
        if marked:
            parts.append(marked)
        if self.admin.info.read_only:
            parts.append(f"read-only: {self.admin.info.read_only}")
        self.query_one("#list-title", Static).update(plain(" · ".join(parts)))
        self._show_chips()
        asked = [f"“{q.search.strip()}”"] if q.search.strip() else []
        asked += filtered
        empty = self.query_one("#list-empty", Static)
        empty.set_class(not (self.total == 0 and asked), "hidden")
        empty.update(plain(f"no matches for {' · '.join(asked)}" if asked else ""))

    def _set_query(self, query: ListQuery, *, focus: bool = False) -> None:
        if self.all_marked is not None and not _same_rows(self.all_marked[0], query):
            self.all_marked = None  # "all matching" meant the rows the old filters matched
        self.query_state = query
        self.total = None
        self.load("first", focus=focus)

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
        # Enter moves the focus to the table with the new rows, not before them: focusing first
        # repainted the screen while the Store read, and the two took turns with the GIL
        # (bench/run.py, prefix search: Store 15-22 ms → 8, key to screen 62-67 ms → 26).
        if not self._apply_search(event.text, focus=event.submitted) and event.submitted:
            self.query_one(RecordTable).focus()

    def _apply_search(self, text: str, *, focus: bool = False) -> bool:
        """Whether `text` is a new search (then read, and the table focused after if `focus`)."""
        if text == self.query_state.search:
            return False
        self._set_query(self.query_state.searching(text), focus=focus)
        return True

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
        """The marked rows (or all matching) when there are marks, else the row under the cursor."""
        if self.all_marked is not None or self.marks:
            chosen: list[tuple[Any, ...]] | ListQuery = (
                self.all_marked[0] if self.all_marked is not None else list(self.marks.values()))
            self.post_message(DeleteRecords(self.model, chosen, self._clear_marks))
            return
        pk = self._current_pk()
        if pk is not None:
            self.post_message(DeleteRecord(self.model, pk))  # the App asks, deletes, reloads this

    def _clear_marks(self) -> None:
        self.marks, self.all_marked = {}, None

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
        query = self.query_state
        if not query.sort and self.admin.default_sort:  # `s` on the default sort's field reverses it
            query = replace(query, sort=tuple(SortKey(n, d) for n, d in self.admin.default_sort))
        self._set_query(query.sorted_by(field))

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

    # -- the filter bar (F): typed filters as chips --------------------------------------------

    def _filter_chips(self) -> list[tuple[str, Any]]:
        """(text, key) of each active filter, as the title and the chips show it: by label
        (`team = Preventers`), the label of an `f` filter's key being the one the page has."""
        q, info = self.query_state, self.admin.info
        chips: list[tuple[str, Any]] = []
        for name, value in q.filters:
            raw = value.value if isinstance(value, Stored) else value
            col = info.columns.get(name)
            label = lookup(self.window.labels.get(name), raw) if col is not None and col.foreign_key else None
            shown = label or (display(col, raw) if col is not None else str(raw))
            chips.append((f"{field_title(info, name)} = {'NULL' if shown is None else shown}", (name, value)))
        chips += [(c.describe(field_title(info, c.field)), c) for c in q.conditions]
        return chips

    def _show_chips(self) -> None:
        bar = self.query_one("#filter-bar", FilterBar)
        chips = self._filter_chips()
        if [text for text, _ in chips] != getattr(bar, "shown_chips", None):
            bar.shown_chips = [text for text, _ in chips]  # type: ignore[attr-defined]
            bar.set_chips(chips)
        bar.set_class(not chips and not bar.open, "hidden")

    def action_filter_bar(self) -> None:
        """Open the filter bar on the cursor's column (when it is one the bar offers)."""
        bar = self.query_one("#filter-bar", FilterBar)
        if not bar.fields:
            self.notify(f"{self.model} has no fields to filter on", severity="warning")
            return
        bar.remove_class("hidden")
        field = self.columns[self.query_one(RecordTable).cursor_column] if self.columns else None
        bar.show_editor(field)

    @on(FilterBar.Added)
    def _filter_added(self, event: FilterBar.Added) -> None:
        event.stop()
        col = event.pick
        if col is None:
            assert event.condition is not None
            self.add_filter(event.condition)
            return

        def picked(choice: Picked | None) -> None:
            if choice is not None:  # "(none)": the rows without one
                self.add_filter(Filter(col.name, "=", choice.value, label=choice.label) if choice.value is not None
                                else Filter(col.name, "empty"))

        self.admin_app.pick(col, None, None, picked)

    def add_filter(self, condition: Filter) -> None:
        """Apply a typed filter (replacing one of the same field and operator)."""
        self._set_query(self.query_state.adding(condition))

    @on(FilterChip.Removed)
    def _chip_removed(self, event: FilterChip.Removed) -> None:
        event.stop()
        key = event.chip.key
        if isinstance(key, Filter):
            self._set_query(self.query_state.removing(key))
        else:
            self._set_query(self.query_state.filtered(*key))  # the same `f` filter again: removed
        self.query_one(RecordTable).focus()

    @on(FilterBar.Closed)
    def _filter_bar_closed(self, event: FilterBar.Closed) -> None:
        event.stop()
        self._show_chips()
        self.query_one(RecordTable).focus()

    # -- marks (space, ctrl+a): what export and bulk actions act on -----------------------------

    def _row_marked(self, index: int) -> bool:
        if self.all_marked is not None:
            return True
        if not self.marks or not 0 <= index < len(self.window.rows):
            return False
        return self.admin.info.pk_of(self.window.rows[index]) in self.marks

    def _marked_text(self) -> str:
        if self.all_marked is not None:
            return f"all {self.all_marked[1]:,} matching marked"
        return f"{len(self.marks):,} marked" if self.marks else ""

    def marked_query(self) -> ListQuery | None:
        """The rows marked, in the list's order: the whole filtered set (mark all matching), or
        the marked keys; None when nothing is marked."""
        if self.all_marked is not None:
            return self.query_state
        if not self.marks:
            return None
        return ListQuery(self.model, sort=self.query_state.sort).only(list(self.marks.values()))

    def action_mark(self) -> None:
        """Mark the row under the cursor (again: unmark it), and move down, so a run of space
        marks a run of rows."""
        table = self.query_one(RecordTable)
        obj = self._current()
        if obj is None:
            return
        if self.all_marked is not None:
            self.notify("All matching rows are marked: ctrl+a unmarks them", severity="warning")
            return
        pk = self.admin.info.pk_of(obj)
        if pk in self.marks:
            del self.marks[pk]
        else:
            raw = self.window.raw[table.cursor_row]
            self.marks[pk] = tuple(raw[name] for name in self.admin.info.primary_key)
        table.refresh()
        table.move_cursor(row=table.cursor_row + 1)
        self._update_title()

    def action_mark_all(self) -> None:
        """Mark every row the list's filters and search match (not only the window), after
        counting them; again: unmark everything."""
        if self.all_marked is not None or self.marks:
            self.all_marked, self.marks = None, {}
            self.query_one(RecordTable).refresh()
            self._update_title()
            self.notify("Marks cleared")
            return
        self._mark_all()

    @work(exclusive=True, group="mark", exit_on_error=False)
    async def _mark_all(self) -> None:
        query = self.query_state
        total = await self.store.count(query)
        if query != self.query_state:
            return
        self.all_marked = (query, total)
        self.total = total
        self.query_one(RecordTable).refresh()
        self._update_title()
        self.notify(f"Marked all {total:,} matching")

    # -- export (ctrl+e) ----------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the marked rows if any are marked, else the list as it is (search, filters, sort)."""
        marked = self.marked_query()
        if self.all_marked is not None:
            what = f"all {self.all_marked[1]:,} matching {self.model} rows"
        elif marked is not None:
            what = f"the {len(self.marks):,} marked {self.model} row{'s' if len(self.marks) != 1 else ''}"
        else:
            parts = [text for text, _ in self._filter_chips()]
            if self.query_state.search.strip():
                parts.append(f"search “{self.query_state.search.strip()}”")
            count = f"{self.total:,} " if self.total is not None else ""
            what = f"the {count}{self.model} rows of this list" + (f" ({' · '.join(parts)})" if parts else "")
        self.admin_app.export_rows(marked or self.query_state, what)

    # -- the command palette's commands of this screen (ui/commands.py) ------------------------

    def palette_commands(self, text: str) -> list[tuple[str, str, Any]]:
        """(title, help, callback) of what the palette offers on this list; `text` is what was
        typed, for "row N"."""
        commands: list[tuple[str, str, Any]] = [
            ("Add a filter", f"the filter bar of {self.model} (F)", self.action_filter_bar),
            ("Export", "the marked rows, or this list as it is, to CSV/JSON (ctrl+e)", self.action_export),
            ("Mark all matching", "every row the filters and search match, not only those shown (ctrl+a)",
             self.action_mark_all),
        ]
        words = text.lower().replace("go to", "").split()
        number = words[-1].replace(",", "") if words and words[0] == "row" and len(words) == 2 else ""
        if number.isdigit() and int(number) >= 1:
            n = int(number)
            commands.append((f"Go to row {n:,}", f"read with OFFSET: the database reads and skips {n - 1:,} rows",
                             lambda: self.go_to_row(n)))
        else:
            commands.append(("Go to row N", "type: row 500 (read with OFFSET)",
                             lambda: self.notify("Type the row's number in the palette: row 500")))
        return commands

    @work(exclusive=True, group="page", exit_on_error=False)
    async def go_to_row(self, n: int) -> None:
        """Show the list from its row `n` (1-based): OFFSET, the only read that is not by keyset,
        which is why it is only done when asked, and said so."""
        page = await self.store.page(self.query_state, offset=n - 1, limit=self.admin.page_size)
        if not page.rows:
            self.notify(f"{self.model} has fewer than {n:,} rows", severity="warning")
            return
        self._replace(page, before=n > 1, after=page.has_more, cursor=0)
        self._update_title()
        self.notify(f"Row {n:,} (read with OFFSET {n - 1:,}: the database read the rows before it)")
        self.admin_app.rendered("list:row")

    def action_refresh(self) -> None:
        self.load("reload")

    def action_back(self) -> None:
        if self.query_one("#filter-bar", FilterBar).open:  # the filter bar's row closes first
            self.query_one("#filter-bar", FilterBar).action_close()
            return
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

    # -- in-place edit (`column_editable_list`) ------------------------------------------------
    # `F2`/`i` opens a one-line editor over the cell's row; `enter` validates the text through the
    # Update schema (as the form does) and saves it with `Store.update` guarded by the row's values
    # as listed, so a change someone made meanwhile is never overwritten; `escape` cancels. An
    # error shows in the row, beside the value as typed.

    def action_edit_cell(self) -> None:
        obj = self._current()
        table = self.query_one(RecordTable)
        if obj is None or not self.columns:
            return
        field = self.columns[table.cursor_column]
        if field not in self.admin.editable_in_list:
            editable = ", ".join(self.admin.editable_in_list)
            self.notify(f"{self.admin.label_for(field)} cannot be edited in the list (editable: {editable})",
                        severity="warning")
            return
        if field not in {c.name for c in form_columns(self.admin, find_schemas(self.admin), Mode.UPDATE)}:
            self.notify(f"{self.admin.label_for(field)} is not in {self.model}'s Update schema: it cannot be "
                        "edited", severity="warning")
            return
        col = self.admin.info.columns[field]
        self._editing = (self.admin.info.pk_of(obj), field,
                         {n: getattr(obj, n) for n in self.admin.info.columns})
        value = to_form_value(col, getattr(obj, field))
        text = "" if value is None else str(value)
        x, y, width = table.cursor_cell_region()
        self.query_one(CellEditor).open(text, x, y, width)

    @on(CellEditor.Cancel)
    def _cell_cancel(self, event: CellEditor.Cancel) -> None:
        event.stop()
        self._close_cell_editor()

    def _close_cell_editor(self) -> None:
        self._editing = None
        self.query_one(CellEditor).close()
        self.query_one(RecordTable).focus()

    @on(CellEditor.Save)
    def _cell_save(self, event: CellEditor.Save) -> None:
        event.stop()
        editing = self._editing
        if editing is None:
            return
        pk, field, original = editing
        editor = self.query_one(CellEditor)
        try:
            values = parse_form(self.admin, find_schemas(self.admin), Mode.UPDATE, {field: event.text}, original)
        except ValidationFailed as failed:
            editor.show_error(failed.errors.get(field) or "; ".join(failed.errors.values()))
            return
        if not values:
            self._close_cell_editor()  # unchanged: nothing to write
            return
        self._save_cell(pk, values, original)

    @work(exclusive=True, group="cell", exit_on_error=False)
    async def _save_cell(self, pk: tuple[Any, ...], values: dict[str, Any], original: dict[str, Any]) -> None:
        editor = self.query_one(CellEditor)
        editor.show_error("saving…")
        try:
            await self.store.update(self.model, pk, values, original)
        except ConflictError as exc:
            changed = "; ".join(f"{k}: {a!r} → {b!r}" for k, (a, b) in exc.changes.items())
            editor.show_error(f"{exc} ({changed}); escape, then r to reload")
            return
        except WriteError as exc:
            editor.show_error("; ".join(exc.field_errors.values()) or str(exc))
            return
        except Exception as exc:  # connection lost, read-only, …: the value stays as typed
            editor.show_error(f"{type(exc).__name__}: {exc}")
            return
        self._close_cell_editor()
        self.notify(f"Saved {self.model} #{format_pk(pk)}")
        self.post_message(RecordsChanged({self.model}))  # this list (and any showing it) reads it again

    # -- user actions (`ModelAdmin.actions`) ----------------------------------------------------
    # `a`: the model's actions on the row under the cursor (one action runs at once, several are
    # offered in a command list), asked first when the action says so, run by `Store.run_action`
    # in one transaction. Marked rows / all matching are for the marks' own keys to hand over
    # (`_action_keys`).

    def _action_keys(self) -> list[tuple[Any, ...]] | ListQuery:
        """The rows an action acts on: all matching, the marked rows, or the row under the cursor."""
        if self.all_marked is not None:
            return self.all_marked[0]
        if self.marks:
            return list(self.marks.values())
        pk = self._current_pk()
        return [] if pk is None else [pk]

    def _rows_text(self, keys: list[tuple[Any, ...]] | ListQuery) -> str:
        if isinstance(keys, ListQuery):
            return f"all {self.all_marked[1]:,} matching {self.model} rows" if self.all_marked else self.model
        return f"{self.model} #{format_pk(keys[0])}" if len(keys) == 1 else f"{len(keys):,} {self.model} rows"

    def action_actions(self) -> None:
        keys = self._action_keys()
        if not keys or not self.admin.actions:
            return
        actions = self.admin.actions
        if len(actions) == 1:
            self._confirm_action(actions[0].name, keys)
            return
        where = self._rows_text(keys)
        self.app.search_commands(
            [(act.title, partial(self._confirm_action, act.name, keys), act.confirm) for act in actions],
            placeholder=f"Run an action on {where}…",
        )

    def _confirm_action(self, name: str, keys: list[tuple[Any, ...]] | ListQuery) -> None:
        act = self.admin.action_named(name)
        if act.confirm is None:
            self._run_action(name, keys)
            return
        rows = self._rows_text(keys)

        def answer(yes: bool | None) -> None:
            if yes:
                self._run_action(name, keys)

        self.admin_app.ask(f"{act.confirm}\n({rows})", answer, yes=act.title)

    @work(group="action", exit_on_error=False)
    async def _run_action(self, name: str, keys: list[tuple[Any, ...]] | ListQuery) -> None:
        title = self.admin.action_named(name).title
        try:
            if isinstance(keys, ListQuery):
                result = await self.store.run_action(self.model, name, query=keys)
            else:
                result = await self.store.run_action(self.model, name, keys=keys)
        except Exception as exc:  # the action's own error, or the database's: nothing was written
            self.notify(f"{title}: {describe(exc)}", severity="error")
            return
        self.notify(f"{title}: {result}" if result is not None else f"{title}: done")
        self.post_message(RecordsChanged({self.model}))

def _same_rows(a: ListQuery, b: ListQuery) -> bool:
    """Both queries match the same rows (they may differ in order)."""
    return (a.model, a.search, a.filters, a.conditions, a.via, a.keys) == (b.model, b.search, b.filters,
                                                                            b.conditions, b.via, b.keys)
