"""Turn one stage of a single-document build into work done beside it, on another core."""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import itertools
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

# fork_imap calls under way in this process: whether each may freeze and unfreeze (not
# when the application that runs booklet froze objects of its own: those stay frozen)
_waves: list[bool] = []
T = TypeVar("T")
R = TypeVar("R")


def spare_core() -> bool:
    """Whether a stage may run in a forked process: a second core this process does not share.

    Not inside a worker of a parallel build (every core is busy there), not with
    BOOKLET_WORKERS=1 (serial builds, for debugging and the byte-identity test), and not
    in a process with other threads (a fork copies only the calling one, and a lock one of
    the others holds would never be released in the child)."""
    if os.environ.get("BOOKLET_WORKERS", "") == "1" or not hasattr(os, "fork"):
        return False
    # a worker of a parallel build has multiprocessing loaded; a process without it is none
    pool = sys.modules.get("multiprocessing")
    if pool is not None and pool.parent_process() is not None:
        return False
    if threading.active_count() > 1:
        return False
    return (os.cpu_count() or 1) > 1


class Pending:
    """A stage started beside the build: call it for the result, or cancel it."""

    def __init__(self, stage: Callable[[], Any], pid: int = 0, read: int = -1):
        self.stage, self.pid, self.read = stage, pid, read

    def __call__(self) -> Any:
        """The stage's result: from the child, or — if it failed in any way — run here."""
        if not self.pid:
            return self.stage()
        read, self.read = self.read, -1  # the file object owns the pipe from here on
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return self.stage()  # the exception, if any, is the serial one
        return pickle.loads(data)

    def cancel(self) -> None:
        """Stop the child and reap it: nothing is left behind when the build fails."""
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        if self.read >= 0:
            os.close(self.read)
            self.read = -1
        self.pid = 0


def beside(stage: Callable[[], Any]) -> Pending:
    """Start `stage()` in a forked child; the returned call waits for its result.

    Without a spare core, or when the system cannot fork or make a pipe, the stage runs
    here when its result is asked for, so the result — or the exception — is the serial one."""
    if not spare_core():
        return Pending(stage)
    try:
        read, write = os.pipe()
    except OSError:
        return Pending(stage)
    # A collection walks every object it tracks and writes to each one's header: in a
    # forked child that copies nearly every page it shares with its parent. Frozen
    # objects are never walked, so the child keeps sharing them.
    ours = _waves[-1] if _waves else not gc.get_freeze_count()
    if ours:
        gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        if ours and not _waves:
            gc.unfreeze()
        return Pending(stage)
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        _child(stage, read, write)
    os.close(write)
    if ours and not _waves:
        gc.unfreeze()  # the parent works on beside the child: it collects as before
    return Pending(stage, pid, read)


def _child(stage: Callable[[], Any], read: int, write: int) -> None:
    code = 0
    try:
        os.close(read)
        _die_with_parent()
        data = pickle.dumps(stage(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # noqa: BLE001 (the parent runs the stage itself and raises)
        code = 1
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    # Linux: a child whose parent is killed gets SIGKILL instead of computing on for nothing.
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def gather(pending: Sequence[Pending]) -> list[Any]:
    """The results of stages started beside, in order; if one fails, the others are stopped."""
    results = []
    try:
        for wait in pending:
            results.append(wait())
    except BaseException:
        for wait in pending:
            with contextlib.suppress(OSError):  # one that cannot be stopped stops no other
                wait.cancel()
        raise
    return results


def fork_map(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`work(item)` for every item, as many at once as there are cores; results in order."""
    with contextlib.closing(fork_imap(work, items)) as results:
        return list(results)


def fork_imap(work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """`work(item)` for every item, as many at once as there are cores; each result in
    order as soon as it and those before it are done, while the next items run.

    Each item runs in a forked child, and a new child starts as one is taken; without a
    spare core they all run here, one after the other. Either way the results are the
    same. Close the iterator (`contextlib.closing`) when not reading it to the end: the
    children still running are stopped and reaped."""
    if not spare_core():
        for item in items:
            yield work(item)
        return
    todo = iter(items)
    running: collections.deque[Pending] = collections.deque()
    # The parent's objects stay frozen, and shared, while children run.
    _waves.append(not gc.get_freeze_count())
    try:
        for item in itertools.islice(todo, os.cpu_count() or 1):
            running.append(beside(functools.partial(work, item)))
        while running:
            result = running[0]()
            running.popleft()
            for item in itertools.islice(todo, 1):  # the next one starts before we go on
                running.append(beside(functools.partial(work, item)))
            yield result
    finally:
        for stage in running:
            with contextlib.suppress(OSError):
                stage.cancel()
        if _waves.pop():
            gc.unfreeze()


def fork_stream(produce: Callable[[], Iterable[T]]) -> Iterator[T]:
    """The items of `produce()`, made in a forked child and taken here one by one as the
    child sends them, while it makes the next ones; without a spare core, made here.

    The child keeps its state from item to item (a long document's pages go on from one
    part to the next). Items should be small (the parts' files go through the disk): the
    child waits while the pipe is full. If the child fails, the items not yet taken are
    made here, so the result — or the exception — is the serial one. Close the iterator
    when not reading it to the end: the child is stopped and reaped."""
    if not spare_core():
        yield from produce()
        return
    try:
        read, write = os.pipe()
    except OSError:
        yield from produce()
        return
    ours = _waves[-1] if _waves else not gc.get_freeze_count()
    if ours:
        gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        if ours and not _waves:
            gc.unfreeze()
        yield from produce()
        return
    if pid == 0:
        _stream_child(produce, read, write)
    os.close(write)
    if ours and not _waves:
        gc.unfreeze()
    child = Pending(produce, pid, read)  # cancel() stops and reaps it
    taken = 0
    try:
        with os.fdopen(read, "rb") as pipe:
            child.read = -1  # the file object owns the pipe from here on
            while data := _message(pipe):
                taken += 1
                yield pickle.loads(data)
        if data is None:  # the pipe closed before the end: the child failed
            child.cancel()
            yield from itertools.islice(produce(), taken, None)
    finally:
        child.cancel()


def _message(pipe: Any) -> bytes | None:
    """The next item's bytes; b"" at the end of the stream, None if it broke off."""
    header = pipe.read(8)
    if len(header) < 8:
        return None
    data = pipe.read(int.from_bytes(header, "big"))
    return data if len(data) == int.from_bytes(header, "big") else None


def _stream_child(produce: Callable[[], Iterable[Any]], read: int, write: int) -> None:
    code = 0
    try:
        os.close(read)
        _die_with_parent()
        with os.fdopen(write, "wb") as pipe:
            for item in produce():
                data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(8, "big") + data)
                pipe.flush()
            pipe.write(bytes(8))
    except BaseException:  # noqa: BLE001 (the parent makes the rest itself and raises)
        code = 1
    finally:
        os._exit(code)
