"""One spec per field kind: everything the admin does with a column's values, in one class.

A column's kind used to be dispatched on in five places (introspection, schemas, display, form
widgets, the lost-update guard), so adding a type meant finding all five. Here each kind is one
`KindSpec` subclass that bundles, for its values:

- which SQLAlchemy types it stands for (`sa_types`, or `matches`), checked in registration order;
- what it learns from the type (`describe`: an ENUM's members, a string's length, an ARRAY's item);
- form text → value: `annotation` (the pydantic type of a derived schema), `from_form` (before
  the schema: JSON text parsed, a SET's members), `checked` (after it: a time zone, a host address);
- value → text: `text` (lists, details, pickers; made visible by `format.display`), `form_value`
  (what an input starts with) and `export` (a JSON-friendly value for CSV/JSON export);
- the editor that edits it, by name (`Editor`): the core never imports Textual, and
  `ui/widgets/fields.py` maps each name to a widget in one table;
- `same` (the lost-update guard: are the value read now and the one the form opened the same?)
  and `landed` (after a cut-off COMMIT: is the value read back the one written?);
- whether a page cursor can follow it (`sortable`) and which filters it offers (`operators`).

Adding a kind is one subclass here, registered with `@register`, and its tests. A `ModelAdmin`
gives one column another spec with `column_kinds = {"isbn": Isbn}` (a subclass of the spec the
column would get, usually). Per-backend differences (how a value is bound, read or refused by one
database) stay in `dialects`.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import ipaddress
import json
import math
import sys
import uuid
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Optional, TypeVar

import sqlalchemy as sa
from pydantic import Field as PydanticField
from pydantic import IPvAnyInterface, IPvAnyNetwork

from tui_admin.core.format import TOO_DEEP, as_stored, escape_json_text, interval_text, json_form_text, json_text
from tui_admin.core.pgtypes import AsText

if TYPE_CHECKING:
    from tui_admin.core.dialects import Backend
    from tui_admin.core.introspect import ColumnInfo


class Kind(StrEnum):
    """How a value is edited and shown; decided from the column type (see `spec_for_type`)."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOL = "bool"
    ENUM = "enum"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    UUID = "uuid"
    JSON = "json"
    BYTES = "bytes"
    SET = "set"  # MySQL SET: any subset of its members
    ARRAY = "array"  # PostgreSQL ARRAY of scalars, edited as a JSON list
    INTERVAL = "interval"
    NETWORK = "network"  # PostgreSQL inet / cidr
    MONEY = "money"  # PostgreSQL money: the driver's text ('$1,234.50'), validated
    OTHER = "other"  # shown as the driver gives it, never edited, sorted or filtered (tsvector, xml, point…)


class Editor(StrEnum):
    """The widget that edits a value, by name (the UI maps each to a widget class)."""

    TEXT = "text"  # one line of text (escaped control characters)
    CHECKBOX = "checkbox"  # a NOT NULL boolean
    SELECT = "select"  # one of `options` (or NULL, when the column allows it)
    MULTI_SELECT = "multi-select"  # any subset of `options`
    JSON = "json"  # a text area holding a JSON document
    FOREIGN_KEY = "foreign-key"  # the search picker (chosen for any single-column foreign key)


#: The filter operators (`query.Filter.op`); each kind offers those its values support.
EQUALS = "="  # the value (a cell's stored value, or a typed one)
ONE_OF = "in"  # any of several values
RANGE = "range"  # from (included) to (included; a preset's end is excluded), either end open
EMPTY = "empty"  # NULL (and '' for text)
NOT_EMPTY = "not empty"
CONTAINS = "contains"  # text: anywhere, ignoring case
STARTS = "starts"  # text: at the start, ignoring case
_PRESENCE = (EMPTY, NOT_EMPTY)


def _is_nan(value: Any) -> bool:
    return (isinstance(value, float) and math.isnan(value)) or (isinstance(value, decimal.Decimal) and value.is_nan())


def same_value(a: Any, b: Any) -> bool:
    """Two values read from one column are the same stored value: `==`, except that NaN equals
    NaN (PostgreSQL stores and compares it as one value, and a guard must not see it change)."""
    if _is_nan(a) or _is_nan(b):
        return _is_nan(a) and _is_nan(b)
    return bool(a == b)


def loaded_types(*types: type | str) -> tuple[type, ...]:
    """`types`, a dialect's own named as `"postgresql.MONEY"` taken from its SQLAlchemy module
    only when that module is loaded: a column of such a type exists only once it is, and not
    importing the PostgreSQL and MySQL dialects for a SQLite database saved 40 ms of each start."""
    found: list[type] = []
    for item in types:
        if isinstance(item, str):
            dialect, name = item.split(".")
            module = sys.modules.get(f"sqlalchemy.dialects.{dialect}")
            if module is not None:
                found.append(getattr(module, name))
        else:
            found.append(item)
    return tuple(found)


def base_type(col_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """The type that decides how values look: a `TypeDecorator`'s impl, a PostgreSQL DOMAIN's
    base type (a domain over integer holds integers)."""
    if isinstance(col_type, sa.TypeDecorator) and not isinstance(col_type, sa.Enum | sa.Uuid):
        col_type = col_type.impl_instance if hasattr(col_type, "impl_instance") else col_type.impl
    while isinstance(col_type, loaded_types("postgresql.DOMAIN")):
        col_type = col_type.data_type  # type: ignore[attr-defined]
    return col_type


class KindSpec:
    """The defaults every kind starts from: a value of unknown type, shown as `str()` gives it,
    edited as text, compared with `same_value`, neither sorted nor filtered."""

    kind: ClassVar[Kind] = Kind.OTHER
    #: The SQLAlchemy types (after `base_type`) this kind stands for, a dialect's own by name
    #: (`"postgresql.MONEY"`, see `loaded_types`); see `matches`.
    sa_types: ClassVar[tuple[type | str, ...]] = ()
    #: The Python type of a value (`object`: any).
    python: ClassVar[Any] = object
    #: Its values have a total order that a keyset cursor can follow.
    sortable: ClassVar[bool] = False
    #: The filters it offers; equality (`EQUALS`) wherever the database can compare two values.
    operators: ClassVar[tuple[str, ...]] = ()
    #: A form can edit it (a kind without a sensible text form is only shown).
    editable: ClassVar[bool] = True
    #: Searched as text (LIKE) and able to name a record (`ModelInfo.label_field`).
    textual: ClassVar[bool] = False
    #: Usable as the item of an ARRAY edited as a JSON list.
    array_item: ClassVar[bool] = False
    #: What an empty text input suggests.
    placeholder: ClassVar[str] = ""
    #: The name shown under a form field's label; the kind's name unless a subclass says otherwise.
    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.kind.value

    @classmethod
    def matches(cls, col_type: sa.types.TypeEngine[Any]) -> bool:
        """Whether a column of `col_type` (a `base_type`) gets this kind."""
        return bool(cls.sa_types) and isinstance(col_type, loaded_types(*cls.sa_types))

    @property
    def filterable(self) -> bool:
        return EQUALS in self.operators

    # -- what the type says ----------------------------------------------------------------------

    def describe(self, col_type: sa.types.TypeEngine[Any]) -> dict[str, Any]:
        """`ColumnInfo` fields this kind reads from the column's type (`choices`, `max_length`…)."""
        return {}

    def python_type(self, col: ColumnInfo) -> Any:
        """The Python type of the column's values. A type PostgreSQL's driver cannot decode is
        read as its text (`pgtypes.AsText`), whatever its kind."""
        return str if isinstance(col.column.type, AsText) else self.python

    # -- form text -> value ----------------------------------------------------------------------

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        """The pydantic type and constraint metadata of the column in a derived schema (the
        schema adds `max_length` and NULL)."""
        return self.python_type(col), []

    def from_form(self, col: ColumnInfo, raw: Any) -> Any:
        """A non-empty form input as the schema validates it; raise `ValueError` to refuse it."""
        return raw

    def checked(self, col: ColumnInfo, value: Any) -> Any:
        """A validated value as it is written; raise `ValueError` to refuse it."""
        return value

    # -- value -> text ---------------------------------------------------------------------------

    def text(self, col: ColumnInfo, value: Any) -> str:
        """A stored value (not NULL) as one line of text; `format.display` makes it visible."""
        if isinstance(value, enum.Enum):
            return str(value.value)
        if isinstance(value, dt.datetime):
            return as_stored(col, value).isoformat(sep=" ")
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, dt.timedelta):
            return interval_text(value)
        if isinstance(value, bytes | bytearray | memoryview):
            return f"<{len(bytes(value))} bytes>"
        return str(value)

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        """What the column's editor starts with for a stored value: text for a text input."""
        if value is None:
            return ""
        if isinstance(value, dt.timedelta):
            return interval_text(value)
        if isinstance(value, dt.datetime):  # as the list and detail show it (the schema reads it back)
            return as_stored(col, value).isoformat(sep=" ")
        if isinstance(value, dt.date | dt.time):
            return as_stored(col, value).isoformat()
        return str(value)

    def export(self, col: ColumnInfo, value: Any) -> Any:
        """The value in an export (CSV, JSON): JSON's own types where it has them, else the
        displayed text. Kinds whose text is not their value say otherwise: ISO 8601 for dates and
        times, base64 for bytes, the decimal itself (written from its digits)."""
        if value is None:
            return None
        if self.python in (int, float, bool, str) and isinstance(value, self.python):
            return value
        return self.text(col, value)

    # -- the editor ------------------------------------------------------------------------------

    def editor(self, col: ColumnInfo) -> Editor:
        return Editor.TEXT

    def options(self, col: ColumnInfo) -> list[tuple[str, Any]]:
        """(text, value) of each choice of a select or multi-select editor."""
        return []

    # -- equality --------------------------------------------------------------------------------

    def same(self, a: Any, b: Any) -> bool:
        """The lost-update guard: two values read from the column are the same stored value."""
        return same_value(a, b)

    def landed(self, stored: Any, written: Any) -> bool:
        """After a COMMIT was cut off: the value read back is the one written."""
        return self.same(stored, written)

    # -- filters ---------------------------------------------------------------------------------

    def filter_condition(self, col: ColumnInfo, value: Any, rules: Backend) -> sa.ColumnElement[bool]:
        """`col = value` for a Python value (a cell's stored value is bound by `rules.equals`)."""
        return col.column.is_(None) if value is None else col.column == value

    def condition(
        self, col: ColumnInfo, op: str, value: Any, rules: Backend, *, ordered: bool = True
    ) -> sa.ColumnElement[bool]:
        """The WHERE of filter `op` with `value` (see the operators above), on an index where the
        column has one: equality, IN and ranges are plain comparisons of the column itself.
        `ordered`: the list is ordered by this column (else a range leaves the order's index to
        the planner, see `Backend.unindexed`)."""
        if op not in self.operators:
            raise ValueError(f"a {self.name} cannot be filtered with {op!r} (it offers: {', '.join(self.operators)})")
        column, bind = rules.compared(col)
        if op == EQUALS:
            return col.column.is_(None) if value is None else column == bind(value)
        if op == ONE_OF:
            values = list(value)
            known = [bind(v) for v in values if v is not None]
            found = column.in_(known) if known else sa.false()
            return sa.or_(found, col.column.is_(None)) if None in values else found
        if op == RANGE:
            column = column if ordered else rules.unindexed(column)
            low, high, *rest = value
            parts = [column >= bind(low)] if low is not None else []
            if high is not None:
                parts.append(column < bind(high) if rest and rest[0] else column <= bind(high))
            return sa.and_(sa.true(), *parts)
        return col.column.is_(None) if op == EMPTY else col.column.is_not(None)

    def parse_filter(self, col: ColumnInfo, text: str) -> Any:
        """A filter value typed as text (the filter bar, `export --filter`), as the column's
        Python value; raise `ValueError` with the reason."""
        from pydantic import TypeAdapter, ValidationError

        try:
            return TypeAdapter(self.python_type(col)).validate_python(text.strip())
        except ValidationError as exc:
            raise ValueError(exc.errors()[0]["msg"]) from None


#: The registered specs, in the order `spec_for_type` tries them: most specific first (an Enum and
#: a SET are Strings; a Boolean can be an Integer subtype on some dialects).
_REGISTERED: list[type[KindSpec]] = []
S = TypeVar("S", bound=type[KindSpec])
_BY_KIND: dict[Kind, KindSpec] = {}


def register(spec: S) -> S:
    """Class decorator: the spec of its kind, tried after the specs registered before it."""
    _REGISTERED.append(spec)
    _BY_KIND[spec.kind] = spec()
    return spec


def spec_of(kind: Kind) -> KindSpec:
    """The registered spec of a kind (`Other`'s for a kind nothing registered)."""
    return _BY_KIND.get(kind) or _BY_KIND[Kind.OTHER]


def spec_for_type(col_type: sa.types.TypeEngine[Any]) -> KindSpec:
    """The spec of a column of `col_type`: the first registered one that matches its `base_type`."""
    col_type = base_type(col_type)
    for spec in _REGISTERED:
        if spec.matches(col_type):
            return _BY_KIND[spec.kind]
    return spec_of(Kind.OTHER)


def _json_loads(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise ValueError(f"Invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError:  # Python's parser recurses once per level of nesting
        raise ValueError("Invalid JSON: nested too deeply") from None


def _not_json(constant: str) -> Any:
    """Python's json reads NaN and Infinity; JSON (and every database's JSON type) has no such number."""
    raise ValueError(f"Invalid JSON: {constant} is not a JSON number")


class _Ordered(KindSpec):
    """A scalar with a total order: sorted by; filtered by equality, a set of values or a range."""

    sortable = True
    operators = (EQUALS, ONE_OF, RANGE, *_PRESENCE)


@register
class Array(KindSpec):
    """A PostgreSQL ARRAY of one dimension whose items are scalars: edited as a JSON list.
    Filtered (the database compares arrays), not sorted."""

    kind = Kind.ARRAY
    operators = (EQUALS, *_PRESENCE)

    @classmethod
    def matches(cls, col_type: sa.types.TypeEngine[Any]) -> bool:
        return (isinstance(col_type, sa.ARRAY) and spec_for_type(col_type.item_type).array_item
                and col_type.dimensions in (None, 1))

    def describe(self, col_type: sa.types.TypeEngine[Any]) -> dict[str, Any]:
        return {"item_kind": spec_for_type(col_type.item_type).kind}  # type: ignore[attr-defined]

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        item = spec_of(col.item_kind).python if col.item_kind is not None else Any
        return list[Optional[item]], []  # noqa: UP045 - built at runtime

    def from_form(self, col: ColumnInfo, raw: Any) -> Any:
        return _json_loads(raw)

    def text(self, col: ColumnInfo, value: Any) -> str:
        text = json_text(value)
        return TOO_DEEP if text is None else text

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        if value is None:
            return ""
        text = json_text(value)
        return TOO_DEEP if text is None else escape_json_text(text)

    def export(self, col: ColumnInfo, value: Any) -> Any:
        return value


@register
class Set(KindSpec):
    """A MySQL SET: any subset of its members, chosen from a list; filtered, not sorted (MySQL
    orders a SET by its bit pattern)."""

    kind = Kind.SET
    sa_types = ("mysql.SET",)
    operators = (EQUALS, *_PRESENCE)

    def describe(self, col_type: sa.types.TypeEngine[Any]) -> dict[str, Any]:
        return {"choices": tuple(col_type.values)}  # type: ignore[attr-defined]

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        return set[Literal[col.choices]], []  # type: ignore[valid-type]

    def from_form(self, col: ColumnInfo, raw: Any) -> Any:
        return set(raw)

    def _joined(self, col: ColumnInfo, members: Any) -> str:
        """As MySQL writes a SET out: its members in the order the column declares them."""
        return ",".join(str(c) for c in col.choices if c in members)

    def text(self, col: ColumnInfo, value: Any) -> str:
        return self._joined(col, value) if isinstance(value, set | frozenset) else super().text(col, value)

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        return value

    def editor(self, col: ColumnInfo) -> Editor:
        return Editor.MULTI_SELECT

    def options(self, col: ColumnInfo) -> list[tuple[str, Any]]:
        return [(str(c), c) for c in col.choices]

    def filter_condition(self, col: ColumnInfo, value: Any, rules: Backend) -> sa.ColumnElement[bool]:
        if isinstance(value, set | frozenset):
            return rules.equals(col, self._joined(col, value))
        return super().filter_condition(col, value, rules)


@register
class Network(_Ordered):
    """A PostgreSQL inet (a host, or a host in a network) or cidr (a network)."""

    kind = Kind.NETWORK
    sa_types = ("postgresql.INET", "postgresql.CIDR")

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        return (IPvAnyNetwork if isinstance(col.column.type, loaded_types("postgresql.CIDR")) else IPvAnyInterface), []

    def checked(self, col: ColumnInfo, value: Any) -> Any:
        """An inet host typed without a mask is a host address, as the database gives it back
        ('10.0.0.1', not '10.0.0.1/32')."""
        interface = isinstance(value, ipaddress.IPv4Interface | ipaddress.IPv6Interface)
        if interface and value.network.prefixlen == value.max_prefixlen:
            return value.ip
        return value


#: An amount of PostgreSQL money as typed or shown: `12.50`, `$1,234.50`, `-$3`.
MONEY = r"^-?\$?-?[0-9]{1,3}(,?[0-9]{3})*(\.[0-9]+)?$"


@register
class Money(_Ordered):
    """PostgreSQL money: the driver's text ('$1,234.50'), edited as text and checked against the
    amounts PostgreSQL reads (the database has the last word on save); sorted and filtered as the
    database orders amounts."""

    kind = Kind.MONEY
    sa_types = ("postgresql.MONEY",)
    python = str

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        return str, [PydanticField(pattern=MONEY)]


#: PostgreSQL interval text: `1 year 2 mons`, `-1 hour`, `3 days 04:05:06`, `1 day ago`, `1-2`
#: (years-months), `P1Y2M3DT4H` (ISO 8601). The database has the last word on save.
_INTERVAL_UNIT = (r"(?:microseconds?|usecs?|us|milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|"
                  r"hrs?|h|days?|d|weeks?|w|months?|mons?|years?|yrs?|y|decades?|centuries|century|millenni(?:um|a)s?)")
_INTERVAL_TOKEN = (rf"(?:[+-]?\d+(?:\.\d+)?\s*{_INTERVAL_UNIT}|[+-]?\d+:\d{{1,2}}(?::\d{{1,2}}(?:\.\d+)?)?"
                   r"|[+-]?\d+-\d+|[+-]?\d+(?:\.\d+)?)")
INTERVAL = (rf"(?i)^\s*(?:@\s*)?{_INTERVAL_TOKEN}(?:[\s,]+{_INTERVAL_TOKEN})*(?:\s+ago)?\s*$"
            r"|^P(?:(?:\d+(?:\.\d+)?[YMWD])+(?:T(?:\d+(?:\.\d+)?[HMS])+)?|T(?:\d+(?:\.\d+)?[HMS])+)$")


@register
class Interval(_Ordered):
    """A duration: a `timedelta`, or PostgreSQL's own interval text where the driver gives that
    (months are no fixed number of days), checked against PostgreSQL's interval syntax."""

    kind = Kind.INTERVAL
    sa_types = (sa.Interval, "postgresql.INTERVAL")
    python = dt.timedelta

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        if self.python_type(col) is str:
            return str, [PydanticField(pattern=INTERVAL)]
        return super().annotation(col)


@register
class Enum(_Ordered):
    """One of a fixed list of members (a Python enum, or the type's strings), chosen from a list."""

    operators = (EQUALS, ONE_OF, *_PRESENCE)

    kind = Kind.ENUM

    sa_types = (sa.Enum,)

    def describe(self, col_type: sa.types.TypeEngine[Any]) -> dict[str, Any]:
        enum_class = getattr(col_type, "enum_class", None)
        choices = tuple(enum_class) if enum_class is not None else tuple(col_type.enums)  # type: ignore[attr-defined]
        return {"enum_class": enum_class, "choices": choices}

    def python_type(self, col: ColumnInfo) -> Any:
        return col.enum_class if col.enum_class is not None else super().python_type(col)

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        if col.enum_class is None:
            return Literal[col.choices], []  # type: ignore[valid-type]
        return super().annotation(col)

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        return value

    def editor(self, col: ColumnInfo) -> Editor:
        return Editor.SELECT

    def options(self, col: ColumnInfo) -> list[tuple[str, Any]]:
        return [(str(getattr(c, "value", c)), c) for c in col.choices]


@register
class Bool(_Ordered):
    """true / false: a checkbox, or a select with NULL when the column allows it."""

    operators = (EQUALS, *_PRESENCE)

    kind = Kind.BOOL
    sa_types = (sa.Boolean,)
    python = bool
    array_item = True

    def text(self, col: ColumnInfo, value: Any) -> str:
        return "true" if value else "false"

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        return value

    def editor(self, col: ColumnInfo) -> Editor:
        return Editor.SELECT if col.nullable else Editor.CHECKBOX

    def options(self, col: ColumnInfo) -> list[tuple[str, Any]]:
        return [("true", True), ("false", False)]


@register
class Uuid(_Ordered):
    kind = Kind.UUID
    operators = (EQUALS, ONE_OF, *_PRESENCE)
    sa_types = (sa.Uuid,)
    python = uuid.UUID
    array_item = True
    placeholder = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


@register
class Json(KindSpec):
    """A JSON document, edited as indented text; filtered as the database compares documents."""

    kind = Kind.JSON
    sa_types = (sa.JSON,)
    operators = (EQUALS, *_PRESENCE)

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        return Any, []

    def from_form(self, col: ColumnInfo, raw: Any) -> Any:
        return _json_loads(raw)

    def text(self, col: ColumnInfo, value: Any) -> str:
        text = json_text(value)
        return TOO_DEEP if text is None else text

    def form_value(self, col: ColumnInfo, value: Any) -> Any:
        return "" if value is None else json_form_text(value)

    def export(self, col: ColumnInfo, value: Any) -> Any:
        return value

    def editor(self, col: ColumnInfo) -> Editor:
        return Editor.JSON


class _Moment(_Ordered):
    """A date, a time or both: exported in ISO 8601, as stored (a naive value of a time zone
    column is UTC)."""

    def export(self, col: ColumnInfo, value: Any) -> Any:
        return as_stored(col, value).isoformat() if isinstance(value, dt.date | dt.time) else super().export(col, value)


@register
class DateTime(_Moment):
    kind = Kind.DATETIME
    sa_types = (sa.DateTime,)
    python = dt.datetime
    array_item = True
    placeholder = "YYYY-MM-DD HH:MM[:SS][+HH:MM]"

    def checked(self, col: ColumnInfo, value: Any) -> Any:
        """A tz-aware column gets an aware value in UTC (naive input is taken as UTC); a naive column
        refuses an offset rather than silently converting it. UTC because SQLite and MySQL keep no
        offset: they would store the wall-clock time of whatever offset was typed, another instant."""
        if not isinstance(value, dt.datetime):
            return value
        if col.timezone:
            return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        if value.tzinfo is not None:
            raise ValueError("This column stores no time zone: enter a time without an offset")
        return value

@register
class Date(_Moment):
    kind = Kind.DATE
    sa_types = (sa.Date,)
    python = dt.date
    array_item = True
    placeholder = "YYYY-MM-DD"

@register
class Time(_Moment):
    kind = Kind.TIME
    sa_types = (sa.Time,)
    python = dt.time
    array_item = True
    placeholder = "HH:MM[:SS]"

@register
class Integer(_Ordered):
    kind = Kind.INTEGER
    sa_types = ("mysql.YEAR", sa.Integer)
    python = int
    array_item = True
    placeholder = "whole number"


@register
class Float(_Ordered):
    kind = Kind.FLOAT
    sa_types = (sa.Float,)
    python = float
    array_item = True
    placeholder = "number"

    def landed(self, stored: Any, written: Any) -> bool:
        """MySQL's 4-byte FLOAT hands back its shortest decimal text, which is within single
        precision of the value written, not equal to it."""
        if super().landed(stored, written):
            return True
        numbers = isinstance(stored, int | float) and isinstance(written, int | float)
        return numbers and math.isclose(stored, written, rel_tol=1e-6)

    def export(self, col: ColumnInfo, value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN nor infinity
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return super().export(col, value)


@register
class Decimal(_Ordered):
    kind = Kind.DECIMAL
    sa_types = (sa.Numeric,)
    python = decimal.Decimal
    array_item = True
    placeholder = "decimal number"

    def annotation(self, col: ColumnInfo) -> tuple[Any, list[Any]]:
        # A reflected NUMERIC(p, s) enforces its scale: 12.345 into NUMERIC(10, 2) is refused, not
        # silently rounded to 12.35 by the database.
        precision, scale = getattr(col.column.type, "precision", None), getattr(col.column.type, "scale", None)
        metadata = [PydanticField(max_digits=precision, decimal_places=scale)] if scale is not None else []
        return self.python_type(col), metadata

    def export(self, col: ColumnInfo, value: Any) -> Any:
        # The decimal itself: each export format writes it from its own digits, never a float.
        return value if isinstance(value, decimal.Decimal) and value.is_finite() else super().export(col, value)


@register
class Text(_Ordered):
    """A string: searched, the first candidate to name a record."""

    operators = (EQUALS, ONE_OF, CONTAINS, STARTS, *_PRESENCE)

    kind = Kind.TEXT
    sa_types = (sa.String,)
    python = str
    textual = True
    array_item = True

    def describe(self, col_type: sa.types.TypeEngine[Any]) -> dict[str, Any]:
        return {"max_length": getattr(col_type, "length", None)}

    def condition(
        self, col: ColumnInfo, op: str, value: Any, rules: Backend, *, ordered: bool = True
    ) -> sa.ColumnElement[bool]:
        column = col.column
        if op == EMPTY:  # no text at all: NULL or ''
            return sa.or_(column.is_(None), column == "")
        if op == NOT_EMPTY:
            return sa.and_(column.is_not(None), column != "")
        if op in (CONTAINS, STARTS):
            from tui_admin.core.dialects import escape_like

            pattern = escape_like(value) + "%"
            return rules.contains(rules.search_text(col), pattern if op == STARTS else "%" + pattern)
        return super().condition(col, op, value, rules, ordered=ordered)

    def parse_filter(self, col: ColumnInfo, text: str) -> Any:
        return text


@register
class Bytes(_Ordered):
    """Binary data: shown as its size, sorted and filtered by the database, never edited."""

    operators = (EQUALS, *_PRESENCE)

    kind = Kind.BYTES
    sa_types = (sa.LargeBinary,)
    python = bytes
    editable = False

    def export(self, col: ColumnInfo, value: Any) -> Any:
        if isinstance(value, bytes | bytearray | memoryview):
            return base64.b64encode(bytes(value)).decode("ascii")
        return super().export(col, value)


@register
class Other(KindSpec):
    """A type nothing above stands for: shown as the driver gives it, never edited, sorted or
    filtered (tsvector, xml, point…)."""

    kind = Kind.OTHER
    editable = False
