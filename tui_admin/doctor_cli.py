"""`sqladmin-tui doctor [URL] [--models M] [--json]`: the doctor's findings, for a terminal or a
script. Textual is never imported: this runs in CI jobs and over ssh, where a TUI is no use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from tui_admin.cli import HelpFormatter, add_target, parse_settled
from tui_admin.core.format import plural

if TYPE_CHECKING:
    from tui_admin.core.doctor import Finding

DESCRIPTION = """\
Check the SQLModel production rules against your models and the live database: foreign keys
without an index, backref instead of back_populates, missing Create/Update schemas, str without
max_length, engines with echo=True or without pool_pre_ping; the models against the database
(missing tables and columns, types, NOT NULL columns the model does not know, indexes and foreign
keys never created); and the database itself (PostgreSQL sequences behind their table, sessions
idle in a transaction, connections, locks, tables never analysed, substring search without a
trigram index; MariaDB AUTO_INCREMENT, long transactions; SQLite foreign key violations and
quick_check). Read-only: it prints each fix, it never runs one.
"""

EPILOG = """\
exit status: 1 when a finding is an error (or the database cannot be opened), 0 otherwise,
2 on bad usage.

examples:
  sqladmin-tui doctor                               # the embedded demo
  sqladmin-tui doctor sqlite:///app.db --models myapp.models
  sqladmin-tui doctor postgresql+psycopg://me@localhost/shop --models shop.models --json
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqladmin-tui doctor", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_target(parser, models_help="the module of your SQLModel table models (without it, the tables are "
               "reflected and only the database's own rules are checked)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per finding, one per line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, url, _ = parse_settled(parser, argv)
    if url is None and args.models:
        parser.error("--models needs a DATABASE_URL (without one, the demo is checked with its own models)")

    from tui_admin.core.engine import EngineError, check, mask
    from tui_admin.core.errors import first_line
    from tui_admin.core.loading import load_registry
    from tui_admin.core.registry import ConfigError

    try:
        if url is None:
            from tui_admin import demo

            url = demo.url(demo.build())
            args.models = demo.MODELS_MODULE
        else:
            check(url)
        registry, module = load_registry(args.models) if args.models else (None, None)
    except (ConfigError, EngineError) as exc:
        print(f"sqladmin-tui doctor: error: {exc}", file=sys.stderr)
        return 2
    try:
        findings = asyncio.run(_diagnose(url, registry, module))
    except Exception as exc:  # the database cannot be reached or read: one line, no traceback
        print(f"sqladmin-tui doctor: error: cannot check {mask(url)}: {first_line(exc)}", file=sys.stderr)
        return 1
    print(_as_json(findings) if args.json else _as_text(findings))
    return 1 if any(f.severity == "error" for f in findings) else 0


async def _diagnose(url: str, registry: object, module: ModuleType | None) -> list[Finding]:
    from tui_admin.core.store import Store

    store = Store(url, registry, read_only=True)  # type: ignore[arg-type]
    try:
        if registry is None:
            await store.reflect()
        return await store.diagnose(models=module is not None, module=module)
    finally:
        await store.dispose()



def _as_json(findings: list[Finding]) -> str:
    return "\n".join(json.dumps(f.as_json(), ensure_ascii=False) for f in findings)


def _as_text(findings: list[Finding]) -> str:
    from tui_admin.core.doctor.findings import SEVERITY_ORDER

    if not findings:
        return "no findings: every rule checked holds"
    lines: list[str] = []
    for severity in SEVERITY_ORDER:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"{severity} ({len(group)})")
        for f in group:
            lines.append(f"  {f.id} {f.where}: {f.message}")
            fix = f.fix.splitlines()
            lines.append(f"       fix: {fix[0]}")
            lines += [f"            {line}" for line in fix[1:]]
    counts = ", ".join(plural(sum(f.severity == s for f in findings), str(s)) for s in SEVERITY_ORDER)
    lines.append(f"{plural(len(findings), 'finding')}: {counts}")
    return "\n".join(lines)
