"""Checks on the running database: what its catalogs and activity views show right now.

These are the troubleshooting steps people run by hand when an app misbehaves in production (a
duplicate key on every insert, a pool exhausted, a page that hangs on a lock), written once as
checks. Each one reads catalogs only, in a savepoint of its own: a check the user's role may not
run (`pg_stat_activity` of other users, a sequence it cannot read) becomes a note, and the others
still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from tui_admin.core.dialects import Backend, MySQL, PostgreSQL, SQLite, backend_for
from tui_admin.core.doctor.findings import Finding, Severity
from tui_admin.core.errors import first_line
from tui_admin.core.format import plural
from tui_admin.core.registry import Registry


@dataclass(frozen=True)
class Limits:
    """When activity becomes a finding. Tests shorten them; the defaults are the usual alarms."""

    idle_in_transaction: timedelta = timedelta(minutes=1)
    long_transaction: timedelta = timedelta(minutes=1)
    connections_used: float = 0.8  # of max_connections
    analysed_after_rows: int = 1000  # a never-analysed table smaller than this plans fine
    trigram_after_rows: int = 100_000


Check = Callable[[Connection, Registry | None, Limits], Iterator[Finding]]


def check_live(connection: Connection, registry: Registry | None, limits: Limits | None = None) -> list[Finding]:
    """Every live check of this backend, each in its own savepoint."""
    limits = limits or Limits()
    findings: list[Finding] = []
    for check in checks_for(connection.dialect):
        savepoint = connection.begin_nested()
        try:
            findings += list(check(connection, registry, limits))
        except sa.exc.DBAPIError as exc:
            savepoint.rollback()
            findings.append(Finding(
                "X001", Severity.NOTE, None, None,
                f"{check.__name__.strip('_').replace('_', ' ')}: could not check ({first_line(exc)})",
                "run the doctor as a role that may read the database's catalogs and activity",
            ))
        else:
            savepoint.rollback()  # nothing was written; a rollback ends the savepoint on every backend
    return findings


def _rows(connection: Connection, sql: str, **params: Any) -> list[sa.Row[Any]]:
    return list(connection.execute(sa.text(sql), params))


# -- SQLite ----------------------------------------------------------------------------------


def _foreign_key_violations(connection: Connection, _registry: Registry | None, _limits: Limits) -> Iterator[Finding]:
    counts: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fkid in _rows(connection, "PRAGMA foreign_key_check"):
        counts[table, parent] = counts.get((table, parent), 0) + 1
    for (table, parent), count in sorted(counts.items()):
        yield Finding(
            "S001", Severity.ERROR, table, None,
            f"{plural(count, 'row')} of {table} name{'s' if count == 1 else ''} a {parent} that does not exist "
            "(foreign keys were off "
            "when they were written): opening them, and saving them again, fails",
            f"PRAGMA foreign_key_check({table});  -- lists the rows: fix or delete them",
        )


def _integrity(connection: Connection, _registry: Registry | None, _limits: Limits) -> Iterator[Finding]:
    try:
        rows = [row[0] for row in _rows(connection, "PRAGMA quick_check")]
    except sa.exc.DatabaseError as exc:  # "database disk image is malformed": as damaged as it gets
        rows = [first_line(exc)]
    # One row per problem, or one row of several lines under a "*** in database main ***" heading.
    problems = [line for row in rows for line in str(row).splitlines() if line and not line.startswith("***")]
    if problems != ["ok"]:
        yield Finding(
            "S002", Severity.ERROR, None, None,
            f"the database file is damaged (PRAGMA quick_check): {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            "restore from a backup, or recover what can be read: sqlite3 app.db .recover | sqlite3 recovered.db",
        )


# -- PostgreSQL ------------------------------------------------------------------------------

_OWNED_SEQUENCES = """
SELECT s.oid::regclass::text AS seq, t.oid::regclass::text AS tbl, a.attname AS col,
       t.relname AS table_name, seq.seqincrement AS step, seq.seqstart AS start,
       pg_sequence_last_value(s.oid) AS last
FROM pg_class s
JOIN pg_sequence seq ON seq.seqrelid = s.oid
JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE s.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 2, 3
"""


def _sequences_behind(connection: Connection, _registry: Registry | None, _limits: Limits) -> Iterator[Finding]:
    quote = connection.dialect.identifier_preparer.quote
    for seq, tbl, col, table_name, step, start, last in _rows(connection, _OWNED_SEQUENCES):
        largest = connection.execute(sa.text(f"SELECT max({quote(col)}) FROM {tbl}")).scalar()
        if largest is None:
            continue
        following = start if last is None else last + step
        if step > 0 and following <= largest:
            yield Finding(
                "P001", Severity.ERROR, table_name, col,
                f"sequence {seq} gives {following} next, but {table_name}.{col} already holds {largest}: "
                "the next insert fails with a duplicate key (rows were loaded with explicit ids)",
                f"SELECT setval('{seq}', (SELECT max({quote(col)}) FROM {tbl}));",
            )


def _idle_in_transaction(connection: Connection, _registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    sql = """SELECT pid, usename, application_name, extract(epoch FROM now() - state_change) AS idle, query
             FROM pg_stat_activity WHERE state LIKE 'idle in transaction%%'
             AND now() - state_change > make_interval(secs => :after) AND pid <> pg_backend_pid()
             AND datname = current_database()"""
    for pid, user, application, idle, query in _rows(connection, sql, after=limits.idle_in_transaction.total_seconds()):
        yield Finding(
            "P002", Severity.WARNING, None, None,
            f"session {pid} ({user}, {application or 'no application name'}) has been idle in a "
            f"transaction for {idle:.0f} s: it holds its locks and a connection (last: {_short(query)})",
            f"SELECT pg_terminate_backend({pid});  -- then find the code that opens a session and never ends it",
        )


def _connections(connection: Connection, _registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    sql = """SELECT count(*), current_setting('max_connections')::int FROM pg_stat_activity
             WHERE backend_type = 'client backend'"""
    used, most = connection.execute(sa.text(sql)).one()
    if used >= limits.connections_used * most:
        yield Finding(
            "P003", Severity.WARNING, None, None,
            f"{used} of max_connections {most} connections are in use: new ones will soon be refused",
            "look for leaked sessions (idle in transaction), or put a pooler (pgbouncer) in front",
        )


def _blocked(connection: Connection, _registry: Registry | None, _limits: Limits) -> Iterator[Finding]:
    sql = """SELECT pid, pg_blocking_pids(pid), extract(epoch FROM now() - query_start), query
             FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0 AND datname = current_database()"""
    for pid, blockers, waited, query in _rows(connection, sql):
        yield Finding(
            "P004", Severity.WARNING, None, None,
            f"session {pid} has waited {waited or 0:.0f} s for a lock held by {', '.join(map(str, blockers))} "
            f"({_short(query)})",
            f"SELECT pid, state, query FROM pg_stat_activity WHERE pid IN ({', '.join(map(str, blockers))});",
        )


def _never_analysed(connection: Connection, _registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    sql = """SELECT schemaname, relname, n_live_tup FROM pg_stat_user_tables
             WHERE last_analyze IS NULL AND last_autoanalyze IS NULL AND n_live_tup >= :rows ORDER BY 1, 2"""
    quote = connection.dialect.identifier_preparer.quote
    for schema, table, rows in _rows(connection, sql, rows=limits.analysed_after_rows):
        yield Finding(
            "P005", Severity.WARNING, table, None,
            f"{table} ({rows} rows) has never been analysed: the planner guesses its size, so "
            "estimates and plans (and the admin's row counts) are wrong",
            f"ANALYZE {quote(schema)}.{quote(table)};",
        )


_TRIGRAM_INDEXED = """
SELECT 1 FROM pg_index i
CROSS JOIN LATERAL unnest(i.indclass::oid[], i.indkey::int2[]) AS k(opclass, attnum)
JOIN pg_opclass o ON o.oid = k.opclass
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = to_regclass(:table) AND a.attname = :column
  AND o.opcname IN ('gin_trgm_ops', 'gist_trgm_ops')
"""


def _substring_search(connection: Connection, registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    if registry is None:
        return
    preparer = connection.dialect.identifier_preparer
    for admin in registry:
        table = admin.info.source
        if not isinstance(table, sa.Table) or not admin.searchable:
            continue
        name = preparer.format_table(table)
        found = connection.execute(sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": name})
        rows = found.scalar()
        if rows is None or rows < limits.trigram_after_rows:
            continue
        for column in admin.searchable:
            if connection.execute(sa.text(_TRIGRAM_INDEXED), {"table": name, "column": column}).first():
                continue
            index = preparer.quote(f"ix_{table.name}_{column}_trgm")
            yield Finding(
                "P006", Severity.WARNING, admin.info.name, column,
                f"substring search on {column} scans all {rows:,.0f} rows of {table.name} on every "
                "keystroke (hundreds of ms at a million rows); a trigram index makes it a few ms",
                f"CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX {index} ON {name} "
                f"USING gin ({preparer.quote(column)} gin_trgm_ops);",
            )


# -- MySQL / MariaDB -------------------------------------------------------------------------


def _auto_increment_behind(connection: Connection, _registry: Registry | None, _limits: Limits) -> Iterator[Finding]:
    sql = """SELECT t.TABLE_NAME, c.COLUMN_NAME, t.AUTO_INCREMENT FROM information_schema.TABLES t
             JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
             WHERE t.TABLE_SCHEMA = DATABASE() AND t.AUTO_INCREMENT IS NOT NULL AND c.EXTRA LIKE '%%auto_increment%%'"""
    quote = connection.dialect.identifier_preparer.quote
    for table, column, following in _rows(connection, sql):
        largest = connection.execute(sa.text(f"SELECT max({quote(column)}) FROM {quote(table)}")).scalar()
        if largest is not None and following <= largest:
            yield Finding(
                "Y001", Severity.ERROR, table, column,
                f"AUTO_INCREMENT of {table} is {following}, but {column} already holds {largest}: "
                "the next insert fails with a duplicate key",
                f"ALTER TABLE {quote(table)} AUTO_INCREMENT = {largest + 1};",
            )


def _long_transactions(connection: Connection, _registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    sql = """SELECT trx_mysql_thread_id, TIMESTAMPDIFF(SECOND, trx_started, NOW()), trx_query
             FROM information_schema.INNODB_TRX JOIN information_schema.PROCESSLIST p ON p.ID = trx_mysql_thread_id
             WHERE trx_started <= NOW() - INTERVAL :after SECOND AND trx_mysql_thread_id <> CONNECTION_ID()
             AND p.DB = DATABASE()"""
    for thread, seconds, query in _rows(connection, sql, after=int(limits.long_transaction.total_seconds())):
        yield Finding(
            "Y002", Severity.WARNING, None, None,
            f"connection {thread} has kept a transaction open for {seconds} s: it holds its locks and "
            f"stops purge ({_short(query) if query else 'idle'})",
            f"KILL {thread};  -- then find the code that opens a transaction and never ends it",
        )


def _mysql_connections(connection: Connection, _registry: Registry | None, limits: Limits) -> Iterator[Finding]:
    used = int(connection.execute(sa.text("SHOW STATUS LIKE 'Threads_connected'")).one()[1])
    most = int(connection.execute(sa.text("SELECT @@max_connections")).scalar())  # type: ignore[arg-type]
    if used >= limits.connections_used * most:
        yield Finding(
            "Y003", Severity.WARNING, None, None,
            f"{used} of max_connections {most} connections are in use: new ones will soon be refused",
            "look for leaked connections (SHOW PROCESSLIST), or raise max_connections",
        )


def _short(query: str | None) -> str:
    text = " ".join((query or "").split())
    return text if len(text) <= 80 else text[:79] + "…"


#: The live checks of each backend. A subclass (a PostgreSQL-compatible engine) gets its base's.
CHECKS: dict[type[Backend], tuple[Check, ...]] = {
    SQLite: (_foreign_key_violations, _integrity),
    PostgreSQL: (_sequences_behind, _idle_in_transaction, _connections, _blocked, _never_analysed, _substring_search),
    MySQL: (_auto_increment_behind, _long_transactions, _mysql_connections),
}


def checks_for(dialect: Dialect) -> tuple[Check, ...]:
    for cls in type(backend_for(dialect)).__mro__:
        if cls in CHECKS:
            return CHECKS[cls]
    return ()
