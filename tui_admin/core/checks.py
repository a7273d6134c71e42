"""Startup checks of the `ModelAdmin` options, like Django's system checks: every problem at
once, each with an id and a suggestion, so a user fixes their configuration in one pass instead
of one restart per typo.

    A001 HeroAdmin.column_list: unknown field 'nam' — did you mean 'name'?
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_admin.core.registry import ModelAdmin

#: The options whose values name fields of the model (a `dict` option by its keys).
FIELD_OPTIONS = (
    "column_list", "column_searchable_list", "column_sortable_list", "form_columns", "column_filters",
    "column_kinds",
)


@dataclass(frozen=True)
class Problem:
    """One configuration error. `id` is stable, for documentation and search."""

    id: str
    where: str  # HeroAdmin.column_list
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f" — did you mean {self.suggestion!r}?" if self.suggestion else ""
        return f"{self.id} {self.where}: {self.message}{hint}"


def _close(name: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def check_admin(admin: ModelAdmin) -> list[Problem]:
    """Every problem of one model's options."""
    cls = type(admin)
    owner = cls.__name__
    info = admin.info
    fields = sorted(info.columns)
    problems: list[Problem] = []
    from tui_admin.core.registry import ModelAdmin

    options = sorted(name for name in vars(ModelAdmin) if not name.startswith("_"))
    for name, value in vars(cls).items():  # a misspelt option would be silently ignored
        if name.startswith("_") or name in options or name == "model" or callable(value):
            continue
        if isinstance(value, property | classmethod | staticmethod):
            continue
        suggestion = _close(name, options)
        if suggestion is not None:  # a helper attribute of the user's own is not an option
            problems.append(Problem("A006", f"{owner}.{name}", "unknown option", suggestion))
    for option in FIELD_OPTIONS:
        given = getattr(admin, option, None) or ()
        allowed = fields + sorted(info.relationships) if option == "column_list" else fields
        for name in given:
            if name not in allowed:
                problems.append(Problem("A001", f"{owner}.{option}", f"unknown field {name!r}", _close(name, allowed)))
    for name in admin.column_sortable_list or ():
        if name in info.columns and not info.columns[name].spec.sortable:
            problems.append(Problem("A003", f"{owner}.column_sortable_list",
                                    f"{name!r} cannot be sorted (a {info.columns[name].spec.name} has no order a "
                                    "page can follow)"))
    for name in admin.column_searchable_list or ():
        if name in info.columns and not info.columns[name].spec.textual:
            problems.append(Problem("A004", f"{owner}.column_searchable_list",
                                    f"{name!r} is not text (a {info.columns[name].spec.name}): search compares text"))
    for name in admin.column_filters or ():
        if name in info.columns and not info.columns[name].spec.operators:
            problems.append(Problem("A005", f"{owner}.column_filters",
                                    f"{name!r} cannot be filtered (a {info.columns[name].spec.name})"))
    if isinstance(admin.label, str) and admin.label not in info.columns:
        suggestion = _close(admin.label, fields)
        problems.append(Problem("A002", f"{owner}.label", f"unknown field {admin.label!r}", suggestion))
    return problems
