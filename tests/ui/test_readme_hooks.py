"""The README's example of options, hooks and actions, run as written (its models given a
registry of their own): the create form asks for the API schema's `password`, `on_model_change`
hashes it into `hashed_password`, the list shows only what `list_query` lets through, and the
action deactivates the marked rows."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import registry as orm_registry
from sqlmodel import SQLModel

from tests.ui.helpers import SIZE, TITLE, form_ready, open_model, press, start
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.schemas import Mode, find_schemas, form_columns, parse_form
from tui_admin.core.store import Store
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.form import FormScreen

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> ModuleType:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Options, hooks and actions", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    module = ModuleType("readme_example")

    class _Base(SQLModel, registry=orm_registry()):
        pass

    module.__dict__["_Base"] = _Base
    source = code.group(1).replace("(SQLModel, table=True)", "(_Base, table=True)")
    sys.modules[module.__name__] = module  # where `UserCreate` is found by name, as in a user's module
    exec(compile(source, str(README), "exec"), module.__dict__)
    return module


@pytest.fixture
def example(tmp_path: Path) -> Iterator[tuple[ModuleType, str]]:
    module = _example()
    url = f"sqlite:///{tmp_path / 'users.db'}"
    engine = sa.create_engine(url)
    module.User.metadata.create_all(engine)
    engine.dispose()
    try:
        yield module, url
    finally:
        sys.modules.pop(module.__name__, None)


def _users(url: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT email, hashed_password, active FROM user ORDER BY id")))
    finally:
        engine.dispose()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_the_readme_example_through_the_store(example: tuple[ModuleType, str]) -> None:
    module, url = example
    registry = Registry([module.UserAdmin])
    admin = registry["User"]
    schemas = find_schemas(admin)
    assert [c.name for c in form_columns(admin, schemas, Mode.CREATE)] == ["email", "password"]
    assert [c.name for c in form_columns(admin, schemas, Mode.UPDATE)] == ["active"]  # email is read-only
    values = parse_form(admin, schemas, Mode.CREATE, {"email": "Ann@example.org", "password": "s3cret"})
    store = Store(url, registry)
    try:
        await store.create("User", values)
        await store.create("User", {"email": "bob@example.org", "password": "hunter2"})
        assert _users(url) == [("Ann@example.org", _hash("s3cret"), 1), ("bob@example.org", _hash("hunter2"), 1)]
        assert await store.run_action("User", "deactivate", keys=[(1,)]) == "1 deactivated"
        page = await store.page(ListQuery("User"), limit=10)
        assert [u.email for u in page.rows] == ["bob@example.org"]  # list_query: active users only
    finally:
        await store.dispose()


async def test_the_create_form_asks_for_the_password_and_the_hook_hashes_it(
    example: tuple[ModuleType, str]
) -> None:
    module, url = example
    app = AdminApp(url, Registry([module.UserAdmin]), title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "User")
        await press(pilot, "n", until=lambda: form_ready(app), what="the create form")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert [c.name for c in form.columns] == ["email", "password"]
        await press(pilot, *"ann@example.org", "tab", *"s3cret")
        await press(pilot, "ctrl+s", until=lambda: not isinstance(app.screen, FormScreen), what="the save")
    assert _users(url) == [("ann@example.org", _hash("s3cret"), 1)]
