"""`sqladmin-tui serve` in a real Chromium (Debian's, driven by Selenium and the system
chromedriver): the printed URL opens the models screen, keys edit a hero's age and the row lands
in PostgreSQL; requests without the token (page, files, websocket) get 403; ctrl+q ends the tab's
process; a tab closed mid-edit leaves no transaction open; and neither the page nor any
websocket frame holds any part of the database password."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tui_admin import demo

SCRIPT = Path(sys.executable).parent / "sqladmin-tui"
PASSWORD = "pw-Zq81-unique"  # trust auth ignores it; it must still never reach the browser
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg_url() -> str:
    base = os.environ.get("TUI_ADMIN_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("TUI_ADMIN_TEST_POSTGRES_URL is not set: in CI the browser test must run")
        pytest.skip("TUI_ADMIN_TEST_POSTGRES_URL is not set")
    url = sa.make_url(base).set(password=PASSWORD)
    demo.install(url.render_as_string(hide_password=False))
    return url.render_as_string(hide_password=False)


@pytest.fixture
def server(pg_url: str, tmp_path: Path) -> Iterator[tuple[str, int, subprocess.Popen[str]]]:
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [str(SCRIPT), "serve", pg_url, "--models", demo.MODELS_MODULE, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=log, text=True, cwd=tmp_path,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"open (http://127\.0\.0\.1:\d+/\?token=\S+)", first)
    assert match, first
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield match[1], port, process
    process.terminate()
    process.wait(timeout=10)
    log.close()
    assert PASSWORD not in (tmp_path / "serve.log").read_text() + first


@pytest.fixture
def browser() -> Iterator[object]:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and chromedriver must be installed in CI (.ci/run installs them)")
        pytest.skip("chromium or chromedriver is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1280,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


class Screen:
    """What the browser received over the websocket, as text, and keys typed into the terminal."""

    def __init__(self, driver: object) -> None:
        self.driver = driver
        self.frames: list[str] = []

    def _collect(self) -> None:
        for entry in self.driver.get_log("performance"):  # type: ignore[attr-defined]
            message = json.loads(entry["message"])["message"]
            if message["method"] in ("Network.webSocketFrameReceived", "Network.webSocketFrameSent"):
                frame = message["params"]["response"]
                data = frame["payloadData"]
                text = base64.b64decode(data).decode("utf-8", "replace") if frame["opcode"] == 2 else data
                self.frames.append(text)

    @property
    def text(self) -> str:
        self._collect()
        return ANSI.sub("", "".join(self.frames))

    def wait_for(self, wanted: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while wanted not in self.text:
            if time.monotonic() > end:
                raise AssertionError(f"{wanted!r} never reached the browser; last: {self.text[-600:]!r}")
            time.sleep(0.2)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.by import By

        box = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
        for key in keys:
            box.send_keys(key)
            time.sleep(0.3)


def _status(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    status = connection.getresponse().status
    connection.close()
    return status


def test_edit_in_the_browser_lands_in_the_database_and_nothing_leaks(
    server: tuple[str, int, subprocess.Popen[str]], browser: object, pg_url: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, port, _ = server
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
    assert _status(port, "/") == 403
    assert _status(port, "/?token=wrong") == 403
    assert _status(port, "/static/css/xterm.css") == 403
    assert _status(port, "/ws", upgrade) == 403
    assert _status(port, "/ws?token=wrong", upgrade) == 403

    browser.get(url)  # type: ignore[attr-defined]
    screen = Screen(browser)
    screen.wait_for("HeroTeamLink")  # the models screen
    screen.keys(Keys.ENTER)  # Hero, the first model
    screen.wait_for("Deadpond")
    screen.keys(Keys.ENTER)  # the first hero's detail
    screen.wait_for("Dive Wilson")
    screen.keys("e")
    screen.wait_for("Save")
    screen.keys(Keys.TAB, Keys.TAB, "44", Keys.CONTROL + "s")
    engine = sa.create_engine(pg_url)
    try:
        for _ in range(100):
            with engine.connect() as conn:
                age = conn.execute(sa.text("SELECT age FROM hero WHERE id = 1")).scalar()
            if age == 44:
                break
            time.sleep(0.2)
        assert age == 44

        page = browser.page_source  # type: ignore[attr-defined]
        traffic = screen.text + "".join(screen.frames)
        assert "***" in screen.text  # the title shows the URL, masked
        for part in (PASSWORD, PASSWORD[:8], PASSWORD[-8:]):
            assert part not in page and part not in traffic

        screen.keys(Keys.CONTROL + "q")  # ends this tab's process: the page sees the socket close
        for _ in range(50):
            if browser.find_elements(By.CSS_SELECTOR, "body.-closed"):  # type: ignore[attr-defined]
                break
            time.sleep(0.2)
        assert browser.find_elements(By.CSS_SELECTOR, "body.-closed")  # type: ignore[attr-defined]

        browser.get(url)  # a new tab's process: edit, then close the tab without saving
        screen = Screen(browser)
        screen.wait_for("HeroTeamLink")
        screen.keys(Keys.ENTER)
        screen.wait_for("Deadpond")
        screen.keys(Keys.ENTER)
        screen.wait_for("Dive Wilson")
        screen.keys("e")
        screen.wait_for("Save")
        screen.keys(Keys.TAB, Keys.TAB, Keys.BACKSPACE, Keys.BACKSPACE, "77")
        browser.get("about:blank")  # type: ignore[attr-defined]
        time.sleep(2)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT age FROM hero WHERE id = 1")).scalar() == 44  # saved stays saved
            idle = conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).scalar()
        assert idle == 0
    finally:
        engine.dispose()


def test_a_remote_host_needs_allow_remote() -> None:
    refused = subprocess.run([str(SCRIPT), "serve", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "can be reached from other machines" in refused.stderr and "--allow-remote" in refused.stderr
