"""The layers hold (pyproject.toml `[tool.importlinter]`): the core never imports the UI nor
Textual, the UI never imports the demo, and no screen imports another screen (the App owns
navigation: screens post messages, see tui_admin/ui/messages.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package found in `cwd`, with the contracts of `cwd/pyproject.toml`."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_import_contract_is_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " kept, 0 broken" in result.stdout


def test_a_screen_importing_another_screen_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    """The check sees imports made where they are used (as screens did before the App owned
    navigation), not only those at the top of a module."""
    shutil.copytree(ROOT / "tui_admin", tmp_path / "tui_admin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    screen = tmp_path / "tui_admin" / "ui" / "screens" / "list.py"
    screen.write_text(screen.read_text() + "\n\ndef _open() -> None:\n"
                      "    from tui_admin.ui.screens.detail import DetailScreen  # noqa: F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Screens do not import screens" in result.stdout and "BROKEN" in result.stdout
    assert "tui_admin.ui.screens.list -> tui_admin.ui.screens.detail" in result.stdout
