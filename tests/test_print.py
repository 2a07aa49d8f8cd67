"""The print files of the sample booklet, opened and checked as a print shop would."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from booklet.language.text import upper

from .conftest import LANGS, MM, font_programs

TRIM = (148 * MM, 210 * MM)
BLEED = 3 * MM
BASE14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


def _pdf(sample_out, lang, kind="pdf") -> pikepdf.Pdf:
    return pikepdf.open(sample_out / f"a5-booklet.{lang}.{kind}")


def _box(page, name) -> list[float]:
    return [float(v) for v in page.obj[name]]


@pytest.mark.parametrize("lang", LANGS)
def test_page_count_is_a_multiple_of_four(sample_out, lang):
    pages = len(_pdf(sample_out, lang).pages)
    assert pages >= 8 and pages % 4 == 0


@pytest.mark.parametrize("lang", LANGS)
def test_trim_and_bleed_boxes_on_every_page(sample_out, lang):
    for page in _pdf(sample_out, lang).pages:
        x0, y0, x1, y1 = _box(page, "/TrimBox")
        assert x1 - x0 == pytest.approx(TRIM[0], abs=0.01)
        assert y1 - y0 == pytest.approx(TRIM[1], abs=0.01)
        assert _box(page, "/BleedBox") == pytest.approx(
            [x0 - BLEED, y0 - BLEED, x1 + BLEED, y1 + BLEED], abs=0.01
        )
        mx0, my0, mx1, my1 = _box(page, "/MediaBox")
        assert mx0 <= x0 - BLEED and my0 <= y0 - BLEED  # room for the marks
        assert mx1 >= x1 + BLEED and my1 >= y1 + BLEED


def _fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield font
        for xobj in page.Resources.get("/XObject", {}).values():
            for font in xobj.get("/Resources", {}).get("/Font", {}).values():
                yield font


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["pdf", "screen.pdf"])
def test_every_font_embedded_and_subset_no_base14(sample_out, lang, kind):
    pdf = _pdf(sample_out, lang, kind)
    fonts = list(_fonts(pdf))
    assert fonts
    for font in fonts:
        name = str(font.BaseFont).lstrip("/")
        assert name.split("+")[-1] not in BASE14
        assert len(name.split("+")[0]) == 6 and "+" in name, f"{name} is not subset"
        descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


@pytest.mark.parametrize("lang", LANGS)
def test_print_file_has_no_rgb(sample_out, lang):
    pdf = _pdf(sample_out, lang)
    for page in pdf.pages:
        for stream in [page, *_forms(page)]:
            operators = {str(op) for _, op in pikepdf.parse_content_stream(stream)}
            assert not operators & {"rg", "RG", "g", "G"}, operators
        for image in _images(page):  # the sample's photos: press CMYK, or grey on black alone
            assert image.ColorSpace in ("/DeviceCMYK", "/DeviceGray"), image.ColorSpace


def _forms(page) -> list:
    return [x for x in page.Resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Form"]


def _images(page) -> list:
    """Image XObjects on a page, including inside form XObjects."""
    found, todo = [], list(page.Resources.get("/XObject", {}).values())
    while todo:
        xobj = todo.pop()
        if xobj.get("/Subtype") == "/Image":
            found.append(xobj)
        else:
            todo.extend(xobj.get("/Resources", {}).get("/XObject", {}).values())
    return found


def _text(sample_out, lang, kind="pdf") -> list[str]:
    reader = PdfReader(sample_out / f"a5-booklet.{lang}.{kind}")
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Khojaly", "We have not forgotten", "February 26, 2026", "1,275", "Program"]),
        ("az", ["Xocalı", "Unutmadıq, unutdurmayacağıq", "26 fevral 2026", "1.275", "Proqram"]),
        ("tr", ["Hocalı", "Unutmadık, unutturmayacağız", "26 Şubat 2026", "1.275", "Program"]),
    ],
)
def test_text_in_each_language(sample_out, lang, words):
    text = "\n".join(_text(sample_out, lang))
    for word in words:
        assert word in text


def test_program_in_its_real_order(sample_out):
    text = "\n".join(_text(sample_out, "en"))
    order = [
        "Photo exhibition",
        "A minute of silence",
        "National anthems",
        "Opening address",
        "Prof. Dr. Kadir Ay",
        "Khojaly genocide in international law",
        "Khojaly in memory and history",
        "Tower of Torture",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert text.index("1. Azerbaijan") < text.index("2. Türkiye")


def test_turkic_capitals_in_cover_label(sample_out):
    assert upper("Manisa · Türkiyə", "az") in _text(sample_out, "az")[0]


def test_back_cover_stays_last(sample_out):
    pages = _text(sample_out, "en")
    assert "Organized by".upper() in pages[-1].upper()
    assert "We have not forgotten" in pages[-1]  # the organizers are in the logo strip


def _render(pdf_path, index: int, dpi: int):
    doc = pdfium.PdfDocument(pdf_path)
    image = doc[index].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    return image


def _source_page(sample_out, lang) -> int:
    pages = _text(sample_out, lang)
    return next(i for i, t in enumerate(pages) if "azertag.az" in t)


@pytest.mark.parametrize("lang", LANGS)
def test_every_qr_code_decodes_to_its_url(sample_out, lang):
    index = _source_page(sample_out, lang)
    image = _render(sample_out / f"a5-booklet.{lang}.pdf", index, 300)
    found = {
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    }
    assert found == {
        "https://azertag.az/",
        "https://www.azernews.az/",
        "https://heydar-aliyev-foundation.org/",
    }


def test_qr_codes_are_vector_and_at_least_15mm(sample_out):
    pdf = _pdf(sample_out, "en")
    page = pdf.pages[_source_page(sample_out, "en")]
    assert not _images(page)  # no raster image anywhere on the page
    image = _render(sample_out / "a5-booklet.en.pdf", _source_page(sample_out, "en"), 300)
    results = [r for r in zxingcpp.read_barcodes(image)]
    for result in results:
        pos = result.position
        width_px = abs(pos.top_right.x - pos.top_left.x)
        # the symbol without its quiet zone; with 4 modules each side the code is larger still
        assert width_px / 300 * 25.4 >= 12


def test_cover_artwork_runs_into_the_bleed(sample_out):
    pdf = _pdf(sample_out, "en")
    x0, y0, _, _ = _box(pdf.pages[0], "/TrimBox")
    dpi = 72
    image = _render(sample_out / "a5-booklet.en.pdf", 0, dpi)
    height = image.height
    # a point half-way into the bleed, outside the trim, on the cover: dark
    px, py = x0 - BLEED / 2, y0 + 100
    assert sum(image.getpixel((int(px), int(height - py)))) < 120
    # beyond the bleed (the slug), away from the marks: paper white
    assert sum(image.getpixel((int(x0 - BLEED - 2), int(height - py)))) > 700


def test_crop_marks_sit_outside_the_bleed(sample_out):
    pdf = _pdf(sample_out, "en")
    page = pdf.pages[1]  # a white inside page: anything drawn beyond the trim is a mark
    tx0, ty0, tx1, ty1 = _box(page, "/TrimBox")
    bx0, by0, bx1, by1 = _box(page, "/BleedBox")
    scale = 4
    image = _render(sample_out / "a5-booklet.en.pdf", 1, 72 * scale).convert("L")
    h = image.height

    def dark(x, y):
        return image.getpixel((int(x * scale), int(h - y * scale))) < 160

    # the mark in line with the left trim edge, below the bottom bleed
    assert any(dark(tx0, y) for y in [by0 - k * 0.5 for k in range(2, 20)])
    # nothing between trim and bleed edge on that line
    assert not any(dark(tx0, y) for y in [ty0 - k * 0.5 for k in range(1, int(BLEED * 2) - 1)])


def test_screen_file_is_trimmed_with_language_and_links(sample_out):
    pdf = _pdf(sample_out, "en", "screen.pdf")
    page = pdf.pages[0]
    assert [float(v) for v in page.MediaBox] == pytest.approx([0, 0, *TRIM], abs=0.01)
    assert str(pdf.Root.Lang) == "en"
    uris = {
        str(a.A.URI)
        for p in pdf.pages
        for a in p.get("/Annots", [])
        if a.get("/A") is not None and "/URI" in a.A
    }
    assert {"https://azertag.az/", "https://www.azernews.az/"} <= uris


def test_print_file_has_no_annotations(sample_out):
    assert not any("/Annots" in p.obj for p in _pdf(sample_out, "en").pages)


def test_contact_sheet_shows_the_pages_as_reader_spreads(sample_out):
    from PIL import Image

    from booklet.output.staging import SHEET_BACKGROUND, SHEET_GAP, SHEET_PAGE_HEIGHT

    image = Image.open(io.BytesIO((sample_out / "a5-booklet.en.png").read_bytes())).convert("RGB")
    page_w = round(SHEET_PAGE_HEIGHT * 148 / 210)
    span = 2 * page_w

    def centre(spread: int, half: int) -> tuple[int, ...]:
        x = SHEET_GAP + (spread % 2) * (span + SHEET_GAP) + half * page_w + page_w // 2
        y = SHEET_GAP + (spread // 2) * (SHEET_PAGE_HEIGHT + SHEET_GAP) + SHEET_PAGE_HEIGHT // 3
        return image.getpixel((x, y))

    # 12 pages: [–, 1] [2, 3] / [4, 5] [6, 7] / [8, 9] [10, 11] / [12, –]
    assert image.size[1] == 4 * (SHEET_PAGE_HEIGHT + SHEET_GAP) + SHEET_GAP
    assert centre(0, 0) == SHEET_BACKGROUND  # nothing left of the cover
    assert sum(centre(0, 1)) < 100  # the dark cover on the right
    assert sum(centre(1, 0)) > 600  # page 2: a white inside page
    assert sum(centre(6, 0)) < 100  # the dark back cover, alone on the left
    assert centre(6, 1) == SHEET_BACKGROUND


def test_black_fills_overprint_and_white_knocks_out(sample_out):
    pdf = _pdf(sample_out, "en")
    for page in (pdf.pages[0], pdf.pages[1]):
        states = page.Resources.get("/ExtGState", {})  # none: nothing overprints
        fill, overprint, mask, stack = None, False, 0, []
        painted = {"black": 0, "other": 0}
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "q":
                stack.append((fill, overprint, mask))
            elif name == "Q":
                fill, overprint, mask = stack.pop()
            elif name == "gs":
                state = states[str(operands[0])]
                overprint = bool(state.get("/op", overprint))
                mask = int(state.get("/OPM", mask))
            elif name == "k":
                fill = [float(v) for v in operands]
            elif name in ("Tj", "TJ", "f", "f*") and fill is not None:
                black = fill == [0, 0, 0, 1]
                painted["black" if black else "other"] += 1
                assert overprint == black, f"{fill} painted with overprint={overprint}"
                assert mask == (1 if black else 0), f"{fill} painted with OPM {mask}"
        assert painted["other"] > 0
    assert painted["black"] > 0  # page 2 has black text


def test_screen_file_has_an_outline_of_the_sections(sample_out):
    pdf = _pdf(sample_out, "tr", "screen.pdf")
    with pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        nested = [child.title for item in outline.root for child in item.children]
    assert titles[:3] == ["Unutmadık, unutturmayacağız", "Program", "Konuşmacılar"]
    assert "Kaynaklar" in titles and nested  # the second history section sits under the first


A4_LANDSCAPE = (297 * MM, 210 * MM)


@pytest.mark.parametrize("lang", LANGS)
def test_imposed_file_is_printer_spreads_on_a4(sample_out, lang):
    imposed = _pdf(sample_out, lang, "imposed.pdf")
    reader = _pdf(sample_out, lang)
    pages = len(reader.pages)
    assert len(imposed.pages) == pages // 2
    for side in imposed.pages:
        x0, y0, x1, y1 = _box(side, "/MediaBox")
        assert (x1 - x0, y1 - y0) == pytest.approx(A4_LANDSCAPE, abs=0.01)
    # which reader page sits in each half: 12 pages → (12,1) (2,11) (10,3) (4,9) (8,5) (6,7)
    expected = [(pages - n, n + 1) if n % 2 == 0 else (n + 1, pages - n) for n in range(pages // 2)]
    screen = pdfium.PdfDocument(sample_out / f"a5-booklet.{lang}.screen.pdf")
    texts = [screen[i].get_textpage().get_text_range() for i in range(len(screen))]
    doc = pdfium.PdfDocument(sample_out / f"a5-booklet.{lang}.imposed.pdf")
    for side, (left, right) in zip(range(len(doc)), expected, strict=True):
        page = doc[side]
        width, height = page.get_size()
        text = page.get_textpage()
        halves = (
            text.get_text_bounded(0, 0, width / 2, height),
            text.get_text_bounded(width / 2, 0, width, height),
        )
        for half, number in zip(halves, (left, right), strict=True):
            words = [w for w in texts[number - 1].split() if len(w) > 3][:6]
            assert words and all(w in half for w in words), (side, number)


@pytest.mark.parametrize("kind", ["pdf", "imposed.pdf"])
def test_no_two_font_programs_share_a_name(sample_out, kind):
    # The marks and slug overlays are ReportLab files of their own, tagged AAAAAA+ too: their
    # subsets must be renamed, or a RIP that caches fonts by name prints the wrong letters.
    for layout in ("a5-booklet", "a6-invitation"):
        programs = font_programs(pikepdf.open(sample_out / f"{layout}.en.{kind}"))
        assert programs and all(len(found) == 1 for found in programs.values()), layout


def _unresolved(pdf: pikepdf.Pdf) -> list[str]:
    """Every `gs` or colour-space name a page or form uses that its own resources lack."""
    missing, seen = [], set()
    device = {"/DeviceCMYK", "/DeviceRGB", "/DeviceGray", "/Pattern"}

    def walk(stream, resources, where):
        for operands, op in pikepdf.parse_content_stream(stream, "gs cs CS Do"):
            name, kind = operands[0], str(op)
            if kind in ("cs", "CS") and str(name) in device:
                continue
            category = {"gs": "/ExtGState", "Do": "/XObject"}.get(kind, "/ColorSpace")
            group = resources.get(category) if resources is not None else None
            if group is None or name not in group:
                missing.append(f"{where}: {kind} {name}")
            elif kind == "Do" and group[name].get("/Subtype") == "/Form":
                form = group[name]
                if form.objgen not in seen:
                    seen.add(form.objgen)
                    walk(form, form.get("/Resources"), f"{where}/{name}")

    for n, page in enumerate(pdf.pages, 1):
        walk(page, page.Resources, f"page {n}")
    return missing


@pytest.mark.parametrize("kind", ["pdf", "screen.pdf", "imposed.pdf"])
def test_every_form_has_the_graphics_states_it_names(sample_out, kind):
    # ReportLab lists a form's `gs` states only on pages: without them, black text in the
    # form every card shares would not overprint (or a RIP would stop on the missing name).
    for layout in ("a6-invitation", "a5-booklet"):
        assert _unresolved(pikepdf.open(sample_out / f"{layout}.en.{kind}")) == [], layout
