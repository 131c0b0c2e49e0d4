"""Package faces: the public names a package exports, imported on first use.

`python -m assistant --help`, the build child and `import vectorstore` stay light: no package
imports a heavy stage just by being imported (tests/test_public_api.py checks both).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str], namespace: dict) -> tuple[Callable, Callable]:
    """(__getattr__, __dir__) for a package whose `exports` map public names to their modules."""

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(importlib.import_module(module), name)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
