"""The command palette (ctrl+p) opens any model's list and the query log."""

from __future__ import annotations

from tests.ui.helpers import SIZE, settle
from tui_admin.ui.app import AdminApp


async def test_palette_opens_a_models_list(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: demo_app.store is not None, "the database open")
        await pilot.press("ctrl+p")
        await pilot.press(*"open team")
        await pilot.pause(0.3)  # the palette's own search is debounced
        await pilot.press("enter")
        await settle(pilot, lambda: type(demo_app.screen).__name__ == "ListScreen", "the Team list")
        await settle(pilot, lambda: "5 rows" in str(demo_app.screen.query_one("#list-title").render()))
        assert demo_app.screen.model == "Team"


async def test_palette_offers_the_query_log(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: demo_app.store is not None, "the database open")
        await pilot.press("ctrl+p")
        await pilot.press(*"query log")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: type(demo_app.screen).__name__ == "QueryLogScreen", "the query log")
        assert demo_app.screen.query_one("#query-actions").row_count >= 2  # connect, count models
