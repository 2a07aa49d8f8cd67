"""Turn the regular expressions modules compile at import into patterns kept across processes.

A `booklet` command imports ReportLab, PyYAML, pikepdf and our own modules, which compile
~120 regular expressions as they load (a few of them character classes of every letter
ReportLab hyphenates): 60-90 ms of a 0.45 s build, spent again by every process. The
command line installs this cache first (`install`): what Python's compiler makes of a
pattern compiled by module or class-body code is kept, as marshal data, in the user's
cache folder, and the next process hands it to `_sre.compile` (which checks the code it
is given) instead of parsing the pattern again. Only patterns compiled at import are
kept, never one compiled from content while building; the file is keyed by the exact
Python build, and anything unexpected falls back to Python's own compiler.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 1000  # a bound on the file, whatever imports compile
_SUPPORTED = ((3, 11), (3, 12), (3, 13))
_state: dict[str, Any] = {}


def install(folder: Path | None = None) -> bool:
    """Serve import-time patterns from the cache from now on; False where it cannot."""
    if _state or sys.version_info[:2] not in _SUPPORTED:
        return False
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return False
    original = _compiler.compile
    table: dict = {}

    def compile(p, flags=0):
        # Only patterns compiled at import are kept: any other is Python's to compile.
        if not isinstance(p, str | bytes) or not _at_import(sys._getframe(1)):
            return original(p, flags)
        if "stored" not in _state:  # read when first asked: `booklet --version` never is
            from .cache import read_cached

            _state["stored"] = stored = _file(folder)
            kept = read_cached(stored)
            table.update(kept if isinstance(kept, dict) else {})
        hit = table.get((p, flags))
        if hit is not None:
            try:
                return _sre.compile(p, *hit)
            except (TypeError, ValueError, RuntimeError):
                table.pop((p, flags), None)  # a damaged entry: compiled anew below
        parts = _compile(_compiler, _parser, p, flags)
        if len(table) < MAX_ENTRIES:
            table[(p, int(flags))] = parts
            _state["dirty"] = True
        return _sre.compile(p, *parts)

    _compiler.compile = compile
    _state.update(table=table, dirty=False, pid=os.getpid(), original=original)
    return True


def save() -> None:
    """Keep what this process compiled at import that the cache did not hold yet."""
    if _state.get("dirty") and _state.get("pid") == os.getpid():
        from .cache import keep

        keep(_state["stored"], _state["table"])
        _state["dirty"] = False


def uninstall() -> None:
    """Python's own compiler again (tests)."""
    if _state:
        from re import _compiler

        _compiler.compile = _state["original"]
        _state.clear()


def _compile(compiler: Any, parser: Any, pattern: str | bytes, flags: int) -> tuple:
    """What `re._compiler.compile` hands `_sre.compile` after the pattern itself."""
    parsed = parser.parse(pattern, flags)
    code = compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # plain ints: the compiler's opcodes and re's flags are int subclasses marshal refuses
    code = [int(op) for op in code]
    return (
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _at_import(frame: Any) -> bool:
    """Whether the code that asked for the pattern is a module's or a class's body."""
    here = re.__file__.rsplit(os.sep, 1)[0]
    while frame is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back  # re.compile, re.match, re._compile ...
    return frame is not None and not frame.f_code.co_flags & 0x02  # CO_NEWLOCALS: a function


def _file(folder: Path | None) -> Path | None:
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME", ""))
        folder = folder or (base if base.is_absolute() else Path.home() / ".cache") / "booklet"
    except RuntimeError:  # no home folder: no cache
        return None
    import _sre

    # the compiler is the standard library's: one Python version, one code for a pattern
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return folder / f"patterns-{tag}.marshal"
