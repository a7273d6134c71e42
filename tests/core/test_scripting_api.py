"""The scripting API (`tui_admin.core`): every name it documents is importable from it, is the
object the core uses, and a script runs the README's example against a real database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tui_admin.core as core
from tui_admin import demo
from tui_admin.core.errors import NotFoundError


def test_every_exported_name_is_the_cores_own_object() -> None:
    from tui_admin.core.query import ListQuery
    from tui_admin.core.store import Store

    assert core.Store is Store and core.ListQuery is ListQuery
    for name in core.__all__:
        assert getattr(core, name) is not None, name


def test_the_readme_script_lists_heroes_without_textual(tmp_path: Path) -> None:
    """The example of README's "Scripting" section, run as a script on the demo database: it
    prints the heroes by age, and never imports Textual."""
    path = demo.build(tmp_path / "demo.db")
    script = f"""
import asyncio, sys
from tui_admin.core import ListQuery, Registry, SortKey, Store

async def main() -> None:
    async with Store("sqlite:///{path}", Registry.from_module("tui_admin.demo.models")) as store:
        page = await store.page(ListQuery("Hero", sort=(SortKey("age", descending=True),)), limit=3)
    for hero in page.rows:
        print(hero.name, hero.age)

asyncio.run(main())
assert "textual" not in sys.modules, "the scripting API imported Textual"
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    ages = [int(line.rsplit(" ", 1)[1]) for line in lines if not line.endswith("None")]
    assert ages == sorted(ages, reverse=True) and ages


async def test_a_store_as_a_context_manager_is_disposed_of_when_its_block_fails(sqlite_demo: str) -> None:
    """`async with Store(…) as store:` (the README's form): the connection it opened is closed
    however the block ends."""
    with pytest.raises(NotFoundError):
        async with core.Store(sqlite_demo, core.Registry.from_module(demo.MODELS_MODULE)) as store:
            await store.ping()
            pool = store._runner.engine.pool
            assert pool.checkedin() == 1  # the connection, back in the pool
            await store.get("Hero", (999,))
    assert store._runner.engine.pool is not pool and store._runner.engine.pool.checkedin() == 0
