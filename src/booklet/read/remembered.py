"""Turn a reader into one that keeps its result while the files it reads stay the same."""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Diagnostics
from .nodes import MAX_FILE_BYTES

R = TypeVar("R")
_READ: dict[tuple, tuple[Any, list]] = {}  # (reader, arguments, file stamps) → result, findings
READ_CACHE = 64
# Folders, each with the names of the files a reader reads in it (None: its *.yaml files).
Files = Iterable[tuple[Path, Iterable[str] | None]]


def _stamps(files: Files) -> tuple:
    """The stamps of every folder's files, or () if one of them cannot be stamped."""
    stamps = []
    for folder, names in files:
        found = _folder_stamps(folder, names)
        if not found:
            return ()
        stamps.append(found)
    return tuple(stamps)


def _folder_stamps(folder: Path, names: Iterable[str] | None) -> tuple:
    """What identifies the files a reader reads as they are now: each name and a digest.

    A digest, not the modification time: an edit of the same size in the same clock tick
    (coarse clocks on FAT, SMB, HFS+; scripts that rewrite a file) must still be seen.
    Hashing costs a millisecond a megabyte; parsing costs a hundred. Only regular files
    inside the folder within the size limit are read here: anything else is the reader's
    to refuse, and a stray link or a huge file beside them is never opened."""
    try:
        if names is None:
            names = sorted(e.name for e in os.scandir(folder) if e.name.endswith((".yaml", ".yml")))
        inside = folder.resolve()
    except OSError:
        return ()
    stamps = []
    for name in names:
        path = folder / name
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return ()  # the reader reports it, every time
            if not path.resolve().is_relative_to(inside):
                return ()
            data = path.read_bytes()
        except FileNotFoundError:
            stamps.append((name, None))
            continue
        except (OSError, RuntimeError):
            return ()  # unreadable now: the reader will say why
        stamps.append((name, hashlib.blake2b(data, digest_size=16).digest()))
    return tuple(stamps)


def remembered(files: Callable[..., Files]) -> Callable:
    """Keep a reader's result and findings while the files `files(*args)` names are the same.

    A watch rebuild after an edit to one translation reads only that language again; the
    layouts, the build file and the other languages come from the last build. Results are
    immutable (frozen dataclasses); a reader that fails is never remembered, nor one whose
    files cannot all be stamped."""

    def wrap(reader: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(reader)
        def read(*args: Any) -> R:
            *inputs, diags = args
            stamps = _stamps(files(*inputs))
            key = (reader.__name__, *inputs, os.getcwd(), stamps)
            if stamps and key in _READ:
                result, findings = _READ[key]
            else:
                mine = Diagnostics()
                result, findings = reader(*inputs, mine), mine.items
                if len(_READ) >= READ_CACHE:
                    _READ.clear()
                if stamps:
                    _READ[key] = (result, findings)
            for finding in findings:
                diags.add(finding)
            return result

        return read

    return wrap
