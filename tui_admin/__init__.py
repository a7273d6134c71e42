"""sqladmin-tui: a keyboard-first terminal admin for SQLModel databases.

`AdminApp` is imported on first use (PEP 562), so that `import tui_admin` and the CLI's `--help`
stay fast and the core can be used without loading Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["AdminApp", "ModelAdmin", "__version__"]

if TYPE_CHECKING:
    from tui_admin.core.registry import ModelAdmin
    from tui_admin.ui.app import AdminApp


def __getattr__(name: str) -> Any:
    if name == "AdminApp":
        from tui_admin.ui.app import AdminApp

        return AdminApp
    if name == "ModelAdmin":
        from tui_admin.core.registry import ModelAdmin

        return ModelAdmin
    raise AttributeError(f"module 'tui_admin' has no attribute {name!r}")
