"""Where the time of a warm rebuild goes: a stage table and cProfile's hotspots.

    .venv/bin/python bench/hotspots.py [--src DIR | --rev REV] [--event DIR]
        [--layout a5-booklet] [--lang en] [--runs 5] [--no-write] [--top 15]
        [--out FILE.prof]

Builds once to warm the process (imports, fonts), then
1. times each stage of `booklet.builder.pipeline` over --runs builds: every function the
   pipeline module (and `booklet.builder.finish`) calls by a global name (compose, typeset,
   print_file, contact sheet, imposition, write_outputs, ...) is wrapped with a timer;
   time in a stage excludes time in other wrapped stages it calls, so the rows add up
   to the build (with BOOKLET_WORKERS=1 the preflight, spreads and imposition are made
   in this process too, not by the helper);
2. profiles --runs more builds with cProfile, saves the stats (--out) and prints the
   top functions by cumulative and by own time.

Open the saved stats with `python -m pstats FILE.prof` or snakeviz. For a profile of
the whole process (imports included): `python -m cProfile -o a5.prof -m booklet build
content/commemoration --layout a5-booklet --lang en --out /tmp/o`.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import inspect
import io
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTAINERS = {"build", "_build", "run_jobs", "run_job", "build_one", "workers", "_choose", "_texts"}


def stage_timers(pipeline, *more) -> tuple[dict[str, float], dict[str, int]]:
    """Wrap the stages the pipeline (and the modules `more`, e.g. `booklet.builder.finish`) call
    by a global name with timers; return (exclusive seconds, calls) by stage."""
    spent: dict[str, float] = {}
    calls: dict[str, int] = {}
    stack: list[float] = []  # time spent in wrapped children of each open stage

    def wrap(name, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            stack.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                children = stack.pop()
                spent[name] = spent.get(name, 0.0) + elapsed - children
                calls[name] = calls.get(name, 0) + 1
                if stack:
                    stack[-1] += elapsed

        return timed

    for module in (pipeline, *more):
        for name, value in list(vars(module).items()):
            if name in CONTAINERS or not inspect.isfunction(value):
                continue
            if not (value.__module__ or "").startswith("booklet"):
                continue
            setattr(module, name, wrap(name, value))
    fonts = getattr(pipeline, "fonts", None)
    if fonts is not None and inspect.isfunction(getattr(fonts, "register", None)):
        fonts.register = wrap("fonts.register", fonts.register)
    return spent, calls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, help="booklet tree to profile (default: this one)")
    ap.add_argument("--rev", default="", help="profile this commit (git archive)")
    ap.add_argument("--event", type=Path, help="event folder (default: the tree's sample)")
    ap.add_argument("--layout", default="a5-booklet")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="build(write=False)")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--out", type=Path, help="save the cProfile stats here")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="booklet-profile-"))
    try:
        tree = (args.src or ROOT).resolve()
        if args.rev:
            tree = work / "tree"
            tree.mkdir()
            data = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.rev], capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=data, check=True)
        sys.path.insert(0, str(tree / "src"))
        import booklet.builder.pipeline as pipeline

        event = (args.event or tree / "content" / "commemoration").resolve()
        write = not args.no_write

        def build_once() -> float:
            out = work / "out"
            start = time.perf_counter()
            report = pipeline.build(event, (args.layout,), (args.lang,), out, write=write)
            seconds = time.perf_counter() - start
            shutil.rmtree(out, ignore_errors=True)
            build_once.pages = sum(d.pages for d in report.documents)
            return seconds

        first = build_once()
        plain = sorted(build_once() for _ in range(args.runs))
        finish = sys.modules.get("booklet.builder.finish")  # the finishing stages, where there are
        spent, calls = stage_timers(pipeline, *([finish] if finish else []))
        staged = [build_once() for _ in range(args.runs)]
        total = sum(staged)
        print(f"booklet from {pipeline.__file__}")
        print(
            f"{event.name}: {args.layout}.{args.lang}, {build_once.pages} pages, write={write}; "
            f"first build {first * 1000:.0f} ms, then median {plain[len(plain) // 2] * 1000:.0f}"
            f" ms over {args.runs} builds\n"
        )
        print("| stage | ms per build | share | calls per build |")
        print("|---|---:|---:|---:|")
        accounted = 0.0
        for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
            accounted += seconds
            print(
                f"| {name} | {seconds / args.runs * 1000:.1f} | {seconds / total:.0%} | "
                f"{calls[name] / args.runs:g} |"
            )
        rest = total - accounted
        print(
            f"| (build() itself, between stages) | {rest / args.runs * 1000:.1f} | "
            f"{rest / total:.0%} | |"
        )
        print(f"| **total** | {total / args.runs * 1000:.1f} | 100% | |\n")

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            build_once()
        profiler.disable()
        if args.out:
            profiler.dump_stats(str(args.out))
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text)
            stats.strip_dirs().sort_stats(order).print_stats(args.top)
            body = text.getvalue()
            start = body.find("   ncalls")
            print(f"Top {args.top} by {order} time ({args.runs} builds):\n")
            print(body[start:].rstrip() + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
