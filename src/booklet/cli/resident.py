"""Turn the resident build process's address, identity and messages into bytes and back.

A `booklet serve` (or the one `booklet watch` starts) listens on a Unix socket of the
user's, 0600 in a 0700 folder; `booklet build`, `check` and `preview` hand it their
command line (`handoff`), and it runs it in its warm process (`serve`). Both ends speak
in frames: a kind byte, a 4-byte length, the payload."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:  # socket is imported only where one is opened
    import socket

HANDED = frozenset({"build", "check", "preview"})  # the commands a resident process runs
IDLE_SECONDS = 900.0  # a resident process asked nothing for this long exits
REQUEST, HELLO, OUT, ERR, EXIT = b"R", b"H", b"1", b"2", b"X"
MAX_FRAME = 16 << 20  # a request (command line, folder, environment) is far smaller
_HEADER = struct.Struct(">cI")
_SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes on Linux, 104 on the BSDs


def socket_path() -> Path | None:
    """The user's socket: in $XDG_RUNTIME_DIR/booklet/ where that is set, else in the
    user's cache folder; None where there is neither or the path is too long for a socket."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    try:
        if runtime and os.path.isabs(runtime):
            folder = Path(runtime) / "booklet"
        else:
            cache = os.environ.get("XDG_CACHE_HOME", "")
            folder = (Path(cache) if os.path.isabs(cache) else Path.home() / ".cache") / "booklet"
    except (OSError, RuntimeError):  # no home folder
        return None
    path = folder / f"resident-{os.getuid()}.sock"
    return path if len(os.fsencode(path)) < _SOCKET_PATH_MAX else None


def code_digest() -> str:
    """What a resident process must share with a command it runs: the booklet version,
    the Python that runs it (and so its packages) and every module's source file, by
    path, size and modification time (what Python's own compiled-module cache trusts: a
    source read in full on each command cost ~10 ms)."""
    import hashlib

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.blake2b(f"{__version__}|{sys.version}|{sys.prefix}".encode(), digest_size=16)
    for folder, subfolders, names in sorted(os.walk(package)):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in sorted(n for n in names if n.endswith(".py")):
            found = os.stat(os.path.join(folder, name))
            where = os.path.relpath(os.path.join(folder, name), package)
            digest.update(f"{where}|{found.st_size}|{found.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def command_of(argv: list[str]) -> str:
    """The command a command line names: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), "")


def send(conn: socket.socket, kind: bytes, payload: bytes) -> None:
    conn.sendall(_HEADER.pack(kind, len(payload)) + payload)


def receive(conn: socket.socket) -> tuple[bytes, bytes] | None:
    """The next frame, or None when the other end left (or sent what is no frame)."""
    head = _exactly(conn, _HEADER.size)
    if head is None:
        return None
    kind, size = _HEADER.unpack(head)
    body = _exactly(conn, size) if size <= MAX_FRAME else None
    return None if body is None else (kind, body)


def _exactly(conn: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        got = conn.recv(min(size - len(data), 1 << 20))
        if not got:
            return None
        data += got
    return bytes(data)
