"""Measure one child process: its wall and CPU time, exit status, output and peak memory
(the largest process, and the summed PSS of its whole tree, sampled every 25 ms)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Proc:
    seconds: float
    cpu: float  # user + system seconds of the child and its waited children
    rc: int
    maxrss_mib: float  # largest single process (ru_maxrss of the child and its waited children)
    tree_mib: float  # sampled peak of the summed PSS of the child and all its descendants
    stdout: str
    stderr: str

    @property
    def peak_mib(self) -> float:
        return max(self.maxrss_mib, self.tree_mib)


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants every 25 ms.

    PSS shares each page among the processes that map it: forked workers that share
    their parent's pages copy-on-write are not counted twice, as a sum of RSS would."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.processes = pid, 0, 1
        self.done = threading.Event()

    def tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for tid in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{tid}/children") as handle:
                        todo.extend(int(c) for c in handle.read().split())
            except OSError:
                pass
        return pids

    def run(self) -> None:
        while not self.done.wait(0.025):
            total, pids = 0, self.tree()
            for pid in pids:
                total += memory_of(pid)
            self.peak = max(self.peak, total)
            self.processes = max(self.processes, len(pids))


def memory_of(pid: int) -> int:
    """Bytes of PSS of a process (RSS where the kernel has no smaps_rollup); 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def run_proc(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> Proc:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        tree = sampler.peak / MIB if sampler.processes > 1 else 0.0
        return Proc(
            seconds,
            usage.ru_utime + usage.ru_stime,
            proc.returncode,
            usage.ru_maxrss / 1024,  # KiB on Linux
            tree,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"
