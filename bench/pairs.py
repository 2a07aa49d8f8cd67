"""Before and after: one booklet command run by two trees in alternating pairs.

    .venv/bin/python bench/pairs.py --before REV [--after REV|DIR] [--pairs 10]
        [--env NAME=VALUE ...] [--code PY] -- build content/commemoration --layout a5-booklet

Runs `python -m booklet ARGS` (or `python -c PY ARGS`) with PYTHONPATH set to each tree's
src/ in turn: before, after, after, before, ... (the order turns each pair, so a load that
rises or falls during the run does not favour one side). Each run gets a fresh output
folder (`{out}` in the arguments). Prints the median wall time and CPU time (user +
system, of the process and the children it waited for) of each side and the median of
the pairs' own ratios after ÷ before, with their range. A tree is a commit (exported with
`git archive`) or a folder with src/. The figures in bench/README.md's "Before and after"
come from it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree(spec: str, work: Path) -> Path:
    if Path(spec).is_dir():
        return Path(spec).resolve()
    dest = work / spec.replace("/", "_")
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", spec], capture_output=True)
    archive.check_returncode()
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def once(py: str, src: Path, argv: list[str], env: dict, work: Path) -> tuple[float, float]:
    out = Path(tempfile.mkdtemp(dir=work, prefix="out-"))
    args = [a.replace("{out}", str(out)) for a in argv]
    env = dict(env, PYTHONPATH=str(src / "src"))
    start = time.perf_counter()
    proc = subprocess.Popen([py, *args], env=env, cwd=src, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{src}: exit {os.waitstatus_to_exitcode(status)} for {args}")
    shutil.rmtree(out, ignore_errors=True)
    return seconds, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="commit or folder")
    ap.add_argument("--after", default=str(ROOT), help="commit or folder (default: this tree)")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for both sides")
    ap.add_argument("--code", help="run python -c CODE ARGS instead of python -m booklet ARGS")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    rest = args.args[1:] if args.args[:1] == ["--"] else args.args
    command = ["-c", args.code, *rest] if args.code else ["-m", "booklet", *rest]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(kv.split("=", 1) for kv in args.env)
    work = Path(tempfile.mkdtemp(prefix="booklet-pairs-"))
    try:
        sides = {"before": tree(args.before, work), "after": tree(args.after, work)}
        for src in sides.values():  # warm: compiled modules, caches
            once(sys.executable, src, command, env, work)
        runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        load = os.getloadavg()[0]
        for n in range(args.pairs):
            order = ("before", "after") if n % 2 == 0 else ("after", "before")
            for side in order:
                runs[side].append(once(sys.executable, sides[side], command, env, work))
        load = f"{load:.1f} → {os.getloadavg()[0]:.1f}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{' '.join(command)}\n{args.pairs} pairs, load average {load}")
    for side, samples in runs.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"  {side:6} wall {wall * 1000:8.1f} ms   CPU {cpu * 1000:8.1f} ms")
    for i, what in ((0, "wall"), (1, "CPU")):
        ratios = [a[i] / b[i] for a, b in zip(runs["after"], runs["before"], strict=True)]
        print(
            f"  after ÷ before, {what}: {statistics.median(ratios):.3f} "
            f"({min(ratios):.3f}–{max(ratios):.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
