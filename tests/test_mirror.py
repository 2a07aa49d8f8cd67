"""Right to left, one rule: a right-to-left document mirrors what has an order across the page.

Read from the text's positions in the PDF: the panels of the Arabic tri-fold and bi-fold,
the facts grid, the screen file's reading direction; `mirror: false` keeps the order.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from booklet.builder.pipeline import build

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ar")
    build(SAMPLE, layouts=("dl-trifold", "a5-bifold"), langs=("ar", "en"), out_dir=out)
    return out / "commemoration"


def width_of(pdf: Path) -> float:
    with pikepdf.open(pdf) as doc:
        return float(doc.pages[0].mediabox[2])


def x_of(pdf: Path, page: int, needle: str) -> float:
    """The left edge of the first place `needle` is printed on a page."""
    text = pdfium.PdfDocument(pdf)[page].get_textpage()
    hit = text.search(needle).get_next()
    assert hit is not None, f"{needle!r} not on page {page + 1}"
    return text.get_charbox(hit[0])[0]


def test_the_arabic_trifold_opens_like_an_arabic_brochure(arabic: Path):
    pdf = arabic / "dl-trifold.ar.screen.pdf"
    width = width_of(pdf)
    # outside: the front cover (its start time) on the left, the flap (facts) on the right
    assert x_of(pdf, 0, "14:00") < width / 3 < 2 * width / 3 < x_of(pdf, 0, "613")
    # inside, read from the right: history (of the night of 1992) | program | speakers
    assert x_of(pdf, 1, "1992") > 2 * width / 3 > x_of(pdf, 1, "13:30") > width / 3


def test_the_english_trifold_keeps_its_order(arabic: Path):
    pdf = arabic / "dl-trifold.en.screen.pdf"
    assert x_of(pdf, 0, "613") < x_of(pdf, 0, "14:00")
    assert x_of(pdf, 1, "1992") < x_of(pdf, 1, "13:30")


def test_the_arabic_facts_grid_reads_from_the_right(arabic: Path):
    pdf = arabic / "dl-trifold.ar.screen.pdf"
    assert x_of(pdf, 0, "1,000") > x_of(pdf, 0, "8\r") or x_of(pdf, 0, "1,000") > x_of(
        pdf, 0, "130"
    )


def test_the_arabic_bifold_has_its_cover_on_the_left(arabic: Path):
    pdf = arabic / "a5-bifold.ar.screen.pdf"
    assert x_of(pdf, 0, "14:00") < width_of(pdf) / 2 < x_of(pdf, 0, "613")


def test_the_screen_file_of_a_right_to_left_document_reads_from_the_right(arabic: Path):
    with pikepdf.open(arabic / "dl-trifold.ar.screen.pdf") as ar:
        assert ar.Root.ViewerPreferences.Direction == "/R2L"
    with pikepdf.open(arabic / "dl-trifold.en.screen.pdf") as en:
        # Its preferences show the title (PDF/UA, tests/test_tagged_pdf.py), not a direction.
        assert "/Direction" not in en.Root.ViewerPreferences


def test_mirror_false_keeps_the_left_to_right_order(tmp_path):
    project = tmp_path / "p"
    (project / "layouts").mkdir(parents=True)
    (project / "layouts" / "dl-trifold.yaml").write_text(
        "extends: dl-trifold\nmirror: false\n", encoding="utf-8"
    )
    shutil.copytree(SAMPLE, project / "content" / "ev")
    out = tmp_path / "out"
    build(project / "content" / "ev", layouts=("dl-trifold",), langs=("ar",), out_dir=out)
    pdf = out / "ev" / "dl-trifold.ar.screen.pdf"
    assert x_of(pdf, 0, "613") < x_of(pdf, 0, "14:00")


def test_the_contact_sheet_of_an_arabic_booklet_has_its_cover_on_the_left(tmp_path):
    from PIL import Image

    out = tmp_path / "out"
    build(SAMPLE, layouts=("a5-booklet",), langs=("ar", "en"), out_dir=out)

    def dark_left_half(lang: str) -> bool:
        sheet = Image.open(out / "commemoration" / f"a5-booklet.{lang}.png").convert("L")
        # the first row holds two spreads side by side: the cover's, then pages 2 and 3
        first_row = sheet.crop((0, 0, sheet.width, sheet.height // 3))
        quarter = first_row.width // 4
        left = first_row.crop((0, 0, quarter, first_row.height))
        right = first_row.crop((quarter, 0, 2 * quarter, first_row.height))
        mean = lambda im: sum(im.getdata()) / (im.width * im.height)  # noqa: E731
        return mean(left) < mean(right)  # the black cover is the darker half

    assert dark_left_half("ar") and not dark_left_half("en")
