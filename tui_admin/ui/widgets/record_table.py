"""Tables of records.

`RecordTable` shows a window of a list (a few hundred rows, never the list) as a virtual table: a
`ScrollView` whose `render_line` draws only the visible lines from plain text cells. Textual's
DataTable renders each cell through Rich and measures every cell it holds; on the list screen
that was most of the time from a key press to the screen (bench/run.py: 40-80 ms of the 70-100 ms
of a page change). It asks its screen for more rows when the cursor nears an edge of the window
(`NearEdge`) and for the first or last page of the whole list (`Jump`); the screen fetches them
through the Store. Its small API follows DataTable's names (`row_count`, `cursor_row`,
`cursor_column`, `move_cursor`, `get_row_at`, `ordered_columns`, `get_column_index`).

Cells are measured and cut in terminal cells (`rich.cells`), not characters: a CJK character or
an emoji takes two, so `len()` would misalign every column after it. Every cell is shown through
`core.format.visible`, so no control character in the data reaches the terminal.

`PlainTable` is a DataTable whose `str` cells and labels are plain text (DataTable parses them as
markup); `OpenTable` is one whose `enter` is listed as "Open" (for the short tables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey

from tui_admin.core.format import visible
from tui_admin.ui.text import plain

#: How close to the window's edge the cursor may come before the next page is fetched; at least
#: two screens, so that a pagedown never lands on the edge before the next rows are there.
PREFETCH_MARGIN = 20
CELL_WIDTH = 40  # widest a column grows, in cells
NULL = None  # a cell holding NULL (drawn as a dim ∅)


def _literal(cell: CellType) -> CellType:
    return plain(cell) if isinstance(cell, str) else cell


class PlainTable(DataTable[object]):
    """A DataTable that shows a `str` cell or label as it is (see `ui.text.plain`). A `Text` is
    taken as built, so build one with `plain` when it holds data."""

    def add_column(self, label: str | Text, *, width: int | None = None, key: str | None = None,
                   default: CellType | None = None) -> ColumnKey:
        return super().add_column(_literal(label), width=width, key=key, default=default)  # type: ignore[arg-type]

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: str | Text | None = None) -> RowKey:
        return super().add_row(*map(_literal, cells), height=height, key=key,
                               label=None if label is None else _literal(label))  # type: ignore[arg-type]

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType, *,
                    update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _literal(value), update_width=update_width)


class OpenTable(PlainTable):
    """A DataTable whose `enter` is listed in the key bar as "Open"."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", id="table.open")]


@dataclass(frozen=True)
class Column:
    key: str
    label: str


class RecordTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("enter", "select", "Open", id="records.open"),
        Binding("up,k", "move(-1)", "Up", show=False, id="records.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="records.down"),
        Binding("left", "move_column(-1)", "Left", show=False, id="records.left"),
        Binding("right", "move_column(1)", "Right", show=False, id="records.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="records.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="records.page_down"),
        Binding("g,home", "jump('first')", "First", show=False, id="records.first"),
        Binding("G,end", "jump('last')", "Last", show=False, id="records.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--even-row",
        "record-table--null",
        "record-table--marked",
    }
    DEFAULT_CSS = """
    RecordTable {
        background: $surface;
        color: $foreground;
    }
    RecordTable > .record-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    RecordTable > .record-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    RecordTable:blur > .record-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    RecordTable > .record-table--even-row {
        background: $surface-lighten-1 20%;
    }
    RecordTable > .record-table--marked {
        background: $accent 30%;
        text-style: bold;
    }
    RecordTable > .record-table--null {
        color: $text-disabled;
    }
    """

    header_height = 1  # the column labels: always the top line
    #: Whether row `index` is marked (drawn with `●` and the marked style); set by the list.
    is_marked: Callable[[int], bool] | None = None
    cursor_row: reactive[int] = reactive(0, layout=False, repaint=False)
    cursor_column: reactive[int] = reactive(0, layout=False, repaint=False)

    class CellSelected(Message):
        """`enter` (or a click on the cursor's cell) on a row."""

        def __init__(self, table: RecordTable, row: int, column: int) -> None:
            super().__init__()
            self.table, self.row, self.column = table, row, column

        @property
        def control(self) -> RecordTable:
            return self.table

    class NearEdge(Message):
        def __init__(self, edge: Literal["top", "bottom"]) -> None:
            super().__init__()
            self.edge = edge

    class Jump(Message):
        def __init__(self, to: Literal["first", "last"]) -> None:
            super().__init__()
            self.to = to

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ordered_columns: list[Column] = []
        self._rows: list[list[str | None]] = []
        self._widths: list[int] = []
        self._styles: dict[tuple[str, bool], Style] | None = None

    # -- content ------------------------------------------------------------------------------

    @property
    def columns(self) -> dict[str, Column]:
        return {c.key: c for c in self.ordered_columns}

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def add_column(self, label: str, *, key: str) -> None:
        label = visible(label)
        self.ordered_columns.append(Column(key, label))
        self._widths.append(min(cell_len(label), CELL_WIDTH))

    def get_column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.ordered_columns) if c.key == key)

    def get_row_at(self, index: int) -> list[str]:
        """The row's cells as shown (NULL as ∅)."""
        return ["∅" if cell is NULL else cell for cell in self._rows[index]]

    def set_rows(self, rows: list[list[str | None]], cursor_row: int = 0) -> None:
        """Show `rows` (text cells, None for NULL) instead of the current ones."""
        self._rows = _visible(rows)
        self._widths = [min(cell_len(c.label), CELL_WIDTH) for c in self.ordered_columns]
        self._widen(self._rows)
        self._resize()
        self.move_cursor(row=cursor_row)
        self.refresh()

    def add_rows(self, rows: list[list[str | None]]) -> None:
        rows = _visible(rows)
        self._rows.extend(rows)
        self._widen(rows)
        self._resize()
        self.refresh()

    def clear(self) -> None:
        self.set_rows([])

    def _widen(self, rows: list[list[str | None]]) -> None:
        widths = self._widths
        for row in rows:
            for i, cell in enumerate(row):
                if cell is not NULL and widths[i] < CELL_WIDTH and (width := cell_len(cell)) > widths[i]:
                    widths[i] = min(width, CELL_WIDTH)

    def _resize(self) -> None:
        width = sum(w + 2 for w in self._widths)
        self.virtual_size = Size(width, len(self._rows) + 1)  # + the header line

    # -- cursor -------------------------------------------------------------------------------

    def move_cursor(self, *, row: int | None = None, column: int | None = None, animate: bool = False) -> None:
        del animate  # the table never animates; the argument is DataTable's
        if column is not None and self.ordered_columns:
            self.cursor_column = max(0, min(column, len(self.ordered_columns) - 1))
        if row is not None:
            self.cursor_row = max(0, min(row, len(self._rows) - 1)) if self._rows else 0
        self._scroll_to_cursor()
        self.refresh()

    def watch_cursor_row(self, old: int, new: int) -> None:
        if new == old or not self._rows:
            return
        margin = max(PREFETCH_MARGIN, 2 * self.scrollable_content_region.height)
        if new >= len(self._rows) - margin and new > old:
            self.post_message(self.NearEdge("bottom"))
        elif new < margin and new < old:
            self.post_message(self.NearEdge("top"))

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's row and column in view (the header line is always the top line)."""
        visible = max(self.scrollable_content_region.height - 1, 1)
        y = self.scroll_y
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + visible:
            y = self.cursor_row - visible + 1
        x = self.scroll_x
        if self._widths:
            left = sum(w + 2 for w in self._widths[: self.cursor_column])
            right = left + self._widths[self.cursor_column] + 2
            width = self.scrollable_content_region.width
            if left < x:
                x = left
            elif right > x + width:
                x = right - width
        self.scroll_to(x, y, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta)

    def action_move_column(self, delta: int) -> None:
        self.move_cursor(column=self.cursor_column + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(row=self.cursor_row + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_jump(self, to: Literal["first", "last"]) -> None:
        self.post_message(self.Jump(to))

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.CellSelected(self, self.cursor_row, self.cursor_column))

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        x = int(self.scroll_x) + event.x
        if event.y == 0 or not 0 <= row < len(self._rows):
            return
        column, edge = 0, 0
        for i, width in enumerate(self._widths):
            edge += width + 2
            if x < edge:
                column = i
                break
        if (row, column) == (self.cursor_row, self.cursor_column):
            self.action_select()
        else:
            self.move_cursor(row=row, column=column)

    # -- drawing ------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _on_focus(self, event: events.Focus) -> None:
        self._styles = None  # the cursor's colours differ with and without focus
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._styles = None
        super()._on_blur(event)

    def _style(self, part: str, even: bool) -> Style:
        """Resolved styles, kept until the widget's styles change: resolving one walks every
        ancestor, and a screen of lines asks for them hundreds of times."""
        if self._styles is None:
            base, even_row = self.rich_style, self.get_component_rich_style("record-table--even-row")
            styles: dict[tuple[str, bool], Style] = {("header", False): self.get_component_rich_style(
                "record-table--header")}
            for is_even, row_base in ((False, base), (True, base + even_row)):
                styles["base", is_even] = row_base
                styles["null", is_even] = row_base + self.get_component_rich_style("record-table--null")
                styles["cursor", is_even] = row_base + self.get_component_rich_style("record-table--cursor")
                styles["marked", is_even] = row_base + self.get_component_rich_style("record-table--marked")
            self._styles = styles
        return self._styles[part, even]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        if y == 0:
            cells: list[str | None] = [c.label for c in self.ordered_columns]
            strip = self._strip(cells, self._style("header", False), self._style("header", False), None)
        else:
            index = int(self.scroll_y) + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, self._style("base", False))
            even = bool(index % 2)
            cursor = self.cursor_column if index == self.cursor_row else None
            marked = self.is_marked is not None and self.is_marked(index)
            base = self._style("marked" if marked else "base", even)
            strip = self._strip(self._rows[index], base, self._style("null", even), cursor,
                                self._style("cursor", even), marked)
        return strip.crop_extend(scroll_x, scroll_x + width, self._style("base", False))

    def _strip(
        self, cells: list[str | None], base: Style, null: Style, cursor: int | None, cursor_style: Style | None = None,
        marked: bool = False,
    ) -> Strip:
        segments = []
        for i, (cell, width) in enumerate(zip(cells, self._widths, strict=True)):
            text = "∅" if cell is NULL else cell
            style = cursor_style if i == cursor and cursor_style else null if cell is NULL else base
            lead = "●" if marked and i == 0 else " "  # in the first cell's margin: no column moves
            segments.append(Segment(f"{lead}{fit(text, width)} ", style))
        return Strip(segments)

    def cursor_cell_region(self) -> tuple[int, int, int]:
        """(x, y, width) of the cursor's cell on the screen: where an in-place editor goes."""
        region = self.content_region
        left = sum(w + 2 for w in self._widths[: self.cursor_column]) - int(self.scroll_x)
        width = self._widths[self.cursor_column] + 2 if self._widths else 12
        return region.x + left, region.y + 1 + self.cursor_row - int(self.scroll_y), width

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()


def _visible(rows: list[list[str | None]]) -> list[list[str | None]]:
    return [[cell if cell is NULL else visible(cell) for cell in row] for row in rows]


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` terminal cells; a cut ends with `…`, and a wide
    character that would straddle the cut is replaced by a space."""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    if width < 1:
        return ""
    return set_cell_size(text, width - 1) + "…"
