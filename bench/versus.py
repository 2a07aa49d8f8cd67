"""booklet beside plain ReportLab and Typst on the same pages, in alternating runs.

Each row sets the same content three ways: `python -m booklet build` (every file it
writes, preflight included), bench/ceiling.py (one plain ReportLab PDF), and Typst
through the `typst` Python package on the sources bench/typst_source.py writes (one
PDF, or one a guest). A round runs the three once each, in an order that turns every
round (booklet, ReportLab, Typst; then ReportLab, Typst, booklet; ...), so load from
other work on the machine falls on all three alike; booklet ÷ Typst is the median of
the rounds' own ratios. Typst runs as a whole process (`python -c` that imports typst
and compiles) or, for the warm rows, as `typst.Compiler` compiling again after each edit
(its in-process, incremental recompile, the one `typst watch` does).

Imported by run.py (group `versus`); needs the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import events

BENCH = Path(__file__).resolve().parent
TOOLS = ("booklet", "ReportLab", "Typst")

TYPST_ONE = (
    "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
    "font_paths=[sys.argv[3]], ignore_system_fonts=True)"
)
TYPST_FILES = (
    "import sys, pathlib, typst\n"
    "src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "c = typst.Compiler(root=str(src), font_paths=[sys.argv[3]], ignore_system_fonts=True)\n"
    "for f in sorted((src / 'cards').glob('*.typ')):\n"
    "    c.compile(input=str(f), output=str(out / (f.stem + '.pdf')))\n"
)
EDIT = "devastating"  # a word of the sample's prose: the warm rows change it before each rebuild


@dataclass
class Cell:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    pages: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Line:
    work: str
    cells: dict[str, Cell] = field(default_factory=lambda: {t: Cell() for t in TOOLS})
    note: str = ""
    error: str = ""
    show_peak: bool = False

    def ratios(self) -> list[float]:
        b, t = self.cells["booklet"].seconds, self.cells["Typst"].seconds
        return [x / y for x, y in zip(b, t, strict=False) if y > 0]


def typst_available(py: str) -> str:
    found = subprocess.run(
        [py, "-c", "import typst; print(typst.__version__)"], capture_output=True, text=True
    )
    return found.stdout.strip() if found.returncode == 0 else ""


class Versus:
    def __init__(self, bench):
        self.b = bench
        self.fonts = str(bench.tree / "fonts" / "noto")
        self.lines: list[Line] = []
        self.version = typst_available(bench.py)

    # -- the sources

    def typst_sources(self, event: Path, name: str, layout: str, files: bool = False) -> Path:
        out = self.b.work / "typst" / name
        if not (out / "main.typ").exists():
            argv = [self.b.py, str(BENCH / "typst_source.py"), str(event), str(out)]
            argv += ["--layout", layout, "--project", str(self.b.tree)]
            subprocess.run(argv + (["--files"] if files else []), check=True, capture_output=True)
        return out

    # -- one tool once

    def booklet_once(self, event: Path, *extra: str, fresh: bool = False):
        """One `booklet build`; `fresh`: with an empty cache folder, as a first build on a
        new machine (fonts, pictures, logos and thumbnails all worked out again)."""

        def once():
            out = self.b.out_dir()
            argv = self.b.booklet_argv(event) + ["build", str(event), *extra, "--out", str(out)]
            env = self.b.env
            if fresh:
                cache = self.b.work / "fresh-cache"
                shutil.rmtree(cache, ignore_errors=True)
                self.b.env = dict(env, XDG_CACHE_HOME=str(cache))
            try:
                proc = self.b.proc_sample(argv)
            finally:
                self.b.env = env
            pages = self.b.booklet_pages(out, proc.stdout)
            shutil.rmtree(out, ignore_errors=True)
            return proc.seconds, proc.cpu, proc.peak_mib, pages

        return once

    def ceiling_once(self, event: Path, *extra: str):
        def once():
            out = self.b.work / "ceiling-out"
            shutil.rmtree(out, ignore_errors=True)
            target = ["--files", str(out)] if "--files" in extra else ["--out", str(out) + ".pdf"]
            extra_ = [x for x in extra if x != "--files"]
            proc, data = self.b.json_task(self.b.ceiling(str(event), *extra_, *target))
            return proc.seconds, proc.cpu, proc.peak_mib, data["pages"]

        return once

    def typst_once(self, sources: Path, files: bool = False):
        def once():
            out = self.b.work / "typst-out"
            shutil.rmtree(out, ignore_errors=True)
            if files:
                argv = [self.b.py, "-c", TYPST_FILES, str(sources), str(out), self.fonts]
            else:
                argv = [self.b.py, "-c", TYPST_ONE, str(sources / "main.typ"), str(out) + ".pdf"]
                argv.append(self.fonts)
            proc = self.b.proc_sample(argv)
            pages = count_pages(out if files else Path(str(out) + ".pdf"))
            return proc.seconds, proc.cpu, proc.peak_mib, pages

        return once

    # -- rounds

    def rounds(self, line: Line, runs: dict, count: int) -> None:
        self.lines.append(line)
        self.b.log(f"· versus: {line.work}")
        try:
            for n in range(count):
                order = TOOLS[n % 3 :] + TOOLS[: n % 3]
                for tool in order:
                    seconds, cpu, peak, pages = runs[tool]()
                    cell = line.cells[tool]
                    cell.seconds.append(seconds)
                    cell.cpu.append(cpu)
                    cell.peak_mib.append(peak)
                    cell.pages = cell.pages or pages
        except (RuntimeError, subprocess.CalledProcessError, KeyError, ValueError) as exc:
            line.error = str(exc)[:300]
            self.b.log(f"  failed: {line.error}")
            return
        med = {t: f"{c.median:.3f}" for t, c in line.cells.items()}
        self.b.log(f"  {count} rounds, medians {med}")

    def whole(
        self, work, event, layout, name, count, extra=(), peak=False, files=False, fresh=False
    ):
        sources = self.typst_sources(event, name + ("-files" if files else ""), layout, files)
        lay = ("--layout", layout)
        runs = {
            "booklet": self.booklet_once(event, *extra, fresh=fresh),
            "ReportLab": self.ceiling_once(event, *lay, *(("--files",) if files else ())),
            "Typst": self.typst_once(sources, files),
        }
        self.rounds(Line(work, show_peak=peak), runs, count)

    def warm(self, work: str, event: Path, name: str, count: int, repeat: int) -> None:
        """Rebuilds in one warm process, each after an edit; a round is one such process."""
        edited = self.b.work / "versus-warm" / name
        events.copy_sample(edited, event)
        sources = self.typst_sources(edited, name + "-warm", "a5-booklet")

        def booklet():
            out = str(self.b.out_dir())
            argv = self.b.task("warm", str(edited), "a5-booklet", "en", "1", str(repeat), out)
            _, data = self.b.json_task([*argv, "edit"])
            times, cpu = data["times"], data["cpu"]
            return statistics.median(times), statistics.median(cpu), data["peak_mib"], data["pages"]

        line = Line(work, note=f"median of {repeat} rebuilds after an edit, first build excluded")
        self.rounds(line, {"booklet": booklet, **self.warm_peers(edited, sources, repeat)}, count)

    def served(self, work: str, event: Path, name: str, count: int, repeat: int) -> None:
        """Rebuilds after an edit as `booklet build` commands handed to a resident build
        process (`booklet serve`): each a whole client process, its wall time as the user
        waits for it; CPU adds the server's own (and its waited children's) to the client's."""
        edited = self.b.work / "versus-served" / name
        events.copy_sample(edited, event)
        sources = self.typst_sources(edited, name + "-served", "a5-booklet")
        server = Server(self.b)
        out = self.b.out_dir()
        argv = [*self.b.booklet("build", str(edited), "--layout", "a5-booklet", "--lang", "en")]
        argv += ["--out", str(out), "-q"]
        text = (edited / "event.yaml").read_text(encoding="utf-8")
        edits = iter(range(1_000_000))

        def once():
            from measure import run_proc

            n = next(edits)
            changed = text.replace(EDIT, f"{EDIT}{n}", 1)
            (edited / "event.yaml").write_text(changed, encoding="utf-8")
            before = server.cpu()
            proc = run_proc(argv, server.env, self.b.work)
            if proc.rc != 0:
                raise RuntimeError(f"exit {proc.rc}: {proc.stderr.strip()[-300:]}")
            return proc.seconds, proc.cpu + server.cpu() - before, proc.peak_mib

        def booklet():
            once()  # the first after a round's start: excluded, as in the other warm rows
            runs = [once() for _ in range(repeat)]
            pages = self.b.booklet_pages(out, "")
            seconds, cpu = (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
            )
            return seconds, cpu, max(server.peak_mib(), max(r[2] for r in runs)), pages

        line = Line(
            work,
            note=f"median of {repeat} rebuilds after an edit, each a `booklet build` process "
            "handed to a running `booklet serve` (first build excluded); Typst and ReportLab: "
            "in-process recompile as in the row above",
        )
        try:
            self.rounds(
                line, {"booklet": booklet, **self.warm_peers(edited, sources, repeat)}, count
            )
            line.note += f"; {len(server.served())} commands served"
        finally:
            server.stop()
            (edited / "event.yaml").write_text(text, encoding="utf-8")

    def warm_peers(self, edited: Path, sources: Path, repeat: int) -> dict:
        def ceiling():
            out = str(self.b.work / "c.pdf")
            argv = self.b.ceiling(str(edited), "--out", out, "--repeat", str(repeat + 1))
            proc, data = self.b.json_task(argv)
            times, cpu = data["times"][1:], data["cpu"][1:]
            return statistics.median(times), statistics.median(cpu), proc.peak_mib, data["pages"]

        def typst():
            out = str(self.b.work / "t.pdf")
            argv = self.b.task("typst-warm", str(sources / "main.typ"), self.fonts, str(repeat))
            proc, data = self.b.json_task([*argv, out])
            times, cpu = data["times"], data["cpu"]
            return statistics.median(times), statistics.median(cpu), proc.peak_mib, data["pages"]

        return {"ReportLab": ceiling, "Typst": typst}

    def run(self) -> None:
        if not self.version:
            self.b.log("· versus: skipped, the typst package is not installed (extra 'bench')")
            return
        quick = self.b.args.quick
        count = 3 if quick else max(3, self.b.args.runs)
        sample, root = self.b.sample, self.b.work
        long16 = events.long_event(root / "long16", 16, sample=sample)
        self.whole(
            "sample A5 booklet, en, whole process",
            sample,
            "a5-booklet",
            "sample",
            count,
            ("--layout", "a5-booklet", "--lang", "en"),
        )
        self.whole(
            "same, booklet with an empty cache folder (a first build on a new machine)",
            sample,
            "a5-booklet",
            "sample",
            count,
            ("--layout", "a5-booklet", "--lang", "en"),
            fresh=True,
        )
        self.whole(
            "generated A5 booklet, 16 pages, whole process", long16, "a5-booklet", "long16", count
        )
        self.warm(
            "sample A5 booklet, rebuilt after an edit in a warm process",
            sample,
            "sample",
            count,
            10,
        )
        self.warm("16 pages, rebuilt after an edit in a warm process", long16, "long16", count, 10)
        self.served(
            "16 pages, rebuilt after an edit: `booklet build` handed to `booklet serve`",
            long16,
            "long16",
            count,
            10,
        )
        inv = events.invitation_event(root / "inv1000", 1000, sample=sample)
        self.whole(
            "1,000 invitation cards, one PDF, whole process",
            inv,
            "a6-invitation",
            "inv1000",
            count,
            peak=True,
        )
        self.whole(
            "1,000 invitation cards as 1,000 files, whole process",
            inv,
            "a6-invitation",
            "inv1000",
            count,
            ("--per-guest",),
            files=True,
        )
        if not quick:
            long1600 = events.long_event(root / "long1600", 1600, sample=sample)
            self.whole(
                "generated A5 booklet, ~1,600 pages, whole process",
                long1600,
                "a5-booklet",
                "long1600",
                3,
                peak=True,
            )

    # -- the table

    def table(self) -> str:
        if not self.lines:
            return ""
        head = (
            "| work | pages (booklet / ReportLab / Typst) | booklet | plain ReportLab "
            f"(ceiling) | Typst {self.version} | booklet ÷ Typst | CPU s (booklet / ReportLab / "
            "Typst) | peak MiB (booklet / ReportLab / Typst) |\n"
            "|---|---|---:|---:|---:|---:|---|---|"
        )
        lines = [head]
        for line in self.lines:
            if line.error:
                lines.append(f"| {line.work} | | failed | | | | | |")
                continue
            c = line.cells
            pages = " / ".join(f"{c[t].pages:,}" for t in TOOLS)
            ratios = line.ratios()
            ratio = f"{statistics.median(ratios):.2f}"
            if len(ratios) > 1:
                ratio += f" ({min(ratios):.2f}–{max(ratios):.2f})"
            peak = " / ".join(f"{max(c[t].peak_mib):,.0f}" for t in TOOLS)
            cpu = " / ".join(f"{statistics.median(c[t].cpu):.3g}" for t in TOOLS)
            lines.append(
                f"| {line.work} | {pages} | {span(c['booklet'])} | {span(c['ReportLab'])} | "
                f"{span(c['Typst'])} | {ratio} | {cpu} | {peak} |"
            )
        notes = [f"- {line.work}: {line.note}" for line in self.lines if line.note]
        notes += [f"- {line.work}: {line.error}" for line in self.lines if line.error]
        return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")


class Server:
    """A `booklet serve` of the benchmark's own (its socket in a folder of its own)."""

    def __init__(self, bench) -> None:
        import tempfile
        import time

        self.runtime = Path(tempfile.mkdtemp(prefix="bk-bench-"))
        self.env = dict(bench.env, XDG_RUNTIME_DIR=str(self.runtime))
        self.env.pop("BOOKLET_RESIDENT", None)
        self.log = self.runtime / "serve.log"
        argv = bench.booklet("serve", "--idle-timeout", "600")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(argv, env=self.env, stderr=log, cwd=self.runtime)
        sock = self.runtime / "booklet"
        for _ in range(1200):
            if any(sock.glob("*.sock")) or self.process.poll() is not None:
                break
            time.sleep(0.05)
        if not any(sock.glob("*.sock")):
            raise RuntimeError(f"booklet serve did not start: {self.log.read_text()[-300:]}")

    def cpu(self) -> float:
        """User and system seconds of the server and its waited children (forked stages)."""
        import os

        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def peak_mib(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def served(self) -> list[str]:
        return [ln for ln in self.log.read_text().splitlines() if " ran " in ln]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.runtime, ignore_errors=True)


def span(cell: Cell) -> str:
    """The median and, with more than one run, the range: '0.43 s (0.41–0.47)'."""
    from measure import fmt_s

    text = fmt_s(cell.median)
    if len(cell.seconds) > 1:
        low, high = min(cell.seconds), max(cell.seconds)
        unit = 1000 if cell.median < 1 else 1
        text += f" ({low * unit:.3g}–{high * unit:.3g})"
    return text


def count_pages(path: Path) -> int:
    import pypdfium2

    files = sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    total = 0
    for name in files:
        doc = pypdfium2.PdfDocument(str(name))
        total += len(doc)
        doc.close()
    return total


def task_typst_warm(main: str, fonts: str, repeat: str, out: str) -> None:
    """Compile once, then `repeat` times after an edit of the source: Typst's warm rebuild."""
    import resource
    import time

    import typst

    path = Path(main)
    text = path.read_text(encoding="utf-8")
    compiler = typst.Compiler(main, font_paths=[fonts], ignore_system_fonts=True)
    compiler.compile(output=out)
    times, cpu = [], []
    for n in range(int(repeat)):
        path.write_text(text.replace(EDIT, f"{EDIT}{n}", 1), encoding="utf-8")
        start, used = time.perf_counter(), time.process_time()
        compiler.compile(output=out)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    path.write_text(text, encoding="utf-8")
    pages = count_pages(Path(out))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times": times, "cpu": cpu, "pages": pages, "peak_mib": peak}))


if __name__ == "__main__":
    sys.exit("run bench/run.py --only versus")
