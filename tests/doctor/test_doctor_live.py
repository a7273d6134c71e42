"""The doctor's live checks, each made to fire on a real database in the state it looks for:
a file with a foreign key violation or a damaged page, a PostgreSQL sequence set behind its
table (whose printed `setval` then makes an insert work), a session idle in a transaction, a
blocked one, a table never analysed, a big searchable table without a trigram index; MariaDB's
long transactions and connection count. The limits are shortened (`Limits`): the rules are the
same, the waits are not."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry as sa_registry
from sqlmodel import Field, SQLModel

from tests.core.raw_ddl import RunDDL
from tui_admin.core.doctor import Finding, Limits
from tui_admin.core.doctor.live import check_live
from tui_admin.core.registry import Registry

NOW = Limits(idle_in_transaction=timedelta(0), long_transaction=timedelta(0), connections_used=0.0,
             analysed_after_rows=1, trigram_after_rows=1)
REGISTRY = sa_registry()


class _Base(SQLModel, registry=REGISTRY):
    pass


class Book(_Base, table=True):
    __tablename__ = "doc_book"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=80)


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.id for f in findings)


def live(engine: sa.Engine, registry: Registry | None = None, limits: Limits | None = None) -> list[Finding]:
    with engine.connect() as conn:
        return check_live(conn, registry, limits)


@pytest.fixture
def pg(engine_name: str, db_urls: tuple[str, str], run_ddl: RunDDL) -> Iterator[sa.Engine]:
    engine = sa.create_engine(db_urls[0])
    yield engine
    engine.dispose()


# -- SQLite ----------------------------------------------------------------------------------


def test_sqlite_rows_naming_missing_parents_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "orphans.db"
    with sqlite3.connect(path) as conn:
        conn.executescript("""CREATE TABLE "parent table"(id INTEGER PRIMARY KEY);
            CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES "parent table"(id));
            INSERT INTO child VALUES (1, 7), (2, 8);""")  # foreign keys are off by default
    conn.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    [finding] = live(engine)
    assert (finding.id, finding.model, finding.severity) == ("S001", "child", "error")
    assert finding.message.startswith("2 rows of child name a parent table")
    engine.dispose()


def test_a_damaged_sqlite_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t(a TEXT)")
        conn.execute("CREATE INDEX i ON t(a)")
        conn.executemany("INSERT INTO t VALUES (?)", [(str(i) * 20,) for i in range(3000)])
        page_size, root = conn.execute("PRAGMA page_size").fetchone()[0], conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'i'").fetchone()[0]
    conn.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    assert live(engine) == []
    with path.open("r+b") as f:  # scribble over the index's root page: its cell pointers
        f.seek(page_size * (root - 1) + 8)
        f.write(b"\x00\x00\xff\xff" * 20)
    engine.dispose()
    engine = sa.create_engine(f"sqlite:///{path}")
    [finding] = live(engine)
    assert finding.id == "S002" and "invalid page number" in finding.message
    engine.dispose()


# -- PostgreSQL ------------------------------------------------------------------------------

POSTGRES = pytest.mark.parametrize("engine_name", ["postgresql+psycopg"])


@POSTGRES
def test_a_sequence_behind_its_table_is_found_and_its_setval_fixes_inserts(pg: sa.Engine, run_ddl: RunDDL) -> None:
    run_ddl(['CREATE TABLE "doc seq" (id SERIAL PRIMARY KEY, name TEXT)',
             """INSERT INTO "doc seq" (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')"""],
            ['DROP TABLE IF EXISTS "doc seq"'])
    [finding] = [f for f in live(pg) if f.id == "P001"]
    assert finding.severity == "error" and finding.model == "doc seq" and "holds 3" in finding.message
    with pytest.raises(sa.exc.IntegrityError), pg.begin() as conn:
        conn.exec_driver_sql("""INSERT INTO "doc seq" (name) VALUES ('d')""")  # id 1 again: duplicate
    with pg.begin() as conn:
        conn.exec_driver_sql(finding.fix)
    with pg.begin() as conn:
        new_id = conn.exec_driver_sql("""INSERT INTO "doc seq" (name) VALUES ('d') RETURNING id""").scalar()
    assert new_id == 4
    assert [f for f in live(pg) if f.id == "P001"] == []


@POSTGRES
def test_a_session_idle_in_a_transaction_is_named(pg: sa.Engine) -> None:
    with pg.connect() as other:
        other.exec_driver_sql("SELECT 1")  # the transaction began and waits for nobody
        pid = other.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        time.sleep(0.05)
        named = [f for f in live(pg, limits=NOW) if f.id == "P002"]
        assert any(f"session {pid} " in f.message and f"pg_terminate_backend({pid})" in f.fix for f in named)
        assert not [f for f in live(pg) if f.id == "P002" and f"session {pid} " in f.message]  # not for a minute
        other.rollback()


@POSTGRES
def test_connections_against_max_connections(pg: sa.Engine) -> None:
    assert "P003" in ids(live(pg, limits=NOW))
    assert "P003" not in ids(live(pg))


@POSTGRES
def test_a_blocked_session_is_named_with_its_blocker(pg: sa.Engine, run_ddl: RunDDL) -> None:
    run_ddl(["CREATE TABLE doc_lock (id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO doc_lock VALUES (1, 0)"],
            ["DROP TABLE IF EXISTS doc_lock"])
    with pg.connect() as holder:
        holder.exec_driver_sql("UPDATE doc_lock SET n = 1 WHERE id = 1")
        blocker = holder.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        waiter = threading.Thread(target=_update_when_free, args=(pg,))
        waiter.start()
        try:
            found: list[Finding] = []
            for _ in range(100):
                found = [f for f in live(pg) if f.id == "P004"]
                if found:
                    break
                time.sleep(0.05)
            assert found and f"held by {blocker}" in found[0].message
        finally:
            holder.rollback()
            waiter.join()


def _update_when_free(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE doc_lock SET n = 2 WHERE id = 1")


@POSTGRES
def test_a_table_never_analysed(pg: sa.Engine, run_ddl: RunDDL) -> None:
    run_ddl(["CREATE TABLE doc_fresh (id INTEGER PRIMARY KEY) WITH (autovacuum_enabled = false)"],
            ["DROP TABLE IF EXISTS doc_fresh"])
    with pg.connect() as conn:  # a backend sends its statistics at most once a second: ask for it now
        conn.exec_driver_sql("INSERT INTO doc_fresh SELECT generate_series(1, 5)")
        conn.commit()
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
        conn.commit()
        conn.exec_driver_sql("SELECT 1")
        conn.commit()
    found: list[Finding] = []
    for _ in range(60):
        found = [f for f in live(pg, limits=NOW) if f.id == "P005" and f.model == "doc_fresh"]
        if found:
            break
        time.sleep(0.1)
    assert found and found[0].fix == 'ANALYZE public.doc_fresh;'
    with pg.begin() as conn:
        conn.exec_driver_sql(found[0].fix)
    assert not [f for f in live(pg, limits=NOW) if f.id == "P005" and f.model == "doc_fresh"]


@POSTGRES
def test_substring_search_without_a_trigram_index(pg: sa.Engine, run_ddl: RunDDL) -> None:
    run_ddl(["CREATE TABLE doc_book (id SERIAL PRIMARY KEY, title VARCHAR(80) NOT NULL)",
             "INSERT INTO doc_book (title) SELECT 'book ' || g FROM generate_series(1, 50) g", "ANALYZE doc_book"],
            ["DROP TABLE IF EXISTS doc_book"])
    registry = Registry([Book])
    [finding] = [f for f in live(pg, registry, NOW) if f.id == "P006"]
    assert finding.where == "Book.title" and "USING gin (title gin_trgm_ops)" in finding.fix
    assert [f for f in live(pg, registry) if f.id == "P006"] == []  # 50 rows: a scan is fine
    with pg.begin() as conn:
        for statement in filter(str.strip, finding.fix.split(";")):
            conn.exec_driver_sql(statement)
    assert [f for f in live(pg, registry, NOW) if f.id == "P006"] == []
    with pg.connect() as conn:  # and the list's substring search (ILIKE '%…%') can use it
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM doc_book WHERE title ILIKE '%%ok 4%%'"))
    assert "ix_doc_book_title_trgm" in plan


# -- MariaDB ---------------------------------------------------------------------------------

MARIADB = pytest.mark.parametrize("engine_name", ["mysql+pymysql"])


@MARIADB
def test_a_long_transaction_is_named(pg: sa.Engine, run_ddl: RunDDL) -> None:
    run_ddl(["CREATE TABLE doc_trx (id INTEGER PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO doc_trx VALUES (1)"],
            ["DROP TABLE IF EXISTS doc_trx"])
    with pg.connect() as other:
        other.exec_driver_sql("SELECT * FROM doc_trx FOR UPDATE")
        thread = other.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        time.sleep(1.1)
        named = [f for f in live(pg, limits=NOW) if f.id == "Y002"]
        assert any(f"connection {thread} " in f.message and f.fix.startswith(f"KILL {thread};") for f in named)
        assert not [f for f in live(pg) if f.id == "Y002" and f"connection {thread} " in f.message]
        other.rollback()


@MARIADB
def test_mariadb_connections_against_max_connections(pg: sa.Engine) -> None:
    assert "Y003" in ids(live(pg, limits=NOW))
    assert "Y003" not in ids(live(pg))


@MARIADB
def test_auto_increment_ahead_of_the_largest_key_is_not_a_finding(pg: sa.Engine, run_ddl: RunDDL) -> None:
    """InnoDB moves AUTO_INCREMENT past an explicit key itself (and refuses to set it lower), so
    the finding can only come from other engines or a replica; here it must stay quiet."""
    run_ddl(["CREATE TABLE doc_auto (id INTEGER AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB",
             "INSERT INTO doc_auto VALUES (1), (2), (40)", "ALTER TABLE doc_auto AUTO_INCREMENT = 1"],
            ["DROP TABLE IF EXISTS doc_auto"])
    assert [f for f in live(pg) if f.id == "Y001"] == []
