"""One record: every field, labelled, then its relations.

A foreign key shows the record it names (`enter` opens it). Each to-many relation shows its
total and its first rows (`enter` on a row opens that record; on the heading, the full list of
the relation, paged like any list); a many-to-many also shows the link's own columns, and `l`
opens the links editor. The statement count does not depend on how many rows a relation holds.
"""

from __future__ import annotations

from typing import Any

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
from tui_admin.ui.text import plain
from tui_admin.ui.widgets.key_bar import KeyBar
from tui_admin.ui.widgets.record_table import OpenTable
from tui_admin.ui.widgets.title_bar import TitleBar

NULL = Text("∅", style="dim")  # NULL looks the same on every screen: a dim ∅


def relation_heading(rel: RelationInfo, total: int, *, links: bool = True) -> tuple[Text, Text]:
    """The heading of a relation's rows; `links`: whether `l` (edit the links) applies here (not
    in a read-only session, where the key does nothing)."""
    kind = rel.direction.value + (f" via {rel.link_table}" if rel.link_table else "")
    editable = links and rel.direction is Direction.MANY_TO_MANY
    keys = "enter: list all" + (" · l: edit links" if editable else "")
    return plain(f"▾ {rel.name}", style="bold"), plain(f"{plural(total, rel.target_table)} · {kind}  ({keys})")


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

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(plain(f"{self.model} #{format_pk(self.pk)}"), id="detail-title", classes="screen-title")
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

    def show(self, detail: Detail, cursor: int | None = None) -> None:
        """Draw `detail`, the cursor on row `cursor` (by default where it was)."""
        self.detail = detail
        info, obj, labels = self.admin.info, detail.record.obj, detail.record.labels
        table = self.query_one("#fields", DataTable)
        row = table.cursor_row if cursor is None else cursor
        table.clear()
        for col in info.columns.values():
            if col.hidden:
                continue
            value = getattr(obj, col.name)
            text = display(col, value, None)
            label = lookup(labels.get(col.name), value)
            if label is not None:
                text = f"{label}  → {col.foreign_key.table} #{text}"  # type: ignore[union-attr]
            name = plain(col.name + (" (key)" if col.primary_key else ""), style="bold")
            table.add_row(name, NULL if text is None else plain(text), "", key=f"field:{col.name}")
        for name, page in detail.related.items():
            rel = info.relationships[name]
            target = self.store.registry.for_table(rel.target_table)
            assert target is not None
            link = self.store.registry.for_table(rel.link_table) if rel.link_table else None
            link_columns = link.info.columns if link is not None else {}
            heading = relation_heading(rel, page.total, links=bool(self.check_action("links", ())))
            table.add_row(*heading, "", key=f"rel:{name}")
            for i, item in enumerate(page.rows):
                extra = "  ".join(f"{k}: {_shown(link_columns.get(k), v)}" for k, v in item.link.items())
                table.add_row("", plain(f"  {target.info.label(item.obj)}"), plain(extra), key=f"item:{name}:{i}")
            if page.has_more:
                more = Text(f"  … {page.total - len(page.rows):,} more (enter: list all)", style="dim")
                table.add_row("", more, "", key=f"rel-more:{name}")
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
