"""The plan of a logged statement (`Store.explain`): what the database would do to run it, each
step marked when it reads a whole table.

The statement is one the query log recorded, explained with the parameters it was sent with, so
the plan is the one the database chose for that statement (a plan without its parameters may
differ: PostgreSQL plans a generic one). Plain `EXPLAIN` (or SQLite's `EXPLAIN QUERY PLAN`)
never runs the statement, and it runs in a session that is rolled back; statements that are not
a query or a change of rows (BEGIN, SET, PRAGMA, …) have no plan and are refused. How each
backend words its plan, and what a full scan looks like there, is its `Backend.explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_admin.core.errors import NoPlanError

__all__ = ["NoPlanError", "Plan", "PlanLine", "check_explainable"]

#: The statements EXPLAIN gives a plan of, on every backend here.
_EXPLAINABLE = re.compile(r"\s*(?:\(\s*)*(SELECT|WITH|INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


@dataclass(frozen=True)
class PlanLine:
    """One step of a plan, as the database words it."""

    text: str
    #: The step reads every row of a table (SQLite `SCAN t` without an index, PostgreSQL
    #: `Seq Scan`, MySQL/MariaDB `type=ALL`).
    full_scan: bool = False
    #: How deep in the plan's tree the step is (0: the top).
    depth: int = 0


@dataclass(frozen=True)
class Plan:
    statement: str
    lines: tuple[PlanLine, ...]

    @property
    def full_scans(self) -> list[PlanLine]:
        return [line for line in self.lines if line.full_scan]


def check_explainable(sql: str) -> None:
    """Refuse, with the reason, a statement that has no plan."""
    if _EXPLAINABLE.match(sql) is None:
        first = sql.split(None, 1)[0] if sql.strip() else "an empty statement"
        raise NoPlanError(f"No plan for {first[:40]}: EXPLAIN shows the plan of a SELECT, INSERT, UPDATE or DELETE")
