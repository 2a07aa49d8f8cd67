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

from .forks import _die_with_parent, _message, spare_core

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
        # Tickets count on from helper to helper: a stage sent to one that died is never
        # given the reply of a stage sent to the next.
        self.sent = self.taken = 0
        self.unread = bytearray()  # reply bytes read, not yet a whole reply
        self.replies: dict[int, tuple[bool, Any]] = {}

    def submit(self, stage: Callable[[], Any]) -> int | None:
        """Send `stage` (picklable) to the helper, started if need be; its ticket, or None."""
        if self.pid > 0 and _exited(self.pid):
            self._drop()  # killed while idle (out of memory, say): reaped, started anew
        if not self.pid and not self._start():
            return None
        try:
            data = pickle.dumps(stage, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError):
            return None  # a stage that cannot be sent runs here
        left = memoryview(len(data).to_bytes(8, "big") + data)
        try:
            # While the pipe to the helper is full, its replies are read: it may be waiting
            # for room to send one, and would never read on otherwise.
            while left and self.pid:
                readable, writable, _ = select.select([self.answer], [self.ask], [])
                if readable:
                    self._read()
                if writable and self.pid:
                    try:
                        left = left[os.write(self.ask, left[:PIPE_CHUNK]) :]
                    except BlockingIOError:
                        pass
                    except OSError:  # a broken pipe: the helper is gone
                        self.stop()
        except BaseException:
            self.stop()  # a request cut short (Ctrl-C) would garble every one after it
            raise
        if left:
            return None  # the helper died: the stage runs here
        self.sent += 1
        return self.sent

    def result(self, ticket: int) -> tuple[bool, Any]:
        """(True, the stage's result), or (False, None) if the helper failed it or died."""
        try:
            while ticket not in self.replies and self.pid and self.taken < ticket:
                select.select([self.answer], [], [])
                self._read()
        except BaseException:
            self.stop()  # interrupted while a reply was coming: it would be read as the next
            raise
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
        """End the helper; what it was sent and has not answered runs here when asked for."""
        if self.pid > 0 and self.owner == os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # not reaped yet: the pid is still its own
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self._drop()
        self.taken = self.sent

    def _drop(self) -> None:
        """Let go of a helper that has been reaped: its pipes closed, its work lost."""
        for fd in (self.ask, self.answer):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.pid, self.ask, self.answer = 0, -1, -1
        self.taken = self.sent
        self.unread.clear()

    def _forget(self) -> None:
        """In a process forked from the owner: close the copies of its pipes, start clean."""
        for fd in (self.ask, self.answer):
            if fd >= 0:
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
    try:
        with os.fdopen(ask, "rb") as inbox:
            while data := _message(inbox):
                requests.put(data)
    except Exception:  # noqa: BLE001, S110 (whatever stopped the reading ends the helper)
        pass
    finally:
        requests.put(None)  # the build's end of the pipe closed: the helper ends


def _exited(pid: int) -> bool:
    """Whether the child `pid` has ended (it is reaped if so)."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return True


def _open_fds() -> list[int]:
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
    except OSError:
        return list(range(3, 256))


_helper = Helper()
# Every process forked from this one (a batch, a pool worker, the helper itself) closes
# its copies of the helper's pipes: the helper sees the end of its requests only when
# all of them are closed.
os.register_at_fork(after_in_child=_helper._forget)
atexit.register(lambda: _helper.stop())  # a library user's process; `booklet` leaves sooner


class Helped:
    """A stage sent to the helper: call it for the result, or cancel it."""

    def __init__(self, stage: Callable[[], Any], ticket: int | None):
        self.stage, self.ticket = stage, ticket

    def __call__(self) -> Any:
        if self.ticket is None:
            return self.stage()
        ok, value = _helper.result(self.ticket)
        self.ticket = None  # only now: interrupted before, cancel() still stops the helper
        return value if ok else self.stage()

    def cancel(self) -> None:
        """A failed build does not wait for what it sent: the helper is stopped."""
        if self.ticket is not None:
            _helper.replies.pop(self.ticket, None)
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
