"""`ListWindow`: the rows a list screen holds, a few hundred at most, never the whole list.

A pure object (no Textual, no database), so that paging through a window is tested without a
screen: it keeps each row with its keyset cursor and its values as the database returned them
(see `results.Page`), whether more rows lie before and after it, and the labels and counts that
came with its pages. Pages read forwards are appended and drop rows at the top once the window
is full; pages read backwards are prepended and drop rows at the bottom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui_admin.core.results import Labels, Page, Raw

WINDOW = 300  # rows held at most


@dataclass
class ListWindow:
    size: int = WINDOW
    rows: list[Any] = field(default_factory=list)
    cursors: list[tuple[Any, ...]] = field(default_factory=list)
    raw: list[Raw] = field(default_factory=list)
    more_before: bool = False
    more_after: bool = False
    labels: Labels = field(default_factory=dict)
    counts: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def first(self) -> tuple[Any, ...] | None:
        """The cursor of the first row held (to read the page before it, or reload from it)."""
        return self.cursors[0] if self.cursors else None

    @property
    def last(self) -> tuple[Any, ...] | None:
        return self.cursors[-1] if self.cursors else None

    def _merge(self, page: Page) -> None:
        """Keep the labels and counts that came with a page (rows of the window refer to them)."""
        for name, mapping in page.labels.items():
            self.labels.setdefault(name, {}).update(mapping)
        for name, numbers in page.counts.items():
            self.counts.setdefault(name, {}).update(numbers)

    def replace(self, page: Page, *, before: bool, after: bool) -> None:
        """Hold exactly this page (its labels and counts replace the ones held)."""
        self.rows, self.cursors, self.raw = list(page.rows), list(page.cursors), list(page.raw)
        self.more_before, self.more_after = before, after
        self.labels, self.counts = {}, {}
        self._merge(page)

    def extend(self, page: Page) -> int:
        """Append a page read forwards; return how many rows were dropped at the top to stay
        within `size` (the cursor row of the screen moves up by as many)."""
        self._merge(page)
        self.rows += page.rows
        self.cursors += page.cursors
        self.raw += page.raw
        self.more_after = page.has_more
        drop = max(len(self.rows) - self.size, 0)
        if drop:
            del self.rows[:drop], self.cursors[:drop], self.raw[:drop]
            self.more_before = True
        return drop

    def prepend(self, page: Page) -> int:
        """Prepend a page read backwards (in list order); rows beyond `size` are dropped at the
        bottom. Returns how many rows came in at the top (the screen's cursor row moves down by
        as many)."""
        self._merge(page)
        self.rows[:0], self.cursors[:0], self.raw[:0] = page.rows, page.cursors, page.raw
        self.more_before = page.has_more
        if len(self.rows) > self.size:
            del self.rows[self.size:], self.cursors[self.size:], self.raw[self.size:]
            self.more_after = True
        return len(page.rows)
