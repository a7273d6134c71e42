"""Where the app finds the module the doctor reads (the engine's echo and pool_pre_ping, the
Create/Update schemas): the one the registry's models were written in."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from tests.doctor import bad_models
from tui_admin import demo
from tui_admin.core.doctor import models_module
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store
from tui_admin.demo import models as demo_models


def test_the_models_module_is_where_the_models_were_written() -> None:
    assert models_module(Registry.from_module(bad_models)) is bad_models
    assert models_module(Registry.from_module(demo.MODELS_MODULE)) is demo_models


def test_models_of_several_modules_or_none_have_no_module() -> None:
    assert models_module(None) is None
    assert models_module(Registry([bad_models.Owner, demo_models.Team])) is None


def test_reflected_tables_have_no_module(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")

    async def reflect() -> Registry:
        store = Store(f"sqlite:///{path}")
        try:
            return await store.reflect()
        finally:
            await store.dispose()

    assert models_module(asyncio.run(reflect())) is None
