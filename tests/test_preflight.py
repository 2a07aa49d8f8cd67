"""Preflight rules, each on a tiny PDF that breaks it and one that passes; then our own files."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from booklet.errors import Diagnostic
from booklet.preflight import checks as pf
from booklet.preflight.checks import as_json, format_findings, preflight

from .conftest import LANGS, MM, ROOT

W, H = 60 * MM, 80 * MM  # trim size of the test pages
BLEED = 3 * MM
NOTO = "PreflightNoto"
Draw = Callable[[Canvas], None]


def _noto() -> str:
    if NOTO not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(NOTO, str(ROOT / "fonts/noto/NotoSans-Regular.ttf")))
    return NOTO


def make(draw: Draw | None = None, *, pages: int = 1, boxes: bool = True) -> bytes:
    """A print file: MediaBox = BleedBox = trim + 3 mm; `draw` works in trim coordinates."""
    out = io.BytesIO()
    canvas = Canvas(
        out,
        pagesize=(W + 2 * BLEED, H + 2 * BLEED),
        initialFontName=_noto(),
        invariant=1,
    )
    if boxes:
        canvas.setTrimBox((BLEED, BLEED, BLEED + W, BLEED + H))
        canvas.setBleedBox((0, 0, W + 2 * BLEED, H + 2 * BLEED))
    for _ in range(pages):
        canvas.translate(BLEED, BLEED)
        if draw:
            draw(canvas)
        canvas.showPage()
    canvas.save()
    return as_pdfx(out.getvalue()) if boxes else out.getvalue()


def as_pdfx(data: bytes) -> bytes:
    """The file with what identifies a print file: a PDF/X version and an output intent."""
    pdf = pikepdf.open(io.BytesIO(data))
    intent = Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier="FOGRA39"
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
    pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-4"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def art(canvas: Canvas) -> None:
    """Everything a good page has: background to the bleed, CMYK text and a 0.5 pt rule."""
    canvas.setFillColorCMYK(0.1, 0.2, 0.3, 0)
    canvas.rect(-BLEED, -BLEED, W + 2 * BLEED, H + 2 * BLEED, fill=1, stroke=0)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(NOTO, 10)
    canvas.drawString(10 * MM, 40 * MM, "Preflight")
    canvas.setStrokeColorCMYK(0, 0, 0, 1)
    canvas.setLineWidth(0.5)
    canvas.line(10 * MM, 30 * MM, 50 * MM, 30 * MM)


def inside(canvas: Canvas) -> None:
    """A page whose artwork stays well inside the trim."""
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(NOTO, 10)
    canvas.drawString(10 * MM, 40 * MM, "Inside")


def edit(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def add_content(pdf: pikepdf.Pdf, content: bytes, **resources: Dictionary) -> None:
    """Append raw operators to page 1, with extra named resources (category → names)."""
    page = pdf.pages[0]
    for category, entries in resources.items():
        for key, value in entries.items():
            page.add_resource(value, Name("/" + category), Name(key))
    page.contents_add(pdf.make_stream(content))


def check(data: bytes, **options) -> list[Diagnostic]:
    return preflight(data, "test.pdf", **options)


def found(findings: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in findings if d.code == code]


def cmyk_image(pixels: int) -> ImageReader:
    return ImageReader(Image.new("CMYK", (pixels, pixels), (0, 0, 0, 128)))


def test_a_good_print_file_has_no_findings():
    assert check(make(art), booklet=False) == []
    assert check(make(art, pages=4), booklet=True) == []


# --- boxes ------------------------------------------------------------------------------


def test_boxes_missing_trim_and_bleed():
    findings = check(make(art, pages=2, boxes=False))
    fields = {(d.code, d.severity, d.field) for d in findings}
    assert ("boxes", "error", "page[1].TrimBox") in fields
    assert ("boxes", "error", "page[1].BleedBox") in fields
    trim = next(d for d in findings if d.field == "page[1].TrimBox")
    assert "TrimBox missing on every page" in trim.message


def test_boxes_bleed_inside_trim():
    def shrink(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.BleedBox = Array([BLEED + 1, BLEED + 1, BLEED + W - 1, BLEED + H - 1])

    findings = found(check(edit(make(inside), shrink)), "boxes")
    assert len(findings) == 1 and findings[0].field == "page[1].TrimBox"
    assert "is not inside BleedBox" in findings[0].message


def test_boxes_media_smaller_than_bleed():
    def crop_media(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.MediaBox = Array([BLEED, BLEED, BLEED + W, BLEED + H])

    findings = found(check(edit(make(inside), crop_media)), "boxes")
    assert len(findings) == 1 and "BleedBox" in findings[0].message
    assert "is not inside MediaBox" in findings[0].message


def test_boxes_one_trim_size_on_every_page():
    def smaller_page_2(pdf: pikepdf.Pdf) -> None:
        pdf.pages[1].obj.TrimBox = Array([BLEED, BLEED, BLEED + W - 10, BLEED + H])

    findings = found(check(edit(make(inside, pages=2), smaller_page_2)), "boxes")
    assert len(findings) == 1
    assert findings[0].location is not None
    assert (findings[0].location.line, findings[0].location.column) == (2, 0)  # line = page
    assert findings[0].field == "page[2].TrimBox"
    assert "differs from page 1's 60.0 × 80.0 mm" in findings[0].message


# --- bleed ------------------------------------------------------------------------------


def _panel(x0: float, y0: float, x1: float, y1: float) -> Draw:
    def draw(canvas: Canvas) -> None:
        canvas.setFillColorCMYK(0.6, 0.4, 0.4, 1)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, fill=1, stroke=0)

    return draw


def test_bleed_artwork_stopping_at_the_trim_edge():
    findings = found(check(make(_panel(0, 0, W, H))), "bleed")
    assert {d.message.split()[3] for d in findings} == {"left", "right", "top", "bottom"}
    assert all(d.severity == "error" and d.field == "page[1].BleedBox" for d in findings)


def test_bleed_only_the_edge_that_lacks_it():
    findings = found(check(make(_panel(0, 20 * MM, W / 2, 40 * MM))), "bleed")
    assert len(findings) == 1
    message = findings[0].message
    assert message.startswith("artwork touches the left trim edge along ")
    assert float(message.split()[7]) == pytest.approx(20, abs=0.5)  # mm
    assert message.endswith("but stops short of the bleed edge")


def test_bleed_light_tints_count_as_ink():
    def yellow(canvas: Canvas) -> None:
        canvas.setFillColorCMYK(0, 0, 0.2, 0)
        canvas.rect(0, 0, W, H, fill=1, stroke=0)

    assert len(found(check(make(yellow)), "bleed")) == 4


def test_bleed_missing_when_bleed_box_equals_trim():
    def no_bleed(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.BleedBox = Array([BLEED, BLEED, BLEED + W, BLEED + H])

    findings = found(check(edit(make(art), no_bleed)), "bleed")
    assert len(findings) == 4
    assert all(d.message.endswith("but the page has no bleed there") for d in findings)


def test_bleed_passes_when_artwork_reaches_the_bleed_or_stays_off_the_edge():
    assert found(check(make(_panel(-BLEED, -BLEED, W + BLEED, H + BLEED))), "bleed") == []
    assert found(check(make(_panel(2 * MM, 2 * MM, W - 2 * MM, H - 2 * MM))), "bleed") == []


# --- fonts ------------------------------------------------------------------------------


def test_font_embedded_base14_is_an_error():
    def helvetica(canvas: Canvas) -> None:
        canvas.setFont("Helvetica", 10)
        canvas.drawString(10 * MM, 40 * MM, "Helvetica")

    findings = found(check(make(helvetica)), "font-embedded")
    assert findings and all(d.severity == "error" for d in findings)
    assert any("font Helvetica is not embedded (a base-14 font" in d.message for d in findings)


def _simple_font(base: str) -> Dictionary:
    return Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/" + base))


def test_font_embedded_inside_a_form_xobject():
    def form(pdf: pikepdf.Pdf) -> None:
        xobj = pdf.make_stream(b"BT /F9 12 Tf (x) Tj ET")
        xobj.Type, xobj.Subtype, xobj.BBox = Name.XObject, Name.Form, Array([0, 0, 50, 50])
        xobj.Resources = Dictionary(Font=Dictionary(F9=_simple_font("Times-Roman")))
        add_content(pdf, b"q /Fx9 Do Q", XObject={"/Fx9": xobj})

    findings = found(check(edit(make(art), form)), "font-embedded")
    assert [d.field for d in findings] == ["page[1].XObject[Fx9].Font[F9]"]
    assert "Times-Roman" in findings[0].message


def test_font_embedded_cid_descendant_and_type3_resources():
    def fonts(pdf: pikepdf.Pdf) -> None:
        descriptor = Dictionary(Type=Name.FontDescriptor, FontName=Name("/ABCDEF+Cid"))
        cid = Dictionary(
            Type=Name.Font,
            Subtype=Name.CIDFontType2,
            BaseFont=Name("/ABCDEF+Cid"),
            FontDescriptor=descriptor,
        )
        type0 = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/ABCDEF+Cid"),
            DescendantFonts=Array([cid]),
        )
        type3 = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            Resources=Dictionary(Font=Dictionary(F1=_simple_font("Courier"))),
        )
        text = b"BT /C0 10 Tf 10 10 Td <0001> Tj /T3 10 Tf (a) Tj ET"  # both print text
        add_content(pdf, text, Font={"/C0": type0, "/T3": type3})

    fields = {d.field for d in found(check(edit(make(art), fonts)), "font-embedded")}
    assert fields == {"page[1].Font[C0]", "page[1].Font[T3].Font[F1]"}


def test_font_embedded_passes_with_our_fonts():
    assert found(check(make(art)), "font-embedded") == []


def test_font_subset_warns_for_a_whole_font():
    def whole(pdf: pikepdf.Pdf) -> None:
        for font in pdf.pages[0].Resources.Font.values():
            font.BaseFont = Name("/" + str(font.BaseFont).split("+")[-1])

    findings = found(check(edit(make(art), whole)), "font-subset")
    assert [d.severity for d in findings] == ["warning"]
    assert "NotoSans" in findings[0].message
    assert found(check(make(art)), "font-subset") == []


# --- rgb --------------------------------------------------------------------------------


def test_rgb_fill_and_stroke_operators():
    def rgb(canvas: Canvas) -> None:
        canvas.setFillColorRGB(1, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 1)
        canvas.rect(10 * MM, 10 * MM, 10 * MM, 10 * MM, fill=1, stroke=1)

    findings = found(check(make(rgb)), "rgb")
    assert len(findings) == 1 and findings[0].severity == "error"
    assert "rg ×1" in findings[0].message and "RG ×1" in findings[0].message


def _icc_rgb(pdf: pikepdf.Pdf) -> Array:
    return Array([Name.ICCBased, pdf.make_stream(b"not a real profile", N=3)])


@pytest.mark.parametrize(
    ("content", "space"),
    [
        (b"/DeviceRGB cs 1 0 0 sc 0 0 9 9 re f", None),
        (b"/CS0 CS 1 0 0 SCN 0 0 m 9 9 l S", "icc"),
        (b"/CS0 cs 1 0 0 scn 0 0 9 9 re f", "calrgb"),
    ],
)
def test_rgb_colour_spaces(content, space):
    def change(pdf: pikepdf.Pdf) -> None:
        spaces = {
            "icc": _icc_rgb(pdf),
            "calrgb": Array([Name.CalRGB, Dictionary(WhitePoint=[0.95, 1, 1.09])]),
        }
        extra = {"ColorSpace": {"/CS0": spaces[space]}} if space else {}
        add_content(pdf, content, **extra)

    findings = found(check(edit(make(art), change)), "rgb")
    assert len(findings) == 1 and "in an RGB colour space" in findings[0].message


def test_rgb_image_xobject_inline_image_and_shading():
    def rgb_image(canvas: Canvas) -> None:
        canvas.drawImage(ImageReader(Image.new("RGB", (400, 400))), 0, 0, 72, 72)

    def inline_and_shading(pdf: pikepdf.Pdf) -> None:
        shading = Dictionary(
            ShadingType=2,
            ColorSpace=Name.DeviceRGB,
            Coords=[0, 0, 10, 0],
            Function=Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1),
        )
        inline = b"q 9 0 0 9 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q"
        add_content(pdf, inline + b"\n/Sh0 sh", Shading={"/Sh0": shading})

    findings = found(check(edit(make(rgb_image), inline_and_shading)), "rgb")
    fields = {d.field for d in findings}
    assert "page[1].inline-image" in fields
    assert any(f.startswith("page[1].XObject[") for f in fields)
    assert any("sh with an RGB shading" in d.message for d in findings)


def test_rgb_and_hairlines_inside_a_tiling_pattern():
    def tiling(pdf: pikepdf.Pdf) -> None:
        tile = pdf.make_stream(b"1 0 0 rg 0.1 w 0 0 m 4 4 l S")
        tile.PatternType, tile.PaintType, tile.TilingType = 1, 1, 1
        tile.BBox, tile.XStep, tile.YStep = Array([0, 0, 4, 4]), 4, 4
        tile.Resources = Dictionary()
        add_content(pdf, b"/Pattern cs /P0 scn 0 0 40 40 re f", Pattern={"/P0": tile})

    findings = check(edit(make(art), tiling))
    assert [(d.code, d.severity) for d in findings] == [("rgb", "error"), ("hairline", "warning")]


def test_rgb_passes_with_cmyk_gray_and_spot_colours():
    def cmyk(canvas: Canvas) -> None:
        art(canvas)
        canvas.drawImage(cmyk_image(600), 0, 0, 72, 72)
        canvas.setFillGray(0.5)
        canvas.rect(0, 0, 9, 9, fill=1, stroke=0)

    def spot(pdf: pikepdf.Pdf) -> None:
        tint = Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
        sep = Array([Name.Separation, Name.All, Name.DeviceCMYK, tint])
        add_content(
            pdf,
            b"/DeviceCMYK cs 0 0 0 1 sc /S0 CS 1 SCN 0 0 m 9 9 l S",
            ColorSpace={"/S0": sep},
        )

    assert found(check(edit(make(cmyk), spot)), "rgb") == []


# --- image-ppi --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pixels", "severity"), [(30, "error"), (149, "error"), (200, "warning"), (300, None)]
)
def test_image_ppi_at_one_inch(pixels, severity):
    def image(canvas: Canvas) -> None:
        canvas.drawImage(cmyk_image(pixels), 10, 10, 72, 72)

    findings = found(check(make(image)), "image-ppi")
    assert [d.severity for d in findings] == ([severity] if severity else [])
    if severity:
        assert f"has {pixels} ppi" in findings[0].message


def test_image_ppi_follows_the_ctm_into_forms():
    def scaled_down(canvas: Canvas) -> None:
        canvas.scale(0.5, 0.5)  # 150 px over half an inch: 300 ppi
        canvas.drawImage(cmyk_image(150), 10, 10, 72, 72)

    def form_scaled_up(canvas: Canvas) -> None:
        canvas.beginForm("logo")
        canvas.drawImage(cmyk_image(300), 0, 0, 72, 72)
        canvas.endForm()
        canvas.scale(1.5, 1.5)  # 300 px over 1.5 inch: 200 ppi
        canvas.doForm("logo")

    assert found(check(make(scaled_down)), "image-ppi") == []
    findings = found(check(make(form_scaled_up)), "image-ppi")
    assert [d.severity for d in findings] == ["warning"] and "200 ppi" in findings[0].message


# --- hairline ---------------------------------------------------------------------------


def _rule(width: float, scale: float = 1.0) -> Draw:
    def draw(canvas: Canvas) -> None:
        canvas.scale(scale, scale)
        canvas.setStrokeColorCMYK(0, 0, 0, 1)
        canvas.setLineWidth(width)
        canvas.line(10, 10, 100, 10)

    return draw


@pytest.mark.parametrize(
    ("width", "scale", "severity"),
    [
        (0.1, 1, "warning"),
        (0, 1, "error"),
        (1, 0.1, "warning"),  # 1 pt scaled to 0.1 pt by the CTM
        (0.25, 1, None),
        (0.5, 1, None),
        (0.1, 10, None),  # 0.1 pt scaled up to 1 pt
    ],
)
def test_hairline(width, scale, severity):
    findings = found(check(make(_rule(width, scale))), "hairline")
    assert [d.severity for d in findings] == ([severity] if severity else [])


def _shared_rule(width: float, scales: list[float]) -> Draw:
    """Every page draws the same form (a rule of `width`), page n at scales[n]."""
    pages = iter(enumerate(scales))

    def draw(canvas: Canvas) -> None:
        n, scale = next(pages)
        if n == 0:
            canvas.beginForm("rule")
            canvas.setStrokeColorCMYK(0, 0, 0, 1)
            canvas.setLineWidth(width)
            canvas.line(10, 10, 100, 10)
            canvas.endForm()
        canvas.scale(scale, scale)
        canvas.doForm("rule")

    return draw


def test_a_form_shared_by_pages_is_checked_on_each_page():
    # A clean form is walked once per file; the same form found thin is reported on every page,
    # and a form clean at one scale is checked again where the page scales it down.
    assert found(check(make(_shared_rule(0.5, [1, 1, 1]), pages=3)), "hairline") == []
    thin = found(check(make(_shared_rule(0.1, [1, 1, 1]), pages=3)), "hairline")
    assert [d.location.line for d in thin] == [1, 2, 3]
    scaled = found(check(make(_shared_rule(0.5, [1, 0.2, 1]), pages=3)), "hairline")
    assert [d.location.line for d in scaled] == [2]


# --- safe-zone --------------------------------------------------------------------------


def _text_at(x: float, y: float, size: float = 10) -> Draw:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(NOTO, size)
        canvas.drawString(x, y, "Safe")

    return draw


def test_safe_zone_text_near_the_trim_edge():
    findings = found(check(make(_text_at(1 * MM, 40 * MM))), "safe-zone")
    assert [d.severity for d in findings] == ["warning"]
    assert (
        findings[0].message
        == 'text within 3 mm of the trim edge: "Safe" is 1.2 mm from the left edge'
    )
    crossing = found(check(make(_text_at(-1 * MM, 40 * MM))), "safe-zone")[0].message
    assert '"Safe" crosses the left edge (3 characters in all)' in crossing


def test_safe_zone_passes_inside_and_ignores_text_outside_the_trim():
    assert found(check(make(_text_at(10 * MM, 40 * MM))), "safe-zone") == []
    # a slug line below the trim, wholly outside it
    assert found(check(make(_text_at(10 * MM, -BLEED + 0.3 * MM, 5))), "safe-zone") == []


def test_safe_zone_distance_is_an_option():
    data = make(_text_at(4 * MM, 40 * MM))
    assert found(check(data), "safe-zone") == []
    assert len(found(check(data, safe_mm=5), "safe-zone")) == 1


# --- page-count -------------------------------------------------------------------------


def test_page_count_multiple_of_four_for_booklets():
    findings = found(check(make(art, pages=3), booklet=True), "page-count")
    assert [d.severity for d in findings] == ["error"]
    assert "found 3" in findings[0].message and "add 1 pages" in findings[0].hint
    assert found(check(make(art, pages=4), booklet=True), "page-count") == []
    assert found(check(make(art, pages=3), booklet=False), "page-count") == []


# --- robustness -------------------------------------------------------------------------


def test_unreadable_and_encrypted_files():
    assert [d.code for d in check(b"not a pdf")] == ["pdf"]

    def encrypt(data: bytes) -> bytes:
        out = io.BytesIO()
        pikepdf.open(io.BytesIO(data)).save(out, encryption=pikepdf.Encryption(user="u", owner="o"))
        return out.getvalue()

    assert [d.code for d in check(encrypt(make(art)))] == ["pdf"]


def test_operator_limit_and_self_referencing_form(monkeypatch):
    def loop(pdf: pikepdf.Pdf) -> None:
        form = pdf.make_stream(b"/Fx Do 0 0 m 9 9 l S")
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 9, 9])
        form.Resources = Dictionary(XObject=Dictionary(Fx=form))
        add_content(pdf, b"q /Fx Do Q", XObject={"/Fx": form})

    data = edit(make(art), loop)
    assert check(data) == []  # the cycle ends
    monkeypatch.setattr(pf, "OP_LIMIT", 5)
    assert [d.code for d in check(data)] == ["limit"]


# --- a plain ReportLab file, and ours ------------------------------------------------------


def test_plain_reportlab_file_names_each_problem():
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFillColorRGB(0.8, 0.1, 0.1)
    canvas.rect(100, 100, 200, 100, fill=1)
    canvas.drawString(100, 300, "Hello")
    canvas.save()
    findings = check(out.getvalue())
    errors = {d.code: d for d in findings if d.severity == "error"}
    assert {"boxes", "rgb", "font-embedded"} <= set(errors)
    assert "TrimBox" in next(d.message for d in findings if d.field == "page[1].TrimBox")
    assert "rg ×1" in errors["rgb"].message
    assert "Helvetica" in errors["font-embedded"].message


def test_findings_as_text_and_json():
    findings = check(make(art, pages=3), booklet=True)
    text = format_findings(findings, "test.pdf")
    assert text.splitlines()[-1] == "test.pdf: preflight failed (1 error, 0 warnings)"
    assert format_findings([], "ok.pdf") == "ok.pdf: preflight passed (0 errors, 0 warnings)"
    data = json.loads(as_json({"test.pdf": findings, "ok.pdf": []}))
    assert (data["passed"], data["errors"], data["warnings"]) == (False, 1, 0)
    assert [f["passed"] for f in data["files"]] == [False, True]
    assert data["files"][0]["findings"][0]["code"] == "page-count"


@pytest.mark.parametrize("lang", LANGS)
def test_our_print_files_pass(sample_out, lang):
    name = f"a5-booklet.{lang}.pdf"
    findings = preflight((sample_out / name).read_bytes(), name, booklet=True)
    assert [d.format() for d in findings if d.severity == "error"] == []


def test_a_file_checked_in_parts_finds_what_the_whole_check_finds():
    data = make(_shared_rule(0.1, [1, 1, 0.5, 1, 1]), pages=5, boxes=False)
    whole = check(data)
    assert {d.code for d in whole} >= {"hairline", "boxes"}
    for split in (1, 2, 4):
        parts = check(data, part=(0, split)) + check(data, part=(split, 5))
        assert sorted(d.format() for d in parts) == sorted(d.format() for d in whole)
    # a page cut to another size, in the second part: reported once, as by the whole check

    def smaller(pdf: pikepdf.Pdf) -> None:
        pdf.pages[3].obj.TrimBox = Array([BLEED, BLEED, BLEED + W - 5, BLEED + H])

    data = edit(make(inside, pages=5), smaller)
    whole = check(data)
    assert [d.location.line for d in found(whole, "boxes")] == [4]
    parts = check(data, part=(0, 2)) + check(data, part=(2, 5))
    assert sorted(d.format() for d in parts) == sorted(d.format() for d in whole)


def test_a_form_met_twice_on_a_page_is_still_checked_on_the_next_page():
    # The second use on page 1 adds no new finding (the page has it already): that must not
    # make the form count as clean and go unchecked on page 2.
    pages = iter(range(2))

    def draw(canvas: Canvas) -> None:
        if next(pages) == 0:
            canvas.beginForm("photo")
            canvas.drawImage(ImageReader(Image.new("RGB", (72, 72), "red")), 0, 0, 72, 72)
            canvas.endForm()
            canvas.doForm("photo")
        canvas.doForm("photo")

    findings = check(make(draw, pages=2))
    assert sorted({(d.location.line, d.code) for d in found(findings, "rgb")}) == [
        (1, "rgb"),
        (2, "rgb"),
    ]


def test_page_rules_and_file_rules_make_the_whole_check():
    # Batches of cards: each batch's pages are checked where it is made, numbered as in
    # the whole file; the joined file's own rules are checked once.
    from booklet.preflight.checks import file_rules, preflight_pages

    def smaller(pdf: pikepdf.Pdf) -> None:
        pdf.pages[3].obj.TrimBox = Array([BLEED, BLEED, BLEED + W - 5, BLEED + H])

    data = edit(make(_shared_rule(0.1, [1, 1, 0.5, 1, 1]), pages=5), smaller)
    whole = check(data)
    assert {d.code for d in whole} >= {"hairline", "boxes"}
    rules = file_rules(pikepdf.open(io.BytesIO(data)), "test.pdf")
    split = rules + preflight_pages(data, "test.pdf", 1)
    assert sorted(d.format() for d in split) == sorted(d.format() for d in whole)
    later = preflight_pages(data, "test.pdf", 11)
    assert sorted({d.location.line for d in found(later, "hairline")}) == [11, 12, 13, 14, 15]
    assert found(later, "boxes") == []


# --- type that survives the press -------------------------------------------------------


def _type_on(background: tuple[float, float, float, float] | None, size: float, ink=(0, 0, 0, 0)):
    def draw(canvas: Canvas) -> None:
        if background:
            canvas.setFillColorCMYK(*background)
            canvas.rect(5 * MM, 30 * MM, 50 * MM, 30 * MM, fill=1, stroke=0)
        canvas.setFillColorCMYK(*ink)
        canvas.setFont(_noto(), size)
        canvas.drawString(10 * MM, 40 * MM, "Knocked out")

    return draw


def test_small_white_type_on_rich_black_is_reported():
    rich = (0.6, 0.45, 0.4, 1.0)
    findings = found(check(make(_type_on(rich, 7))), "knockout-small-type")
    assert [d.severity for d in findings] == ["warning"]
    assert "7.0 pt" in findings[0].message and findings[0].location.line == 1
    coloured = found(check(make(_type_on(rich, 8, ink=(0, 0.08, 0.12, 0.18)))), "knockout")
    assert found(check(make(_type_on(rich, 8, ink=(0, 0.08, 0.12, 0.18)))), "knockout-small-type")
    assert coloured == []  # (the code is knockout-small-type, not knockout)
    # large type, black type, or a black of 100 % K with one other colour: no finding
    assert found(check(make(_type_on(rich, 10))), "knockout-small-type") == []
    assert found(check(make(_type_on((0.4, 0, 0, 1.0), 7))), "knockout-small-type") == []
    assert found(check(make(_type_on(rich, 7, ink=(0, 0, 0, 1)))), "knockout-small-type") == []
    assert found(check(make(_type_on(None, 7))), "knockout-small-type") == []


def test_text_under_six_points_is_reported_but_not_the_slug_line():
    findings = found(check(make(_type_on(None, 4, ink=(0, 0, 0, 1)))), "small-text")
    assert [d.severity for d in findings] == ["warning"]
    assert "4.0 pt" in findings[0].message
    assert found(check(make(_type_on(None, 6, ink=(0, 0, 0, 1)))), "small-text") == []
    slug = found(check(make(_text_at(10 * MM, -BLEED + 0.3 * MM, 5))), "small-text")
    assert slug == []  # outside the trim: the job line of the marks


def test_a_print_file_needs_an_output_intent_and_a_pdfx_version():
    bare = make(art)

    def strip(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/OutputIntents"]
        del pdf.docinfo["/GTS_PDFXVersion"]

    findings = check(edit(bare, strip))
    assert {d.code for d in findings} == {"output-intent", "pdfx"}
    assert check(bare) == []


def test_links_inside_the_printed_area_are_reported():
    def link(canvas: Canvas) -> None:
        art(canvas)
        canvas.linkURL("https://example.org", (10 * MM, 10 * MM, 30 * MM, 20 * MM))

    findings = found(check(make(link)), "link")
    assert [d.location.line for d in findings] == [1]


def test_no_font_error_for_a_font_no_text_is_shown_in():
    def shapes_only(canvas: Canvas) -> None:
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.rect(10 * MM, 10 * MM, 20 * MM, 20 * MM, fill=1, stroke=0)

    plain = io.BytesIO()  # a plain ReportLab page: it declares Helvetica and sets no text
    canvas = Canvas(plain, pagesize=(W, H), invariant=1)
    shapes_only(canvas)
    canvas.showPage()
    canvas.save()
    declared = pikepdf.open(io.BytesIO(plain.getvalue()))
    fonts = declared.pages[0].Resources.get("/Font", {})
    assert any(str(f.get("/BaseFont")) == "/Helvetica" for f in fonts.values())
    assert found(check(plain.getvalue()), "font-embedded") == []


def test_text_running_past_the_trim_edge_says_how_far():
    def off(canvas: Canvas) -> None:
        canvas.setFont(_noto(), 10)
        canvas.drawString(W - 12 * MM, 40 * MM, "Overhanging")

    findings = found(check(make(off)), "text-off-page")
    assert [d.severity for d in findings] == ["error"]
    assert "mm past the right trim edge" in findings[0].message
    assert "Overhanging" in findings[0].message
    assert found(check(make(_text_at(10 * MM, 40 * MM))), "text-off-page") == []


# --- pages that share what reaches their edges are rendered once ----------------------------


def _band(canvas: Canvas) -> None:
    """A form drawn at the left trim edge that stops short of the bleed: a bleed error."""
    if not canvas.hasForm("band"):
        canvas.beginForm("band")
        _panel(0, 20 * MM, W / 2, 40 * MM)(canvas)
        canvas.endForm()
    canvas.doForm("band")


def _cards(canvas: Canvas) -> None:
    page = canvas.getPageNumber()
    if page == 4:  # a clip of the page's own keeps the band off the edge
        path = canvas.beginPath()
        path.rect(10 * MM, 0, W - 10 * MM, H)
        canvas.clipPath(path, stroke=0, fill=0)
    _band(canvas)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(NOTO, 10)
    canvas.drawString(15 * MM, 60 * MM, f"Guest {page}")  # each page's own, inside
    if page == 3:
        canvas.drawString(W - 10 * MM, 50 * MM, "edge")  # ends within 3 mm of the right edge


def test_pages_drawing_the_same_form_at_the_edge_share_its_findings(monkeypatch):
    from booklet.preflight import rendering

    rendered = []
    render = rendering._check_rendered_page
    monkeypatch.setattr(
        rendering,
        "_check_rendered_page",
        lambda pdf_page, page, *rest: rendered.append(page.number) or render(pdf_page, page, *rest),
    )
    findings = check(make(_cards, pages=5))
    assert rendered == [1, 3, 4]  # 2 and 5 draw near the edges only what page 1 drew there
    bleed = found(findings, "bleed")
    assert [(d.location.line, d.field) for d in bleed] == [
        (n, f"page[{n}].BleedBox") for n in (1, 2, 3, 5)
    ]
    assert all("left trim edge" in d.message for d in bleed)
    assert [d.location.line for d in found(findings, "safe-zone")] == [3]


def test_recalled_findings_are_those_each_page_gets_rendered(monkeypatch):
    from booklet.preflight import rendering

    data = make(_cards, pages=5)
    fast = check(data)
    monkeypatch.setattr(rendering, "ARRANGEMENTS", 0)  # every page rendered
    assert check(data) == fast
