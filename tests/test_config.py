"""The config file: where it is found, what wins, named connections with secrets from the
environment, and one clear error (file, line, key) for each way it can be wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui_admin.config import ConfigFileError, find, settle

SCRIPT = Path(sys.executable).parent / "sqladmin-tui"

GOOD = """\
url = "sqlite:///app.db"
models = "myapp.models"
theme = "gruvbox"

[keys]
"app.quit" = "ctrl+q,f10"

[connections.staging]
url = "postgresql+psycopg://me:${STAGING_PASSWORD}@db.internal/shop"
read_only = true
lock_timeout = 3

[connections.other]
url = "mysql+pymysql://me:${OTHER_PASSWORD}@db/x"
"""


def test_the_file_sets_what_the_command_line_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sqladmin-tui.toml").write_text(GOOD)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url, config = settle(None, tmp_path)
    assert (url, config.models, config.theme, config.read_only) == ("sqlite:///app.db", "myapp.models", "gruvbox", None)
    assert config.keys == {"app.quit": "ctrl+q,f10"}
    assert settle("sqlite:///given.db", tmp_path)[0] == "sqlite:///given.db"  # the command line wins
    monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
    assert settle(None, tmp_path)[0] == "sqlite:///env.db"  # then the environment


def test_a_named_connection_takes_its_secret_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sqladmin-tui.toml").write_text(GOOD)
    monkeypatch.setenv("STAGING_PASSWORD", "s3cret")
    monkeypatch.delenv("OTHER_PASSWORD", raising=False)  # another connection's secret need not be set
    url, config = settle("@staging", tmp_path)
    assert url == "postgresql+psycopg://me:s3cret@db.internal/shop"
    assert (config.read_only, config.lock_timeout) == (True, 3.0)
    assert (config.models, config.theme) == ("myapp.models", "gruvbox")  # the file's, under the connection
    assert "s3cret" not in (tmp_path / "sqladmin-tui.toml").read_text()
    monkeypatch.delenv("STAGING_PASSWORD")
    with pytest.raises(ConfigFileError) as unset:
        settle("@staging", tmp_path)
    where = f"{tmp_path / 'sqladmin-tui.toml'}, line 9: connections.staging.url"
    assert str(unset.value) == f"{where}: ${{STAGING_PASSWORD}} is not set"
    with pytest.raises(ConfigFileError, match=r"no connection named 'prod' \(connections: @other, @staging\)"):
        settle("@prod", tmp_path)


def test_pyproject_tool_table_when_there_is_no_own_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.sqladmin-tui]\nmodels = "shop.models"\n')
    assert find(tmp_path).models == "shop.models"
    (tmp_path / "sqladmin-tui.toml").write_text('models = "own.models"\n')
    assert find(tmp_path).models == "own.models"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('url = "x"\nread_only = "yes"\n', "line 2: read_only: must be bool, not str 'yes'"),
        ('url = "x"\n\nmodles = "m"\n', "line 3: modles: unknown setting — did you mean 'models'?"),
        ('[connections.a]\nurl = "x"\ntheme = "y"\n', "line 3: connections.a.theme: unknown setting"),
        ('[keys]\n"app.quit" = 3\n', "line 2: keys.app.quit: must be keys as text"),
        ('url = "x\n', "not valid TOML: "),
        ("lock_timeout = true\n", "line 1: lock_timeout: must be int or float, not bool True"),
    ],
)
def test_a_bad_file_is_one_error_naming_the_file_the_line_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "sqladmin-tui.toml").write_text(text)
    with pytest.raises(ConfigFileError) as failed:
        find(tmp_path)
    assert str(failed.value).startswith(str(tmp_path / "sqladmin-tui.toml"))
    assert message in str(failed.value)


def test_the_cli_opens_a_named_connection_and_refuses_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "x.db").touch()
    (tmp_path / "sqladmin-tui.toml").write_text(
        '[connections.local]\nurl = "sqlite:///${DB_DIR}/x.db"\nmodels = "tui_admin.demo.models"\n')
    env = {"PATH": "/usr/bin:/bin", "DB_DIR": str(tmp_path)}
    done = subprocess.run([str(SCRIPT), "doctor", "@local"], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=60)
    assert "D001 Hero: table hero does not exist" in done.stdout, done.stderr  # the connection's URL and models
    (tmp_path / "sqladmin-tui.toml").write_text('[connections.local]\nurl = 5\n')
    for args in (["@local"], ["doctor", "@local"], ["init", "@local", "--demo"]):
        bad = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
        assert bad.returncode == 2
        assert bad.stderr.strip().endswith("sqladmin-tui.toml, line 2: connections.local.url: must be str, not int 5")
