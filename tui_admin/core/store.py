"""`Store`: the only place that opens sessions.

Each operation is written once, as a function of a sync `Session`, and handed to the `Runner`,
which runs it in a thread (sync engine) or in the async session's greenlet (async engine): one
code path for both kinds of engine. Sessions are short (one per operation), objects leave
detached and fully loaded (`expire_on_commit=False`), and every query sets `raiseload("*")` so a
relationship the screen did not ask for raises instead of costing a hidden query.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core.deletion import DeletePlan, plan_delete
from tui_admin.core.dialects import Backend, backend, raw_param
from tui_admin.core.engine import DEFAULT_LOCK_TIMEOUT, make_engine, mask, parse
from tui_admin.core.errors import ConflictError, NotFoundError, ReadOnlyError, WriteError, explain
from tui_admin.core.introspect import (
    ColumnInfo,
    ForeignKeyInfo,
    Kind,
    ModelInfo,
    RelationInfo,
    column_info,
    format_pk,
    table_key,
)
from tui_admin.core.query import ListQuery, count_select, cursor_of, page_select, search_condition
from tui_admin.core.querylog import QueryLog
from tui_admin.core.reading import Reader, Unreadable, same_value
from tui_admin.core.reflect import map_tables, read_database
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.related import (
    candidates_select,
    detail_relations,
    link_table,
    parent_values,
    related_count,
    related_select,
)
from tui_admin.core.results import Detail, Labels, LinkChange, LinkDiff, Page, Record, RelatedPage, RelatedRow
from tui_admin.core.runner import Runner

__all__ = ["DeletePlan", "Detail", "Labels", "LinkChange", "LinkDiff", "Page", "Record", "RelatedPage", "RelatedRow",
           "Store"]

T = TypeVar("T")


def _pk_condition(info: ModelInfo, pk: Sequence[Any]) -> sa.ColumnElement[bool]:
    if len(pk) != len(info.primary_key):
        raise NotFoundError(f"{info.name}: a key has {len(info.primary_key)} part(s), got {len(pk)}")
    # The key of a keyless table's row is its columns (and a number): any of them may be NULL.
    return sa.and_(*(
        info.columns[n].column.is_(None) if v is None
        else info.columns[n].column == (raw_param(v.raw) if isinstance(v, Unreadable) else v)
        for n, v in zip(info.primary_key, pk, strict=True)
    ))


def _refuse_read_only(info: ModelInfo) -> None:
    """A view or a table without a primary key is shown, never written: none of its rows can be
    told apart by a key, so an UPDATE or DELETE could reach rows other than the one shown."""
    if info.read_only is not None:
        raise ReadOnlyError(f"{info.name} is read-only ({info.read_only}): nothing can be written to it")


def _landed_as_written(col: ColumnInfo, stored: Any, written: Any) -> bool:
    """A value read back is the one written: MySQL's 4-byte FLOAT hands back its shortest decimal
    text, which is within single precision of the value written, not equal to it."""
    if same_value(stored, written):
        return True
    if col.kind is Kind.FLOAT and isinstance(stored, int | float) and isinstance(written, int | float):
        return math.isclose(stored, written, rel_tol=1e-6)
    return False


def _labelled(value: Any) -> bool:
    """A foreign-key value that can name a record (not NULL, not an unreadable cell)."""
    return value is not None and not isinstance(value, Unreadable)


def _moved(current: Any, original: dict[str, Any], names: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """The columns whose value is no longer the one read when the edit began: (then, now)."""
    return {
        n: (original.get(n), getattr(current, n))
        for n in names
        if not same_value(original.get(n), getattr(current, n))
    }


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
        self.log = QueryLog()
        self._registry = registry
        engine = make_engine(self.url, read_only=read_only, lock_timeout=lock_timeout)
        self._runner = Runner(engine, self.log, read_only=read_only, lock_timeout=lock_timeout)
        self.is_async = self._runner.is_async
        self.sync_engine: sa.Engine = self._runner.sync_engine
        self.dialect = self.sync_engine.dialect
        #: This database's rules (cursor binding, locks, search), learnt further once connected.
        self.backend: Backend = backend(self.dialect)
        sa.event.listen(self.sync_engine, "first_connect", self.backend.learn)
        self._readers: dict[tuple[str, str], Reader] = {}
        #: Run a function of a Session as one logged, cancellable unit of work (see `Runner.run`).
        self._run = self._runner.run

    @property
    def masked_url(self) -> str:
        return mask(self.url)

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            raise RuntimeError("no registry yet: pass one, or await Store.reflect() first")
        return self._registry

    def admin(self, name: str) -> ModelAdmin:
        return self.registry[name]

    def _reader(self, info: ModelInfo, prefix: str = "c", table: Any = None) -> Reader:
        """The reader of a model's raw columns (of `table`, an alias of its table, when given)."""
        if table is not None:
            return Reader(info, self.dialect, prefix=prefix, table=table)
        key = (info.name, prefix)
        if key not in self._readers:
            self._readers[key] = Reader(info, self.dialect, prefix=prefix)
        return self._readers[key]

    def _fetch(self, session: Session, info: ModelInfo, stmt: sa.Select[Any], offset: int = 0) -> list[Any]:
        """(object, raw values, row) of each row of a statement selecting the model's raw columns."""
        return self._reader(info).rows(session.execute(stmt), offset)  # type: ignore[arg-type]

    async def dispose(self) -> None:
        await self._runner.dispose()

    # -- running operations -------------------------------------------------------------------

    def _check_values(self, info: ModelInfo, values: dict[str, Any]) -> None:
        """Refuse, before writing, a value the database would store as another one."""
        errors = {
            name: reason
            for name, value in values.items()
            if name in info.columns and (reason := self.backend.refusal(info.columns[name], value))
        }
        if errors:
            raise WriteError("Not saved: " + "; ".join(f"{n}: {r}" for n, r in errors.items()), errors)

    def _write(self, session: Session, info: ModelInfo, statement: Callable[[], T]) -> T:
        """Run a write; a constraint violation rolls back and becomes a `WriteError`."""
        try:
            return statement()
        except sa.exc.DBAPIError as exc:
            session.rollback()
            if exc.connection_invalidated:
                raise WriteError(
                    "The connection to the database was lost: the change was NOT saved", {}
                ) from None
            raise explain(exc, info) from None

    # -- reading ------------------------------------------------------------------------------

    async def ping(self) -> None:
        """Fail now, with the driver's reason, if the database cannot be reached."""
        await self._run("connect", lambda s: s.execute(sa.select(1)).all())

    async def reflect(self, schemas: Sequence[str] | None = None) -> Registry:
        """Build the registry from the database's own tables and views (no models given): on
        PostgreSQL those of every user schema, elsewhere those of the URL's database; `schemas`
        narrows it to the schemas named (on MySQL/MariaDB a schema is a database). Views and tables
        without a primary key are read-only (`ModelInfo.read_only` says why)."""
        found = await self._run("reflect", lambda s: read_database(s.connection(), schemas))
        reflected = map_tables(found.metadata, self.dialect, tables=found.tables, views=found.views,
                               search_path=found.search_path, default_schema=found.default_schema)
        self.skipped_tables = found.skipped + reflected.skipped
        self._registry = Registry(reflected.models, names=reflected.names)
        return self._registry

    async def counts(self, names: Iterable[str]) -> dict[str, int]:
        """Row counts of several models in one session (the models screen)."""
        admins = [self.admin(n) for n in names]

        def run(session: Session) -> dict[str, int]:
            return {
                # the table itself, not a keyless table's numbering of its rows (see reflect)
                a.info.name: session.scalar(sa.select(sa.func.count()).select_from(a.info.source)) or 0
                for a in admins
            }

        return await self._run("count models", run)

    def _parent(self, query: ListQuery) -> ModelInfo | None:
        return self.admin(query.via.model).info if query.via is not None else None

    async def estimate(self, query: ListQuery) -> int | None:
        """PostgreSQL's planner estimate of an unfiltered table's rows (`pg_class.reltuples`),
        instant however large the table; None elsewhere, or when the table was never analysed."""
        admin = self.admin(query.model)
        if self.dialect.name != "postgresql" or query.search.strip() or query.filters or query.via:
            return None
        source = admin.info.source
        # By name and schema, not `to_regclass(text)`: that would parse the name as SQL, folding
        # `Mixed` to `mixed` (another table's figure) and refusing a name with a space.
        stmt = sa.text(
            "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = :name AND n.nspname = coalesce(:schema, current_schema()) "
            "AND c.relkind IN ('r', 'p', 'm')"
        )
        params = {"name": source.name, "schema": source.schema}
        value = await self._run(f"estimate {admin.info.name}", lambda s: s.scalar(stmt, params))
        return int(value) if value is not None and value >= 0 else None

    async def count(self, query: ListQuery) -> int:
        admin = self.admin(query.model)
        stmt = count_select(admin, query, self.dialect, self._parent(query))
        return await self._run(f"count {admin.info.name}", lambda s: s.scalar(stmt) or 0)

    async def page(
        self,
        query: ListQuery,
        *,
        after: Sequence[Any] | None = None,
        start: Sequence[Any] | None = None,
        before: Sequence[Any] | None = None,
        from_end: bool = False,
        limit: int = 100,
    ) -> Page:
        """`limit` rows after the cursor `after`, from `start` (included), before `before`, the
        last ones (`from_end`), or the first ones; always in list order. Cursors come from a
        page (`Page.cursors`, `first`, `last`): the rows' values as the database returned them."""
        admin = self.admin(query.model)
        info = admin.info
        backwards = before is not None or from_end
        reader = self._reader(info)
        stmt = page_select(
            admin, query, self.backend, reader.columns, after=after, start=start, before=before, from_end=from_end,
            limit=limit + 1, parent=self._parent(query),
        )
        # A to-one relation column shows the label of its foreign key; a to-many one a count,
        # computed in the page's own statement by a correlated count on the indexed key.
        fk_fields = {n for n in admin.list_columns if n in info.columns and info.columns[n].foreign_key is not None}
        counted: list[RelationInfo] = []
        for name in admin.list_columns:
            rel = info.relationships.get(name)
            target = self.registry.for_table(rel.target_table) if rel is not None else None
            if rel is None or target is None:
                continue
            if rel.to_many:
                correlated = {key: info.columns[key].column for key, _ in rel.parent_pairs}
                stmt = stmt.add_columns(related_count(rel, correlated, target.info).label(f"count_{name}"))
                counted.append(rel)
            elif len(rel.local_columns) == 1:
                fk_fields.add(rel.local_columns[0])
        width = len(reader.columns)

        def run(session: Session) -> Page:
            result = self._fetch(session, info, stmt)
            has_more = len(result) > limit
            result = result[:limit]
            if backwards:
                result.reverse()
            rows = [obj for obj, _, _ in result]
            counts = {
                rel.name: {info.pk_of(obj): row[width + i] for obj, _, row in result} for i, rel in enumerate(counted)
            }
            raws = [stored for _, stored, _ in result]
            cursors = [cursor_of(admin, query, stored) for stored in raws]
            labels = self._labels(session, info, rows, sorted(fk_fields))
            first, last = (cursors[0], cursors[-1]) if cursors else (None, None)
            return Page(rows, labels, has_more, first, last, counts, cursors, raws)

        return await self._run(f"list {admin.info.name}", run)

    def _one(
        self, session: Session, info: ModelInfo, pk: Sequence[Any], *, lock: bool = False
    ) -> tuple[Any, dict[str, Any]]:
        """The record and its raw values (locked until the transaction ends, with `lock`)."""
        stmt = sa.select(*self._reader(info).columns).select_from(info.table).where(_pk_condition(info, pk))
        found = self._fetch(session, info, self.backend.lock(stmt) if lock else stmt)
        if not found:
            raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
        obj, stored, _ = found[0]
        return obj, stored

    async def get(self, name: str, pk: Sequence[Any]) -> Record:
        info = self.admin(name).info
        fk_fields = [c.name for c in info.columns.values() if c.foreign_key is not None]

        def run(session: Session) -> Record:
            obj, stored = self._one(session, info, pk)
            return Record(obj, self._labels(session, info, [obj], fk_fields), stored)

        return await self._run(f"get {info.name}", run)

    async def choices(self, fk: ForeignKeyInfo, search: str = "", *, limit: int = 50) -> list[tuple[Any, str]]:
        """(value, label) of the records a foreign key may name, matching `search` on the target's
        searchable fields, ordered by label, at most `limit`: a picker never loads a whole table."""
        target = self.registry.for_table(fk.table)
        if target is None:
            return []
        info = target.info
        key = next(c for c in info.columns.values() if c.column.name == fk.column)
        order = [info.columns[n].column for n in (info.label_field, *info.primary_key) if n]
        stmt = sa.select(*self._reader(info).columns).select_from(info.table).order_by(*order).limit(limit)
        condition = search_condition(target, search, self.backend)
        if condition is not None:
            stmt = stmt.where(condition)

        def run(session: Session) -> list[tuple[Any, str]]:
            return [(getattr(obj, key.name), info.label(obj)) for obj, _, _ in self._fetch(session, info, stmt)]

        return await self._run(f"choices {info.name}", run)

    def _labels(self, session: Session, info: ModelInfo, rows: Sequence[Any], fields: Iterable[str]) -> Labels:
        """Labels of the records that the rows' foreign keys name: one query per referenced
        table, however many rows and however many keys point at it (owner_id, created_by_id)."""
        wanted: dict[tuple[str, str], list[str]] = {}  # (table, column) → the FK fields naming it
        for name in fields:
            fk = info.columns[name].foreign_key
            if fk is not None and self.registry.for_table(fk.table) is not None:
                wanted.setdefault((fk.table, fk.column), []).append(name)
        labels: Labels = {name: {} for names in wanted.values() for name in names}
        for (table, column), names in wanted.items():
            values = {v for r in rows for name in names if _labelled(v := getattr(r, name))}
            if not values:
                continue
            tinfo = self.registry.for_table(table).info  # type: ignore[union-attr]
            key_attr = next(c.name for c in tinfo.columns.values() if c.column.name == column)
            stmt = sa.select(*self._reader(tinfo).columns).select_from(tinfo.table).where(
                tinfo.columns[key_attr].column.in_(values))
            found = {getattr(obj, key_attr): tinfo.label(obj) for obj, _, _ in self._fetch(session, tinfo, stmt)}
            for name in names:
                labels[name] = {v: found[v] for r in rows if _labelled(v := getattr(r, name)) and v in found}
        return labels

    # -- writing ------------------------------------------------------------------------------

    async def create(self, name: str, values: dict[str, Any]) -> tuple[Any, ...]:
        """Insert a record from validated values; return its primary key."""
        info = self.admin(name).info
        _refuse_read_only(info)
        self._check_values(info, values)

        def run(session: Session) -> tuple[Any, ...]:
            obj = info.model(**values)
            session.add(obj)
            self._write(session, info, session.flush)
            return info.pk_of(obj)

        def landed(session: Session, pk: tuple[Any, ...]) -> bool:
            """The key was given out by the flush; the row exists only if the COMMIT landed."""
            return session.execute(sa.select(sa.literal(1)).where(_pk_condition(info, pk))).first() is not None

        return await self._run(f"create {info.name}", run, write=True, landed=landed)

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
        _refuse_read_only(info)
        if not changes:
            return
        self._check_values(info, changes)
        values = {info.columns[n].column: v for n, v in changes.items()}
        version = info.version_column
        still: list[sa.ColumnElement[bool]] = []
        if version is not None:
            guarded = [version]
            values[info.columns[version].column] = original[version] + 1
            # The version is an integer the Store keeps: comparing it in SQL too is exact, and
            # keeps the UPDATE itself guarded, as SQLAlchemy's own `version_id_col` does.
            still.append(info.columns[version].column == original[version])
        else:
            guarded = list(changes)
        label = f"{info.name} #{format_pk(tuple(pk))}"

        def run(session: Session) -> None:
            self._write(session, info, lambda: self.backend.begin_guarded(session))
            try:
                current, _ = self._write(session, info, lambda: self._one(session, info, pk, lock=True))
            except NotFoundError:
                raise NotFoundError(f"{label} was deleted meanwhile: nothing was saved") from None
            moved = _moved(current, original, dict.fromkeys([*changes, *guarded]))
            if any(n in moved for n in guarded):
                session.rollback()
                raise ConflictError(f"{label} was changed by someone else since you opened it: nothing was saved",
                                    moved)
            stmt = sa.update(info.table).where(_pk_condition(info, pk), *still).values(values)
            if self._write(session, info, lambda: session.execute(stmt)).rowcount != 1:
                session.rollback()
                raise NotFoundError(f"{label} was deleted meanwhile: nothing was saved")

        def landed(session: Session, _: None) -> bool:
            obj, _ = self._one(session, info, pk)
            return all(_landed_as_written(info.columns[n], getattr(obj, n), v) for n, v in changes.items())

        await self._run(f"update {info.name}", run, write=True, landed=landed)

    def _plan_delete(self, session: Session, info: ModelInfo, pk: Sequence[Any]) -> DeletePlan:
        obj, _ = self._one(session, info, pk)
        return plan_delete(session, info.table, _pk_condition(info, pk), info.label(obj))

    async def delete_preview(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        info = self.admin(name).info
        _refuse_read_only(info)
        return await self._run(f"delete preview {info.name}", lambda s: self._plan_delete(s, info, pk))

    async def delete(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        """Delete the record and its rows in link tables (memberships), in one transaction, as
        `delete_preview` describes it. Refused, with the reason, while other records refer to it."""
        info = self.admin(name).info
        _refuse_read_only(info)

        def run(session: Session) -> DeletePlan:
            plan = self._plan_delete(session, info, pk)
            if not plan.allowed:
                table, columns, n = plan.blockers[0]
                raise WriteError(
                    f"{plan.label} is still referred to by {n} {table} row(s) ({table}.{columns}): "
                    "reassign or delete those first",
                    {},
                )
            for statement in plan.link_deletes:
                self._write(session, info, lambda s=statement: session.execute(s))
            result = self._write(session, info, lambda: session.execute(
                sa.delete(info.table).where(_pk_condition(info, pk))
            ))
            if result.rowcount != 1:
                session.rollback()
                raise NotFoundError(f"{plan.label} was deleted meanwhile")
            return plan

        def landed(session: Session, _: DeletePlan) -> bool:
            return session.execute(sa.select(sa.literal(1)).where(_pk_condition(info, pk))).first() is None

        return await self._run(f"delete {info.name}", run, write=True, landed=landed)

    # -- relationships ------------------------------------------------------------------------

    def _to_one(self, info: ModelInfo) -> list[tuple[str, str, ModelInfo, Reader, sa.FromClause]]:
        """(FK field, target key field, target, reader, alias) of each registered record the
        record's foreign keys name: joined to the record's own statement, so that the record and
        every to-one label come in one statement."""
        joined = []
        for col in info.columns.values():
            target = self.registry.for_table(col.foreign_key.table) if col.foreign_key is not None else None
            if target is None:
                continue
            tinfo = target.info
            key = next(c.name for c in tinfo.columns.values() if c.column.name == col.foreign_key.column)  # type: ignore[union-attr]
            alias = tinfo.table.alias(f"to_one_{len(joined)}")
            joined.append((col.name, key, tinfo, self._reader(tinfo, f"t{len(joined)}_", alias), alias))
        return joined

    def _link_reader(self, rel: RelationInfo) -> Reader | None:
        """The reader of a many-to-many's link columns (`role`), when the link model is registered."""
        link = self.registry.for_table(rel.link_table or "")
        if link is None or not rel.link_extra_columns:
            return None
        return Reader(link.info, self.dialect, prefix="l", table=link_table(rel), keys=rel.link_extra_columns)

    def _related_rows(
        self, session: Session, info: ModelInfo, relation: str, values: dict[str, Any],
        after: Sequence[Any] | None, limit: int,
    ) -> tuple[list[RelatedRow], bool]:
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None:
            raise NotFoundError(f"{rel.target_table} is not registered")
        reader, link_reader = self._reader(target.info), self._link_reader(rel)
        extras = link_reader.columns if link_reader else [link_table(rel).c[n] for n in rel.link_extra_columns]
        stmt = related_select(rel, values, target.info, reader.columns, link_columns=extras, after=after,
                              limit=limit + 1)
        result: Any = session.execute(stmt)
        width = len(reader.columns)
        processors = reader.processors(result)
        link_processors = link_reader.processors(result, width) if link_reader else []
        rows = []
        for row in result:
            obj, _ = reader.build(row[:width], processors)
            cells = row[width:]
            link = link_reader.values(cells, link_processors) if link_reader else dict(
                zip(rel.link_extra_columns, cells, strict=True))
            rows.append(RelatedRow(obj, link))
        return rows[:limit], len(rows) > limit

    async def detail(self, name: str, pk: Sequence[Any], *, related_limit: int = 10) -> Detail:
        """The record with the records its foreign keys name (joined in the same statement), one
        statement counting every to-many relation, and one LIMIT-ed page per non-empty relation:
        the statement count does not depend on how many rows a relation holds."""
        info = self.admin(name).info
        relations = [r for r in detail_relations(info) if self.registry.for_table(r.target_table) is not None]
        reader = self._reader(info)
        joined = self._to_one(info)
        source: sa.FromClause = info.table
        for field, key, tinfo, _, alias in joined:
            source = source.outerjoin(alias, alias.c[tinfo.columns[key].column.key] == info.columns[field].column)
        stmt = sa.select(*reader.columns, *(c for *_, r, _ in joined for c in r.columns)).select_from(source).where(
            _pk_condition(info, pk))

        def run(session: Session) -> Detail:
            result: Any = session.execute(stmt)
            # The driver's type codes are read before the row: a result closes once it is read.
            offsets = [len(reader.columns)]
            for *_, treader, _ in joined:
                offsets.append(offsets[-1] + len(treader.columns))
            processors = [reader.processors(result), *(
                j[3].processors(result, offset) for j, offset in zip(joined, offsets, strict=False))]
            row = result.first()
            if row is None:
                raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
            obj, stored = reader.build(row[: len(reader.columns)], processors[0])
            labels: Labels = {}
            for (field, _key, tinfo, treader, _), offset, process in zip(joined, offsets, processors[1:],
                                                                          strict=False):
                cells = row[offset: offset + len(treader.columns)]
                if any(cells[treader.keys.index(k)] is not None for k in tinfo.primary_key):
                    target, _ = treader.build(cells, process)
                    labels[field] = {getattr(obj, field): tinfo.label(target)}
            related: dict[str, RelatedPage] = {}
            if relations:
                targets = [self.registry.for_table(r.target_table).info for r in relations]  # type: ignore[union-attr]
                counts = session.execute(sa.select(*(
                    related_count(r, parent_values(r, obj), t).label(f"n{i}")
                    for i, (r, t) in enumerate(zip(relations, targets, strict=True))
                ))).one()
                for rel, total in zip(relations, counts, strict=True):
                    rows, more = ([], False) if not total else self._related_rows(
                        session, info, rel.name, parent_values(rel, obj), None, related_limit
                    )
                    related[rel.name] = RelatedPage(rel.name, rows, total, more)
            return Detail(Record(obj, labels, stored), related)

        return await self._run(f"detail {info.name}", run)

    async def related(
        self, name: str, pk: Sequence[Any], relation: str, *, after: Sequence[Any] | None = None, limit: int = 100
    ) -> RelatedPage:
        """A page of one relation of one record, with its total."""
        info = self.admin(name).info
        rel = info.relationships[relation]
        values = dict(zip(info.primary_key, pk, strict=True))
        target = self.registry.for_table(rel.target_table)
        if target is None or {k for k, _ in rel.parent_pairs} - set(info.primary_key):
            raise NotFoundError(f"{info.name}.{relation} cannot be listed")

        def run(session: Session) -> RelatedPage:
            total = session.scalar(sa.select(related_count(rel, values, target.info))) or 0
            rows, more = self._related_rows(session, info, relation, values, after, limit)
            return RelatedPage(relation, rows, total, more)

        return await self._run(f"related {info.name}.{relation}", run)

    async def link_candidates(
        self, name: str, pk: Sequence[Any], relation: str, search: str = "", *, limit: int = 50
    ) -> list[Any]:
        """Records that could be linked: matching `search`, not linked yet, at most `limit`."""
        info = self.admin(name).info
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None or rel.link_table is None:
            raise NotFoundError(f"{info.name}.{relation} is not a many-to-many of registered models")
        values = dict(zip(info.primary_key, pk, strict=True))
        condition = search_condition(target, search, self.backend)
        stmt = candidates_select(rel, values, target, self._reader(target.info).columns, condition, limit=limit)
        return await self._run(f"link candidates {info.name}.{relation}",
                               lambda s: [obj for obj, _, _ in self._fetch(s, target.info, stmt)])

    async def apply_links(self, name: str, pk: Sequence[Any], relation: str, diff: LinkDiff) -> None:
        """Apply a link edit as a diff, in one transaction: delete the removed link rows, update the
        changed ones (only if they still hold what was loaded), insert the added ones. If any
        statement fails or finds its row gone, nothing is applied and the error says which link."""
        info = self.admin(name).info
        _refuse_read_only(info)
        rel = info.relationships[relation]
        table = link_table(rel)
        target = self.registry.for_table(rel.target_table)
        assert target is not None
        pk_values = dict(zip(info.primary_key, pk, strict=True))
        parent = {col: pk_values[key] for key, col in rel.parent_pairs}
        link_info = self.registry.for_table(table_key(table))
        if link_info is not None:
            _refuse_read_only(link_info.info)
        link_columns = (
            link_info.info.columns if link_info is not None
            else {c.name: column_info(c.name, c) for c in table.columns}
        )

        def keys(target_pk: Sequence[Any]) -> dict[sa.Column[Any], Any]:
            by_name = dict(zip(target.info.primary_key, target_pk, strict=True))
            tkeys = {target.info.columns[n].column: n for n in target.info.primary_key}
            return {**parent, **{link_col: by_name[tkeys[tcol]] for tcol, link_col in rel.target_pairs}}

        def where(target_pk: Sequence[Any]) -> sa.ColumnElement[bool]:
            return sa.and_(*(col == v for col, v in keys(target_pk).items()))

        def current(session: Session, target_pk: Sequence[Any], *, lock: bool = False) -> dict[str, Any] | None:
            """The link row's values as the Store reads them (locked, with `lock`), or None."""
            if link_info is None:
                return session.execute(sa.select(table).where(where(target_pk))).mappings().first()
            stmt = sa.select(*self._reader(link_info.info).columns).select_from(table).where(where(target_pk))
            found = self._fetch(session, link_info.info, self.backend.lock(stmt) if lock else stmt)
            return {k: getattr(found[0][0], k) for k in link_columns} if found else None

        def run(session: Session) -> None:
            who = link_info.info if link_info is not None else info
            if diff.change:
                self._write(session, who, lambda: self.backend.begin_guarded(session))

            def refuse(target_pk: Sequence[Any], what: str) -> None:
                session.rollback()
                raise WriteError(f"the link to {target.info.name} #{format_pk(tuple(target_pk))} was {what} "
                                 "by someone else: nothing was saved", {})

            def exactly_one(stmt: sa.Executable, target_pk: Sequence[Any], what: str) -> None:
                """Each removed or changed link must still be there as loaded; else nothing is saved."""
                if self._write(session, who, lambda: session.execute(stmt)).rowcount != 1:
                    refuse(target_pk, what)

            for target_pk in diff.remove:
                exactly_one(sa.delete(table).where(where(target_pk)), target_pk, "already removed")
            for change in diff.change:
                now = self._write(session, who, lambda c=change: current(session, c.target, lock=True))
                if now is None or any(not same_value(now.get(k), v) for k, v in change.original.items()):
                    refuse(change.target, "changed or removed")
                stmt = sa.update(table).where(where(change.target)).values(
                    {table.c[n]: v for n, v in change.values.items()})
                exactly_one(stmt, change.target, "changed or removed")
            added: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # one INSERT per shape of row
            for add in diff.add:
                row = {col.name: v for col, v in keys(add.target).items()}
                row.update(add.values)
                added.setdefault(tuple(row), []).append(row)
            for rows in added.values():
                self._write(session, who, lambda r=rows: session.execute(sa.insert(table), r))

        def landed(session: Session, _: None) -> bool:
            """After a COMMIT cut off: every part of the diff is in the table, or none is."""
            removed = all(current(session, t) is None for t in diff.remove)
            changed = all(
                (now := current(session, c.target)) is not None
                and all(_landed_as_written(link_columns[k], now[k], v) for k, v in c.values.items())
                for c in diff.change
            )
            added = all(current(session, a.target) is not None for a in diff.add)
            return removed and changed and added

        if diff:
            await self._run(f"links {info.name}.{relation}", run, write=True, landed=landed)
