"""How a URL is shown: its password masked; when it does not parse cleanly, none of its
credentials (which `@` ends the password cannot be known); without a password, as written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tui_admin.core.engine import EngineError, mask, parse


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://me:pw-zq7@db.example:5432/shop", "postgresql+psycopg://me:***@db.example:5432/shop"),
        ("postgresql+psycopg://me:pw%40zq7@db/shop", "postgresql+psycopg://me:***@db/shop"),
        ("mysql+pymysql://me:pw:zq7@db/shop", "mysql+pymysql://me:***@db/shop"),  # a ':' in a password is fine
        ("postgresql+asyncpg://postgres:p@zq7@127.0.0.1/db", "postgresql+asyncpg://***@127.0.0.1/db"),
        ("postgresql+asyncpg://postgres:p@zq7@x@127.0.0.1/db", "postgresql+asyncpg://***@127.0.0.1/db"),
        ("mysql+pymysql://root:p@zq:7@127.0.0.1/db", "mysql+pymysql://***@127.0.0.1/db"),
        ("mysql+pymysql://root:zq7@127.0.0.1:port/db", "mysql+pymysql://***@127.0.0.1:port/db"),
        ("postgresql://root:zq7/db", "postgresql://***"),
        ("sqlite:///file:data.db?uri=true", "sqlite:///file:data.db?uri=true"),
        ("sqlite:////tmp/données.db", "sqlite:////tmp/données.db"),
        ("not a url", "<invalid database URL>"),
    ],
)
def test_a_url_is_shown_without_its_secrets(url: str, shown: str) -> None:
    assert mask(url) == shown
    assert "zq7" not in mask(url)


@pytest.mark.parametrize(
    "url",
    ["postgresql+asyncpg://postgres:p@zq7@127.0.0.1/db", "mysql+pymysql://root:zq7@127.0.0.1:port/db"],
)
def test_a_url_that_does_not_parse_cleanly_is_refused_without_its_secrets(url: str) -> None:
    with pytest.raises(EngineError) as raised:
        parse(url)
    assert "zq7" not in str(raised.value)
    assert "percent-encode" in str(raised.value)


def test_a_parsed_url_masks_its_password() -> None:
    url = sa.make_url("postgresql+psycopg://me:zq7@db/shop")
    assert mask(url) == "postgresql+psycopg://me:***@db/shop"
