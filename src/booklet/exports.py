"""Turn a package's table of public names into names imported from their modules on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, table: dict[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """A package's public names, each imported from its module on first use (PEP 562).

    A stage's package imports none of its modules itself: `booklet --version` and a build
    that needs one module of a package pay for no other."""

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{table[name]}"), name)

    return __getattr__, sorted(table)
