"""Create, update and delete through the Store on every engine: round trips, validation that writes
nothing, updates of only the changed columns, optimistic concurrency, and deletes that take the
record's link rows with them in one transaction or are refused while others refer to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tui_admin.core.errors import ConflictError, NotFoundError, WriteError
from tui_admin.core.schemas import Mode, ValidationFailed, find_schemas, parse_form, to_form_value
from tui_admin.core.store import Store

from .helpers import count_rows, rows

RUSTY = {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1}


def _set(engine: sa.Engine, sql: str) -> None:
    """Someone else's write, outside the Store."""
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)


# -- create -----------------------------------------------------------------------------------


async def test_create_from_form_round_trips(store: Store, check_db: sa.Engine) -> None:
    admin = store.admin("Hero")
    raw = {"name": "Nova", "secret_name": "Nora Vale", "age": "27", "team_id": 3}
    pk = await store.create("Hero", parse_form(admin, find_schemas(admin), Mode.CREATE, raw))
    assert pk == (16,)
    record = await store.get("Hero", pk)
    assert (record.obj.name, record.obj.secret_name, record.obj.age, record.obj.team_id) == ("Nova", "Nora Vale", 27, 3)
    assert record.labels == {"team_id": {3: "Wakaland"}}
    assert rows(check_db, "SELECT name, age, team_id FROM hero WHERE id = 16") == [("Nova", 27, 3)]
    assert count_rows(check_db, "hero") == 16


async def test_create_link_with_default_role(store: Store, check_db: sa.Engine) -> None:
    admin = store.admin("HeroTeamLink")
    values = parse_form(admin, find_schemas(admin), Mode.CREATE, {"team_id": 4, "hero_id": 6, "role": ""})
    assert await store.create("HeroTeamLink", values) == (4, 6)
    assert rows(check_db, "SELECT role FROM heroteamlink WHERE team_id = 4 AND hero_id = 6") == [("member",)]


async def test_created_record_gets_a_fresh_key_after_the_sample_ids(store: Store) -> None:
    first = await store.create("Team", {"name": "New A", "headquarters": "Here"})
    second = await store.create("Team", {"name": "New B", "headquarters": "There"})
    assert first == (6,)
    assert second == (7,)


# -- validation writes nothing -----------------------------------------------------------------


async def test_invalid_create_form_writes_nothing(store: Store, check_db: sa.Engine) -> None:
    admin = store.admin("Hero")
    before = count_rows(check_db, "hero")
    raw = {"name": "Bad", "secret_name": "", "age": "-4", "team_id": None}
    with pytest.raises(ValidationFailed) as caught:
        await store.create("Hero", parse_form(admin, find_schemas(admin), Mode.CREATE, raw))
    assert set(caught.value.errors) == {"secret_name", "age"}
    assert count_rows(check_db, "hero") == before
    assert count_rows(check_db, "hero", "name = 'Bad'") == 0


async def test_invalid_update_form_writes_nothing(store: Store, check_db: sa.Engine) -> None:
    admin = store.admin("Hero")
    cols = admin.info.columns
    raw = {n: to_form_value(cols[n], v) for n, v in RUSTY.items()}
    with pytest.raises(ValidationFailed):
        changes = parse_form(admin, find_schemas(admin), Mode.UPDATE, {**raw, "name": "Rusty", "age": "x"}, RUSTY)
        await store.update("Hero", (3,), changes, RUSTY)
    assert rows(check_db, "SELECT name, age FROM hero WHERE id = 3") == [("Rusty-Man", 48)]


async def test_update_without_changes_sends_no_statement(store: Store) -> None:
    actions_before = len(store.log.actions)
    await store.update("Hero", (3,), {}, RUSTY)
    assert len(store.log.actions) == actions_before  # not even a session was opened


# -- update -----------------------------------------------------------------------------------


async def test_update_round_trips(store: Store, check_db: sa.Engine) -> None:
    await store.update("Hero", (3,), {"name": "Rusty-Man II", "age": None, "team_id": 2}, RUSTY)
    obj = (await store.get("Hero", (3,))).obj
    assert (obj.name, obj.secret_name, obj.age, obj.team_id) == ("Rusty-Man II", "Tommy Sharp", None, 2)
    assert rows(check_db, "SELECT name, age, team_id FROM hero WHERE id = 3") == [("Rusty-Man II", None, 2)]


async def test_update_writes_only_the_changed_columns(store: Store, check_db: sa.Engine) -> None:
    # Someone renames the secret identity after our form opened; our form changes only the age.
    _set(check_db, "UPDATE hero SET secret_name = 'Tom S.' WHERE id = 3")
    await store.update("Hero", (3,), {"age": 49}, RUSTY)
    assert rows(check_db, "SELECT name, secret_name, age FROM hero WHERE id = 3") == [("Rusty-Man", "Tom S.", 49)]
    update_sql = [s.sql for s in store.log.actions[-1].statements if s.sql.lstrip().upper().startswith("UPDATE")]
    assert len(update_sql) == 1
    set_clause = update_sql[0].upper().split(" SET ")[1].split(" WHERE ")[0]
    assert "AGE" in set_clause
    assert "SECRET_NAME" not in set_clause and "NAME" not in set_clause.replace("SECRET_NAME", "")


async def test_update_with_stale_original_is_a_conflict(store: Store, check_db: sa.Engine) -> None:
    _set(check_db, "UPDATE hero SET age = 50 WHERE id = 3")
    with pytest.raises(ConflictError) as caught:
        await store.update("Hero", (3,), {"age": 49, "name": "Rusty"}, RUSTY)
    assert caught.value.changes == {"age": (48, 50)}  # only what really moved is listed
    assert rows(check_db, "SELECT name, age FROM hero WHERE id = 3") == [("Rusty-Man", 50)]


async def test_conflict_on_null_original(store: Store, check_db: sa.Engine) -> None:
    # Deadpond's age is NULL in the sample; someone sets it before we save ours.
    deadpond = {"name": "Deadpond", "secret_name": "Dive Wilson", "age": None, "team_id": 2}
    _set(check_db, "UPDATE hero SET age = 30 WHERE id = 1")
    with pytest.raises(ConflictError) as caught:
        await store.update("Hero", (1,), {"age": 31}, deadpond)
    assert caught.value.changes == {"age": (None, 30)}
    assert rows(check_db, "SELECT age FROM hero WHERE id = 1") == [(30,)]


async def test_update_from_null_original_succeeds(store: Store, check_db: sa.Engine) -> None:
    deadpond = {"name": "Deadpond", "secret_name": "Dive Wilson", "age": None, "team_id": 2}
    await store.update("Hero", (1,), {"age": 31}, deadpond)
    assert rows(check_db, "SELECT age FROM hero WHERE id = 1") == [(31,)]


async def test_update_of_link_role_by_composite_key(store: Store, check_db: sa.Engine) -> None:
    await store.update("HeroTeamLink", (1, 3), {"role": "reserve"}, {"role": "lead"})
    assert rows(check_db, "SELECT role FROM heroteamlink WHERE team_id = 1 AND hero_id = 3") == [("reserve",)]
    assert count_rows(check_db, "heroteamlink", "role = 'reserve'") == 7  # 6 in the sample


async def test_update_of_deleted_record_is_not_found(store: Store, check_db: sa.Engine) -> None:
    _set(check_db, "DELETE FROM heroteamlink WHERE hero_id = 14")
    _set(check_db, "DELETE FROM hero WHERE id = 14")
    with pytest.raises(NotFoundError):
        await store.update("Hero", (14,), {"age": 1}, {"age": None})
    assert count_rows(check_db, "hero") == 14


# -- delete -----------------------------------------------------------------------------------


async def test_delete_preview_of_hero_lists_its_links(store: Store) -> None:
    plan = await store.delete_preview("Hero", (1,))
    assert plan.label == "Deadpond"
    assert plan.links == [("heroteamlink", 2)]
    assert plan.blockers == [] and plan.cascades == []
    assert plan.allowed


async def test_delete_preview_of_team_lists_blockers_and_links(store: Store) -> None:
    plan = await store.delete_preview("Team", (1,))
    assert plan.label == "Preventers"
    assert plan.blockers == [("hero", "team_id", 4)]
    assert plan.links == [("heroteamlink", 5)]
    assert not plan.allowed


async def test_delete_preview_of_unreferenced_record(store: Store) -> None:
    pk = await store.create("Team", {"name": "Loners", "headquarters": "Nowhere"})
    plan = await store.delete_preview("Team", pk)
    assert (plan.label, plan.links, plan.blockers, plan.allowed) == ("Loners", [], [], True)


async def test_delete_preview_of_missing_record_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        await store.delete_preview("Hero", (999,))


async def test_delete_hero_removes_its_links(store: Store, check_db: sa.Engine) -> None:
    plan = await store.delete("Hero", (1,))
    assert plan.links == [("heroteamlink", 2)]
    assert count_rows(check_db, "hero", "id = 1") == 0
    assert count_rows(check_db, "heroteamlink", "hero_id = 1") == 0
    assert count_rows(check_db, "heroteamlink") == 18  # only Deadpond's two memberships
    assert count_rows(check_db, "hero") == 14
    with pytest.raises(NotFoundError):
        await store.get("Hero", (1,))


async def test_delete_referenced_team_is_refused_and_deletes_nothing(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(WriteError, match="Preventers is still referred to by 4 hero"):
        await store.delete("Team", (1,))
    assert count_rows(check_db, "team") == 5
    assert count_rows(check_db, "heroteamlink", "team_id = 1") == 5  # its links were not removed either
    assert count_rows(check_db, "hero", "team_id = 1") == 4


async def test_delete_team_with_only_links_removes_them(store: Store, check_db: sa.Engine) -> None:
    pk = await store.create("Team", {"name": "Pop-up", "headquarters": "Tent"})
    await store.create("HeroTeamLink", {"team_id": pk[0], "hero_id": 6, "role": "lead"})
    plan = await store.delete("Team", pk)
    assert plan.links == [("heroteamlink", 1)]
    assert count_rows(check_db, "team") == 5
    assert count_rows(check_db, "heroteamlink") == 20


async def test_delete_of_missing_record_is_not_found(store: Store, check_db: sa.Engine) -> None:
    with pytest.raises(NotFoundError):
        await store.delete("Hero", (999,))
    assert count_rows(check_db, "hero") == 15


@pytest.fixture
def sidekicks(store: Store, check_db: sa.Engine) -> Iterator[None]:
    """A table outside the models that refers to hero 1: the Store cannot see it coming, so the
    database refuses the delete only after the hero's links were already deleted."""
    _set(check_db, "DROP TABLE IF EXISTS core_test_sidekick")
    _set(
        check_db,
        "CREATE TABLE core_test_sidekick (id INTEGER NOT NULL PRIMARY KEY, hero_id INTEGER NOT NULL, "
        "FOREIGN KEY (hero_id) REFERENCES hero (id))",
    )
    try:
        _set(check_db, "INSERT INTO core_test_sidekick (id, hero_id) VALUES (1, 1)")
        yield
    finally:
        _set(check_db, "DROP TABLE core_test_sidekick")


async def test_refused_delete_rolls_back_the_link_rows_too(
    store: Store, check_db: sa.Engine, sidekicks: None
) -> None:
    with pytest.raises(WriteError):
        await store.delete("Hero", (1,))
    assert count_rows(check_db, "hero", "id = 1") == 1
    assert count_rows(check_db, "heroteamlink", "hero_id = 1") == 2  # same transaction: restored
    assert (await store.get("Hero", (1,))).obj.name == "Deadpond"
