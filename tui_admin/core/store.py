"""`Store`: the only place that opens sessions.

Each operation is written once, as a function of a sync `Session`, and handed to the `Runner`,
which runs it in a thread (sync engine) or in the async session's greenlet (async engine): one
code path for both kinds of engine. Sessions are short (one per operation), objects leave
detached and fully loaded (`expire_on_commit=False`), and every query sets `raiseload("*")` so a
relationship the screen did not ask for raises instead of costing a hidden query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, joinedload, raiseload

from tui_admin.core.engine import make_engine, mask, parse
from tui_admin.core.errors import ConflictError, NotFoundError, ReadOnlyError, WriteError, explain
from tui_admin.core.introspect import (
    ColumnInfo,
    ForeignKeyInfo,
    Kind,
    ModelInfo,
    RelationInfo,
    column_info,
    format_pk,
    is_link_table,
    table_key,
)
from tui_admin.core.query import ListQuery, count_select, cursor_of, page_select, search_condition
from tui_admin.core.querylog import QueryLog
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
from tui_admin.core.runner import Runner

T = TypeVar("T")
Labels = dict[str, dict[Any, str]]  # foreign-key field → {key value: label of the record it names}


@dataclass
class Page:
    """Rows in list order. `has_more` says whether more rows lie beyond the page in the direction
    it was read (after it for `after`/first pages, before it for `before`/`from_end`)."""

    rows: list[Any]
    labels: Labels
    has_more: bool
    first: tuple[Any, ...] | None = None  # keyset cursor of the first row
    last: tuple[Any, ...] | None = None
    counts: dict[str, dict[tuple[Any, ...], int]] = field(default_factory=dict)  # to-many column → pk → n


@dataclass
class Record:
    obj: Any
    labels: Labels


@dataclass
class RelatedRow:
    obj: Any  # the related record
    link: dict[str, Any]  # for a many-to-many, the link row's own columns (e.g. role)


@dataclass
class RelatedPage:
    relation: str
    rows: list[RelatedRow]
    total: int
    has_more: bool


@dataclass
class Detail:
    """A record with its to-one labels and the first page of each to-many relation."""

    record: Record
    related: dict[str, RelatedPage]


@dataclass
class LinkChange:
    """One link row to add (its own column values) or to change (new values, and the values it
    held when loaded: the change is refused if someone else changed them meanwhile)."""

    target: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)
    original: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinkDiff:
    add: list[LinkChange] = field(default_factory=list)
    remove: list[tuple[Any, ...]] = field(default_factory=list)
    change: list[LinkChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.add or self.remove or self.change)


@dataclass
class DeletePlan:
    """What deleting a record implies, for the confirmation dialog."""

    label: str
    links: list[tuple[str, int]] = field(default_factory=list)  # link-table rows removed with it
    cascades: list[tuple[str, int]] = field(default_factory=list)  # rows the database deletes (ON DELETE CASCADE)
    blockers: list[tuple[str, str, int]] = field(default_factory=list)  # (table, column, rows) that refer to it

    @property
    def allowed(self) -> bool:
        return not self.blockers


def _pk_condition(info: ModelInfo, pk: Sequence[Any]) -> sa.ColumnElement[bool]:
    if len(pk) != len(info.primary_key):
        raise NotFoundError(f"{info.name}: a key has {len(info.primary_key)} part(s), got {len(pk)}")
    # The key of a keyless table's row is its columns (and a number): any of them may be NULL.
    return sa.and_(*(
        info.columns[n].column.is_(None) if v is None else info.columns[n].column == v
        for n, v in zip(info.primary_key, pk, strict=True)
    ))


def _refuse_read_only(info: ModelInfo) -> None:
    """A view or a table without a primary key is shown, never written: none of its rows can be
    told apart by a key, so an UPDATE or DELETE could reach rows other than the one shown."""
    if info.read_only is not None:
        raise ReadOnlyError(f"{info.name} is read-only ({info.read_only}): nothing can be written to it")


def _still_holds(col: ColumnInfo, value: Any, dialect: Dialect) -> sa.ColumnElement[bool]:
    """The column still holds `value`, read when the form was opened.

    - A float is compared within single precision: MySQL's FLOAT is 4 bytes and hands back its
      shortest decimal text, which is not bit-equal to the value it holds, so `=` would report a
      conflict on every float edit.
    - Text on MySQL/MariaDB is compared byte for byte: `=` follows the column's collation, for
      which 'Deadpond', 'DEADPOND', 'Déadpond' and 'Deadpond ' are equal, so another user's change
      of case, accent or trailing space would be silently overwritten."""
    column = col.column
    if value is None:
        return column.is_(None)
    if col.kind is Kind.FLOAT:
        return sa.func.abs(column - value) <= abs(value) * 1e-6
    if col.kind in (Kind.TEXT, Kind.ENUM) and dialect.name in ("mysql", "mariadb"):
        return sa.func.binary(column) == sa.func.binary(sa.bindparam(None, value, type_=column.type))
    return column == value


def _equal_stored(col: ColumnInfo, stored: Any, written: Any) -> bool:
    """A value read back equals the one written (floats within single precision, as `_still_holds`)."""
    if col.kind is Kind.FLOAT and stored is not None and written is not None:
        return abs(stored - written) <= abs(written) * 1e-6
    return bool(stored == written)


class Store:
    """Reads and writes of registered models, for the UI and for scripts."""

    def __init__(self, url: str | sa.URL, registry: Registry | None = None, *, read_only: bool = False) -> None:
        self.url = parse(url)
        self.read_only = read_only
        self.log = QueryLog()
        self._registry = registry
        self._runner = Runner(make_engine(self.url, read_only=read_only), self.log, read_only=read_only)
        self.is_async = self._runner.is_async
        self.sync_engine: sa.Engine = self._runner.sync_engine
        self.dialect = self.sync_engine.dialect
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

    async def dispose(self) -> None:
        await self._runner.dispose()

    # -- running operations -------------------------------------------------------------------

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
        last ones (`from_end`), or the first ones; always in list order."""
        admin = self.admin(query.model)
        info = admin.info
        backwards = before is not None or from_end
        stmt = page_select(
            admin, query, self.dialect, after=after, start=start, before=before, from_end=from_end, limit=limit + 1,
            parent=self._parent(query),
        ).options(raiseload("*"))
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

        def run(session: Session) -> Page:
            result = list(session.execute(stmt))
            has_more = len(result) > limit
            result = result[:limit]
            if backwards:
                result.reverse()
            rows = [r[0] for r in result]
            counts = {
                rel.name: {info.pk_of(r[0]): r[i + 1] for r in result} for i, rel in enumerate(counted)
            }
            labels = self._labels(session, info, rows, sorted(fk_fields))
            first = cursor_of(admin, query, rows[0]) if rows else None
            last = cursor_of(admin, query, rows[-1]) if rows else None
            return Page(rows, labels, has_more, first, last, counts)

        return await self._run(f"list {admin.info.name}", run)

    async def get(self, name: str, pk: Sequence[Any]) -> Record:
        info = self.admin(name).info
        fk_fields = [c.name for c in info.columns.values() if c.foreign_key is not None]

        def run(session: Session) -> Record:
            obj = session.scalars(
                sa.select(info.model).where(_pk_condition(info, pk)).options(raiseload("*"))
            ).first()
            if obj is None:
                raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
            return Record(obj, self._labels(session, info, [obj], fk_fields))

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
        stmt = sa.select(info.model).order_by(*order).limit(limit).options(raiseload("*"))
        condition = search_condition(target, search, self.dialect)
        if condition is not None:
            stmt = stmt.where(condition)

        def run(session: Session) -> list[tuple[Any, str]]:
            return [(getattr(r, key.name), info.label(r)) for r in session.scalars(stmt)]

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
            values = {getattr(r, name) for r in rows for name in names} - {None}
            if not values:
                continue
            tinfo = self.registry.for_table(table).info  # type: ignore[union-attr]
            key_attr = next(c.name for c in tinfo.columns.values() if c.column.name == column)
            stmt = sa.select(tinfo.model).where(tinfo.columns[key_attr].column.in_(values)).options(raiseload("*"))
            found = {getattr(obj, key_attr): tinfo.label(obj) for obj in session.scalars(stmt)}
            for name in names:
                labels[name] = {v: found[v] for r in rows if (v := getattr(r, name)) in found}
        return labels

    # -- writing ------------------------------------------------------------------------------

    async def create(self, name: str, values: dict[str, Any]) -> tuple[Any, ...]:
        """Insert a record from validated values; return its primary key."""
        info = self.admin(name).info
        _refuse_read_only(info)

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
        columns (optimistic concurrency): otherwise raise `ConflictError` saying what changed."""
        info = self.admin(name).info
        _refuse_read_only(info)
        if not changes:
            return
        values = {info.columns[n].column: v for n, v in changes.items()}
        version = info.version_column
        if version is not None:
            # The model keeps a version: it alone says whether the row changed; it moves on by one.
            guarded = [version]
            values[info.columns[version].column] = original[version] + 1
        else:
            guarded = [n for n in changes if info.columns[n].kind is not Kind.JSON]
        condition = sa.and_(
            _pk_condition(info, pk), *(_still_holds(info.columns[n], original.get(n), self.dialect) for n in guarded)
        )
        stmt = sa.update(info.table).where(condition).values(values)
        watched = list(dict.fromkeys([*changes, *guarded]))

        def run(session: Session) -> None:
            result = self._write(session, info, lambda: session.execute(stmt))
            if result.rowcount == 1:
                return
            session.rollback()
            current = session.execute(
                sa.select(*(info.columns[n].column for n in watched)).where(_pk_condition(info, pk))
            ).first()
            if current is None:
                raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} was deleted meanwhile: nothing was saved")
            moved = {
                n: (original.get(n), now)
                for n, now in zip(watched, current, strict=True)
                if original.get(n) != now
            }
            raise ConflictError(
                f"{info.name} #{format_pk(tuple(pk))} was changed by someone else since you opened it: "
                "nothing was saved",
                moved,
            )

        def landed(session: Session, _: None) -> bool:
            row = session.execute(
                sa.select(*(info.columns[n].column for n in changes)).where(_pk_condition(info, pk))
            ).first()
            return row is not None and all(
                _equal_stored(info.columns[n], a, b) for n, a, b in zip(changes, row, changes.values(), strict=True)
            )

        await self._run(f"update {info.name}", run, write=True, landed=landed)

    def _referrers(self, info: ModelInfo) -> list[tuple[sa.Table, sa.ForeignKey]]:
        """Every foreign key, in any table of the metadata, that points at this table."""
        return [
            (table, fk)
            for table in info.table.metadata.tables.values()
            for fk in table.foreign_keys
            if fk.column.table is info.table
        ]

    def _count_referrers(self, session: Session, info: ModelInfo, pk: Sequence[Any]) -> DeletePlan:
        obj = session.scalars(sa.select(info.model).where(_pk_condition(info, pk)).options(raiseload("*"))).first()
        if obj is None:
            raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
        plan = DeletePlan(info.label(obj))
        for table, fk in self._referrers(info):
            value = getattr(obj, next(c.name for c in info.columns.values() if c.column is fk.column))
            n = session.scalar(sa.select(sa.func.count()).select_from(table).where(fk.parent == value)) or 0
            if not n:
                continue
            if is_link_table(table):
                plan.links.append((table.name, n))
            elif (fk.ondelete or "").upper() == "CASCADE":
                plan.cascades.append((table.name, n))
            elif (fk.ondelete or "").upper() != "SET NULL":
                plan.blockers.append((table.name, fk.parent.name, n))
        return plan

    async def delete_preview(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        info = self.admin(name).info
        _refuse_read_only(info)
        return await self._run(f"delete preview {info.name}", lambda s: self._count_referrers(s, info, pk))

    async def delete(self, name: str, pk: Sequence[Any]) -> DeletePlan:
        """Delete the record and its rows in link tables (memberships), in one transaction.
        Refused, with the reason, while other records still refer to it."""
        info = self.admin(name).info
        _refuse_read_only(info)

        def run(session: Session) -> DeletePlan:
            plan = self._count_referrers(session, info, pk)
            if not plan.allowed:
                table, column, n = plan.blockers[0]
                raise WriteError(
                    f"{plan.label} is still referred to by {n} {table} row(s) ({table}.{column}): "
                    "reassign or delete those first",
                    {},
                )
            obj_key = {c.column: v for c, v in zip((info.columns[n] for n in info.primary_key), pk, strict=True)}
            for table, fk in self._referrers(info):
                if is_link_table(table) and fk.column in obj_key:
                    self._write(session, info, lambda t=table, f=fk: session.execute(
                        sa.delete(t).where(f.parent == obj_key[f.column])
                    ))
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

    def _to_one_options(self, info: ModelInfo) -> tuple[list[Any], list[str]]:
        """joinedload for every many-to-one that a foreign-key column drives (its target loaded in
        the same statement, its own relationships raising); the FK fields left without one."""
        options: list[Any] = [raiseload("*")]
        uncovered: list[str] = []
        for col in info.columns.values():
            if col.foreign_key is None:
                continue
            rel = info.fk_relation(col.name)
            if rel is None or self.registry.for_table(rel.target_table) is None:
                uncovered.append(col.name)
                continue
            options.append(joinedload(getattr(info.model, rel.name)).raiseload("*"))
        return options, uncovered

    def _to_one_labels(self, info: ModelInfo, obj: Any) -> Labels:
        labels: Labels = {}
        for col in info.columns.values():
            rel = info.fk_relation(col.name) if col.foreign_key is not None else None
            target = self.registry.for_table(rel.target_table) if rel is not None else None
            if rel is None or target is None:
                continue
            related = getattr(obj, rel.name)
            if related is not None:
                labels[col.name] = {getattr(obj, col.name): target.info.label(related)}
        return labels

    def _related_rows(
        self, session: Session, info: ModelInfo, relation: str, values: dict[str, Any],
        after: Sequence[Any] | None, limit: int,
    ) -> tuple[list[RelatedRow], bool]:
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None:
            raise NotFoundError(f"{rel.target_table} is not registered")
        stmt = related_select(rel, values, target.info, after=after, limit=limit + 1).options(raiseload("*"))
        rows = [
            RelatedRow(row[0], {name: row[i + 1] for i, name in enumerate(rel.link_extra_columns)})
            for row in session.execute(stmt)
        ] if rel.link_table else [RelatedRow(obj, {}) for obj in session.scalars(stmt)]
        return rows[:limit], len(rows) > limit

    async def detail(self, name: str, pk: Sequence[Any], *, related_limit: int = 10) -> Detail:
        """The record, its to-one relations (joined in the same statement), one statement counting
        every to-many relation, and one LIMIT-ed page per non-empty relation: the statement count
        does not depend on how many rows a relation holds."""
        info = self.admin(name).info
        relations = [r for r in detail_relations(info) if self.registry.for_table(r.target_table) is not None]
        options, uncovered = self._to_one_options(info)

        def run(session: Session) -> Detail:
            obj = session.scalars(sa.select(info.model).where(_pk_condition(info, pk)).options(*options)).first()
            if obj is None:
                raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
            labels = self._to_one_labels(info, obj)
            labels.update(self._labels(session, info, [obj], uncovered))
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
            return Detail(Record(obj, labels), related)

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
        condition = search_condition(target, search, self.dialect)
        stmt = candidates_select(rel, values, target, condition, limit=limit).options(raiseload("*"))
        return await self._run(f"link candidates {info.name}.{relation}", lambda s: list(s.scalars(stmt)))

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

        def run(session: Session) -> None:
            who = link_info.info if link_info is not None else info

            def exactly_one(stmt: sa.Executable, target_pk: Sequence[Any], what: str) -> None:
                """Each removed or changed link must still be there as loaded; else nothing is saved."""
                if self._write(session, who, lambda: session.execute(stmt)).rowcount != 1:
                    session.rollback()
                    raise WriteError(f"the link to {target.info.name} #{format_pk(tuple(target_pk))} was {what} "
                                     "by someone else: nothing was saved", {})

            for target_pk in diff.remove:
                exactly_one(sa.delete(table).where(where(target_pk)), target_pk, "already removed")
            for change in diff.change:
                guard = [_still_holds(link_columns[n], v, self.dialect) for n, v in change.original.items()]
                stmt = sa.update(table).where(where(change.target), *guard).values(
                    {table.c[n]: v for n, v in change.values.items()})
                exactly_one(stmt, change.target, "changed or removed")
            for add in diff.add:
                row = {col.name: v for col, v in keys(add.target).items()}
                row.update(add.values)
                self._write(session, who, lambda r=row: session.execute(sa.insert(table).values(r)))

        def landed(session: Session, _: None) -> bool:
            """After a COMMIT cut off: every part of the diff is in the table, or none is."""
            def row(target_pk: Sequence[Any]) -> Any:
                return session.execute(sa.select(table).where(where(target_pk))).mappings().first()

            removed = all(row(t) is None for t in diff.remove)
            changed = all((r := row(c.target)) is not None and all(r[k] == v for k, v in c.values.items())
                          for c in diff.change)
            added = all(row(a.target) is not None for a in diff.add)
            return removed and changed and added

        if diff:
            await self._run(f"links {info.name}.{relation}", run, write=True, landed=landed)
