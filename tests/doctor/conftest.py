"""Fixtures of the doctor suite: schemas made by raw DDL, as in the core suite."""

from tests.core.raw_ddl import backend, run_ddl  # noqa: F401
