"""The command palette's own commands: open any model's list or a record by its key (`Hero 42`,
`HeroTeamLink 1,2`), the query log, a theme; and those of the screen it was opened on (a list:
add a filter, export, mark all matching, go to row N), which a screen offers through
`palette_commands(text)`.

Textual's `SystemCommand` titles and every hit's help text are read as markup, so a model named
after a reflected table such as `we[/]ird` would crash the palette. These hits carry `Content`
built from plain text instead (Textual takes a `Content` as it is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui_admin.core.format import visible
from tui_admin.core.introspect import format_pk
from tui_admin.core.query import ListQuery
from tui_admin.ui.messages import OpenDetail, OpenList

if TYPE_CHECKING:
    from tui_admin.core.registry import ModelAdmin
    from tui_admin.ui.app import AdminApp

Command = tuple[str, str, Callable[[], Any]]


def record_key(admin: ModelAdmin, text: str) -> tuple[Any, ...] | None:
    """The primary key `text` names (`42`, `1,2` for a composite key), each part parsed as its
    column's kind parses a filter value; None when it names none."""
    info = admin.info
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(info.primary_key) or not all(parts):
        return None
    try:
        return tuple(info.columns[n].spec.parse_filter(info.columns[n], p) for n, p in zip(info.primary_key, parts,
                                                                                            strict=True))
    except ValueError:
        return None


class AdminCommands(Provider):
    def _commands(self, text: str = "") -> list[Command]:
        """(title as shown, help as shown, callback) of every command the app offers now; `text`
        (what was typed) adds "open this record" when it names a model and a key."""
        app: AdminApp = self.app  # type: ignore[assignment]
        commands: list[Command] = []
        if app.store is None:
            return commands
        offered = getattr(self.screen, "palette_commands", None)
        if offered is not None:
            commands += offered(text)
        model, _, key = text.strip().partition(" ")
        for admin in app.store.registry:
            name = admin.info.name
            commands.append((visible(f"Open {name}"), visible(f"the list of {admin.info.table_name}"),
                             lambda n=name: app.post_message(OpenList(ListQuery(n)))))
            pk = record_key(admin, key) if model.lower() == name.lower() and key.strip() else None
            if pk is not None:
                commands.append((visible(f"{name} {', '.join(map(str, pk))}"),
                                 visible(f"open the record {name} #{format_pk(pk)}"),
                                 lambda n=name, k=pk: app.post_message(OpenDetail(n, k))))
        commands.append(("Query log", "show or hide the statements of the last actions (f12)", app.action_query_log))
        for theme in sorted(app.available_themes):
            commands.append((visible(f"Theme: {theme}"), "switch the colour theme",
                             lambda t=theme: setattr(app, "theme", t)))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            if title.startswith("Theme: "):
                continue  # found by typing "theme"; the first view stays short
            yield DiscoveryHit(Content(title), callback, text=title, help=Content(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands(query):
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score <= 0:
                continue
            shown = Content(title)
            for offset in offsets:
                shown = shown.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(score, shown, callback, text=title, help=Content(help_text))  # type: ignore[arg-type]


class DoctorCommands(AdminCommands):
    """The Doctor: the doctor's findings on these models and this database, in a screen. A
    provider of its own (the same search and plain-text hits as `AdminCommands`)."""

    def _commands(self, text: str = "") -> list[Command]:
        app: AdminApp = self.app  # type: ignore[assignment]
        if app.store is None:
            return []
        return [("Doctor", "check the SQLModel production rules on the models and the database", app.action_doctor)]
