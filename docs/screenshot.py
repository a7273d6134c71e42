"""Regenerate docs/screenshot.svg (the README's picture) from the real app on the demo data:
`python docs/screenshot.py`."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tui_admin import demo
from tui_admin.core.registry import Registry
from tui_admin.ui.app import AdminApp

OUT = Path(__file__).with_name("screenshot.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = demo.url(demo.build(Path(tmp) / "demo.db"))
        app = AdminApp(url, Registry.from_module(demo.MODELS_MODULE), title="demo")
        async with app.run_test(size=(110, 26)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("down", "down", "right")
            await pilot.pause()
            app.save_screenshot(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
