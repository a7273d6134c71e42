"""The core is a library of its own: importing it (and the demo models) never imports Textual."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "tui_admin.core.store",
    "tui_admin.core.schemas",
    "tui_admin.core.query",
    "tui_admin.core.registry",
    "tui_admin.core.introspect",
    "tui_admin.core.errors",
    "tui_admin.core.engine",
    "tui_admin.core.querylog",
    "tui_admin.core.format",
    "tui_admin.core.kinds",
    "tui_admin.core.reflect",
    "tui_admin.demo",
    "tui_admin.demo.models",
]


def test_core_imports_without_textual() -> None:
    code = (
        f"import sys, {', '.join(CORE_MODULES)}\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('core' if 'tui_admin.core.store' in sys.modules else 'missing', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "core []"


def test_the_check_would_see_textual() -> None:
    # A guard on the test above: in this interpreter, importing Textual does show up.
    code = "import sys, textual\nprint('textual' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
