"""Every write the Store makes, as a function of a sync `Session`, each beside its `landed` check.

A write never commits: the `Runner` commits the unit of work, and when the connection dies during
that COMMIT it calls the write's `landed` check on a fresh connection, so the user is told whether
the change was saved. Each write is atomic and checked:

- a constraint violation rolls back and becomes a `WriteError` naming the field (`guarded`);
- a value the database would store as another (NaN on SQLite) is refused before writing;
- an update reads the row under a lock and compares it with what the form opened, as values read
  the same way, by the column's spec (`KindSpec.same`), so that nothing anyone else saved is overwritten;
- a delete removes exactly what its plan (see `deletion`) showed;
- a link edit is applied as a diff (delete, guarded update, insert) in one transaction;
- the model's hooks (`ModelAdmin.on_model_change`, …) run inside the write, so that what they
  write and what they refuse is part of its transaction (see `usercode`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tui_admin.core import usercode
from tui_admin.core.actions import Action, Selection, keys_condition
from tui_admin.core.deletion import DeletePlan, count_rows, plan_delete
from tui_admin.core.dialects import backend_for
from tui_admin.core.errors import ConflictError, NotFoundError, ReadOnlyError, WriteError
from tui_admin.core.format import plural
from tui_admin.core.introspect import ColumnInfo, ModelInfo, column_info, format_pk, table_key
from tui_admin.core.query import ListQuery, scoped, where_clause
from tui_admin.core.reads import Reading, key_condition
from tui_admin.core.refusals import explain
from tui_admin.core.related import link_table
from tui_admin.core.results import LinkDiff

T = TypeVar("T")


def refuse_read_only(info: ModelInfo) -> None:
    """A view or a table without a primary key is shown, never written: none of its rows can be
    told apart by a key, so an UPDATE or DELETE could reach rows other than the one shown."""
    if info.read_only is not None:
        raise ReadOnlyError(f"{info.name} is read-only ({info.read_only}): nothing can be written to it")


def check_values(reading: Reading, info: ModelInfo, values: dict[str, Any]) -> None:
    """Refuse, before writing, a value the database would store as another one."""
    errors = {
        name: reason
        for name, value in values.items()
        if name in info.columns and (reason := reading.rules.refusal(info.columns[name], value))
    }
    if errors:
        raise WriteError("Not saved: " + "; ".join(f"{n}: {r}" for n, r in errors.items()), errors)


def guarded(session: Session, info: ModelInfo, statement: Callable[[], T]) -> T:
    """Run one step of a write; a constraint violation rolls back and becomes a `WriteError`."""
    try:
        return statement()
    except sa.exc.DBAPIError as exc:
        session.rollback()
        if exc.connection_invalidated:
            raise WriteError("The connection to the database was lost: the change was NOT saved", {}) from None
        raise explain(exc, info, backend_for(session.get_bind().dialect)) from None


def landed_as_written(col: ColumnInfo, stored: Any, written: Any) -> bool:
    """A value read back is the one written, as the column's spec compares them (`KindSpec.landed`:
    a MySQL 4-byte FLOAT comes back within single precision of the value written, not equal to it)."""
    return col.spec.landed(stored, written)


def _exists(session: Session, info: ModelInfo, pk: Sequence[Any]) -> bool:
    return session.execute(sa.select(sa.literal(1)).where(key_condition(info, pk))).first() is not None


# -- create ---------------------------------------------------------------------------------------


def _hook(session: Session, reading: Reading, info: ModelInfo, name: str, *args: Any) -> None:
    """Run the model's hook `name` (see `ModelAdmin.on_model_change`) in this write's session, if
    its admin defines it; an exception rolls the write back and says which hook refused."""
    admin = reading.registry[info.name]
    if admin.has_hook(name):
        with usercode.in_session(session):
            usercode.call(f"{type(admin).__name__}.{name}", getattr(admin, name), *args)


def _hooked(reading: Reading, info: ModelInfo, *names: str) -> bool:
    admin = reading.registry[info.name]
    return any(admin.has_hook(n) for n in names)


def _columns_only(info: ModelInfo, values: dict[str, Any]) -> dict[str, Any]:
    """What is written of `values`: its columns (a schema's `password`, say, is for the hooks)."""
    return {k: v for k, v in values.items() if k in info.columns}


def create(session: Session, reading: Reading, info: ModelInfo, values: dict[str, Any]) -> tuple[Any, ...]:
    """Insert a record from validated values; its primary key. `on_model_change` may change the
    values (in a copy) first; `after_model_change` sees the record as inserted."""
    refuse_read_only(info)
    values = dict(values)
    _hook(session, reading, info, "on_model_change", values, info.model(), True)
    row = _columns_only(info, values)
    check_values(reading, info, row)
    obj = info.model(**row)
    session.add(obj)
    guarded(session, info, session.flush)
    _hook(session, reading, info, "after_model_change", values, obj, True)
    return info.pk_of(obj)


def created(session: Session, info: ModelInfo, pk: tuple[Any, ...]) -> bool:
    """The key was given out by the flush; the row exists only if the COMMIT landed."""
    return _exists(session, info, pk)


# -- update ---------------------------------------------------------------------------------------


def _moved(
    info: ModelInfo, current: Any, original: dict[str, Any], names: Iterable[str]
) -> dict[str, tuple[Any, Any]]:
    """The columns whose value is no longer the one read when the edit began: (then, now), as each
    column's spec compares them (`KindSpec.same`)."""
    return {
        n: (original.get(n), getattr(current, n))
        for n in names if not info.columns[n].spec.same(original.get(n), getattr(current, n))
    }


def update(
    session: Session, reading: Reading, info: ModelInfo, pk: Sequence[Any], changes: dict[str, Any],
    original: dict[str, Any],
) -> dict[str, Any]:
    """See `Store.update`. Returns the columns written (`on_model_change` may have changed them)."""
    refuse_read_only(info)
    if not changes:
        return {}
    given = changes
    changes = _columns_only(info, given)
    check_values(reading, info, changes)
    values = {info.columns[n].column: v for n, v in changes.items()}
    version = info.version_column
    still: list[sa.ColumnElement[bool]] = []
    if version is not None:
        guarded_names = [version]
        values[info.columns[version].column] = original[version] + 1
        # The version is an integer the Store keeps: comparing it in SQL too is exact, and keeps
        # the UPDATE itself guarded, as SQLAlchemy's own `version_id_col` does.
        still.append(info.columns[version].column == original[version])
    else:
        guarded_names = list(changes)
    label = f"{info.name} #{format_pk(tuple(pk))}"
    guarded(session, info, lambda: reading.rules.begin_guarded(session))
    try:
        current, _ = guarded(session, info, lambda: reading.one(session, info, pk, lock=True))
    except NotFoundError:
        raise NotFoundError(f"{label} was deleted meanwhile: nothing was saved") from None
    moved = _moved(info, current, original, dict.fromkeys([*changes, *guarded_names]))
    if any(n in moved for n in guarded_names):
        session.rollback()
        # The row is read already: naming every other column that moved costs no query.
        others = _moved(info, current, original, [n for n in info.columns if n in original and n not in moved])
        message = f"{label} was changed by someone else since you opened it: nothing was saved"
        raise ConflictError(message, moved, others)
    if _hooked(reading, info, "on_model_change", "after_model_change"):
        given = dict(given)
        # After the guard: the hook sees the row as it is, locked, and nobody else's change.
        _hook(session, reading, info, "on_model_change", given, current, False)
        hooked = _columns_only(info, given)
        check_values(reading, info, hooked)
        values = {info.columns[n].column: v for n, v in hooked.items()}
        if version is not None:
            values[info.columns[version].column] = original[version] + 1
        changes = hooked
        if not changes:
            return {}  # the hook took every change back: nothing to write
    stmt = sa.update(info.table).where(key_condition(info, pk), *still).values(values)
    if guarded(session, info, lambda: session.execute(stmt)).rowcount != 1:
        session.rollback()
        raise NotFoundError(f"{label} was deleted meanwhile: nothing was saved")
    if _hooked(reading, info, "after_model_change"):
        written, _ = reading.one(session, info, pk)
        _hook(session, reading, info, "after_model_change", given, written, False)
    return changes


def updated(session: Session, reading: Reading, info: ModelInfo, pk: Sequence[Any], changes: dict[str, Any]) -> bool:
    obj, _ = reading.one(session, info, pk)
    return all(landed_as_written(info.columns[n], getattr(obj, n), v) for n, v in changes.items())


# -- delete ---------------------------------------------------------------------------------------


def plan(session: Session, reading: Reading, info: ModelInfo, pk: Sequence[Any]) -> DeletePlan:
    """What deleting the record takes with it (see `deletion`)."""
    refuse_read_only(info)
    obj, _ = reading.one(session, info, pk)
    return plan_delete(session, info.table, key_condition(info, pk), info.label(obj), reading)


def delete(session: Session, reading: Reading, info: ModelInfo, pk: Sequence[Any]) -> DeletePlan:
    """See `Store.delete`."""
    done = plan(session, reading, info, pk)
    if not done.allowed:
        table, columns, n = done.blockers[0]
        raise WriteError(
            f"{done.label} is still referred to by {plural(n, f'{table} row')} ({table}.{columns}): "
            "reassign or delete those first",
            {},
        )
    obj = reading.one(session, info, pk)[0] if _hooked(reading, info, "on_model_delete", "after_model_delete") else None
    _hook(session, reading, info, "on_model_delete", obj)
    for statement in done.link_deletes:
        guarded(session, info, lambda s=statement: session.execute(s))
    result = guarded(session, info, lambda: session.execute(sa.delete(info.table).where(key_condition(info, pk))))
    if result.rowcount != 1:
        session.rollback()
        raise NotFoundError(f"{done.label} was deleted meanwhile")
    _hook(session, reading, info, "after_model_delete", obj)
    return done


def deleted(session: Session, info: ModelInfo, pk: Sequence[Any]) -> bool:
    return not _exists(session, info, pk)


def chosen_rows(
    reading: Reading, info: ModelInfo, chosen: Sequence[Sequence[Any]] | ListQuery
) -> sa.ColumnElement[bool]:
    """The rows a bulk delete or an action applies to: marked keys, or every row a list query
    matches (its search, filters and `list_query` scope, whatever its window shows), as one
    condition a set-based statement can use."""
    if not isinstance(chosen, ListQuery):
        return keys_condition([info.columns[n].column for n in info.primary_key], chosen)
    admin = reading.registry[chosen.model]
    pks = sa.select(*(info.columns[n].column for n in info.primary_key)).select_from(info.table)
    narrowed = scoped(admin, pks.where(*where_clause(admin, chosen, reading.rules, reading.parent(chosen))))
    return narrowed.whereclause if narrowed.whereclause is not None else sa.true()


def plan_many(session: Session, reading: Reading, info: ModelInfo, chosen: Sequence[Sequence[Any]] | ListQuery,
              ) -> DeletePlan:
    """What deleting the chosen rows takes with it, aggregated per table (see `deletion`): the
    same set-based plan as one record's, over all of them at once."""
    refuse_read_only(info)
    condition = chosen_rows(reading, info, chosen)
    n = count_rows(session, info.table, condition)
    plan = plan_delete(session, info.table, condition, plural(n, f"{info.name} row"), reading)
    plan.rows, plan.many = n, True
    return plan


def deleted_many(session: Session, reading: Reading, info: ModelInfo, chosen: Sequence[Sequence[Any]] | ListQuery,
                 ) -> bool:
    """`landed` check of `delete_many`: none of the chosen rows is left."""
    condition = chosen_rows(reading, info, chosen)
    return not count_rows(session, info.table, condition)


def delete_many(session: Session, reading: Reading, info: ModelInfo, chosen: Sequence[Sequence[Any]] | ListQuery,
                ) -> DeletePlan:
    """Delete the chosen rows and their link rows in one transaction: a handful of set-based
    statements (link rows, then the rows), never one per row. Refused, naming every blocker,
    while any chosen row is still referred to."""
    done = plan_many(session, reading, info, chosen)
    if not done.allowed:
        blockers = "; ".join(f"{plural(n, f'{table} row')} ({table}.{columns})" for table, columns, n in done.blockers)
        raise WriteError(f"{done.label}: still referred to by {blockers}: reassign or delete those first", {})
    for statement in done.link_deletes:
        guarded(session, info, lambda s=statement: session.execute(s))
    guarded(session, info, lambda: session.execute(sa.delete(info.table).where(chosen_rows(reading, info, chosen))))
    return done


# -- user actions ---------------------------------------------------------------------------------


def run_action(
    session: Session, reading: Reading, info: ModelInfo, act: Action,
    keys: Sequence[Sequence[Any]] | None, query: ListQuery | None,
) -> Any:
    """See `Store.run_action`."""
    refuse_read_only(info)
    admin = reading.registry[info.name]
    chosen = tuple(tuple(k) for k in keys) if keys is not None else None
    assert chosen is not None or query is not None
    where = chosen_rows(reading, info, chosen if chosen is not None else query)  # type: ignore[arg-type]
    selection = Selection(info.name, where, chosen, query)
    with usercode.in_session(session):
        return usercode.call(f"{type(admin).__name__} action {act.name!r}", act.fn, session, selection)


# -- links ----------------------------------------------------------------------------------------


class LinkEdit:
    """The link rows of one many-to-many relation of one record: a diff applied to them, and
    whether it landed."""

    def __init__(self, reading: Reading, info: ModelInfo, relation: str, pk: Sequence[Any]) -> None:
        refuse_read_only(info)
        self.reading, self.info = reading, info
        self.rel = rel = info.relationships[relation]
        self.table = link_table(rel)
        target = reading.registry.for_table(rel.target_table)
        assert target is not None, f"{rel.target_table} is registered"
        self.target = target.info
        pk_values = dict(zip(info.primary_key, pk, strict=True))
        self.parent = {col: pk_values[key] for key, col in rel.parent_pairs}
        link = reading.registry.for_table(table_key(self.table))
        self.link = link.info if link is not None else None
        if self.link is not None:
            refuse_read_only(self.link)
        self.columns = self.link.columns if self.link is not None else {
            c.name: column_info(c.name, c) for c in self.table.columns}

    def keys(self, target_pk: Sequence[Any]) -> dict[sa.Column[Any], Any]:
        """The link row's key columns for the link to `target_pk`."""
        by_name = dict(zip(self.target.primary_key, target_pk, strict=True))
        tkeys = {self.target.columns[n].column: n for n in self.target.primary_key}
        return {**self.parent, **{link_col: by_name[tkeys[tcol]] for tcol, link_col in self.rel.target_pairs}}

    def where(self, target_pk: Sequence[Any]) -> sa.ColumnElement[bool]:
        return sa.and_(*(col == v for col, v in self.keys(target_pk).items()))

    def current(self, session: Session, target_pk: Sequence[Any], *, lock: bool = False) -> dict[str, Any] | None:
        """The link row's values as the Store reads them (locked, with `lock`), or None."""
        if self.link is None:
            return session.execute(sa.select(self.table).where(self.where(target_pk))).mappings().first()
        stmt = sa.select(*self.reading.reader(self.link).columns).select_from(self.table).where(self.where(target_pk))
        found = self.reading.fetch(session, self.link, self.reading.rules.lock(stmt) if lock else stmt)
        return {k: getattr(found[0][0], k) for k in self.columns} if found else None

    def apply(self, session: Session, diff: LinkDiff) -> None:
        """Delete the removed link rows, update the changed ones (only if they still hold what was
        loaded), insert the added ones; if any statement fails or finds its row gone, nothing is
        applied and the error says which link."""
        who = self.link if self.link is not None else self.info
        if diff.change:
            guarded(session, who, lambda: self.reading.rules.begin_guarded(session))

        def refuse(target_pk: Sequence[Any], what: str) -> None:
            session.rollback()
            raise WriteError(f"the link to {self.target.name} #{format_pk(tuple(target_pk))} was {what} "
                             "by someone else: nothing was saved", {})

        def exactly_one(stmt: sa.Executable, target_pk: Sequence[Any], what: str) -> None:
            if guarded(session, who, lambda: session.execute(stmt)).rowcount != 1:
                refuse(target_pk, what)

        for target_pk in diff.remove:
            exactly_one(sa.delete(self.table).where(self.where(target_pk)), target_pk, "already removed")
        for change in diff.change:
            now = guarded(session, who, lambda c=change: self.current(session, c.target, lock=True))
            if now is None or any(not self.columns[k].spec.same(now.get(k), v) for k, v in change.original.items()):
                refuse(change.target, "changed or removed")
            stmt = sa.update(self.table).where(self.where(change.target)).values(
                {self.table.c[n]: v for n, v in change.values.items()})
            exactly_one(stmt, change.target, "changed or removed")
        added: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # one INSERT per shape of row
        for add in diff.add:
            row = {col.name: v for col, v in self.keys(add.target).items()}
            row.update(add.values)
            added.setdefault(tuple(row), []).append(row)
        for rows in added.values():
            guarded(session, who, lambda r=rows: session.execute(sa.insert(self.table), r))

    def applied(self, session: Session, diff: LinkDiff) -> bool:
        """After a COMMIT cut off: every part of the diff is in the table, or none is."""
        removed = all(self.current(session, t) is None for t in diff.remove)
        changed = all(
            (now := self.current(session, c.target)) is not None
            and all(landed_as_written(self.columns[k], now[k], v) for k, v in c.values.items())
            for c in diff.change
        )
        added = all(self.current(session, a.target) is not None for a in diff.add)
        return removed and changed and added
