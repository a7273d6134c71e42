"""`sqladmin-tui init [URL] [--models M | --demo]`: create the registered models' missing tables
on any database (and with `--demo`, the demo's tables and rows), so that a new, empty PostgreSQL
or MariaDB database can be opened at once. It never alters or drops anything. No Textual import.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from tui_admin.cli import HelpFormatter, parse_settled

DESCRIPTION = """\
Create the tables of your SQLModel models that the database does not have yet (with their
indexes), and print each one created. Tables that exist are never altered or dropped: run
`sqladmin-tui doctor` to see how they differ from the models.

With --demo, create the demo's tables (heroes, teams and their links) and load its rows, with
the key sequences moved past them so that new rows get new keys: the demo on PostgreSQL or
MariaDB in two commands.
"""

EPILOG = """\
exit status: 0 when done, 1 when the database refuses (or is read-only), 2 on bad usage.

examples:
  sqladmin-tui init postgresql+psycopg://me@localhost/shop --models shop.models
  sqladmin-tui init postgresql+psycopg://postgres@127.0.0.1/demo --demo
  sqladmin-tui postgresql+psycopg://postgres@127.0.0.1/demo --models tui_admin.demo.models
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqladmin-tui init", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("url", nargs="?", metavar="DATABASE_URL",
                        help="SQLAlchemy database URL (default: $DATABASE_URL)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--models", metavar="MODULE", help="the module of your SQLModel table models")
    which.add_argument("--demo", action="store_true", help="the demo's models, and load its rows into empty tables")
    parser.add_argument("--read-only", action="store_true", help="refuse (for a connection that must not write)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, url, config = parse_settled(parser, argv)
    if url is None:
        parser.error("init needs a DATABASE_URL (the embedded demo, without one, builds itself)")

    from tui_admin import demo
    from tui_admin.core.engine import EngineError, check, mask
    from tui_admin.core.errors import first_line
    from tui_admin.core.loading import load_registry
    from tui_admin.core.registry import ConfigError

    try:
        check(url)
        registry = load_registry(demo.MODELS_MODULE if args.demo else args.models)[0]
    except (ConfigError, EngineError) as exc:
        print(f"sqladmin-tui init: error: {exc}", file=sys.stderr)
        return 2
    read_only = args.read_only or bool(config.read_only)
    try:
        from tui_admin.core.dialects import backend_for

        parsed = check(url)
        created = None if read_only else backend_for(parsed.get_backend_name()).create_database(parsed)
        if created:
            print(f"created database file {created}")
        return asyncio.run(_init(url, registry, demo=args.demo, read_only=read_only))
    except Exception as exc:  # the database refuses: one line, no traceback
        print(f"sqladmin-tui init: error: {mask(url)}: {first_line(exc)}", file=sys.stderr)
        return 1


async def _init(url: str, registry: Any, *, demo: bool, read_only: bool) -> int:
    from tui_admin import demo as sample
    from tui_admin.core.store import Store

    store = Store(url, registry, read_only=read_only)
    try:
        created = await store.create_missing()
        for name in created:
            print(f"created table {name}")
        if not created:
            print("nothing to create: every table of the models exists")
        if demo:
            loaded = await store.load_rows(sample.TABLE_MODELS, sample.sample_inserts())
            if loaded.refused:
                print(f"demo rows not loaded: {loaded.refused}")
            else:
                print("loaded the demo rows: " + ", ".join(f"{n} {t}" for t, n in loaded.rows.items()))
    finally:
        await store.dispose()
    return 0

