"""`--read-only` is enforced twice: the Store refuses writes, and so does the database session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.core.helpers import rows
from tui_admin.core.errors import ReadOnlyError, StoreError
from tui_admin.core.store import LinkChange, LinkDiff, Store

#: A link edit that adds, removes and changes: Deadpond (#1) is in team 2 (lead) and team 4.
LINK_EDIT = LinkDiff(
    add=[LinkChange((3,), {"role": "member"})],
    remove=[(4,)],
    change=[LinkChange((2,), {"role": "member"}, {"role": "lead"})],
)


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    return {t: rows(engine, f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("team", "hero", "heroteamlink")}


async def test_store_refuses_every_write(demo_url: str, demo_registry, check_db: sa.Engine) -> None:
    before = dump(check_db)
    store = Store(demo_url, demo_registry, read_only=True)
    try:
        with pytest.raises(ReadOnlyError):
            await store.create("Team", {"name": "Nope", "headquarters": "Nowhere"})
        with pytest.raises(ReadOnlyError):
            await store.update("Hero", (1,), {"age": 1}, {"age": None})
        with pytest.raises(ReadOnlyError):
            await store.delete("Hero", (1,))
        with pytest.raises(ReadOnlyError):
            await store.apply_links("Hero", (1,), "teams", LINK_EDIT)
        assert await store.counts(["Team", "Hero"]) == {"Team": 5, "Hero": 15}  # reads still work
    finally:
        await store.dispose()
    assert dump(check_db) == before


async def test_database_session_refuses_a_link_edit_the_store_let_through(
    demo_url: str, demo_registry, check_db: sa.Engine
) -> None:
    """With the Store's own check switched off, the read-only session still refuses every
    statement of a link edit, and nothing of it is applied."""
    before = dump(check_db)
    store = Store(demo_url, demo_registry, read_only=True)
    store._runner.read_only = False  # bypass the first lock
    try:
        with pytest.raises(StoreError, match=r"(?i)read.?only"):
            await store.apply_links("Hero", (1,), "teams", LINK_EDIT)
    finally:
        await store.dispose()
    assert dump(check_db) == before


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
