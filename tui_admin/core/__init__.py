"""The scripting API: everything the app does with a database, without Textual.

    import asyncio
    from tui_admin.core import ListQuery, Registry, SortKey, Store

    async def main() -> None:
        store = Store("sqlite:///app.db", Registry.from_module("myapp.models"))
        page = await store.page(ListQuery("Hero", sort=(SortKey("age", descending=True),)), limit=20)
        for hero in page.rows:
            print(hero.name, hero.age)
        await store.dispose()

    asyncio.run(main())

Names load on first use (PEP 562), so importing one module of the core does not import them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: Public name → the module that defines it.
_EXPORTS = {
    "Store": "store",
    "Registry": "registry",
    "ModelAdmin": "registry",
    "AdminError": "errors",
    "ConfigError": "errors",
    "ListQuery": "query",
    "SortKey": "query",
    "Stored": "query",
    "Via": "related",
    "LinkDiff": "results",
    "LinkChange": "results",
    "Page": "results",
    "Record": "results",
    "Detail": "results",
    "RelatedPage": "results",
    "DeletePlan": "deletion",
    "Unreadable": "reading",
    "Mode": "schemas",
    "find_schemas": "schemas",
    "parse_form": "schemas",
    "ValidationFailed": "schemas",
    "StoreError": "errors",
    "ReadOnlyError": "errors",
    "NotFoundError": "errors",
    "ConflictError": "errors",
    "WriteError": "errors",
    "LockTimeoutError": "errors",
    "BadValueError": "errors",
    "NoPlanError": "errors",
    "ExportError": "errors",
    "EngineError": "errors",
    "UserCodeError": "errors",
    "Action": "actions",
    "Selection": "actions",
    "action": "actions",
}
__all__ = [
    "Action",
    "AdminError",
    "BadValueError",
    "ConfigError",
    "ConflictError",
    "DeletePlan",
    "Detail",
    "EngineError",
    "ExportError",
    "LinkChange",
    "LinkDiff",
    "ListQuery",
    "LockTimeoutError",
    "Mode",
    "ModelAdmin",
    "NoPlanError",
    "NotFoundError",
    "Page",
    "ReadOnlyError",
    "Record",
    "Registry",
    "RelatedPage",
    "Selection",
    "SortKey",
    "Store",
    "StoreError",
    "Stored",
    "Unreadable",
    "UserCodeError",
    "ValidationFailed",
    "Via",
    "WriteError",
    "action",
    "find_schemas",
    "parse_form",
]

if TYPE_CHECKING:
    from tui_admin.core.actions import Action, Selection, action
    from tui_admin.core.deletion import DeletePlan
    from tui_admin.core.errors import (
        AdminError,
        BadValueError,
        ConfigError,
        ConflictError,
        EngineError,
        ExportError,
        LockTimeoutError,
        NoPlanError,
        NotFoundError,
        ReadOnlyError,
        StoreError,
        UserCodeError,
        WriteError,
    )
    from tui_admin.core.query import ListQuery, SortKey, Stored
    from tui_admin.core.reading import Unreadable
    from tui_admin.core.registry import ModelAdmin, Registry
    from tui_admin.core.related import Via
    from tui_admin.core.results import Detail, LinkChange, LinkDiff, Page, Record, RelatedPage
    from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, parse_form
    from tui_admin.core.store import Store


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tui_admin.core' has no attribute {name!r}")
    return getattr(import_module(f"tui_admin.core.{module}"), name)
