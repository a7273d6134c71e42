"""Models that break each SQLModel production rule the doctor checks, once each, in a registry of
their own (so their tables never meet the demo's). No `from __future__ import annotations`:
SQLModel resolves relationship types at class creation."""


import sqlalchemy as sa
from sqlalchemy.orm import registry as sa_registry
from sqlmodel import Field, Relationship, SQLModel

REGISTRY = sa_registry()


class _Base(SQLModel, registry=REGISTRY):
    pass


class Owner(_Base, table=True):
    """No OwnerCreate/OwnerUpdate (M005); `name` without max_length (M007)."""

    __tablename__ = "doc_owner"
    id: int | None = Field(default=None, primary_key=True)
    name: str


class Vet(_Base, table=True):
    __tablename__ = "doc_vet"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    patients: list["Pet"] = Relationship(back_populates="vet")  # Pet.vet names nothing back (M004)


class VetCreate(SQLModel):
    name: str


class VetUpdate(SQLModel):
    name: str | None = None


class Pet(_Base, table=True):
    """`owner_id` without an index (M001); `owner` by backref (M003); PetCreate lacks the
    required owner_id (M006)."""

    __tablename__ = "doc_pet"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    owner_id: int = Field(foreign_key="doc_owner.id")
    vet_id: int | None = Field(default=None, foreign_key="doc_vet.id", index=True)
    owner: Owner = Relationship(sa_relationship_kwargs={"backref": "pets"})
    vet: Vet | None = Relationship()


class PetCreate(SQLModel):
    name: str = Field(max_length=40)


class PetUpdate(SQLModel):
    name: str | None = None


class Tag(_Base, table=True):
    __tablename__ = "doc_tag"
    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=20, unique=True)


class TagCreate(SQLModel):
    label: str


class TagUpdate(SQLModel):
    label: str | None = None


class PetTag(_Base, table=True):
    """A link whose second key column leads no index (M002) and whose own column has no default
    (M008)."""

    __tablename__ = "doc_pet_tag"
    pet_id: int = Field(foreign_key="doc_pet.id", primary_key=True)
    tag_id: int = Field(foreign_key="doc_tag.id", primary_key=True)
    note: str = Field(max_length=20)


engine = sa.create_engine("sqlite://", echo=True)  # M009, and no pool_pre_ping (M010)
