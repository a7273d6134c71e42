"""`Store`: the async front over the reads and writes, and the only place that opens sessions.

Each operation is a function of a sync `Session` (`reads`, `writes`), handed to the `Runner`,
which runs it in a thread (sync engine) or in the async session's greenlet (async engine): one
code path for both kinds of engine. Sessions are short (one per operation) and what leaves them
is plain, detached data (`results`); every read takes the model's columns raw (`reading`), so a
relationship the screen did not ask for raises instead of costing a hidden query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tui_admin.core import creation, writes
from tui_admin.core.deletion import DeletePlan
from tui_admin.core.dialects import Backend, backend_for
from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT, make_engine, parse
from tui_admin.core.introspect import ForeignKeyInfo
from tui_admin.core.plans import Plan, check_explainable
from tui_admin.core.query import ListQuery
from tui_admin.core.querylog import QueryLog, Statement
from tui_admin.core.reads import Reading
from tui_admin.core.reflect import map_tables, read_database
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.results import Detail, Labels, LinkChange, LinkDiff, Page, Record, RelatedPage, RelatedRow
from tui_admin.core.runner import Runner

if TYPE_CHECKING:
    from tui_admin.core.doctor import Finding, Limits

__all__ = ["DeletePlan", "Detail", "Labels", "LinkChange", "LinkDiff", "Page", "Record", "RelatedPage", "RelatedRow",
           "Store"]


class Store:
    """Reads and writes of registered models, for the UI and for scripts."""

    def __init__(
        self, url: str | sa.URL, registry: Registry | None = None, *, read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        """`lock_timeout`: seconds a statement waits for another transaction's lock before it
        gives up with a `LockTimeoutError` (nothing written)."""
        self.url = parse(url)
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.log = QueryLog()
        self._registry = registry
        #: This database's rules (connecting, cursor binding, locks, search, errors), learnt
        #: further once connected; those registered for the URL's dialect (see `dialects`).
        self.backend: Backend = backend_for(self.url.get_backend_name())
        engine = make_engine(self.url, read_only=read_only, lock_timeout=lock_timeout, rules=self.backend)
        self._runner = Runner(engine, self.log, read_only=read_only, lock_timeout=lock_timeout, rules=self.backend)
        self.is_async = self._runner.is_async
        self.sync_engine: sa.Engine = self._runner.sync_engine
        self.dialect = self.sync_engine.dialect
        self._reading: Reading | None = None
        #: Run a function of a Session as one logged, cancellable unit of work (see `Runner.run`).
        self._run = self._runner.run

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            raise RuntimeError("no registry yet: pass one, or await Store.reflect() first")
        return self._registry

    def admin(self, name: str) -> ModelAdmin:
        return self.registry[name]

    @property
    def reading(self) -> Reading:
        """The reads of the registry on this database (see `reads`)."""
        if self._reading is None or self._reading.registry is not self.registry:
            self._reading = Reading(self.registry, self.dialect, self.backend)
        return self._reading

    async def dispose(self) -> None:
        await self._runner.dispose()

    async def __aenter__(self) -> Store:
        """`async with Store(url, registry) as store:` disposes of the engine however the block ends."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.dispose()

    # -- reading ------------------------------------------------------------------------------

    async def ping(self) -> None:
        """Fail now, with the driver's reason, if the database cannot be reached."""
        await self._run("connect", lambda s: s.execute(sa.select(1)).all())

    async def reflect(self, schemas: Sequence[str] | None = None) -> Registry:
        """Build the registry from the database's own tables and views (no models given): on
        PostgreSQL those of every user schema, elsewhere those of the URL's database; `schemas`
        narrows it to the schemas named (on MySQL/MariaDB a schema is a database). Views and tables
        without a primary key are read-only (`ModelInfo.read_only` says why)."""
        found = await self._run("reflect", lambda s: read_database(s.connection(), schemas, self.backend))
        reflected = map_tables(found.metadata, self.backend, tables=found.tables, views=found.views,
                               search_path=found.search_path, default_schema=found.default_schema)
        self.skipped_tables = found.skipped + reflected.skipped
        self._registry = Registry(reflected.models, names=reflected.names)
        return self._registry

    async def missing_tables(self, names: Iterable[str]) -> list[str]:
        """The models, of `names`, whose table (or view) the database does not have: registered
        models on a database not created yet (`sqladmin-tui init` creates them), so that the
        models screen can say so instead of failing on every count and every list. The names of
        each schema's tables and views are read once (not one catalog query per table, which
        the query log would rightly flag as N+1)."""
        admins = [self.admin(n) for n in names]

        def absent(session: Any) -> list[str]:
            inspector = sa.inspect(session.connection())
            found: dict[str | None, set[str]] = {}
            for schema in {a.info.source.schema for a in admins}:
                found[schema] = {*inspector.get_table_names(schema), *inspector.get_view_names(schema)}
            return [a.info.name for a in admins if a.info.source.name not in found[a.info.source.schema]]

        return await self._run("look for the tables", absent)

    async def counts(self, names: Iterable[str]) -> dict[str, int]:
        """Row counts of several models in one session (the models screen)."""
        admins = [self.admin(n) for n in names]
        return await self._run("count models", lambda s: self.reading.counts(s, admins))

    async def estimate(self, query: ListQuery) -> int | None:
        """The planner's estimate of an unfiltered table's rows (PostgreSQL's `pg_class.reltuples`),
        instant however large the table; None where the backend has none, or when the table was
        never analysed."""
        admin = self.admin(query.model)
        if (query.search.strip() or query.filters or query.conditions or query.via or query.keys is not None
                or admin.has_hook("list_query")):
            return None
        stmt = self.backend.row_estimate(admin.info.source)
        if stmt is None:
            return None
        value = await self._run(f"estimate {admin.info.name}", lambda s: s.scalar(stmt))
        return int(value) if value is not None and value >= 0 else None

    async def count(self, query: ListQuery) -> int:
        """A plain `count(*)` of the list's rows: no ORDER BY, no subquery."""
        return await self._run(f"count {query.model}", lambda s: self.reading.count(s, query))

    async def page(
        self,
        query: ListQuery,
        *,
        after: Sequence[Any] | None = None,
        start: Sequence[Any] | None = None,
        before: Sequence[Any] | None = None,
        from_end: bool = False,
        limit: int = 100,
        offset: int = 0,
    ) -> Page:
        """`limit` rows after the cursor `after`, from `start` (included), before `before`, the
        last ones (`from_end`), or the first ones; always in list order. Cursors come from a
        page (`Page.cursors`, `first`, `last`): the rows' values as the database returned them.
        `offset` skips that many rows first (OFFSET: "go to row N" only; it reads the rows it skips)."""
        return await self._run(f"list {query.model}", lambda s: self.reading.page(
            s, query, after=after, start=start, before=before, from_end=from_end, limit=limit, offset=offset))

    async def values_page(
        self, query: ListQuery, after: Sequence[Any] | None = None, limit: int = 1000
    ) -> tuple[list[dict[str, Any]], tuple[Any, ...] | None, bool]:
        """A page of the list's rows as plain values (what `export.stream` reads), the cursor of
        its last row, and whether more follow."""
        return await self._run(f"export {query.model}",
                               lambda s: self.reading.values_page(s, query, after=after, limit=limit))

    async def split(self, query: ListQuery, parts: int, at_least: int = 0) -> tuple[int, list[tuple[Any, ...]]]:
        """The list's row count and the cursors that end its first `parts - 1` equal parts (see
        `Reading.split`): where an export in parts cuts it."""
        return await self._run(f"split {query.model}", lambda s: self.reading.split(s, query, parts, at_least))

    async def get(self, name: str, pk: Sequence[Any]) -> Record:
        """The record with key `pk` (what an edit form opens with) and its foreign keys' labels."""
        info = self.admin(name).info
        return await self._run(f"get {info.name}", lambda s: self.reading.record(s, info, pk))

    async def choices(self, fk: ForeignKeyInfo, search: str = "", *, limit: int = 50) -> list[tuple[Any, str]]:
        """(value, label) of the records a foreign key may name, matching `search` on the target's
        searchable fields, ordered by label, at most `limit`: a picker never loads a whole table."""
        target = self.registry.for_table(fk.table)
        name = target.info.name if target is not None else fk.table
        return await self._run(f"choices {name}", lambda s: self.reading.choices(s, fk, search, limit))

    async def detail(self, name: str, pk: Sequence[Any], *, related_limit: int = 10) -> Detail:
        """The record with the records its foreign keys name (joined in the same statement), one
        statement counting every to-many relation, and one LIMIT-ed page per non-empty relation:
        the statement count does not depend on how many rows a relation holds."""
        info = self.admin(name).info
        return await self._run(f"detail {info.name}", lambda s: self.reading.detail(s, info, pk, related_limit))

    async def related(
        self, name: str, pk: Sequence[Any], relation: str, *, after: Sequence[Any] | None = None, limit: int = 100
    ) -> RelatedPage:
        """A page of one relation of one record, with its total."""
        info = self.admin(name).info
        return await self._run(f"related {info.name}.{relation}",
                               lambda s: self.reading.related(s, info, relation, pk, after, limit))

    async def link_candidates(
        self, name: str, pk: Sequence[Any], relation: str, search: str = "", *, limit: int = 50
    ) -> list[Any]:
        """Records that could be linked: matching `search`, not linked yet, at most `limit`."""
        info = self.admin(name).info
        return await self._run(f"link candidates {info.name}.{relation}",
                               lambda s: self.reading.candidates(s, info, relation, pk, search, limit))

    # -- writing ------------------------------------------------------------------------------

    async def create(self, name: str, values: dict[str, Any]) -> tuple[Any, ...]:
        """Insert a record from validated values; return its primary key."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        writes.check_values(self.reading, info, values)
        return await self._run(f"create {info.name}", lambda s: writes.create(s, self.reading, info, values),
                               write=True, landed=lambda s, pk: writes.created(s, info, pk))

    async def update(
        self, name: str, pk: Sequence[Any], changes: dict[str, Any], original: dict[str, Any]
    ) -> None:
        """Write only `changes`, and only if the row still holds the `original` values of those
        columns (optimistic concurrency): otherwise raise `ConflictError` saying what changed.

        The guard reads the row, locked, and compares it with `original` as Python values read
        the same way: exact for every type whatever its stored form (a float8 `Infinity`, a
        latin1 `café`, a SQLite date text without microseconds, a JSON document), where comparing
        in SQL would bind the original in SQLAlchemy's own format. A model with a version column
        (`version_id_col`) is guarded by that column alone, which moves on by one."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        if not changes:
            return
        writes.check_values(self.reading, info, changes)
        await self._run(f"update {info.name}", lambda s: writes.update(s, self.reading, info, pk, changes, original),
                        write=True, landed=lambda s, written: writes.updated(s, self.reading, info, pk, written))

    async def delete_preview(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        """What deleting the record takes with it (link rows, cascades, keys cleared) and what
        blocks it, with the first few rows of each table by name (see `deletion`)."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        return await self._run(f"delete preview {info.name}", lambda s: writes.plan(s, self.reading, info, pk))

    async def delete(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        """Delete the record and its rows in link tables (memberships), in one transaction, as
        `delete_preview` describes it. Refused, with the reason, while other records refer to it."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        return await self._run(f"delete {info.name}", lambda s: writes.delete(s, self.reading, info, pk),
                               write=True, landed=lambda s, _: writes.deleted(s, info, pk))

    async def delete_many_preview(self, name: str, chosen: Sequence[Sequence[Any]] | ListQuery) -> DeletePlan:
        """What deleting the marked keys (or every row a list query matches) takes with it,
        aggregated per table, and what blocks it."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        return await self._run(f"delete preview {info.name}", lambda s: writes.plan_many(s, self.reading, info, chosen))

    async def delete_many(self, name: str, chosen: Sequence[Sequence[Any]] | ListQuery) -> DeletePlan:
        """Delete the marked keys (or every row a list query matches) and their link rows in one
        transaction of set-based statements; refused, naming every blocker, if any row is
        referred to. Cancelling the call stops the statement and rolls back: nothing is deleted."""
        info = self.admin(name).info
        writes.refuse_read_only(info)
        return await self._run(f"delete {info.name}", lambda s: writes.delete_many(s, self.reading, info, chosen),
                               write=True, landed=lambda s, _: writes.deleted_many(s, self.reading, info, chosen))

    async def apply_links(self, name: str, pk: Sequence[Any], relation: str, diff: LinkDiff) -> None:
        """Apply a link edit as a diff, in one transaction: delete the removed link rows, update the
        changed ones (only if they still hold what was loaded), insert the added ones. If any
        statement fails or finds its row gone, nothing is applied and the error says which link."""
        edit = writes.LinkEdit(self.reading, self.admin(name).info, relation, pk)
        if diff:
            await self._run(f"links {name}.{relation}", lambda s: edit.apply(s, diff), write=True,
                            landed=lambda s, _: edit.applied(s, diff))

    async def run_action(
        self, name: str, action: str, keys: Sequence[Sequence[Any]] | None = None, query: ListQuery | None = None
    ) -> Any:
        """Run the model's action `action` (see `ModelAdmin.actions`) on the rows with primary keys
        `keys` (the marked rows) or on every row `query` matches (all matching: its search, filters
        and `list_query` scope), in one transaction; what the action returns. An action that raises
        writes nothing."""
        admin = self.admin(name)
        act = admin.action_named(action)
        writes.refuse_read_only(admin.info)
        if (keys is None) == (query is None):
            raise ValueError("give the rows as keys or as a query, not both nor neither")
        return await self._run(f"action {name}.{action}",
                               lambda s: writes.run_action(s, self.reading, admin.info, act, keys, query), write=True)

    # -- creating what the models need ----------------------------------------------------------

    async def create_missing(self) -> list[str]:
        """Create the registered models' tables that the database lacks (never altering or
        dropping one that exists); return their names. Refused when read-only."""
        registry = self.registry
        return await self._run("create tables", lambda s: creation.create_missing(s, registry), write=True,
                               landed=lambda s, _: creation.created(s, registry))

    async def load_rows(self, names: Sequence[str], inserts: list[str]) -> creation.Loaded:
        """Run `inserts` (SQL with explicit keys) into the tables of the models `names`, only if
        all are empty, and move their key sequences past the keys inserted."""
        tables = [self.admin(n).info.source for n in names]
        return await self._run("load rows", lambda s: creation.load_rows(s.connection(), tables, inserts), write=True,
                               landed=lambda s, _: creation.not_empty(s, tables))

    # -- the query log's questions ------------------------------------------------------------

    async def explain(self, statement: Statement) -> Plan:
        """The plan of a statement of the query log, with the parameters it was sent with, full
        scans marked (see `plans`). Read-only: EXPLAIN never runs the statement, and the session
        is rolled back; a statement without a plan raises `NoPlanError`."""
        check_explainable(statement.sql)
        lines = await self._run("explain", lambda s: self.backend.explain(
            s.connection(), statement.sql, statement.parameters))
        return Plan(statement.sql, tuple(lines))

    @property
    def connections_in_use(self) -> int | None:
        """Connections checked out of the engine's pool now: between operations, none. More, and
        growing, is a leak (a session or connection never closed, by a hook or a script). None:
        the pool does not count them."""
        checked_out = getattr(self.sync_engine.pool, "checkedout", None)
        return int(checked_out()) if callable(checked_out) else None

    # -- the doctor ---------------------------------------------------------------------------

    async def diagnose(
        self, *, models: bool = True, module: ModuleType | None = None, limits: Limits | None = None
    ) -> list[Finding]:
        """The doctor's findings on the registry and this database (see `doctor.diagnose`): read
        only, in one session. `models`: the registry is the user's models, not reflected ones."""
        from tui_admin.core.doctor import diagnose  # the doctor's checks load only when asked for

        registry = self._registry
        return await self._run(
            "doctor", lambda s: diagnose(s.connection(), registry, models=models, module=module, limits=limits)
        )
