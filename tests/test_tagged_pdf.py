"""The screen PDF is tagged (PDF/UA-1): marked content, structure tree, reading order, languages."""

from __future__ import annotations

import ctypes
import dataclasses
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from booklet.builder import pipeline
from booklet.compose import document as d
from booklet.prepress.tagged import tag

ROOT = Path(__file__).resolve().parents[1]
PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}
BUILDS = {
    "commemoration": (("a5-booklet", "dl-trifold", "a4-program-bilingual"), ("en", "ar")),
    "conference": (("a5-booklet", "a4-program-bilingual", "a6-invitation"), ("ru",)),
}
FILES = [
    ("commemoration", "a5-booklet.en"),
    ("commemoration", "a5-booklet.ar"),
    ("commemoration", "dl-trifold.en"),
    ("commemoration", "a4-program-bilingual.ar"),
    ("conference", "a5-booklet.ru"),
    ("conference", "a4-program-bilingual.ru"),
    ("conference", "a6-invitation.ru"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, monkeypatch_module) -> tuple[Path, dict]:
    """The screen files, and the documents they were composed from, by event and stem."""
    out = tmp_path_factory.mktemp("tagged")
    documents: dict[tuple[str, str], d.Document] = {}
    compose, tag = pipeline.compose, pipeline.tag
    untagged: list[tuple[bytes, bytes, object]] = []

    def tag_spy(screen, tags):
        tagged = tag(screen, tags)
        untagged.append((screen, tagged, tags))
        return tagged

    def spy(content, layout, name, lang, *args, **kw):
        found = compose(content, layout, name, lang, *args, **kw)
        documents[(content.event.title.loc.file.split("/")[-2], f"{name}.{lang}")] = found
        return found

    monkeypatch_module.setattr(pipeline, "compose", spy)
    monkeypatch_module.setattr(pipeline, "tag", tag_spy)
    monkeypatch_module.setattr(pipeline, "workers", lambda jobs: 1)
    for event, (layouts, langs) in BUILDS.items():
        pipeline.build(ROOT / "content" / event, layouts=layouts, langs=langs, out_dir=out)
    return out, documents, untagged


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def screen(built, event: str, stem: str) -> Path:
    return built[0] / event / f"{stem}.screen.pdf"


def elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first in the tree's order."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            found.append(node)
            walk(node.get("/K"))

    walk(pdf.Root.StructTreeRoot.K)
    return found


def marked_refs(elem) -> list[tuple[int, int]]:
    """The (page object id, MCID) pairs an element's own content is."""
    kids = elem.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    refs = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            refs.append((kid.Pg.objgen, int(kid.MCID)))
        elif isinstance(kid, int):
            refs.append((elem.Pg.objgen, int(kid)))
    return refs


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_catalog_and_pages_declare_a_tagged_file(built, event, stem):
    with pikepdf.open(screen(built, event, stem)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == stem.split(".")[1]
        assert root.ViewerPreferences.DisplayDocTitle is True
        xmp = root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert str(pdf.docinfo.Title) in xmp and "<dc:title>" in xmp
        assert "<xmp:CreateDate>" in xmp and "<dc:creator>" in xmp  # as the document info
        for n, page in enumerate(pdf.pages):
            assert page.obj.Tabs == pikepdf.Name.S
            assert int(page.obj.StructParents) == n


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_every_painting_operator_is_marked_or_an_artifact(built, event, stem):
    painted = 0
    with pikepdf.open(screen(built, event, stem)) as pdf:
        for n, page in enumerate(pdf.pages):
            stack: list[str] = []
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "BDC":
                    props = operands[1]
                    mcid = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                    stack.append("mcid" if mcid else str(operands[0]))
                elif name == "BMC":
                    stack.append(str(operands[0]))
                elif name == "EMC":
                    stack.pop()
                elif name in PAINTING:
                    painted += 1
                    assert "mcid" in stack or "/Artifact" in stack, (n, name)
            assert stack == [], f"page {n + 1}: unbalanced marked content"
    assert painted > 40


MARK = re.compile(rb"/\w+ <</MCID \d+>> BDC|/Artifact <<[^\n]*>> BDC|EMC ")


def test_the_marks_are_all_that_tagging_adds_to_the_pages(built):
    """Take the marks out of a tagged page and the untagged screen file's page is left, to
    the byte: tagging moves, adds or drops no operator."""
    pages = 0
    for plain, tagged, _ in built[2]:
        with pikepdf.open(io.BytesIO(plain)) as a, pikepdf.open(io.BytesIO(tagged)) as b:
            for before, after in zip(a.pages, b.pages, strict=True):
                lines = after.Contents.read_bytes().split(b"\n")
                kept = [line for line in lines if not MARK.fullmatch(line)]
                assert b"\n".join(kept) == before.Contents.read_bytes()
                assert len(kept) < len(lines)
                pages += 1
    assert pages >= 30


def test_a_record_that_is_not_of_these_pages_tags_nothing(built):
    """A page whose stream is not the recorded one without its marks: the file is left
    as it is rather than given another page's content."""
    plain, _, tags = built[2][0]
    changed = dataclasses.replace(tags, streams=[b"0 0 m\n" + tags.streams[0], *tags.streams[1:]])
    assert tag(plain, changed) == plain
    assert tag(plain, tags) != plain


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_every_mcid_is_in_the_parent_tree_once_and_in_one_element(built, event, stem):
    with pikepdf.open(screen(built, event, stem)) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        tree = dict(zip(nums[::2], nums[1::2], strict=True))
        by_element = [ref for elem in elements(pdf) for ref in marked_refs(elem)]
        assert len(by_element) == len(set(by_element))
        for n, page in enumerate(pdf.pages):
            used = [
                int(ops[1].MCID)
                for ops, op in pikepdf.parse_content_stream(page)
                if str(op) == "BDC" and isinstance(ops[1], pikepdf.Dictionary) and "/MCID" in ops[1]
            ]
            assert sorted(used) == list(range(len(used))), f"page {n + 1}: MCIDs not 0..n"
            parents = tree[n]
            assert len(parents) == len(used)
            for mcid in used:
                assert (page.obj.objgen, mcid) in marked_refs(parents[mcid])
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(tree) + 1


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_figures_have_alt_and_links_point_at_their_annotations(built, event, stem):
    with pikepdf.open(screen(built, event, stem)) as pdf:
        found = elements(pdf)
        figures = [e for e in found if e.S == "/Figure"]
        assert all(str(e.get("/Alt", "")).strip() for e in figures)
        assert all(len(e.A.BBox) == 4 for e in figures)
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        tree = dict(zip(nums[::2], nums[1::2], strict=True))
        links = [a for p in pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Link"]
        for annot in links:
            assert str(annot.Contents).startswith("Link")
            elem = tree[int(annot.StructParent)]
            assert elem.S == "/Link" and elem.K[0].Type == "/OBJR"
            assert elem.K[0].Obj.objgen == annot.objgen
    if "a5-booklet" in stem:  # the sources' codes, described in the document's language
        start = {"en": "QR code: link to ", "ar": "رمز QR: رابط إلى ", "ru": "QR-код: ссылка на "}
        assert any(str(e.Alt).startswith(start[stem[-2:]]) for e in figures)
        document = built[1][(event, stem)]
        entries = [e for b in document.blocks if isinstance(b, d.SourceList) for e in b.entries]
        named = [e.title or e.publisher for e in entries]
        assert named and all(any(n in str(f.Alt) for f in figures) for n in named)


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_headings_start_at_h1_and_skip_no_level(built, event, stem):
    with pikepdf.open(screen(built, event, stem)) as pdf:
        levels = [int(str(e.S)[2]) for e in elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_the_program_is_a_list_with_times_as_labels(built):
    with pikepdf.open(screen(built, "conference", "a5-booklet.ru")) as pdf:
        found = elements(pdf)
        items = [e for e in found if e.S == "/LI"]
        labelled = [e for e in items if any(k.get("/S") == "/Lbl" for k in e.K)]
        assert all(e.P.S == "/L" for e in items)
        assert all(e.P.S == "/LI" for e in found if e.S == "/Lbl")
    document = built[1][("conference", "a5-booklet.ru")]
    entries = sum(isinstance(b, d.ProgramEntry) for b in document.blocks)
    entries += sum(
        len(items) for b in document.blocks if isinstance(b, d.Parallel) for _, items in b.sessions
    )
    assert any(isinstance(b, d.Parallel) for b in document.blocks)
    entries += sum(len(b.cells) for b in document.blocks if isinstance(b, d.FactGrid))
    assert len(labelled) == entries  # sessions side by side too: a time, an item; a fact


def test_every_card_has_its_title_and_text_though_they_are_drawn_once(built):
    """A card's title and text are one form XObject every card draws: on each card that
    form is inside a leaf of its own, not an artifact."""
    with pikepdf.open(screen(built, "conference", "a6-invitation.ru")) as pdf:
        pages = len(pdf.pages)
        found = elements(pdf)
        titles = [e for e in found if e.S == "/H1"]
        logos = [e for e in found if e.S == "/Figure" and str(e.Alt).startswith("Logos: ")]
    assert pages >= 3 and len(titles) == pages
    assert len(logos) == pages - 1  # the first card draws each logo, the others the row


def test_other_languages_are_tagged_where_they_are_printed(built):
    for event, stem, other in (
        ("commemoration", "a4-program-bilingual.ar", "en"),
        ("conference", "a4-program-bilingual.ru", "en"),
    ):
        with pikepdf.open(screen(built, event, stem)) as pdf:
            langs = [str(e.Lang) for e in elements(pdf)[1:] if "/Lang" in e]
        assert langs.count(other) >= 5, (stem, langs)


def test_fonts_are_all_embedded(built):
    for event, stem in FILES:
        with pikepdf.open(screen(built, event, stem)) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                    assert any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")), obj
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                    # No standard-14 font (never embedded), and every letter maps to Unicode.
                    assert "/FontDescriptor" in obj or "/DescendantFonts" in obj, obj.BaseFont
                    assert "/ToUnicode" in obj, obj.BaseFont


# --- reading order ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Letters and digits only, case-folded: line breaks, hyphens and quotes vary."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _texts_by_mcid(path: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence, by (page, MCID), as pdfium reads it."""
    doc = pdfium.PdfDocument(path)
    found: dict[tuple[int, int], str] = {}
    for n in range(len(doc)):
        page = doc[n]
        textpage = page.get_textpage()
        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, i)
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
            if mcid < 0 or raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
                continue
            size = raw.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFTextObj_GetText(
                obj, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
            )
            text = buffer.raw[: max(0, size - 2)].decode("utf-16-le", errors="replace")
            found[(n, mcid)] = found.get((n, mcid), "") + text
    return found


def _structure_text(path: Path) -> list[str]:
    texts = _texts_by_mcid(path)
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        return [
            "".join(texts.get((index[pg], mcid), "") for pg, mcid in marked_refs(elem))
            for elem in elements(pdf)
        ]


def _content_order(document: d.Document) -> list[str]:
    """The strings a document prints, in its blocks' order (as composed)."""
    fields = {
        d.Heading: ("title",),
        d.SectionHeading: ("text",),
        d.Prose: ("text",),
        d.ProgramEntry: ("time", "title"),
        d.DayHead: ("title",),
        d.SessionHead: ("title",),
        d.PersonEntry: ("name",),
        d.Cover: ("title",),
        d.Masthead: ("title",),
    }
    return [
        getattr(block, name)
        for block in document.blocks
        for name in fields.get(type(block), ())
        if getattr(block, name)
    ]


@pytest.mark.parametrize(
    ("event", "stem"),
    [
        ("commemoration", "a5-booklet.en"),
        ("commemoration", "a4-program-bilingual.ar"),
        ("conference", "a5-booklet.ru"),
    ],
)
def test_the_structure_reads_in_the_documents_order(built, event, stem):
    # Arabic is read from its shaped glyphs, right to left, line by line (no ActualText
    # yet): its order is checked on the Latin letters and digits it prints (times, names).
    keep = (lambda t: "".join(c for c in _plain(t) if c.isascii())) if ".ar" in stem else _plain
    read = keep("".join(_structure_text(screen(built, event, stem))))
    at, found = 0, 0
    for text in _content_order(built[1][(event, stem)]):
        plain = keep(text)
        if not plain:
            continue
        hit = read.find(plain, at)
        assert hit >= 0, f"{text!r} not found after position {at} of the structure's text"
        at, found = hit + len(plain), found + 1
    assert found >= 8


def test_a_trifold_reads_folded_cover_first(built):
    """The cover is the outside's right panel, drawn after the flap and the back on the
    sheet's first side: its structure still comes first, then the flap, then the inside."""
    path = screen(built, "commemoration", "dl-trifold.en")
    read = _plain("".join(_structure_text(path)))
    document = built[1][("commemoration", "dl-trifold.en")]
    cover = next(b for b in document.blocks if isinstance(b, d.Cover))
    heading = next(b for b in document.blocks if isinstance(b, d.Heading))
    assert read.index(_plain(cover.title)) < 40 < read.index(_plain(heading.title))
    drawn = _plain(pdfium.PdfDocument(path)[0].get_textpage().get_text_range())
    assert drawn.index(_plain(cover.title)) > 40  # drawn after other panels
    # Each paragraph of the cover is an element of its own (made and dropped as the cover
    # is painted, two of them once shared a key and became one element).
    texts = [_plain(t) for t in _structure_text(path)]
    assert _plain(cover.when) in texts and _plain(cover.where) in texts


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler's pdfinfo is not installed")
def test_poppler_reads_the_same_structure_text(built):
    path = screen(built, "commemoration", "a5-booklet.en")
    shown = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    quoted = "".join(re.findall(r'"(.*)"', shown))
    ours = "".join(_structure_text(path))
    assert _plain(quoted) == _plain(ours)
    wanted = [_plain(t) for t in _content_order(built[1][("commemoration", "a5-booklet.en")])]
    at = 0
    for text in wanted:
        at = _plain(quoted).index(text, at) + len(text)


def test_each_guests_own_card_file_is_tagged(tmp_path):
    event = ROOT / "content" / "conference"
    pipeline.build(event, ("a6-invitation",), ("en",), out_dir=tmp_path, per_guest=True)
    files = sorted((tmp_path / "conference" / "a6-invitation.en.guests").glob("*.pdf"))
    assert len(files) >= 3
    for path in files:
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True and len(pdf.pages) == 1
            found = elements(pdf)
            assert [e.S for e in found].count("/H1") == 1
            refs = [ref for e in found for ref in marked_refs(e)]
            nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
            assert len(nums[1]) == len(refs) > 3
            assert {mcid for _, mcid in refs} == set(range(len(refs)))


def test_credits_side_by_side_read_from_the_right_in_arabic(built):
    """The groups of names (organizers, partners) stand in a row, the first on the right in
    Arabic: drawn from the left, they still read first to last. Arabic is extracted in
    visual order, so a label is found by its letters, whatever their order."""
    stem = "a4-program-bilingual.ar"
    document = built[1][("commemoration", stem)]
    credits = next(b for b in document.blocks if isinstance(b, d.Credits))
    assert len(credits.groups) >= 2
    letters = [
        sorted(_plain(text)) for text in _structure_text(screen(built, "commemoration", stem))
    ]
    found = [letters.index(sorted(_plain(label))) for label, _ in credits.groups]
    assert found == sorted(found)


def test_a_document_set_in_parts_is_tagged_as_the_whole(tmp_path, monkeypatch):
    """A long document is set in parts and collated: its structure is joined, a paragraph
    that runs from one part into the next one element, as if it had been set whole."""
    from .test_longdoc import _build

    whole, _ = _build(tmp_path / "whole", monkeypatch, 0)
    cut, _ = _build(tmp_path / "parts", monkeypatch, 3)
    files = [folder / "a5-booklet.en.screen.pdf" for folder in (cut, whole)]
    assert _structure_text(files[0]) == _structure_text(files[1])
    roles = []
    for path in files:
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True and len(pdf.pages) >= 8
            roles.append([str(e.S) for e in elements(pdf)])
    assert roles[0] == roles[1]


def test_spans_a_paragraph_draws_itself_nest_inside_its_marked_content(tmp_path, monkeypatch):
    """A paragraph may mark its own runs (a /Span with /ActualText round an Arabic word):
    those sit inside the leaf's MCID sequence, and the file is still tagged."""
    from booklet.typeset.paragraphs import Para

    draw = Para.draw

    def spanned(self):
        self.canv._code.append("/Span <</ActualText <FEFF0041>>> BDC")
        draw(self)
        self.canv._code.append("EMC")

    monkeypatch.setattr(Para, "draw", spanned)
    pipeline.build(ROOT / "content" / "commemoration", ("a4-program",), ("en",), tmp_path)
    with pikepdf.open(tmp_path / "commemoration" / "a4-program.en.screen.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        spans = 0
        for page in pdf.pages:
            stack: list[str] = []
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC":
                    mcid = "/MCID" in operands[1]
                    stack.append("mcid" if mcid else str(operands[0]))
                    if str(operands[0]) == "/Span":
                        spans += 1
                        assert stack[-2] in ("mcid", "/Artifact"), stack
                elif str(op) == "BMC":
                    stack.append(str(operands[0]))
                elif str(op) == "EMC":
                    stack.pop()
            assert not stack
    assert spans > 20


def test_a_card_deck_set_in_batches_is_tagged_as_the_deck_set_at_once(tmp_path, monkeypatch):
    """Over the threshold the cards are set in batches, each numbering its blocks from zero:
    the collated screen file is tagged with the batches' records joined, and reads (and
    passes the UA check) as the deck set at once."""
    import booklet.builder.card_batches
    from booklet.preflight.ua import check_ua

    event = ROOT / "content" / "conference"
    files = []
    for name, at_once in (("batched", 2), ("whole", 100)):
        monkeypatch.setattr(pipeline, "CARDS_AT_ONCE", at_once)
        monkeypatch.setattr(booklet.builder.card_batches, "CARDS_PER_BATCH", 2)
        pipeline.build(event, ("a6-invitation",), ("en",), out_dir=tmp_path / name)
        files.append(tmp_path / name / "conference" / "a6-invitation.en.screen.pdf")
    batched = files[0]
    with pikepdf.open(batched) as pdf:
        pages = len(pdf.pages)
        assert pages >= 3 and pdf.Root.MarkInfo.Marked is True  # more than one batch
        found = elements(pdf)
        assert [e.S for e in found].count("/H1") == pages  # one card, one title
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        refs = sorted((index[pg], mcid) for e in found for pg, mcid in marked_refs(e))
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        for n, page in enumerate(pdf.pages):
            parents = nums[2 * int(page.obj.StructParents) + 1]
            mine = [mcid for p, mcid in refs if p == n]
            assert len(parents) == len(mine) > 3 and mine == list(range(len(mine)))
    # A batch's first card draws the shared text itself, the others its form (whose text
    # pdfium does not read by MCID): each guest's own lines, card after card, read as the
    # deck set at once, and a card that draws the text reads it in order.
    texts = [[t for t in _structure_text(path) if t] for path in files]
    own = [[t for t in found if t.startswith(("Dear", "Seat"))] for found in texts]
    assert own[0] == own[1] and len(own[0]) == 2 * pages
    third = texts[0].index(own[0][4]) - 2  # the second batch's first card
    card = [_plain(t) for t in texts[0][third : third + 8]]
    assert card[:2] == [_plain(t) for t in texts[1][:2]]
    assert card[2].startswith("dearprofolga") and card[-1] == "scantoreply"
    assert [d.code for d in check_ua(batched.read_bytes(), "deck") if d.severity == "error"] == []


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_the_facts_are_a_list_of_figures_not_a_table_without_headers(built, event, stem):
    """The facts grid prints no header row or column: it is a list (L, an LI a fact, its
    figure the Lbl), not a Table of TD cells with no TH to say what they are."""
    path = screen(built, event, stem)
    texts = _texts_by_mcid(path)
    with pikepdf.open(path) as pdf:
        found = elements(pdf)
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        assert not any(e.S in ("/Table", "/TR", "/TD", "/TH") for e in found)
        labels = [
            _plain("".join(texts.get((index[pg], m), "") for pg, m in marked_refs(e)))
            for e in found
            if e.S == "/Lbl"
        ]
    document = built[1][(event, stem)]
    grids = [b for b in document.blocks if isinstance(b, d.FactGrid)]
    for grid in grids:
        figures = [_plain(cell.figure) for cell in grid.cells]
        start = labels.index(figures[0])
        assert sorted(labels[start : start + len(figures)]) == sorted(figures)


def _artifacts(page: pikepdf.Page) -> list[tuple[str, list]]:
    """Each artifact on a page: its Type (with Subtype), and the operators inside it."""
    found: list[tuple[str, list]] = []
    depth = None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC") and depth is None and str(operands[0]) == "/Artifact":
            props = operands[1] if op == "BDC" else pikepdf.Dictionary()
            kind = str(props.get("/Type", "")) + str(props.get("/Subtype", ""))
            found.append((kind, []))
            depth = 0
        elif depth is not None:
            depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(op, 0)
            if depth < 0:
                depth = None
            else:
                found[-1][1].append((operands, op))
    return found


@pytest.mark.parametrize(("event", "stem"), FILES)
def test_artifacts_say_what_they_are(built, event, stem):
    """Page numbers and running feet are pagination footers, running heads headers, and
    the rest drawn between elements (page art, rules, lines) layout."""
    with pikepdf.open(screen(built, event, stem)) as pdf:
        kinds = [kind for page in pdf.pages for kind, _ in _artifacts(page)]
    assert set(kinds) <= {"/Layout", "/Pagination/Header", "/Pagination/Footer"}
    assert "/Layout" in kinds
    if stem.startswith(("a5-booklet", "a4-program-bilingual.ru")):
        assert "/Pagination/Footer" in kinds


def test_page_numbers_are_footers_and_running_heads_headers(built):
    with pikepdf.open(screen(built, "commemoration", "a5-booklet.en")) as pdf:
        numbered = 0
        for n, page in enumerate(pdf.pages, 1):
            for kind, ops in _artifacts(page):
                shown = b"".join(bytes(o[0]) for o, op in ops if op == "Tj")
                if kind == "/Pagination/Footer":
                    assert shown.startswith(str(n).encode()), (n, shown)
                    numbered += 1
                else:  # the page number is nowhere else
                    assert not shown.startswith(str(n).encode()) or n == 1, (n, kind, shown)
        assert numbered >= len(pdf.pages) - 4  # all but cover, inside cover, back
    with pikepdf.open(screen(built, "conference", "a5-booklet.ru")) as pdf:
        heads = [
            ops for page in pdf.pages for kind, ops in _artifacts(page) if kind.endswith("Header")
        ]
    assert heads and all(any(op == "Tj" for _, op in ops) for ops in heads)
