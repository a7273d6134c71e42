"""The display options on screen (`column_labels`, `column_formatters`, `column_default_sort`,
`column_details_list`, `form_excluded_columns`) and the list's `a` key running a user action,
asked first, in one transaction. On SQLite."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from textual.widgets import Static

from tests.ui.helpers import (
    SIZE,
    TITLE,
    column_values,
    detail_fields,
    detail_ready,
    form_ready,
    open_model,
    press,
    query_db,
    start,
    static_text,
)
from tui_admin.core.actions import Selection, action
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.demo.models import Hero, HeroTeamLink, Team
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.list import ListScreen

HERO = Hero.__table__  # type: ignore[attr-defined]


@action(label="Retire", confirm="Retire this hero?")
def retire(session: Session, rows: Selection) -> str:
    n = session.execute(sa.update(HERO).where(rows.where).values(age=None, name=HERO.c.name + " (retired)")).rowcount
    return f"{n} retired"


class HeroAdmin(ModelAdmin, model=Hero):
    column_labels = {"secret_name": "Alias", "age": "Age"}
    column_formatters = {"name": lambda m, a: f"*{m.name}*"}
    column_default_sort = ("name", True)
    column_details_list = ["name", "secret_name"]
    form_excluded_columns = ["team_id"]
    actions = [retire]


def _app(url: str) -> AdminApp:
    return AdminApp(url, Registry([HeroAdmin, Team, HeroTeamLink]), title=TITLE)


async def test_labels_formatters_default_sort_and_details_list(sqlite_demo: str) -> None:
    app = _app(sqlite_demo)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        assert [c.label for c in table.ordered_columns] == ["id", "name", "Alias", "Age", "team_id"]
        names = column_values(table, "name")
        assert all(n.startswith("*") and n.endswith("*") for n in names)
        assert names == sorted(names, reverse=True)  # column_default_sort, name descending
        assert "sorted by name ↓" in static_text(app.screen.query_one("#list-title", Static))
        await press(pilot, "enter", until=lambda: detail_ready(app), what="the detail")
        fields = detail_fields(app)
        assert list(fields) == ["name", "Alias"] and fields["name"] == names[0]
        assert "▾" not in " ".join(str(k) for k in fields)  # no relation: column_details_list has none
        await press(pilot, "e", until=lambda: form_ready(app), what="the edit form")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert [c.name for c in form.columns] == ["name", "secret_name", "age"]  # team_id excluded
        labels = [static_text(w) for w in form.query(".field-label")]
        assert labels[1].startswith("Alias *")


async def test_a_runs_the_action_after_asking(sqlite_demo: str) -> None:
    app = _app(sqlite_demo)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        table = await open_model(pilot, "Hero")
        first = query_db(sqlite_demo, "SELECT id, name FROM hero ORDER BY name DESC LIMIT 1")[0]
        await press(pilot, "a", until=lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await press(pilot, "n", until=lambda: isinstance(app.screen, ListScreen), what="no")
        assert query_db(sqlite_demo, "SELECT name FROM hero WHERE id = :i", i=first[0]) == [(first[1],)]
        await press(pilot, "a", until=lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await press(pilot, "y", until=lambda: any(n.message == "Retire: 1 retired" for n in app._notifications),
                    what="the run")
        assert query_db(sqlite_demo, "SELECT name, age FROM hero WHERE id = :i", i=first[0]) == [
            (f"{first[1]} (retired)", None)]
        assert table.row_count > 0
