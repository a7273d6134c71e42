"""Where the user's models come from: `--models` names a module (`myapp.models`), a file
(`models.py`, `/path/to/models.py`), or an attribute of either (`myapp.models:ADMIN`, holding a
`Registry`, a list of models and `ModelAdmin`s, or one model).

A file is imported under its own name with its directory first on `sys.path`, as `python
path/to/models.py` would, so its own `from .`-free imports of siblings work.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
from types import ModuleType

from tui_admin.core.registry import ConfigError, Registry

HINT = "the module must be importable from the current directory or PYTHONPATH, or be given as a file path"


def load_module(spec: str) -> ModuleType:
    """The module a `--models` value names (without its `:attr`)."""
    name = spec.partition(":")[0]
    if name.endswith(".py") or os.sep in name or (os.altsep and os.altsep in name):
        return _from_file(name)
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = getattr(exc, "name", None)
        hint = f" ({HINT})" if missing and name.startswith(missing) else ""
        raise ConfigError(f"cannot import models module {name!r}: {exc}{hint}") from exc
    except Exception as exc:  # the module itself fails: one line, not its traceback
        raise ConfigError(f"cannot import models module {name!r}: {type(exc).__name__}: {exc}") from exc


def load_registry(spec: str) -> tuple[Registry, ModuleType]:
    """The registry a `--models` value names, and the module it came from (whose engines the
    doctor checks)."""
    module = load_module(spec)
    attr = spec.partition(":")[2]
    if not attr:
        return Registry.from_module(module), module
    try:
        value = getattr(module, attr)
    except AttributeError:
        raise ConfigError(f"models module {module.__name__!r} has no attribute {attr!r}") from None
    if isinstance(value, Registry):
        return value, module
    if isinstance(value, ModuleType):
        return Registry.from_module(value), value
    if isinstance(value, list | tuple | set):
        return Registry(list(value)), module
    if inspect.isclass(value):
        return Registry([value]), module
    raise ConfigError(
        f"{spec}: expected a Registry, a module, a list of models or one model, not {type(value).__name__}"
    )


def _from_file(path: str) -> ModuleType:
    full = os.path.abspath(path)
    if not os.path.isfile(full):
        raise ConfigError(f"cannot import models file {path!r}: no such file")
    name = os.path.splitext(os.path.basename(full))[0]
    folder = os.path.dirname(full)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    found = importlib.util.spec_from_file_location(name, full)
    if found is None or found.loader is None:
        raise ConfigError(f"cannot import models file {path!r}: not a Python file")
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module  # SQLModel resolves relationship annotations through the module
    try:
        found.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise ConfigError(f"cannot import models file {path!r}: {type(exc).__name__}: {exc}") from exc
    return module

