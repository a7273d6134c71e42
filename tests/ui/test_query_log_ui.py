"""The query log (f12) answers three questions: which relationship an N+1 lazy-loads and the
eager load that fixes it, what plan a statement gets (`x`, full scans marked), and how many
connections are checked out of the pool (a leak stays visible)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.ui.helpers import SIZE, press, settle, static_text, table_rows
from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.query_log import QueryLogScreen


async def opened(pilot: Pilot[Any]) -> Store:
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await settle(pilot, lambda: app.store is not None, "the database open")
    assert app.store is not None
    return app.store


async def open_log(pilot: Pilot[Any]) -> QueryLogScreen:
    await press(pilot, "f12", until=lambda: isinstance(pilot.app.screen, QueryLogScreen), what="the query log")
    assert isinstance(pilot.app.screen, QueryLogScreen)
    return pilot.app.screen


def pane(screen: QueryLogScreen, name: str) -> str:
    return static_text(screen.query_one(f"#{name}", Static))


async def test_an_n_plus_one_names_the_relationship_and_the_eager_load(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        store = await opened(pilot)

        def lazily(session: Any) -> int:  # a hook written without eager loads
            heroes = session.execute(sa.select(Hero).order_by(Hero.id)).scalars().all()
            return len({h.team.id for h in heroes if h.team is not None})

        teams = await store._run("heroes lazily", lazily)
        screen = await open_log(pilot)
        rows = table_rows(screen.query_one("#query-actions", DataTable))
        assert rows[0][0] == "heroes lazily" and rows[0][3] == f"N+1: Hero.team ×{teams}"
        assert pane(screen, "query-n-plus-one") == (
            f"Hero.team: {teams} SELECTs of team by id — load it with selectinload(Hero.team)")
        await press(pilot, "down")  # an action without an N+1: no flag shown
        assert not screen.query_one("#query-n-plus-one", Static).display


async def test_x_shows_the_plan_with_full_scans_marked(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        store = await opened(pilot)
        await store.page(ListQuery("Hero", search="pond"), limit=5)  # LIKE '%pond%': a full scan
        await store.get("Hero", (1,))
        screen = await open_log(pilot)
        actions = screen.query_one("#query-actions", DataTable)
        names = [r[0] for r in table_rows(actions)]
        assert names[:2] == ["get Hero", "list Hero"]
        await press(pilot, "down", until=lambda: screen.shown is not None and screen.shown.name == "list Hero")
        await press(pilot, "tab", until=lambda: screen.focused is screen.query_one("#query-statements"))
        await press(pilot, "x", until=lambda: pane(screen, "query-plan").startswith("plan · "), what="the plan")
        plan = pane(screen, "query-plan")
        assert "full scan" in plan.splitlines()[0] and "no full scan" not in plan
        assert "← full scan: every row of the table is read" in plan
        scan = {"sqlite": "SCAN hero", "postgresql": "Seq Scan on hero"}[store.backend.name]
        assert scan in plan
        assert not [n.message for n in demo_app._notifications if n.severity == "error"]


async def test_a_statement_without_a_plan_says_so(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        store = await opened(pilot)
        sql = "PRAGMA user_version" if store.backend.name == "sqlite" else "SHOW search_path"
        await store._run("no plan", lambda s: s.connection().exec_driver_sql(sql).all())
        screen = await open_log(pilot)
        await press(pilot, "tab", "x", until=lambda: pane(screen, "query-plan").startswith("No plan"))
        assert pane(screen, "query-plan").startswith(f"No plan for {sql.split()[0]}: EXPLAIN shows the plan of")


async def test_the_pool_count_shows_a_leaked_connection(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        store = await opened(pilot)
        screen = await open_log(pilot)
        assert pane(screen, "query-pool") == "pool: 0 connections checked out"
        held: Any = await store._runner.engine.connect().start() if store.is_async else store.sync_engine.connect()
        try:
            await settle(pilot, lambda: pane(screen, "query-pool").startswith("pool: 1 connection checked out"),
                         "the leak shown")
            assert pane(screen, "query-pool") == "pool: 1 connection checked out (a leak if it stays)"
        finally:
            await held.close() if store.is_async else held.close()
        await settle(pilot, lambda: pane(screen, "query-pool") == "pool: 0 connections checked out", "given back")
