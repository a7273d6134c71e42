"""Export benchmark: N heroes to CSV (or JSON Lines) through `sqladmin-tui export`'s own code,
beside its floor measured in the same run: `sqlite3 -csv` running the same SELECT on the same
file. Prints both times, the ratio, rows/s and how much the export's RSS grew.

    python bench/export.py [--rows 1000000] [--format csv] [--db PATH]

Targets (issue 10): the export takes <= 2x `sqlite3 -csv`, and RSS grows by <= 30 MB. The
export runs in a fresh process, so its RSS is its own: measured after one warm-up page (imports,
connection and statement cache in place) and at the end (peak, `ru_maxrss`), plus the growth of
each process that wrote a part. It is run twice: as `sqladmin-tui export` writes a file (in parts,
one process per CPU: `export_parts`; `export_s`, `parts`) and in this one process only, as the app
exports (`one_process_s`).

A second floor, also measured in the run: the same rows read by Python's own `sqlite3` module in
the export's keyset pages and written by its `csv` module, with nothing of ours in between
(`python_floor_s`). It shows what a plain Python export of these rows costs: the driver making
five objects per row took about as long as `sqlite3 -csv` takes for all, and `csv` as long again.
The export writes a page whose fields need no quoting with one `%` (`export.csv_text`, the same
bytes), so its own time is mostly the driver's reading (1.7-2.0 s of 2.6-2.9 s, measured).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SELECT = "SELECT id, name, secret_name, age, team_id FROM hero ORDER BY id"

CHILD = """
import asyncio, json, resource, sys, time
from tui_admin import demo
from tui_admin.core import export_parts
from tui_admin.core.query import ListQuery
from tui_admin.core.registry import Registry
from tui_admin.core.store import Store

async def main(url, out, fmt, parts):
    store = Store(url, Registry.from_module(demo.MODELS_MODULE), read_only=True)
    admin = store.registry["Hero"]
    columns = [admin.info.columns[n] for n in admin.shown_columns]
    await store.values_page(ListQuery("Hero"), None, 1000)  # warm: imports, connection, statement cache
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    done = await export_parts.to_file(store, ListQuery("Hero"), columns, out, fmt, order=list(admin.info.columns),
                                      parts=int(parts) or None)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await store.dispose()
    print(json.dumps({"rows": done.rows, "seconds": seconds, "parts": done.parts,
                      "rss_growth_mb": (after - before) / 1024 + done.parts_rss_growth_mb}))

asyncio.run(main(*sys.argv[1:]))
"""


PYTHON_FLOOR = """
import csv, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
size = int(sys.argv[3])
started = time.perf_counter()
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out, lineterminator="\\r\\n")
    writer.writerow(["id", "name", "secret_name", "age", "team_id"])
    last = None
    while True:
        rows = conn.execute("SELECT id, name, secret_name, age, team_id FROM hero"
                            + ("" if last is None else " WHERE id > ?") + f" ORDER BY id LIMIT {size + 1}",
                            () if last is None else (last,)).fetchall()
        writer.writerows(rows[:size])
        if len(rows) <= size:
            break
        last = rows[size - 1][0]
print(time.perf_counter() - started)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", default="csv", choices=("csv", "json", "jsonl"))
    parser.add_argument("--db", type=Path, help="an existing benchmark database (default: build or reuse the cache)")
    args = parser.parse_args()
    from build_db import build

    db = args.db or build(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        floor_out = Path(tmp) / "floor.csv"
        started = time.perf_counter()
        with floor_out.open("wb") as out:
            subprocess.run(["sqlite3", "-csv", "-header", str(db), SELECT], stdout=out, check=True)
        floor = time.perf_counter() - started
        ours_out = Path(tmp) / f"ours.{args.format}"

        def export(parts: int) -> dict[str, Any]:
            child = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{db}", str(ours_out), args.format,
                                    str(parts)], capture_output=True, text=True, check=True)
            return dict(json.loads(child.stdout))

        one = export(1)
        ours = export(0)  # as `sqladmin-tui export` writes a file: in parts where it can (export_parts)
        sizes = floor_out.stat().st_size, ours_out.stat().st_size
        from tui_admin.core.export import PAGE_ROWS

        floor_args = [sys.executable, "-c", PYTHON_FLOOR, str(db), str(Path(tmp) / "py.csv"), str(PAGE_ROWS)]
        python_floor = float(subprocess.run(floor_args, capture_output=True, text=True, check=True).stdout)
    print(json.dumps({
        "rows": ours["rows"], "format": args.format,
        "sqlite3_csv_s": round(floor, 3), "export_s": round(ours["seconds"], 3), "parts": ours["parts"],
        "ratio_to_sqlite3": round(ours["seconds"] / floor, 2),
        "one_process_s": round(one["seconds"], 3), "one_process_ratio_to_sqlite3": round(one["seconds"] / floor, 2),
        "one_process_rss_growth_mb": round(one["rss_growth_mb"], 1),
        "python_floor_s": round(python_floor, 3), "python_floor_ratio_to_sqlite3": round(python_floor / floor, 2),
        "ratio_to_python_floor": round(ours["seconds"] / python_floor, 2),
        "rows_per_s": round(ours["rows"] / ours["seconds"]),
        "rss_growth_mb": round(ours["rss_growth_mb"], 1),
        "bytes": {"sqlite3": sizes[0], "export": sizes[1]},
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
