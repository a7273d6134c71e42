"""Records whose key is several columns, referred to by link tables and other tables through a
composite foreign key, on every engine (raw DDL, reflected): a delete removes exactly the link
rows of that record, and every count of referring rows matches the whole key tuple, never one
part of it (country 'us' is not the record ('us', '1'))."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import WriteError
from tui_admin.core.query import ListQuery
from tui_admin.core.store import Store

from .helpers import rows

TABLES = ["cc_note", "cc_tag", "cc_tag_name", "country_code"]


def _ddl(cascade: str) -> list[str]:
    return [
        "CREATE TABLE country_code (country varchar(10), code varchar(10), label varchar(40), "
        "PRIMARY KEY (country, code))",
        "CREATE TABLE cc_tag_name (id integer PRIMARY KEY, name varchar(20))",
        "CREATE TABLE cc_tag (country varchar(10), code varchar(10), tag_id integer REFERENCES cc_tag_name(id), "
        "PRIMARY KEY (country, code, tag_id), FOREIGN KEY (country, code) REFERENCES country_code(country, code))",
        # A table that is not a link refers to a record by the same composite key: it blocks (or,
        # with ON DELETE CASCADE, goes with) exactly the record it names.
        "CREATE TABLE cc_note (id integer PRIMARY KEY, country varchar(10), code varchar(10), body varchar(40), "
        f"FOREIGN KEY (country, code) REFERENCES country_code(country, code){cascade})",
        "INSERT INTO country_code VALUES ('us', '1', 'US one'), ('us', '2', 'US two'), ('fr', '1', 'FR one')",
        "INSERT INTO cc_tag_name VALUES (1, 'red'), (2, 'blue')",
        "INSERT INTO cc_tag VALUES ('fr', '1', 1), ('us', '1', 1), ('us', '2', 1), ('us', '2', 2)",
        "INSERT INTO cc_note VALUES (1, 'us', '2', 'about us-2'), (2, 'fr', '1', 'about fr-1')",
    ]


@pytest.fixture(params=["", " ON DELETE CASCADE"], ids=["restrict", "cascade"])
async def codes(request: pytest.FixtureRequest, raw_tables: Callable[..., str]) -> AsyncIterator[Store]:
    store = Store(raw_tables(TABLES, _ddl(request.param)))
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


def _tags(check_db: sa.Engine) -> list[tuple[str, str, int]]:
    return rows(check_db, "SELECT country, code, tag_id FROM cc_tag ORDER BY country, code, tag_id")


async def test_preview_counts_only_the_link_rows_of_the_whole_key(codes: Store) -> None:
    plan = await codes.delete_preview("country_code", ("us", "1"))
    assert plan.links == [("cc_tag", 1)]
    assert plan.blockers == [] and plan.cascades == []
    two = await codes.delete_preview("country_code", ("us", "2"))
    assert two.links == [("cc_tag", 2)]


async def test_delete_removes_only_the_link_rows_of_the_whole_key(codes: Store, check_db: sa.Engine) -> None:
    await codes.delete("country_code", ("us", "1"))
    assert _tags(check_db) == [("fr", "1", 1), ("us", "2", 1), ("us", "2", 2)]
    assert rows(check_db, "SELECT country, code FROM country_code ORDER BY country, code") == [
        ("fr", "1"), ("us", "2")
    ]
    assert rows(check_db, "SELECT id FROM cc_note ORDER BY id") == [(1,), (2,)]


async def test_a_referring_row_blocks_or_cascades_only_for_the_record_it_names(
    codes: Store, check_db: sa.Engine
) -> None:
    cascading = codes.admin("cc_note").info.table.foreign_key_constraints
    cascade = any((fk.ondelete or "").upper() == "CASCADE" for fk in cascading)
    plan = await codes.delete_preview("country_code", ("us", "2"))
    if cascade:
        assert (plan.cascades, plan.blockers) == ([("cc_note", 1)], [])
        await codes.delete("country_code", ("us", "2"))
        assert rows(check_db, "SELECT id FROM cc_note ORDER BY id") == [(2,)]
        assert _tags(check_db) == [("fr", "1", 1), ("us", "1", 1)]
    else:
        assert (plan.cascades, plan.blockers) == ([], [("cc_note", "country, code", 1)])
        with pytest.raises(WriteError, match="cc_note"):
            await codes.delete("country_code", ("us", "2"))
        assert len(_tags(check_db)) == 4  # the refused delete removed no link row either


async def test_composite_key_columns_are_not_single_column_foreign_keys(codes: Store) -> None:
    """A part of a composite foreign key does not name a record by itself: no picker and no label
    for `country` alone (which would pick any 'us' record)."""
    info = codes.admin("cc_tag").info
    assert info.columns["country"].foreign_key is None and info.columns["code"].foreign_key is None
    assert info.columns["tag_id"].foreign_key is not None
    page = await codes.page(ListQuery("cc_tag"), limit=10)
    assert set(page.labels) == {"tag_id"}



# -- cascades of cascades ---------------------------------------------------------------------

CASCADE_TABLES = ["dl_guard", "dl_soft", "dl_grandchild", "dl_child", "dl_owner"]
CASCADE_DDL = [
    "CREATE TABLE dl_owner (id integer PRIMARY KEY, name varchar(20))",
    "CREATE TABLE dl_child (id integer PRIMARY KEY, owner_id integer NOT NULL, "
    "FOREIGN KEY (owner_id) REFERENCES dl_owner(id) ON DELETE CASCADE)",
    "CREATE TABLE dl_grandchild (id integer PRIMARY KEY, child_id integer NOT NULL, "
    "FOREIGN KEY (child_id) REFERENCES dl_child(id) ON DELETE CASCADE)",
    "CREATE TABLE dl_soft (id integer PRIMARY KEY, owner_id integer NULL, "
    "FOREIGN KEY (owner_id) REFERENCES dl_owner(id) ON DELETE SET NULL)",
    "CREATE TABLE dl_guard (id integer PRIMARY KEY, grandchild_id integer NOT NULL, "
    "FOREIGN KEY (grandchild_id) REFERENCES dl_grandchild(id))",
    "INSERT INTO dl_owner VALUES (1, 'one'), (2, 'two')",
    "INSERT INTO dl_child VALUES (10, 1), (11, 1), (20, 2)",
    "INSERT INTO dl_grandchild VALUES (100, 10), (101, 10), (110, 11), (200, 20)",
    "INSERT INTO dl_soft VALUES (1, 1), (2, 2)",
    "INSERT INTO dl_guard VALUES (1, 200)",
]


@pytest.fixture
async def owners(raw_tables: Callable[..., str]) -> AsyncIterator[Store]:
    store = Store(raw_tables(CASCADE_TABLES, CASCADE_DDL))
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


async def test_preview_follows_cascades_of_cascades_and_set_null(owners: Store, check_db: sa.Engine) -> None:
    plan = await owners.delete_preview("dl_owner", (1,))
    assert (plan.cascades, plan.set_null, plan.blockers) == (
        [("dl_child", 2), ("dl_grandchild", 3)], [("dl_soft", 1)], []
    )
    # the first few rows of each table, by name, for the confirmation
    assert plan.examples == {
        "dl_child": ["dl_child #10", "dl_child #11"],
        "dl_grandchild": ["dl_grandchild #100", "dl_grandchild #101", "dl_grandchild #110"],
        "dl_soft": ["dl_soft #1"],
    }
    await owners.delete("dl_owner", (1,))
    assert rows(check_db, "SELECT id FROM dl_child ORDER BY id") == [(20,)]
    assert rows(check_db, "SELECT id FROM dl_grandchild ORDER BY id") == [(200,)]
    assert rows(check_db, "SELECT id, owner_id FROM dl_soft ORDER BY id") == [(1, None), (2, 2)]


async def test_a_protected_row_below_a_cascade_blocks_the_delete(owners: Store, check_db: sa.Engine) -> None:
    plan = await owners.delete_preview("dl_owner", (2,))
    assert plan.blockers == [("dl_guard", "grandchild_id", 1)]
    assert plan.examples["dl_guard"] == ["dl_guard #1"]
    with pytest.raises(WriteError, match="dl_guard"):
        await owners.delete("dl_owner", (2,))
    assert rows(check_db, "SELECT id FROM dl_grandchild WHERE id = 200") == [(200,)]
