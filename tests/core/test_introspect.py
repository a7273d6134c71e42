"""Introspection of the demo models (and a few small models for the label rules) into ModelInfo,
and the Registry's startup checks of ModelAdmin options."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from tui_admin.core.introspect import Direction, ForeignKeyInfo, Kind, default_label_field, introspect, is_link_table
from tui_admin.core.registry import ConfigError, ModelAdmin, Registry
from tui_admin.demo.models import Hero, HeroTeamLink, Team

# Models for the label rules live in their own registry/metadata: never created in a database,
# never mixed with the demo tables of SQLModel.metadata.
_LABELS = registry()


class _LabelBase(SQLModel, registry=_LABELS):
    pass


class Book(_LabelBase, table=True):
    __tablename__ = "core_test_label_book"
    id: int | None = Field(default=None, primary_key=True)
    pages: int = 0
    title: str = Field(max_length=80)
    isbn: str | None = Field(default=None, unique=True, max_length=13)


class Sku(_LabelBase, table=True):
    """Neither `name` nor `title`; a string key and a string foreign key come before `description`."""

    __tablename__ = "core_test_label_sku"
    code: str = Field(primary_key=True, max_length=20)
    book_isbn: str | None = Field(default=None, foreign_key="core_test_label_book.isbn")
    quantity: int = 0
    description: str = Field(max_length=200)
    comment: str | None = None


class Reading(_LabelBase, table=True):
    __tablename__ = "core_test_label_reading"
    id: int | None = Field(default=None, primary_key=True)
    value: float = 0.0


class Named(_LabelBase, table=True):
    __tablename__ = "core_test_label_named"
    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    name: str = ""


class Employee(_LabelBase, table=True):
    """Northwind's employees: `title` is a job ("Sales Representative", the same for six of them)."""

    __tablename__ = "core_test_label_employee"
    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    first_name: str = ""
    last_name: str = ""


class Account(_LabelBase, table=True):
    __tablename__ = "core_test_label_account"
    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    bio: str = ""
    email: str = ""
    CompanyName: str = ""  # as a reflected table spells it


@pytest.fixture
def hero(demo_registry: Registry):
    return demo_registry["Hero"].info


@pytest.fixture
def team(demo_registry: Registry):
    return demo_registry["Team"].info


@pytest.fixture
def link(demo_registry: Registry):
    return demo_registry["HeroTeamLink"].info


def test_registry_lists_demo_models_by_class_name(demo_registry: Registry) -> None:
    assert [a.info.name for a in demo_registry] == ["Hero", "HeroTeamLink", "Team"]
    assert demo_registry.for_table("heroteamlink").info.model is HeroTeamLink


def test_hero_columns_kinds_and_nullability(hero) -> None:
    cols = hero.columns
    assert list(cols) == ["id", "name", "secret_name", "age", "team_id"]  # key first, then table order
    assert {n: c.kind for n, c in cols.items()} == {
        "id": Kind.INTEGER,
        "name": Kind.TEXT,
        "secret_name": Kind.TEXT,
        "age": Kind.INTEGER,
        "team_id": Kind.INTEGER,
    }
    assert {n: c.nullable for n, c in cols.items()} == {
        "id": False,
        "name": False,
        "secret_name": False,
        "age": True,
        "team_id": True,
    }
    assert cols["name"].max_length == 50
    assert cols["secret_name"].max_length == 100
    assert cols["age"].max_length is None
    assert cols["name"].python_type is str
    assert cols["age"].python_type is int


def test_hero_required_fields_come_from_the_columns(hero) -> None:
    assert {n for n, c in hero.columns.items() if c.required} == {"name", "secret_name"}


def test_autoincrement_integer_primary_key(hero, team) -> None:
    for info in (hero, team):
        assert info.primary_key == ("id",)
        pk = info.columns["id"]
        assert pk.primary_key and pk.autoincrement
        assert not pk.nullable and not pk.required  # the database generates it


def test_link_model_composite_key_is_required_though_declared_optional(link) -> None:
    # SQLModel declares team_id/hero_id `int | None`; the columns are NOT NULL keys with no default.
    assert HeroTeamLink.model_fields["team_id"].is_required() is False
    assert link.primary_key == ("team_id", "hero_id")
    for name in ("team_id", "hero_id"):
        col = link.columns[name]
        assert col.primary_key
        assert not col.nullable
        assert not col.autoincrement  # a composite key of foreign keys is never generated
        assert col.required


def test_role_default_and_max_length(link) -> None:
    role = link.columns["role"]
    assert role.kind is Kind.TEXT
    assert role.has_default
    assert role.default == "member"
    assert role.max_length == 30
    assert not role.nullable
    assert not role.required  # NOT NULL, but the default fills it


def test_foreign_keys(hero, team, link) -> None:
    assert hero.columns["team_id"].foreign_key == ForeignKeyInfo("team", "id")
    assert link.columns["team_id"].foreign_key == ForeignKeyInfo("team", "id")
    assert link.columns["hero_id"].foreign_key == ForeignKeyInfo("hero", "id")
    assert all(c.foreign_key is None for c in team.columns.values())
    assert [n for n, c in hero.columns.items() if c.foreign_key] == ["team_id"]


def test_index_flags(hero, team, link) -> None:
    assert {n for n, c in hero.columns.items() if c.indexed} == {"id", "name", "age", "team_id"}
    assert not hero.columns["secret_name"].indexed
    assert {n for n, c in team.columns.items() if c.indexed} == {"id", "name"}
    # hero_id has its own index; team_id leads the composite primary key; role has none.
    assert link.columns["hero_id"].indexed
    assert link.columns["team_id"].indexed
    assert not link.columns["role"].indexed


def test_hero_relationships_direction_and_target(hero) -> None:
    rels = hero.relationships
    assert set(rels) == {"team", "teams", "team_links"}

    assert rels["team"].direction is Direction.MANY_TO_ONE
    assert rels["team"].target is Team
    assert rels["team"].local_columns == ("team_id",)
    assert not rels["team"].to_many

    assert rels["team_links"].direction is Direction.ONE_TO_MANY
    assert rels["team_links"].target is HeroTeamLink


def test_many_to_many_names_link_model_and_its_extra_column(hero, team) -> None:
    teams = hero.relationships["teams"]
    assert teams.direction is Direction.MANY_TO_MANY
    assert teams.to_many
    assert teams.target is Team
    assert teams.target_table == "team"
    assert teams.link_table == "heroteamlink"
    assert teams.link_extra_columns == ("role",)
    assert teams.local_columns == ("id",)

    members = team.relationships["members"]
    assert members.direction is Direction.MANY_TO_MANY
    assert members.target is Hero
    assert members.link_extra_columns == ("role",)


def test_team_relationships(team) -> None:
    rels = team.relationships
    assert set(rels) == {"heroes", "members", "hero_links"}
    assert rels["heroes"].direction is Direction.ONE_TO_MANY
    assert rels["heroes"].target is Hero
    assert rels["hero_links"].target is HeroTeamLink


def test_link_model_relationships_are_many_to_one(link) -> None:
    assert {n: r.direction for n, r in link.relationships.items()} == {
        "team": Direction.MANY_TO_ONE,
        "hero": Direction.MANY_TO_ONE,
    }


def test_link_table_detection(hero, team, link) -> None:
    assert link.is_link
    assert not hero.is_link
    assert not team.is_link
    assert is_link_table(HeroTeamLink.__table__)
    assert not is_link_table(Hero.__table__)


def test_many_to_many_without_registered_link_model_names_none() -> None:
    info = introspect(Hero)  # the link table is known by its name
    assert info.relationships["teams"].link_table == "heroteamlink"


def test_label_prefers_name(hero, team) -> None:
    assert hero.label_field == "name"
    assert team.label_field == "name"
    assert hero.label(Hero(id=3, name="Rusty-Man", secret_name="Tommy Sharp")) == "Rusty-Man"


def test_label_prefers_name_over_an_earlier_title() -> None:
    assert introspect(Named).label_field == "name"


def test_label_falls_back_to_title() -> None:
    info = introspect(Book)
    assert info.label_field == "title"
    assert info.label(Book(id=1, title="Dune", isbn="9780441013593")) == "Dune"


def test_label_falls_back_to_first_non_key_string_column() -> None:
    info = introspect(Sku)
    # `code` is the key and `book_isbn` a foreign key: neither names the record.
    assert info.label_field == "description"
    assert info.label(Sku(code="A-1", description="Blue pen")) == "Blue pen"


def test_link_model_is_named_by_its_keys_not_its_payload(link) -> None:
    # `role` is the first non-key string, but "member" would name many links: a link row is named
    # by its composite key.
    assert link.label_field is None
    assert link.label(HeroTeamLink(team_id=2, hero_id=5, role="lead")) == "HeroTeamLink #2, 5"


def test_link_model_label_can_still_be_chosen() -> None:
    class LinkAdmin(ModelAdmin, model=HeroTeamLink):
        label = "role"

    info = Registry([Hero, Team, LinkAdmin])["HeroTeamLink"].info
    assert info.label_field == "role"
    assert info.label(HeroTeamLink(team_id=2, hero_id=5, role="lead")) == "lead"


def test_label_without_string_column_is_model_and_key() -> None:
    info = introspect(Reading)
    assert info.label_field is None
    assert info.label(Reading(id=7, value=1.5)) == "Reading #7"
    assert default_label_field(info.columns) is None


def test_label_of_an_empty_value_falls_back_to_model_and_key() -> None:
    assert introspect(Book).label(Book(id=4, title="")) == "Book #4"
    assert introspect(Sku).label(Sku(code="A-1", description="")) == "Sku #A-1"


def test_model_admin_label_field_override() -> None:
    class HeroAdmin(ModelAdmin, model=Hero):
        label = "secret_name"

    reg = Registry([HeroAdmin, Team, HeroTeamLink])
    info = reg["Hero"].info
    assert info.label_field == "secret_name"
    assert info.label(Hero(id=1, name="Deadpond", secret_name="Dive Wilson")) == "Dive Wilson"


def test_model_admin_label_callable_override() -> None:
    class HeroAdmin(ModelAdmin, model=Hero):
        label = staticmethod(lambda h: f"{h.name} ({h.secret_name})")

    reg = Registry([HeroAdmin, Team, HeroTeamLink])
    assert reg["Hero"].info.label(Hero(id=1, name="Deadpond", secret_name="Dive Wilson")) == "Deadpond (Dive Wilson)"


@pytest.mark.parametrize(
    "option", ["column_list", "column_searchable_list", "column_sortable_list", "form_columns"]
)
def test_model_admin_option_naming_unknown_column_is_a_config_error(option: str) -> None:
    admin_cls = type("HeroAdmin", (ModelAdmin,), {option: ["name", "nickname"]}, model=Hero)
    with pytest.raises(ConfigError) as caught:
        Registry([admin_cls, Team, HeroTeamLink])
    message = str(caught.value)
    assert f"HeroAdmin.{option}" in message
    assert "'nickname'" in message
    assert "Hero" in message
    assert "'name'" not in message.split(" — did you mean")[0]  # only the unknown name is blamed
    assert message.startswith(f"A001 HeroAdmin.{option}: unknown field 'nickname'")


def test_model_admin_label_naming_unknown_column_is_a_config_error() -> None:
    class HeroAdmin(ModelAdmin, model=Hero):
        label = "alias"

    with pytest.raises(ConfigError, match=r"A002 HeroAdmin\.label: unknown field 'alias'"):
        Registry([HeroAdmin, Team, HeroTeamLink])


def test_model_admin_without_model_is_a_config_error() -> None:
    class Orphan(ModelAdmin):
        pass

    with pytest.raises(ConfigError, match="Orphan has no model"):
        Registry([Orphan])


def test_column_kinds_of_plain_sqlalchemy_types() -> None:
    table = sa.Table(
        "core_test_kinds",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("big", sa.BigInteger),
        sa.Column("flag", sa.Boolean),
        sa.Column("amount", sa.Numeric(8, 2)),
        sa.Column("when", sa.Time),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("text", sa.Text),
        sa.Column("choice", sa.Enum("a", "b", name="core_test_choice")),
    )

    class Kinds:
        pass

    registry().map_imperatively(Kinds, table)
    cols = introspect(Kinds).columns
    assert {n: c.kind for n, c in cols.items()} == {
        "id": Kind.INTEGER,
        "big": Kind.INTEGER,
        "flag": Kind.BOOL,
        "amount": Kind.DECIMAL,
        "when": Kind.TIME,
        "blob": Kind.BYTES,
        "text": Kind.TEXT,
        "choice": Kind.ENUM,
    }
    assert cols["choice"].choices == ("a", "b")
    assert cols["choice"].enum_class is None


def test_label_prefers_a_persons_names_over_a_job_title() -> None:
    info = introspect(Employee)
    assert info.label_fields == ("first_name", "last_name")
    assert info.label(Employee(id=1, title="Sales Representative", first_name="Nancy", last_name="Davolio")) == (
        "Nancy Davolio"
    )
    assert info.label(Employee(id=2, title="x", first_name="", last_name="Fuller")) == "Fuller"
    assert info.label(Employee(id=3, title="x", first_name="", last_name="")) == "Employee #3"


def test_label_prefers_a_name_column_then_email_over_title() -> None:
    assert introspect(Account).label_fields == ("CompanyName",)  # any …name, however it is spelt
    columns = {n: c for n, c in introspect(Account).columns.items() if n != "CompanyName"}
    assert default_label_field(columns) == "email"
