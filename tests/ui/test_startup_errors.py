"""`AdminApp` over a database it cannot open stops with one line and an exit code, as the CLI
does: 2 for a URL it cannot use, 1 for a database that is not there. A URL that does not parse
cleanly shows none of its credentials, in the title bar or anywhere else."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.ui.helpers import SIZE
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp


async def run_until_exit(app: AdminApp) -> list[str]:
    """Run the app until it stops by itself; what it showed meanwhile (screenshots)."""
    shots = []
    async with app.run_test(size=SIZE) as pilot:
        shots.append(app.export_screenshot())
        for _ in range(200):
            if app.return_code is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code is not None, "the app did not stop"
    return shots


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+asyncpg://postgres:pw@zq7@127.0.0.1/db", "postgresql+asyncpg://***@127.0.0.1/db"),
        ("mysql+aiomysql://root:pw@zq7:9@127.0.0.1/db", "mysql+aiomysql://***@127.0.0.1/db"),
    ],
)
async def test_a_url_that_does_not_parse_cleanly_shows_no_credentials(
    url: str, shown: str, demo_registry: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = AdminApp(url, demo_registry)
    assert app.sub_title == shown
    shots = await run_until_exit(app)
    assert app.return_code == 2
    assert app.startup_error is not None and "\n" not in app.startup_error
    assert app.startup_error.startswith(f"cannot read the database URL {shown}: ")
    for text in (*shots, app.startup_error, app.sub_title, caplog.text):
        assert "zq7" not in text


@pytest.mark.parametrize("read_only", [False, True])
async def test_a_missing_sqlite_file_is_named_and_not_created(
    tmp_path: Path, demo_registry: Registry, read_only: bool
) -> None:
    path = tmp_path / "typo.db"
    app = AdminApp(f"sqlite:///{path}", demo_registry, read_only=read_only)
    await run_until_exit(app)
    assert app.return_code == 1
    assert app.startup_error == f"cannot open sqlite:///{path}: no such database file: {path}"
    assert list(tmp_path.iterdir()) == []
