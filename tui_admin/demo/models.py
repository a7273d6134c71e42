"""The demo schema: heroes, teams and the hero↔team link with a `role`.

It follows the SQLModel tutorial (`HeroBase`/`Hero`/`HeroCreate`/`HeroUpdate`/`HeroPublic`) and
adds what a real admin must cope with: a one-to-many (`Team.heroes`), a many-to-many through a
link model that carries its own column (`HeroTeamLink.role`), and the association-object
relationships that make `role` editable. Both paths write the same link table, so each side
names the other in `overlaps=` (without it SQLAlchemy emits six SAWarnings).

`sample.db.sql` creates exactly these tables; a test keeps the two in step. No
`from __future__ import annotations` here: SQLModel resolves relationship types at class creation.
"""

from sqlmodel import Field, Relationship, SQLModel

from tui_admin.core.registry import ModelAdmin

_LINK_OVERLAPS = {"overlaps": "hero_links,team_links,team,hero"}
_ASSOC_OVERLAPS = {"overlaps": "members,teams"}


class HeroTeamLink(SQLModel, table=True):
    """Membership of a hero in a team. The composite key starts with `team_id`, so `hero_id` needs
    its own index for hero → teams lookups."""

    team_id: int | None = Field(default=None, foreign_key="team.id", primary_key=True)
    hero_id: int | None = Field(default=None, foreign_key="hero.id", primary_key=True, index=True)
    role: str = Field(default="member", max_length=30)

    team: "Team" = Relationship(back_populates="hero_links", sa_relationship_kwargs=_ASSOC_OVERLAPS)
    hero: "Hero" = Relationship(back_populates="team_links", sa_relationship_kwargs=_ASSOC_OVERLAPS)


class TeamBase(SQLModel):
    name: str = Field(index=True, max_length=50)
    headquarters: str = Field(max_length=100)


class Team(TeamBase, table=True):
    id: int | None = Field(default=None, primary_key=True)

    heroes: list["Hero"] = Relationship(back_populates="team")
    members: list["Hero"] = Relationship(
        back_populates="teams", link_model=HeroTeamLink, sa_relationship_kwargs=_LINK_OVERLAPS
    )
    hero_links: list[HeroTeamLink] = Relationship(
        back_populates="team", sa_relationship_kwargs=_ASSOC_OVERLAPS
    )


class TeamCreate(TeamBase):
    pass


class TeamUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=50)
    headquarters: str | None = Field(default=None, max_length=100)


class TeamPublic(TeamBase):
    id: int


class HeroBase(SQLModel):
    name: str = Field(index=True, max_length=50)
    secret_name: str = Field(max_length=100)
    age: int | None = Field(default=None, index=True, ge=0, le=10000)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)


class Hero(HeroBase, table=True):
    id: int | None = Field(default=None, primary_key=True)

    team: Team | None = Relationship(back_populates="heroes")
    teams: list[Team] = Relationship(
        back_populates="members", link_model=HeroTeamLink, sa_relationship_kwargs=_LINK_OVERLAPS
    )
    team_links: list[HeroTeamLink] = Relationship(
        back_populates="hero", sa_relationship_kwargs=_ASSOC_OVERLAPS
    )


class HeroCreate(HeroBase):
    pass


class HeroUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=50)
    secret_name: str | None = Field(default=None, max_length=100)
    age: int | None = Field(default=None, ge=0, le=10000)
    team_id: int | None = None


class HeroPublic(HeroBase):
    id: int


class TeamAdmin(ModelAdmin, model=Team):
    """The team list also counts each team's heroes and members (in the page's own query)."""

    column_list = ["id", "name", "headquarters", "heroes", "members"]


class HeroAdmin(ModelAdmin, model=Hero):
    """A hero's name, secret name and age can be edited in the list itself (`F2` or `i`)."""

    column_editable_list = ["name", "secret_name", "age"]
