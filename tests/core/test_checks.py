"""Startup checks: every configuration problem at once, each with its id and a suggestion, and
`sqladmin-tui check` printing them with exit code 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui_admin.core.errors import ConfigError
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.demo.models import Hero, HeroTeamLink, Team


def test_every_problem_is_reported_at_once_with_an_id_and_a_suggestion() -> None:
    class HeroAdmin(ModelAdmin, model=Hero):
        column_list = ["nam", "age", "teams"]  # a relation may be listed
        column_sortable_list = ["team"]  # not a column (a relation)
        column_searchable_list = ["age"]  # not text
        colum_filters = ["age"]  # misspelt option
        label = "titel"
        helper_constant = 3  # an attribute of the user's own: not a problem

    class TeamAdmin(ModelAdmin, model=Team):
        form_columns = ["headquaters"]

    with pytest.raises(ConfigError) as caught:
        Registry([HeroAdmin, TeamAdmin, HeroTeamLink])
    assert [str(p) for p in caught.value.problems] == [
        "A006 HeroAdmin.colum_filters: unknown option — did you mean 'column_filters'?",
        "A001 HeroAdmin.column_list: unknown field 'nam' — did you mean 'name'?",
        "A001 HeroAdmin.column_sortable_list: unknown field 'team' — did you mean 'team_id'?",
        "A004 HeroAdmin.column_searchable_list: 'age' is not text (an integer): search compares text",
        "A002 HeroAdmin.label: unknown field 'titel'",
        "A001 TeamAdmin.form_columns: unknown field 'headquaters' — did you mean 'headquarters'?",
    ]
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


def test_check_command_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "badadmin.py").write_text(
        "from tui_admin.core.registry import ModelAdmin\n"
        "from tui_admin.demo.models import Hero, Team, HeroTeamLink\n\n"
        "class HeroAdmin(ModelAdmin, model=Hero):\n    column_list = ['nam']\n    label = 'titel'\n"
    )
    script = Path(sys.executable).parent / "sqladmin-tui"
    bad = subprocess.run([str(script), "check", "--models", "badadmin"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [
        "A001 HeroAdmin.column_list: unknown field 'nam' — did you mean 'name'?",
        "A002 HeroAdmin.label: unknown field 'titel'",
        "2 problems: sqladmin-tui will not start until they are fixed",
    ]
    good = subprocess.run([str(script), "check", "--models", "tui_admin.demo.models"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert (good.returncode, good.stdout.strip()) == (0, "no problems: 3 models checked")
