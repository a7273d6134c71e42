"""Fixtures of the UI tests: the app over the demo database, with a fixed title (the default
title shows the database path, which changes every run and would break the snapshots)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ui.helpers import TITLE
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp


@pytest.fixture
def make_app(demo_registry: Registry) -> Callable[..., AdminApp]:
    def make(url: str, *, read_only: bool = False) -> AdminApp:
        return AdminApp(url, demo_registry, read_only=read_only, title=TITLE)

    return make


@pytest.fixture
def demo_app(make_app: Callable[..., AdminApp], sqlite_demo: str) -> AdminApp:
    return make_app(sqlite_demo)
