"""Collating parts into one file written as it goes, and long card builds that spool it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops
from reportlab.pdfgen.canvas import Canvas

from booklet.builder.pipeline import build
from booklet.output.collate import Collator, collate_pages

from .conftest import SAMPLE

TRICKY_TITLE = "Parts (1 0 R) and \\ 2 0 R ) ( back\\slash"  # reads like references


def _part(label: str, pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(200, 100), invariant=1)
    canvas.setTitle(TRICKY_TITLE)
    for n in range(1, pages + 1):
        canvas.drawString(10, 50, f"{label} page {n}")
        canvas.linkURL("https://example.org/(1 0 R)", (0, 0, 50, 20))
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _collated(sources: list[bytes]) -> bytes:
    out = io.BytesIO()
    collator = Collator(out, "1.6")
    collate_pages(collator, sources)
    collator.close()
    return out.getvalue()


def test_a_collated_file_holds_every_page_of_its_parts_in_order():
    data = _collated([_part("A", 2), _part("B", 3), _part("C", 1)])
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.check_pdf_syntax() == [] and len(pdf.pages) == 6
    texts = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data)]
    expected = ["A page 1", "A page 2", "B page 1", "B page 2", "B page 3", "C page 1"]
    assert [t.strip() for t in texts] == expected
    # every page hangs from the one page tree; the first part gave the document's info
    assert all(page.obj.Parent.objgen == pdf.Root.Pages.objgen for page in pdf.pages)
    assert str(pdf.docinfo.Title) == TRICKY_TITLE


def test_text_that_reads_like_a_reference_is_copied_as_it_is():
    pdf = pikepdf.open(io.BytesIO(_collated([_part("A", 1), _part("B", 1)])))
    uris = [str(a.A.URI) for page in pdf.pages for a in page.obj.Annots]
    assert uris == ["https://example.org/(1 0 R)"] * 2


def test_a_collated_file_is_the_same_bytes_every_time():
    parts = [_part("A", 2), _part("B", 2)]
    assert _collated(parts) == _collated(parts)


def _cards(tmp_path: Path, monkeypatch, at_once: int, name: str) -> Path:
    import booklet.builder.card_batches
    import booklet.builder.pipeline

    monkeypatch.setattr(booklet.builder.pipeline, "CARDS_AT_ONCE", at_once)
    monkeypatch.setattr(booklet.builder.card_batches, "CARDS_PER_BATCH", 2)
    build(SAMPLE, layouts=("a6-invitation",), langs=("en",), out_dir=tmp_path / name)
    return tmp_path / name


def _pixels(path: Path) -> list:
    return [page.render(scale=0.5).to_pil().convert("RGB") for page in pdfium.PdfDocument(path)]


def test_cards_in_batches_print_and_impose_as_cards_set_at_once(tmp_path, monkeypatch):
    whole = _cards(tmp_path, monkeypatch, 100, "whole") / "commemoration"
    batched = _cards(tmp_path, monkeypatch, 2, "batched") / "commemoration"
    for name in ("a6-invitation.en.pdf", "a6-invitation.en.imposed.pdf"):
        one, other = _pixels(whole / name), _pixels(batched / name)
        assert len(one) == len(other) > 0
        for a, b in zip(one, other, strict=True):
            assert ImageChops.difference(a, b).getbbox() is None, name
    imposed = pikepdf.open(batched / "a6-invitation.en.imposed.pdf")
    assert imposed.check_pdf_syntax() == []
    assert str(imposed.Root.PageLabels.Nums[1].P) == "sheet 1 of 2, front"
    assert str(imposed.docinfo.GTS_PDFXVersion) == "PDF/X-4"
    for page in imposed.pages:  # every side keeps its boxes and its slug line
        assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
    text = pdfium.PdfDocument(batched / "a6-invitation.en.imposed.pdf")[1].get_textpage()
    assert "sheet 2 of 2, front" in text.get_text_range()


def test_a_long_build_leaves_no_spool_and_writes_files_as_others_are(tmp_path, monkeypatch):
    out = _cards(tmp_path, monkeypatch, 2, "spooled")
    assert [p.name for p in out.iterdir()] == ["commemoration"]  # the spool folder is gone
    mask = os.umask(0)
    os.umask(mask)
    for path in (out / "commemoration").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path.name


def test_a_failed_long_build_keeps_the_last_good_files(tmp_path, monkeypatch):
    import booklet.builder.card_decks

    out = _cards(tmp_path, monkeypatch, 2, "kept")
    before = {p.name: p.read_bytes() for p in (out / "commemoration").iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(booklet.builder.card_decks.Deck, "close", broken)
    with pytest.raises(RuntimeError):
        build(SAMPLE, layouts=("a6-invitation",), langs=("en",), out_dir=out)
    assert [p.name for p in out.iterdir()] == ["commemoration"]
    assert {p.name: p.read_bytes() for p in (out / "commemoration").iterdir()} == before


def test_batched_print_file_keeps_its_identity_for_a_print_shop(tmp_path, monkeypatch):
    out = _cards(tmp_path, monkeypatch, 2, "identity") / "commemoration"
    pdf = pikepdf.open(out / "a6-invitation.en.pdf")
    xmp = pdf.Root.Metadata
    assert "/Filter" not in xmp  # the XMP packet stays readable to packet scanners
    assert b"<?xpacket begin" in xmp.read_raw_bytes()
    document_id = pdf.open_metadata().get("xmpMM:DocumentID")
    assert document_id == "uuid:" + bytes(pdf.trailer.ID[0]).hex()[:32]


def test_pages_under_nested_tree_nodes_hang_from_the_one_tree():
    source = pikepdf.open(io.BytesIO(_part("N", 3)))
    pages = list(source.Root.Pages.Kids)
    box = source.Root.Pages.Kids[0].MediaBox
    for page in pages:  # the boxes move up into a middle node the pages inherit from
        del page.MediaBox
    middle = source.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=pikepdf.Array(pages), Count=3)
    )
    middle.MediaBox = box
    middle.Parent = source.Root.Pages
    for page in pages:
        page.Parent = middle
    source.Root.Pages.Kids = pikepdf.Array([middle])
    nested = io.BytesIO()
    source.save(nested)
    pdf = pikepdf.open(io.BytesIO(_collated([nested.getvalue(), _part("M", 1)])))
    assert pdf.check_pdf_syntax() == [] and len(pdf.pages) == 4
    for page in pdf.pages:
        assert page.obj.Parent.objgen == pdf.Root.Pages.objgen
        assert [float(v) for v in page.obj.MediaBox] == [0, 0, 200, 100]


def test_a_long_build_reports_its_files_where_they_were_written(tmp_path, monkeypatch):
    import booklet.builder.card_batches
    import booklet.builder.pipeline
    from booklet.output.staging import Spooled

    monkeypatch.setattr(booklet.builder.pipeline, "CARDS_AT_ONCE", 2)
    monkeypatch.setattr(booklet.builder.card_batches, "CARDS_PER_BATCH", 2)
    out = tmp_path / "reported"
    (out / ".booklet-spool-999999999-x").mkdir(parents=True)  # left by a killed build
    report = build(SAMPLE, layouts=("a6-invitation",), langs=("en",), out_dir=out)
    spooled = [v for b in report.documents for v in b.files.values() if isinstance(v, Spooled)]
    assert spooled and all(file.path.is_file() for file in spooled)
    assert [p.name for p in out.iterdir()] == ["commemoration"]  # the killed build's is gone


def test_a_failed_first_long_build_leaves_no_output_folder(tmp_path, monkeypatch):
    import booklet.builder.card_batches
    import booklet.builder.card_decks
    import booklet.builder.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(booklet.builder.pipeline, "CARDS_AT_ONCE", 2)
    monkeypatch.setattr(booklet.builder.card_batches, "CARDS_PER_BATCH", 2)
    monkeypatch.setattr(booklet.builder.card_decks.Deck, "close", broken)
    with pytest.raises(RuntimeError):
        build(SAMPLE, layouts=("a6-invitation",), langs=("en",), out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def _lettered(text: str, pages: int = 1) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "NotoSans-Regular" not in pdfmetrics.getRegisteredFontNames():
        path = SAMPLE.parents[1] / "fonts" / "noto" / "NotoSans-Regular.ttf"
        pdfmetrics.registerFont(TTFont("NotoSans-Regular", str(path)))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(200, 100), invariant=1)
    for _ in range(pages):  # more pages: the font's objects get other numbers
        canvas.setFont("NotoSans-Regular", 12)
        canvas.drawString(10, 50, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_parts_with_the_same_subset_hold_it_once_and_different_ones_apart():
    from .conftest import font_programs

    parts = [_lettered("Şahin"), _lettered("Şahin", pages=2), _lettered("Əliyev")]
    data = _collated(parts)
    pdf = pikepdf.open(io.BytesIO(data))
    programs = font_programs(pdf)
    # the first two parts set the same subset (under other object numbers): one program;
    # the third's is its own, renamed
    assert len(programs) == 2 and all(len(p) == 1 for p in programs.values())
    fonts = [page.obj.Resources.Font["/F2+0"] for page in pdf.pages]  # F1: Helvetica
    assert all(str(font.Subtype) == "/TrueType" for font in fonts)
    assert fonts[0].objgen == fonts[1].objgen == fonts[2].objgen != fonts[3].objgen
    texts = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data)]
    assert texts == ["Şahin", "Şahin", "Şahin", "Əliyev"]


def test_batched_cards_embed_each_font_once_as_cards_set_at_once(tmp_path, monkeypatch):
    whole = _cards(tmp_path, monkeypatch, 100, "whole") / "commemoration"
    batched = _cards(tmp_path, monkeypatch, 2, "batched") / "commemoration"  # three batches

    def faces(path: Path) -> int:
        pdf = pikepdf.open(path)  # held: its objects go with it
        return sum(o.get("/Type") == "/FontDescriptor" for o in pdf.objects)

    for name in ("a6-invitation.en.pdf", "a6-invitation.en.screen.pdf"):
        assert faces(batched / name) == faces(whole / name) > 2, name
    # the print file's faces (its slug line's among them) once, and the sheets' slug line
    imposed = batched / "a6-invitation.en.imposed.pdf"
    assert faces(imposed) == faces(whole / "a6-invitation.en.pdf") + 1
