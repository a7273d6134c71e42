"""A SQLite URL opens exactly one file, the same one read-only or read-write, and never creates one.

Every URL form a user may write (relative and absolute paths, `file:` URIs with and without
`uri=true`, with `mode=` given, names holding `#`, `?`, `%XX`, spaces and non-ASCII letters) is
opened on `sqlite` and `sqlite+aiosqlite`, and an INSERT is sent through a raw connection of the
Store's own engine (below the Store's own read-only check). Read-write, the row lands in the file
the URL names; read-only, the database refuses it. In both, no other file appears on disk. The
expected file of each URL is written out by hand here, from SQLAlchemy's and SQLite's rules.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tui_admin.core.store import Store

DRIVERS = ["sqlite", "sqlite+aiosqlite"]

#: (URL after the driver's `://`, with {tmp} for the directory, the file it names, relative to it)
FORMS = [
    ("/app.db", "app.db"),
    ("/sub/app.db", "sub/app.db"),
    ("/{tmp}/abs.db", "abs.db"),
    ("/we%23ird.db", "we#ird.db"),
    ("/we#ird.db", "we#ird.db"),
    ("/we%3Fird.db", "we?ird.db"),
    ("/we?ird.db", "we"),  # an unencoded ? starts the URL's query, for SQLAlchemy as for anyone
    ("/we%2541rd.db", "we%41rd.db"),
    ("/100%25.db", "100%.db"),
    ("/with space.db", "with space.db"),
    ("/with%20space.db", "with space.db"),
    ("/données-名前.db", "données-名前.db"),
    ("/file:plain.db", "file:plain.db"),  # without uri=true a file: name is a plain file name
    ("/file:{tmp}/u.db?uri=true", "u.db"),
    ("/file:{tmp}/u.db?uri=true&mode=rw", "u.db"),
    ("/file:{tmp}/u.db?mode=rwc&uri=true", "u.db"),
    ("/file:rel.db?uri=true", "rel.db"),
    ("/file://{tmp}/auth.db?uri=true", "auth.db"),
    ("/file:we%2523ird.db?uri=true", "we#ird.db"),  # SQLAlchemy decodes once, SQLite once more
    ("/file:we#ird.db?uri=true", "we"),  # for SQLite, # starts the URI's fragment
    ("/file:ümlaut%20x.db?uri=true&cache=shared", "ümlaut x.db"),
    ("/plainuri.db?uri=true", "plainuri.db"),
]


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rows_in(path: Path) -> list[tuple[int]]:
    conn = sqlite3.connect(path)  # a plain file name: no URI rules to get wrong here
    try:
        return conn.execute("SELECT x FROM t ORDER BY x").fetchall()
    finally:
        conn.close()


async def raw_insert(store: Store) -> None:
    """An INSERT committed through a connection of the Store's engine, not through its API."""
    if store.is_async:
        async with store._runner.engine.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t (x) VALUES (42)")
    else:
        with store.sync_engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t (x) VALUES (42)")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The directory relative URLs are resolved in (the current directory of the test)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
@pytest.mark.parametrize(("form", "name"), FORMS, ids=[f[0] for f in FORMS])
async def test_every_url_form_opens_the_file_it_names(
    workdir: Path, driver: str, read_only: bool, form: str, name: str
) -> None:
    target = workdir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    before = files(workdir)
    url = f"{driver}://{form.format(tmp=workdir)}"
    store = Store(url, read_only=read_only)
    try:
        if read_only:
            with pytest.raises(sa.exc.OperationalError, match=r"(?i)read.?only|query_only"):
                await raw_insert(store)
        else:
            await raw_insert(store)
    finally:
        await store.dispose()
    assert rows_in(target) == ([] if read_only else [(42,)])
    after = files(workdir)
    assert sorted(after) == sorted(before), "a file was created or removed"
    changed = {f for f in after if after[f] != before[f]}
    assert changed == (set() if read_only else {name})


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
@pytest.mark.parametrize(
    ("form", "name"),
    [
        ("/missing.db", "missing.db"),
        ("/{tmp}/missing.db", "missing.db"),
        ("/we%23ird.db", "we#ird.db"),
        ("/file:{tmp}/missing.db?uri=true", "missing.db"),
        ("/file:{tmp}/missing.db?uri=true&mode=rwc", "missing.db"),
    ],
    ids=["relative", "absolute", "quoted", "uri", "uri-rwc"],
)
async def test_a_missing_file_is_an_error_naming_it_and_is_not_created(
    workdir: Path, driver: str, read_only: bool, form: str, name: str
) -> None:
    url = f"{driver}://{form.format(tmp=workdir)}"
    store = Store(url, read_only=read_only)
    try:
        with pytest.raises(sa.exc.OperationalError) as raised:
            await store.ping()
    finally:
        await store.dispose()
    assert f"no such database file: {workdir / name}" in str(raised.value.orig)
    assert files(workdir) == {}


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
async def test_an_in_memory_database_still_opens(driver: str, read_only: bool) -> None:
    """`:memory:` has no file to check; read-only, it refuses writes all the same (query_only)."""
    store = Store(f"{driver}://", read_only=read_only)
    try:
        assert await store._run("one", lambda s: s.execute(sa.text("SELECT 1")).scalar()) == 1
        if read_only:
            with pytest.raises(sa.exc.OperationalError, match=r"(?i)read.?only|query_only"):
                await store._run("write", lambda s: s.execute(sa.text("CREATE TABLE t (x INTEGER)")))
    finally:
        await store.dispose()
