"""Filled pages and panels: a flap of few facts set large, facts sharing a page, padding counted."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from booklet.builder import pipeline
from booklet.builder.pipeline import build

from .conftest import MM, ROOT, SAMPLE

CONFERENCE = ROOT / "content" / "conference"
TRIFOLD_LANGS = ("tr", "ru", "en")
TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT


@pytest.fixture(scope="module")
def conference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fill")
    build(CONFERENCE, layouts=("a4-trifold",), langs=TRIFOLD_LANGS, out_dir=out)
    build(CONFERENCE, layouts=("a5-booklet",), langs=("en",), out_dir=out)
    return out / "conference"


def _chars(page) -> list[tuple[str, float, float, float, float, float]]:
    """Every printed character of a page: text, left, bottom, right, top, size (pt)."""
    text = page.get_textpage()
    found = []
    for k in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(k)
        char = text.get_text_range(k, 1)
        if char.strip() and top > bottom:
            size = pdfium_c.FPDFText_GetFontSize(text.raw, k)
            found.append((char, left, bottom, right, top, size))
    return found


@pytest.mark.parametrize("lang", TRIFOLD_LANGS)
def test_the_trifold_facts_flap_is_filled_with_large_figures(conference, lang):
    pdf = pdfium.PdfDocument(conference / f"a4-trifold.{lang}.pdf")
    outside = pdf[0]
    width, height = outside.get_size()
    flap = (width - 2 * MM) / 3  # the narrow panel at the left (the print file's bleed aside)
    chars = _chars(outside)
    on_flap = [c for c in chars if c[3] < flap]
    top, bottom = height - 18 * MM, 18 * MM  # the type area: 15 mm margins inside 3 mm bleed
    lowest = min(c[2] for c in on_flap)
    filled = (top - lowest) / (top - bottom)
    assert filled > 0.85, f"the facts flap is {filled:.0%} filled"  # it was 29 %
    digits = [c[5] for c in on_flap if c[0].isdigit()]
    assert max(digits) > 50  # each figure as large as a display figure (it was 20 pt)
    assert min(c[5] for c in on_flap) >= 6
    # the back panel keeps its logo strip (drawn as paths) above the sources
    logos = [
        o
        for o in outside.get_objects(max_depth=1)
        if o.type == pdfium_c.FPDF_PAGEOBJ_PATH
        and flap < o.get_bounds()[0] < 2 * flap
        and o.get_bounds()[1] > height * 0.6
    ]
    assert len(logos) >= 20
    assert "Ethnologue" in "".join(c[0] for c in chars if flap < c[1] < 2 * flap)


def test_facts_share_a_page_so_the_english_conference_booklet_needs_no_notes(conference):
    pdf = pdfium.PdfDocument(conference / "a5-booklet.en.screen.pdf")
    texts = [page.get_textpage().get_text_range() for page in pdf]
    assert len(texts) == 16
    assert not [n for n, t in enumerate(texts, 1) if t.strip().upper().startswith("NOTES")]
    facts = next(n for n, t in enumerate(texts) if "Facts and figures" in t)
    chars = _chars(pdf[facts])
    title = min(c[2] for c in chars if c[0] == "F" and c[5] > 15)  # the title's baseline
    assert title < pdf[facts].get_size()[1] * 0.75  # under the text before it, not at the top


def test_a_photo_page_is_not_counted_as_padding(monkeypatch):
    results = []
    typeset = pipeline.typeset

    def kept(*args):
        results.append(typeset(*args))
        return results[-1]

    monkeypatch.setattr(pipeline, "typeset", kept)
    build(SAMPLE, layouts=("a5-booklet",), langs=("ru",), write=False)
    (result,) = results
    assert "photo" in result.page_kinds  # the history's full-bleed photograph
    assert result.padding == result.page_kinds.count("notes")  # was one more: the photo


@pytest.fixture(scope="module")
def russian(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ru")
    build(SAMPLE, layouts=("a5-booklet",), langs=("ru",), out_dir=out)
    return out / "commemoration" / "a5-booklet.ru.screen.pdf"


def test_the_russian_booklet_fills_its_pages_without_notes(russian):
    pdf = pdfium.PdfDocument(russian)
    texts = [page.get_textpage().get_text_range() for page in pdf]
    assert len(texts) == 12
    assert not [n for n, t in enumerate(texts, 1) if "ЗАМЕТКИ" in t.upper()]  # were pages 10, 11
    width, height = pdf[0].get_size()
    top, bottom = height - 17 * MM, 21 * MM  # the house margins: the type area
    fills = {}
    for number in range(2, 12):
        page = pdf[number - 1]
        shapes = [o.get_bounds() for o in page.get_objects(max_depth=1) if o.type != TEXT]
        if any(b[3] - b[1] > top - bottom for b in shapes):
            continue  # the full-bleed photograph
        lows = [c[2] for c in _chars(page)] + [b[1] for b in shapes]
        lowest = min(y for y in lows if y > bottom)  # the folio aside
        fills[number] = (top - lowest) / (top - bottom)
    assert len(fills) == 9
    assert min(fills.values()) > 0.35, fills  # the program's last page is the least full


def test_a_row_of_photos_alone_on_a_page_is_set_one_under_another(russian):
    pdf = pdfium.PdfDocument(russian)
    for page in pdf:
        images = [  # each photo a form the picture is placed in
            o.get_bounds()
            for o in page.get_objects(max_depth=1)
            if o.type == pdfium_c.FPDF_PAGEOBJ_FORM
        ]
        text = page.get_textpage().get_text_range()
        if len(images) == 2 and "Фотовыставка" not in text and "Горные" not in text:
            (a, b) = sorted(images, key=lambda box: -box[3])
            assert abs(a[0] - b[0]) < 1 and a[1] >= b[3] - 1  # the same left edge, one above
            # as wide as 300 ppi allows the smaller (the typewriter, 976 px: 82.6 mm), or
            # the measure: they were 55 mm side by side
            assert a[2] - a[0] > 80 * MM
            return
    raise AssertionError("no page of the exhibition's second row of photos")


def test_facts_whose_figures_take_no_width_still_fill_a_panel(tmp_path):
    """A figure of a zero-width space (it passes the blank-value check) took the facts
    column's figure size from a division by its width: an internal error."""
    import re
    import shutil

    event = tmp_path / "content" / "ev"
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    (tmp_path / "fonts").symlink_to(ROOT / "fonts")
    shutil.copytree(SAMPLE, event)
    text = (event / "event.yaml").read_text(encoding="utf-8")
    (event / "event.yaml").write_text(
        re.sub(r"figure: [^,]+,", 'figure: "\\\\u200b",', text), encoding="utf-8"
    )
    report = build(event, layouts=("dl-trifold",), langs=("en",), write=False)
    assert [b.pages for b in report.documents] == [2]
