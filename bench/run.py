"""Reproduce every figure of issue 8 on this machine and print one table.

    .venv/bin/python bench/run.py [--quick] [--runs N] [--src DIR | --rev REV]
                                  [--only GROUPS] [--json FILE] [--budget S]

Every figure is taken in a child process started with this Python (whole-process
figures run `python -m booklet ...`; warm figures run one child that builds again and
again with `booklet.builder.pipeline.build`). Wall time is `time.perf_counter` around the
child; peak memory is the child's `ru_maxrss` from `os.wait4` (the largest single
process of the tree), or the sampled sum of the PSS of the whole process tree (pages
shared by forked workers counted once) when booklet starts worker processes and that
sum is larger. Times are medians of the runs.

`--src DIR` measures the booklet tree in DIR (its src/, layouts/, fonts/ and sample)
instead of this working tree; `--rev REV` measures a commit, exported with
`git archive` into a temporary folder. See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import events  # noqa: E402
import versus  # noqa: E402
from measure import MIB, Proc, fmt_s, run_proc  # noqa: E402

# --- rows ----------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    pages: int = 0
    peak_mib: float = 0.0
    extra: dict = field(default_factory=dict)
    cpu: float | None = None  # CPU seconds (user + system), when known


@dataclass
class Row:
    key: str
    work: str
    group: str
    samples: list[Sample] = field(default_factory=list)
    target: float | None = None  # seconds
    target_mib: float | None = None
    target_text: str = ""
    note: str = ""
    error: str = ""
    ceiling: str = ""  # key of the row this one is compared with

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def best(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float | None:
        known = [s.cpu for s in self.samples if s.cpu is not None]
        return statistics.median(known) if known else None

    @property
    def pages(self) -> int:
        return self.samples[0].pages if self.samples else 0

    @property
    def peak(self) -> float:
        return max(s.peak_mib for s in self.samples)

    def met(self) -> bool | None:
        if self.error or not self.samples:
            return None
        ok = True
        if self.target is not None:
            ok &= self.median < self.target
        if self.target_mib is not None:
            ok &= self.peak < self.target_mib
        return ok if (self.target is not None or self.target_mib is not None) else None


class Bench:
    def __init__(self, args: argparse.Namespace, tree: Path, work: Path):
        self.args, self.tree, self.work = args, tree, work
        # the scaling run makes documents far past booklet's 600-page limit for one document
        self.env = dict(os.environ, BOOKLET_MAX_PAGES="100000")
        self.env["PYTHONPATH"] = os.pathsep.join(
            [str(tree / "src")] + ([self.env["PYTHONPATH"]] if self.env.get("PYTHONPATH") else [])
        )
        self.env.pop("BOOKLET_WORKERS", None)
        # every row runs booklet in its own process, but the one that measures `booklet serve`
        self.env["BOOKLET_RESIDENT"] = "off"
        # As on a user's machine: Python caches compiled modules (some sandboxes turn that
        # off, which makes every process compile booklet's modules again: ~60 ms).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["BENCH_SAMPLE"] = str(tree / "content" / "commemoration")
        self.py = sys.executable
        self.sample = tree / "content" / "commemoration"
        self.rows: list[Row] = []
        self.counter = 0
        self.raised: dict[str, tuple[int, int]] = {}  # event → (its size, the input limit)

    # -- helpers

    def out_dir(self) -> Path:
        self.counter += 1
        return self.work / "out" / f"{self.counter:04d}"

    def booklet(self, *argv: str) -> list[str]:
        return [self.py, "-m", "booklet", *argv]

    def booklet_argv(self, event: Path) -> list[str]:
        """`python -m booklet`, or, for an event over booklet's input limit, a `python -c`
        that raises the limit first (said in the table's notes)."""
        if not hasattr(self, "_limit"):
            self._limit = self.input_limit()
        biggest = max(p.stat().st_size for p in event.glob("*.yaml"))
        if self._limit is None or biggest <= self._limit:
            return [self.py, "-m", "booklet"]
        self.raised[event.name] = (biggest, self._limit)
        code = (
            f"import sys, importlib; n = {biggest + 1}\n"
            f"for m in {LIMIT_MODULES!r}:\n"
            "    try: L = importlib.import_module(m)\n"
            "    except ImportError: continue\n"
            "    if hasattr(L, 'MAX_FILE_BYTES'): L.MAX_FILE_BYTES = n\n"
            "from booklet.cli import main; sys.exit(main(sys.argv[1:]))"
        )
        return [self.py, "-c", code]

    def task(self, *argv: str) -> list[str]:
        return [self.py, str(Path(__file__).resolve()), "--task", *argv]

    def ceiling(self, *argv: str) -> list[str]:
        return [self.py, str(BENCH / "ceiling.py"), *argv, "--project", str(self.tree)]

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def repeat(
        self,
        row: Row,
        once: Callable[[], Sample],
        warmup: bool = False,
        runs: int | None = None,
    ) -> Row:
        """Run `once` up to --runs times, fewer when one run is long (see --budget)."""
        self.rows.append(row)
        self.log(f"· {row.work}")
        try:
            if warmup:
                once()
            first = once()
            row.samples.append(first)
            wanted = runs or self.args.runs
            budget = self.args.budget
            count = max(1, min(wanted, int(budget // max(first.seconds, 1e-6))))
            for _ in range(count - 1):
                row.samples.append(once())
        except RuntimeError as exc:
            row.error = str(exc)
            self.log(f"  failed: {exc}")
            return row
        self.log(f"  {len(row.samples)} runs, median {row.median:.3f} s")
        return row

    def proc_sample(self, argv: list[str], out: Path | None = None, cwd: Path | None = None):
        if out is not None and out.exists():
            shutil.rmtree(out)
        proc = run_proc(argv, self.env, cwd or self.work)
        if proc.rc != 0:
            tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-3:]
            raise RuntimeError(f"exit {proc.rc}: {' | '.join(tail)[:300]}")
        return proc

    def booklet_pages(self, out: Path, stdout: str) -> int:
        reports = list(out.glob("*/report.json")) if out.exists() else []
        if reports:
            data = json.loads(reports[0].read_text(encoding="utf-8"))
            return sum(int(d.get("pages", 0)) for d in data.get("documents", []))
        return sum(int(n) for n in re.findall(r":\s*(\d+) pages?\b", stdout))

    def whole_build(self, event: Path, *extra: str) -> Callable[[], Sample]:
        def once() -> Sample:
            out = self.out_dir()
            proc = self.proc_sample(self.booklet("build", str(event), *extra, "--out", str(out)))
            pages = self.booklet_pages(out, proc.stdout)
            shutil.rmtree(out, ignore_errors=True)
            return Sample(proc.seconds, pages, proc.peak_mib, {"tree": proc.tree_mib}, proc.cpu)

        return once

    def json_task(self, argv: list[str]) -> tuple[Proc, dict]:
        proc = self.proc_sample(argv)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
        return proc, json.loads(line)

    # -- the rows

    def floors(self) -> None:
        for key, work, code in (
            ("python", "python -c pass (interpreter start, the floor)", "pass"),
            (
                "import-platypus",
                "python -c 'import reportlab.platypus'",
                "import reportlab.platypus",
            ),
        ):
            row = Row(key, work, "floor")

            def once(code=code) -> Sample:
                proc = self.proc_sample([self.py, "-c", code])
                return Sample(proc.seconds, 0, proc.peak_mib, cpu=proc.cpu)

            self.repeat(row, once, warmup=True, runs=max(self.args.runs, 5))

    def cold_start(self) -> None:
        for flag, target in (("--version", 0.10), ("--help", 0.15)):
            row = Row(
                f"cold{flag}",
                f"booklet {flag} (whole process)",
                "cold",
                target=target,
                target_text=f"< {target:.2f} s",
            )

            def once(flag=flag) -> Sample:
                proc = self.proc_sample(self.booklet(flag))
                return Sample(proc.seconds, 0, proc.peak_mib, cpu=proc.cpu)

            self.repeat(row, once, warmup=True, runs=max(self.args.runs, 5))

    def sample_booklet(self) -> None:
        row = Row(
            "a5",
            "sample A5 booklet, en, whole process",
            "sample",
            target=0.25,
            target_text="< 0.25 s",
            ceiling="ceil-a5",
        )
        self.repeat(
            row, self.whole_build(self.sample, "--layout", "a5-booklet", "--lang", "en"), True
        )
        for write, key, target in ((False, "a5-warm-nowrite", None), (True, "a5-warm", 0.060)):
            row = Row(
                key,
                f"  same, rebuilt in a warm process, write={write}",
                "sample",
                target=target,
                target_text="< 60 ms" if target else "",
                ceiling="ceil-a5-warm" if write else "",
                note="build() called again in one process; first call excluded",
            )
            self.warm_row(row, write)
        row = Row("ceil-a5", "  ceiling: plain ReportLab, same pages, whole process", "sample")
        self.repeat(row, self.ceiling_once(self.sample), warmup=True)
        row = Row("ceil-a5-warm", "  ceiling: same, rebuilt in a warm process", "sample")
        self.ceiling_warm(row, self.sample)

    def warm_row(self, row: Row, write: bool) -> None:
        self.rows.append(row)
        self.log(f"· {row.work}")
        repeat = max(self.args.runs, 5)
        edited = self.work / "warm-sample" / "commemoration"  # the task touches its event.yaml
        if not edited.exists():
            events.copy_sample(edited, self.sample)
        try:
            _, data = self.json_task(
                self.task(
                    "warm",
                    str(edited),
                    "a5-booklet",
                    "en",
                    "1" if write else "0",
                    str(repeat),
                    str(self.out_dir()),
                )
            )
            proc_peak = data["peak_mib"]
        except (RuntimeError, KeyError, IndexError, ValueError) as exc:
            row.error = str(exc)
            return
        row.samples = [
            Sample(t, data["pages"], proc_peak, cpu=c)
            for t, c in zip(data["times"], data["cpu"], strict=True)
        ]
        row.note += f"; first call {data['first']:.2f} s"
        self.log(f"  {len(row.samples)} runs, median {row.median * 1000:.1f} ms")

    def ceiling_once(self, event: Path, *extra: str) -> Callable[[], Sample]:
        def once() -> Sample:
            out = self.work / "ceiling.pdf"
            proc, data = self.json_task(self.ceiling(str(event), "--out", str(out), *extra))
            built = {"build": data["times"][0]}
            return Sample(proc.seconds, data["pages"], proc.peak_mib, built, proc.cpu)

        return once

    def ceiling_warm(self, row: Row, event: Path) -> None:
        self.rows.append(row)
        self.log(f"· {row.work}")
        repeat = max(self.args.runs, 5) + 1
        try:
            proc, data = self.json_task(
                self.ceiling(str(event), "--out", str(self.work / "c.pdf"), "--repeat", str(repeat))
            )
        except (RuntimeError, IndexError, ValueError) as exc:
            row.error = str(exc)
            return
        row.samples = [
            Sample(t, data["pages"], proc.peak_mib, cpu=c)
            for t, c in zip(data["times"][1:], data["cpu"][1:], strict=True)
        ]
        row.note = "first build excluded"

    def matrix(self) -> None:
        row = Row(
            "matrix",
            "full sample matrix (every document × language), whole process",
            "matrix",
            target=3.0,
            target_text="< 3 s",
        )
        spec = (self.sample / "build.yaml").read_text(encoding="utf-8")
        docs = re.search(r"documents:\s*\[([^\]]*)\]", spec)
        langs = re.search(r"languages:\s*\[([^\]]*)\]", spec)
        if docs and langs:
            nd, nl = len(docs.group(1).split(",")), len(langs.group(1).split(","))
            row.note = f"{nd} documents × {nl} languages = {nd * nl} documents"
        self.repeat(row, self.whole_build(self.sample), warmup=True)

    def invitations(self) -> None:
        inv = events.invitation_event(self.work / "inv1000", 1000, sample=self.sample)
        row = Row(
            "inv1000",
            "1,000 invitations with own QR, one PDF, whole process",
            "cards",
            target=1.5,
            target_text="< 1.5 s",
            ceiling="ceil-inv1000",
        )
        self.repeat(row, self.whole_build(inv))
        row = Row("ceil-inv1000", "  ceiling: plain ReportLab, one PDF, whole process", "cards")
        self.repeat(row, self.ceiling_once(inv, "--layout", "a6-invitation"))
        if not self.args.quick:
            row = Row(
                "ceil-inv1000-mask",
                "  ceiling: same, qrcode choosing among all 8 QR masks",
                "cards",
                note="every other ceiling row uses booklet's fixed mask (pattern 2)",
            )
            args = ("--layout", "a6-invitation", "--qr-mask", "search")
            self.repeat(row, self.ceiling_once(inv, *args))
        self.separate_files(inv)
        row = Row(
            "ceil-files",
            "  ceiling: 1,000 files from one warm process (ReportLab only)",
            "cards",
            note="one PDF per guest, written to disk",
        )

        count = 100 if self.args.quick else 1000
        source = inv
        if count != 1000:
            source = events.invitation_event(self.work / "inv100", count, sample=self.sample)
            row.note += f"; quick run: {count} files, time and pages × {1000 // count}"

        def ceiling_files() -> Sample:
            files = self.work / "ceiling-files"
            shutil.rmtree(files, ignore_errors=True)
            proc, data = self.json_task(
                self.ceiling(str(source), "--layout", "a6-invitation", "--files", str(files))
            )
            scale = 1000 / count
            pages = round(data["pages"] * scale)
            return Sample(proc.seconds * scale, pages, proc.peak_mib, cpu=proc.cpu * scale)

        self.repeat(row, ceiling_files)

    def separate_files(self, inv: Path) -> None:
        flag = self.per_card_flag()
        count = 100 if self.args.quick else 1000
        scale = 1000 / count
        row = Row(
            "files1000",
            "1,000 invitations as 1,000 files",
            "cards",
            target=5.0,
            target_text="< 5 s",
            ceiling="ceil-files",
        )
        if flag:
            row.work += f" (booklet build {flag}), whole process"
            self.repeat(row, self.whole_build(inv, flag))
            return
        root = self.work / "separate"
        if not root.exists():
            events.separate_events(inv, root, count)
        row.work += ", one warm process"
        row.note = (
            f"booklet has no one-file-per-card option yet: {count:,} single-guest builds "
            "(build(), write=True) in one process after one warm-up build; each writes "
            "print + screen PDF, PNG and report"
        )
        if scale != 1:
            row.note += f"; quick run: {count} builds, time and pages × {scale:.0f}"

        def once() -> Sample:
            out = self.out_dir()
            proc, data = self.json_task(self.task("separate", str(root), str(out)))
            shutil.rmtree(out, ignore_errors=True)
            pages = round(data["pages"] * scale)
            extra = {"wall": proc.seconds}
            return Sample(data["seconds"] * scale, pages, proc.peak_mib, extra, data["cpu"] * scale)

        self.repeat(row, once)

    def per_card_flag(self) -> str:
        try:
            proc = self.proc_sample(self.booklet("build", "--help"))
        except RuntimeError:
            return ""
        found = re.search(
            r"(--(?:split|per-guest|per-card|one-per-guest|one-file-per-card|separate|"
            r"cards-apart|file-per-card|each-card))\b",
            proc.stdout,
        )
        return found.group(1) if found else ""

    def big_batch(self) -> None:
        inv = events.invitation_event(self.work / "inv10000", 10_000, sample=self.sample)
        row = Row(
            "inv10000",
            "10,000-card batch, one PDF, whole process",
            "cards",
            target_mib=150,
            target_text="peak < 150 MB",
        )
        self.repeat(row, self.whole_build(inv), runs=1)

    def input_limit(self) -> int | None:
        try:
            proc = self.proc_sample([self.py, "-c", LIMIT_PROBE])
            return int(proc.stdout.strip())
        except (RuntimeError, ValueError):
            return None

    def scaling(self) -> None:
        sizes = (16, 160) if self.args.quick else (16, 160, 1600)
        for size in sizes:
            event = events.long_event(self.work / f"long{size}", size, sample=self.sample)
            row = Row(
                f"scale{size}",
                f"generated A5 booklet, ~{size:,} pages, whole process",
                "scaling",
                ceiling=f"ceil-scale{size}",
            )
            if size == 1600:
                row.target, row.target_mib = 4.0, 100
                row.target_text = "< 4 s, < 100 MB"
            prefix = self.booklet_argv(event)
            if event.name in self.raised:
                row.note = "input limit raised (below the table)"

            def once(event=event, prefix=prefix) -> Sample:
                out = self.out_dir()
                proc = self.proc_sample([*prefix, "build", str(event), "--out", str(out)])
                pages = self.booklet_pages(out, proc.stdout)
                shutil.rmtree(out, ignore_errors=True)
                return Sample(proc.seconds, pages, proc.peak_mib, cpu=proc.cpu)

            self.repeat(row, once)
            row = Row(
                f"scale{size}-warm",
                "  same, build() in a warm process",
                "scaling",
                ceiling=f"ceil-scale{size}-warm",
                note="after one warm-up build of the sample booklet in the same process",
            )

            def warm(event=event) -> Sample:
                out = self.out_dir()
                proc, data = self.json_task(self.task("warm-build", str(event), str(out)))
                shutil.rmtree(out, ignore_errors=True)
                return Sample(data["build_s"], data["pages"], proc.peak_mib, cpu=data["cpu_s"])

            self.repeat(row, warm)
            row = Row(f"ceil-scale{size}", "  ceiling: plain ReportLab, same pages", "scaling")
            self.repeat(row, self.ceiling_once(event))
            row = Row(
                f"ceil-scale{size}-warm",
                "  ceiling: same, second build in one process",
                "scaling",
            )

            def ceiling_warm(event=event) -> Sample:
                argv = self.ceiling(str(event), "--out", str(self.work / "c.pdf"), "--repeat", "2")
                proc, data = self.json_task(argv)
                return Sample(data["times"][1], data["pages"], proc.peak_mib, cpu=data["cpu"][1])

            self.repeat(row, ceiling_warm)

    # -- report

    def by_key(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key and r.samples), None)


# --- tasks run inside child processes ------------------------------------------------------


# Where booklet keeps its input limit (file_text since the readers were split; nodes
# before), and the modules that copy it at import: a raised limit is set in each.
LIMIT_MODULES = ("booklet.read.file_text", "booklet.read.nodes", "booklet.read.remembered")
LIMIT_PROBE = (
    "import importlib\n"
    f"for m in {LIMIT_MODULES!r}:\n"
    "    try: L = importlib.import_module(m)\n"
    "    except ImportError: continue\n"
    "    if hasattr(L, 'MAX_FILE_BYTES'): print(L.MAX_FILE_BYTES); break\n"
)


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task_warm(
    event: str, layout: str, lang: str, write: str, repeat: str, out: str, how: str = "touch"
) -> None:
    from booklet.builder.pipeline import build

    edited = Path(event) / "event.yaml"
    text = edited.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def once() -> tuple[float, float, int]:
        # As after a save in the editor: the event file is newer, so booklet reads it again
        # (it keeps what it read last time only while a folder's files are unchanged).
        # "edit" changes a word of the prose as well, as the versus rows do for Typst.
        if how == "edit":
            n = next(edits)
            edited.write_text(text.replace(versus.EDIT, f"{versus.EDIT}{n}", 1), encoding="utf-8")
        stamp = time.time_ns()
        os.utime(edited, ns=(stamp, stamp))
        start, cpu = time.perf_counter(), time.process_time()
        report = build(Path(event), (layout,), (lang,), Path(out), write=write == "1")
        pages = sum(d.pages for d in report.documents)
        return time.perf_counter() - start, time.process_time() - cpu, pages

    first, _, pages = once()
    runs = [once() for _ in range(int(repeat))]
    shutil.rmtree(out, ignore_errors=True)
    edited.write_text(text, encoding="utf-8")
    times, cpu = [r[0] for r in runs], [r[1] for r in runs]
    data = {"first": first, "times": times, "cpu": cpu, "pages": pages, "peak_mib": peak_mib()}
    print(json.dumps(data))


def task_separate(root: str, out: str) -> None:
    from booklet.builder.pipeline import build

    dirs = sorted(p for p in Path(root).iterdir() if p.is_dir())
    build(dirs[0], out_dir=Path(out) / "warmup")  # imports, fonts: not counted
    start, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for event in dirs:
        report = build(event, out_dir=Path(out))
        pages += sum(d.pages for d in report.documents)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "pages": pages, "builds": len(dirs)}))


def task_warm_build(event: str, out: str) -> None:
    import importlib

    from booklet.builder.pipeline import build

    root = Path(event).resolve()
    sample = Path(os.environ["BENCH_SAMPLE"])
    build(sample, ("a5-booklet",), ("en",), Path(out) / "warmup", write=False)
    found = [importlib.import_module(m) for m in LIMIT_MODULES if _importable(m)]
    limit = next((m.MAX_FILE_BYTES for m in found if hasattr(m, "MAX_FILE_BYTES")), None)
    size = max(p.stat().st_size for p in root.glob("*.yaml"))
    if limit is not None and size > limit:
        for module in found:
            if hasattr(module, "MAX_FILE_BYTES"):
                module.MAX_FILE_BYTES = size + 1
    start, cpu = time.perf_counter(), time.process_time()
    report = build(root, out_dir=Path(out))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    pages = sum(d.pages for d in report.documents)
    print(json.dumps({"build_s": seconds, "cpu_s": cpu, "pages": pages}))


TASKS = {
    "warm": task_warm,
    "separate": task_separate,
    "warm-build": task_warm_build,
    "typst-warm": versus.task_typst_warm,
}


# --- machine and table ---------------------------------------------------------------------


def machine(tree: Path, label: str) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    accel = importlib.util.find_spec("_rl_accel") is not None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "reportlab": version("reportlab") + (" with rl_accel" if accel else " (no rl_accel)"),
        "others": ", ".join(
            f"{n} {version(n)}" for n in ("qrcode", "pikepdf", "pypdfium2", "pillow", "fonttools")
        ),
        "booklet": label,
    }


def tree_label(tree: Path, rev: str) -> str:
    if rev:
        return f"commit {rev} (git archive)"
    try:
        sha = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return f"{tree} at {sha}" + (" with uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return str(tree)


def limits(bench: Bench) -> str:
    """The limits this run raised, which a user's build would hit."""
    lines = [
        "Raised limits: every booklet run has BOOKLET_MAX_PAGES=100000 in its environment "
        "(booklet stops a document at 600 pages by default)."
    ]
    for name, (size, limit) in sorted(bench.raised.items()):
        lines.append(
            f"The {name} event's event.yaml is {size / MIB:.1f} MiB, over booklet's input limit "
            f"of {limit:,} bytes (`MAX_FILE_BYTES`, in booklet.read.file_text): its builds run "
            "`booklet.cli.main` from a `python -c` that raises the limit first."
        )
    return " ".join(lines)


def table(bench: Bench) -> str:
    head = (
        "| work | runs | median | min | CPU | peak MiB | pages | pages/s | × ceiling | target "
        "| met |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    )
    lines = [head]
    notes = []
    parent = ""
    for row in bench.rows:
        if not row.work.startswith(" "):
            parent = row.work
        label = row.work if row.work == parent else f"{parent} → {row.work.strip()}"
        if row.error:
            lines.append(f"| {row.work} | – | failed | | | | | | | {row.target_text} | no |")
            notes.append(f"{label}: {row.error}")
            continue
        if not row.samples:
            continue
        pages = row.pages
        rate = f"{pages / row.median:,.0f}" if pages else ""
        ratio = ""
        other = bench.by_key(row.ceiling) if row.ceiling else None
        if other:
            ratio = f"{row.median / other.median:.1f}×"
            if other.pages and pages and other.pages != pages:
                ratio += f" ({other.pages} p)"
        met = {True: "yes", False: "**no**", None: ""}[row.met()]
        cpu = fmt_s(row.cpu) if row.cpu is not None else ""
        lines.append(
            f"| {row.work} | {len(row.samples)} | {fmt_s(row.median)} | {fmt_s(row.best)} | "
            f"{cpu} | {row.peak:,.0f} | {pages or ''} | {rate} | {ratio} | {row.target_text} "
            f"| {met} |"
        )
        if row.note:
            notes.append(f"{label}: {row.note}")
    text = "\n".join(lines)
    scale = scaling_table(bench)
    if scale:
        text += "\n\n" + scale
    if notes:
        text += "\n\nNotes:\n" + "\n".join(f"- {n}" for n in notes)
    return text


def scaling_table(bench: Bench) -> str:
    sizes = [int(r.key[5:]) for r in bench.rows if re.fullmatch(r"scale\d+", r.key)]
    if not sizes:
        return ""
    lines = [
        "| generated booklet | pages | whole process | peak MiB | warm build() | ms per page "
        "| ceiling whole process | ceiling warm, ms per page | ours / ceiling per page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_page: dict[int, float] = {}
    totals: dict[int, tuple[float, int]] = {}  # size → (warm seconds, pages)
    for size in sizes:
        whole, warm = bench.by_key(f"scale{size}"), bench.by_key(f"scale{size}-warm")
        ceil, ceil_warm = bench.by_key(f"ceil-scale{size}"), bench.by_key(f"ceil-scale{size}-warm")
        pages = (warm or whole).pages if (warm or whole) else 0
        cells = [f"~{size:,} pages", f"{pages:,}"]
        cells += [fmt_s(whole.median), f"{whole.peak:,.0f}"] if whole else ["–", "–"]
        if warm:
            per_page[size] = warm.median / warm.pages
            totals[size] = (warm.median, warm.pages)
            cells += [fmt_s(warm.median), f"{per_page[size] * 1000:.1f}"]
        else:
            cells += ["–", "–"]
        cells.append(fmt_s(ceil.median) if ceil else "–")
        if ceil_warm:
            cpp = ceil_warm.median / ceil_warm.pages
            cells.append(f"{cpp * 1000:.1f}")
            cells.append(f"{per_page[size] / cpp:.1f}×" if size in per_page else "–")
        else:
            cells += ["–", "–"]
        lines.append("| " + " | ".join(cells) + " |")
    if len(per_page) > 1:
        small, big = min(per_page), max(per_page)
        ratio = per_page[big] / per_page[small]
        verdict = "yes" if 0.8 <= ratio <= 1.2 else "**no**"
        why = ""
        if ratio > 1.2:
            why = " (cost per page grows with length: look for a superlinear step)"
        elif ratio < 0.8:
            why = " (cost per page falls with length: fixed per-document work dominates)"
        lines.append(
            f"\nPer-page cost, {big:,}-page / {small:,}-page (warm build()): {ratio:.2f} "
            f"— flat within 20 %: {verdict}{why}"
        )
        lines.append(marginal_cost(totals))
    return "\n".join(lines)


def marginal_cost(totals: dict[int, tuple[float, int]]) -> str:
    """The cost of each added page between successive sizes: flat when layout is linear.

    The average per page also holds the fixed per-document work (fonts, marks, preview),
    which a short document pays on few pages; the slope between sizes leaves it out."""
    sizes = sorted(totals)
    if len(sizes) < 3:
        return ""
    slopes = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        (ta, pa), (tb, pb) = totals[a], totals[b]
        slopes.append(((a, b), (tb - ta) / max(1, pb - pa)))
    text = ", ".join(f"{a:,}→{b:,} pages {s * 1000:.1f} ms" for (a, b), s in slopes)
    ratio = slopes[-1][1] / slopes[0][1] if slopes[0][1] > 0 else float("nan")
    # Superlinear (a quadratic step) is the failure; an added page that costs less on a
    # long document (its parts set on both cores) is not.
    verdict = "yes" if ratio <= 1.2 else "**no**"
    below = " (an added page costs less in a long document)" if ratio < 0.8 else ""
    return (
        f"\nCost of each added page (warm build()): {text}; last / first {ratio:.2f} "
        f"— no worse than linear (at most 1.2): {verdict}{below}"
    )


# --- main ----------------------------------------------------------------------------------

GROUPS = ("versus", "floor", "cold", "sample", "matrix", "cards", "batch", "scaling")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--task"]:
        TASKS[argv[1]](*argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 runs; no 1,600-page, no 10,000-card")
    ap.add_argument("--runs", type=int, help="runs per row (default 5, --quick 3)")
    ap.add_argument(
        "--budget",
        type=float,
        help="seconds per row: fewer runs when one run is long (default 60, --quick 10)",
    )
    ap.add_argument("--src", type=Path, help="booklet tree to measure (default: this one)")
    ap.add_argument("--rev", default="", help="measure this commit (git archive into a temp dir)")
    ap.add_argument("--only", default="", help="comma-separated groups: " + ",".join(GROUPS))
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 5)
    args.budget = args.budget or (10.0 if args.quick else 60.0)
    only = set(filter(None, args.only.split(","))) or set(GROUPS)
    if args.quick:
        only.discard("batch")
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    started = time.perf_counter()
    try:
        tree = (args.src or ROOT).resolve()
        if args.rev:
            tree = work / "tree"
            tree.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.rev], capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
            args.rev = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", args.rev],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        info = machine(tree, tree_label(tree, args.rev))
        load_start = os.getloadavg()
        bench = Bench(args, tree, work)
        against = versus.Versus(bench)
        steps = {
            "versus": against.run,
            "floor": bench.floors,
            "cold": bench.cold_start,
            "sample": bench.sample_booklet,
            "matrix": bench.matrix,
            "cards": bench.invitations,
            "batch": bench.big_batch,
            "scaling": bench.scaling,
        }
        for name in GROUPS:
            if name in only:
                steps[name]()
        elapsed = time.perf_counter() - started
        load_end = os.getloadavg()
        info["load average"] = (
            f"{load_start[0]:.2f} at start, {load_end[0]:.2f} at end (1 min; other work on the "
            "machine slows every row: CPU shows what a row used itself)"
        )
        print("## Machine\n")
        for key, value in info.items():
            print(f"- {key}: {value}")
        mode = "quick" if args.quick else "full"
        print(
            f"\n## Results ({mode} run, up to {args.runs} runs per row, "
            f"{elapsed / 60:.1f} min in all)\n"
        )
        if against.lines:
            print(f"### booklet, plain ReportLab and Typst, same pages\n\n{against.table()}\n")
        if any(row.samples or row.error for row in bench.rows):
            print("### Every row\n" if against.lines else "", end="\n" if against.lines else "")
            print(table(bench))
        print("\n" + limits(bench))
        if args.json:
            data = {
                "machine": info,
                "mode": mode,
                "rows": [
                    {
                        "key": r.key,
                        "work": r.work.strip(),
                        "error": r.error,
                        "note": r.note,
                        "target": r.target_text,
                        "met": r.met(),
                        "samples": [s.__dict__ for s in r.samples],
                    }
                    for r in bench.rows
                ],
            }
            args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.keep:
            print(f"\nkept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
