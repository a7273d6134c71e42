"""User bulk actions (`ModelAdmin.actions`) through `Store.run_action` on every engine: on the
marked rows' keys or on all rows a list view matches (its search, filters and `list_query`
scope), sync or async, in one transaction that an error rolls back whole."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.actions import Selection, action
from tui_admin.core.errors import ConfigError, WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero, HeroTeamLink, Team

from .helpers import rows

HERO = Hero.__table__  # type: ignore[attr-defined]


@action(label="Make older", confirm=True)
def older(session: Session, selected: Selection) -> str:
    n = session.execute(sa.update(HERO).where(selected.where).values(age=HERO.c.age + 1)).rowcount
    return f"{n} older"


@action("rename", confirm="Rename the selected heroes?")
async def rename(session: Session, selected: Selection) -> int:
    await asyncio.sleep(0)
    ids = session.scalars(sa.select(HERO.c.id).where(selected.where)).all()
    session.execute(sa.update(HERO).where(HERO.c.id.in_(ids)).values(name=HERO.c.name + "!"))
    return len(ids)


@action()
def half_done(session: Session, selected: Selection) -> None:
    session.execute(sa.update(HERO).where(selected.where).values(age=0))
    raise RuntimeError("changed my mind")


class HeroAdmin(ModelAdmin, model=Hero):
    actions = [older, rename, half_done]

    def list_query(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        return stmt.where(Hero.id != 1)  # hero 1 is never listed, so no action reaches it


@pytest.fixture
async def act_store(demo_url: str) -> AsyncIterator[Store]:
    async with Store(demo_url, Registry([HeroAdmin, Team, HeroTeamLink])) as store:
        yield store


def test_the_decorator_names_and_asks() -> None:
    assert (older.name, older.title, older.confirm) == ("older", "Make older", "Make older?")
    assert (rename.name, rename.confirm) == ("rename", "Rename the selected heroes?")
    assert half_done.confirm is None and half_done.title == "Half done"


async def test_an_action_on_marked_keys(act_store: Store, check_db: sa.Engine) -> None:
    before = dict(rows(check_db, "SELECT id, age FROM hero WHERE age IS NOT NULL"))
    marked = [k for k in sorted(before)[:3]]
    assert await act_store.run_action("Hero", "older", keys=[(k,) for k in marked]) == "3 older"
    after = dict(rows(check_db, "SELECT id, age FROM hero WHERE age IS NOT NULL"))
    assert {k: after[k] - before[k] for k in before} == {k: int(k in marked) for k in before}


async def test_an_async_action_on_all_matching_within_the_scope(act_store: Store, check_db: sa.Engine) -> None:
    query = ListQuery("Hero").filtered("team_id", 1)
    expected = [r[0] for r in rows(check_db, "SELECT id FROM hero WHERE team_id = 1 AND id <> 1 ORDER BY id")]
    assert expected
    assert await act_store.run_action("Hero", "rename", query=query) == len(expected)
    renamed = [i for i, name in rows(check_db, "SELECT id, name FROM hero ORDER BY id") if name.endswith("!")]
    assert renamed == expected


async def test_an_action_that_raises_writes_nothing(act_store: Store, check_db: sa.Engine) -> None:
    before = rows(check_db, "SELECT id, age FROM hero ORDER BY id")
    with pytest.raises(WriteError, match="action 'half_done' failed: RuntimeError: changed my mind"):
        await act_store.run_action("Hero", "half_done", query=ListQuery("Hero"))
    assert rows(check_db, "SELECT id, age FROM hero ORDER BY id") == before


async def test_an_unknown_action_or_no_rows_given(act_store: Store) -> None:
    with pytest.raises(ConfigError, match="Hero has no action 'retire' \\(actions: older, rename, half_done\\)"):
        await act_store.run_action("Hero", "retire", keys=[(1,)])
    with pytest.raises(ValueError, match="not both nor neither"):
        await act_store.run_action("Hero", "older")
