"""`sqladmin-tui export [URL] [--models M] MODEL [--search S] [--filter F=V …] [--sort [-]F]
--format csv|json|jsonl [-o FILE|-]`: a list, as the app shows it, to a file or to stdout,
streamed by keyset in constant memory. No Textual import.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from tui_admin.cli import HelpFormatter, add_target, parse_settled
from tui_admin.core.format import plural

DESCRIPTION = """\
Export the rows of one model, with the app's search, filters and sort applied, as CSV (RFC 4180,
UTF-8), a JSON array or JSON Lines. Rows are read page by page by keyset, so memory stays flat
on any number of rows. NULL is an empty CSV field and null in JSON; decimals keep every digit;
datetimes are ISO 8601; bytes are base64. A file is written whole or not at all. On Linux, with
a sync driver, a CSV or JSON Lines file of 100,000 rows or more is written in parts, one process
per CPU, each reading a range of the keys.
"""

EPILOG = """\
exit status: 0 when done, 1 when the database fails, 2 on bad usage (an unknown model, field or
value included).

examples:
  sqladmin-tui export sqlite:///app.db --models myapp.models Hero --format csv -o heroes.csv
  sqladmin-tui export Hero --filter team_id=1 --sort=-age --format jsonl     # the demo, to stdout
  sqladmin-tui export @staging Order --search ^2026- --format json -o orders.json
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sqladmin-tui export", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=HelpFormatter)
    add_target(parser)
    parser.add_argument("model", metavar="MODEL", help="the model to export, by its name in the app (Hero)")
    parser.add_argument("--search", default="", metavar="TEXT", help="the list's search (text, =exact, ^prefix)")
    parser.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE", dest="filters",
                        help="only rows whose FIELD equals VALUE (repeatable; FIELD= is NULL)")
    parser.add_argument("--sort", metavar="[-]FIELD",
                        help="sort by FIELD; --sort=-FIELD: descending (default: the key)")
    parser.add_argument("--format", required=True, choices=("csv", "json", "jsonl"), dest="fmt")
    parser.add_argument("-o", "--output", default="-", metavar="FILE", help="the file to write (default -: stdout)")
    parser.add_argument("--parts", type=_positive, metavar="N",
                        help="processes that write a file (default: one per CPU; 1: this one only)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of processes, 1 or more, not {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, url, _ = parse_settled(parser, argv)
    models = args.models

    from tui_admin.core.engine import EngineError, check, mask
    from tui_admin.core.errors import first_line
    from tui_admin.core.loading import load_registry
    from tui_admin.core.registry import ConfigError, Registry

    try:
        if url is None:
            from tui_admin import demo

            url = demo.url(demo.build())
            registry: Registry | None = Registry.from_module(demo.MODELS_MODULE)
        else:
            check(url)
            registry = load_registry(models)[0] if models else None
    except (ConfigError, EngineError) as exc:
        return _fail(str(exc), 2)
    try:
        return asyncio.run(_export(url, registry, args))
    except _Usage as exc:
        return _fail(str(exc), 2)
    except Exception as exc:  # the database fails: one line, no traceback
        return _fail(f"{mask(url)}: {first_line(exc)}", 1)


class _Usage(Exception):
    """A model, field or value the command line names that the models do not have."""


async def _export(url: str, registry: Any, args: argparse.Namespace) -> int:
    from tui_admin.core import export, export_parts
    from tui_admin.core.store import Store

    async with Store(url, registry, read_only=True) as store:
        if registry is None:
            registry = await store.reflect()
        query = _query(registry, args)
        admin = registry[query.model]
        columns = [admin.info.columns[n] for n in admin.shown_columns]
        order = list(admin.info.columns)
        if args.output == "-":
            done = await export.stream(store.values_page, query, columns, sys.stdout, args.fmt, order=order)
        else:
            done = await export_parts.to_file(store, query, columns, args.output, args.fmt, order=order,
                                              parts=args.parts)
    where = "stdout" if args.output == "-" else args.output
    parts = f", written in {done.parts} parts" if done.parts > 1 else ""
    print(f"exported {plural(done.rows, f'{query.model} row')} to {where} {done.took()}{parts}", file=sys.stderr)
    return 0


def _query(registry: Any, args: argparse.Namespace) -> Any:
    """The `ListQuery` the options describe, every name and value checked against the model."""
    from pydantic import TypeAdapter, ValidationError

    from tui_admin.core.query import ListQuery, SortKey

    names = [a.info.name for a in registry]
    if args.model not in names:
        raise _Usage(f"no model {args.model!r} (models: {', '.join(names)})")
    admin = registry[args.model]
    if args.fmt not in admin.export_formats:
        allowed = ", ".join(admin.export_formats)
        raise _Usage(f"{args.model} cannot be exported to {args.fmt}" + (
            f" (export_types: {allowed})" if allowed else " (can_export is off)"))
    query = ListQuery(args.model, search=args.search)
    if args.sort:
        field = args.sort.removeprefix("-")
        if field not in admin.sortable:
            raise _Usage(f"--sort: {args.model} cannot be sorted by {field!r} (sortable: {', '.join(admin.sortable)})")
        query = ListQuery(args.model, sort=(SortKey(field, args.sort.startswith("-")),), search=args.search)
    for given in args.filters:
        field, equals, text = given.partition("=")
        col = admin.info.columns.get(field)
        if not equals or col is None:
            raise _Usage(f"--filter {given!r}: expected FIELD=VALUE with a field of {args.model} "
                         f"({', '.join(admin.shown_columns)})")
        try:
            value = None if text == "" else TypeAdapter(col.python_type).validate_python(text)
        except ValidationError as exc:
            raise _Usage(f"--filter {given!r}: {exc.errors()[0]['msg']}") from None
        query = query.filtered(field, value)
    return query


def _fail(message: str, code: int) -> int:
    print(f"sqladmin-tui export: error: {message}", file=sys.stderr)
    return code

