"""The doctor's checks on the models: each rule found once where `bad_models` breaks it, nowhere
on the demo, and an index fix that, run on the database, answers the finding."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.doctor import bad_models
from tui_admin import demo
from tui_admin.core.doctor import Severity
from tui_admin.core.doctor.models import check_models
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store

SYNC_ENGINES = ["sqlite", "postgresql+psycopg", "mysql+pymysql"]


@pytest.fixture
def bad_registry() -> Registry:
    return Registry.from_module(bad_models)


def test_each_rule_is_found_where_it_is_broken(bad_registry: Registry) -> None:
    findings = check_models(bad_registry, sa.create_engine("sqlite://").dialect, bad_models)
    assert sorted((f.id, f.where) for f in findings) == [
        ("M001", "Pet.owner_id"),
        ("M002", "PetTag.tag_id"),
        ("M003", "Pet.owner"),
        ("M004", "Vet.patients"),
        ("M005", "Owner"),
        ("M006", "Pet.owner_id"),
        ("M007", "Owner.name"),
        ("M008", "PetTag.note"),
        ("M009", "tests.doctor.bad_models.engine"),
        ("M010", "tests.doctor.bad_models.engine"),
    ]
    by_id = {f.id: f for f in findings}
    assert by_id["M006"].severity is Severity.ERROR
    assert by_id["M001"].fix.startswith("CREATE INDEX ix_doc_pet_owner_id ON doc_pet (owner_id);")
    assert "OwnerCreate, OwnerUpdate" in by_id["M005"].fix


def test_reflected_tables_get_the_index_rules_only(bad_registry: Registry) -> None:
    findings = check_models(bad_registry, sa.create_engine("sqlite://").dialect, conventions=False)
    assert sorted(f.id for f in findings) == ["M001", "M002"]


def test_the_index_ddl_run_on_the_database_answers_the_finding(tmp_path, bad_registry: Registry) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pets.db'}")
    bad_models.REGISTRY.metadata.create_all(engine)
    with engine.begin() as conn:
        before = {f.id: f for f in check_models(bad_registry, conn.dialect, conventions=False, connection=conn)}
        assert set(before) == {"M001", "M002"}
        for finding in before.values():
            conn.exec_driver_sql(finding.fix.split(";")[0])
        assert check_models(bad_registry, conn.dialect, conventions=False, connection=conn) == []
    engine.dispose()


@pytest.mark.parametrize("engine_name", SYNC_ENGINES)
async def test_the_demo_on_a_fresh_demo_database_reports_nothing(demo_url: str, demo_registry: Registry) -> None:
    store = Store(demo_url, demo_registry, read_only=True)
    try:
        findings = await store.diagnose(module=__import__(demo.MODELS_MODULE, fromlist=["_"]))
    finally:
        await store.dispose()
    assert findings == []


async def test_the_demo_built_from_sample_sql_reports_nothing(sqlite_demo: str, demo_registry: Registry) -> None:
    store = Store(sqlite_demo, demo_registry, read_only=True)
    try:
        assert await store.diagnose() == []
        reflected = Store(sqlite_demo, read_only=True)
        await reflected.reflect()
        assert await reflected.diagnose(models=False) == []
        await reflected.dispose()
    finally:
        await store.dispose()
