"""Turn requests on the user's socket into commands run in this warm process, until it idles.

One command at a time, each in the folder, environment and umask of the process that sent
it, printing into frames sent back to it: the files it writes and the messages it prints
are those it would write and print run there (tests/test_resident.py holds that). A
request of another booklet version or other code is refused, and the sender runs it
itself; a process whose own source changed on disk since it started exits."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import __version__
from .resident import (
    ERR,
    EXIT,
    HANDED,
    HELLO,
    IDLE_SECONDS,
    OUT,
    REQUEST,
    code_digest,
    command_of,
    receive,
    send,
    socket_path,
)

READ_SECONDS = 10.0  # a client that connects and says nothing is dropped after this


def serve(idle: float, say: Callable[[str], None], main: Callable[[list[str]], int]) -> int:
    """Listen until `idle` seconds pass without a request, running each with `main` (the
    command line's); 0, or 1 where there is no socket."""
    _main[:] = [main]
    path = socket_path()
    if path is None:
        say("no folder for the resident build process's socket (set XDG_RUNTIME_DIR)")
        return 1
    lock = _lock(path)
    if lock is None:
        say(f"a resident build process already listens on {path}")
        return 0
    try:
        _warm_up()
        with _listening(path, idle) as listener:
            say(f"listening on {path}; exits after {idle:g} s without a request")
            _loop(listener, code_digest(), say)
    finally:
        os.close(lock)
    return 0


def _warm_up() -> None:
    """Import what builds use before the first command comes: the first one handed over
    is warm too (the imports are ~0.25 s of a cold build). Nothing is built ahead."""
    import importlib

    from ..builder import pipeline  # noqa: F401
    from ..output import preview  # noqa: F401

    for name in ("pikepdf", "pypdfium2", "svglib.svglib", "defusedxml.ElementTree"):
        with contextlib.suppress(ImportError):  # a build that needs it says so
            importlib.import_module(name)


def _lock(path: Path) -> int | None:
    """Hold the socket's lock file for this process's life; None: another one holds it."""
    import fcntl

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.parent.stat().st_uid != os.getuid():
        raise PermissionError(13, "the socket's folder is another user's", str(path.parent))
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _listening(path: Path, idle: float) -> Iterator[socket.socket]:
    """A socket bound at `path` with 0600 permissions from the start (no moment at 0755)."""
    path.unlink(missing_ok=True)  # a socket left by a process that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(mask)
    os.chmod(path, 0o600)
    listener.listen(16)
    listener.settimeout(min(idle, 1.0))
    _idle[0] = idle
    try:
        yield listener
    finally:
        listener.close()
        path.unlink(missing_ok=True)


def _loop(listener: socket.socket, digest: str, say: Callable[[str], None]) -> None:
    """Answer requests until idle, asked to stop (SIGTERM, Ctrl-C here) or out of date. A
    Ctrl-C a client passes on interrupts its command only (`main` ends it with 130)."""
    last = time.monotonic()
    while not _stop:
        _on_sigterm()  # again after each command: `main` sets its own
        try:
            conn, _ = listener.accept()
        except TimeoutError:  # a slice: signals and the idle time are looked at each second
            if time.monotonic() - last >= _idle[0]:
                say("idle: exiting")
                return
            continue
        except KeyboardInterrupt:
            return
        with conn:
            if not _answered(conn, digest, say):
                return
        last = time.monotonic()


_stop: list[bool] = []
_main: list[Callable[[list[str]], int]] = []
_idle = [IDLE_SECONDS]


def _on_sigterm() -> None:
    def stop(signum: int, frame: object) -> None:
        _stop.append(True)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _answered(conn: socket.socket, digest: str, say: Callable[[str], None]) -> bool:
    try:
        return _answer(conn, digest, say) and not _stop
    except (OSError, ValueError, KeyboardInterrupt) as exc:  # the client left, or Ctrl-C
        say(f"request dropped: {exc.__class__.__name__}")
        return not _stop


def _answer(conn: socket.socket, digest: str, say: Callable[[str], None]) -> bool:
    """Run one request; False when this process should exit (its code changed on disk)."""
    conn.settimeout(READ_SECONDS)
    frame = receive(conn) if _peer_is_us(conn) else None
    request = json.loads(frame[1]) if frame is not None and frame[0] == REQUEST else {}
    request = request if isinstance(request, dict) else {}
    conn.settimeout(None)
    if not _runnable(request, digest):
        send(conn, HELLO, json.dumps({"accepted": False, "pid": os.getpid()}).encode())
        return not request or code_digest() == digest
    send(conn, HELLO, json.dumps({"accepted": True, "pid": os.getpid()}).encode())
    started = time.perf_counter()
    code = _run(request, conn)
    took = (time.perf_counter() - started) * 1000
    # Logged before the exit status goes out: a sender that has its status may read the log
    say(f"ran {' '.join(request['argv'])} in {request['cwd']}: exit {code}, {took:.0f} ms")
    send(conn, EXIT, str(code).encode())
    return True


def _peer_is_us(conn: socket.socket) -> bool:
    """Whether the process at the other end is this user's (where the system says so)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # the 0600 socket in a 0700 folder is the guard there
    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, 12))
    return uid == os.getuid()


def _runnable(request: dict, digest: str) -> bool:
    """A request of this version and code, for a command it runs, and well formed."""
    if request.get("version") != __version__ or request.get("digest") != digest:
        return False
    return (
        _words(request.get("argv")) and command_of(request["argv"]) in HANDED and _shaped(request)
    )


def _words(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(word, str) for word in value)


def _shaped(request: dict) -> bool:
    """The folder, environment, umask and streams as `handoff._request` sends them."""
    env, streams = request.get("env"), request.get("streams")
    return (
        isinstance(request.get("cwd"), str)
        and os.path.isdir(request["cwd"])
        and isinstance(env, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
        and type(request.get("umask")) is int
        and isinstance(streams, list)
        and len(streams) == 2
        and all(_stream_shape(s) for s in streams)
    )


def _stream_shape(stream: object) -> bool:
    if not isinstance(stream, list) or len(stream) != 3:
        return False
    tty, encoding, errors = stream
    if not (isinstance(tty, bool) and isinstance(encoding, str) and isinstance(errors, str)):
        return False
    try:
        codecs.lookup(encoding)
        codecs.lookup_error(errors)
    except LookupError:
        return False
    return True


def _run(request: dict, conn: socket.socket) -> int:
    """The command's exit status, run as `main` runs it in the sender's process."""
    from ..read import dataclass_cache, regex_cache

    with _as_sender(request, conn):
        try:
            code = _main[0](request["argv"])
        except SystemExit as exc:  # argparse: usage errors (2), --help (0)
            code = _status(exc.code)
        except Exception:  # --debug re-raises: the traceback, as Python prints it
            traceback.print_exc()
            code = 1
    regex_cache.save()
    dataclass_cache.save()
    return code


def _status(code: object) -> int:
    if code is None or isinstance(code, int):
        return int(code or 0)
    print(code, file=sys.stderr)
    return 1


@contextlib.contextmanager
def _as_sender(request: dict, conn: socket.socket) -> Iterator[None]:
    """The sender's folder, environment, umask and standard streams, for one command."""
    saved = os.getcwd(), dict(os.environ), sys.stdout, sys.stderr
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    mask = os.umask(int(request["umask"]))
    (out_tty, *out), (err_tty, *err) = request["streams"]
    sys.stdout = _stream(conn, OUT, out_tty, *out)
    sys.stderr = _stream(conn, ERR, err_tty, *err)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        sys.stdout, sys.stderr = saved[2], saved[3]
        os.umask(mask)
        os.environ.clear()
        os.environ.update(saved[1])
        os.chdir(saved[0])


class _Frames(io.RawIOBase):
    """What the command writes to a standard stream, sent to the sender as frames."""

    def __init__(self, conn: socket.socket, kind: bytes, tty: bool) -> None:
        super().__init__()
        self.conn, self.kind, self.tty = conn, kind, tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty  # a progress line is drawn as on the sender's terminal

    def write(self, data) -> int:
        send(self.conn, self.kind, bytes(data))
        return len(data)


def _stream(conn: socket.socket, kind: bytes, tty: bool, encoding: str, errors: str):
    raw = _Frames(conn, kind, bool(tty))
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, write_through=True)


def start_beside(say: Callable[[str], None]) -> None:
    """Start a resident build process for this user, unless one listens already: what
    `booklet watch` does, so that builds run beside it are warm too. It outlives the watch
    until it idles."""
    import subprocess

    path = socket_path()
    if path is None or os.environ.get("BOOKLET_RESIDENT", "") == "off" or _listens(path):
        return
    argv = [sys.executable, "-m", "booklet", "serve", "--idle-timeout", f"{IDLE_SECONDS:g}"]
    devnull = subprocess.DEVNULL
    subprocess.Popen(argv, stdin=devnull, stdout=devnull, stderr=devnull, start_new_session=True)
    say(f"builds hand their work to a resident build process on {path}")


def _listens(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True
