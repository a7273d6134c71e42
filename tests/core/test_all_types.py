"""Every column kind through the derived schemas and `parse_form`, and a full record of each kind
written and read back through the Store on every engine."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import NaiveDatetime, ValidationError
from sqlalchemy.orm import registry
from sqlmodel import JSON, Column, DateTime, Field, SQLModel

from tui_admin.core.errors import ConflictError
from tui_admin.core.introspect import Kind
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.schemas import GENERAL, Mode, Schemas, ValidationFailed, find_schemas, parse_form, to_form_value
from tui_admin.core.store import Store

# Its own registry (so its own MetaData): the table is created only by the tests that need it and
# never touched by the demo's `SQLModel.metadata.create_all/drop_all`.
_REGISTRY = registry()


class _Base(SQLModel, registry=_REGISTRY):
    pass


class CoreTestColor(enum.StrEnum):  # the enum's type name on PostgreSQL: "coretestcolor"
    RED = "red"
    GREEN = "green"


class AllTypes(_Base, table=True):
    __tablename__ = "core_test_all_types"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=20)
    count: int = Field(ge=0, le=100)
    ratio: float
    price: decimal.Decimal = Field(max_digits=10, decimal_places=2)
    active: bool
    flag: bool | None = None
    color: CoreTestColor
    born: dt.date
    seen: NaiveDatetime  # SQLModel maps a naive datetime to DateTime(timezone=False)
    seen_utc: dt.datetime  # SQLModel maps `datetime` to its UTCDateTime (aware)
    seen_tz: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    token: uuid.UUID
    data: dict[str, Any] | list[Any] | None = Field(default=None, sa_column=Column(JSON))
    note: str | None = Field(default=None, max_length=40)
    age: int | None = Field(default=None, ge=0)


NULLABLE = {"flag", "data", "note", "age"}

GOOD_FORM: dict[str, Any] = {
    "title": "Hello",
    "count": "7",
    "ratio": "1.1",
    "price": "12.34",
    "active": True,
    "flag": False,
    "color": "green",
    "born": "2024-02-29",
    "seen": "2024-03-01T10:11:12",
    "seen_utc": "2024-03-01T10:11:12+02:00",
    "seen_tz": "2024-03-01T10:11:12+02:00",
    "token": "12345678-1234-5678-1234-567812345678",
    "data": '{"tags": ["a", "b"], "n": 1, "nested": {"ok": true}}',
    "note": "a note",
    "age": "30",
}

EXPECTED: dict[str, Any] = {
    "title": "Hello",
    "count": 7,
    "ratio": 1.1,
    "price": decimal.Decimal("12.34"),
    "active": True,
    "flag": False,
    "color": CoreTestColor.GREEN,
    "born": dt.date(2024, 2, 29),
    "seen": dt.datetime(2024, 3, 1, 10, 11, 12),
    "seen_utc": dt.datetime(2024, 3, 1, 8, 11, 12, tzinfo=dt.UTC),
    "seen_tz": dt.datetime(2024, 3, 1, 8, 11, 12, tzinfo=dt.UTC),
    "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "data": {"tags": ["a", "b"], "n": 1, "nested": {"ok": True}},
    "note": "a note",
    "age": 30,
}


@pytest.fixture(scope="module")
def admin() -> ModelAdmin:
    return Registry([AllTypes])["AllTypes"]


@pytest.fixture(scope="module")
def schemas(admin: ModelAdmin) -> Schemas:
    return find_schemas(admin)


def parse(admin: ModelAdmin, schemas: Schemas, **changes: Any) -> dict[str, Any]:
    return parse_form(admin, schemas, Mode.CREATE, {**GOOD_FORM, **changes})


def errors_of(admin: ModelAdmin, schemas: Schemas, mode: Mode = Mode.CREATE, **changes: Any) -> dict[str, str]:
    raw = {**GOOD_FORM, **changes}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, mode, raw)
    return caught.value.errors


def as_utc(value: dt.datetime) -> dt.datetime:
    """A value read from a time-zone column: databases without time-zone storage (SQLite, MySQL)
    give it back naive, and the admin stores such values in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# -- introspection and derived schemas ---------------------------------------------------------


def test_every_kind_is_recognised(admin: ModelAdmin) -> None:
    assert {n: c.kind for n, c in admin.info.columns.items()} == {
        "id": Kind.INTEGER,
        "title": Kind.TEXT,
        "count": Kind.INTEGER,
        "ratio": Kind.FLOAT,
        "price": Kind.DECIMAL,
        "active": Kind.BOOL,
        "flag": Kind.BOOL,
        "color": Kind.ENUM,
        "born": Kind.DATE,
        "seen": Kind.DATETIME,
        "seen_utc": Kind.DATETIME,
        "seen_tz": Kind.DATETIME,
        "token": Kind.UUID,
        "data": Kind.JSON,
        "note": Kind.TEXT,
        "age": Kind.INTEGER,
    }
    cols = admin.info.columns
    assert {n for n, c in cols.items() if c.nullable} == NULLABLE
    assert (cols["seen"].timezone, cols["seen_utc"].timezone, cols["seen_tz"].timezone) == (False, True, True)
    assert cols["color"].enum_class is CoreTestColor
    assert cols["color"].choices == (CoreTestColor.RED, CoreTestColor.GREEN)
    assert cols["title"].max_length == 20
    assert cols["note"].max_length == 40


def test_model_without_schemas_gets_derived_ones(admin: ModelAdmin, schemas: Schemas) -> None:
    assert not schemas.create_is_users and not schemas.update_is_users
    fields = [n for n in admin.info.columns if n != "id"]
    assert list(schemas.create.model_fields) == fields  # no autoincrement key
    assert {n for n, f in schemas.create.model_fields.items() if not f.is_required()} == NULLABLE
    assert list(schemas.update.model_fields) == fields
    assert not any(f.is_required() for f in schemas.update.model_fields.values())


def test_derived_create_schema_refuses_unknown_fields(schemas: Schemas) -> None:
    with pytest.raises(ValidationError, match=r"(?i)extra"):
        schemas.create.model_validate({**EXPECTED, "bogus": 1})


# -- parse_form: good text --------------------------------------------------------------------


def test_good_text_converts_to_python_values(admin: ModelAdmin, schemas: Schemas) -> None:
    values = parse(admin, schemas)
    assert set(values) == set(EXPECTED)
    for name, expected in EXPECTED.items():
        assert values[name] == expected, name
        assert type(values[name]) is type(expected), name


def test_tz_aware_input_is_stored_as_utc(admin: ModelAdmin, schemas: Schemas) -> None:
    values = parse(admin, schemas)
    # The same instant, in UTC: a database that keeps no offset (SQLite, MySQL) then keeps the
    # right time instead of the wall-clock time of the offset the user typed.
    assert values["seen_tz"].utcoffset() == dt.timedelta(0)
    assert values["seen_tz"] == dt.datetime(2024, 3, 1, 8, 11, 12, tzinfo=dt.UTC)


def test_naive_input_on_tz_column_is_taken_as_utc(admin: ModelAdmin, schemas: Schemas) -> None:
    values = parse(admin, schemas, seen_tz="2024-03-01T10:11:12")
    assert values["seen_tz"] == dt.datetime(2024, 3, 1, 10, 11, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("count", " 42 ", 42),
        ("count", "0", 0),
        ("ratio", "-3", -3.0),
        ("ratio", "2.5e3", 2500.0),
        ("price", "0.5", decimal.Decimal("0.50")),
        ("active", "false", False),
        ("flag", True, True),
        ("color", CoreTestColor.RED, CoreTestColor.RED),
        ("born", "1999-12-31", dt.date(1999, 12, 31)),
        ("seen", "2024-03-01 10:11", dt.datetime(2024, 3, 1, 10, 11)),
        ("token", "12345678123456781234567812345678", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ("data", "[1, 2, 3]", [1, 2, 3]),
        ("data", "null", None),
        ("note", "x" * 40, "x" * 40),
        ("age", "0", 0),
    ],
)
def test_other_good_text(admin: ModelAdmin, schemas: Schemas, field: str, text: Any, expected: Any) -> None:
    assert parse(admin, schemas, **{field: text})[field] == expected


# -- parse_form: bad text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("count", "abc", "integer"),
        ("count", "1.5", "integer"),
        ("count", "101", "100"),
        ("ratio", "fast", "number"),
        ("price", "12.345", "decimal"),
        ("price", "ten", "decimal"),
        ("active", "maybe", "bool"),
        ("color", "purple", "red"),
        ("born", "2024-02-30", "date"),
        ("born", "yesterday", "date"),
        ("seen", "2024-13-01T00:00", "datetime"),
        ("seen", "2024-03-01T10:11:12+02:00", "timezone"),
        ("seen_tz", "noon", "datetime"),
        ("token", "not-a-uuid", "uuid"),
        ("data", "{'single': 'quotes'}", "Invalid JSON"),
        ("data", "[1, 2", "Invalid JSON"),
        ("title", "x" * 21, "20"),
        ("note", "x" * 41, "40"),
        ("age", "-1", "greater than or equal to 0"),
    ],
)
def test_bad_text_is_an_error_for_exactly_that_field(
    admin: ModelAdmin, schemas: Schemas, field: str, text: str, words: str
) -> None:
    errors = errors_of(admin, schemas, **{field: text})
    assert list(errors) == [field]
    assert words.lower() in errors[field].lower()


def test_several_bad_fields_each_get_their_message(admin: ModelAdmin, schemas: Schemas) -> None:
    errors = errors_of(admin, schemas, count="abc", born="bad", token="bad", data="{", age="-1")
    assert set(errors) == {"count", "born", "token", "data", "age"}


# -- parse_form: empty input ------------------------------------------------------------------


def test_empty_input_is_null_for_nullable_fields(admin: ModelAdmin, schemas: Schemas) -> None:
    values = parse(admin, schemas, flag=None, data="", note="", age="")
    assert {n: values[n] for n in NULLABLE} == dict.fromkeys(NULLABLE)


def test_empty_input_is_required_for_required_fields(admin: ModelAdmin, schemas: Schemas) -> None:
    required = [n for n in GOOD_FORM if n not in NULLABLE]
    errors = errors_of(admin, schemas, **dict.fromkeys(required, ""))
    assert errors == dict.fromkeys(required, "Required")


def test_missing_required_field_is_named_in_the_form_message(admin: ModelAdmin, schemas: Schemas) -> None:
    raw = {n: v for n, v in GOOD_FORM.items() if n != "title"}
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.CREATE, raw)
    # A field the form does not show cannot carry the message: the form-wide one names it.
    assert caught.value.errors == {GENERAL: "title: Required"}


# -- parse_form: update -----------------------------------------------------------------------


def _opened(admin: ModelAdmin) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stored record and the form text it opens with."""
    original = {"id": 1, **EXPECTED}
    raw = {n: to_form_value(admin.info.columns[n], original[n]) for n in GOOD_FORM}
    return original, raw


def test_update_of_untouched_form_changes_nothing(admin: ModelAdmin, schemas: Schemas) -> None:
    original, raw = _opened(admin)
    assert parse_form(admin, schemas, Mode.UPDATE, raw, original) == {}


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("title", "Bye", "Bye"),
        ("count", "8", 8),
        ("ratio", "2.25", 2.25),
        ("price", "1.10", decimal.Decimal("1.10")),
        ("active", False, False),
        ("flag", None, None),
        ("color", CoreTestColor.RED, CoreTestColor.RED),
        ("born", "2020-01-01", dt.date(2020, 1, 1)),
        ("seen", "2020-01-01T00:00:00", dt.datetime(2020, 1, 1)),
        ("seen_tz", "2020-01-01T00:00:00+00:00", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("token", "00000000-0000-0000-0000-000000000001", uuid.UUID(int=1)),
        ("data", '{"z": 1}', {"z": 1}),
        ("note", "", None),
        ("age", "31", 31),
    ],
)
def test_update_returns_only_the_changed_field(
    admin: ModelAdmin, schemas: Schemas, field: str, text: Any, expected: Any
) -> None:
    original, raw = _opened(admin)
    assert parse_form(admin, schemas, Mode.UPDATE, {**raw, field: text}, original) == {field: expected}


def test_update_clearing_a_required_field_is_required(admin: ModelAdmin, schemas: Schemas) -> None:
    original, raw = _opened(admin)
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.UPDATE, {**raw, "count": "", "born": ""}, original)
    assert caught.value.errors == {"count": "Required", "born": "Required"}


def test_update_bad_text_names_the_field(admin: ModelAdmin, schemas: Schemas) -> None:
    original, raw = _opened(admin)
    with pytest.raises(ValidationFailed) as caught:
        parse_form(admin, schemas, Mode.UPDATE, {**raw, "token": "nope"}, original)
    assert list(caught.value.errors) == ["token"]


# -- the database round trip ------------------------------------------------------------------


@pytest.fixture
async def types_store(create_tables: Callable[[sa.MetaData], str], admin: ModelAdmin) -> AsyncIterator[Store]:
    url = create_tables(_REGISTRY.metadata)
    async with Store(url, Registry([AllTypes])) as store:
        yield store


def _stored(obj: Any) -> dict[str, Any]:
    values = {n: getattr(obj, n) for n in EXPECTED}
    for name in ("seen_utc", "seen_tz"):
        if values[name] is not None:
            values[name] = as_utc(values[name])
    return values


async def test_full_record_round_trips_on_every_engine(
    types_store: Store, admin: ModelAdmin, schemas: Schemas
) -> None:
    values = parse(admin, schemas)
    pk = await types_store.create("AllTypes", values)
    record = await types_store.get("AllTypes", pk)
    assert record.obj.id == pk[0]
    stored = _stored(record.obj)
    for name, expected in EXPECTED.items():
        assert stored[name] == expected, name
    assert type(stored["price"]) is decimal.Decimal
    assert isinstance(stored["token"], uuid.UUID)
    assert type(stored["born"]) is dt.date
    assert stored["seen"].tzinfo is None


async def test_record_with_empty_optional_fields_round_trips(
    types_store: Store, admin: ModelAdmin, schemas: Schemas
) -> None:
    values = parse(admin, schemas, flag=None, data="", note="", age="")
    pk = await types_store.create("AllTypes", values)
    stored = _stored((await types_store.get("AllTypes", pk)).obj)
    assert {n: stored[n] for n in NULLABLE} == dict.fromkeys(NULLABLE)
    assert stored["title"] == "Hello"


async def test_each_kind_can_be_updated_with_the_values_the_form_opened_with(
    types_store: Store, admin: ModelAdmin, schemas: Schemas
) -> None:
    """Optimistic concurrency compares the stored values with those read when the form opened:
    for every column kind that comparison must hold for a value the database itself gave back
    (a FLOAT column on MySQL, a tz-aware datetime on SQLite, a UUID stored as CHAR(32), …)."""
    pk = await types_store.create("AllTypes", parse(admin, schemas))
    for field, text, expected in [
        ("title", "Bye", "Bye"),
        ("count", "8", 8),
        ("ratio", "2.25", 2.25),
        ("price", "1.10", decimal.Decimal("1.10")),
        ("active", False, False),
        ("flag", True, True),
        ("color", CoreTestColor.RED, CoreTestColor.RED),
        ("born", "2020-01-01", dt.date(2020, 1, 1)),
        ("seen", "2020-01-01T00:00:00", dt.datetime(2020, 1, 1)),
        ("seen_utc", "2020-01-01T00:00:00+00:00", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("seen_tz", "2020-01-01T01:00:00+01:00", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("token", "00000000-0000-0000-0000-000000000001", uuid.UUID(int=1)),
        ("data", '{"z": 1}', {"z": 1}),
        ("note", "", None),
        ("age", "31", 31),
    ]:
        obj = (await types_store.get("AllTypes", pk)).obj
        original = {n: getattr(obj, n) for n in admin.info.columns}
        raw = {n: to_form_value(admin.info.columns[n], original[n]) for n in GOOD_FORM}
        changes = parse_form(admin, schemas, Mode.UPDATE, {**raw, field: text}, original)
        assert list(changes) == [field]
        await types_store.update("AllTypes", pk, changes, original)
        assert _stored((await types_store.get("AllTypes", pk)).obj)[field] == expected, field


#: (field, what the first user types, what the second user types from the stale form) per kind.
RIVAL_EDITS = [
    ("title", "Mine", "Yours"),
    ("count", "8", "9"),
    ("ratio", "2.25", "3.5"),
    ("price", "1.10", "2.20"),
    ("active", False, False),  # the same new value: still a stale edit (from True)
    ("flag", True, None),
    ("color", CoreTestColor.RED, CoreTestColor.RED),
    ("born", "2020-01-01", "2021-01-01"),
    ("seen", "2020-01-01T00:00:00", "2021-01-01T00:00:00"),
    ("seen_utc", "2020-01-01T00:00:00+00:00", "2021-01-01T00:00:00+00:00"),
    ("seen_tz", "2020-01-01T01:00:00+01:00", "2021-01-01T01:00:00+01:00"),
    ("token", "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"),
    ("data", '{"z": 1}', '{"z": 2}'),
    ("data", '{"tags": ["a", "b"], "n": 1, "nested": {"ok": false}}', '{"n": 2}'),
    ("note", "mine", "yours"),
    ("age", "31", "32"),
]


@pytest.mark.parametrize(("field", "mine", "yours"), RIVAL_EDITS, ids=[f"{f}-{i}" for i, (f, _, _) in
                                                                        enumerate(RIVAL_EDITS)])
async def test_a_stale_edit_of_each_kind_is_refused(
    types_store: Store, admin: ModelAdmin, schemas: Schemas, field: str, mine: Any, yours: Any
) -> None:
    """Two users open the same record; the first saves a field, then the second saves the same
    field from the stale form: refused, naming the field, for every kind — JSON included (which
    was not guarded: the second save silently overwrote the first)."""
    pk = await types_store.create("AllTypes", parse(admin, schemas))
    other = Store(types_store.url, Registry([AllTypes]))
    try:
        forms = []
        for store in (types_store, other):
            obj = (await store.get("AllTypes", pk)).obj
            original = {n: getattr(obj, n) for n in admin.info.columns}
            forms.append((original, {n: to_form_value(admin.info.columns[n], original[n]) for n in GOOD_FORM}))
        (first, raw1), (second, raw2) = forms
        await types_store.update("AllTypes", pk, parse_form(admin, schemas, Mode.UPDATE, {**raw1, field: mine},
                                                            first), first)
        saved = getattr((await types_store.get("AllTypes", pk)).obj, field)
        with pytest.raises(ConflictError) as caught:
            await other.update("AllTypes", pk, parse_form(admin, schemas, Mode.UPDATE, {**raw2, field: yours},
                                                          second), second)
        assert list(caught.value.changes) == [field]
        assert getattr((await types_store.get("AllTypes", pk)).obj, field) == saved
    finally:
        await other.dispose()


async def test_float_changed_by_someone_else_is_still_a_conflict(
    types_store: Store, admin: ModelAdmin, schemas: Schemas, check_db: sa.Engine
) -> None:
    pk = await types_store.create("AllTypes", parse(admin, schemas))
    obj = (await types_store.get("AllTypes", pk)).obj
    original = {n: getattr(obj, n) for n in admin.info.columns}
    with check_db.begin() as conn:
        conn.exec_driver_sql(f"UPDATE core_test_all_types SET ratio = 1.2 WHERE id = {pk[0]}")
    with pytest.raises(ConflictError) as caught:
        await types_store.update("AllTypes", pk, {"ratio": 2.0, "title": "Mine"}, original)
    assert list(caught.value.changes) == ["ratio"]
    assert caught.value.changes["ratio"][1] == pytest.approx(1.2, rel=1e-6)
    stored = (await types_store.get("AllTypes", pk)).obj
    assert (stored.ratio, stored.title) == (pytest.approx(1.2, rel=1e-6), "Hello")
