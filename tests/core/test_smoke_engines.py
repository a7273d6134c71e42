"""The demo fixture works on every engine (a guard for the fixtures themselves)."""

from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store


async def test_demo_data_on_every_engine(demo_url: str, demo_registry) -> None:
    store = Store(demo_url, demo_registry)
    try:
        counts = await store.counts(["Hero", "Team", "HeroTeamLink"])
        page = await store.page(ListQuery("Hero"), limit=3)
    finally:
        await store.dispose()
    assert counts == {"Hero": 15, "Team": 5, "HeroTeamLink": 20}
    assert [h.name for h in page.rows] == ["Deadpond", "Spider-Boy", "Rusty-Man"]
