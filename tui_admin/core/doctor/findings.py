"""What a check found: one problem, why it matters, and the fix, in a form both the CLI and
the app can show and that a script can read as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """`error`: something fails today (an insert, a save); `warning`: something will go wrong or
    slow down as the data grows; `note`: a convention not followed."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.NOTE)


@dataclass(frozen=True)
class Finding:
    """One problem. `id` is stable (a script or a config may silence it later); `fix` is the exact
    DDL or code change, printed, never run: the doctor does not change the database."""

    id: str
    severity: Severity
    model: str | None
    field: str | None
    message: str
    fix: str

    @property
    def where(self) -> str:
        """`Hero.team_id`, `Hero`, or the database as a whole."""
        if self.model is None:
            return "database"
        return f"{self.model}.{self.field}" if self.field else self.model

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity)}
