"""Keep what is slow to work out from a data file (hyphenation patterns, a font's letters)
in the user's cache folder, as marshal data: no code is ever run when it is read back."""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path
from typing import Any

# The most the cache folder holds: past it, the files kept longest ago go first, to three
# quarters of it (prepared pictures are ~1 MB each, and every edit of one keeps another).
CACHE_LIMIT = 256 * 1024 * 1024


def cache_file(kind: str, source: Path, version: str) -> Path | None:
    """Where what is worked out from `source` is kept; None without a cache folder.

    The name holds the source's path, size and modification time and `version` (of the
    library that works it out, and whatever else the caller keys it by, such as a digest
    of the file's content): a changed file or library is worked out again."""
    try:
        stat = source.stat()
        folder = _folder()
    except (OSError, RuntimeError):  # no home folder: no cache
        return None
    key = f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{version}|{marshal.version}"
    return folder / f"{kind}-{source.stem}-{_hashed(key, 8)}.marshal"


def content_file(kind: str, key: str) -> Path | None:
    """Where what is worked out from data that is no file is kept, by `key`: a digest of
    the data, and the version of what works it out."""
    try:
        folder = _folder()
    except RuntimeError:  # no home folder: no cache
        return None
    return folder / f"{kind}-{_hashed(f'{key}|{marshal.version}', 16)}.marshal"


def _folder() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    return (base if base.is_absolute() else Path.home() / ".cache") / "booklet"


def _hashed(key: str, size: int) -> str:
    import hashlib  # not at import: `booklet --version` reads the cache without it

    return hashlib.blake2b(key.encode(), digest_size=size).hexdigest()


def read_cached(stored: Path | None) -> Any:
    """What `stored` holds, or None if it is missing or unreadable (the caller checks it)."""
    if stored is None:
        return None
    try:
        data = stored.read_bytes()
        head, body = data[:SEALED], data[SEALED:]
        if head != _seal(body):  # a flipped byte or a torn file: worked out again
            return None
        return marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        return None


SEALED = 16  # each file begins with a digest of the rest


def _seal(body: bytes) -> bytes:
    # A damaged file that still unmarshals changed printed logos without a word.
    import hashlib

    return hashlib.blake2b(body, digest_size=SEALED).digest()


def keep(stored: Path | None, value: Any) -> None:
    """Keep `value` in `stored`, whole or not at all; a folder that cannot be written only
    costs the next start the time to work it out again."""
    if stored is None:
        return
    try:
        body = marshal.dumps(value)
        data = _seal(body) + body
        stored.parent.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_name(f"{stored.name}.{os.getpid()}")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, stored)  # whole or not at all, for every process reading it
        finally:
            temporary.unlink(missing_ok=True)
        prune(stored.parent)
    except (OSError, ValueError):
        pass


def prune(folder: Path, limit: int | None = None) -> None:
    """Keep the folder under `limit` bytes: the files kept longest ago are removed first,
    down to three quarters of it (another process may remove one first: that is fine)."""
    limit = CACHE_LIMIT if limit is None else limit
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.name.endswith(".marshal"):
                stat = entry.stat(follow_symlinks=False)
                files.append((stat.st_mtime_ns, stat.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    if total <= limit:
        return
    for _, size, path in sorted(files):
        if total <= limit * 3 // 4:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
        total -= size
