"""Bulk delete of marked rows or of every row a list matches: one transaction of set-based
statements, the plan aggregated per table and exact, refused naming every blocker, composite keys
matched whole, and a cancelled delete writes nothing; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.core.raw_ddl import RunDDL
from tui_admin.core.errors import WriteError
from tui_admin.core.query import Filter, ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store

from .helpers import rows


@pytest.fixture(params=["sqlite", "postgresql+psycopg", "mysql+pymysql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


async def test_marked_heroes_go_with_their_link_rows_only(store: Store, check_db: sa.Engine) -> None:
    plan = await store.delete_many_preview("Hero", [(2,), (5,)])
    links = rows(check_db, "SELECT count(*) FROM heroteamlink WHERE hero_id IN (2, 5)")[0][0]
    assert (plan.rows, plan.links, plan.blockers) == (2, [("heroteamlink", links)], [])
    before = rows(check_db, "SELECT count(*) FROM heroteamlink")[0][0]
    done = await store.delete_many("Hero", [(2,), (5,)])
    assert done.rows == 2
    assert rows(check_db, "SELECT id FROM hero WHERE id IN (2, 5)") == []
    assert rows(check_db, "SELECT count(*) FROM hero")[0][0] == 13
    assert rows(check_db, "SELECT count(*) FROM heroteamlink")[0][0] == before - links


async def test_all_matching_a_filter_in_a_few_statements(store: Store, check_db: sa.Engine) -> None:
    query = ListQuery("Hero").adding(Filter("team_id", "in", (1,)))
    matching = rows(check_db, "SELECT count(*) FROM hero WHERE team_id = 1")[0][0]
    plan = await store.delete_many_preview("Hero", query)
    assert plan.rows == matching and plan.label == f"{matching} Hero {'row' if matching == 1 else 'rows'}"
    await store.delete_many("Hero", query)
    assert rows(check_db, "SELECT count(*) FROM hero WHERE team_id = 1")[0][0] == 0
    assert rows(check_db, "SELECT count(*) FROM hero")[0][0] == 15 - matching
    action = store.log.actions[-1]
    assert action.name == "delete Hero" and len(action.statements) <= 12  # set-based, not one per row


async def test_blocked_rows_are_all_named_and_nothing_is_deleted(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError) as refused:
        await store.delete_many("Team", ListQuery("Team"))
    assert "still referred to by" in str(refused.value) and "hero rows (hero.team_id)" in str(refused.value)
    assert rows(check_db, "SELECT count(*) FROM team")[0][0] == 5
    plan = await store.delete_many_preview("Team", [(1,), (2,)])
    assert [b[0] for b in plan.blockers] == ["hero"] and not plan.allowed


async def test_composite_keys_are_matched_whole(backend: str, run_ddl: RunDDL, db_urls: tuple[str, str]) -> None:
    run_ddl([
        "CREATE TABLE bk_code (country varchar(10), code varchar(10), PRIMARY KEY (country, code))",
        "CREATE TABLE bk_tag (id integer PRIMARY KEY)",
        "CREATE TABLE bk_link (country varchar(10), code varchar(10), tag_id integer REFERENCES bk_tag(id),"
        " PRIMARY KEY (country, code, tag_id), FOREIGN KEY (country, code) REFERENCES bk_code(country, code))",
        "INSERT INTO bk_code VALUES ('us', '1'), ('us', '2'), ('fr', '1')",
        "INSERT INTO bk_tag VALUES (1), (2)",
        "INSERT INTO bk_link VALUES ('fr', '1', 1), ('us', '1', 1), ('us', '2', 1), ('us', '2', 2)",
    ], ["DROP TABLE IF EXISTS bk_link", "DROP TABLE IF EXISTS bk_tag", "DROP TABLE IF EXISTS bk_code"])
    store = Store(db_urls[1])
    try:
        await store.reflect()
        plan = await store.delete_many("bk_code", [("us", "1"), ("fr", "1")])
        assert (plan.rows, plan.links) == (2, [("bk_link", 2)])
    finally:
        await store.dispose()
    engine = sa.create_engine(db_urls[0])
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT country, code FROM bk_code")).all() == [("us", "2")]
        assert sorted(conn.execute(sa.text("SELECT country, code, tag_id FROM bk_link")).all()) == [
            ("us", "2", 1), ("us", "2", 2)]
    engine.dispose()


async def test_a_cancelled_bulk_delete_deletes_nothing(sqlite_demo: str, demo_registry: Registry) -> None:
    path = Path(sa.make_url(sqlite_demo).database)  # type: ignore[arg-type]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another client holds the file: the delete waits for it
    store = Store(sqlite_demo, demo_registry, lock_timeout=30)
    try:
        task = asyncio.create_task(store.delete_many("Hero", ListQuery("Hero")))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        await store.dispose()
    check = sqlite3.connect(path)
    assert check.execute("SELECT count(*) FROM hero").fetchone()[0] == 15
    check.close()
