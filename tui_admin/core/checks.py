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
    "column_kinds", "column_labels", "column_formatters", "column_editable_list", "form_excluded_columns",
    "form_readonly_columns", "column_details_list",
)

#: The hooks a `ModelAdmin` may define (sqladmin's names).
HOOKS = ("on_model_change", "after_model_change", "on_model_delete", "after_model_delete", "list_query")

#: The formats an export writes (`export_types`).
EXPORT_FORMATS = ("csv", "json", "jsonl")

#: Field options that may also name relationships.
_RELATION_OPTIONS = ("column_list", "column_details_list")


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



def _a(noun: str) -> str:
    """`noun` with its article: "an integer", "a date"."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"

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
    hooks = list(HOOKS)
    for name, value in vars(cls).items():  # a misspelt option would be silently ignored
        if callable(value) and not name.startswith("_") and name not in options:
            close = difflib.get_close_matches(name, hooks, n=1, cutoff=0.8)
            if close:  # a misspelt hook would never run
                problems.append(Problem("A012", f"{owner}.{name}", "not a hook", close[0]))
            continue
        if name.startswith("_") or name in options or name == "model":
            continue
        if isinstance(value, property | classmethod | staticmethod):
            continue
        suggestion = _close(name, options)
        if suggestion is not None:  # a helper attribute of the user's own is not an option
            problems.append(Problem("A006", f"{owner}.{name}", "unknown option", suggestion))
    for option in FIELD_OPTIONS:
        given = getattr(admin, option, None) or ()
        allowed = fields + sorted(info.relationships) if option in _RELATION_OPTIONS else fields
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
                                    f"{name!r} is not text ({_a(info.columns[name].spec.name)}): search compares text"))
    for name in admin.column_filters or ():
        if name in info.columns and not info.columns[name].spec.operators:
            problems.append(Problem("A005", f"{owner}.column_filters",
                                    f"{name!r} cannot be filtered (a {info.columns[name].spec.name})"))
    problems += _option_problems(admin, owner, fields)
    if isinstance(admin.label, str) and admin.label not in info.columns:
        suggestion = _close(admin.label, fields)
        problems.append(Problem("A002", f"{owner}.label", f"unknown field {admin.label!r}", suggestion))
    return problems


def _option_problems(admin: ModelAdmin, owner: str, fields: list[str]) -> list[Problem]:
    """The options of the list, detail, form, export and actions (A007–A011)."""
    from tui_admin.core.actions import Action

    info = admin.info
    problems: list[Problem] = []
    try:
        sorts = admin.default_sort
    except (TypeError, IndexError):
        sorts = []
        problems.append(Problem("A007", f"{owner}.column_default_sort",
                                "expected a field, (field, descending), or a list of those"))
    for name, _ in sorts:
        if name not in info.columns:
            problems.append(Problem("A007", f"{owner}.column_default_sort", f"unknown field {name!r}",
                                    _close(name, fields)))
        elif name not in admin.sortable:
            problems.append(Problem("A007", f"{owner}.column_default_sort", f"{name!r} cannot be sorted",
                                    _close(name, admin.sortable)))
    for name in admin.column_editable_list:
        col = info.columns.get(name)
        if col is None:
            continue  # A001
        why = ("a key column (changing a key is a delete and an insert)" if col.primary_key
               else "the version column (the Store keeps it)" if name == info.version_column
               else "computed by the database" if col.generated
               else "read-only once created (form_readonly_columns)" if name in admin.form_readonly_columns
               else f"not editable (a {col.spec.name})" if not col.spec.editable else None)
        if why is not None:
            problems.append(Problem("A008", f"{owner}.column_editable_list",
                                    f"{name!r} cannot be edited in place: {why}"))
    for name, formatter in admin.column_formatters.items():
        if not callable(formatter):
            problems.append(Problem("A009", f"{owner}.column_formatters",
                                    f"{name!r}: expected a function of (record, field name), "
                                    f"got {type(formatter).__name__}"))
    for fmt in admin.export_types:
        if fmt not in EXPORT_FORMATS:
            problems.append(Problem("A010", f"{owner}.export_types", f"unknown format {fmt!r}",
                                    _close(str(fmt), list(EXPORT_FORMATS))))
    seen: set[str] = set()
    for act in admin.actions:
        if not isinstance(act, Action):
            problems.append(Problem("A011", f"{owner}.actions",
                                    f"{act!r} is not an action: decorate it with @action(...)"))
        elif act.name in seen:
            problems.append(Problem("A011", f"{owner}.actions", f"two actions are named {act.name!r}"))
        else:
            seen.add(act.name)
    return problems
