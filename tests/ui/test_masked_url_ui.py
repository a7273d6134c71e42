"""A URL holding a password never shows it: not in the title bar, not on any screen, not in the
query log, not in the log records. SQLite URLs hold no password, so this runs on PostgreSQL
(trust authentication here: any password is accepted)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from textual.widgets import DataTable, Static

from tests.ui.helpers import SIZE, open_model, press, start, static_text, table_rows
from tui_admin.core.engine import mask
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.query_log import QueryLogScreen

PASSWORD = "s3cr3t-pw"

pytestmark = pytest.mark.parametrize("engine_name", ["postgresql+asyncpg", "postgresql+psycopg"])


def screen_text(screen: Any) -> str:
    """Everything the screen's text widgets and tables hold."""
    parts = [static_text(w) for w in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [" | ".join(row) for row in table_rows(table)]
    return "\n".join(parts)


async def test_password_is_masked_in_the_title_the_screens_and_the_query_log(
    demo_url: str, demo_registry: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    url = sa.make_url(demo_url).set(password=PASSWORD)
    secret_url = url.render_as_string(hide_password=False)
    assert PASSWORD in secret_url
    masked = url.render_as_string(hide_password=True)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy keeps its own loggers at WARN

    app = AdminApp(secret_url, demo_registry)
    assert app.sub_title == masked
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.store is not None
        assert mask(app.store.url) == masked
        assert PASSWORD not in str(app.store.url) and PASSWORD not in repr(app.store.url)
        shots = [app.export_screenshot()]
        await open_model(pilot, "Hero")
        shots.append(app.export_screenshot())

        await press(pilot, "f12", until=lambda: isinstance(app.screen, QueryLogScreen), what="the query log")
        log_screen = app.screen
        text = screen_text(log_screen)
        assert "list Hero" in text and "SELECT" in text  # the log shows the actions and their SQL
        assert PASSWORD not in text
        shots.append(app.export_screenshot())

        statements = [s.sql for a in app.store.log.actions for s in a.statements]
        assert statements
        assert not [s for s in statements if PASSWORD in s]
        assert not [a.name for a in app.store.log.actions if PASSWORD in a.name]
        assert PASSWORD not in app.title and PASSWORD not in app.sub_title

    assert "***" in shots[0]  # the title bar shows the masked URL
    for shot in shots:
        assert PASSWORD not in shot
    assert caplog.records, "something was logged (the SQLAlchemy engine logs at DEBUG)"
    assert PASSWORD not in caplog.text
