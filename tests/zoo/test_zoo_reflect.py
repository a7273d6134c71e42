"""Reflection sees what is there (issue 8, section 5), on every engine: each zoo table listed once
under a name of its own (PostgreSQL tables of another schema too, views and keyless tables
read-only with the reason, the parent of a partitioned table and not its partitions), links told
apart from other tables, each type reflected as what it holds, generated columns shown and never
written, no sort offered without a total order."""

from __future__ import annotations

import contextlib

import pytest

from tests.zoo.catalogue import PARTITIONS, ZooTable
from tests.zoo.conftest import Zoo
from tests.zoo.harness import find_admin, read_only_reason
from tui_admin.core.format import display
from tui_admin.core.introspect import Direction, Kind
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import ModelAdmin
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, form_columns, parse_form, to_form_value
from tui_admin.core.store import Store

POSTGRESQL = ["postgresql+psycopg", "postgresql+asyncpg"]
MARIADB = ["mysql+pymysql", "mysql+aiomysql"]
SQLITE = ["sqlite", "sqlite+aiosqlite"]


def test_reflecting_the_zoo_gives_no_warning(zoo: Zoo) -> None:
    """A type SQLAlchemy does not know (xml, point) is the admin's to handle, not a warning
    printed over the screen."""
    assert zoo.reflection_warnings == []


def test_every_zoo_table_is_listed_once_under_a_name_of_its_own(zoo: Zoo) -> None:
    """(tables missing, names given twice, partitions listed as tables of their own)."""
    found, missing = {}, []
    for table in zoo.tables:
        try:
            found[str(table)] = find_admin(zoo.registry, table, zoo.backend).info.name
        except AssertionError:
            missing.append(str(table))
    twice = sorted({n for n in found.values() if list(found.values()).count(n) > 1})
    partitions = [a.info.name for a in zoo.registry if a.info.source.name in PARTITIONS.get(zoo.backend, [])]
    assert (missing, twice, partitions) == ([], [], []), (
        f"not listed: {missing}; names given twice: {twice}; partitions listed: {partitions}")


def listed(zoo: Zoo) -> dict[ZooTable, ModelAdmin]:
    """The zoo tables with a key that the registry lists (the others are the listing test's)."""
    found = {}
    for table in (t for t in zoo.tables if t.keyed):
        with contextlib.suppress(AssertionError):
            found[table] = zoo.admin(table)
    return found


def test_link_tables_are_told_apart_from_other_tables(zoo: Zoo) -> None:
    tables = listed(zoo)
    assert {str(t): a.info.is_link for t, a in tables.items()} == {str(t): t.kind == "link" for t in tables}


def test_each_end_of_a_two_way_link_has_a_many_to_many_through_it(zoo: Zoo) -> None:
    found = {}
    for link in (t for t in zoo.tables if t.link_ends):
        for end in link.link_ends:
            rels = [r for r in zoo.admin(zoo.table(end)).info.relationships.values()
                    if r.direction is Direction.MANY_TO_MANY and r.link_table == link.name]
            found[(end, link.name)] = [(r.target_table, r.link_extra_columns) for r in rels]
    assert found == {
        ("country_code", "cc_tag"): [("tag", ())],
        ("tag", "cc_tag"): [("country_code", ())],
        ("zoo_club", "zoo_membership"): [("zoo_actor", ("qty", "added_at"))],
        ("zoo_actor", "zoo_membership"): [("zoo_club", ("qty", "added_at"))],
    }


def test_tables_with_a_key_are_writable_and_give_no_read_only_reason(zoo: Zoo) -> None:
    tables = listed(zoo)
    flags = {str(t): (a.can_create, a.can_edit, a.can_delete, read_only_reason(a)) for t, a in tables.items()}
    assert flags == {str(t): (True, True, True, None) for t in tables}


def test_generated_columns_are_shown_and_never_in_a_form(zoo: Zoo) -> None:
    for table in (t for t in zoo.tables if t.generated or t.identity_always):
        admin = zoo.admin(table)
        schemas = find_schemas(admin)
        shown = {c.column.name for c in admin.info.columns.values()}
        create = {c.column.name for c in form_columns(admin, schemas, Mode.CREATE)}
        update = {c.column.name for c in form_columns(admin, schemas, Mode.UPDATE)}
        assert table.generated <= shown
        computed = table.generated | ({"id"} if table.identity_always else set())
        assert (computed & create, table.generated & update) == (set(), set())


def test_no_sort_is_offered_on_a_type_without_a_total_order(zoo: Zoo) -> None:
    offered = {}
    for table in (t for t in zoo.tables if t.unordered):
        admin = zoo.admin(table)
        offered[str(table)] = sorted(admin.info.columns[f].column.name for f in admin.sortable
                                     if admin.info.columns[f].column.name in table.unordered)
    assert offered == {str(t): [] for t in zoo.tables if t.unordered}


def test_a_to_one_relation_from_a_column_ending_in_id_is_named_after_the_column(zoo: Zoo) -> None:
    """"ParentId" → "Parent" (not "ParentId_ref")."""
    info = zoo.admin(zoo.table("MixedCase")).info
    assert [r.name for r in info.relationships.values() if r.local_columns == ("ParentId",)] == ["Parent"]


def test_reflected_numeric_enforces_its_scale(zoo: Zoo) -> None:
    """12.345 into NUMERIC(10, 2) is refused, not stored as 12.35."""
    admin = zoo.admin(zoo.table("zoo_numbers"))
    with pytest.raises(ValidationFailed) as refused:
        parse_form(admin, find_schemas(admin), Mode.UPDATE, {"price": "12.345"}, {"price": None})
    assert set(refused.value.errors) == {"price"}


# -- each database's own types ----------------------------------------------------------------


@pytest.mark.zoo(engines=SQLITE)
async def test_sqlite_numeric_is_shown_without_padding(zoo: Zoo, zoo_store: Store) -> None:
    info = zoo.admin(zoo.table("zoo_bad")).info
    obj = (await zoo_store.get(info.name, (1,))).obj  # amount NUMERIC holds 1.5
    assert display(info.columns["amount"], obj.amount) == "1.5"


@pytest.mark.zoo(engines=POSTGRESQL)
def test_postgresql_types_are_reflected_as_what_they_hold(zoo: Zoo) -> None:
    """A DOMAIN as its base type; ARRAY editable; INTERVAL, INET, CIDR and MONEY edited as text
    that is validated; tsvector, xml and point shown, never in a form."""
    numbers, docs, net = (zoo.admin(zoo.table(n)) for n in ("zoo_numbers", "zoo_docs", "zoo_net"))
    times = zoo.admin(zoo.table("zoo_times"))
    assert numbers.info.columns["n_pos"].kind is Kind.INTEGER
    in_forms = {name: {c.name for c in form_columns(a, find_schemas(a), Mode.UPDATE)}
                for name, a in [("zoo_docs", docs), ("zoo_net", net), ("zoo_times", times)]}
    assert {"ints", "words"} <= in_forms["zoo_docs"]
    assert {"body", "search"} & in_forms["zoo_docs"] == set()
    assert {"addr", "net", "price"} <= in_forms["zoo_net"]
    assert "spot" not in in_forms["zoo_net"]
    assert "span" in in_forms["zoo_times"]
    refused = {}
    for admin, field, text in [(net, "addr", "not an address"), (net, "net", "10.0.0.0/33"),
                               (net, "price", "twelve"), (times, "span", "soon")]:
        try:
            parse_form(admin, find_schemas(admin), Mode.UPDATE, {field: text}, {field: None})
        except ValidationFailed as failed:
            refused[field] = set(failed.errors)
    assert refused == {"addr": {"addr"}, "net": {"net"}, "price": {"price"}, "span": {"span"}}


@pytest.mark.zoo(engines=MARIADB)
async def test_mariadb_year_is_an_integer_and_double_a_float(zoo: Zoo, zoo_store: Store) -> None:
    info = zoo.admin(zoo.table("zoo_numbers")).info
    assert info.columns["n_year"].kind is Kind.INTEGER
    obj = (await zoo_store.get(info.name, (1,))).obj
    assert (type(obj.n_double), type(obj.n_year)) == (float, int)


@pytest.mark.zoo(engines=POSTGRESQL)
async def test_same_named_tables_of_two_schemas_are_both_listed_and_read_their_own_rows(
    zoo: Zoo, zoo_store: Store
) -> None:
    public, other = zoo.admin(zoo.table("hidden")), zoo.admin(zoo.table("hidden", "zoo_other"))
    assert public.info.name != other.info.name
    assert "zoo_other" in other.info.name
    first_public = (await zoo_store.page(ListQuery(public.info.name), limit=1)).rows[0]
    first_other = (await zoo_store.page(ListQuery(other.info.name), limit=1)).rows[0]
    assert (first_public.note, first_other.secret) == ("public one", "other one")


@pytest.mark.zoo(engines=POSTGRESQL)
async def test_postgresql_row_estimate_names_each_table_exactly(zoo: Zoo, zoo_store: Store) -> None:
    """The planner's figure for the table itself, whatever its name (mixed case, a space,
    non-ASCII letters, another schema): `pg_class.reltuples` of the table's own oid."""
    raw = zoo.raw
    estimates, expected = {}, {}
    for table in (t for t in zoo.tables if t.keyed):
        name = zoo.admin(table).info.name
        try:
            estimates[str(table)] = await zoo_store.estimate(ListQuery(name))
        except Exception as exc:
            estimates[str(table)] = type(exc).__name__
        sql = "SELECT reltuples::bigint FROM pg_class WHERE oid = CAST(:name AS regclass)"
        tuples = raw.scalar(sql, name=raw.t(table))
        expected[str(table)] = tuples if tuples >= 0 else None
    assert estimates == expected


@pytest.mark.zoo(engines=POSTGRESQL)
async def test_postgresql_char_is_searched_and_edited_without_its_padding(zoo: Zoo, zoo_store: Store) -> None:
    """CHAR(6) pads 'ab' to 'ab    ': `=ab` finds it, and the form shows 'ab'."""
    texts = zoo.table("zoo_texts")
    info = zoo.admin(texts).info
    padded = [k for k, in zoo.raw.rows("SELECT id FROM zoo_texts WHERE t_char = 'ab' ORDER BY id")]
    assert padded == [1, 2, 5, 8]
    found = (await zoo_store.page(ListQuery(info.name).searching("=ab"), limit=100)).rows
    assert [r.id for r in found if r.id in padded] == padded
    obj = (await zoo_store.get(info.name, (1,))).obj
    assert to_form_value(info.columns["t_char"], obj.t_char) == "ab"
