"""The doctor: the SQLModel production rules, checked against the models and the live database.

Three sources, one list of `Finding`s: the models alone (`models`), the models against the
database (`drift`), and the database's own catalogs and activity (`live`). Everything here
reads; a fix is printed for a person to run, never run (the Store opens the doctor's session
read-only as well).
"""

from __future__ import annotations

import sys
from types import ModuleType

from sqlalchemy.engine import Connection

from tui_admin.core.doctor.drift import check_drift
from tui_admin.core.doctor.findings import SEVERITY_ORDER, Finding, Severity
from tui_admin.core.doctor.live import Limits, check_live
from tui_admin.core.doctor.models import check_models
from tui_admin.core.registry import Registry

__all__ = ["Finding", "Limits", "Severity", "diagnose", "models_module", "sorted_findings"]


def diagnose(
    connection: Connection,
    registry: Registry | None,
    *,
    models: bool = True,
    module: ModuleType | None = None,
    limits: Limits | None = None,
) -> list[Finding]:
    """Every finding, errors first. `models`: the registry holds the user's own models (not
    reflected ones), so their conventions and their drift from the database are checked too;
    the index rules apply to reflected tables as well."""
    findings: list[Finding] = []
    if registry is not None:
        findings += check_models(registry, connection.dialect, module, conventions=models, connection=connection)
        if models:
            findings += check_drift(connection, registry)
    findings += check_live(connection, registry, limits)
    return sorted_findings(findings)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.id, f.where))


def models_module(registry: Registry | None) -> ModuleType | None:
    """The module the registry's models were written in, when they all come from one: the doctor
    reads its engine (`echo`, `pool_pre_ping`) and its Create/Update schemas there. None for
    reflected tables (made here, in no module of the user's) or models from several modules."""
    if registry is None:
        return None
    names = {admin.info.model.__module__ for admin in registry}
    if len(names) != 1:
        return None
    module = sys.modules.get(names.pop())
    return module if module is not None and not module.__name__.startswith("tui_admin.core.") else None
