"""Turn the methods `dataclasses` writes for each dataclass into code compiled once, not each run.

For every dataclass, Python writes `__init__`, `__repr__`, `__eq__` and the rest as source
text and compiles it (`exec`): our model, layout and document types (~60 classes, ~330
methods with the libraries') cost ~35 ms of every `booklet` command's start. The command
line installs this cache first (`install`): each method's code, compiled from exactly the
text dataclasses wrote, is kept beside Python's own compiled modules (the package's
`__pycache__`, or PYTHONPYCACHEPREFIX), marshalled as Python keeps .pyc files, keyed by
the text itself and by the interpreter's bytecode magic; no content ever reaches it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

MAX_ENTRIES = 3000
_state: dict[str, Any] = {}


def install(folder: Path | None = None) -> bool:
    """Compile dataclass methods through the cache from now on; False where it cannot."""
    if _state or dataclasses.__dict__.get("exec") is not None:
        return False
    table: dict[str, CodeType] = {}
    made: dict[str, CodeType] = {}

    def exec_(source: Any, globals_: Any = None, locals_: Any = None) -> None:
        if "stored" not in _state:  # read when first asked: `booklet --version` never is
            _state["stored"] = stored = _file(folder)
            table.update(_read(stored))
        code = table.get(source) if isinstance(source, str) else None
        if code is None and isinstance(source, str):
            # as exec compiles it inside dataclasses: no __future__ flags of ours
            code = made[source] = compile(source, "<string>", "exec", dont_inherit=True)
        exec(code if code is not None else source, globals_, locals_)  # noqa: S102

    dataclasses.exec = exec_  # dataclasses calls exec by its global name
    _state.update(table=table, made=made, pid=os.getpid())
    return True


def save() -> None:
    """Keep the methods this process compiled that the cache did not hold yet."""
    made, stored = _state.get("made"), _state.get("stored")
    if not made or stored is None or _state.get("pid") != os.getpid():
        return
    if sys.dont_write_bytecode:
        return
    table = {**_state["table"], **made}
    if len(table) > MAX_ENTRIES:
        table = dict(made)
    try:
        data = marshal.dumps((importlib.util.MAGIC_NUMBER, table))
        stored.parent.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_name(f"{stored.name}.{os.getpid()}")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, stored)  # whole or not at all
        finally:
            temporary.unlink(missing_ok=True)
    except (OSError, ValueError):
        return  # a folder that cannot be written: compiled again next time
    _state["table"], _state["made"] = table, {}


def uninstall() -> None:
    """Python's own exec again (tests)."""
    dataclasses.__dict__.pop("exec", None)
    _state.clear()


def _read(stored: Path | None) -> dict[str, CodeType]:
    try:
        magic, table = marshal.loads(stored.read_bytes()) if stored else (None, None)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if magic != importlib.util.MAGIC_NUMBER or not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, CodeType)}


def _file(folder: Path | None) -> Path | None:
    """Where Python keeps this package's compiled modules (None when it keeps none)."""
    if folder is not None:
        return folder / f"dataclass-methods.{sys.implementation.cache_tag}.marshal"
    package = Path(__file__).resolve().parents[1] / "__init__.py"
    try:
        compiled = Path(importlib.util.cache_from_source(str(package)))
    except (NotImplementedError, ValueError):
        return None
    return compiled.parent / f"dataclass-methods.{sys.implementation.cache_tag}.marshal"
