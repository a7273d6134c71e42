"""Every read the Store makes, as a function of a sync `Session`: the statement and its result.

The `Store` runs these through its `Runner` (a thread for a sync engine, the async session's
greenlet for an async one); a script or a test can call them on a Session of its own. Each reads
the model's columns raw (see `reading`), so a bad value spoils one cell, and returns plain data
(`results`). The statement count of a screen does not depend on the data: a page is one statement
plus one label query per referenced table; a detail is one statement for the record and the
records its foreign keys name, one counting every to-many relation, and one LIMIT-ed page per
non-empty relation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from tui_admin.core.dialects import Backend, raw_param
from tui_admin.core.errors import NotFoundError
from tui_admin.core.format import plural
from tui_admin.core.introspect import ForeignKeyInfo, ModelInfo, RelationInfo, format_pk
from tui_admin.core.query import ListQuery, count_select, cursor_of, page_select, search_condition
from tui_admin.core.reading import Reader, Unreadable
from tui_admin.core.registry import ModelAdmin, Registry
from tui_admin.core.related import (
    candidates_select,
    detail_relations,
    link_table,
    parent_values,
    related_count,
    related_select,
)
from tui_admin.core.results import Detail, Labels, Page, Raw, Record, RelatedPage, RelatedRow

#: (FK field, target key field, target, its reader, the alias it is joined as) for a detail.
ToOne = tuple[str, str, ModelInfo, Reader, sa.FromClause]


def key_condition(info: ModelInfo, pk: Sequence[Any]) -> sa.ColumnElement[bool]:
    """The row with primary key `pk`. An unreadable key part is compared as stored; the key of a
    keyless table's row is its columns (and a number), any of which may be NULL."""
    if len(pk) != len(info.primary_key):
        raise NotFoundError(f"{info.name}: a key has {plural(len(info.primary_key), 'part')}, got {len(pk)}")
    return sa.and_(*(
        info.columns[n].column.is_(None) if v is None
        else info.columns[n].column == (raw_param(v.raw) if isinstance(v, Unreadable) else v)
        for n, v in zip(info.primary_key, pk, strict=True)
    ))


def _labelled(value: Any) -> bool:
    """A foreign-key value that can name a record (not NULL, not an unreadable cell)."""
    return value is not None and not isinstance(value, Unreadable)


class Reading:
    """The reads of one registry on one database (its dialect and its backend's rules)."""

    def __init__(self, registry: Registry, dialect: Dialect, rules: Backend) -> None:
        self.registry = registry
        self.dialect = dialect
        self.rules = rules
        self._readers: dict[tuple[str, str], Reader] = {}
        self._label_readers: dict[tuple[str, tuple[str, ...]], Reader] = {}

    def reader(self, info: ModelInfo, prefix: str = "c", table: Any = None) -> Reader:
        """The reader of a model's raw columns (of `table`, an alias of its table, when given)."""
        if table is not None:
            return Reader(info, self.dialect, prefix=prefix, table=table)
        key = (info.name, prefix)
        if key not in self._readers:
            self._readers[key] = Reader(info, self.dialect, prefix=prefix)
        return self._readers[key]

    def fetch(self, session: Session, info: ModelInfo, stmt: sa.Select[Any], offset: int = 0) -> list[Any]:
        """(object, raw values, row) of each row of a statement selecting the model's raw columns."""
        return self.reader(info).rows(session.execute(stmt), offset)  # type: ignore[arg-type]

    def parent(self, query: ListQuery) -> ModelInfo | None:
        return self.registry[query.via.model].info if query.via is not None else None

    # -- lists ----------------------------------------------------------------------------------

    def counts(self, session: Session, admins: Iterable[ModelAdmin]) -> dict[str, int]:
        """Row counts of several models (the models screen): the table itself, not a keyless
        table's numbering of its rows (see reflect)."""
        return {
            a.info.name: session.scalar(sa.select(sa.func.count()).select_from(a.info.source)) or 0
            for a in admins
        }

    def count(self, session: Session, query: ListQuery) -> int:
        admin = self.registry[query.model]
        return session.scalar(count_select(admin, query, self.rules, self.parent(query))) or 0

    def page(
        self,
        session: Session,
        query: ListQuery,
        *,
        after: Sequence[Any] | None = None,
        start: Sequence[Any] | None = None,
        before: Sequence[Any] | None = None,
        from_end: bool = False,
        limit: int = 100,
        offset: int = 0,
    ) -> Page:
        """See `Store.page`."""
        admin = self.registry[query.model]
        info = admin.info
        reader = self.reader(info)
        stmt = page_select(
            admin, query, self.rules, reader.columns, after=after, start=start, before=before, from_end=from_end,
            limit=limit + 1, offset=offset, parent=self.parent(query),
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
        result = self.fetch(session, info, stmt)
        has_more = len(result) > limit
        result = result[:limit]
        if before is not None or from_end:
            result.reverse()
        rows = [obj for obj, _, _ in result]
        counts = {
            rel.name: {info.pk_of(obj): row[width + i] for obj, _, row in result} for i, rel in enumerate(counted)
        }
        raws = [stored for _, stored, _ in result]
        cursors = [cursor_of(admin, query, stored) for stored in raws]
        labels = self.labels(session, info, rows, sorted(fk_fields))
        first, last = (cursors[0], cursors[-1]) if cursors else (None, None)
        return Page(rows, labels, has_more, first, last, counts, cursors, raws)

    def values_page(
        self, session: Session, query: ListQuery, *, after: Sequence[Any] | None = None, limit: int = 1000,
        until: Sequence[Any] | None = None,
    ) -> tuple[list[Sequence[Any]], tuple[Any, ...] | None, bool]:
        """A page of the list's rows as tuples of values in `ModelInfo.columns` order (no objects,
        labels or counts: what an export streams), the cursor of its last row, and whether more
        follow (up to the row `until`, included, when given). Cells whose type needs no conversion
        stay as the driver gave them (measured: 1M SQLite heroes read in a fifth of the time a
        dict per row took)."""
        admin = self.registry[query.model]
        info = admin.info
        reader = self.reader(info)
        stmt = page_select(admin, query, self.rules, reader.columns, after=after, until=until, limit=limit + 1,
                           parent=self.parent(query))
        result = session.execute(stmt)
        convert = reader.converters(result)
        cells = result.cursor.fetchall() if result.cursor is not None else []  # the driver's tuples: no Row objects
        result.close()
        has_more = len(cells) > limit
        rows: list[Sequence[Any]] = cells[:limit]
        if convert:
            rows = [reader.converted(row, convert) for row in rows]
        last = cursor_of(admin, query, dict(zip(reader.keys, cells[len(rows) - 1], strict=True))) if rows else None
        return rows, last, has_more

    def split(
        self, session: Session, query: ListQuery, parts: int, at_least: int = 0
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """The list's row count, and the cursors of the rows that end each of `parts` equal parts
        but the last (none below `at_least` rows, fewer when there are fewer rows than parts): one
        OFFSET read each, in list order."""
        admin = self.registry[query.model]
        total = self.count(session, query)
        if total < at_least:
            return total, []
        reader = self.reader(admin.info)
        ends: list[tuple[Any, ...]] = []
        for k in range(1, parts):
            at = total * k // parts
            if at == 0 or (ends and at == total * (k - 1) // parts):
                continue
            stmt = page_select(admin, query, self.rules, reader.columns, limit=1, offset=at - 1,
                               parent=self.parent(query))
            result = session.execute(stmt)
            row = result.cursor.fetchone() if result.cursor is not None else None  # as stored: a cursor
            result.close()
            if row is not None:
                ends.append(cursor_of(admin, query, dict(zip(reader.keys, row, strict=True))))
        return total, ends

    def labels(self, session: Session, info: ModelInfo, rows: Sequence[Any], fields: Iterable[str]) -> Labels:
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
            found = self._labels_by(session, tinfo, key_attr, values)
            for name in names:
                labels[name] = {v: found[v] for r in rows if _labelled(v := getattr(r, name)) and v in found}
        return labels

    def _labels_by(self, session: Session, info: ModelInfo, key_attr: str, values: set[Any]) -> dict[Any, str]:
        """The labels of the records whose `key_attr` is one of `values`, by that value.

        Without a label function a label needs the key, the primary key and the label field
        only: those columns are read, into plain namespaces rather than model objects, whose
        building was most of a page's Store time (98 teams labelled beside 100 heroes)."""
        if info.label_function is not None:
            stmt = sa.select(*self.reader(info).columns).select_from(info.table).where(
                info.columns[key_attr].column.in_(values))
            return {getattr(obj, key_attr): info.label(obj) for obj, _, _ in self.fetch(session, info, stmt)}
        keys = tuple(dict.fromkeys((key_attr, *info.primary_key, *info.label_fields)))
        cache = (info.name, keys)
        if cache not in self._label_readers:
            self._label_readers[cache] = Reader(info, self.dialect, keys=keys)
        reader = self._label_readers[cache]
        stmt = sa.select(*reader.columns).select_from(info.table).where(info.columns[key_attr].column.in_(values))
        result: Any = session.execute(stmt)
        processors = reader.processors(result)
        found: dict[Any, str] = {}
        for row in result:
            record = SimpleNamespace(**reader.values(row, processors))
            found[getattr(record, key_attr)] = info.label(record)
        return found

    def choices(self, session: Session, fk: ForeignKeyInfo, search: str = "", limit: int = 50) -> list[tuple[Any, str]]:
        """See `Store.choices`."""
        target = self.registry.for_table(fk.table)
        if target is None:
            return []
        info = target.info
        key = next(c for c in info.columns.values() if c.column.name == fk.column)
        order = [info.columns[n].column for n in (info.label_field, *info.primary_key) if n]
        stmt = sa.select(*self.reader(info).columns).select_from(info.table).order_by(*order).limit(limit)
        condition = search_condition(target, search, self.rules)
        if condition is not None:
            stmt = stmt.where(condition)
        return [(getattr(obj, key.name), info.label(obj)) for obj, _, _ in self.fetch(session, info, stmt)]

    # -- one record -----------------------------------------------------------------------------

    def one(self, session: Session, info: ModelInfo, pk: Sequence[Any], *, lock: bool = False) -> tuple[Any, Raw]:
        """The record and its raw values (locked until the transaction ends, with `lock`)."""
        stmt = sa.select(*self.reader(info).columns).select_from(info.table).where(key_condition(info, pk))
        found = self.fetch(session, info, self.rules.lock(stmt) if lock else stmt)
        if not found:
            raise NotFoundError(f"{info.name} #{format_pk(tuple(pk))} no longer exists")
        obj, stored, _ = found[0]
        return obj, stored

    def record(self, session: Session, info: ModelInfo, pk: Sequence[Any]) -> Record:
        obj, stored = self.one(session, info, pk)
        fk_fields = [c.name for c in info.columns.values() if c.foreign_key is not None]
        return Record(obj, self.labels(session, info, [obj], fk_fields), stored)

    def _to_one(self, info: ModelInfo) -> list[ToOne]:
        """The registered records the record's foreign keys name, joined to the record's own
        statement, so that the record and every to-one label come in one statement."""
        joined: list[ToOne] = []
        for col in info.columns.values():
            target = self.registry.for_table(col.foreign_key.table) if col.foreign_key is not None else None
            if target is None:
                continue
            tinfo = target.info
            key = next(c.name for c in tinfo.columns.values() if c.column.name == col.foreign_key.column)  # type: ignore[union-attr]
            alias = tinfo.table.alias(f"to_one_{len(joined)}")
            joined.append((col.name, key, tinfo, self.reader(tinfo, f"t{len(joined)}_", alias), alias))
        return joined

    def detail(self, session: Session, info: ModelInfo, pk: Sequence[Any], related_limit: int = 10) -> Detail:
        """See `Store.detail`."""
        reader = self.reader(info)
        joined = self._to_one(info)
        source: sa.FromClause = info.table
        for field, key, tinfo, _, alias in joined:
            source = source.outerjoin(alias, alias.c[tinfo.columns[key].column.key] == info.columns[field].column)
        stmt = sa.select(*reader.columns, *(c for *_, r, _ in joined for c in r.columns)).select_from(source).where(
            key_condition(info, pk))
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
        for (field, _key, tinfo, treader, _), offset, process in zip(joined, offsets, processors[1:], strict=False):
            cells = row[offset: offset + len(treader.columns)]
            if any(cells[treader.keys.index(k)] is not None for k in tinfo.primary_key):
                target, _ = treader.build(cells, process)
                labels[field] = {getattr(obj, field): tinfo.label(target)}
        return Detail(Record(obj, labels, stored), self._relations(session, info, obj, related_limit))

    def _relations(self, session: Session, info: ModelInfo, obj: Any, limit: int) -> dict[str, RelatedPage]:
        """One statement counting every to-many relation, then a page of each non-empty one."""
        relations = [r for r in detail_relations(info) if self.registry.for_table(r.target_table) is not None]
        if not relations:
            return {}
        targets = [self.registry.for_table(r.target_table).info for r in relations]  # type: ignore[union-attr]
        counts = session.execute(sa.select(*(
            related_count(r, parent_values(r, obj), t).label(f"n{i}")
            for i, (r, t) in enumerate(zip(relations, targets, strict=True))
        ))).one()
        related: dict[str, RelatedPage] = {}
        for rel, total in zip(relations, counts, strict=True):
            rows, more = ([], False) if not total else self.related_rows(
                session, info, rel.name, parent_values(rel, obj), None, limit)
            related[rel.name] = RelatedPage(rel.name, rows, total, more)
        return related

    # -- relations ------------------------------------------------------------------------------

    def _link_reader(self, rel: RelationInfo) -> Reader | None:
        """The reader of a many-to-many's link columns (`role`), when the link model is registered."""
        link = self.registry.for_table(rel.link_table or "")
        if link is None or not rel.link_extra_columns:
            return None
        return Reader(link.info, self.dialect, prefix="l", table=link_table(rel), keys=rel.link_extra_columns)

    def related_rows(
        self, session: Session, info: ModelInfo, relation: str, values: dict[str, Any],
        after: Sequence[Any] | None, limit: int,
    ) -> tuple[list[RelatedRow], bool]:
        """A page of one relation of one record (the values its join needs), and whether more follow."""
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None:
            raise NotFoundError(f"{rel.target_table} is not registered")
        reader, link_reader = self.reader(target.info), self._link_reader(rel)
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

    def related(
        self, session: Session, info: ModelInfo, relation: str, pk: Sequence[Any], after: Sequence[Any] | None,
        limit: int,
    ) -> RelatedPage:
        """See `Store.related`."""
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None or {k for k, _ in rel.parent_pairs} - set(info.primary_key):
            raise NotFoundError(f"{info.name}.{relation} cannot be listed")
        values = dict(zip(info.primary_key, pk, strict=True))
        total = session.scalar(sa.select(related_count(rel, values, target.info))) or 0
        rows, more = self.related_rows(session, info, relation, values, after, limit)
        return RelatedPage(relation, rows, total, more)

    def candidates(
        self, session: Session, info: ModelInfo, relation: str, pk: Sequence[Any], search: str, limit: int
    ) -> list[Any]:
        """See `Store.link_candidates`."""
        rel = info.relationships[relation]
        target = self.registry.for_table(rel.target_table)
        if target is None or rel.link_table is None:
            raise NotFoundError(f"{info.name}.{relation} is not a many-to-many of registered models")
        values = dict(zip(info.primary_key, pk, strict=True))
        condition = search_condition(target, search, self.rules)
        stmt = candidates_select(rel, values, target, self.reader(target.info).columns, condition, limit=limit)
        return [obj for obj, _, _ in self.fetch(session, target.info, stmt)]
