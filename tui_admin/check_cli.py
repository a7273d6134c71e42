"""`sqladmin-tui check [URL] --models M`: the startup checks of the models' `ModelAdmin` options,
every problem printed with its id, exit code 1 when there is one. Without a URL only the models
are checked (their options need no database); with one, reflected tables too."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from tui_admin.cli import HelpFormatter, add_target, parse_settled
from tui_admin.core.format import plural


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqladmin-tui check", formatter_class=HelpFormatter,
        description="Check the ModelAdmin options of your models (unknown fields, fields an option cannot use, "
        "misspelt options) and print every problem at once, each with its id and a suggestion.",
        epilog="exit status: 0 when there is no problem, 1 when there is one, 2 on bad usage.",
    )
    add_target(parser, url_help="with no --models: check the database's reflected tables")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, url, _ = parse_settled(parser, argv)
    models = args.models
    if not models and url is None:
        parser.error("give --models MODULE (or a DATABASE_URL whose tables are reflected)")
    from tui_admin.core.errors import ConfigError, EngineError, first_line
    from tui_admin.core.loading import load_registry

    try:
        registry: Any = load_registry(models)[0] if models else asyncio.run(_reflected(url))
    except ConfigError as exc:
        if not exc.problems:
            print(f"sqladmin-tui check: error: {exc}", file=sys.stderr)
            return 2
        for problem in exc.problems:
            print(problem)
        print(f"{plural(len(exc.problems), 'problem')}: sqladmin-tui will not start until they are fixed")
        return 1
    except EngineError as exc:
        print(f"sqladmin-tui check: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"sqladmin-tui check: error: {first_line(exc)}", file=sys.stderr)
        return 1
    print(f"no problems: {len(registry)} models checked")
    return 0


async def _reflected(url: str) -> Any:
    from tui_admin.core.store import Store

    store = Store(url, read_only=True)
    try:
        return await store.reflect()
    finally:
        await store.dispose()
