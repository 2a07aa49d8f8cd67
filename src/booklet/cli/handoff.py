"""Turn a build, check or preview command into a request to the resident build process.

When one runs (`booklet serve`, or the one `booklet watch` starts), it runs the command
in its warm process, in this process's folder and environment, and sends back what it
prints and its exit status; when none runs, or it runs other code, the command is run
here. BOOKLET_RESIDENT=off always runs it here."""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .resident import (
    ERR,
    EXIT,
    HANDED,
    HELLO,
    OUT,
    REQUEST,
    code_digest,
    command_of,
    receive,
    send,
    socket_path,
)

if TYPE_CHECKING:
    import socket


def hand_off(argv: list[str]) -> int | None:
    """The exit status of the command as the resident process ran it; None: run it here."""
    if os.environ.get("BOOKLET_RESIDENT", "") == "off" or command_of(argv) not in HANDED:
        return None
    path = socket_path()
    if path is None or not _ours(path):
        return None
    import socket

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        return _converse(conn, argv)
    except (OSError, ValueError):  # gone, refused, or it answered nonsense: run it here
        return None
    except KeyboardInterrupt:  # before the command started there: nothing was done
        print("booklet: interrupted; previous output left untouched", file=sys.stderr)
        return 130
    finally:
        conn.close()


def _ours(path: Path) -> bool:
    """A socket of this user's that only this user can open."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    mode = found.st_mode
    return stat.S_ISSOCK(mode) and found.st_uid == os.getuid() and not mode & 0o077


def _converse(conn: socket.socket, argv: list[str]) -> int | None:
    send(conn, REQUEST, json.dumps(_request(argv)).encode())
    reply = receive(conn)
    if reply is None or reply[0] != HELLO:
        return None
    hello = json.loads(reply[1])
    if not hello.get("accepted"):
        return None  # another version, or other code: it does not run this command
    return _relay(conn, int(hello["pid"]))


def _request(argv: list[str]) -> dict:
    """The command line and everything of this process a command's output depends on."""
    import shutil

    env = dict(os.environ)
    columns, lines = shutil.get_terminal_size()  # argparse wraps help text to it
    env.setdefault("COLUMNS", str(columns))
    env.setdefault("LINES", str(lines))
    umask = os.umask(0o022)
    os.umask(umask)
    streams = [(s.isatty(), s.encoding, s.errors) for s in (sys.stdout, sys.stderr)]
    return {
        "version": __version__,
        "digest": code_digest(),
        "argv": argv,
        "cwd": os.getcwd(),
        "env": env,
        "umask": umask,
        "streams": streams,
    }


def _relay(conn: socket.socket, pid: int) -> int | None:
    """Print what the resident process prints, until it sends the exit status. Ctrl-C here
    interrupts the command there, which then ends as it would here."""
    said = False
    while True:
        try:
            frame = receive(conn)
        except KeyboardInterrupt:
            os.kill(pid, signal.SIGINT)
            continue
        if frame is None:
            return _lost(said)
        kind, payload = frame
        if kind == EXIT:
            return int(payload)
        stream = {OUT: sys.stdout, ERR: sys.stderr}.get(kind)
        if stream is not None:
            stream.buffer.write(payload)
            stream.flush()
            said = True


def _lost(said: bool) -> int | None:
    """The resident process went away before the command ended: run the command here if
    it had said nothing yet (its files are written in staging folders, moved at the end)."""
    if not said:
        return None
    print("booklet: the resident build process stopped before the command ended", file=sys.stderr)
    print("  hint: run the command again", file=sys.stderr)
    return 1
