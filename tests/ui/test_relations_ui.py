"""Relationships in the app, driven by keys: following relations from a detail, the links editor
(add, remove, edit a link's role, pending marks, atomic save, failures), the foreign-key picker in
forms, and the query log (f12) with its N+1 flag."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.ui.helpers import (
    SIZE,
    TITLE,
    clear_input,
    column_values,
    detail_fields,
    detail_ready,
    dump,
    execute_db,
    form_ready,
    list_ready,
    open_model,
    press,
    query_db,
    start,
    static_text,
    table_rows,
)
from tui_admin.demo.models import Hero, Team
from tui_admin.ui.app import AdminApp
from tui_admin.ui.screens.confirm import ConfirmScreen
from tui_admin.ui.screens.detail import DetailScreen
from tui_admin.ui.screens.form import FormScreen
from tui_admin.ui.screens.link_form import LinkFormScreen
from tui_admin.ui.screens.links import LinksScreen
from tui_admin.ui.screens.list import ListScreen
from tui_admin.ui.screens.models import ModelsScreen
from tui_admin.ui.screens.picker import PickerScreen
from tui_admin.ui.screens.query_log import QueryLogScreen
from tui_admin.ui.widgets.picker import ForeignKeyField
from tui_admin.ui.widgets.record_table import RecordTable

# -- helpers --------------------------------------------------------------------------------


def row_keys(table: DataTable[Any]) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def title(app: AdminApp, widget_id: str) -> str:
    return static_text(app.screen.query_one(widget_id, Static))


async def cursor_to(pilot: Pilot[Any], table: DataTable[Any], key: str) -> None:
    """Move the cursor onto the row `key` with the arrow keys."""
    target = table.get_row_index(key)
    step = "down" if target > table.cursor_row else "up"
    await press(pilot, *[step] * abs(target - table.cursor_row), until=lambda: table.cursor_row == target,
                what=f"the cursor on {key}")


def shows_detail(app: AdminApp, heading: str) -> bool:
    return detail_ready(app) and title(app, "#detail-title") == heading


async def open_hero(pilot: Pilot[Any], name: str) -> DetailScreen:
    """From the start: the Hero list, the cursor on `name`, enter: its detail."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await start(pilot)
    table = await open_model(pilot, "Hero")
    row = column_values(table, "name").index(name)
    await press(pilot, *["down"] * row, until=lambda: table.cursor_row == row)
    await press(pilot, "enter", until=lambda: shows_detail(app, f"Hero · {name}"), what=f"{name}'s detail")
    assert isinstance(app.screen, DetailScreen)
    return app.screen


def fields(app: AdminApp) -> DataTable[Any]:
    return app.screen.query_one("#fields", DataTable)


def detail_rows(app: AdminApp) -> dict[str, list[str]]:
    """Every row of the detail by its key (`field:name`, `rel:teams`, `item:teams:0`, …)."""
    table = fields(app)
    return dict(zip(row_keys(table), table_rows(table), strict=True))


def links_ready(app: AdminApp) -> bool:
    return isinstance(app.screen, LinksScreen) and app.screen.query_one("#links", DataTable).row_count > 0


def links_rows(app: AdminApp) -> list[list[str]]:
    return table_rows(app.screen.query_one("#links", DataTable))


async def open_links(pilot: Pilot[Any], relation: str) -> LinksScreen:
    """On a detail: the cursor on the relation's heading, `l`: its links editor."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await cursor_to(pilot, fields(app), f"rel:{relation}")
    await press(pilot, "l", until=lambda: links_ready(app), what="the links editor")
    assert isinstance(app.screen, LinksScreen)
    return app.screen


async def search_and_add(pilot: Pilot[Any], screen: LinksScreen, text: str, label: str) -> None:
    """`/`, type `text`, enter (the candidates, at once), enter on the first one: added."""
    box = screen.query_one("#candidate-search", Input)
    candidates = screen.query_one("#candidates", DataTable)
    await press(pilot, "slash", until=lambda: screen.focused is box)
    if box.value:
        await clear_input(pilot, box)
    await pilot.press(*text)
    await press(pilot, "enter", until=lambda: screen.focused is candidates
                and column_values(candidates, "label")[:1] == [label], what=f"{label} as first candidate")
    await press(pilot, "enter", until=lambda: label in [r[1] for r in links_rows(pilot.app)], what=f"{label} added")


async def focus_links(pilot: Pilot[Any], screen: LinksScreen) -> DataTable[Any]:
    links = screen.query_one("#links", DataTable)
    while screen.focused is not links:
        await press(pilot, "shift+tab")
    return links


async def edit_role(pilot: Pilot[Any], role: str) -> LinkFormScreen:
    """`e` on the link under the cursor; replace the role; ctrl+s. Returns the form (it may stay)."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    links_screen = app.screen
    await press(pilot, "e", until=lambda: isinstance(app.screen, LinkFormScreen), what="the link form")
    form = app.screen
    assert isinstance(form, LinkFormScreen)
    field = form.query_one("#field-role", Input)
    await clear_input(pilot, field)
    await pilot.press(*role)
    await press(pilot, "ctrl+s", until=lambda: app.screen is links_screen or bool(
        static_text(form.query_one("#error-role", Static))), what="the form applied or refused")
    return form


def links_of_hero(url: str, hero: int) -> list[tuple[Any, ...]]:
    return query_db(url, "SELECT team_id, role FROM heroteamlink WHERE hero_id = :h ORDER BY team_id", h=hero)


# -- following relations from a detail ------------------------------------------------------


async def test_detail_follows_team_then_one_of_its_heroes_then_a_relation_list(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        hero = await open_hero(pilot, "Deadpond")
        rows = detail_rows(demo_app)
        # to-one as the team's label; the many-to-many as a paged list with its count and roles
        assert rows["field:team_id"][1] == "Z-Force  → team #2"
        assert rows["rel:teams"][:2] == ["▾ teams", "2 teams · many-to-many via heroteamlink  (enter: list all · "
                                                    "l: edit links)"]
        assert [rows[f"item:teams:{i}"][1:] for i in (0, 1)] == [["  Z-Force", "role: lead"],
                                                                 ["  Avengers of the Sea", "role: reserve"]]

        # enter on team_id: the team
        await cursor_to(pilot, fields(demo_app), "field:team_id")
        await press(pilot, "enter", until=lambda: shows_detail(demo_app, "Team · Z-Force"), what="Z-Force")
        team = demo_app.screen
        rows = detail_rows(demo_app)
        assert rows["rel:heroes"][1].startswith("2 heroes · one-to-many")
        assert [r[1].strip() for k, r in rows.items() if k.startswith("item:heroes:")] == ["Deadpond", "Quantum Quill"]
        assert rows["rel:members"][1].startswith("4 heroes · many-to-many via heroteamlink")
        assert [(r[1].strip(), r[2]) for k, r in rows.items() if k.startswith("item:members:")] == [
            ("Deadpond", "role: lead"), ("Rusty-Man", "role: member"),
            ("Dr. Weird", "role: reserve"), ("Quantum Quill", "role: member"),
        ]

        # enter on one of its heroes: that hero
        await cursor_to(pilot, fields(demo_app), "item:heroes:1")
        await press(pilot, "enter", until=lambda: shows_detail(demo_app, "Hero · Quantum Quill"), what="the hero")
        assert detail_fields(demo_app)["id"] == "15"
        await press(pilot, "escape", until=lambda: demo_app.screen is team and detail_ready(demo_app))

        # enter on a heading: the full list, filtered to this team
        await cursor_to(pilot, fields(demo_app), "rel:members")
        await press(pilot, "enter", until=lambda: list_ready(demo_app), what="the members list")
        assert title(demo_app, "#list-title") == "Team #2 · members (Hero) · 4 rows · sorted by id ↑"
        assert column_values(demo_app.screen.query_one("#records", RecordTable), "id") == ["1", "3", "6", "15"]
        await press(pilot, "escape", until=lambda: demo_app.screen is team and detail_ready(demo_app))
        await cursor_to(pilot, fields(demo_app), "rel:heroes")
        await press(pilot, "enter", until=lambda: list_ready(demo_app), what="the heroes list")
        assert title(demo_app, "#list-title") == "Team #2 · heroes (Hero) · 2 rows · sorted by id ↑"
        records = demo_app.screen.query_one("#records", RecordTable)
        assert column_values(records, "name") == ["Deadpond", "Quantum Quill"]
        await press(pilot, "escape", until=lambda: demo_app.screen is team)
        await press(pilot, "escape", until=lambda: demo_app.screen is hero)


async def test_team_with_10000_heroes_shows_one_page_and_lists_all_on_enter(
    demo_app: AdminApp, demo_db: str
) -> None:
    engine = sa.create_engine(demo_db)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO hero (name, secret_name, team_id) VALUES (:name, 'x', 5)"),
                [{"name": f"Watcher {i:05d}"} for i in range(10_000)],
            )
    finally:
        engine.dispose()
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        teams = await open_model(pilot, "Team")
        await press(pilot, *["down"] * 4, until=lambda: teams.cursor_row == 4)
        await press(pilot, "enter", until=lambda: shows_detail(demo_app, "Team · Night Watch"), what="Night Watch")
        assert len(demo_app.store.log.actions[-1].statements) <= 4  # type: ignore[union-attr]
        rows = detail_rows(demo_app)
        assert rows["rel:heroes"][1].startswith("10,002 heroes · one-to-many")
        heroes = [k for k in rows if k.startswith("item:heroes:")]
        assert len(heroes) == 10  # one page, not 10,002 rows
        assert rows["rel-more:heroes"][1] == "  … 9,992 more (enter: list all)"
        await cursor_to(pilot, fields(demo_app), "rel-more:heroes")
        await press(pilot, "enter", until=lambda: list_ready(demo_app), what="the heroes list")
        assert title(demo_app, "#list-title").startswith("Team #5 · heroes (Hero) · 10,002 rows")
        assert demo_app.screen.query_one("#records", RecordTable).row_count <= 300  # a window, not the list


async def test_reflected_self_reference_and_two_keys_to_one_table_are_labelled_by_column(tmp_path) -> None:
    """Without models: a match names its home and away teams, a team lists its matches per column,
    and a category's parent_id opens the parent category."""
    db = tmp_path / "league.db"
    execute_db(f"sqlite:///{db}",
                "CREATE TABLE club (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "CREATE TABLE category (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                "parent_id INTEGER REFERENCES category(id))",
                "CREATE TABLE fixture (id INTEGER PRIMARY KEY, home_team_id INTEGER NOT NULL REFERENCES club(id), "
                "away_team_id INTEGER NOT NULL REFERENCES club(id))",
                "INSERT INTO club VALUES (1, 'Lions'), (2, 'Tigers')",
                "INSERT INTO category VALUES (1, 'Books', NULL), (2, 'Fiction', 1)",
                "INSERT INTO fixture VALUES (1, 1, 2), (2, 2, 1), (3, 1, 2)")
    app = AdminApp(f"sqlite:///{db}", title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "fixture")
        await press(pilot, "enter", until=lambda: shows_detail(app, "fixture · fixture #1"), what="fixture 1")
        assert detail_fields(app)["home_team_id"] == "Lions  → club #1"
        assert detail_fields(app)["away_team_id"] == "Tigers  → club #2"
        await cursor_to(pilot, fields(app), "field:away_team_id")
        await press(pilot, "enter", until=lambda: shows_detail(app, "club · Tigers"), what="Tigers")
        rows = detail_rows(app)
        assert rows["rel:fixture_set_by_home_team_id"][:2] == ["▾ fixture_set_by_home_team_id",
                                                               "1 fixture · one-to-many  (enter: list all)"]
        assert rows["rel:fixture_set_by_away_team_id"][1].startswith("2 fixtures · one-to-many")
        await cursor_to(pilot, fields(app), "rel:fixture_set_by_away_team_id")
        await press(pilot, "enter", until=lambda: list_ready(app), what="Tigers' away fixtures")
        assert title(app, "#list-title").startswith("club #2 · fixture_set_by_away_team_id (fixture) · 2 rows")
        assert column_values(app.screen.query_one("#records", RecordTable), "id") == ["1", "3"]

        while not isinstance(app.screen, ModelsScreen):
            await press(pilot, "escape")
        await cursor_to(pilot, app.screen.query_one("#models", DataTable), "category")
        await open_model(pilot, "category")
        await press(pilot, "down", "enter", until=lambda: shows_detail(app, "category · Fiction"), what="Fiction")
        assert detail_fields(app)["parent_id"] == "Books  → category #1"
        await cursor_to(pilot, fields(app), "field:parent_id")
        await press(pilot, "enter", until=lambda: shows_detail(app, "category · Books"), what="Books")
        rows = detail_rows(app)
        assert rows["rel:category_set"][1].startswith("1 category · one-to-many")
        assert rows["item:category_set:0"][1].strip() == "Fiction"


# -- the links editor -----------------------------------------------------------------------


async def test_links_add_two_remove_one_change_a_role_then_save(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)["heroteamlink"]
    async with demo_app.run_test(size=SIZE) as pilot:
        detail = await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        assert links_rows(demo_app) == [["", "Z-Force", "lead"], ["", "Avengers of the Sea", "reserve"]]
        assert column_values(screen.query_one("#candidates", DataTable), "label") == [
            "Night Watch", "Preventers", "Wakaland"
        ]
        links = screen.query_one("#links", DataTable)
        assert screen.focused is links

        await edit_role(pilot, "member")  # Z-Force: lead → member
        await press(pilot, "down", until=lambda: links.cursor_row == 1)
        await press(pilot, "x")  # Avengers of the Sea: removed
        await search_and_add(pilot, screen, "Prev", "Preventers")
        await search_and_add(pilot, screen, "Night", "Night Watch")
        await focus_links(pilot, screen)
        await cursor_to(pilot, links, "5")
        await edit_role(pilot, "lead")  # the new link to Night Watch, as lead
        assert links_rows(demo_app) == [
            ["~", "Z-Force", "member"],
            ["−", "Avengers of the Sea", "reserve"],
            ["+", "Preventers", "member"],
            ["+", "Night Watch", "lead"],
        ]
        assert title(demo_app, "#links-title").endswith("· 4 pending changes (ctrl+s to save)")
        assert links_of_hero(demo_db, 1) == [(2, "lead"), (4, "reserve")]  # nothing written yet

        await press(pilot, "ctrl+s", until=lambda: not screen.is_dirty and ["", "Night Watch", "lead"]
                    in links_rows(demo_app), what="the saved links")
        assert links_rows(demo_app) == [["", "Preventers", "member"], ["", "Z-Force", "member"],
                                        ["", "Night Watch", "lead"]]
        assert "pending" not in title(demo_app, "#links-title")
        assert demo_app.store.log.actions[-3].name == "links Hero.teams"  # type: ignore[union-attr]

        # back on the detail, then reopened: exactly that
        await press(pilot, "escape", until=lambda: demo_app.screen is detail and detail_ready(demo_app))
        assert detail_rows(demo_app)["rel:teams"][1].startswith("3 teams ·")
        await press(pilot, "l", until=lambda: links_ready(demo_app), what="the links editor again")
        assert links_rows(demo_app) == [["", "Preventers", "member"], ["", "Z-Force", "member"],
                                        ["", "Night Watch", "lead"]]

    assert links_of_hero(demo_db, 1) == [(1, "member"), (2, "member"), (5, "lead")]
    others = [r for r in dump(demo_db)["heroteamlink"] if r[1] != 1]
    assert others == [r for r in before if r[1] != 1]


async def test_link_candidates_are_searched_as_you_type_and_limited(demo_app: AdminApp, demo_db: str) -> None:
    execute_db(demo_db, *(f"INSERT INTO team (name, headquarters) VALUES ('Squad {i:02d}', 'Base')"
                               for i in range(60)))
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        candidates = screen.query_one("#candidates", DataTable)
        labels = column_values(candidates, "label")
        assert len(labels) == 50  # of the 63 teams Deadpond is not in
        assert labels[:4] == ["Night Watch", "Preventers", "Squad 00", "Squad 01"]
        action = next(a for a in reversed(demo_app.store.log.actions) if a.name == "link candidates Hero.teams")
        assert "LIMIT" in action.statements[0].sql.upper()
        await press(pilot, "slash", until=lambda: screen.focused is screen.query_one("#candidate-search"))
        await pilot.press(*"squad 5")  # no enter: the search runs when typing pauses
        await press(pilot, until=lambda: column_values(candidates, "label") == [f"Squad 5{i}" for i in range(10)],
                    what="the ten matching squads")
        assert screen.focused is screen.query_one("#candidate-search")


async def test_link_role_too_long_is_refused_beside_the_field(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        form = await edit_role(pilot, "x" * 31)
        assert demo_app.screen is form  # the form stays, with the reason beside the field
        assert "30" in static_text(form.query_one("#error-role", Static))
        assert form.query_one("#field-role", Input).value == "x" * 31
        await press(pilot, "escape", until=lambda: demo_app.screen is screen)
        assert not screen.is_dirty
        assert links_rows(demo_app) == [["", "Z-Force", "lead"], ["", "Avengers of the Sea", "reserve"]]
        await press(pilot, "ctrl+s")
    assert dump(demo_db) == before


async def test_link_form_puts_the_cursor_on_the_refused_field_and_clears_its_error_on_change(
    demo_app: AdminApp,
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        await open_links(pilot, "teams")
        await press(pilot, "e", until=lambda: isinstance(demo_app.screen, LinkFormScreen), what="the link form")
        form = demo_app.screen
        field = form.query_one("#field-role", Input)
        error = form.query_one("#error-role", Static)
        await clear_input(pilot, field)
        await pilot.press(*("x" * 31))
        form.set_focus(None)  # the cursor elsewhere when ctrl+s is pressed
        await press(pilot, "ctrl+s", until=lambda: bool(static_text(error)), what="the role refused")
        assert demo_app.focused is field, "the refused field gets the focus"
        await press(pilot, "backspace", until=lambda: not static_text(error), what="the error gone with the change")
        assert demo_app.screen is form and field.value == "x" * 30


async def test_escape_with_pending_link_changes_asks_first(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        detail = await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        await press(pilot, "x", until=lambda: links_rows(demo_app)[0][0] == "−")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        assert title(demo_app, "#confirm-question") == "Discard the pending link changes?"
        await press(pilot, "n", until=lambda: demo_app.screen is screen, what="the links again")
        assert screen.is_dirty and links_rows(demo_app)[0][0] == "−"
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        await press(pilot, "y", until=lambda: demo_app.screen is detail, what="the detail")
    assert dump(demo_db) == before


async def test_failed_link_save_shows_why_and_applies_nothing(demo_app: AdminApp, demo_db: str) -> None:
    """The candidate team is deleted by someone else between adding it and saving."""
    execute_db(demo_db, "INSERT INTO team (id, name, headquarters) VALUES (6, 'Doomed Squad', 'Nowhere')")
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        links = screen.query_one("#links", DataTable)
        await press(pilot, "down", until=lambda: links.cursor_row == 1)
        await press(pilot, "x")
        await search_and_add(pilot, screen, "Doom", "Doomed Squad")
        execute_db(demo_db, "DELETE FROM team WHERE id = 6")
        before = dump(demo_db)
        error = screen.query_one("#links-error", Static)
        await press(pilot, "ctrl+s", until=lambda: not error.has_class("hidden"), what="the error")
        assert static_text(error).startswith("Nothing was saved:")
        assert "FOREIGN KEY" in static_text(error).upper()
        assert demo_app.screen is screen and screen.is_dirty  # the pending changes are kept
        assert [r[0] for r in links_rows(demo_app)] == ["", "−", "+"]
    assert dump(demo_db) == before
    assert links_of_hero(demo_db, 1) == [(2, "lead"), (4, "reserve")]


async def test_ctrl_q_with_pending_link_changes_asks_first(demo_app: AdminApp, demo_db: str) -> None:
    before = dump(demo_db)
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        await search_and_add(pilot, screen, "Wak", "Wakaland")
        await press(pilot, "ctrl+q", until=lambda: isinstance(demo_app.screen, ConfirmScreen), what="the question")
        assert title(demo_app, "#confirm-question") == "You have unsaved changes. Quit anyway?"
        await press(pilot, "n", until=lambda: demo_app.screen is screen, what="the links again")
        assert demo_app.return_code is None and screen.is_dirty
    assert dump(demo_db) == before


async def test_a_role_changed_back_is_no_longer_pending(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        screen = await open_links(pilot, "teams")
        await edit_role(pilot, "member")
        assert links_rows(demo_app)[0] == ["~", "Z-Force", "member"]
        assert title(demo_app, "#links-title").endswith("· 1 pending change (ctrl+s to save)")
        await edit_role(pilot, "lead")
        assert links_rows(demo_app)[0] == ["", "Z-Force", "lead"]
        assert not screen.is_dirty and "pending" not in title(demo_app, "#links-title")


async def test_reflected_database_links_ask_for_the_role_a_new_link_needs(demo_db: str) -> None:
    """Without models, heroteamlink.role has no default: adding a link opens its form at once."""
    app = AdminApp(demo_db, title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "hero")
        await press(pilot, "enter", until=lambda: shows_detail(app, "hero · Deadpond"), what="Deadpond")
        screen = await open_links(pilot, "team_via_heroteamlink")
        await press(pilot, "slash")
        await pilot.press(*"Prev")
        await press(pilot, "enter", until=lambda: column_values(screen.query_one("#candidates", DataTable), "label")
                    == ["Preventers"], what="Preventers found")
        await press(pilot, "enter", until=lambda: isinstance(app.screen, LinkFormScreen), what="the role asked for")
        form = app.screen
        assert form.query_one("#field-role", Input).value == ""
        await pilot.press(*"lead")
        await press(pilot, "ctrl+s", until=lambda: app.screen is screen)
        assert links_rows(app)[-1] == ["+", "Preventers", "lead"]
        await press(pilot, "ctrl+s", until=lambda: not screen.is_dirty
                    and links_rows(app)[0] == ["", "Preventers", "lead"], what="the saved links")
    assert links_of_hero(demo_db, 1) == [(1, "lead"), (2, "lead"), (4, "reserve")]


async def test_links_of_a_many_to_many_whose_link_model_is_not_registered_do_not_crash(demo_db: str) -> None:
    app = AdminApp(demo_db, [Hero, Team], title=TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        assert "l: edit links" in detail_rows(app)["rel:teams"][1]  # the detail offers it
        await pilot.press("l")
        await pilot.pause()
        assert app.return_code is None, "the app exited"
        warned = any(n.severity == "warning" for n in app._notifications)
        assert isinstance(app.screen, LinksScreen) or warned


# -- the foreign-key picker -----------------------------------------------------------------


def picker_rows(app: AdminApp) -> list[list[str]]:
    return table_rows(app.screen.query_one("#picker-results", DataTable))


async def open_team_picker(pilot: Pilot[Any]) -> tuple[FormScreen, ForeignKeyField]:
    """Deadpond's edit form, tab to team_id, enter: the picker."""
    app: AdminApp = pilot.app  # type: ignore[assignment]
    await start(pilot)
    await open_model(pilot, "Hero")
    await press(pilot, "e", until=lambda: form_ready(app), what="Deadpond's edit form")
    form = app.screen
    assert isinstance(form, FormScreen)
    field = form.query_one("#field-team_id", ForeignKeyField)
    while app.focused is not field:
        await press(pilot, "tab")
    await press(pilot, "enter", until=lambda: isinstance(app.screen, PickerScreen) and bool(picker_rows(app)),
                what="the picker with its first results")
    return form, field


async def test_fk_picker_shows_the_current_value_filters_as_you_type_and_picks(
    demo_app: AdminApp, demo_db: str
) -> None:
    execute_db(demo_db, *(f"INSERT INTO team (name, headquarters) VALUES ('Squad {i:02d}', 'Base')"
                               for i in range(60)))
    async with demo_app.run_test(size=SIZE) as pilot:
        form, field = await open_team_picker(pilot)
        picker = demo_app.screen
        assert "team_id → team   current: Z-Force #2" in static_text(picker.query_one(".screen-title", Static))
        rows = picker_rows(demo_app)
        # (none), then 50 teams by name (not the 65 of the table), then a hint to type
        assert len(rows) == 1 + 50 + 1
        assert rows[0] == ["(none)", "NULL"]
        assert [r[0] for r in rows[1:4]] == ["Avengers of the Sea", "Night Watch", "Preventers"]
        assert rows[-1][0] == "… first 50 shown: type to narrow"
        choices = demo_app.store.log.actions[-1]  # type: ignore[union-attr]
        assert choices.name == "choices Team" and "LIMIT" in choices.statements[0].sql.upper()

        box = picker.query_one("#picker-search", Input)
        assert demo_app.focused is box
        await pilot.press(*"z-f")
        await press(pilot, until=lambda: [r[0] for r in picker_rows(demo_app)] == ["(none)", "Z-Force"],
                    what="only Z-Force found")
        await clear_input(pilot, box)
        await pilot.press(*"wak")
        await press(pilot, "enter", until=lambda: [r[0] for r in picker_rows(demo_app)] == ["(none)", "Wakaland"],
                    what="only Wakaland found")
        results = picker.query_one("#picker-results", DataTable)
        assert demo_app.focused is results
        await press(pilot, "down", until=lambda: results.cursor_row == 1)
        await press(pilot, "enter", until=lambda: demo_app.screen is form, what="the form again")
        assert (field.value, str(field.label)) == (3, "Wakaland  ▸ enter to change")
        await press(pilot, "ctrl+s", until=lambda: shows_detail(demo_app, "Hero · Deadpond"), what="the saved hero")
        assert detail_fields(demo_app)["team_id"] == "Wakaland  → team #3"
    assert query_db(demo_db, "SELECT team_id FROM hero WHERE id = 1") == [(3,)]


async def test_fk_picker_none_clears_a_nullable_key_to_null(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        form, field = await open_team_picker(pilot)
        results = demo_app.screen.query_one("#picker-results", DataTable)
        await press(pilot, "enter", until=lambda: demo_app.focused is results)  # enter in the empty search box
        assert results.cursor_row == 0 and picker_rows(demo_app)[0][0] == "(none)"
        await press(pilot, "enter", until=lambda: demo_app.screen is form, what="the form again")
        assert field.value is None and str(field.label) == "(none)  ▸ enter to pick"
        await press(pilot, "ctrl+s", until=lambda: shows_detail(demo_app, "Hero · Deadpond"), what="the saved hero")
        assert detail_fields(demo_app)["team_id"] == "∅"  # NULL is ∅ on every screen
    assert query_db(demo_db, "SELECT name, team_id FROM hero WHERE id = 1") == [("Deadpond", None)]


async def test_fk_picker_enter_enter_picks_the_one_match_not_none(demo_app: AdminApp, demo_db: str) -> None:
    """Typing narrows to one team: `enter` in the box then `enter` on the results picks that
    team (the highlighted first match), not the `(none)` row above it."""
    async with demo_app.run_test(size=SIZE) as pilot:
        form, field = await open_team_picker(pilot)
        results = demo_app.screen.query_one("#picker-results", DataTable)
        await pilot.press(*"wak")
        await press(pilot, "enter", until=lambda: [r[0] for r in picker_rows(demo_app)] == ["(none)", "Wakaland"]
                    and demo_app.focused is results, what="only Wakaland found, the results focused")
        assert results.cursor_row == 1
        await press(pilot, "enter", until=lambda: demo_app.screen is form, what="the form again")
        assert (field.value, field.record_label) == (3, "Wakaland")


async def test_fk_picker_of_a_required_key_offers_no_none(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await open_model(pilot, "HeroTeamLink")
        await press(pilot, "n", until=lambda: form_ready(demo_app), what="the new link form")
        field = demo_app.screen.query_one("#field-team_id", ForeignKeyField)
        assert demo_app.focused is field
        await press(pilot, "enter", until=lambda: isinstance(demo_app.screen, PickerScreen)
                    and bool(picker_rows(demo_app)), what="the picker")
        assert "current: (none)" in static_text(demo_app.screen.query_one(".screen-title", Static))
        assert [r[0] for r in picker_rows(demo_app)] == [
            "Avengers of the Sea", "Night Watch", "Preventers", "Wakaland", "Z-Force"
        ]


async def test_fk_picker_escape_keeps_the_value(demo_app: AdminApp, demo_db: str) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        form, field = await open_team_picker(pilot)
        await press(pilot, "escape", until=lambda: demo_app.screen is form)
        assert field.value == 2 and not form.is_dirty


# -- the query log --------------------------------------------------------------------------


async def test_query_log_lists_actions_with_statement_counts_and_flags_n_plus_one(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        store = demo_app.store
        assert store is not None
        hero = store.admin("Hero").info

        def one_by_one(session: Any) -> None:  # the classic N+1: one query per row
            for pk in range(1, 7):
                session.execute(sa.select(hero.table).where(hero.table.c.id == pk)).all()

        await store._run("labels one by one", one_by_one)
        detail_action = next(a for a in reversed(store.log.actions) if a.name == "detail Hero")

        await press(pilot, "f12", until=lambda: isinstance(demo_app.screen, QueryLogScreen), what="the query log")
        table = demo_app.screen.query_one("#query-actions", DataTable)
        rows = table_rows(table)
        assert [r[0] for r in rows[:2]] == ["labels one by one", "detail Hero"]  # newest first
        assert rows[0][1] == "6" and rows[0][3] == "N+1? 6× one shape"
        assert all(float(r[2]) >= 0 for r in rows)  # each action's time in ms
        assert rows[1][1] == str(len(detail_action.statements)) and int(rows[1][1]) <= 4
        assert rows[1][3] == ""
        listed = next(r for r in rows if r[0] == "list Hero")
        assert 1 <= int(listed[1]) <= 2 and listed[3] == ""
        assert not any(r[3] for r in rows[1:])
        statements = table_rows(demo_app.screen.query_one("#query-statements", DataTable))
        assert sum(r[2].count("FROM hero WHERE hero.id = ") for r in statements) == 6

        await press(pilot, "f12", until=lambda: isinstance(demo_app.screen, DetailScreen), what="the detail again")


async def test_detail_list_picker_and_links_screens_never_flag_n_plus_one(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        await open_links(pilot, "teams")
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, DetailScreen))
        await press(pilot, "e", until=lambda: form_ready(demo_app))
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, DetailScreen))
        await press(pilot, "escape", until=lambda: isinstance(demo_app.screen, ListScreen))
        actions = list(demo_app.store.log.actions)  # type: ignore[union-attr]
        names = {a.name for a in actions}
        assert {"list Hero", "detail Hero", "related Hero.teams", "link candidates Hero.teams", "get Hero"} <= names
        assert [a.name for a in actions if a.repeated_shapes] == []


# -- titles name records by their labels --------------------------------------------------------


async def test_the_links_editor_and_a_link_rows_detail_are_titled_by_labels(demo_app: AdminApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await open_hero(pilot, "Deadpond")
        await open_links(pilot, "teams")
        assert title(demo_app, "#links-title").startswith("Hero Deadpond · teams (2 linked via heroteamlink)")
        await press(pilot, "escape", "escape", "escape", until=lambda: isinstance(demo_app.screen, ModelsScreen),
                    what="the models")
        await open_model(pilot, "HeroTeamLink")
        await press(pilot, "enter", until=lambda: detail_ready(demo_app), what="a link row's detail")
        heading = title(demo_app, "#detail-title")
        assert "#" not in heading, heading  # not "HeroTeamLink #1, 2"
        fields = detail_fields(demo_app)
        team, hero = (fields[k].split("  → ")[0] for k in ("team_id", "hero_id"))
        assert heading == f"HeroTeamLink · {team} · {hero}"
