"""The command palette's own commands: open any model's list, and the query log.

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
from tui_admin.core.query import ListQuery
from tui_admin.ui.messages import OpenList

if TYPE_CHECKING:
    from tui_admin.ui.app import AdminApp


class AdminCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title as shown, help as shown, callback) of every command the app offers now."""
        app: AdminApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        if app.store is None:
            return commands
        for admin in app.store.registry:
            name = admin.info.name
            commands.append((visible(f"Open {name}"), visible(f"the list of {admin.info.table_name}"),
                             lambda n=name: app.post_message(OpenList(ListQuery(n)))))
        commands.append(("Query log", "the statements of the last actions (f12)", app.action_query_log))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=Content(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
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

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: AdminApp = self.app  # type: ignore[assignment]
        if app.store is None:
            return []
        return [("Doctor", "check the SQLModel production rules on the models and the database", app.action_doctor)]
