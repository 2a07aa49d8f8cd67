"""Long documents set in parts: the pages of the whole document, in one file, on one core or two."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest

from booklet.builder import document_parts as parts
from booklet.builder import forks as beside
from booklet.builder import long_document as longdoc
from booklet.builder.pipeline import build
from booklet.cli import main
from booklet.output.collate import Collator, Entry
from booklet.typeset import document_pdf

from .conftest import SAMPLE, font_programs


def _build(out: Path, monkeypatch, part_pages: int = 0, layout: str = "a5-booklet", lang="en"):
    """Build one document; with `part_pages`, in parts of that many pages whatever its length."""
    with monkeypatch.context() as m:
        if part_pages:
            m.setattr(parts, "PARTED_WEIGHT", 0)
            m.setattr(longdoc, "PART_PAGES", part_pages)
        # Air to fill the last pages is tried in other ways whole (step by step) and in
        # parts (a few aimed settings, `long_fill`): here neither, to compare the pages.
        m.setattr(document_pdf, "_filled", lambda document, faces, found, said: (found, said))
        m.setattr(longdoc, "long_air", lambda document, faces, pages: 0.0)
        report = build(SAMPLE, (layout,), (lang,), out)
    return out / "commemoration", report


def _page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    finally:
        doc.close()


def _renders(path: Path) -> list[bytes]:
    """Every page's pixels, at a third of their size: art, rules and folios included."""
    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].render(scale=1 / 3).to_pil().tobytes() for i in range(len(doc))]
    finally:
        doc.close()


def _outline(path: Path) -> list[tuple[int, str, int]]:
    reader = pypdf.PdfReader(path)

    def walk(items, level: int) -> list:
        found = []
        for item in items:
            if isinstance(item, list):
                found += walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))
        return found

    return walk(reader.outline, 0)


def _words_by_line(text: str) -> list[str]:
    """Each line's letters, sorted: what is printed, whatever order a viewer reads it out
    in (a Latin run with digits and brackets in an Arabic line comes out whole in one
    file and run by run in the other; the renders below compare the pixels). A bracket is
    read as either of its pair: one glyph draws "(" mirrored and ")" upright, and a file's
    ToUnicode names one of the two, the one its subset met first (a part meets others)."""
    paired = str.maketrans("()[]", "(([[")
    return ["".join(sorted(line.replace(" ", "").translate(paired))) for line in text.splitlines()]


@pytest.mark.parametrize(("layout", "lang"), [("a5-booklet", "en"), ("a5-booklet", "ar")])
def test_a_document_set_in_parts_has_the_pages_of_the_whole(tmp_path, monkeypatch, layout, lang):
    whole, one = _build(tmp_path / "whole", monkeypatch, 0, layout, lang)
    cut, parted = _build(tmp_path / "parts", monkeypatch, 3, layout, lang)
    stem = f"{layout}.{lang}"
    assert parted.documents[0].pages == one.documents[0].pages >= 8
    # Every page carries the same text in the same place: parts end between two pages, and
    # the next one begins as the whole document's next page would (recto/verso, folio).
    texts = [_page_texts(folder / f"{stem}.screen.pdf") for folder in (cut, whole)]
    if lang == "ar":  # a Latin run of an Arabic line may be read out from either end
        texts = [[_words_by_line(page) for page in pages] for pages in texts]
    assert texts[0] == texts[1]
    assert _renders(cut / f"{stem}.screen.pdf") == _renders(whole / f"{stem}.screen.pdf")
    printed = _page_texts(cut / f"{stem}.pdf")
    for n, (a, b) in enumerate(zip(printed, _page_texts(whole / f"{stem}.pdf"), strict=True), 1):
        # The slug line of a part cannot know the page count yet: "· 3", not "· 3/8".
        assert a == b.replace(f"· {n}/{len(printed)}", f"· {n}")
    for name in (f"{stem}.screen.pdf", f"{stem}.pdf"):
        assert _outline(cut / name) == _outline(whole / name) != []
        if lang == "ar":
            continue  # shaped glyphs are not preset: each part embeds subsets of its own
        # each subset once, though every part embedded its own
        with pikepdf.open(cut / name) as pdf, pikepdf.open(whole / name) as other:
            assert len(font_programs(pdf)) == len(font_programs(other))
    # the imposed sheets, written as the parts come (each page a form), are the same sheets
    assert _renders(cut / f"{stem}.imposed.pdf") == _renders(whole / f"{stem}.imposed.pdf")
    assert parted.documents[0].preflight == one.documents[0].preflight


def test_parts_made_beside_and_made_here_are_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(beside, "spare_core", lambda: True)
    forked, _ = _build(tmp_path / "forked", monkeypatch, 2)
    monkeypatch.setattr(beside, "spare_core", lambda: False)
    here, _ = _build(tmp_path / "here", monkeypatch, 2)
    names = sorted(p.name for p in forked.iterdir())
    assert names == sorted(p.name for p in here.iterdir()) and len(names) >= 5
    for name in names:
        assert (forked / name).read_bytes() == (here / name).read_bytes(), name


def test_a_part_that_fails_stops_the_build_and_keeps_the_last_output(tmp_path, monkeypatch, capsys):
    out, spool = tmp_path / "out", tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where the parts' files go
    folder, _ = _build(out, monkeypatch)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(parts, "PARTED_WEIGHT", 0)
    monkeypatch.setattr(longdoc, "PART_PAGES", 2)
    monkeypatch.setenv("BOOKLET_MAX_PAGES", "5")  # the third part passes the limit
    args = ["build", str(SAMPLE), "--layout", "a5-booklet", "--lang", "en", "--out", str(out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "more than 5 pages" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not list(spool.iterdir())  # the parts' files went with the failed build


def test_a_long_flowing_document_is_set_in_parts_and_a_short_one_whole(monkeypatch):
    from booklet.compose.composer import compose
    from booklet.errors import Diagnostics
    from booklet.read.project import find_project, read_content, read_layout

    diags = Diagnostics()
    content = read_content(SAMPLE, "en", diags)
    project = find_project(SAMPLE)
    booklet = compose(content, read_layout(project, "a5-booklet", diags), "a5-booklet", "en", diags)
    cards = read_layout(project, "a6-invitation", diags)
    assert not parts.parted(booklet)  # the sample: 8 pages
    monkeypatch.setattr(parts, "PARTED_WEIGHT", 1000)
    assert parts.parted(booklet)
    card = compose(content, cards, "a6-invitation", "en", diags)
    assert not parts.parted(card)  # cards are batched by guest, not cut into parts
    letters = parts.document_glyphs(booklet)
    assert "–" in letters and "“" in letters and all(ord(c) > 127 for c in letters)


def test_the_outline_of_collated_parts_nests_by_level(tmp_path):
    handle = io.BytesIO()
    collator = Collator(handle)
    page = collator.new(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 100 100] >>" % collator.tree)
    collator.pages.append(page)
    levels = [0, 1, 1, 0, 1, 2, 0]
    for n, level in enumerate(levels):
        title = pikepdf.String(f"entry {n}").unparse()
        collator.outline.append(Entry(level, title, b"[ %d 0 R /Fit ]" % page, n == 4))
    collator.close()
    with pikepdf.open(io.BytesIO(handle.getvalue())) as pdf:
        with pdf.open_outline() as outline:
            tree = [
                (
                    item.title,
                    [(kid.title, [k.title for k in kid.children]) for kid in item.children],
                )
                for item in outline.root
            ]
        assert tree == [
            ("entry 0", [("entry 1", []), ("entry 2", [])]),
            ("entry 3", [("entry 4", ["entry 5"])]),
            ("entry 6", []),
        ]
        # open entries count what shows under them; entry 4 is closed (a negative count)
        assert int(pdf.Root.Outlines.Count) == 6
        assert int(pdf.Root.Outlines.First.Next.First.Count) == -1


def test_a_booklet_without_back_cover_already_four_pages_long_is_set(tmp_path, monkeypatch):
    # Its padding adds no page and is the story's last flowable: ReportLab must still find one.
    project = tmp_path / "project"
    shutil.copytree(SAMPLE.parents[1] / "layouts", project / "layouts")
    (project / "fonts").symlink_to(SAMPLE.parents[1] / "fonts")
    shutil.copytree(SAMPLE, project / "event")
    text = (project / "layouts" / "a5-booklet.yaml").read_text(encoding="utf-8")
    text = text[: text.index("pages:")] + "pages: [cover, program, speakers]\n"
    (project / "layouts" / "short.yaml").write_text(text, encoding="utf-8")
    (project / "event" / "build.yaml").write_text("documents: [short]\nlanguages: [en]\n")
    report = build(project / "event", out_dir=tmp_path / "whole")
    assert report.documents[0].pages == 4
    monkeypatch.setattr(parts, "PARTED_WEIGHT", 0)
    monkeypatch.setattr(longdoc, "PART_PAGES", 2)
    assert build(project / "event", out_dir=tmp_path / "parts").documents[0].pages == 4


def test_the_letters_preset_are_the_documents_not_its_file_names():
    from booklet.compose.document import Prose
    from booklet.errors import Location

    block = Prose("Çay", loc=Location("/events/事件ß/event.yaml", 3, 1))
    assert list(parts._texts(block)) == ["Çay", "body"]


def test_a_killed_builds_parts_folder_is_swept_by_the_next(tmp_path, monkeypatch):
    import subprocess

    dead = subprocess.Popen(["true"])  # a process that has ended
    dead.wait()
    spool = tmp_path / "tmp"
    left = spool / f".booklet-parts-{dead.pid}-abc"
    left.mkdir(parents=True)
    (left / "part.pdf").write_bytes(b"%PDF")
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    _build(tmp_path / "out", monkeypatch, 4)
    assert not left.exists() and not list(spool.iterdir())


LONG_WORDS = [
    "memory",
    "remembrance",
    "night",
    "town",
    "people",
    "families",
    "children",
    "mountain",
    "evening",
    "archive",
    "document",
    "witness",
    "record",
    "history",
    "village",
    "road",
    "winter",
    "snow",
    "river",
    "survivors",
    "names",
    "years",
]


def _long_event(tmp_path: Path, sections: int, paras: int) -> Path:
    """The sample in English with `sections` sections of `paras` paragraphs of words."""
    import random

    rnd, event = random.Random(7), tmp_path / "longev"
    shutil.copytree(SAMPLE, event)
    text = (event / "event.yaml").read_text(encoding="utf-8")
    start, end = text.index("sections:\n"), text.index("facts:\n")
    body = ["sections:\n"]
    for s in range(sections):
        body.append(f"  - id: part-{s}\n    title: Part {s + 1} of the record\n    body: |\n")
        for _ in range(paras):
            words = " ".join(rnd.choice(LONG_WORDS) for _ in range(rnd.randint(40, 120)))
            body.append("      " + words.capitalize() + ".\n\n")
    (event / "event.yaml").write_text(text[:start] + "".join(body) + "\n" + text[end:], "utf-8")
    (event / "build.yaml").write_text("documents: [a5-booklet]\nlanguages: [en]\n", "utf-8")
    for translation in event.glob("event.*.yaml"):
        translation.unlink()
    return event


def test_a_document_set_in_parts_loses_notes_pages_in_a_few_settings(tmp_path, monkeypatch):
    """28 pages with a notes page as set plainly: a bounded search (at most LONG_TRIES
    settings more, each typeset only) finds the air that fills it, and the document is
    built with that air."""
    from booklet.typeset import long_fill

    event = _long_event(tmp_path, 6, 10)
    monkeypatch.setattr(parts, "PARTED_WEIGHT", 0)
    seen: list[tuple[float, int]] = []
    counted = long_fill.counted

    def counting(document, faces, air, pages):
        found, said = counted(document, faces, air, pages)
        seen.append((air, found.padding))
        return found, said

    monkeypatch.setattr(long_fill, "counted", counting)
    report = build(event, ("a5-booklet",), ("en",), write=False)
    assert seen[0] == (0.0, 1)  # plainly: a notes page
    assert 2 <= len(seen) <= 1 + long_fill.LONG_TRIES
    chosen = [air for air, padding in seen if padding == 0]
    assert chosen and 0 < chosen[0] <= 0.2  # within typography.air
    screen = report.documents[0].files["a5-booklet.en.screen.pdf"]
    doc = pdfium.PdfDocument(screen)
    texts = [doc[n].get_textpage().get_text_range().strip() for n in range(len(doc))]
    assert len(doc) == 28
    notes = [t for t in texts if t.upper().splitlines()[-1:] == ["NOTES"]]  # the head
    assert not notes  # plainly set, page 27 was a notes page
    assert not [d for d in report.diagnostics.items if d.code == "page-fill"]


def test_a_document_beyond_the_page_limits_worth_is_set_once(tmp_path, monkeypatch):
    """More text than FILL_WEIGHT: no count, no tries, the document set once without air."""
    from booklet.typeset import long_fill

    event = _long_event(tmp_path, 6, 10)
    monkeypatch.setattr(parts, "PARTED_WEIGHT", 0)
    monkeypatch.setattr(parts, "FILL_WEIGHT", 0)
    seen: list[float] = []
    monkeypatch.setattr(long_fill, "counted", lambda *a: seen.append(a[2]))
    report = build(event, ("a5-booklet",), ("en",), write=False)
    assert seen == [] and report.documents[0].pages == 28


def test_a_long_documents_files_are_written_as_collated_not_held(tmp_path, monkeypatch):
    from booklet.output.staging import Spooled

    folder, report = _build(tmp_path / "out", monkeypatch, 3)
    files = report.documents[0].files
    for name in ("a5-booklet.en.pdf", "a5-booklet.en.screen.pdf", "a5-booklet.en.imposed.pdf"):
        # written into the build's spool part by part, renamed into place: never all in memory
        assert files[name] == Spooled(folder / name), name
        with pikepdf.open(folder / name) as pdf:
            assert len(pdf.pages) >= 4
    with pikepdf.open(folder / "a5-booklet.en.screen.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root  # the parts' tags, kept on disk, joined at the end
    assert not any(p.name.startswith(".booklet-") for p in folder.parent.iterdir())


def test_the_parsed_files_are_let_go_before_any_document_is_set(tmp_path, monkeypatch):
    from booklet.builder import pipeline
    from booklet.read import nodes

    held = []
    real = pipeline.run_jobs
    monkeypatch.setattr(
        pipeline, "run_jobs", lambda *a: held.append(len(nodes._PARSED)) or real(*a)
    )
    build(SAMPLE, ("a5-booklet",), ("en",), tmp_path, write=False)
    assert held == [0]  # the node trees (10 MB for a 3 MB event.yaml) are not forked with
