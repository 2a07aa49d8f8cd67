"""Measure the costliest hostile inputs: wall time and peak memory of `booklet check` on each.

    .venv/bin/python bench/worst.py            # the cases below
    .venv/bin/python bench/worst.py 120 121    # only these

Each case is laid out as tests/test_hostile.py lays it out (a temporary project with the
case's files over a copy of the sample event) and checked in a child process, whose wall
time and peak RSS (`os.wait4`) are printed with its exit status and first message line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_hostile import _argv, _cases, _make_project  # noqa: E402

WORST = ("42", "43", "69", "92", "118", "119", "120", "121")


def measure(case, tmp: Path) -> tuple[float, float, int, str]:
    """Seconds, peak MiB, exit status and first line of stderr of one case's check."""
    project = _make_project(case, tmp)
    argv = ["check" if a == "build" else a for a in _argv(case)]
    argv = [a for a in argv if a not in ("--out", "out")]
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "booklet", *argv],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    err = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    first = err.splitlines()[0] if err else ""
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), first


def main(argv: list[str]) -> int:
    wanted = tuple(argv) or WORST
    cases = [c for c in _cases() if c.name.split("-")[0] in wanted]
    print(f"{'case':40} {'s':>7} {'MiB':>7} exit  first line")
    for case in cases:
        with tempfile.TemporaryDirectory(prefix="booklet-worst-") as tmp:
            seconds, mib, status, first = measure(case, Path(tmp))
        print(f"{case.name:40} {seconds:7.2f} {mib:7.0f} {status:>4}  {first[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
