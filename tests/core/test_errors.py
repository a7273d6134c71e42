"""One base for every error the admin raises on purpose, and one way to take a driver's error down
to the line that says what went wrong."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import sqlalchemy as sa

import tui_admin.core
from tui_admin.core.errors import AdminError, first_line


def _public_error_types() -> list[type[BaseException]]:
    """Every exception class that a module of the core defines under a public name."""
    found = []
    for module_info in pkgutil.iter_modules(tui_admin.core.__path__):
        module = importlib.import_module(f"tui_admin.core.{module_info.name}")
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException) and not name.startswith("_")
                    and value.__module__ == module.__name__):
                found.append(value)
    return found


def test_every_public_error_of_the_core_derives_from_admin_error() -> None:
    types = _public_error_types()
    names = {t.__name__ for t in types}
    # The scan sees the errors of every layer: store, schemas, configuration, engine URLs.
    assert {"StoreError", "WriteError", "LockTimeoutError", "ValidationFailed", "ConfigError", "EngineError"} <= names
    assert [t.__name__ for t in types if not issubclass(t, AdminError)] == []


def test_the_scripting_api_exports_the_base_and_every_error_under_it() -> None:
    exported = [getattr(tui_admin.core, name) for name in tui_admin.core.__all__]
    errors = [e for e in exported if inspect.isclass(e) and issubclass(e, BaseException)]
    assert AdminError in errors
    assert {e.__name__ for e in _public_error_types()} <= {e.__name__ for e in errors}


def test_a_driver_error_wrapped_by_sqlalchemy_yields_the_drivers_first_line() -> None:
    engine = sa.create_engine("sqlite://")
    try:
        with engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as raised:
            conn.exec_driver_sql("SELECT * FROM nowhere")
    finally:
        engine.dispose()
    assert len(str(raised.value).splitlines()) > 1  # SQLAlchemy adds the SQL and a link
    assert first_line(raised.value) == "no such table: nowhere"


@pytest.mark.parametrize("engine_name", ["postgresql+psycopg"])
def test_a_multi_line_driver_message_yields_its_first_line(db_urls: tuple[str, str]) -> None:
    engine = sa.create_engine(db_urls[0])
    try:
        with engine.connect() as conn, pytest.raises(sa.exc.IntegrityError) as raised:
            conn.exec_driver_sql("CREATE TEMPORARY TABLE once (id integer PRIMARY KEY)")
            conn.exec_driver_sql("INSERT INTO once VALUES (1), (1)")
    finally:
        engine.dispose()
    driver_text = str(raised.value.orig)
    assert "\nDETAIL:" in driver_text  # the driver's own message is several lines
    assert first_line(raised.value) == 'duplicate key value violates unique constraint "once_pkey"'
    assert first_line(driver_text) == first_line(raised.value)


def test_text_and_errors_without_a_message() -> None:
    assert first_line("\n  refused\nsecond line\n") == "refused"
    assert first_line("  \n") == ""
    assert first_line(RuntimeError()) == "RuntimeError"
