"""Turn one stage of a single-document build into work done beside it, on another core."""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def spare_core() -> bool:
    """Whether a stage may run in a forked process: a second core this process does not share.

    Not inside a worker of a parallel build (every core is busy there), not with
    BOOKLET_WORKERS=1 (serial builds, for debugging and the byte-identity test)."""
    if os.environ.get("BOOKLET_WORKERS", "") == "1" or not hasattr(os, "fork"):
        return False
    if multiprocessing.parent_process() is not None:
        return False
    return (os.cpu_count() or 1) > 1


def beside(stage: Callable[[], Any]) -> Callable[[], Any]:
    """Start `stage()` in a forked child; the returned call waits for its result.

    Without a spare core, or if the child fails in any way, the stage runs here instead,
    so the result — or the exception — is exactly the serial one."""
    if not spare_core():
        return stage
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        code = 0
        try:
            os.close(read)
            data = pickle.dumps(stage(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        except BaseException:  # noqa: BLE001 (reported by the parent running the stage itself)
            code = 1
        finally:
            os._exit(code)
    os.close(write)

    def result() -> Any:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return stage()
        return pickle.loads(data)

    return result


def fork_map(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`work(item)` for every item, as many at once as there are cores; results in order.

    Each item runs in a forked child, a wave of children at a time; without a spare core
    they all run here, one after the other. Either way the results are the same."""
    if not spare_core():
        return [work(item) for item in items]
    wave = os.cpu_count() or 1
    results: list[R] = []
    for start in range(0, len(items), wave):
        waiting = [beside(functools.partial(work, item)) for item in items[start : start + wave]]
        results.extend(wait() for wait in waiting)
    return results
