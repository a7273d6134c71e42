"""Reflection reads every user schema of PostgreSQL, and one table never stands for another: a
table of another schema is named `schema.table` (a name the search path does not lead to), and
everything that looks a model up by table (labels, following a key, relations, pickers) uses the
schema-qualified key. MySQL/MariaDB (one database, one schema) and SQLite keep working, and
`schemas=` narrows what is read on each. The PostgreSQL row estimate finds a table by name and
schema, whatever the name holds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from tests.core.raw_ddl import RunDDL
from tui_admin.core import reflect
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ConfigError
from tui_admin.core.related import Via
from tui_admin.core.store import Store

from .helpers import rows

OTHER = "rf Other"  # a schema whose name needs quoting
UNICODE = "Ünïcode Täble"

SCHEMA_DDL = [
    f'CREATE SCHEMA "{OTHER}"',
    "CREATE TABLE rf_hidden (id integer PRIMARY KEY, name text)",
    "INSERT INTO rf_hidden VALUES (1, 'public one'), (2, 'public two')",
    f'CREATE TABLE "{OTHER}".rf_hidden (id integer PRIMARY KEY, label text, '
    "public_id integer REFERENCES public.rf_hidden (id))",
    f"INSERT INTO \"{OTHER}\".rf_hidden VALUES (10, 'other ten', 2), (11, 'other eleven', NULL)",
    f'CREATE TABLE "{OTHER}"."{UNICODE}" (id integer PRIMARY KEY, "Näme" text, '
    f'hidden_id integer REFERENCES "{OTHER}".rf_hidden (id))',
    f"INSERT INTO \"{OTHER}\".\"{UNICODE}\" VALUES (1, 'ü', 10)",
    'CREATE TABLE "order" (id integer PRIMARY KEY, "select" text, '
    f'other_id integer REFERENCES "{OTHER}".rf_hidden (id))',
    "INSERT INTO \"order\" VALUES (1, 'first', 10), (2, 'second', 11)",
]
SCHEMA_DROP = ['DROP TABLE IF EXISTS "order"', f'DROP SCHEMA IF EXISTS "{OTHER}" CASCADE',
               "DROP TABLE IF EXISTS rf_hidden"]
HIDDEN = f"{OTHER}.rf_hidden"
UNICODE_NAME = f"{OTHER}.{UNICODE}"


#: Schemas other than the database itself, search paths and the planner's estimate are PostgreSQL's.
ON_POSTGRESQL = pytest.mark.parametrize("engine_name", ["postgresql+psycopg", "postgresql+asyncpg"])


@pytest.fixture
async def pg_store(db_urls: tuple[str, str], run_ddl: RunDDL) -> AsyncIterator[Store]:
    run_ddl(SCHEMA_DDL, SCHEMA_DROP)
    store = Store(db_urls[1])
    try:
        await store.reflect()
        yield store
    finally:
        await store.dispose()


@ON_POSTGRESQL
async def test_a_same_named_table_in_another_schema_does_not_replace_the_public_one(pg_store: Store) -> None:
    names = {a.info.name for a in pg_store.registry}
    assert {"rf_hidden", HIDDEN, UNICODE_NAME, "order"} <= names
    assert not {n for n in names if n.startswith(("information_schema.", "pg_"))}
    public, other = pg_store.admin("rf_hidden").info, pg_store.admin(HIDDEN).info
    assert (public.table_key, other.table_key) == ("rf_hidden", HIDDEN)
    assert pg_store.registry.for_table("rf_hidden").info is public  # type: ignore[union-attr]
    assert pg_store.registry.for_table(HIDDEN).info is other  # type: ignore[union-attr]
    assert [r.name for r in (await pg_store.page(ListQuery("rf_hidden"))).rows] == ["public one", "public two"]
    assert [r.label for r in (await pg_store.page(ListQuery(HIDDEN))).rows] == ["other ten", "other eleven"]


@ON_POSTGRESQL
async def test_foreign_keys_across_schemas_label_follow_and_relate(pg_store: Store) -> None:
    order = pg_store.admin("order").info
    fk = order.columns["other_id"].foreign_key
    assert fk is not None and fk.table == HIDDEN
    assert pg_store.registry.for_table(fk.table).info.name == HIDDEN  # type: ignore[union-attr]
    assert (await pg_store.page(ListQuery("order"))).labels == {"other_id": {10: "other ten", 11: "other eleven"}}
    assert await pg_store.choices(fk) == [(11, "other eleven"), (10, "other ten")]
    # from the other schema back to public, and the relations of both directions
    detail = await pg_store.detail(HIDDEN, (10,))
    assert detail.record.labels == {"public_id": {2: "public two"}}
    relations = {n: r.target_table for n, r in pg_store.admin(HIDDEN).info.relationships.items()}
    assert relations == {"public": "rf_hidden", "order_set": "order", f"{UNICODE_NAME}_set": UNICODE_NAME}
    assert [r.obj.id for r in detail.related["order_set"].rows] == [1]
    assert [r.obj.id for r in detail.related[f"{UNICODE_NAME}_set"].rows] == [1]
    via = ListQuery("order", via=Via(HIDDEN, "order_set", (11,)))
    assert [r.select for r in (await pg_store.page(via)).rows] == ["second"]
    public = await pg_store.detail("rf_hidden", (2,))
    assert [r.obj.id for r in public.related[f"{HIDDEN}_set"].rows] == [10]
    unicode_row = await pg_store.detail(UNICODE_NAME, (1,))
    assert unicode_row.record.labels == {"hidden_id": {10: "other ten"}}


@ON_POSTGRESQL
async def test_writes_to_a_table_of_another_schema_land_in_it(pg_store: Store, check_db: sa.Engine) -> None:
    await pg_store.create(HIDDEN, {"id": 12, "label": "twelve", "public_id": 1})
    await pg_store.update(HIDDEN, (12,), {"label": "Twelve"}, {"label": "twelve"})
    assert rows(check_db, f'SELECT id, label FROM "{OTHER}".rf_hidden WHERE id = 12') == [(12, "Twelve")]
    assert rows(check_db, "SELECT count(*) FROM public.rf_hidden") == [(2,)]
    await pg_store.delete(HIDDEN, (12,))
    assert rows(check_db, f'SELECT count(*) FROM "{OTHER}".rf_hidden') == [(2,)]


@ON_POSTGRESQL
async def test_schemas_narrow_the_reflection(pg_store: Store, db_urls: tuple[str, str]) -> None:
    store = Store(db_urls[1])
    try:
        names = {a.info.name for a in await store.reflect([OTHER])}
        assert names == {HIDDEN, UNICODE_NAME}
        # its key to a table of a schema not read: shown as a value, no label, no relation
        assert store.admin(HIDDEN).info.columns["public_id"].foreign_key.table == "rf_hidden"  # type: ignore[union-attr]
        assert (await store.page(ListQuery(HIDDEN))).labels == {}
        with pytest.raises(ConfigError, match="'nope'"):
            await store.reflect(["nope"])
        with pytest.raises(ConfigError, match="'information_schema'"):
            await store.reflect(["information_schema"])
    finally:
        await store.dispose()


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg"])  # the search path, as psycopg's connect options
async def test_a_schema_on_the_search_path_gives_its_tables_their_bare_names(
    engine_name: str, db_urls: tuple[str, str], backend: str, run_ddl: RunDDL
) -> None:
    run_ddl(SCHEMA_DDL, SCHEMA_DROP)
    escaped = OTHER.replace(" ", "\\ ")  # libpq splits its options at unescaped spaces
    url = sa.make_url(db_urls[1]).update_query_dict({"options": f'-csearch_path=public,"{escaped}"'})
    store = Store(url)
    try:
        names = {a.info.name for a in await store.reflect()}
        assert {"rf_hidden", HIDDEN, UNICODE, "order"} <= names  # public.rf_hidden comes first on the path
        assert UNICODE_NAME not in names
        # Each table is reflected once, whatever its foreign keys say (no second `Ünïcode Täble`).
        detail = await store.detail(UNICODE, (1,))
        assert detail.record.labels == {"hidden_id": {10: "other ten"}}
        assert store.admin(UNICODE).info.relationships["hidden"].target_table == HIDDEN
    finally:
        await store.dispose()


def test_names_follow_the_search_path_and_never_collide() -> None:
    md = sa.MetaData()
    public_x = sa.Table("x", md)
    other_x = sa.Table("x", md, schema="s")
    path_y = sa.Table("y", md, schema="s2")
    dotted = sa.Table("s.x", md)  # a public table whose own name holds a dot
    shadowed = sa.Table("y", md, schema="s3")
    names = reflect.display_names([public_x, other_x, path_y, dotted, shadowed], ["public", "s2"], "public")
    assert names == {public_x: "x", other_x: '"s"."x"', path_y: "y", dotted: "s.x", shadowed: "s3.y"}


# -- one database, one schema ---------------------------------------------------------------


async def test_the_default_schema_named_reads_what_the_default_reads(
    db_urls: tuple[str, str], backend: str, run_ddl: RunDDL, check_db: sa.Engine
) -> None:
    run_ddl(["CREATE TABLE rf_one (id INTEGER PRIMARY KEY, name VARCHAR(20))",
             "INSERT INTO rf_one VALUES (1, 'one')"], ["DROP TABLE IF EXISTS rf_one"])
    default = sa.inspect(check_db).default_schema_name
    store = Store(db_urls[1])
    try:
        everything = {a.info.name for a in await store.reflect()}
        assert "rf_one" in everything
        if backend != "postgresql":  # a PostgreSQL database may hold other schemas
            assert {a.info.name for a in await store.reflect([default])} == everything
        assert [r.name for r in (await store.page(ListQuery("rf_one"))).rows] == ["one"]
        with pytest.raises(ConfigError, match="'nope'"):
            await store.reflect(["nope"])
    finally:
        await store.dispose()


# -- the row estimate ------------------------------------------------------------------------


@ON_POSTGRESQL
async def test_the_estimate_finds_the_table_by_its_exact_name_and_schema(
    db_urls: tuple[str, str], backend: str, run_ddl: RunDDL
) -> None:
    names = {"RfMixed": 40, "rfmixed": 4, "rf spaced": 7, "Rf Ünï": 9}
    create = [f'CREATE SCHEMA "{OTHER}"', f'CREATE TABLE "{OTHER}"."RfMixed" (id integer PRIMARY KEY)',
              f'INSERT INTO "{OTHER}"."RfMixed" SELECT generate_series(1, 13)', f'ANALYZE "{OTHER}"."RfMixed"']
    for name, n in names.items():
        create += [f'CREATE TABLE "{name}" (id integer PRIMARY KEY)',
                   f'INSERT INTO "{name}" SELECT generate_series(1, {n})', f'ANALYZE "{name}"']
    run_ddl(create, [f'DROP TABLE IF EXISTS "{name}"' for name in names] + [f'DROP SCHEMA IF EXISTS "{OTHER}" CASCADE'])
    store = Store(db_urls[1])
    try:
        await store.reflect()
        for name, n in names.items():
            assert await store.estimate(ListQuery(name)) == n, name
        assert await store.estimate(ListQuery(f"{OTHER}.RfMixed")) == 13
    finally:
        await store.dispose()
