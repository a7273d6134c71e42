"""A database opened without models, on every engine: its tables are reflected and mapped, link
tables are recognised by their keys, relationships are derived from the foreign keys and named
after their columns, and the Store reads details, related pages and lists of the reflected models.

The reflection reads the whole test database: the assertions name only the demo tables and the
`rt_` tables created here (and dropped afterwards), so other tables may be present."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa

from tui_admin.core.introspect import Direction
from tui_admin.core.query import ListQuery
from tui_admin.core.related import Via
from tui_admin.core.store import LinkChange, LinkDiff, Store

from .helpers import rows


def _rt_schema() -> sa.MetaData:
    """A self-reference (category → parent category), a table referring to another twice (a match's
    home and away teams), and a table without a primary key (read-only)."""
    md = sa.MetaData()
    sa.Table("rt_team", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(40), nullable=False))
    sa.Table("rt_category", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(40), nullable=False),
             sa.Column("parent_id", sa.Integer, sa.ForeignKey("rt_category.id"), nullable=True))
    sa.Table("rt_match", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("home_team_id", sa.Integer, sa.ForeignKey("rt_team.id"), nullable=False),
             sa.Column("away_team_id", sa.Integer, sa.ForeignKey("rt_team.id"), nullable=False),
             sa.Column("home_goals", sa.Integer))
    sa.Table("rt_nopk", md, sa.Column("note", sa.String(40)))
    return md


RT_ROWS = {
    "rt_team": [{"id": 1, "name": "Lions"}, {"id": 2, "name": "Tigers"}, {"id": 3, "name": "Bears"}],
    "rt_category": [
        {"id": 1, "name": "Books", "parent_id": None},
        {"id": 2, "name": "Fiction", "parent_id": 1},
        {"id": 3, "name": "Poetry", "parent_id": 1},
        {"id": 4, "name": "Sci-Fi", "parent_id": 2},
    ],
    "rt_match": [
        {"id": 1, "home_team_id": 1, "away_team_id": 2, "home_goals": 3},
        {"id": 2, "home_team_id": 2, "away_team_id": 1, "home_goals": 0},
        {"id": 3, "home_team_id": 1, "away_team_id": 3, "home_goals": 1},
    ],
    "rt_nopk": [{"note": "no key"}],
}


@pytest.fixture
async def reflected(
    demo_url: str, db_urls: tuple[str, str], create_tables: Callable[[sa.MetaData], str]
) -> AsyncIterator[Store]:
    """A Store without models over the demo tables and the `rt_` tables, reflected."""
    md = _rt_schema()
    create_tables(md)
    engine = sa.create_engine(db_urls[0])
    try:
        with engine.begin() as conn:
            for name in ("rt_team", "rt_category", "rt_match", "rt_nopk"):
                conn.execute(md.tables[name].insert(), RT_ROWS[name])
    finally:
        engine.dispose()
    store = Store(demo_url)
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


def _relations(store: Store, table: str) -> dict[str, tuple[Direction, str]]:
    return {n: (r.direction, r.target_table) for n, r in store.admin(table).info.relationships.items()}


# -- what is reflected ----------------------------------------------------------------------


async def test_reflected_tables_are_named_by_table_and_keyless_ones_read_only(reflected: Store) -> None:
    # Issue 8 §5: a table without a primary key is listed, read-only with the reason (it used to be
    # left out, as "rt_nopk: no primary key" in skipped_tables).
    names = {a.info.name for a in reflected.registry}
    assert {"hero", "team", "heroteamlink", "rt_team", "rt_category", "rt_match", "rt_nopk"} <= names
    assert reflected.admin("rt_nopk").info.read_only == "no primary key"
    assert reflected.admin("hero").info.read_only is None
    mapped = ("hero", "team", "rt_team", "rt_category", "rt_match", "rt_nopk")
    assert not any(s.startswith(mapped) for s in reflected.skipped_tables)


async def test_demo_link_table_is_detected_with_its_role_column(reflected: Store) -> None:
    link = reflected.admin("heroteamlink").info
    assert link.is_link
    assert link.primary_key == ("team_id", "hero_id")
    assert not reflected.admin("hero").info.is_link and not reflected.admin("team").info.is_link

    assert _relations(reflected, "hero") == {
        "team": (Direction.MANY_TO_ONE, "team"),
        "heroteamlink_set": (Direction.ONE_TO_MANY, "heroteamlink"),
        "team_via_heroteamlink": (Direction.MANY_TO_MANY, "team"),
    }
    assert _relations(reflected, "team") == {
        "hero_set": (Direction.ONE_TO_MANY, "hero"),
        "heroteamlink_set": (Direction.ONE_TO_MANY, "heroteamlink"),
        "hero_via_heroteamlink": (Direction.MANY_TO_MANY, "hero"),
    }
    members = reflected.admin("team").info.relationships["hero_via_heroteamlink"]
    assert (members.link_table, members.link_extra_columns) == ("heroteamlink", ("role",))
    assert reflected.admin("hero").info.relationships["team"].local_columns == ("team_id",)


async def test_self_reference_and_two_keys_to_one_table_are_named_by_their_columns(reflected: Store) -> None:
    assert _relations(reflected, "rt_category") == {
        "parent": (Direction.MANY_TO_ONE, "rt_category"),
        "rt_category_set": (Direction.ONE_TO_MANY, "rt_category"),
    }
    assert reflected.admin("rt_category").info.relationships["parent"].local_columns == ("parent_id",)
    assert _relations(reflected, "rt_match") == {
        "home_team": (Direction.MANY_TO_ONE, "rt_team"),
        "away_team": (Direction.MANY_TO_ONE, "rt_team"),
    }
    match = reflected.admin("rt_match").info
    by_column = {r.local_columns: r.name for r in match.relationships.values()}
    assert (by_column[("home_team_id",)], by_column[("away_team_id",)]) == ("home_team", "away_team")
    assert _relations(reflected, "rt_team") == {
        "rt_match_set_by_home_team_id": (Direction.ONE_TO_MANY, "rt_match"),
        "rt_match_set_by_away_team_id": (Direction.ONE_TO_MANY, "rt_match"),
    }


# -- the Store on reflected models ----------------------------------------------------------


async def test_reflected_hero_detail_labels_its_team_and_lists_teams_with_role(reflected: Store) -> None:
    detail = await reflected.detail("hero", (1,))
    assert len(reflected.log.actions[-1].statements) <= 4
    assert detail.record.obj.name == "Deadpond"
    assert detail.record.labels == {"team_id": {2: "Z-Force"}}
    assert set(detail.related) == {"team_via_heroteamlink"}  # heroteamlink_set shows the same rows
    teams = detail.related["team_via_heroteamlink"]
    assert (teams.total, teams.has_more) == (2, False)
    assert [(r.obj.name, r.link) for r in teams.rows] == [("Z-Force", {"role": "lead"}),
                                                          ("Avengers of the Sea", {"role": "reserve"})]


async def test_reflected_team_detail_pages_its_heroes_and_members(reflected: Store) -> None:
    detail = await reflected.detail("team", (1,), related_limit=3)
    assert len(reflected.log.actions[-1].statements) <= 4
    heroes, members = detail.related["hero_set"], detail.related["hero_via_heroteamlink"]
    assert (heroes.total, heroes.has_more, [r.obj.id for r in heroes.rows]) == (4, True, [2, 3, 4])
    assert (members.total, members.has_more) == (5, True)
    assert [(r.obj.id, r.link["role"]) for r in members.rows] == [(2, "member"), (3, "lead"), (4, "member")]


async def test_reflected_lists_label_their_foreign_keys(reflected: Store) -> None:
    heroes = await reflected.page(ListQuery("hero"), limit=5)
    assert len(reflected.log.actions[-1].statements) <= 2
    assert [h.name for h in heroes.rows] == ["Deadpond", "Spider-Boy", "Rusty-Man", "Tarantula", "Black Lion"]
    assert heroes.labels == {"team_id": {2: "Z-Force", 1: "Preventers", 3: "Wakaland"}}
    links = await reflected.page(ListQuery("heroteamlink"), limit=2)
    assert [(r.team_id, r.hero_id, r.role) for r in links.rows] == [(1, 2, "member"), (1, 3, "lead")]
    assert links.labels == {"team_id": {1: "Preventers"}, "hero_id": {2: "Spider-Boy", 3: "Rusty-Man"}}


async def test_reflected_self_reference_detail_and_children(reflected: Store) -> None:
    fiction = await reflected.detail("rt_category", (2,))
    assert fiction.record.labels == {"parent_id": {1: "Books"}}
    assert [r.obj.name for r in fiction.related["rt_category_set"].rows] == ["Sci-Fi"]
    books = await reflected.detail("rt_category", (1,))
    assert books.record.obj.parent_id is None
    assert books.record.labels.get("parent_id", {}) == {}
    children = books.related["rt_category_set"]
    assert (children.total, [r.obj.name for r in children.rows]) == (2, ["Fiction", "Poetry"])
    page = await reflected.page(ListQuery("rt_category"), limit=10)
    assert page.labels == {"parent_id": {1: "Books", 2: "Fiction"}}
    children_of_books = ListQuery("rt_category", via=Via("rt_category", "rt_category_set", (1,)))
    assert [c.name for c in (await reflected.page(children_of_books)).rows] == ["Fiction", "Poetry"]


async def test_reflected_two_keys_to_one_table_are_labelled_and_listed_apart(reflected: Store) -> None:
    match = await reflected.detail("rt_match", (1,))
    assert match.record.labels == {"home_team_id": {1: "Lions"}, "away_team_id": {2: "Tigers"}}
    assert reflected.admin("rt_match").info.label(match.record.obj) == "rt_match #1"
    lions = await reflected.detail("rt_team", (1,))
    home, away = lions.related["rt_match_set_by_home_team_id"], lions.related["rt_match_set_by_away_team_id"]
    assert (home.total, [r.obj.id for r in home.rows]) == (2, [1, 3])
    assert (away.total, [r.obj.id for r in away.rows]) == (1, [2])
    page = await reflected.page(ListQuery("rt_match"), limit=10)
    assert page.labels == {"home_team_id": {1: "Lions", 2: "Tigers"},
                           "away_team_id": {2: "Tigers", 1: "Lions", 3: "Bears"}}
    # Both keys name rt_team: one label query serves them (the page, then the labels).
    assert len(reflected.log.actions[-1].statements) == 2
    assert not reflected.log.actions[-1].repeated_shapes
    away_list = ListQuery("rt_match", via=Via("rt_team", "rt_match_set_by_away_team_id", (1,)))
    assert [m.id for m in (await reflected.page(away_list)).rows] == [2]
    assert await reflected.count(away_list) == 1


async def test_reflected_many_to_many_links_are_edited_with_their_role(
    reflected: Store, db_urls: tuple[str, str]
) -> None:
    assert [t.name for t in await reflected.link_candidates("hero", (1,), "team_via_heroteamlink")] == [
        "Night Watch", "Preventers", "Wakaland"
    ]
    diff = LinkDiff(add=[LinkChange((5,), {"role": "lead"})], remove=[(4,)],
                    change=[LinkChange((2,), {"role": "member"}, {"role": "lead"})])
    await reflected.apply_links("hero", (1,), "team_via_heroteamlink", diff)
    engine = sa.create_engine(db_urls[0])
    try:
        assert rows(engine, "SELECT team_id, role FROM heroteamlink WHERE hero_id = 1 ORDER BY team_id") == [
            (2, "member"), (5, "lead")
        ]
    finally:
        engine.dispose()
