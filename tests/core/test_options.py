"""The list, detail, form and export options of `ModelAdmin`, and the startup checks of each
(A001 for unknown fields, A007–A012)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui_admin.core.actions import action
from tui_admin.core.errors import ConfigError
from tui_admin.core.query import ListQuery, SortKey
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.schemas import Mode, find_schemas, form_columns
from tui_admin.core.store import Store
from tui_admin.demo.models import Hero, HeroTeamLink, Team


class HeroAdmin(ModelAdmin, model=Hero):
    column_labels = {"team_id": "Team", "secret_name": "Secret identity"}
    column_formatters = {"name": lambda m, a: getattr(m, a).upper(), "age": lambda m, a: 1 / 0}
    column_default_sort = ("age", True)
    column_details_list = ["name", "age", "teams"]
    form_excluded_columns = ["secret_name"]
    form_readonly_columns = ["name"]
    export_types = ["csv"]
    column_editable_list = ["age", "team_id"]


class TeamAdmin(ModelAdmin, model=Team):
    can_export = False
    column_default_sort = ["headquarters", ("name", True)]


@pytest.fixture
def registry() -> Registry:
    return Registry([HeroAdmin, TeamAdmin, HeroTeamLink])


@pytest.fixture
async def opts_store(demo_url: str, registry: Registry) -> AsyncIterator[Store]:
    async with Store(demo_url, registry) as store:
        yield store


def test_labels_and_formatters(registry: Registry) -> None:
    hero = registry["Hero"]
    assert (hero.label_for("team_id"), hero.label_for("age"), hero.label_for("name")) == ("Team", "age", "name")
    obj = Hero(name="Spider-Boy", secret_name="Pedro", age=16)
    assert hero.formatted(obj, "name") == "SPIDER-BOY"
    assert hero.formatted(obj, "secret_name") is None  # no formatter: shown by its kind
    assert hero.formatted(obj, "age") == "<age: ZeroDivisionError: division by zero>"  # one cell spoiled


def test_details_list_and_export_types(registry: Registry) -> None:
    assert registry["Hero"].details_columns == ["name", "age", "teams"]
    assert registry["Team"].details_columns == ["id", "name", "headquarters"]
    assert (registry["Hero"].export_formats, registry["Team"].export_formats) == (["csv"], [])
    assert registry["HeroTeamLink"].export_formats == ["csv", "json", "jsonl"]


def test_form_excluded_and_readonly_columns(registry: Registry) -> None:
    hero = registry["Hero"]
    schemas = find_schemas(hero)
    # The user's HeroCreate has secret_name, but an excluded column is no form's field.
    assert [c.name for c in form_columns(hero, schemas, Mode.CREATE)] == ["name", "age", "team_id"]
    assert [c.name for c in form_columns(hero, schemas, Mode.UPDATE)] == ["age", "team_id"]


def test_editable_in_list_needs_edit_rights(registry: Registry) -> None:
    assert registry["Hero"].editable_in_list == ["age", "team_id"]

    class NoEdit(ModelAdmin, model=Hero):
        can_edit = False
        column_editable_list = ["age"]

    assert Registry([NoEdit, Team, HeroTeamLink])["Hero"].editable_in_list == []


async def test_default_sort_orders_the_list_and_a_sort_replaces_it(opts_store: Store) -> None:
    page = await opts_store.page(ListQuery("Hero"), limit=20)
    ages = [h.age for h in page.rows if h.age is not None]
    assert ages == sorted(ages, reverse=True) and len(ages) > 3
    by_name = await opts_store.page(ListQuery("Hero", sort=(SortKey("name"),)), limit=20)
    names = [h.name for h in by_name.rows]
    assert names == sorted(names)
    teams = await opts_store.page(ListQuery("Team"), limit=20)
    keys = [(t.headquarters, t.name) for t in teams.rows]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    # Paging follows the default order too: the second page continues the first.
    first = await opts_store.page(ListQuery("Hero"), limit=5)
    rest = await opts_store.page(ListQuery("Hero"), after=first.last, limit=20)
    assert [h.id for h in first.rows + rest.rows] == [h.id for h in page.rows]


def test_export_command_refuses_a_format_the_model_does_not_allow(tmp_path: Path, sqlite_demo: str) -> None:
    (tmp_path / "noexport.py").write_text(
        "from tui_admin.core.registry import ModelAdmin\n"
        "from tui_admin.demo.models import Hero, Team, HeroTeamLink\n\n"
        "class HeroAdmin(ModelAdmin, model=Hero):\n    export_types = ['csv']\n"
        "class TeamAdmin(ModelAdmin, model=Team):\n    can_export = False\n"
    )
    script = Path(sys.executable).parent / "sqladmin-tui"

    def export(model: str, fmt: str) -> subprocess.CompletedProcess[str]:
        argv = [str(script), "export", sqlite_demo, model, "--models", str(tmp_path / "noexport.py"),
                "--format", fmt, "-o", "-"]
        return subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=60)

    refused = export("Hero", "json")
    assert refused.returncode == 2 and "Hero cannot be exported to json (export_types: csv)" in refused.stderr
    assert "can_export is off" in export("Team", "csv").stderr
    done = export("Hero", "csv")
    assert done.returncode == 0 and done.stdout.startswith("id,")


def test_every_option_problem_is_reported_with_its_id() -> None:
    def not_an_action() -> None: ...

    @action()
    def retire() -> None: ...

    class BadHero(ModelAdmin, model=Hero):
        column_labels = {"nmae": "Name"}
        column_formatters = {"age": "upper"}
        column_default_sort = ("agee", True)
        column_details_list = ["teams", "secret"]
        form_excluded_columns = ["secrt_name"]
        column_editable_list = ["id", "name"]
        form_readonly_columns = ["name"]
        export_types = ["csv", "xlsx", "jsnl"]
        actions = [retire, retire, not_an_action]  # type: ignore[list-item]

        def on_model_chage(self, values: dict, model: object, is_created: bool) -> None: ...

    class BadTeam(ModelAdmin, model=Team):
        column_default_sort = 42  # type: ignore[assignment]

    with pytest.raises(ConfigError) as caught:
        Registry([BadHero, BadTeam, HeroTeamLink])
    assert [str(p) for p in caught.value.problems] == [
        "A012 BadHero.on_model_chage: not a hook — did you mean 'on_model_change'?",
        "A001 BadHero.column_labels: unknown field 'nmae' — did you mean 'name'?",
        "A001 BadHero.form_excluded_columns: unknown field 'secrt_name' — did you mean 'secret_name'?",
        "A001 BadHero.column_details_list: unknown field 'secret' — did you mean 'secret_name'?",
        "A007 BadHero.column_default_sort: unknown field 'agee' — did you mean 'age'?",
        "A008 BadHero.column_editable_list: 'id' cannot be edited in place: a key column (changing a key is a "
        "delete and an insert)",
        "A008 BadHero.column_editable_list: 'name' cannot be edited in place: read-only once created "
        "(form_readonly_columns)",
        "A009 BadHero.column_formatters: 'age': expected a function of (record, field name), got str",
        "A010 BadHero.export_types: unknown format 'xlsx'",
        "A010 BadHero.export_types: unknown format 'jsnl' — did you mean 'jsonl'?",
        "A011 BadHero.actions: two actions are named 'retire'",
        f"A011 BadHero.actions: {not_an_action!r} is not an action: decorate it with @action(...)",
        "A007 BadTeam.column_default_sort: expected a field, (field, descending), or a list of those",
    ]
