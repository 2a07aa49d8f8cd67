"""Fuzz the whole build with mutations of the bundled events: every input builds or is refused.

    .venv/bin/python bench/fuzz.py --n 20000 --seed 1

Each input is one bundled event (content/commemoration, and content/conference when there is
one) with one of its files mutated — the base file, a translation, the build file, the guest
list, or now and then a layout — and built in-process with `booklet.build(..., write=False)`
for one layout and one language. A mutation is either a byte-level edit (bytes flipped, YAML
pieces inserted, ranges deleted, repeated or spliced, the file cut short, lines swapped; as
`fuzz_loader.py` does) or a structured one that keeps the YAML valid and puts a hostile value
where a value goes: control and bidi characters written as YAML escapes, Arabic letters with
tatweel, isolates and soft hyphens, regional language tags, long and odd paths, URLs with
userinfo or foreign hosts, figures with leading zeros, templates, empty mappings, a reference
repeated by thousands of facts.

The build must return a report or raise `BookletError` (or `UsageError`, for a build file that
names nothing to build); anything else is an uncaught exception. Every message of a refusal
must name its file (the count of those that do not is printed). An input still running after
`--hang` seconds (10) is interrupted (SIGALRM) and counted as a hang; with `--clock cpu` the
limit counts the process's own CPU seconds (SIGPROF), so that other work on a shared machine
cannot turn a slow input into a hang. `--shard K/N` builds only the inputs whose number is K
modulo N (every input is still drawn, so N processes with the same seed build exactly the
inputs of one run between them). Prints the counts, the
refusals by diagnostic code, and the first tracebacks; exits 1 on any exception or hang;
`--crashes DIR` keeps every crashing input as a folder that `booklet build` reproduces.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from fuzz_loader import mutate as mutate_bytes  # noqa: E402

from booklet.builder.jobs import UsageError  # noqa: E402
from booklet.builder.pipeline import build  # noqa: E402
from booklet.errors import BookletError  # noqa: E402
from booklet.read.nodes import load_yaml  # noqa: E402

EVENTS = ("commemoration", "conference")
HANG_SECONDS = 10.0

# Values put where a value goes; each is a Python string written into YAML as a double-quoted
# scalar with escapes, so that what the reader gets is exactly this text.
VALUES = [
    "",
    "\x00",
    "a\x00b",
    "\x07\x1b[31mred",
    "line\r\nbreak",
    "next\x85line",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\u202etxt.exe",
    "a\u2066b\u2069c",
    "\u200f\u061c",
    "ـ\u2066",  # tatweel and a left-to-right isolate (python-bidi)
    "ب \u00ad",  # an Arabic letter, a space, a soft hyphen (ReportLab's shaping)
    "ـــــ\u2067ب\u2069",
    "\u00ad",
    "\u00ad\u00ad x",
    "ا\u200dب\u200c",
    "\u0301" * 40,
    "x" * 299,
    "x " * 3000,
    "ﷺ" * 20,
    "0613",
    "00",
    "-1",
    "1e9",
    "99999999999999999999999",
    "١٢٣",
    "en-gb",
    "ar-EG",
    "pt-BR",
    "sr-Latn",
    "zh-Hant-TW",
    "en_US",
    "x-klingon",
    "../../etc/passwd",
    "/etc/passwd",
    "guests.csv\x00.txt",
    "a b " * 70 + ".csv",
    "sub/../guests.csv",
    "http://example.org/",
    "https://user:pw@example.org/",
    "https://tr.wikipedia.org/wiki/Elbruz_Dağı",
    "https://xn--80ak6aa92e.com/",
    "https://аpple.com/",
    "https://example.org/" + "a" * 3000,
    "https://exa mple.org/",
    "javascript:alert(1)",
    "{{ event.title }}",
    "{{ event.title * 3 }}",
    "{% for x in event %}{{ x }}{% endfor %}",
    "{{ event.date | date }}",
    "{{ event.title.upper() }}",
    "{{ '%s' % event }}",
    "{#",
    "**bold *both**",
    "<b>&amp;</b>",
    "Ə ə Ğ ğ I ı İ i",
    "€",
    "\U0001f600",
    "\ud800",
]
SHAPES = ["{}", "[]", "~", "[a, b]", "{a: b}", "- x", "''", "[{}]", "[[[]]]"]
# Keys that only some files have: added under a random mapping.
EXTRA_KEYS = ["language", "url", "guests", "figure", "speaker", "source", "affiliation", "id"]


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, every character outside printable ASCII escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _value_lines(lines: list[str]) -> list[int]:
    """Lines that hold `key: value` or `- value`."""
    found = []
    for n, line in enumerate(lines):
        body = line.split(" #")[0].strip()
        if not body or body.startswith("#"):
            continue
        if (": " in body or body.endswith(":") or body.startswith("- ")) and "{" not in body:
            found.append(n)
    return found


def _split(line: str) -> tuple[str, str]:
    """A line as (everything up to its value, its value)."""
    indent = len(line) - len(line.lstrip())
    body = line[indent:]
    head = ""
    if body.startswith("- "):
        head, body = "- ", body[2:]
    if ": " in body or body.endswith(":"):
        key, _, value = body.partition(":")
        return line[:indent] + head + key + ": ", value.strip()
    return line[:indent] + head, body


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    """One to three structured edits that keep the file YAML: a hostile value, a new shape,
    a value with a hostile piece inside it, a line dropped or repeated, a key added."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return data
    for _ in range(rng.randint(1, 3)):
        candidates = _value_lines(lines)
        if not candidates:
            break
        n = rng.choice(candidates)
        head, value = _split(lines[n])
        kind = rng.randrange(8)
        if kind <= 1:  # a hostile value instead
            lines[n] = head + yaml_quoted(rng.choice(VALUES))
        elif kind == 2:  # a hostile piece inside the value
            text = _unquoted(value)
            at = rng.randint(0, len(text))
            lines[n] = head + yaml_quoted(text[:at] + rng.choice(VALUES) + text[at:])
        elif kind == 3 and head.rstrip().endswith(":"):  # another shape
            lines[n] = head + rng.choice(SHAPES)
        elif kind == 4:  # dropped
            del lines[n]
        elif kind == 5:  # repeated (duplicate ids, keys, list items)
            lines[n:n] = [lines[n]] * rng.randint(1, 3)
        elif kind == 6:  # a key the file may not have
            indent = lines[n][: len(lines[n]) - len(lines[n].lstrip(" -"))].replace("-", " ")
            key = rng.choice(EXTRA_KEYS)
            lines.insert(n + 1, f"{indent}{key}: {yaml_quoted(rng.choice(VALUES))}")
        else:  # the mapping it belongs to emptied: a person or item with no fields
            lines[n] = head + "{}" if head.rstrip().endswith(":") else lines[n]
    return "\n".join(lines).encode("utf-8")


def many_citations(data: bytes, rng: random.Random) -> bytes:
    """A base file whose first source's publisher is long and cited by many facts."""
    text = data.decode("utf-8", "replace")
    found = re.search(r"- id: (\S+)\n(\s+)publisher: [^\n]*", text)
    if "\nfacts:\n" not in text or found is None:
        return data
    publisher = "Publisher " * rng.choice((100, 1000, 4950))
    line = f"- id: {found.group(1)}\n{found.group(2)}publisher: {yaml_quoted(publisher)}"
    text = text[: found.start()] + line + text[found.end() :]
    count = rng.choice((7, 200, 2000))
    facts = "".join(
        f"  - {{id: f{n}, figure: {n}, label: fact {n}, source: {found.group(1)}}}\n"
        for n in range(count)
    )
    return text.replace("\nfacts:\n", "\nfacts:\n" + facts, 1).encode("utf-8")


@dataclass
class Seed:
    """One bundled event: its files, its documents and its languages."""

    name: str
    files: dict[str, bytes]
    documents: list[str]
    languages: list[str]


def seeds(events: tuple[str, ...] = EVENTS) -> list[Seed]:
    found = []
    for name in events:
        folder = ROOT / "content" / name
        if not (folder / "build.yaml").is_file():
            continue
        spec = load_yaml(folder / "build.yaml").value
        found.append(
            Seed(
                name,
                {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()},
                [str(d.value) for d in spec["documents"].value],  # type: ignore[index, union-attr]
                [str(lang.value) for lang in spec["languages"].value],  # type: ignore[index, union-attr]
            )
        )
    return found


@dataclass
class Outcome:
    """What the inputs did."""

    counts: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    crashes: list[tuple[str, str, dict[str, bytes]]] = field(default_factory=list)
    hangs: list[tuple[str, dict[str, bytes]]] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)  # messages that name no file
    slowest: tuple[float, str] = (0.0, "")


class Hang(BaseException):
    """Raised by the alarm: the input took longer than the hang limit."""


def _alarm(signum, frame):
    raise Hang


CLOCKS = {  # the timer, and its signal, for each way of counting the hang limit
    "wall": (signal.ITIMER_REAL, signal.SIGALRM),
    "cpu": (signal.ITIMER_PROF, signal.SIGPROF),
}


class Fuzzer:
    """Builds mutated copies of the bundled events in a temporary project."""

    def __init__(self, seed: int, events: tuple[str, ...] = EVENTS, layouts=(), langs=()):
        self.rng = random.Random(seed)
        self.timer, self.signal = CLOCKS["wall"]
        self.shard = (0, 1)
        self.seeds = seeds(events)
        self.layouts, self.langs = tuple(layouts), tuple(langs)
        self.corpus = [data for s in self.seeds for data in s.files.values()]
        self.work = Path(tempfile.mkdtemp(prefix="booklet-fuzz-"))
        self.project = self.work / "project"
        shutil.copytree(ROOT / "layouts", self.project / "layouts")
        (self.project / "fonts").symlink_to(ROOT / "fonts")
        self.layout_files = {
            p.name: p.read_bytes() for p in sorted((ROOT / "layouts").glob("*.yaml"))
        }

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def input(self) -> tuple[Seed, dict[str, bytes], dict[str, bytes], str, str]:
        """A mutated event: its files, the layouts changed, and what to build."""
        rng = self.rng
        seed = rng.choice(self.seeds)
        files, layouts = dict(seed.files), {}
        if rng.random() < 0.1:
            name = rng.choice(self._read(sorted(self.layout_files), layout=True))
            layouts[name] = self._mutated(self.layout_files[name])
        else:
            name = rng.choice(self._read(sorted(files)))
            if name == "event.yaml" and rng.random() < 0.02:
                files[name] = many_citations(files[name], rng)
            else:
                files[name] = self._mutated(files[name])
        layout = rng.choice(self.layouts or seed.documents)
        lang = rng.choice(self.langs or seed.languages)
        if name.startswith("event.") and name.count(".") == 2 and not self.langs:
            lang = name.split(".")[1]  # a mutated translation is built in its language
        return seed, files, layouts, layout, lang

    def _read(self, names: list[str], layout: bool = False) -> list[str]:
        """The files a build of the chosen layouts and languages reads (all, if not chosen):
        a mutation of a file no build reads would test nothing."""
        if layout and self.layouts:
            wanted = {f"{name}.yaml" for name in self.layouts} | {"house.yaml"}
        elif not layout and self.langs:
            wanted = {"build.yaml", "event.yaml", "guests.csv"}
            wanted |= {f"event.{lang}.yaml" for lang in self.langs}
        else:
            return names
        return [name for name in names if name in wanted] or names

    def _mutated(self, data: bytes) -> bytes:
        if self.rng.random() < 0.6:
            return mutate_text(data, self.rng)
        return mutate_bytes(data, self.corpus, self.rng)

    def lay_out(self, seed: Seed, files: dict[str, bytes], layouts: dict[str, bytes]) -> Path:
        event = self.project / "content" / seed.name
        if not event.is_dir():  # its folders (pictures) once: inputs mutate its files only
            event.mkdir(parents=True)
            for folder in (ROOT / "content" / seed.name).iterdir():
                if folder.is_dir():
                    shutil.copytree(folder, event / folder.name)
        for old in event.iterdir():
            if old.is_file() or old.is_symlink():
                old.unlink()
        for name, data in files.items():
            (event / name).write_bytes(data)
        for name, data in {**self.layout_files, **layouts}.items():
            (self.project / "layouts" / name).write_bytes(data)
        return event

    def run(self, n: int, hang: float | None = HANG_SECONDS, progress=None) -> Outcome:
        outcome = Outcome()
        if hang:
            signal.signal(self.signal, _alarm)
        for number in range(n):
            seed, files, layouts, layout, lang = self.input()
            if number % self.shard[1] == self.shard[0]:  # others drawn all the same, so
                event = self.lay_out(seed, files, layouts)  # the inputs are a whole run's
                self.one(event, layout, lang, outcome, (files, layouts), hang)
            if progress and (number + 1) % progress == 0:
                counts = outcome.counts
                print(
                    f"  {number + 1:>6} inputs: {counts['built']} built, {counts['refused']} "
                    f"refused, {counts['crashed']} exceptions, {counts['hung']} hangs",
                    flush=True,
                )
        return outcome

    def one(self, event: Path, layout: str, lang: str, outcome: Outcome, made, hang) -> None:
        files, layouts = made
        label = f"{event.name} {layout} {lang}"
        start = time.perf_counter()
        try:
            if hang:
                signal.setitimer(self.timer, hang)
            try:
                build(event, (layout,), (lang,), self.work / "out", write=False)
            finally:
                if hang:
                    signal.setitimer(self.timer, 0)
            outcome.counts["built"] += 1
        except BookletError as exc:
            outcome.counts["refused"] += 1
            outcome.codes.update({d.code for d in exc.diagnostics})
            outcome.unlocated += [
                f"{label}: {d.format()}"
                for d in exc.diagnostics
                if d.location is None or not d.location.file
            ]
        except UsageError:
            outcome.counts["refused"] += 1
            outcome.codes["usage"] += 1
        except Hang:
            outcome.counts["hung"] += 1
            outcome.hangs.append((label, {**files, **_prefixed(layouts)}))
        except Exception:  # noqa: BLE001 - anything else is what we look for
            outcome.counts["crashed"] += 1
            trace = traceback.format_exc(limit=-6)
            outcome.crashes.append((label, trace, {**files, **_prefixed(layouts)}))
        seconds = time.perf_counter() - start
        outcome.counts["inputs"] += 1
        if seconds > outcome.slowest[0]:
            outcome.slowest = (seconds, label)


def _prefixed(layouts: dict[str, bytes]) -> dict[str, bytes]:
    return {f"layouts/{name}": data for name, data in layouts.items()}


def keep(folder: Path, kind: str, n: int, label: str, files: dict[str, bytes]) -> None:
    """An input kept as a folder: the event files, any layout under layouts/, and how to build."""
    where = folder / f"{kind}-{n}"
    for name, data in files.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_bytes(data)
    _, layout, lang = label.split()
    (where / "BUILD").write_text(f"booklet build . --layout {layout} --lang {lang}\n")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--n", type=int, default=1000, help="how many inputs (1000)")
    args.add_argument("--seed", type=int, default=0, help="random seed (0)")
    args.add_argument("--hang", type=float, default=HANG_SECONDS, help="hang limit, s (10)")
    args.add_argument("--layout", action="append", default=[], help="only this layout")
    args.add_argument("--lang", action="append", default=[], help="only this language")
    args.add_argument("--crashes", type=Path, help="keep crashing and hanging inputs here")
    args.add_argument("--progress", type=int, default=500, help="a line every N inputs")
    args.add_argument("--clock", choices=sorted(CLOCKS), default="wall", help="hang clock")
    args.add_argument("--shard", default="0/1", help="K/N: only inputs numbered K modulo N")
    opts = args.parse_args(argv)

    fuzzer = Fuzzer(opts.seed, layouts=opts.layout, langs=opts.lang)
    fuzzer.timer, fuzzer.signal = CLOCKS[opts.clock]
    fuzzer.shard = tuple(int(part) for part in opts.shard.split("/"))
    start = time.perf_counter()
    try:
        outcome = fuzzer.run(opts.n, opts.hang, opts.progress)
    finally:
        fuzzer.close()
    seconds = time.perf_counter() - start
    counts = outcome.counts
    events = ", ".join(s.name for s in fuzzer.seeds)
    print(
        f"seed {opts.seed}, shard {opts.shard}, events {events}: "
        f"{counts['inputs']:,} inputs in {seconds:,.0f} s, hang clock {opts.clock}"
    )
    for name in ("built", "refused", "crashed", "hung"):
        print(f"  {name:8} {counts[name]:>8,}")
    print(f"  slowest  {outcome.slowest[0]:8.2f} s  ({outcome.slowest[1]})")
    print(f"  messages naming no file: {len(outcome.unlocated)}")
    for line in outcome.unlocated[:5]:
        print(f"    {line}")
    for code, n in outcome.codes.most_common():
        print(f"    refused with {code:16} {n:>8,}")
    for n, (label, trace, _) in enumerate(outcome.crashes[:5]):
        print(f"\nexception {n + 1} ({label}):\n{trace}")
    if opts.crashes:
        for n, (label, _, files) in enumerate(outcome.crashes):
            keep(opts.crashes, "exception", n, label, files)
        for n, (label, files) in enumerate(outcome.hangs):
            keep(opts.crashes, "hang", n, label, files)
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 1 if outcome.crashes or outcome.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
