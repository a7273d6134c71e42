"""The registry of kind specs (`core/kinds.py`): every kind has one spec, a column type finds its
spec most-specific first, and the specs offer the sorts, filters and editors the admin offered
before the specs existed (the sets below are those it had)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from tui_admin.core import kinds
from tui_admin.core.introspect import column_info
from tui_admin.core.kinds import Editor, Kind, spec_for_type, spec_of


def test_every_kind_has_its_registered_spec() -> None:
    for kind in Kind:
        assert spec_of(kind).kind is kind


class Cents(sa.TypeDecorator[int]):
    impl = sa.Integer
    cache_ok = True


@pytest.mark.parametrize(("col_type", "kind"), [
    (sa.Enum("a", "b"), Kind.ENUM),  # an Enum is a String: tried first
    (mysql.SET("a", "b"), Kind.SET),
    (sa.Boolean(), Kind.BOOL),
    (mysql.YEAR(), Kind.INTEGER),
    (sa.DateTime(timezone=True), Kind.DATETIME),
    (sa.Date(), Kind.DATE),
    (sa.Numeric(10, 2), Kind.DECIMAL),
    (sa.Float(), Kind.FLOAT),
    (sa.String(20), Kind.TEXT),
    (sa.LargeBinary(), Kind.BYTES),
    (sa.JSON(), Kind.JSON),
    (postgresql.INTERVAL(), Kind.INTERVAL),
    (sa.Interval(), Kind.DATETIME),  # emulated (a TypeDecorator over DateTime) outside PostgreSQL
    (postgresql.INET(), Kind.NETWORK),
    (postgresql.MONEY(), Kind.MONEY),
    (postgresql.ARRAY(sa.Integer), Kind.ARRAY),
    (postgresql.ARRAY(sa.Integer, dimensions=2), Kind.OTHER),  # only lists are edited as lists
    (postgresql.ARRAY(sa.JSON), Kind.OTHER),  # items that are no scalars
    (Cents(), Kind.INTEGER),  # a TypeDecorator by its impl
    (postgresql.DOMAIN("positive", sa.Integer()), Kind.INTEGER),  # a DOMAIN by its base type
    (postgresql.TSVECTOR(), Kind.OTHER),
])
def test_a_type_finds_its_spec(col_type: sa.types.TypeEngine[Any], kind: Kind) -> None:
    assert spec_for_type(col_type).kind is kind


def test_sorts_and_filters_are_those_offered_before_the_specs() -> None:
    sortable = {k for k in Kind if spec_of(k).sortable}
    filterable = {k for k in Kind if spec_of(k).filterable}
    assert sortable == {
        Kind.TEXT, Kind.INTEGER, Kind.FLOAT, Kind.DECIMAL, Kind.BOOL, Kind.ENUM, Kind.DATE, Kind.DATETIME,
        Kind.TIME, Kind.UUID, Kind.BYTES, Kind.INTERVAL, Kind.NETWORK, Kind.MONEY,
    }
    assert filterable == sortable | {Kind.JSON, Kind.ARRAY, Kind.SET}
    assert {k for k in Kind if not spec_of(k).editable} == {Kind.BYTES, Kind.OTHER}


def _col(col_type: sa.types.TypeEngine[Any], *, nullable: bool = True) -> Any:
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("c", col_type, nullable=nullable))
    return column_info("c", table.c.c)


def test_the_editor_a_spec_names() -> None:
    assert _col(sa.Boolean(), nullable=False).spec.editor(_col(sa.Boolean(), nullable=False)) is Editor.CHECKBOX
    nullable_bool = _col(sa.Boolean())
    assert nullable_bool.spec.editor(nullable_bool) is Editor.SELECT
    assert nullable_bool.spec.options(nullable_bool) == [("true", True), ("false", False)]
    choice = _col(sa.Enum("red", "green"))
    assert choice.spec.editor(choice) is Editor.SELECT and choice.spec.options(choice) == [
        ("red", "red"), ("green", "green")]
    members = _col(mysql.SET("x", "y"))
    assert members.spec.editor(members) is Editor.MULTI_SELECT
    document = _col(sa.JSON())
    assert document.spec.editor(document) is Editor.JSON
    number = _col(sa.Integer())
    assert number.spec.editor(number) is Editor.TEXT and number.spec.placeholder == "whole number"


def test_text_form_value_and_export_of_one_value_per_kind() -> None:
    when = _col(sa.DateTime(timezone=True))
    moment = dt.datetime(2021, 2, 1, 10, 0)  # naive: SQLite and MySQL give back the UTC time
    assert when.spec.text(when, moment) == "2021-02-01 10:00:00+00:00"
    assert when.spec.form_value(when, moment) == "2021-02-01 10:00:00+00:00"  # as the list shows it
    assert when.spec.export(when, moment) == "2021-02-01T10:00:00+00:00"  # ISO 8601
    flag = _col(sa.Boolean())
    assert (flag.spec.text(flag, False), flag.spec.export(flag, False)) == ("false", False)
    members = _col(mysql.SET("x", "y", "z"))
    assert members.spec.text(members, {"z", "x"}) == "x,z"  # in the order the SET declares them
    document = _col(sa.JSON())
    assert document.spec.text(document, {"a": [1, 2]}) == '{"a": [1, 2]}'
    assert document.spec.export(document, {"a": [1, 2]}) == {"a": [1, 2]}
    amount = _col(sa.Numeric(10, 2))
    assert amount.spec.export(amount, decimal.Decimal("12.50")) == decimal.Decimal("12.50")  # every digit
    span = _col(postgresql.INTERVAL())
    assert span.spec.text(span, -dt.timedelta(hours=1)) == "-1:00:00"
    blob = _col(sa.LargeBinary())
    assert blob.spec.text(blob, b"abc") == "<3 bytes>"
    assert blob.spec.export(blob, b"abc") == "YWJj"  # base64: the bytes themselves


def test_the_guard_and_landed_checks() -> None:
    number = _col(sa.Float())
    assert number.spec.same(float("nan"), float("nan"))  # PostgreSQL stores NaN as one value
    assert not number.spec.same(1.1, 1.1000001)
    assert number.spec.landed(1.1000000238418579, 1.1)  # a 4-byte FLOAT read back
    text = _col(sa.String())
    assert not text.spec.landed("1.1", "1.10")


def test_a_subclass_is_a_kind_of_its_own_without_touching_the_others() -> None:
    class Shouting(kinds.Text):
        name = "shouting"

        def text(self, col: Any, value: Any) -> str:
            return str(value).upper()

    col = column_info("c", _col(sa.String()).column, spec=Shouting())
    assert (col.kind, col.spec.name, col.spec.text(col, "hi")) == (Kind.TEXT, "shouting", "HI")
    assert spec_of(Kind.TEXT).name == "text" and type(spec_of(Kind.TEXT)) is kinds.Text


def test_money_is_text_checked_as_an_amount() -> None:
    amount = _col(postgresql.MONEY())
    assert amount.python_type is str and amount.spec.editable and amount.spec.sortable
    base, metadata = amount.spec.annotation(amount)
    pattern = metadata[0].metadata[0].pattern
    assert base is str
    assert all(re.match(pattern, ok) for ok in ("12.50", "$1,234.50", "-$3", "1234"))
    assert not any(re.match(pattern, bad) for bad in ("twelve", "1,2,3", "$"))
    assert amount.spec.text(amount, "$1,234.50") == "$1,234.50"
