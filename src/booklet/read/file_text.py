"""Turn a file a build reads into its text: a regular file, within the size limit, in UTF-8."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Location, fail

MAX_FILE_BYTES = 2_000_000


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 text file within the size limit, with a located error otherwise.

    The file is checked as opened (a regular file, not over the limit) before a byte is
    read, and never read past the limit: a pipe, a device or a file that grows after the
    check costs nothing."""
    try:
        # Non-blocking: opening a named pipe with no writer does not wait for one.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        handle = -1
    info = os.fstat(handle) if handle >= 0 else None
    if info is None or not stat.S_ISREG(info.st_mode):
        if handle >= 0:
            os.close(handle)
        raise fail("file", Location(shown), "", "file not found or not a regular file")
    with os.fdopen(handle, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if max(info.st_size, len(data)) > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        raise fail(
            "limit", Location(shown), "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise fail(
            "encoding",
            Location(shown, line, col),
            "",
            f"expected UTF-8 text, found byte 0x{data[exc.start]:02X}",
            "save the file as UTF-8",
        ) from None
