"""The models against a database made by raw DDL that differs from them in every way the doctor
knows, on SQLite, PostgreSQL and MariaDB; each fix printed as DDL runs there and answers its
finding."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry as sa_registry
from sqlmodel import Field, SQLModel

from tests.core.raw_ddl import RunDDL, quote
from tui_admin.core.doctor.drift import check_drift
from tui_admin.core.registry import Registry

REGISTRY = sa_registry()


class _Base(SQLModel, registry=REGISTRY):
    pass


class Region(_Base, table=True):
    __tablename__ = "doc_region"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=20)


class Shop(_Base, table=True):
    __tablename__ = "doc_shop"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, index=True)  # VARCHAR(20) there, no index
    city: str | None = Field(default=None, max_length=30)  # not there
    code: str = Field(max_length=10, unique=True)  # not unique there
    price: int  # text there
    note: str | None = Field(default=None, max_length=50)  # NOT NULL there
    region_id: int | None = Field(default=None, foreign_key="doc_region.id", index=True)  # no FK there
    open: bool = True  # BOOLEAN, which MariaDB stores as TINYINT(1): the same
    opened: datetime | None = None
    # and the database has `vat integer NOT NULL` without a default, which the model lacks


class Ghost(_Base, table=True):
    __tablename__ = "doc_ghost"
    id: int | None = Field(default=None, primary_key=True)


KEY = {"sqlite": "INTEGER PRIMARY KEY", "postgresql": "SERIAL PRIMARY KEY", "mysql": "INT AUTO_INCREMENT PRIMARY KEY"}
STAMP = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP", "mysql": "DATETIME"}

EXPECTED = [
    ("D001", "Ghost"),
    ("D002", "Shop.city"),
    ("D003", "Shop.vat"),
    ("D004", "Shop.price"),
    ("D005", "Shop.name"),
    ("D006", "Shop.note"),
    ("D007", "Shop.code"),
    ("D007", "Shop.name"),
    ("D008", "Shop.region_id"),
]


@pytest.fixture
def drifted(backend: str, run_ddl: RunDDL, db_urls: tuple[str, str]) -> sa.Engine:
    q = lambda name: quote(backend, name)  # noqa: E731
    run_ddl(
        [
            f"CREATE TABLE {q('doc_region')} (id {KEY[backend]}, name VARCHAR(20) NOT NULL)",
            f"CREATE TABLE {q('doc_shop')} (id {KEY[backend]}, name VARCHAR(20) NOT NULL, code VARCHAR(10) NOT NULL,"
            " price TEXT NOT NULL, note VARCHAR(50) NOT NULL, region_id INTEGER, open BOOLEAN NOT NULL,"
            f" opened {STAMP[backend]}, vat INTEGER NOT NULL)",
            f"CREATE INDEX {q('ix_doc_shop_region_id')} ON {q('doc_shop')} (region_id)",
        ],
        [f"DROP TABLE IF EXISTS {q(t)}" for t in ("doc_ghost", "doc_shop", "doc_region")],
    )
    return sa.create_engine(db_urls[0])


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql+psycopg", "mysql+pymysql"])
def test_every_difference_is_found_and_its_ddl_answers_it(drifted: sa.Engine, backend: str) -> None:
    registry = Registry([Region, Shop, Ghost])
    with drifted.connect() as conn:
        findings = check_drift(conn, registry)
    assert sorted((f.id, f.where) for f in findings) == EXPECTED, [(f.id, f.where, f.message) for f in findings]
    fixable = {"D001", "D002", "D007"} | ({"D008"} if backend != "sqlite" else set())
    for finding in findings:
        if finding.id in fixable:
            with drifted.begin() as conn:
                for statement in filter(str.strip, finding.fix.split(";")):
                    conn.exec_driver_sql(statement)
    with drifted.connect() as conn:
        left = sorted((f.id, f.where) for f in check_drift(conn, registry))
    assert left == [e for e in EXPECTED if e[0] not in fixable]
    drifted.dispose()
