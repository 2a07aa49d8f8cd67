"""Hostile input corpus: every case in tests/hostile/ fails cleanly or prints its text literally.

Each case is a folder `tests/hostile/<NN-name>/` holding the files it overrides relative to a
copy of the sample event (`event.yaml`, `guests.csv`, ...), an optional `layouts/` folder
overriding project layouts, an optional `outside/` folder copied beside the project (a place
that symlinks can point to), and a `case.yaml`; see tests/hostile/README.md for its keys.

Every case is built in its own temporary project:

    <tmp>/project/layouts/   copy of layouts/ (+ the case's layouts/)
    <tmp>/project/fonts      symlink to the project's fonts/ (shared: never written)
    <tmp>/project/content/ev copy of content/commemoration (+ the case's files)
    <tmp>/project/out/ev/    a "previous good build" file, which a failed build must keep
    <tmp>/outside/           the case's outside/ folder

and checked the same way: exit status, no traceback or internal error, the expected messages,
no control characters in stderr, nothing written outside out/, nothing new in out/ on failure,
the previous output untouched on failure, no hang (isolated cases), the literal text in the PDF, no
active content (JavaScript, launch actions, non-http links, images) in the PDFs, and no
marker file created by injected code.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from booklet.cli import main

from .conftest import ROOT, SAMPLE

CASES = Path(__file__).resolve().parent / "hostile"
CASE_KEYS = {
    "expect",
    "exit",
    "args",
    "timeout",
    "marker",
    "literal",
    "symlink",
    "fifo",
    "sparse",
    "generate",
    "bug",
    "isolate",
    "event",
    "forbid",
    "about",
}
DEFAULT_LAYOUT = "a5-booklet"
DEFAULT_LANG = "en"
PREVIOUS = b"%PDF-1.4\n% the previous good build; a failed build must leave it as it is\n"
HANG_GUARD = 60.0  # seconds; an isolated case still running then is killed as a hang
MEMORY_LIMIT = 3 * 1024**3  # isolated cases run under this address-space limit
# Anything but \t and \n: a terminal escape (ESC [ ... ) echoed from content must not reach
# the user's terminal through a diagnostic.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    spec: dict[str, Any]

    @property
    def expect(self) -> list[str]:
        return _as_list(self.spec.get("expect"))

    @property
    def exit(self) -> int:
        return int(self.spec["exit"])

    @property
    def timeout(self) -> float:
        """The hang guard of an isolated case: it is killed past this, never timed against it.

        No test may depend on wall-clock time (the suite runs 2-3x slower on 2 busy cores), so
        the bound is far above any honest build; what a case may cost is bounded by counts of
        work (pages, bytes, letters) in the build itself, and its time is measured in bench/.
        """
        return max(HANG_GUARD, float(self.spec.get("timeout", HANG_GUARD)))

    @property
    def isolate(self) -> bool:
        return bool(self.spec.get("isolate", False))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _cases() -> list[Case]:
    found = []
    folders = [p for p in CASES.iterdir() if p.is_dir()]
    for folder in sorted(folders, key=lambda p: (int(p.name.split("-")[0]), p.name)):
        try:
            spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{folder.name}/case.yaml: {exc}") from None
        found.append(Case(folder.name, folder, spec))
    return found


def _params() -> list:
    params = []
    for case in _cases():
        marks = []
        if case.spec.get("bug"):
            marks.append(pytest.mark.xfail(reason=case.spec["bug"], strict=True))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


# --- the temporary project ---------------------------------------------------------------


def _make_project(case: Case, tmp: Path) -> Path:
    """Lay out the project of a case under `tmp`; returns the project folder."""
    project = tmp / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    event = project / "content" / "ev"
    shutil.copytree(SAMPLE, event)
    for item in sorted(case.folder.iterdir()):
        if item.name == "case.yaml":
            continue
        if item.name == "layouts":
            shutil.copytree(item, project / "layouts", dirs_exist_ok=True)
        elif item.name == "outside":
            shutil.copytree(item, tmp / "outside")
        else:
            _replace(item, event / item.name)
    for spec in case.spec.get("generate", []):
        _generate(event / spec["file"], spec)
    for name, target in (case.spec.get("symlink") or {}).items():
        link = event / name
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(target)
    for name, size in (case.spec.get("sparse") or {}).items():
        with open(event / name, "wb") as handle:  # holes: no disk space, any apparent size
            handle.truncate(int(size))
    for name in case.spec.get("fifo", []):
        (event / name).unlink(missing_ok=True)
        os.mkfifo(event / name)
    previous = project / "out" / "ev" / f"{DEFAULT_LAYOUT}.{DEFAULT_LANG}.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(PREVIOUS)
    return project


def _replace(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copyfile(source, target)


def _generate(path: Path, spec: dict[str, Any]) -> None:
    """A big file from a head, `count` repetitions of a piece ({n} = 0, 1, ...) and an end;
    `parts` (a list of {repeat, count}) follow the end, each repeated likewise."""
    text = spec.get("head", "") + _repeated(spec) + spec.get("end", "")
    text += "".join(_repeated(part) for part in spec.get("parts", []))
    path.write_bytes(text.encode(spec.get("encoding", "utf-8")))


def _repeated(spec: dict[str, Any]) -> str:
    piece, count = spec.get("repeat", ""), int(spec.get("count", 0))
    if "{n}" not in piece:
        return piece * count
    return "".join(piece.replace("{n}", str(n)) for n in range(count))


def _snapshot(tmp: Path) -> dict[str, tuple]:
    """Every path under `tmp` (links not followed) with its type, size and mtime."""
    state = {}
    for folder, dirs, files in os.walk(tmp):
        for name in dirs + files:
            path = Path(folder) / name
            st = path.lstat()
            state[str(path.relative_to(tmp))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return state


# --- running -------------------------------------------------------------------------------


def _argv(case: Case) -> list[str]:
    args = [str(a) for a in case.spec.get("args", [])]
    if "--layout" not in args:
        args += ["--layout", DEFAULT_LAYOUT]
    if "--lang" not in args:
        args += ["--lang", DEFAULT_LANG]
    if "--out" not in args:
        args += ["--out", "out"]
    return ["build", case.spec.get("event", "content/ev"), *args]


def _run_inline(argv: list[str], project: Path, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    capsys.readouterr()
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse
        status = exc.code if isinstance(exc.code, int) else 2
    return status, capsys.readouterr().err


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_isolated(argv: list[str], project: Path, timeout: float) -> tuple[int, str]:
    try:
        run = subprocess.run(
            [sys.executable, "-m", "booklet", *argv],
            cwd=project,
            capture_output=True,
            text=True,
            errors="backslashreplace",
            timeout=timeout,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {timeout:g} s: a hang (the process was killed)")
    return run.returncode, run.stderr


# --- checks on what a build wrote ---------------------------------------------------------


def _pdf_text(out: Path) -> str:
    texts = []
    for pdf in sorted(out.rglob("*.screen.pdf")):
        texts += [page.extract_text() or "" for page in PdfReader(pdf).pages]
    return "".join(texts)


ACTIONS = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm", "/Rendition"}


def _active_content(pdf_path: Path) -> list[str]:
    """Anything in a PDF that runs, opens files or fetches: none may come from content."""
    found: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        ours = _placed_pictures(pdf)
        for obj in pdf.objects:
            for item in _dictionaries(obj):
                if item.is_indirect and item.objgen in ours:
                    continue  # a picture the event's `images` declare, placed by booklet
                found += _active(item)
    return found


def _placed_pictures(pdf) -> set[tuple[int, int]]:
    """The images booklet put into its picture slots (a form's /BookletImage): the sample's
    own photos, not anything content markup could bring in."""
    ours = set()
    for obj in pdf.objects:
        resources = obj.get("/Resources") if isinstance(obj, pikepdf.Stream) else None
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        image = xobjects.get("/BookletImage") if isinstance(xobjects, pikepdf.Dictionary) else None
        if image is not None and image.is_indirect:
            ours.add(image.objgen)
    return ours


def _dictionaries(obj):
    """A dictionary or stream and the direct dictionaries inside it (indirect ones come apart)."""
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        yield obj
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            yield from _dictionaries(child)


def _active(item) -> list[str]:
    found = []
    if item.get("/S") in ACTIONS or "/JS" in item or "/EmbeddedFiles" in item:
        found.append(f"action {item.get('/S')}")
    uri = item.get("/URI")
    if uri is not None and not str(uri).startswith(("https://", "http://")):
        found.append(f"link to {str(uri)[:60]!r}")
    if uri is not None and not bytes(uri).isascii():  # a PDF link is 7-bit (IRI → URI)
        found.append(f"link not 7-bit: {bytes(uri)[:60]!r}")
    if item.get("/Subtype") == "/Image":
        found.append("an image")
    return found


QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def _as_printed(text: str) -> str:
    """Text compared as printed: whitespace (line breaks) ignored, typographic quotes as '"'."""
    return re.sub(r"\s+", "", text).translate(QUOTES)


# --- the test ------------------------------------------------------------------------------


# What a message must never show: library internals and object addresses (a module path
# like booklet.typeset.styles; a file name like a5-booklet.en.pdf is the document's own).
INTERNALS = re.compile(
    r"[Jj]inja|Flowable|@0x|object at 0x|__main__|(?<![\w-])booklet\.[a-z_]+\.[a-z_]+"
    r"|\b[A-Z]\w+(Error|Exception)\b"
)


def _check_stderr(case: Case, status: int, err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert not INTERNALS.search(err), f"library internals in a message: {err}"
    assert status == case.exit, f"exit {status}, expected {case.exit}\n{err}"
    for expected in case.expect:
        assert expected in err, f"{expected!r} not in stderr:\n{err}"
    for forbidden in _as_list(case.spec.get("forbid")):
        assert forbidden not in err, f"{forbidden!r} in stderr:\n{err}"
    assert not CONTROL.search(err), f"control characters reach the terminal: {err!r}"


def _check_failed_build(out: Path) -> None:
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir())
    assert files == [f"ev/{DEFAULT_LAYOUT}.{DEFAULT_LANG}.pdf"], f"a failed build wrote {files}"
    previous = out / "ev" / f"{DEFAULT_LAYOUT}.{DEFAULT_LANG}.pdf"
    assert previous.read_bytes() == PREVIOUS, "a failed build touched the previous output"


def _check_built_files(case: Case, out: Path) -> None:
    for pdf in sorted(out.rglob("*.pdf")):
        if pdf.read_bytes() != PREVIOUS:
            assert not _active_content(pdf), f"{pdf.name}: {_active_content(pdf)}"
    literal = _as_list(case.spec.get("literal"))
    if literal:
        text = _as_printed(_pdf_text(out))
        for expected in literal:
            assert _as_printed(expected) in text, f"{expected!r} is not printed literally"


def _marker(case: Case, tmp: Path) -> Path | None:
    """The file injected code would create, removed beforehand."""
    if not case.spec.get("marker"):
        return None
    marker = Path(case.spec["marker"])
    marker = marker if marker.is_absolute() else tmp / marker
    marker.unlink(missing_ok=True)
    return marker


@pytest.mark.parametrize("case", _params())
def test_hostile_case(case: Case, tmp_path: Path, capsys, monkeypatch):
    unknown = set(case.spec) - CASE_KEYS
    assert not unknown, f"unknown keys in case.yaml: {unknown}"
    project = _make_project(case, tmp_path)
    marker = _marker(case, tmp_path)
    before = _snapshot(tmp_path)
    if case.isolate:
        status, err = _run_isolated(_argv(case), project, case.timeout)
    else:
        status, err = _run_inline(_argv(case), project, capsys, monkeypatch)
    after = _snapshot(tmp_path)

    _check_stderr(case, status, err)
    if marker is not None:
        assert not marker.exists(), f"injected code ran: {marker} was created"
    changed = {
        path
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path) and not path.startswith("project/out")
    }
    assert not changed, f"written outside out/: {sorted(changed)}"
    if status != 0:
        _check_failed_build(project / "out")
    else:
        _check_built_files(case, project / "out")


def test_the_corpus_is_big_enough_and_every_case_is_well_formed():
    cases = _cases()
    assert len(cases) >= 40
    for case in cases:
        assert re.fullmatch(r"\d{2,3}-[a-z0-9-]+", case.name), case.name
        assert case.exit in (0, 1, 2), case.name
        assert case.exit == 0 or case.expect, f"{case.name}: a failing case names its message"
        assert case.spec.get("about"), f"{case.name}: say what the case attacks"
