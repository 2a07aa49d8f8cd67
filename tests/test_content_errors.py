"""Bad content through the real command line: exit 1, exact located diagnostics, nothing written.

Each case copies content/commemoration to a temporary folder, makes one small edit and
runs `booklet build` in-process from that folder, so printed paths read `ev/event.yaml`.

Expected lines are compared whole. Locations are written as anchors so that they stay
exact while the sample content evolves: `{date: ^2026-02-30}` stands for the line:column
of the `^` inside the only occurrence of "date: 2026-02-30" in the file the case's first
expected line names (after the edit); `{#...}` stands for the line alone. A trailing "…"
matches the rest of the line. Expected lines must appear consecutively in stderr, so a hint
is checked together with the diagnostic it belongs to.

A case with `bug` set is a known defect: its expectation is the correct output, and it is
marked xfail (strict) until the tool is fixed.
"""

# Expected diagnostics are kept whole on one line each, so they read like the output.
# ruff: noqa: E501

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from booklet.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "commemoration"
LAYOUTS = str(ROOT / "layouts")  # shown absolute: it lies outside the working folder
KINDS = "exhibition, anthems, silence, speech, keynote, talk, panel, report, film, music, break, meal, reception, custom"

Edit = tuple[str, str, str] | Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    edit: Edit | None  # (file, old, new): replace the one occurrence of old; or a function
    expect: tuple[str, ...]  # consecutive lines of stderr
    errors: int | None = 1  # the count in "booklet: N errors; nothing written"
    args: tuple[str, ...] = ()
    status: int = 1
    absent: tuple[str, ...] = ()  # text that must not appear in stderr
    bug: str = ""  # why the tool's current output is wrong (the case is xfail)


def _write_bytes(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(event_dir: Path) -> None:
        path = event_dir / name
        path.write_bytes(change(path.read_bytes()))

    return edit


def _delete(name: str) -> Callable[[Path], None]:
    return lambda event_dir: (event_dir / name).unlink()


CASES = [
    # --- values of the wrong form -----------------------------------------------------
    Case(
        "impossible-date",
        ("event.yaml", "date: 2026-02-26", "date: 2026-02-30"),
        (
            'ev/event.yaml:{date: ^2026-02-30}: event.date: expected a date that exists, found "2026-02-30"',
            "  hint: check the day and month",
        ),
    ),
    Case(
        "malformed-date",
        ("event.yaml", "date: 2026-02-26", "date: 26.02.2026"),
        (
            'ev/event.yaml:{date: ^26.02.2026}: event.date: expected a date like 2026-02-26, found "26.02.2026"',
            "  hint: write dates as YYYY-MM-DD, e.g. 2026-02-26",
        ),
    ),
    Case(
        "duration-in-words",
        (
            "event.yaml",
            "duration: 15 min\n    speaker: aliyev",
            "duration: fifteen\n    speaker: aliyev",
        ),
        (
            'ev/event.yaml:{duration: ^fifteen}: program[report-aliyev].duration: expected a duration like "15 min", found "fifteen"',
            '  hint: write minutes as a number followed by "min"',
        ),
    ),
    Case(
        "time-past-midnight",
        ("event.yaml", 'time: "14:41"', 'time: "25:00"'),
        (
            'ev/event.yaml:{time: ^"25:00"}: program[report-yildirim].time: expected a time like "14:00", found "25:00"',
            "  hint: write a 24-hour time, hours 00–23 and minutes 00–59",
        ),
    ),
    Case(
        "organizers-not-a-list",
        (
            "event.yaml",
            "organizers: [manisa-municipality, tadef, manisa-association]",
            "organizers: manisa-municipality",
        ),
        (
            'ev/event.yaml:{organizers: ^manisa}: event.organizers: expected a list, found "manisa-municipality"',
        ),
    ),
    Case(
        "program-item-not-a-mapping",
        ("event.yaml", "program:\n", "program:\n  - Registration\n"),
        (
            'ev/event.yaml:{  - ^Registration}: program[0]: expected a mapping, found "Registration"',
        ),
        absent=("event.az.yaml", "event.tr.yaml"),
    ),
    Case(
        "unknown-kind",
        ("event.yaml", 'kind: speech\n    time: "14:06"', 'kind: speach\n    time: "14:06"'),
        (
            f'ev/event.yaml:{{kind: ^speach}}: program[opening].kind: expected one of {KINDS}, found "speach"',
            "  hint: did you mean 'speech'?",
        ),
    ),
    # --- keys and references ----------------------------------------------------------
    Case(
        "unknown-key",
        ("event.yaml", "  title: We have", "  titel: We have"),
        ("ev/event.yaml:{  ^titel:}: event.titel: unknown field", "  hint: did you mean 'title'?"),
        errors=None,
    ),
    Case(
        "unknown-key-does-not-blame-translations",
        ("event.yaml", "  title: We have", "  titel: We have"),
        ("ev/event.yaml:{  ^titel:}: event.titel: unknown field", "  hint: did you mean 'title'?"),
        errors=2,  # the unknown key, and the required 'title' it leaves missing
        absent=("did you mean 'titel'?", "event.az.yaml", "event.tr.yaml"),
    ),
    Case(
        "missing-required-field",
        ("event.yaml", "    url: https://www.azernews.az/\n", ""),
        (
            "ev/event.yaml:{- ^id: azernews}: sources[azernews].url: required field 'url' is missing",
        ),
    ),
    Case(
        "unknown-speaker",
        ("event.yaml", "speaker: ay\n", "speaker: ayy\n"),
        (
            "ev/event.yaml:{speaker: ^ayy}: program[vice-rector].speaker: 'ayy' is not in people",
            "  hint: did you mean 'ay'?",
        ),
    ),
    # --- YAML syntax and YAML features content must not use -----------------------------
    Case(
        "bad-indentation",
        ("event.yaml", "  venue: Manisa", "   venue: Manisa"),
        (
            "ev/event.yaml:{   ^venue}: YAML syntax error: did not find expected key",
            "  hint: check the indentation and quotes on this line and the one before",
        ),
    ),
    Case(
        "tab-indentation",
        ("event.yaml", "  venue: Manisa", "\tvenue: Manisa"),
        (
            "ev/event.yaml:{^\tvenue}: YAML syntax error: found character that cannot start any token",
            "  hint: indent with spaces, not tabs",
        ),
    ),
    Case(
        "colon-in-plain-text",
        ("event.yaml", "    title: Address\n", "    title: Address: the rector\n"),
        (
            "ev/event.yaml:{Address^: the}: YAML syntax error: mapping values are not allowed in this context",
            '  hint: put text that contains ": " in quotes',
        ),
    ),
    Case(
        "unclosed-quote",
        ("event.yaml", 'start: "14:00"', 'start: "14:00'),
        ('ev/event.yaml:{start: ^"14:00}: YAML syntax error: …',),
    ),
    Case(
        "unclosed-bracket",
        (
            "event.yaml",
            "partners: [heydar-aliyev-foundation]",
            "partners: [heydar-aliyev-foundation",
        ),
        ("ev/event.yaml:{partners: ^[}: YAML syntax error: …",),
    ),
    Case(
        "duplicate-key",
        ("event.yaml", "  city: Manisa\n", "  city: Manisa\n  city: Izmir\n"),
        (
            "ev/event.yaml:{^city: Izmir}: event.city: key 'city' appears twice in this mapping",
            "  hint: the first one is on line {#  city: Manisa}; keep one",
        ),
    ),
    Case(
        "anchor-and-alias",
        ("event.yaml", "  city: Manisa\n  country: Türkiye", "  city: &c Manisa\n  country: *c"),
        (
            "ev/event.yaml:{city: ^&c}: YAML anchors and aliases (&, *) are not allowed in booklet files",
            "  hint: write the value out in full",
        ),
    ),
    Case(
        "python-tag",
        ("event.yaml", "  city: Manisa", "  city: !!python/object:os.system ls"),
        (
            "ev/event.yaml:{city: ^!!python}: YAML tags (!!) are not allowed in booklet files",
            "  hint: write the value out in full",
        ),
    ),
    # --- translations -----------------------------------------------------------------
    Case(
        "translation-sets-date",
        ("event.az.yaml", "  country: Türkiyə\n", "  country: Türkiyə\n  date: 2026-02-27\n"),
        (
            "ev/event.az.yaml:{date: ^2026-02-27}: event.date: this field is not translatable",
            "  hint: set it in ev/event.yaml; a translation holds only text",
        ),
    ),
    Case(
        "translation-sets-item-time",
        (
            "event.az.yaml",
            "    title: Açılış nitqi\n",
            '    title: Açılış nitqi\n    time: "15:00"\n',
        ),
        (
            'ev/event.az.yaml:{time: ^"15:00"}: program[opening].time: this field is not translatable',
            "  hint: set it in ev/event.yaml; a translation holds only text",
        ),
    ),
    Case(
        "translation-unknown-item-id",
        ("event.az.yaml", "  vice-rector:\n", "  vice-rektor:\n"),
        (
            "ev/event.az.yaml:{  ^vice-rektor:}: program[vice-rektor]: no item with id 'vice-rektor' in the base file",
            "  hint: did you mean 'vice-rector'?",
        ),
    ),
    # --- bytes --------------------------------------------------------------------------
    Case(
        "invalid-utf8",
        _write_bytes("event.yaml", lambda b: b.replace("Türkiye".encode(), b"T\xfcrkiye", 1)),
        (
            "ev/event.yaml:{country: T^\ufffd}: expected UTF-8 text, found byte 0xFC",
            "  hint: save the file as UTF-8",
        ),
    ),
    Case(
        "invalid-utf8-after-multibyte-letter",
        _write_bytes(
            "event.yaml", lambda b: b.replace("Türkiye".encode(), "Türki".encode() + b"\xffe", 1)
        ),
        (
            "ev/event.yaml:{country: Türki^\ufffd}: expected UTF-8 text, found byte 0xFF",
            "  hint: save the file as UTF-8",
        ),
    ),
    # --- the build file and the command line -------------------------------------------
    Case(
        "missing-build-file",
        _delete("build.yaml"),
        ("ev/build.yaml: file not found or not a regular file",),
    ),
    Case(
        "unknown-layout-in-build-file",
        ("build.yaml", "documents: [a5-booklet,", "documents: [a5-boklet,"),
        (
            "ev/build.yaml:{documents: [^a5-boklet}: documents: no layout 'a5-boklet' in "
            + LAYOUTS
            + "/",
            "  hint: did you mean 'a5-booklet'?",
        ),
    ),
    Case(
        "unknown-language-option",
        None,
        ("booklet: error: unknown language 'xx'; the build file lists: en, az, tr, ru, ar",),
        errors=None,
        args=("--lang", "xx"),
        status=2,
    ),
    Case(
        "unknown-layout-option",
        None,
        (
            "booklet: error: unknown layout 'nope'; the build file lists: a5-booklet, dl-trifold, a5-bifold, a4-program, a4-program-bilingual, a6-invitation",
        ),
        errors=None,
        args=("--layout", "nope"),
        status=2,
    ),
]


# --- helpers -----------------------------------------------------------------------------


@pytest.fixture
def event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample event at tmp_path/ev, with tmp_path as working folder."""
    shutil.copytree(SAMPLE, tmp_path / "ev")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "ev"


def apply(edit: Edit | None, event_dir: Path) -> None:
    if edit is None:
        return
    if callable(edit):
        edit(event_dir)
        return
    name, old, new = edit
    path = event_dir / name
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise LookupError(f"{name}: {old!r} occurs {text.count(old)} times, not once")
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(capsys: pytest.CaptureFixture[str], event_dir: Path, out: Path, *args: str):
    """Run `booklet build` in-process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = main(["build", str(event_dir), "--out", str(out), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


_ANCHOR = re.compile(r"\{(#?)([^{}]+)\}")


def resolve(line: str, source: Path) -> str:
    """Replace each {anchor} by the line:column (or {#anchor} by the line) it stands for."""

    def place(match: re.Match[str]) -> str:
        text = source.read_bytes().decode("utf-8-sig", errors="replace")
        anchor = match.group(2)
        needle = anchor.replace("^", "")
        if text.count(needle) != 1:
            raise LookupError(f"{source.name}: {needle!r} occurs {text.count(needle)} times")
        at = text.index(needle) + max(anchor.find("^"), 0)
        row = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return str(row) if match.group(1) else f"{row}:{column}"

    return _ANCHOR.sub(place, line)


def matches(expected: str, actual: str) -> bool:
    if expected.endswith("…"):
        return actual.startswith(expected[:-1])
    return actual == expected


def contains_block(lines: list[str], block: list[str]) -> bool:
    return any(
        all(matches(want, got) for want, got in zip(block, lines[i : i + len(block)], strict=True))
        for i in range(len(lines) - len(block) + 1)
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under folder, hidden ones included: file bytes, or None for a folder."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


# --- the table ---------------------------------------------------------------------------


def _param(case: Case):
    marks = (
        [pytest.mark.xfail(reason=case.bug, strict=True, raises=AssertionError)] if case.bug else []
    )
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_content_is_reported_and_nothing_written(case: Case, event: Path, capsys) -> None:
    apply(case.edit, event)
    out = event.parent / "out"
    status, stdout, stderr = build(capsys, event, out, *case.args)

    source = event.parent / case.expect[0].split(":", 1)[0]
    expected = [resolve(line, source) for line in case.expect]
    lines = stderr.splitlines()
    assert "Traceback" not in stderr
    assert "internal error" not in stderr, stderr
    assert contains_block(lines, expected), f"expected:\n{chr(10).join(expected)}\ngot:\n{stderr}"
    for text in case.absent:
        assert text not in stderr, stderr
    if case.errors is not None:
        noun = "error" if case.errors == 1 else "errors"
        assert lines[-1] == f"booklet: {case.errors} {noun}; nothing written", stderr
    assert status == case.status, stderr
    assert "wrote" not in stdout
    assert snapshot(out) == {}


# --- whole runs --------------------------------------------------------------------------


def test_all_errors_of_a_run_are_reported_together(event: Path, capsys) -> None:
    apply(("event.yaml", "date: 2026-02-26", "date: 2026-02-30"), event)  # a value
    apply(("event.yaml", "speaker: ay\n", "speaker: ayy\n"), event)  # a reference
    out = event.parent / "out"
    status, _, stderr = build(capsys, event, out)

    source = event / "event.yaml"
    lines = stderr.splitlines()
    assert status == 1
    for block in (
        (
            'ev/event.yaml:{date: ^2026-02-30}: event.date: expected a date that exists, found "2026-02-30"',
            "  hint: check the day and month",
        ),
        (
            "ev/event.yaml:{speaker: ^ayy}: program[vice-rector].speaker: 'ayy' is not in people",
            "  hint: did you mean 'ay'?",
        ),
    ):
        assert contains_block(lines, [resolve(line, source) for line in block]), stderr
    assert lines[-1] == "booklet: 2 errors; nothing written"
    assert "Traceback" not in stderr
    assert snapshot(out) == {}


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(("event.yaml", "date: 2026-02-26", "date: 2026-02-30"), id="while-loading"),
        # A letter no font has, in the last language: found after en and az are typeset.
        pytest.param(
            ("event.tr.yaml", "Belgesel film.", "Belgesel film ☃."), id="while-typesetting"
        ),
    ],
)
def test_failed_build_leaves_previous_output_untouched(event: Path, capsys, breakage) -> None:
    out = event.parent / "out"
    narrow = ("--layout", "a5-booklet", "--layout", "a4-program")  # two documents are enough
    status, _, stderr = build(capsys, event, out, *narrow)
    assert status == 0, stderr
    before = snapshot(out)
    assert "ev/a5-booklet.en.pdf" in before and "ev/report.json" in before

    apply(breakage, event)
    status, stdout, stderr = build(capsys, event, out, *narrow)

    assert status == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].endswith("; nothing written")
    assert "wrote" not in stdout
    after = snapshot(out)
    assert sorted(after) == sorted(before)  # no stray or staging entries
    assert after == before  # every file byte-identical


# --- things YAML 1.1 or a byte order mark would spoil, accepted ---------------------------


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_yaml_1_1_lookalikes_print_as_written(event: Path, capsys) -> None:
    # YAML 1.1 reads 14:00 as 840 (base 60), 0613 as 395 (octal) and NO as false.
    for edit in (
        ("event.yaml", 'start: "14:00"', "start: 14:00"),
        ("event.yaml", 'time: "14:06"', "time: 14:06"),
        ("event.yaml", "    title: Address\n", "    title: 0613\n"),
        ("event.yaml", "note: Please stand.", "note: NO"),
        ("event.yaml", "figure: 613,", "figure: 0613,"),
    ):
        apply(edit, event)
    out = event.parent / "out"
    status, _, stderr = build(capsys, event, out, "--lang", "en")
    assert status == 0, stderr

    pages = pdf_pages(out / "ev" / "a5-booklet.en.pdf")
    assert "· 14:00" in pages[0]  # the event's start on the cover, unquoted
    text = "\n".join(pages)
    lines = text.splitlines()
    assert "14:06" in lines  # a program item's time, unquoted
    assert "NO" in lines  # text: not false
    # the title and the figure: exactly as written (a figure with a leading zero is no number
    # to group, and printing it as 613 lost what was written)
    assert "0613" in lines and "613" not in lines
    for spoiled in ("840", "846", "395", "False", "false"):
        assert spoiled not in text


def test_utf8_byte_order_mark_is_accepted(event: Path, capsys) -> None:
    for name in ("event.yaml", "event.az.yaml", "build.yaml"):
        apply(_write_bytes(name, lambda b: b"\xef\xbb\xbf" + b), event)
    out = event.parent / "out"
    status, _, stderr = build(capsys, event, out, "--lang", "en", "--lang", "az")
    assert status == 0, stderr
    assert "error" not in stderr
    built = snapshot(out)
    assert "ev/a5-booklet.en.pdf" in built and "ev/a5-booklet.az.pdf" in built
