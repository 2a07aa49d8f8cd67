"""Imposition: plans as data, checked against a folding dummy, then applied to a tiny print file."""

from __future__ import annotations

import io
import re
import shutil

import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from booklet.errors import Diagnostics
from booklet.impose.plan import Sheet, padded_order, plan_nup, plan_saddle, plan_spreads
from booklet.impose.sheets import grid_of, impose_pdf, sheet_marks, spreads_pdf
from booklet.prepress.files import print_file
from booklet.prepress.marks import SHEET_SLUG_BAND, marks_pdf, sheet_of, slug_pdf
from booklet.read.layout import Layout
from booklet.read.project import Project, read_layout

from .conftest import MM, ROOT

W, H = 100.0, 140.0  # a tiny trim, in points
BASE14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}
FONT = "ImposeTest"
CYAN, MAGENTA = (0.4, 0, 0, 0), (0, 0.4, 0, 0)  # even and odd test pages


def _pairs(sheets: tuple[Sheet, ...]) -> list[tuple[tuple, tuple]]:
    return [(s.front.pages, s.back.pages) for s in sheets]


# --- plans as data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "order"),
    [
        (1, (1, None, None, None)),
        (2, (1, None, None, 2)),
        (3, (1, 2, None, 3)),
        (4, (1, 2, 3, 4)),
        (6, (1, 2, 3, 4, 5, None, None, 6)),
        (9, (1, 2, 3, 4, 5, 6, 7, 8, None, None, None, 9)),
    ],
)
def test_blanks_go_just_before_the_back_cover(pages, order):
    assert padded_order(pages) == order


def test_eight_pages():
    assert _pairs(plan_saddle(8)) == [((8, 1), (2, 7)), ((6, 3), (4, 5))]


def test_sixteen_pages():
    assert _pairs(plan_saddle(16)) == [
        ((16, 1), (2, 15)),
        ((14, 3), (4, 13)),
        ((12, 5), (6, 11)),
        ((10, 7), (8, 9)),
    ]


def test_six_pages_padded_with_the_back_cover_last():
    assert _pairs(plan_saddle(6)) == [((6, 1), (2, None)), ((None, 3), (4, 5))]


def test_four_pages():
    assert _pairs(plan_saddle(4)) == [((4, 1), (2, 3))]


def test_one_page_is_a_cover_on_one_sheet():
    assert _pairs(plan_saddle(1)) == [((None, 1), (None, None))]


def test_slots_sit_left_then_right_upright():
    sheet = plan_saddle(8)[1]
    assert [(s.x, s.y, s.rotation) for s in sheet.front.slots] == [(0, 0, 0), (1, 0, 0)]
    assert (sheet.number, sheet.front.front, sheet.back.front) == (2, True, False)


def _read_folded(sheets: tuple[Sheet, ...], binding: str) -> list[int | None]:
    """Nest the sheets like a folding dummy, front outside, and read the pages leaf by leaf."""
    sides = []
    for sheet in sheets:
        front, back = sheet.front.pages, sheet.back.pages
        if sheet.back.slots[0].rotation == 180:  # turn the long-edge back upright
            back = back[::-1]
        if binding == "right":  # look at the sheet from the other side of the table
            front, back = front[::-1], back[::-1]
        sides.append((front, back))
    outer_leaves = [p for front, back in sides for p in (front[1], back[0])]
    inner_leaves = [p for front, back in reversed(sides) for p in (back[1], front[0])]
    return outer_leaves + inner_leaves


@pytest.mark.parametrize("binding", ["left", "right"])
@pytest.mark.parametrize("duplex", ["short-edge", "long-edge"])
def test_folding_dummy_reads_in_order(binding, duplex):
    for pages in range(1, 41):
        sheets = plan_saddle(pages, binding=binding, duplex=duplex)
        assert _read_folded(sheets, binding) == list(padded_order(pages)), pages


def test_right_binding_mirrors():
    for pages in (4, 6, 8, 16):
        left, right = plan_saddle(pages), plan_saddle(pages, binding="right")
        for a, b in zip(left, right, strict=True):
            assert b.front.pages == a.front.pages[::-1]
            assert b.back.pages == a.back.pages[::-1]
            assert [s.x for s in b.front.slots] == [0, 1]
    assert _pairs(plan_saddle(8, binding="right")) == [((1, 8), (7, 2)), ((3, 6), (5, 4))]


def test_long_edge_duplex_turns_the_back():
    sheet = plan_saddle(8, duplex="long-edge")[0]
    assert sheet.front.pages == (8, 1) and sheet.back.pages == (7, 2)
    assert [s.rotation for s in sheet.front.slots] == [0, 0]
    assert [s.rotation for s in sheet.back.slots] == [180, 180]


def test_creep_grows_linearly_from_the_outermost_sheet():
    caliper = 0.1 * MM
    sheets = plan_saddle(16, caliper=caliper)
    for k, sheet in enumerate(sheets):
        for slot in (*sheet.front.slots, *sheet.back.slots):
            assert slot.creep == pytest.approx(k * caliper)
    creeps = [s.front.slots[0].creep for s in sheets]
    assert creeps[0] == 0 and creeps[-1] == pytest.approx(3 * caliper)
    steps = [b - a for a, b in zip(creeps, creeps[1:], strict=False)]
    assert steps == pytest.approx([caliper] * 3)
    assert all(s.creep == 0 for sheet in plan_saddle(16) for s in sheet.front.slots)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: padded_order(0), "at least one page"),
        (lambda: plan_saddle(8, caliper=-1), "caliper"),
        (lambda: plan_nup(0, 2, 2), "at least one card"),
    ],
)
def test_impossible_plans_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_spreads_put_page_one_alone_on_the_right():
    assert plan_spreads(8) == ((None, 1), (2, 3), (4, 5), (6, 7), (8, None))
    assert plan_spreads(7) == ((None, 1), (2, 3), (4, 5), (6, 7))
    assert plan_spreads(1) == ((None, 1),)
    assert plan_spreads(4, binding="right") == ((1, None), (3, 2), (None, 4))


def test_nup_cut_and_stack():
    sheets = plan_nup(10, 2, 2)
    assert [s.front.pages for s in sheets] == [(1, 4, 7, 10), (2, 5, 8, None), (3, 6, 9, None)]
    assert all(s.back is None for s in sheets)
    # reading order is top left, top right, bottom left, bottom right
    assert [(s.x, s.y) for s in sheets[0].front.slots] == [(0, 1), (1, 1), (0, 0), (1, 0)]
    # stack the sheets, cut the stack, put pile 1 on pile 2 on pile 3 on pile 4
    piles = [[sheet.front.slots[p].page for sheet in sheets] for p in range(4)]
    stacked = [card for pile in piles for card in pile]
    assert stacked == [*range(1, 11), None, None]


def test_nup_double_sided_backs_behind_their_fronts():
    sheets = plan_nup(7, 3, 2, double_sided=True)
    for sheet in sheets:
        backs = {(s.x, s.y): s.page for s in sheet.back.slots}
        for slot in sheet.front.slots:
            behind = backs[(2 - slot.x, slot.y)]
            assert behind == (None if slot.page is None else slot.page + 1)
    assert sheets[0].front.pages == (1, 5, 9, 13, None, None)


# --- the plan applied to a tiny print file ----------------------------------------------------


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> Layout:
    """The A5 booklet layout (3 mm bleed, crop marks) with a tiny trim."""
    text = (ROOT / "layouts" / "a5-booklet.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "trim: {width: 148mm, height: 210mm}", f"trim: {{width: {W}pt, height: {H}pt}}"
    )
    # a tiny page needs tiny margins and codes to pass the layout's size checks
    text = text.replace("qr: {size: 20mm, quiet-zone: 4}", "qr: {size: 12mm, quiet-zone: 4}")
    text += "margins: {inner: 2mm, outer: 2mm, top: 2mm, bottom: 2mm}\n"
    project = tmp_path_factory.mktemp("project")
    (project / "layouts").mkdir()
    shutil.copy(ROOT / "layouts" / "house.yaml", project / "layouts")
    (project / "layouts" / "tiny.yaml").write_text(text, encoding="utf-8")
    diags = Diagnostics()
    result = read_layout(Project(project), "tiny", diags)
    assert not diags.errors and result.trim.width == W
    return result


def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts/noto/NotoSans-Regular.ttf")))
    return FONT


def _trim_pdf(pages: int, bleed: float) -> bytes:
    """Pages with their number big in the middle and a tint through the bleed."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(W, H), invariant=1, initialFontName=_font())
    for n in range(1, pages + 1):
        c.setFillColorCMYK(*(CYAN if n % 2 == 0 else MAGENTA))
        c.rect(-bleed, -bleed, W + 2 * bleed, H + 2 * bleed, stroke=0, fill=1)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont(FONT, 40)
        c.drawCentredString(W / 2, H / 2 + 10, str(n))  # above the middle: turned, it is below
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def trim_pdf(layout) -> bytes:
    return _trim_pdf(8, layout.bleed)


def _print_pdf(trim_pdf: bytes, layout: Layout) -> bytes:
    """The print file with the layout's own marks (crop, targets, colour bar, slug line)."""
    pages = len(pikepdf.open(io.BytesIO(trim_pdf)).pages)
    return print_file(trim_pdf, layout, marks_pdf(layout, _font(), ["tiny"] * pages))


@pytest.fixture(scope="module")
def print_pdf(trim_pdf, layout) -> bytes:
    return _print_pdf(trim_pdf, layout)


def _slug(layout: Layout) -> float:
    return sheet_of(layout).slug


def _impose(print_pdf: bytes, layout: Layout, sheets) -> bytes:
    return impose_pdf(print_pdf, sheets, trim=(W, H), bleed=layout.bleed, slug=_slug(layout))


def _halves(data: bytes, index: int, x0: float, y0: float) -> tuple[str, str]:
    """The text within the left and right trim of one PDF page."""
    doc = pdfium.PdfDocument(data)
    text = doc[index].get_textpage()
    left = text.get_text_bounded(x0, y0, x0 + W, y0 + H).strip()
    right = text.get_text_bounded(x0 + W, y0, x0 + 2 * W, y0 + H).strip()
    doc.close()
    return left, right


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj[name]]


def test_sheet_sides_and_boxes(print_pdf, layout):
    pdf = pikepdf.open(io.BytesIO(_impose(print_pdf, layout, plan_saddle(8))))
    s, b = _slug(layout), layout.bleed
    assert len(pdf.pages) == 8 // 2
    for page in pdf.pages:
        assert _box(page, "/MediaBox") == pytest.approx([0, 0, 2 * W + 2 * s, H + 2 * s], abs=0.01)
        assert _box(page, "/TrimBox") == pytest.approx([s, s, s + 2 * W, s + H], abs=0.01)
        assert _box(page, "/BleedBox") == pytest.approx(
            [s - b, s - b, s + 2 * W + b, s + H + b], abs=0.01
        )
    labels = [str(v.P) for v in list(pdf.Root.PageLabels.Nums)[1::2]]
    assert labels == [
        "sheet 1 of 2, front",
        "sheet 1 of 2, back",
        "sheet 2 of 2, front",
        "sheet 2 of 2, back",
    ]


@pytest.mark.parametrize(
    ("binding", "duplex"), [("left", "short-edge"), ("right", "short-edge"), ("left", "long-edge")]
)
def test_each_half_holds_the_planned_page(print_pdf, layout, binding, duplex):
    sheets = plan_saddle(8, binding=binding, duplex=duplex)
    data = _impose(print_pdf, layout, sheets)
    sides = [side for sheet in sheets for side in (sheet.front, sheet.back)]
    s = _slug(layout)
    for index, side in enumerate(sides):
        expected = tuple("" if p is None else str(p) for p in side.pages)
        assert _halves(data, index, s, s) == expected


def test_padded_plan_leaves_blank_halves(layout):
    pdf = _print_pdf(_trim_pdf(6, layout.bleed), layout)
    data = _impose(pdf, layout, plan_saddle(6))
    s = _slug(layout)
    found = [_halves(data, i, s, s) for i in range(4)]
    assert found == [("6", "1"), ("2", ""), ("", "3"), ("4", "5")]


def _fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for form in page.Resources.XObject.values():
            yield from form.Resources.get("/Font", {}).values()


def test_fonts_stay_embedded_and_no_helvetica(print_pdf, layout):
    data = _impose(print_pdf, layout, plan_saddle(8))
    pdf = pikepdf.open(io.BytesIO(data))
    fonts = list(_fonts(pdf))
    assert fonts
    for font in fonts:
        name = str(font.BaseFont).lstrip("/")
        assert name.split("+")[-1] not in BASE14 and "+" in name
        descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
        assert "/FontFile2" in descriptor


def test_same_bytes_twice(print_pdf, layout):
    sheets = plan_saddle(8, caliper=0.1 * MM)
    assert _impose(print_pdf, layout, sheets) == _impose(print_pdf, layout, sheets)


def _char_left(data: bytes, index: int) -> dict[str, float]:
    """The left edge of every digit on one PDF page (the pages' slug lines are clipped away)."""
    doc = pdfium.PdfDocument(data)
    text = doc[index].get_textpage()
    chars = [(text.get_text_range(i, 1), text.get_charbox(i)[0]) for i in range(text.count_chars())]
    found = {char: left for char, left in chars if char.isdigit()}
    doc.close()
    return found


def _digit_boxes(data: bytes, index: int) -> list[tuple[float, float, float, float]]:
    """Where the page numbers are; the pages' own slug lines are clipped, but still text."""
    doc = pdfium.PdfDocument(data)
    text = doc[index].get_textpage()
    found = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    doc.close()
    return [box for char, box in found if char.isdigit()]


def test_long_edge_backs_are_upside_down(print_pdf, layout):
    data = _impose(print_pdf, layout, plan_saddle(8, duplex="long-edge"))
    middle = _slug(layout) + H / 2
    for index in range(4):
        boxes = _digit_boxes(data, index)
        assert len(boxes) == 2
        if index % 2 == 0:  # fronts upright: numbers above the middle
            assert all(bottom > middle for _, bottom, _, _ in boxes)
        else:  # backs turned: numbers below it
            assert all(top < middle for _, _, _, top in boxes)


def test_creep_moves_inner_pages_toward_the_spine(print_pdf, layout):
    flat = _impose(print_pdf, layout, plan_saddle(8))
    crept = _impose(print_pdf, layout, plan_saddle(8, caliper=10))
    assert _char_left(crept, 0) == pytest.approx(_char_left(flat, 0), abs=0.01)  # outer sheet
    moved = {c: x - _char_left(flat, 2)[c] for c, x in _char_left(crept, 2).items()}
    assert moved == pytest.approx({"6": 10, "3": -10}, abs=0.01)  # inner sheet: (6, 3)


def test_marks_tints_and_spine_in_pixels(print_pdf, layout):
    """Sheet 1 front, (8, 1): crop and fold marks outside the bleed, no bleed at the spine."""
    data = _impose(print_pdf, layout, plan_saddle(8))
    scale, s, b = 4, _slug(layout), layout.bleed
    doc = pdfium.PdfDocument(data)
    image = doc[0].render(scale=scale).to_pil().convert("RGB")
    doc.close()
    reach = (b + s - 2 * MM) / 2  # from the trim to the middle of a mark
    mark_y = (s - reach, s + H + reach)

    def rgb(x: float, y: float) -> tuple[int, int, int]:
        return image.getpixel((int(x * scale), int(image.height - y * scale)))

    def dark(x: float, y: float) -> bool:  # a 0.25 pt line is one pixel, maybe split over two
        near = [(x + dx / scale, y + dy / scale) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        return min(min(rgb(*p)) for p in near) < 128

    for y in mark_y:
        assert dark(s, y) and dark(s + 2 * W, y)  # crop marks in line with the outer trim
        assert dark(s + W, y)  # fold marks at the spine
        assert not dark(s + W / 2, y) and not dark(s + 1.5 * W, y)  # pages' own marks clipped
    assert dark(s - reach, s) and dark(s + 2 * W + reach, s + H)  # horizontal crop marks
    middle = s + H / 4
    cyan, magenta = rgb(s + 2, middle), rgb(s + 2 * W - 2, middle)
    assert cyan[0] < 200 < cyan[1] and magenta[1] < 200 < magenta[0]
    assert rgb(s - b / 2, middle) == cyan  # bleed on the outer edges
    assert rgb(s + 2 * W + b / 2, middle) == magenta
    assert rgb(s + W - 1, middle) == cyan  # page 1's bleed does not cross the spine
    assert rgb(s + W + 1, middle) == magenta
    assert rgb(s - b - 1, middle) == (255, 255, 255)  # the slug stays paper white


def test_reader_spreads(trim_pdf):
    data = spreads_pdf(trim_pdf)
    pdf = pikepdf.open(io.BytesIO(data))
    assert [_box(p, "/MediaBox") for p in pdf.pages] == [[0, 0, 2 * W, H]] * 5
    found = [_halves(data, i, 0, 0) for i in range(5)]
    assert found == [("", "1"), ("2", "3"), ("4", "5"), ("6", "7"), ("8", "")]


@pytest.mark.parametrize(
    ("trim", "bleed", "slug_", "message"),
    [
        ((W + 1, H), 8.5, 24, "trimmed"),
        ((W, H), 8.5, 4, "slug"),
    ],
)
def test_mismatched_geometry_is_refused(print_pdf, trim, bleed, slug_, message):
    with pytest.raises(ValueError, match=message):
        impose_pdf(print_pdf, plan_saddle(8), trim=trim, bleed=bleed, slug=slug_)


def test_a_plan_beyond_the_pdf_is_refused(print_pdf, layout):
    with pytest.raises(ValueError, match="places page 12"):
        _impose(print_pdf, layout, plan_saddle(12))


def test_bottom_marks_leave_the_sheet_slug_line_its_band(print_pdf, layout):
    """The press sheet's slug line runs along the bottom edge: no crop mark crosses it."""
    s, b = _slug(layout), layout.bleed
    grid = grid_of(plan_saddle(8), (W, H), b, s)
    segments = re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", sheet_marks(grid).decode())
    lowest = min(min(float(ya), float(yb)) for _, ya, _, yb in segments)
    assert lowest == pytest.approx(SHEET_SLUG_BAND, abs=0.01)  # the bottom marks stop there
    assert lowest <= s - b - 2 * MM  # and are still 2 mm long at least
    doc = pdfium.PdfDocument(slug_pdf((2 * W + 2 * s, H + 2 * s), ["sheet 1 of 2, front"], _font()))
    text = doc[0].get_textpage()
    tops = [text.get_charbox(i)[3] for i in range(text.count_chars())]
    doc.close()
    assert 0 < max(tops) < SHEET_SLUG_BAND  # the line itself stays inside the band


def test_no_hairline_of_the_colour_bar_along_a_placed_pages_bleed(tmp_path):
    # Each card's colour bar is in its own slug; placed on the press sheet, the card is
    # clipped at its bleed. A bar touching that edge left a line of its colours along it.
    from booklet.builder.pipeline import build

    from .conftest import SAMPLE

    build(SAMPLE, layouts=("a6-invitation",), langs=("en",), out_dir=tmp_path)
    data = (tmp_path / "commemoration" / "a6-invitation.en.imposed.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        x0, y0, x1, _ = _box(pdf.pages[0], "/TrimBox")
        bleed = y0 - _box(pdf.pages[0], "/BleedBox")[1]
    scale = 8
    doc = pdfium.PdfDocument(data)
    image = doc[0].render(scale=scale).to_pil().convert("RGB")
    doc.close()
    edge = image.height - round((y0 - bleed) * scale)  # the pixel row of the bottom bleed edge
    span = range(round(x0 * scale), round(x1 * scale))
    for row in range(edge - 2, edge + 3):
        pixels = [image.getpixel((x, row)) for x in span]
        coloured = [p for p in pixels if max(p) - min(p) > 60]  # marks are black, paper white
        assert not coloured, f"row {row - edge:+d} px from the bleed edge"
