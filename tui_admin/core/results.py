"""What the Store returns: plain data, detached from any session, for the UI and for scripts.

Every record comes with its values *as the database returned them* (`raw`, by attribute name),
beside the object whose attributes hold them as Python values: a page's keyset cursors, an
equality filter on a cell and an update's lost-update guard compare those, in the database's
own representation (see `reading` and `dialects`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Labels = dict[str, dict[Any, str]]  # foreign-key field → {key value: label of the record it names}
Raw = dict[str, Any]  # attribute name → the value as the driver returned it


@dataclass
class Page:
    """Rows in list order. `has_more` says whether more rows lie beyond the page in the direction
    it was read (after it for `after`/first pages, before it for `before`/`from_end`)."""

    rows: list[Any]
    labels: Labels
    has_more: bool
    first: tuple[Any, ...] | None = None  # keyset cursor of the first row
    last: tuple[Any, ...] | None = None
    counts: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)  # to-many column → pk → n
    #: The keyset cursor of each row (pass one as `after`, `before` or `start`).
    cursors: list[tuple[Any, ...]] = field(default_factory=list)
    #: Each row's values as the database returned them (for `ListQuery.filtered(f, Stored(v))`).
    raw: list[Raw] = field(default_factory=list)


@dataclass
class Record:
    obj: Any
    labels: Labels
    raw: Raw = field(default_factory=dict)


@dataclass
class RelatedRow:
    obj: Any  # the related record
    link: dict[str, Any]  # for a many-to-many, the link row's own columns (e.g. role)


@dataclass
class RelatedPage:
    relation: str
    rows: list[RelatedRow]
    total: int
    has_more: bool


@dataclass
class Detail:
    """A record with its to-one labels and the first page of each to-many relation."""

    record: Record
    related: dict[str, RelatedPage]


@dataclass
class LinkChange:
    """One link row to add (its own column values) or to change (new values, and the values it
    held when loaded: the change is refused if someone else changed them meanwhile)."""

    target: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)
    original: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinkDiff:
    add: list[LinkChange] = field(default_factory=list)
    remove: list[tuple[Any, ...]] = field(default_factory=list)
    change: list[LinkChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.add or self.remove or self.change)
