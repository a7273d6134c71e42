"""One record: every field, labelled, then its relations.

A foreign key shows the record it names (`enter` opens it). Each to-many relation shows its
total and its first rows (`enter` on a row opens that record; on the heading, the full list of
the relation, paged like any list); a many-to-many also shows the link's own columns, and `l`
opens the links editor. The statement count does not depend on how many rows a relation holds.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_admin.core.format import display, lookup, plural
from tui_admin.core.introspect import ColumnInfo, Direction, RelationInfo, format_pk
from tui_admin.core.query import ListQuery
from tui_admin.core.related import Via
from tui_admin.core.store import Detail
from tui_admin.ui import tips
from tui_admin.ui.messages import DeleteRecord, EditLinks, EditRecord, OpenDetail, OpenList
from tui_admin.ui.screens.base import AdminScreen, related_models
from tui_admin.ui.text import plain, shorten, shortest_fit
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.one_line import OneLine
from tui_admin.ui.widgets.record_table import OpenTable
from tui_admin.ui.widgets.title_bar import TitleBar

NULL = Text("∅", style="dim")  # NULL looks the same on every screen: a dim ∅


def relation_heading(
    rel: RelationInfo, total: int, width: int | None = None, *, links: bool = True
) -> tuple[Text, Text]:
    """A relation's name, and its total and kind with the keys that act on it; within `width`
    cells the keys go first (the key bar lists them too), then words from the end. `links`:
    whether `l` (edit the links) applies here (not in a read-only session, where it does nothing)."""
    kind = rel.direction.value + (f" via {rel.link_table}" if rel.link_table else "")
    editable = links and rel.direction is Direction.MANY_TO_MANY
    keys = "enter: list all" + (" · l: edit links" if editable else "")
    count = plural(total, rel.target_table)
    forms = [f"{count} · {kind}  ({keys})", f"{count} · {kind}"]
    text = forms[0] if width is None else shortest_fit(forms, width)
    return plain(f"▾ {rel.name}", style="bold"), plain(text)


#: Cells the table adds around each column (its cell padding) and keeps for a vertical scrollbar.
_COLUMN_PADDING = 2
_SCROLLBAR = 2
#: The Value column is not squeezed below this (a narrower terminal scrolls sideways instead).
_MIN_VALUE_WIDTH = 16


def _look(cell: Text | str) -> Any:
    """What a cell looks like: its text, style and spans (rich's `Text ==` ignores the style, so
    the string "∅" would pass for NULL's dim ∅)."""
    return (cell.plain, str(cell.style), tuple(cell.spans)) if isinstance(cell, Text) else cell


def _shown(col: ColumnInfo | None, value: Any) -> str:
    """A link row's own value (a role, a quantity) as the list would show it; ∅ for NULL."""
    text = display(col, value) if col is not None else str(value)
    return "∅" if text is None else text


class DetailScreen(AdminScreen):
    HELP = tips.DETAIL  # the help panel's tips (f1)
    BINDINGS = [
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("d", "delete", "Delete", id="detail.delete"),
        Binding("l", "links", "Links", id="detail.links"),
        Binding("r", "refresh", "Refresh", id="detail.refresh"),
        Binding("escape", "back", "Back", id="detail.back"),
    ]

    def __init__(self, model: str, pk: tuple[Any, ...], detail: Detail | None = None) -> None:
        """Given the `detail` as loaded (see `present`), the screen is drawn once, with its data."""
        super().__init__()
        self.model = model
        self.pk = pk
        self.admin = self.store.admin(model)
        self.detail: Detail | None = detail
        self._drawn_width = 0  # the width `show` fitted the table to
        self._drawn_rows: list[tuple[str, tuple[Any, ...]]] = []  # what the table shows (see `_look`)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OneLine(plain(f"{self.model} #{format_pk(self.pk)}"), id="detail-title", classes="screen-title")
        table = OpenTable(id="fields", cursor_type="row", zebra_stripes=True)
        table.add_column("Field", key="field")
        table.add_column("Value", key="value")
        table.add_column("Link", key="link")
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#fields", DataTable).focus()
        if self.detail is not None:
            self.show(self.detail)
        else:
            self.load()

    def present(self, pk: tuple[Any, ...], detail: Detail) -> None:
        """Show record `pk` (as loaded by the App): when mounted for a new screen; at once for a
        kept one, before it is shown again, so that it is drawn once, with the cursor on top."""
        self.pk = pk
        if not self.is_mounted:
            self.detail = detail
            return
        self.workers.cancel_node(self)  # a reload of the record shown last time
        table = self.query_one("#fields", DataTable)
        table.scroll_to(0, 0, animate=False, immediate=True)
        table.focus()
        self.show(detail, cursor=0)

    def shows(self) -> set[str]:
        """The record, the records its keys name, its related rows and their links."""
        return related_models(self.store, self.model)

    def reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writable = not self.store.read_only and self.admin.writable
        return {
            "edit": writable and self.admin.can_edit,
            "delete": writable and self.admin.can_delete,
            "links": writable and any(
                r.direction is Direction.MANY_TO_MANY for r in self.admin.info.relationships.values()
            ),
        }.get(action, True)

    @work(exclusive=True, group="record", exit_on_error=False)
    async def load(self) -> None:
        self.show(await self.store.detail(self.model, self.pk))

    def on_resize(self, event: Any) -> None:
        if self.detail is not None and self.is_mounted and self.app.size.width != self._drawn_width:
            self.show(self.detail)

    def _value_width(self, names: list[str], extras: list[str]) -> int:
        """The Value column's width that keeps the Field and Link columns on screen (a link's
        own columns, such as `role`, were 22 presses of `right` away at 80 columns)."""
        used = sum(max(map(cell_len, texts), default=0) + _COLUMN_PADDING for texts in (names, extras))
        return max(_MIN_VALUE_WIDTH, self._drawn_width - used - _COLUMN_PADDING - _SCROLLBAR)

    def show(self, detail: Detail, cursor: int | None = None) -> None:
        """Draw `detail`, the cursor on row `cursor` (by default where it was), fitted to the
        screen's width: relation headings shorten (keys first), and where a relation shows link
        columns, the values shorten so that those stay in view (elsewhere a long value scrolls
        sideways, as before: nothing to its right would be hidden)."""
        self.detail = detail
        self._drawn_width = self.app.size.width
        info, obj, labels = self.admin.info, detail.record.obj, detail.record.labels
        table = self.query_one("#fields", DataTable)
        row = table.cursor_row if cursor is None else cursor
        rows: list[tuple[str, str, Text | None, str]] = []  # key, name, value (None: NULL), link
        shown = self.admin.details_columns  # `column_details_list`, else every shown column
        for col in (info.columns[n] for n in shown if n in info.columns):
            if col.hidden:
                continue
            value = getattr(obj, col.name)
            text = self.admin.formatted(obj, col.name)
            if text is None:
                text = display(col, value, None)
                label = lookup(labels.get(col.name), value)
                if label is not None:
                    text = f"{label}  → {col.foreign_key.table} #{text}"  # type: ignore[union-attr]
            name = self.admin.label_for(col.name) + (" (key)" if col.primary_key else "")
            rows.append((f"field:{col.name}", name, None if text is None else plain(text), ""))
        headings: dict[str, RelationInfo] = {}
        for name, page in detail.related.items():
            if self.admin.column_details_list is not None and name not in self.admin.column_details_list:
                continue
            rel = info.relationships[name]
            target = self.store.registry.for_table(rel.target_table)
            assert target is not None
            link = self.store.registry.for_table(rel.link_table) if rel.link_table else None
            link_columns = link.info.columns if link is not None else {}
            headings[name] = rel
            rows.append((f"rel:{name}", f"▾ {rel.name}", None, ""))
            for i, item in enumerate(page.rows):
                extra = "  ".join(f"{k}: {_shown(link_columns.get(k), v)}" for k, v in item.link.items())
                rows.append((f"item:{name}:{i}", "", plain(f"  {target.info.label(item.obj)}"), extra))
            if page.has_more:
                more = Text(f"  … {page.total - len(page.rows):,} more (enter: list all)", style="dim")
                rows.append((f"rel-more:{name}", "", more, ""))
        width = self._value_width([r[1] for r in rows], [r[3] for r in rows])
        fit_values = any(r[3] for r in rows)
        drawn: list[tuple[str, tuple[Text | str, ...]]] = []  # key, cells
        for key, name, value, extra in rows:
            kind, _, rel_name = key.partition(":")
            if kind == "rel":
                heading = relation_heading(headings[rel_name], detail.related[rel_name].total, width,
                                           links=bool(self.check_action("links", ())))
                drawn.append((key, (*heading, "")))
                continue
            if value is None and kind == "field":
                cell: Text = NULL
            else:
                cell = value if value is not None else Text()
                if fit_values and cell.cell_len > width:
                    cell = Text(shorten(cell.plain, width), style=cell.style)
            drawn.append((key, (plain(name, style="bold") if kind == "field" else plain(name), cell, plain(extra))))
        shown_now = [(key, tuple(map(_look, cells))) for key, cells in drawn]
        if shown_now != self._drawn_rows:
            # Only when something changed: a table cleared renders every cell again (a team with
            # its 20 heroes: 25-30 ms, most of reopening it), where the same rows keep their cache.
            self._drawn_rows = shown_now
            table.clear()
            for key, cells in drawn:
                table.add_row(*cells, key=key)
        table.move_cursor(row=row, animate=False)
        read_only = f" · read-only: {info.read_only}" if info.read_only else ""
        self.query_one("#detail-title", Static).update(plain(f"{self.model} · {info.titled(obj, labels)}{read_only}"))
        self.admin_app.rendered("detail")

    def _cursor_key(self) -> list[str]:
        """The cursor row's key as [kind, name] or, for a related record, [kind, name, index]
        (a column or relation name may itself hold a colon)."""
        table = self.query_one("#fields", DataTable)
        if self.detail is None or table.row_count == 0:
            return []
        kind, name = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value).split(":", 1)
        return [kind, *name.rsplit(":", 1)] if kind == "item" else [kind, name]

    @on(DataTable.RowSelected, "#fields")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.follow()

    def follow(self) -> None:
        """Open what the cursor row names: a foreign key's record, a related record, or the full
        list of a relation."""
        key = self._cursor_key()
        if not key or self.detail is None:
            return
        if key[0] == "field":
            self._follow_foreign_key(key[1])
        elif key[0] in ("rel", "rel-more"):
            self._open_relation(key[1])
        elif key[0] == "item":
            rel = self.admin.info.relationships[key[1]]
            target = self.store.registry.for_table(rel.target_table)
            obj = self.detail.related[key[1]].rows[int(key[2])].obj
            if target is not None:
                self.post_message(OpenDetail(target.info.name, target.info.pk_of(obj)))

    def _follow_foreign_key(self, name: str) -> None:
        col = self.admin.info.columns.get(name)
        value = getattr(self.detail.record.obj, name, None) if self.detail else None
        if col is None or col.foreign_key is None or value is None:
            return
        target = self.store.registry.for_table(col.foreign_key.table)
        if target is None:
            self.notify(f"{col.foreign_key.table} is not registered", severity="warning")
            return
        tinfo = target.info
        key = tuple(c.name for c in tinfo.columns.values() if c.column.name == col.foreign_key.column)
        if tinfo.primary_key != key:
            self.notify(f"{name} refers to a non-key column of {tinfo.name}", severity="warning")
            return
        self.post_message(OpenDetail(tinfo.name, (value,)))

    def _open_relation(self, name: str) -> None:
        rel = self.admin.info.relationships[name]
        target = self.store.registry.for_table(rel.target_table)
        if target is not None:
            query = ListQuery(target.info.name, via=Via(self.model, name, self.pk))
            self.post_message(OpenList(query))

    def action_links(self) -> None:
        key = self._cursor_key()
        rels = self.admin.info.relationships
        many = [r for r in rels.values() if r.direction is Direction.MANY_TO_MANY]
        chosen = rels.get(key[1]) if len(key) > 1 and key[0] != "field" else None
        if chosen is None or chosen.direction is not Direction.MANY_TO_MANY:
            if len(many) != 1:
                self.notify("Put the cursor on a many-to-many relation to edit its links", severity="warning")
                return
            chosen = many[0]
        registry = self.store.registry
        if registry.for_table(chosen.link_table or "") is None or registry.for_table(chosen.target_table) is None:
            self.notify(f"{chosen.name} goes through {chosen.link_table}, which has no model: its links cannot "
                        "be edited here", severity="warning")
            return
        label = self.admin.info.titled(self.detail.record.obj, self.detail.record.labels) if self.detail else None
        self.post_message(EditLinks(self.model, self.pk, chosen.name, label))

    def action_edit(self) -> None:
        self.post_message(EditRecord(self.model, self.pk))  # once saved, this shows it again

    def action_delete(self) -> None:
        self.post_message(DeleteRecord(self.model, self.pk))  # once deleted, the App closes this

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
