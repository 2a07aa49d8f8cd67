"""A program balanced over its last two pages: both end about as low, no page added."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from booklet.builder.pipeline import build
from booklet.typeset.balance import Balancing, mark

from .conftest import MM, ROOT, SAMPLE

LANGS = ("en", "az", "tr", "ru", "ar")
ONE_ITEM = 0.12  # of the type area: the shortest program item of the sample's A5 booklet


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("balance")
    build(SAMPLE, layouts=("a5-booklet",), langs=LANGS, out_dir=folder)
    build(ROOT / "content" / "conference", layouts=("a5-booklet",), langs=("ru",), out_dir=folder)
    return folder


def _depth(page) -> float:
    """How far down the type area (house margins: 17 mm top, 21 mm bottom) the lowest
    letter or rule of a page reaches, 0–1; the folio and running head aside."""
    _, height = page.get_size()
    top, bottom = height - 17 * MM, 21 * MM
    text, lows = page.get_textpage(), []
    for k in range(text.count_chars()):
        low, high = text.get_charbox(k)[1::2]
        if high > low and text.get_text_range(k, 1).strip():
            lows.append(low)
    for shape in page.get_objects(max_depth=1):
        if shape.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
            lows.append(shape.get_bounds()[1])
    return (top - min(y for y in lows if bottom < y < top)) / (top - bottom)


def _texts(pdf) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pdf]


@pytest.mark.parametrize("lang", LANGS)
def test_the_sample_program_is_balanced_over_its_two_facing_pages(out, lang):
    pdf = pdfium.PdfDocument(out / "commemoration" / f"a5-booklet.{lang}.screen.pdf")
    texts = _texts(pdf)
    assert len(texts) == 12  # no page added
    left, right = _depth(pdf[1]), _depth(pdf[2])
    # Page 3 held the last 3 items, 40 % down the type area, under a full page 2 (88-97 %).
    assert right > 0.6, (left, right)
    assert abs(left - right) < ONE_ITEM, (left, right)  # both end about as low
    assert "14:56" in texts[2] and "14:56" not in texts[3]  # the last item on page 3
    assert "13:30" in texts[1]  # the first on page 2, under the title
    speakers = pdf[3]  # a page of their own, as before
    assert _depth(speakers) > 0.6 and "14:" not in texts[3]


def test_a_long_program_balances_only_its_last_two_pages(out):
    pdf = pdfium.PdfDocument(out / "conference" / "a5-booklet.ru.screen.pdf")
    texts = _texts(pdf)
    assert len(texts) == 16
    assert "Участники" in texts[8] and "Участники" not in texts[7]  # page 9, as before
    depths = [_depth(pdf[n]) for n in range(1, 8)]  # pages 2-8: the program
    # Page 8 held the last four items (44 %) under page 7 (91 %).
    assert depths[-1] > 0.6 and abs(depths[-1] - depths[-2]) < ONE_ITEM, depths
    assert min(depths[:-2]) > 0.7  # the pages before are set as they were
    assert "Закрытие" in texts[7] and "Закрытие" not in texts[6]  # the session head kept


# --- the balancing on a plain doc template -------------------------------------------------


class _Doc(Balancing, BaseDocTemplate):
    def afterFlowable(self, flowable) -> None:
        name = getattr(flowable, "name", None)
        if name is not None:
            self.drawn.append((self.page, name))


def _pages(story: list) -> list[int]:
    """The page each named flowable lands on: a frame 500 pt tall."""
    doc = _Doc(io.BytesIO(), pagesize=(300, 540))
    doc.addPageTemplates([PageTemplate("p", [Frame(0, 20, 300, 500, 0, 0, 0, 0)])])
    doc.drawn = []
    doc.build(story)
    return [page for page, _ in sorted(doc.drawn, key=lambda d: d[1])]


def _items(count: int, height: float = 60) -> list:
    made = []
    for n in range(count):
        item = Spacer(10, height)
        item.name = n
        mark(item)
        made.append(item)
    return made


def test_ten_items_over_two_pages_go_five_and_five():
    # 8 fit a page of 500 pt; the last 2 would fill a quarter of the next.
    assert _pages([*_items(10), PageBreak(), Spacer(1, 10)]) == [1] * 5 + [2] * 5


def test_the_room_under_the_list_used_by_what_follows_is_left_as_it_was():
    assert _pages([*_items(10), Spacer(1, 10)]) == [1] * 8 + [2] * 2


def test_a_list_ending_past_half_its_last_page_is_left_as_it_was():
    assert _pages([*_items(14), PageBreak()]) == [1] * 8 + [2] * 6


def test_an_item_kept_with_the_next_stays_with_it():
    items = _items(10)
    items[4].keepWithNext = 1  # a session head with its first item: not 5 and 5
    assert _pages([*items, PageBreak()]) == [1] * 6 + [2] * 4


def test_a_list_over_three_pages_balances_its_last_two():
    pages = _pages([*_items(18), PageBreak()])  # 8, 8, 2 as it runs
    assert pages == [1] * 8 + [2] * 5 + [3] * 5
