"""Edit the links of one many-to-many relation of one record, link columns included.

Left: the current links, with the link row's own columns (e.g. `role`); right: candidates found
by search-as-you-type (a LIMIT-ed query). Adds, removals and column edits are pending (marked
`+`, `−`, `~`) until `ctrl+s` applies them as one diff in one transaction; if any part fails,
nothing is applied and the reason is shown.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from tui_admin.core.format import display, visible
from tui_admin.core.introspect import format_pk
from tui_admin.core.store import LinkChange, LinkDiff, RelatedRow
from tui_admin.ui import tips
from tui_admin.ui.messages import RecordsChanged
from tui_admin.ui.screens.base import AdminScreen, SaveStopped, describe
from tui_admin.ui.text import plain, plain_lines
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.one_line import OneLine
from tui_admin.ui.widgets.record_table import OpenTable
from tui_admin.ui.widgets.search_box import SearchBox
from tui_admin.ui.widgets.title_bar import TitleBar

CANDIDATES = 50
LINKS_PAGE = 500


class LinksScreen(AdminScreen):
    HELP = tips.LINKS  # the help panel's tips (f1)
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="links.search"),
        Binding("x,delete", "remove", "Remove", id="links.remove"),
        Binding("e", "edit_link", "Edit link", id="links.edit_link"),
        Binding("ctrl+s", "save", "Save", priority=True, id="links.save"),
        Binding("escape", "back", "Back", id="links.back"),
    ]

    def __init__(self, model: str, pk: tuple[Any, ...], relation: str, label: str | None = None) -> None:
        super().__init__()
        self.model, self.pk, self.relation = model, pk, relation
        self.info = self.store.admin(model).info
        self.rel = self.info.relationships[relation]
        target = self.store.registry.for_table(self.rel.target_table)
        link = self.store.registry.for_table(self.rel.link_table or "")
        assert target is not None and link is not None, "both ends of the link are registered"
        self.target, self.link = target, link
        self.extras = list(self.rel.link_extra_columns)
        self.current: dict[tuple[Any, ...], RelatedRow] = {}
        self.total = 0
        self.added: dict[tuple[Any, ...], RelatedRow] = {}
        self.removed: set[tuple[Any, ...]] = set()
        self.changed: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.candidates: list[Any] = []
        self.parent_label = label  # the title names the record by its label (else by its key)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OneLine("", id="links-title", classes="screen-title")
        yield Static("", id="links-error", classes="error hidden")
        with Horizontal(id="links-panes"):
            with Vertical(id="links-pane"):
                title = f"Linked {self.target.info.name} records  (x: remove · e: edit link)"
                yield OneLine(plain(title), classes="pane-title")
                links = OpenTable(id="links", cursor_type="row", zebra_stripes=True)
                links.add_column(" ", key="mark")
                links.add_column(self.target.info.name, key="label")
                for name in self.extras:
                    links.add_column(name, key=name)
                yield links
            with Vertical(id="candidates-pane"):
                fields = ", ".join(self.target.searchable) or "key"
                yield SearchBox(placeholder=visible(f"search {self.target.info.name} ({fields}) to add"),
                                id="candidate-search")
                candidates = OpenTable(id="candidates", cursor_type="row", zebra_stripes=True)
                candidates.add_column(f"{self.target.info.name} to add (enter)", key="label")
                yield candidates
        yield KeyBar()

    def on_mount(self) -> None:
        self.load_links()
        self.search("")
        self.query_one("#links", DataTable).focus()

    # -- state --------------------------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def diff(self) -> LinkDiff:
        return LinkDiff(
            add=[LinkChange(pk, dict(row.link)) for pk, row in self.added.items()],
            remove=sorted(self.removed),
            change=[
                LinkChange(pk, values, {k: self.current[pk].link[k] for k in values})
                for pk, values in self.changed.items()
                if pk not in self.removed
            ],
        )

    def _pk(self, obj: Any) -> tuple[Any, ...]:
        return self.target.info.pk_of(obj)

    # -- loading ------------------------------------------------------------------------------

    @work(exclusive=True, group="links", exit_on_error=False)
    async def load_links(self) -> None:
        page = await self.store.related(self.model, self.pk, self.relation, limit=LINKS_PAGE)
        self.current = {self._pk(r.obj): r for r in page.rows}
        self.total = page.total
        self.render_links()

    @work(exclusive=True, group="candidates", exit_on_error=False)
    async def search(self, text: str) -> None:
        found = await self.store.link_candidates(self.model, self.pk, self.relation, text, limit=CANDIDATES)
        self.candidates = [c for c in found if self._pk(c) not in self.added]
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for obj in self.candidates:
            table.add_row(self.target.info.label(obj), key=format_pk(self._pk(obj)))

    def render_links(self) -> None:
        table = self.query_one("#links", DataTable)
        row = table.cursor_row
        table.clear()
        for pk, item in self.current.items():
            values = {**item.link, **self.changed.get(pk, {})}
            mark = "−" if pk in self.removed else "~" if pk in self.changed else ""
            self._add_row(table, pk, item.obj, values, mark)
        for pk, item in self.added.items():
            self._add_row(table, pk, item.obj, item.link, "+")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        pending = len(self.added) + len(self.removed) + len(self.changed)
        shown = f"{len(self.current):,} of {self.total:,}" if self.total > len(self.current) else f"{self.total:,}"
        name = self.parent_label or f"#{format_pk(self.pk)}"
        title = f"{self.model} {name} · {self.relation} ({shown} linked via {self.rel.link_table})"
        if pending:
            title += f" · {pending} pending change{'s' if pending != 1 else ''} (ctrl+s to save)"
        self.query_one("#links-title", Static).update(plain(title))

    def _add_row(self, table: DataTable[Any], pk: tuple[Any, ...], obj: Any, values: dict[str, Any], mark: str) -> None:
        style = {"+": "green", "−": "red strike", "~": "yellow"}.get(mark, "")
        cells: list[Any] = [plain(mark, style=style), plain(self.target.info.label(obj), style=style)]
        for name in self.extras:
            if name not in values:  # a new link's column left to the database's default
                cells.append(plain("(default)", style=f"{style} dim".strip()))
                continue
            text = display(self.link.info.columns[name], values.get(name)) or "∅"
            cells.append(plain(text, style=style))
        table.add_row(*cells, key=format_pk(pk))

    # -- events -------------------------------------------------------------------------------

    @on(SearchBox.Search, "#candidate-search")
    def _search(self, event: SearchBox.Search) -> None:
        self.search(event.text)
        if event.submitted:
            self.query_one("#candidates", DataTable).focus()

    @on(DataTable.RowSelected, "#candidates")
    def _add(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = event.cursor_row
        if not 0 <= index < len(self.candidates):
            return
        obj = self.candidates.pop(index)
        pk = self._pk(obj)
        # Only Python-side defaults are filled in: a column the database fills (`DEFAULT 1`,
        # `now()`) is left out of the INSERT unless it is edited, never sent as NULL.
        columns = self.link.info.columns
        defaults = {n: columns[n].default for n in self.extras if columns[n].default is not None}
        self.added[pk] = RelatedRow(obj, defaults)
        self.query_one("#candidates", DataTable).remove_row(event.row_key)
        self.render_links()
        missing = [n for n in self.extras if columns[n].required and defaults.get(n) is None]
        if missing:
            self._edit(pk)

    @on(DataTable.RowSelected, "#links")
    def _toggle(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_remove()

    # -- actions ------------------------------------------------------------------------------

    def _cursor_pk(self) -> tuple[Any, ...] | None:
        table = self.query_one("#links", DataTable)
        if table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        for pk in [*self.current, *self.added]:
            if format_pk(pk) == key:
                return pk
        return None

    def action_search(self) -> None:
        self.query_one("#candidate-search", Input).focus()

    def action_remove(self) -> None:
        """Remove the link under the cursor (again: keep it); a pending add is simply dropped."""
        pk = self._cursor_pk()
        if pk is None:
            return
        if pk in self.added:
            del self.added[pk]
            self.search(self.query_one("#candidate-search", SearchBox).exact_value)
        elif pk in self.removed:
            self.removed.discard(pk)
        else:
            self.removed.add(pk)
        self.render_links()

    def action_edit_link(self) -> None:
        pk = self._cursor_pk()
        if pk is None or not self.extras:
            return
        if pk in self.removed:
            self.notify("This link is marked for removal: press x to keep it first", severity="warning")
            return
        self._edit(pk)

    def _edit(self, pk: tuple[Any, ...]) -> None:
        values = self.added[pk].link if pk in self.added else {**self.current[pk].link, **self.changed.get(pk, {})}

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            if pk in self.added:
                self.added[pk].link.update(result)
            else:
                original = self.current[pk].link
                changed = {k: v for k, v in {**self.changed.get(pk, {}), **result}.items() if v != original.get(k)}
                if changed:
                    self.changed[pk] = changed
                else:
                    self.changed.pop(pk, None)
            self.render_links()

        label = self.target.info.label((self.added.get(pk) or self.current[pk]).obj)
        editable = [n for n in self.extras if not self.link.info.columns[n].generated]  # never GENERATED ALWAYS
        self.admin_app.edit_link_row(self.link, editable, values, f"Link to {label}", done)

    def action_save(self) -> None:
        if self.is_dirty:
            self.save()

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save(self) -> None:
        error = self.query_one("#links-error", Static)
        diff = self.diff()
        try:
            saving = self.store.apply_links(self.model, self.pk, self.relation, diff)
            await self.admin_app.save_visibly(self, "Saving the links", saving)
        except SaveStopped as exc:
            error.update(plain_lines(str(exc)))
            error.remove_class("hidden")
            return
        except Exception as exc:
            error.update(plain_lines(f"Nothing was saved: {describe(exc)}"))
            error.remove_class("hidden")
            return
        error.add_class("hidden")
        self.added.clear()
        self.removed.clear()
        self.changed.clear()
        self.notify(f"Saved: {len(diff.add)} added, {len(diff.remove)} removed, {len(diff.change)} changed")
        self.post_message(RecordsChanged({self.model, self.target.info.name, self.link.info.name}))
        self.load_links()
        self.search(self.query_one("#candidate-search", SearchBox).exact_value)

    def action_back(self) -> None:
        if not self.is_dirty:
            self.app.pop_screen()
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.admin_app.ask("Discard the pending link changes?", answer, yes="Discard", no="Keep editing")
