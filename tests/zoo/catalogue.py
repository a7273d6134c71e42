"""What the tests know about each zoo table, beside its DDL (tests/zoo/sql/<backend>.sql).

Only what cannot be read from the database without trusting the code under test: the role of a
table (plain, link, view, keyless), the columns that identify a row when it has no primary key,
the columns the database computes, the columns of a type without a total order, a key that no row
uses (for the rows the tests add), and the link tables' columns naming each end. Everything else
(columns, rows, orders, counts) the tests read from the database by raw SQL when they run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["table", "link", "view", "keyless"]

#: A key no zoo row uses, for the integer-keyed tables (the rows the tests add or copy).
SPARE_ID = (9001,)


@dataclass(frozen=True, eq=False)  # each table is one object: compared and hashed by identity
class ZooTable:
    name: str
    slug: str  # an ASCII name for test ids
    key: tuple[str, ...]  # the primary key; for a view or keyless table, columns that identify a row
    kind: Kind = "table"
    schema: str | None = None  # a PostgreSQL schema other than the search path's
    spare: tuple[Any, ...] = SPARE_ID  # a key no row uses (primary key order)
    generated: frozenset[str] = frozenset()  # computed by the database: shown, never written
    unordered: frozenset[str] = frozenset()  # no total order: never offered as a sort
    #: For a two-way link: end table → the link's columns naming that end's key (in key order).
    link_ends: dict[str, tuple[str, ...]] = field(default_factory=dict)
    identity_always: bool = False  # PostgreSQL GENERATED ALWAYS AS IDENTITY key
    #: Cells holding what their column type cannot read: (key, column) → the stored text.
    unreadable: dict[tuple[tuple[Any, ...], str], str] = field(default_factory=dict)
    #: Stored values a person could not type as a new value: (key, column) → why. Edits never aim at them.
    untypable: dict[tuple[tuple[Any, ...], str], str] = field(default_factory=dict)

    @property
    def writable(self) -> bool:
        return self.kind in ("table", "link")

    @property
    def keyed(self) -> bool:
        return self.kind in ("table", "link")

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def __repr__(self) -> str:
        return f"ZooTable({self})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _common() -> list[ZooTable]:
    """The tables every backend's zoo has, with the same names, keys and rows."""
    return [
        ZooTable("order", "order", ("id",)),
        ZooTable("group", "group", ("id",)),
        ZooTable("MixedCase", "MixedCase", ("Id",)),
        ZooTable("zoo people", "zoo_people", ("person no",)),
        ZooTable("名簿", "meibo", ("番号",)),
        ZooTable("country_code", "country_code", ("country", "code"), spare=("zz", "9")),
        ZooTable("tag", "tag", ("id",)),
        ZooTable("cc_tag", "cc_tag", ("country", "code", "tag_id"), kind="link", spare=("fr", "1", 2),
                 link_ends={"country_code": ("country", "code"), "tag": ("tag_id",)}),
        ZooTable("zoo_route", "zoo_route", ("origin", "dest"), spare=("zzz", "zzz")),
        ZooTable("zoo_flight", "zoo_flight", ("id",)),
        ZooTable("zoo_actor", "zoo_actor", ("id",)),
        ZooTable("zoo_film", "zoo_film", ("id",)),
        ZooTable("zoo_role", "zoo_role", ("id",)),
        ZooTable("zoo_credit", "zoo_credit", ("actor_id", "film_id", "role_id"), kind="link", spare=(4, 1, 2)),
        ZooTable("zoo_club", "zoo_club", ("id",)),
        ZooTable("zoo_membership", "zoo_membership", ("club_id", "actor_id"), kind="link", spare=(3, 1),
                 link_ends={"zoo_club": ("club_id",), "zoo_actor": ("actor_id",)}),
        ZooTable("zoo_log", "zoo_log", ("seq",), kind="keyless"),
        ZooTable("zoo_people_view", "zoo_people_view", ("person no",), kind="view"),
        ZooTable("zoo_numbers", "zoo_numbers", ("id",)),
        ZooTable("zoo_texts", "zoo_texts", ("id",)),
        ZooTable("zoo_hostile_text", "zoo_hostile_text", ("id",)),
    ]


SQLITE = [
    *_common(),
    ZooTable("zoo_times", "zoo_times", ("id",),
             untypable={((5,), "ts_at"): "an offset in a column without time zone: the form rightly refuses it"}),
    ZooTable("zoo_docs", "zoo_docs", ("id",)),
    ZooTable("zoo_generated", "zoo_generated", ("id",), generated=frozenset({"total", "half"})),
    ZooTable("zoo_bad", "zoo_bad", ("id",), unreadable={
        ((2,), "d"): "0000-00-00",
        ((3,), "ts"): "9999-12-31T23:59:60",
        ((4,), "doc"): "{not json",
        ((5,), "amount"): "abc",
        ((6,), "ratio"): "nan",
    }),
]

POSTGRESQL = [
    *_common(),
    ZooTable("zoo_times", "zoo_times", ("id",)),
    ZooTable("hidden", "hidden", ("id",)),
    ZooTable("hidden", "zoo_other.hidden", ("id",), schema="zoo_other"),
    ZooTable("elsewhere", "zoo_other.elsewhere", ("id",), schema="zoo_other"),
    ZooTable("zoo_measure", "zoo_measure", ("id", "taken"), spare=(9001, dt.date(2021, 5, 5))),
    ZooTable("zoo_docs", "zoo_docs", ("id",), unordered=frozenset({"doc", "body", "search"})),
    ZooTable("zoo_net", "zoo_net", ("id",), unordered=frozenset({"spot"})),
    ZooTable("zoo_generated", "zoo_generated", ("id",), generated=frozenset({"total"}), identity_always=True),
]

MARIADB = [
    *_common(),
    ZooTable("zoo_times", "zoo_times", ("id",)),
    ZooTable("zoo_docs", "zoo_docs", ("id",)),
    ZooTable("zoo_generated", "zoo_generated", ("id",), generated=frozenset({"total", "half"})),
]

ZOO: dict[str, list[ZooTable]] = {"sqlite": SQLITE, "postgresql": POSTGRESQL, "mysql": MARIADB}

#: Storage the database creates for a zoo table, which must not be listed as a table of its own.
PARTITIONS = {"postgresql": ["zoo_measure_2020", "zoo_measure_2021"]}

def backend_of(engine_name: str) -> str:
    """`sqlite`, `postgresql` or `mysql`, for an id of `tests.conftest.ENGINES`."""
    return engine_name.split("+")[0]


def zoo_table(backend: str, slug: str) -> ZooTable:
    return next(t for t in ZOO[backend] if t.slug == slug)
