"""`sqladmin-tui [DATABASE_URL]`: parse the arguments, build the registry, run the app.

Only the standard library is imported before the arguments are parsed, so `--help` and
`--version` answer at once; Textual, SQLAlchemy and SQLModel load only when the app starts.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from tui_admin import __version__

DESCRIPTION = """\
A keyboard-first terminal admin for SQLModel / SQLAlchemy databases: a list, a detail view and
create/edit forms for every table, validated through the models' Create/Update schemas.

With no URL (and no DATABASE_URL) it opens an embedded demo: heroes and teams in a SQLite file
kept in your data directory, so edits persist between runs (--reset-demo rebuilds it).
"""

EPILOG = """\
database URLs (driver extras: pip install 'sqladmin-tui[postgres,mysql,async]'):
  sqlite:///path/app.db                 sqlite+aiosqlite:///path/app.db
  postgresql+psycopg://user:pw@host/db  postgresql+asyncpg://user:pw@host/db
  mysql+pymysql://user:pw@host/db       mysql+aiomysql://user:pw@host/db

models:
  --models myapp.models   imports the module and registers every SQLModel table model in it,
                          and every ModelAdmin subclass (options: column_list, label, ...);
                          also a file (--models models.py) or an attribute (myapp.admin:MODELS).
  without --models        the database's tables and views are reflected and shown as they are
                          (views and tables without a primary key read-only); --schema NAME
                          (repeatable) narrows them to some schemas.

keys:
enter open · n new · e edit · d delete · l links (many-to-many) · / search · s sort ·
f filter · r refresh · ctrl+s save (forms) · escape back · f1 or ? help · f12 query log ·
ctrl+p palette · ctrl+q quit

tools:
  sqladmin-tui init [URL] --models M | --demo
                          create the models' missing tables (never altering one); --demo
                          also loads the demo rows: the demo on PostgreSQL or MariaDB
  sqladmin-tui export [URL] MODEL --format csv|json|jsonl [-o FILE]
                          a list (--search, --filter F=V, --sort [-]F) to a file or stdout,
                          streamed in constant memory
  sqladmin-tui serve [URL] [--read-only] [--port P]
                          the same admin in a browser, one process per tab, behind a token
  sqladmin-tui check --models M
                          every problem of the ModelAdmin options at once, with ids
  sqladmin-tui doctor [URL] [--models M] [--json]
                          check the models and the database against the SQLModel production
                          rules (sqladmin-tui doctor --help)

config file:
  sqladmin-tui.toml       in the current directory (or [tool.sqladmin-tui] in its pyproject.toml):
                          url, models, read_only, lock_timeout, theme, [keys] remaps and
                          [connections.NAME] opened with @NAME; ${VAR} is read from the
                          environment, so no secret is stored. Command-line options win.

examples:
  sqladmin-tui
  sqladmin-tui sqlite:///app.db --models myapp.models
  DATABASE_URL=postgresql+psycopg://me@localhost/shop sqladmin-tui --models shop.models --read-only
"""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with the description and epilog wrapped to the terminal too: a
    paragraph is filled; in an indented list, each `  term  text` item keeps its term and wraps
    its text under itself, so the help reads evenly at 80 columns and at 200."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=min(shutil.get_terminal_size().columns, 100) - 2, max_help_position=26)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(_fill_paragraph(p, width) for p in text.strip("\n").split("\n\n"))


def _fill_paragraph(paragraph: str, width: int) -> str:
    def fill(text: str, first: str, rest: str) -> str:
        return textwrap.fill(text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)

    lines = paragraph.splitlines()
    heading = lines[0].endswith(":") and not lines[0].startswith(" ")
    out = [fill(lines.pop(0), "", "  ")] if heading else []
    if lines and not lines[0].startswith("  "):  # prose: under a heading, indented like a list
        indent = "  " if heading else ""
        return "\n".join([*out, fill(" ".join(lines), indent, indent)])
    items: list[list[str]] = []
    for line in lines:  # an item starts at two spaces; deeper lines continue it
        if line.startswith("   ") and items:
            items[-1].append(line)
        else:
            items.append([line])
    for first, *more in items:
        column = len(more[0]) - len(more[0].lstrip()) if more else 0
        term = re.match(r"  (\S.*?\S)( {2,})(\S.*)$", first)
        if term:  # `  term   text`, the text wrapped in its own column
            column = 2 + len(term[1]) + len(term[2])
            out.append(fill(" ".join([term[3], *(m.strip() for m in more)]), first[:column], " " * column))
        elif more:  # a term on its own line, its text below it
            out += [first, fill(" ".join(m.strip() for m in more), " " * column, " " * column)]
        else:
            out.append(fill(first.strip(), "  ", "    "))
    return "\n".join(out)


URL_HELP = "SQLAlchemy URL or @NAME of the config file (default: $DATABASE_URL, the file's url, the demo)"


def add_target(parser: argparse.ArgumentParser, *, url_help: str = URL_HELP,
               models_help: str = "the module of your SQLModel table models") -> None:
    """The DATABASE_URL argument and the --models option every command takes."""
    parser.add_argument("url", nargs="?", metavar="DATABASE_URL", help=url_help)
    parser.add_argument("--models", metavar="MODULE", help=models_help)


def parse_settled(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> tuple[argparse.Namespace, str | None, Any]:
    """The arguments, the URL to open and the config file's settings (see `settle_args`).
    Intermixed: `export URL --models M Hero` is read as `export URL Hero --models M` (plain
    parsing gave the URL to MODEL, then refused Hero)."""
    args = parser.parse_intermixed_args(argv)
    url, config = settle_args(parser, args)
    return args, url, config


def settle_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str | None, Any]:
    """The URL to open and the config file's settings (`config.settle`: the command line first);
    `args.models` takes the file's when the command line gives none. A bad config file ends the
    command with one line and exit code 2."""
    from tui_admin.config import ConfigFileError, settle

    try:
        url, config = settle(args.url)
    except ConfigFileError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    if not getattr(args, "demo", False):
        args.models = getattr(args, "models", None) or config.models
    sys.path.insert(0, os.getcwd())  # --models names a module of the user's project
    return url, config


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"not a number of seconds above 0: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqladmin-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "url",
        nargs="?",
        metavar="DATABASE_URL",
        help="SQLAlchemy database URL, or @NAME for a connection of the config file (default: $DATABASE_URL, "
        "then the config file's url, else the embedded demo)",
    )
    parser.add_argument(
        "--models",
        metavar="MODULE",
        help="register the SQLModel table models and ModelAdmin classes of MODULE (a dotted name importable from "
        "the current directory or PYTHONPATH, a file path such as models.py, or MODULE:ATTR naming a Registry or a "
        "list of models)",
    )
    parser.add_argument(
        "--schema",
        action="append",
        metavar="NAME",
        dest="schemas",
        help="show only the tables of schema NAME (repeatable; on MySQL/MariaDB a schema is a database). "
        "Without it, PostgreSQL shows every user schema, other databases the URL's own",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="refuse every write (in the app, and in the database session where the database allows)",
    )
    parser.add_argument(
        "--lock-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long a save waits for a lock held by another transaction before it gives up, "
        "writing nothing (default: 10)",  # engine.DEFAULT_LOCK_TIMEOUT; a test keeps them equal
    )
    parser.add_argument(
        "--reset-demo",
        action="store_true",
        help="rebuild the embedded demo database from sample.db.sql before opening it",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


#: `sqladmin-tui NAME …` runs a tool instead of the app; each parses its own arguments.
SUBCOMMANDS = {
    "doctor": "tui_admin.doctor_cli", "init": "tui_admin.init_cli", "export": "tui_admin.export_cli",
    "serve": "tui_admin.serve_cli", "check": "tui_admin.check_cli",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        return int(importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    url, config = settle_args(parser, args)
    args.read_only = args.read_only or bool(config.read_only)
    args.lock_timeout = args.lock_timeout or config.lock_timeout
    if url is None and args.models:
        parser.error("--models needs a DATABASE_URL (without one, the demo opens with its own models)")
    if args.schemas and (url is None or args.models):
        parser.error("--schema narrows the reflected tables: it needs a DATABASE_URL and no --models")
    if url is not None and args.reset_demo:
        parser.error("--reset-demo only applies to the embedded demo (no DATABASE_URL)")

    from tui_admin.core.engine import EngineError, check
    from tui_admin.core.loading import load_registry
    from tui_admin.core.registry import ConfigError, Registry

    title = None
    try:
        if url is None:
            from tui_admin import demo

            path = demo.build(reset=args.reset_demo)
            url = demo.url(path)
            registry: Registry | None = Registry.from_module(demo.MODELS_MODULE)
            title = f"demo · {path}"
        else:
            check(url)
            registry = load_registry(args.models)[0] if args.models else None
    except (ConfigError, EngineError) as exc:
        print(f"sqladmin-tui: error: {exc}", file=sys.stderr)
        return 2

    from tui_admin.ui.app import AdminApp

    options = {} if args.lock_timeout is None else {"lock_timeout": args.lock_timeout}
    try:
        app = AdminApp(url, registry, read_only=args.read_only, title=title, schemas=args.schemas,
                       theme=config.theme, keymap=config.keys, **options)
    except ValueError as exc:  # a theme or a binding id of the config file that the app does not have
        print(f"sqladmin-tui: error: {config.path}: {exc}", file=sys.stderr)
        return 2
    app.run()
    if app.startup_error:
        print(f"sqladmin-tui: error: {app.startup_error}", file=sys.stderr)
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
