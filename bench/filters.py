"""Filter benchmark: a page of 1,000,000 heroes filtered by team, and by an age range, through the
Store, beside an unfiltered page measured in the same run. Prints each page's Store time (the
Runner's own work, `Action.work_ms`, median of --repeat) and its statements; the count is not
asked (the list defers it).

    python bench/filters.py [--rows 1000000] [--repeat 15] [--url URL]

Targets (issue 10): each filtered page <= 10 ms of Store time and <= 2 statements.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


async def measure(url: str, repeat: int) -> dict[str, dict[str, float]]:
    from tui_admin import demo
    from tui_admin.core.query import Filter, ListQuery, SortKey
    from tui_admin.core.registry import Registry
    from tui_admin.core.store import Store

    store = Store(url, Registry.from_module(demo.MODELS_MODULE), read_only=True)
    heroes = ListQuery("Hero")
    team, ages = Filter("team_id", "in", (13,)), Filter("age", "range", (30, 40))
    cases = {
        "page (no filter)": heroes,
        "team = 13": heroes.adding(team),
        "age 30-40": heroes.adding(ages),
        "age 30-40, sorted by age": ListQuery("Hero", sort=(SortKey("age"),)).adding(ages),
        "team = 13 and age 30-40": heroes.adding(team).adding(ages),
    }
    out: dict[str, dict[str, float]] = {}
    try:
        for name, query in cases.items():
            times, statements = [], 0
            for _ in range(repeat):
                await store.page(query, limit=100)
                action = store.log.actions[-1]
                times.append(action.work_ms or 0.0)
                statements = len(action.statements)
            out[name] = {"store_ms": round(statistics.median(times), 2), "statements": statements}
    finally:
        await store.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--url", help="a database built by build_db.py --url (default: the SQLite cache)")
    args = parser.parse_args()
    from build_db import build

    url = args.url or f"sqlite:///{build(args.rows)}"
    print(json.dumps(asyncio.run(measure(url, args.repeat))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
