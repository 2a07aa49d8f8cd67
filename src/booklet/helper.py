"""Turn the stages of many builds into work for one process forked once and kept beside."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import os
import pickle
import queue
import select
import signal
import threading
from collections.abc import Callable
from typing import Any

from .beside import _die_with_parent, _message, spare_core

PIPE_CHUNK = 1 << 16  # bytes written to the helper at a time
PIPE_SIZE = 1 << 20  # the pipes' room (Linux; its default is 64 KiB)


class Helper:
    """A process forked once and kept, that runs stages for this process's builds in turn.

    A fork per stage costs a short build more than the stage: after a fork, every page of
    memory this process writes is copied first, and a rebuild writes many (watch mode,
    measured: ~15 ms of a 100 ms rebuild). A helper costs that once; later builds only
    send it their stages and data through a pipe. Replies come in the order stages were
    sent; a stage whose helper died is run here instead, so its result — or exception —
    is the serial one. The helper ends with this process (or when stopped)."""

    def __init__(self) -> None:
        self.pid = self.owner = 0
        self.ask = self.answer = -1  # our ends of the two pipes
        self.sent = self.taken = 0
        self.unread = bytearray()  # reply bytes read, not yet a whole reply
        self.replies: dict[int, tuple[bool, Any]] = {}

    def submit(self, stage: Callable[[], Any]) -> int | None:
        """Send `stage` (picklable) to the helper, started if need be; its ticket, or None."""
        if self.owner != os.getpid():  # forked from the owner: not this process's helper
            self.__init__()
        if not self.pid and not self._start():
            return None
        try:
            data = pickle.dumps(stage, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError):
            return None  # a stage that cannot be sent runs here
        left = memoryview(len(data).to_bytes(8, "big") + data)
        # While the pipe to the helper is full, its replies are read: it may be waiting
        # for room to send one, and would never read on otherwise.
        while left and self.pid:
            readable, writable, _ = select.select([self.answer], [self.ask], [])
            if readable:
                self._read()
            if writable and self.pid:
                with contextlib.suppress(BlockingIOError):
                    left = left[os.write(self.ask, left[:PIPE_CHUNK]) :]
        if left:
            return None  # the helper died: the stage runs here
        self.sent += 1
        return self.sent

    def result(self, ticket: int) -> tuple[bool, Any]:
        """(True, the stage's result), or (False, None) if the helper failed it or died."""
        while ticket not in self.replies and self.pid and self.taken < self.sent:
            select.select([self.answer], [], [])
            self._read()
        return self.replies.pop(ticket, (False, None))

    def _read(self) -> None:
        """Read what the helper has sent and keep each whole reply under its ticket."""
        try:
            chunk = os.read(self.answer, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the helper is gone
            self.stop()
            return
        self.unread += chunk
        while len(self.unread) >= 8:
            size = int.from_bytes(self.unread[:8], "big")
            if len(self.unread) < 8 + size:
                break
            reply = pickle.loads(self.unread[8 : 8 + size])
            del self.unread[: 8 + size]
            self.taken += 1
            self.replies[self.taken] = reply

    def stop(self) -> None:
        """End the helper and forget what it was sent (those stages run here)."""
        if self.pid and self.owner == os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            for fd in (self.ask, self.answer):
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.__init__()

    def _start(self) -> bool:
        try:
            ask_read, ask_write = os.pipe()
            answer_read, answer_write = os.pipe()
        except OSError:
            return False
        ours = not gc.get_freeze_count()
        if ours:
            gc.freeze()  # the helper's collections leave what it shares with us alone
        try:
            pid = os.fork()
        except OSError:
            for fd in (ask_read, ask_write, answer_read, answer_write):
                os.close(fd)
            if ours:
                gc.unfreeze()
            return False
        if pid == 0:
            _serve(ask_read, answer_write)
        if ours:
            gc.unfreeze()
        os.close(ask_read)
        os.close(answer_write)
        self.pid, self.owner, self.ask, self.answer = pid, os.getpid(), ask_write, answer_read
        for fd in (ask_write, answer_read):  # a short document's files fit whole in the pipe
            with contextlib.suppress(OSError, AttributeError):
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        os.set_blocking(ask_write, False)
        os.set_blocking(answer_read, False)
        if not _stop_at_exit:
            atexit.register(lambda: _helper.stop())
            _stop_at_exit.append(True)
        return True


def _serve(ask: int, answer: int) -> None:
    """The helper: run each stage sent, reply (ok, result) in turn, until the pipe closes."""
    code = 0
    try:
        _die_with_parent()
        _helper.pid = -1  # stages run here use no helper of their own
        for fd in _open_fds():
            if fd not in (ask, answer):
                with contextlib.suppress(OSError):
                    os.close(fd)  # a lock or a staged file of the parent's is not held here
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # Requests are taken off the pipe as they come, so the build never waits to send
        # one while a stage runs here.
        requests: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=_take, args=(ask, requests), daemon=True).start()
        with os.fdopen(answer, "wb") as outbox:
            while data := requests.get():
                try:
                    reply = (True, pickle.loads(data)())
                except Exception:  # noqa: BLE001 (the parent runs the stage itself and raises)
                    reply = (False, None)
                out = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
                outbox.write(len(out).to_bytes(8, "big") + out)
                outbox.flush()
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


def _take(ask: int, requests: queue.SimpleQueue) -> None:
    with contextlib.suppress(OSError), os.fdopen(ask, "rb") as inbox:
        while data := _message(inbox):
            requests.put(data)
    requests.put(None)  # the build's end of the pipe closed: the helper ends


def _open_fds() -> list[int]:
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
    except OSError:
        return list(range(3, 256))


_helper = Helper()
_stop_at_exit: list[bool] = []


class Helped:
    """A stage sent to the helper: call it for the result, or cancel it."""

    def __init__(self, stage: Callable[[], Any], ticket: int | None):
        self.stage, self.ticket = stage, ticket

    def __call__(self) -> Any:
        ticket, self.ticket = self.ticket, None
        if ticket is None:
            return self.stage()
        ok, value = _helper.result(ticket)
        return value if ok else self.stage()

    def cancel(self) -> None:
        """A failed build does not wait for what it sent: the helper is stopped."""
        if self.ticket is not None:
            self.ticket = None
            _helper.stop()


def helped(stage: Callable[[], Any]) -> Helped:
    """Run `stage` (picklable: a module-level function with its data) in the helper, on
    a spare core; without one, or if it cannot be sent, here when its result is asked for."""
    if _helper.pid == -1 or not spare_core():
        return Helped(stage, None)
    return Helped(stage, _helper.submit(stage))


def stop_helper() -> None:
    """End this process's helper (it is started again when a build next needs it)."""
    _helper.stop()
