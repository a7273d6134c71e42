"""Statement counts that do not depend on data size, on every engine.

Each test counts twice: with the Store's own QueryLog (`store.log.actions[-1].statements`) and
with an independent `before_cursor_execute` listener on the Store's sync engine (see `Recorder`),
which also sees statements that failed and the connection's begin/commit/rollback events. The extra
rows are bulk-inserted (executemany) through a sync engine of the setup URL before the Store runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.errors import WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import LinkChange, LinkDiff, Store
from tui_admin.demo.models import Hero, HeroTeamLink, Team

from .helpers import rows

HERO = Hero.__table__
TEAM = Team.__table__
LINK = HeroTeamLink.__table__


@dataclass
class Recorder:
    """Every statement the engine sends (`("sql", connection, text)`) and every transaction event
    (`("begin" | "commit" | "rollback", connection, "")`), in order, from `start()` on."""

    engine: sa.Engine
    events: list[tuple[str, Any, str]] = field(default_factory=list)

    def _sql(self, conn: sa.Connection, cursor: Any, statement: str, *args: Any) -> None:
        self.events.append(("sql", conn, statement))

    def _begin(self, conn: sa.Connection) -> None:
        self.events.append(("begin", conn, ""))

    def _commit(self, conn: sa.Connection) -> None:
        self.events.append(("commit", conn, ""))

    def _rollback(self, conn: sa.Connection) -> None:
        self.events.append(("rollback", conn, ""))

    def _hooks(self) -> list[tuple[str, Any]]:
        return [("before_cursor_execute", self._sql), ("begin", self._begin), ("commit", self._commit),
                ("rollback", self._rollback)]

    def attach(self) -> None:
        for name, fn in self._hooks():
            sa.event.listen(self.engine, name, fn)

    def detach(self) -> None:
        for name, fn in self._hooks():
            sa.event.remove(self.engine, name, fn)

    def start(self) -> None:
        self.events.clear()

    @property
    def statements(self) -> list[str]:
        return [sql for kind, _, sql in self.events if kind == "sql"]

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.events]


@pytest.fixture
async def recorder(store: Store) -> AsyncIterator[Recorder]:
    await store.ping()  # the first connection is made (and the dialect initialised) before counting
    rec = Recorder(store.sync_engine)
    rec.attach()
    try:
        yield rec
    finally:
        rec.detach()


def _logged(store: Store, name: str) -> list[str]:
    action = store.log.actions[-1]
    assert action.name == name
    return [s.sql for s in action.statements]


def _new_team(engine: sa.Engine, name: str) -> int:
    with engine.begin() as conn:
        return conn.execute(TEAM.insert().values(name=name, headquarters="HQ")).inserted_primary_key[0]


def _add_heroes(engine: sa.Engine, team: int | None, n: int, *, prefix: str) -> list[int]:
    """`n` heroes on one team (executemany), linked to that team as members too; their ids."""
    with engine.begin() as conn:
        conn.execute(HERO.insert(), [
            {"name": f"{prefix} {i:05d}", "secret_name": "x", "age": i % 90, "team_id": team} for i in range(n)
        ])
        ids = list(conn.scalars(sa.select(HERO.c.id).where(HERO.c.name.like(f"{prefix} %")).order_by(HERO.c.id)))
        if team is not None:
            conn.execute(LINK.insert(), [{"team_id": team, "hero_id": h, "role": "member"} for h in ids])
    return ids


def _link_dump(engine: sa.Engine) -> list[tuple]:
    return rows(engine, "SELECT team_id, hero_id, role FROM heroteamlink ORDER BY team_id, hero_id")


# -- a list page ----------------------------------------------------------------------------


@pytest.fixture
def many_teams_and_heroes(check_db: sa.Engine) -> dict[int, str]:
    """500 more teams and 500 more heroes, each hero on a team of its own (so a page of 500 heroes
    names 500 different teams: one label query per row would show at once). {team id: name}."""
    with check_db.begin() as conn:
        conn.execute(TEAM.insert(), [{"name": f"Team {i:03d}", "headquarters": "HQ"} for i in range(500)])
        teams = {r[0]: r[1] for r in conn.execute(sa.select(TEAM.c.id, TEAM.c.name).order_by(TEAM.c.id))}
        new = [t for t, name in teams.items() if name.startswith("Team ")]
        conn.execute(HERO.insert(), [
            {"name": f"Extra {i:03d}", "secret_name": "x", "age": 20, "team_id": t} for i, t in enumerate(new)
        ])
    return teams


@pytest.mark.parametrize("limit", [10, 500])
async def test_hero_list_page_with_team_labels_costs_two_statements_for_10_or_500_rows(
    store: Store, recorder: Recorder, many_teams_and_heroes: dict[int, str], limit: int
) -> None:
    recorder.start()
    page = await store.page(ListQuery("Hero"), limit=limit)
    logged = _logged(store, "list Hero")
    assert len(page.rows) == limit and page.has_more
    assert 1 <= len(recorder.statements) <= 2
    assert recorder.statements == logged
    assert store.log.actions[-1].repeated_shapes == []
    # every row's team is named, whichever of the 505 teams it is
    teams = {h.team_id for h in page.rows} - {None}
    assert len(teams) == (4 if limit == 10 else 5 + 485)  # the 15 demo heroes, then one team per hero
    assert page.labels["team_id"] == {t: many_teams_and_heroes[t] for t in teams}


async def test_hero_list_statements_are_the_same_for_10_and_500_rows(
    store: Store, recorder: Recorder, many_teams_and_heroes: dict[int, str]
) -> None:
    recorder.start()
    await store.page(ListQuery("Hero"), limit=10)
    small = [s.sql for s in store.log.actions[-1].statements]
    await store.page(ListQuery("Hero"), limit=500)
    large = [s.sql for s in store.log.actions[-1].statements]
    assert len(small) == len(large) == 2
    assert small[0] == large[0]  # the page itself: the same statement, LIMIT bound
    assert "limit" in small[0].lower()
    assert recorder.statements == small + large


class HeroWithTeamAdmin(ModelAdmin, model=Hero):
    """A hero list that shows the `team` relation by its label and counts the `teams` links."""

    column_list = ["id", "name", "team", "teams"]


@pytest.mark.parametrize("limit", [10, 500])
async def test_hero_list_showing_the_team_relation_and_teams_count_is_two_statements(
    demo_url: str, many_teams_and_heroes: dict[int, str], limit: int
) -> None:
    store = Store(demo_url, Registry([HeroWithTeamAdmin, Team, HeroTeamLink]))
    try:
        await store.ping()
        recorder = Recorder(store.sync_engine)
        recorder.attach()
        page = await store.page(ListQuery("Hero"), limit=limit)
        recorder.detach()
        assert 1 <= len(recorder.statements) <= 2
        assert recorder.statements == _logged(store, "list Hero")
        assert len(page.rows) == limit
        assert page.labels["team_id"] == {h.team_id: many_teams_and_heroes[h.team_id] for h in page.rows if h.team_id}
        assert page.counts["teams"][(1,)] == 2 and page.counts["teams"][(6,)] == 1
        extra = {page.counts["teams"][(h.id,)] for h in page.rows if h.id > 15}
        assert extra == (set() if limit == 10 else {0})  # the extra heroes are in no team
    finally:
        await store.dispose()


# -- the N+1 flag ---------------------------------------------------------------------------

async def test_a_loop_of_single_row_reads_in_one_action_is_flagged_n_plus_one(store: Store) -> None:
    def one_by_one(session: Session) -> None:
        for pk in range(1, 6):
            session.execute(sa.select(HERO).where(HERO.c.id == pk)).all()

    await store._run("heroes one by one", one_by_one)
    action = store.log.actions[-1]
    assert action.name == "heroes one by one" and len(action.statements) == 5
    assert [n for _, n in action.repeated_shapes] == [5]


async def test_repeated_in_list_reads_in_one_action_are_flagged_n_plus_one(store: Store) -> None:
    """`Statement.shape` folds IN-lists so that batches of different sizes compare equal, in every
    driver's placeholder style (`?`, `%s`, `%(name)s`, `$1::INTEGER`, `%(name)s::INTEGER`)."""

    def in_batches(session: Session) -> None:
        for n in (1, 2, 3, 4):
            session.execute(sa.select(TEAM).where(TEAM.c.id.in_(list(range(1, n + 1))))).all()

    await store._run("teams in batches", in_batches)
    action = store.log.actions[-1]
    assert len(action.statements) == 4
    assert [n for _, n in action.repeated_shapes] == [4]


# -- details --------------------------------------------------------------------------------


async def test_hero_detail_with_team_teams_and_links_is_at_most_four_statements(
    store: Store, recorder: Recorder, check_db: sa.Engine
) -> None:
    """Deadpond is linked to 300 more teams: the detail still reads one page of them."""
    with check_db.begin() as conn:
        conn.execute(TEAM.insert(), [{"name": f"Guild {i:03d}", "headquarters": "HQ"} for i in range(300)])
        guilds = list(conn.scalars(sa.select(TEAM.c.id).where(TEAM.c.name.like("Guild %"))))
        conn.execute(LINK.insert(), [{"team_id": t, "hero_id": 1, "role": "ally"} for t in guilds])
    recorder.start()
    detail = await store.detail("Hero", (1,), related_limit=10)
    logged = _logged(store, "detail Hero")
    assert len(recorder.statements) <= 4
    assert recorder.statements == logged
    assert detail.record.labels["team_id"] == {2: "Z-Force"}
    teams = detail.related["teams"]
    assert (teams.total, teams.has_more, len(teams.rows)) == (302, True, 10)
    assert [(r.obj.id, r.link) for r in teams.rows[:2]] == [(2, {"role": "lead"}), (4, {"role": "reserve"})]
    assert {r.link["role"] for r in teams.rows[2:]} == {"ally"}


@pytest.fixture
def big_and_small_team(check_db: sa.Engine) -> tuple[int, int]:
    """A team with 10,000 heroes (each also a member through heroteamlink) and a team with 3."""
    big = _new_team(check_db, "Legion")
    small = _new_team(check_db, "Trio")
    _add_heroes(check_db, big, 10_000, prefix="Legionnaire")
    _add_heroes(check_db, small, 3, prefix="Trio member")
    return big, small


async def test_team_detail_with_10000_heroes_costs_what_a_team_with_3_costs(
    store: Store, recorder: Recorder, big_and_small_team: tuple[int, int]
) -> None:
    big, small = big_and_small_team
    recorder.start()
    small_detail = await store.detail("Team", (small,), related_limit=10)
    small_sql = _logged(store, "detail Team")
    small_seen = list(recorder.statements)
    recorder.start()
    big_detail = await store.detail("Team", (big,), related_limit=10)
    big_sql = _logged(store, "detail Team")

    assert recorder.statements == big_sql and small_seen == small_sql
    assert len(big_sql) == len(small_sql) <= 4
    assert big_sql == small_sql  # the very same statements: only the bound key differs

    for name in ("heroes", "members"):
        assert small_detail.related[name].total == 3
        assert len(small_detail.related[name].rows) == 3
        page = big_detail.related[name]
        assert (page.total, page.has_more) == (10_000, True)
        assert len(page.rows) == 10  # one page loaded, not 10,000 rows
        assert [r.obj.name for r in page.rows] == [f"Legionnaire {i:05d}" for i in range(10)]
    assert {r.link["role"] for r in big_detail.related["members"].rows} == {"member"}
    # the statements that read related rows are LIMIT-ed; the count reads no hero rows at all
    related_reads = [sql for sql in big_sql if "hero.name" in sql.lower()]
    assert len(related_reads) == 2  # the heroes page and the members page
    assert all("limit" in sql.lower() for sql in related_reads)


async def test_related_page_of_10000_heroes_reads_one_page(
    store: Store, recorder: Recorder, big_and_small_team: tuple[int, int]
) -> None:
    big, small = big_and_small_team
    recorder.start()
    first = await store.related("Team", (big,), "heroes", limit=50)
    big_sql = _logged(store, "related Team.heroes")
    second = await store.related("Team", (big,), "heroes", after=(first.rows[-1].obj.id,), limit=50)
    await store.related("Team", (small,), "heroes", limit=50)
    small_sql = _logged(store, "related Team.heroes")
    assert big_sql == small_sql and len(big_sql) <= 2
    assert len(recorder.statements) == 3 * len(big_sql)
    assert (first.total, first.has_more, len(first.rows)) == (10_000, True, 50)
    assert [r.obj.name for r in second.rows] == [f"Legionnaire {i:05d}" for i in range(50, 100)]


# -- a links diff ---------------------------------------------------------------------------

# Team 1 (Preventers) has members 2 (member), 3 (lead), 4 (member), 5 (reserve), 7 (reserve).
ADDS = [
    LinkChange((8,), {"role": "member"}),
    LinkChange((9,), {"role": "lead"}),
    LinkChange((10,), {"role": "reserve"}),
]
REMOVES = [(2,), (4,)]
CHANGE = [LinkChange((3,), {"role": "member"}, {"role": "lead"})]


async def test_links_diff_of_3_adds_2_removes_1_change_is_one_transaction(
    store: Store, recorder: Recorder, check_db: sa.Engine
) -> None:
    before = _link_dump(check_db)
    recorder.start()
    await store.apply_links("Team", (1,), "members", LinkDiff(add=ADDS, remove=REMOVES, change=CHANGE))
    logged = _logged(store, "links Team.members")

    kinds, connections = recorder.kinds(), [conn for _, conn, _ in recorder.events]
    # one BEGIN, every statement, one COMMIT, on one connection: a commit per statement would show
    # several commits (and several begins) here
    assert kinds.count("begin") == 1 and kinds.count("commit") == 1 and "rollback" not in kinds
    assert kinds[0] == "begin" and kinds[-1] == "commit"
    assert set(kinds[1:-1]) == {"sql"}
    assert all(c is connections[0] for c in connections)
    sql = [s.lower().lstrip() for s in recorder.statements]
    assert sql == [s.lower().lstrip() for s in logged]
    assert sum(s.startswith("delete") for s in sql) >= 1
    assert sum(s.startswith("update") for s in sql) == 1
    assert sum(s.startswith("insert") for s in sql) >= 1
    assert len(sql) <= 6

    expected = {(t, h): r for t, h, r in before if not (t == 1 and h in (2, 4))}
    expected[(1, 3)] = "member"
    expected.update({(1, 8): "member", (1, 9): "lead", (1, 10): "reserve"})
    assert _link_dump(check_db) == [(t, h, r) for (t, h), r in sorted(expected.items())]


@pytest.mark.parametrize("failure", ["missing hero", "duplicate link"])
async def test_links_diff_failing_on_its_last_statement_leaves_the_database_as_it_was(
    store: Store, recorder: Recorder, check_db: sa.Engine, failure: str
) -> None:
    """The removals and the role change have run when the last insert fails: all are rolled back."""
    last = LinkChange((999,), {"role": "lead"}) if failure == "missing hero" else LinkChange((7,), {"role": "lead"})
    diff = LinkDiff(add=[*ADDS[:2], last], remove=REMOVES, change=CHANGE)
    before = {table: rows(check_db, f"SELECT * FROM {table} ORDER BY 1, 2") for table in ("heroteamlink", "hero")}
    recorder.start()
    with pytest.raises(WriteError) as raised:
        await store.apply_links("Team", (1,), "members", diff)
    assert str(raised.value)  # the user is told why

    sql = [s.lower().lstrip() for s in recorder.statements]
    kinds = recorder.kinds()
    # the failing statement is the last one sent, after the deletes and the update had run
    assert sql[-1].startswith("insert")
    assert any(s.startswith("delete") for s in sql) and any(s.startswith("update") for s in sql)
    assert kinds.count("begin") == 1 and "commit" not in kinds and "rollback" in kinds
    assert {table: rows(check_db, f"SELECT * FROM {table} ORDER BY 1, 2") for table in before} == before
    # the Store is still usable, and sees the links as they were
    page = await store.related("Team", (1,), "members")
    assert [(r.obj.id, r.link["role"]) for r in page.rows] == [
        (2, "member"), (3, "lead"), (4, "member"), (5, "reserve"), (7, "reserve")
    ]
