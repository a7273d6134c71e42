"""`--read-only` is enforced twice: the Store refuses writes, and so does the database session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import ReadOnlyError
from tui_admin.core.store import Store


async def test_store_refuses_every_write(demo_url: str, demo_registry) -> None:
    store = Store(demo_url, demo_registry, read_only=True)
    try:
        with pytest.raises(ReadOnlyError):
            await store.create("Team", {"name": "Nope", "headquarters": "Nowhere"})
        with pytest.raises(ReadOnlyError):
            await store.update("Hero", (1,), {"age": 1}, {"age": None})
        with pytest.raises(ReadOnlyError):
            await store.delete("Hero", (1,))
        assert await store.counts(["Team", "Hero"]) == {"Team": 5, "Hero": 15}  # reads still work
    finally:
        await store.dispose()


async def test_database_session_itself_refuses_a_write(demo_url: str, demo_registry) -> None:
    """Bypass the Store's own check (run an INSERT as if it were a read): the database says no."""
    store = Store(demo_url, demo_registry, read_only=True)
    team = demo_registry["Team"].info.table

    def sneaky_insert(session: sa.orm.Session) -> None:
        session.execute(sa.insert(team).values(name="Sneaky", headquarters="Basement"))
        session.commit()

    try:
        with pytest.raises(sa.exc.DBAPIError, match=r"(?i)read.?only"):
            await store._run("sneaky", sneaky_insert)
    finally:
        await store.dispose()
    check = Store(demo_url, demo_registry)
    try:
        assert (await check.counts(["Team"]))["Team"] == 5
    finally:
        await check.dispose()
