"""Turn a layout's mark settings into a PDF of printer's marks, one page per print page."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from ..read.layout import Layout

MM = 72 / 25.4
MARK_WEIGHT = 0.25  # pt: the thinnest rule every press holds
# A press sheet's slug line: 5.5 pt type on a baseline 1.6 mm above the sheet's bottom
# edge, in a band of 4 mm that the marks of the bottom edge stay out of.
SHEET_SLUG_SIZE, SHEET_SLUG_BASELINE, SHEET_SLUG_BAND = 5.5, 1.6 * MM, 4 * MM
# Marks must print on every plate: a Separation colour named "All".
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
PATCHES = [
    (1, 0, 0, 0),
    (0, 1, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 1),
    (1, 1, 0, 0),
    (0, 1, 1, 0),
    (1, 0, 1, 0),
    (0.5, 0.5, 0.5, 0),
    (0.5, 0, 0, 0),
    (0, 0.5, 0, 0),
    (0, 0, 0.5, 0),
    (0, 0, 0, 0.5),
]


@dataclass(frozen=True)
class Sheet:
    """Where the trim sits on the widened page: trim size, bleed and slug in points."""

    width: float
    height: float
    bleed: float
    slug: float

    @property
    def size(self) -> tuple[float, float]:
        return self.width + 2 * self.slug, self.height + 2 * self.slug


def slug_width(layout: Layout) -> float:
    """The distance from the trim edge to the edge of the print sheet."""
    m = layout.marks
    if m.crop or m.registration or m.color_bar or m.slug_line:
        return max(layout.bleed, m.offset) + m.length + 2 * MM
    return layout.bleed


def sheet_of(layout: Layout) -> Sheet:
    return Sheet(layout.trim.width, layout.trim.height, layout.bleed, slug_width(layout))


def marks_pdf(
    layout: Layout, font: str, slugs: list[str], folds: list[tuple[float, ...]] | None = None
) -> bytes:
    """The marks every page shares on the first page, then one page per print page with its
    slug line and fold lines: the shared marks are stored, and preflighted, once."""
    sheet = sheet_of(layout)
    out = io.BytesIO()
    canv = Canvas(out, pagesize=sheet.size, initialFontName=font, invariant=1)
    draw_marks(canv, layout, sheet, font, "")
    canv.showPage()
    for n, text in enumerate(slugs):
        if layout.marks.slug_line and text:
            canv.saveState()
            canv.setFillColor(REGISTRATION)
            slug_line(canv, sheet, font, text, max(layout.marks.offset, sheet.bleed))
            canv.restoreState()
        if folds and layout.marks.crop:
            fold_marks(
                canv, sheet, folds[n], max(layout.marks.offset, sheet.bleed), layout.marks.length
            )
        canv.showPage()
    canv.save()
    return out.getvalue()


def draw_marks(canv: Canvas, layout: Layout, sheet: Sheet, font: str, slug: str) -> None:
    m = layout.marks
    canv.saveState()
    canv.setLineWidth(MARK_WEIGHT)
    canv.setStrokeColor(REGISTRATION)
    canv.setFillColor(REGISTRATION)
    if m.crop:
        crop_marks(canv, sheet, max(m.offset, sheet.bleed), m.length)
    if m.registration:
        registration_marks(canv, sheet, max(m.offset, sheet.bleed) + m.length / 2)
    if m.color_bar:
        color_bar(canv, sheet, max(m.offset, sheet.bleed))
    if m.slug_line and slug:
        slug_line(canv, sheet, font, slug, max(m.offset, sheet.bleed))
    canv.restoreState()


def slug_line(canv: Canvas, sheet: Sheet, font: str, text: str, offset: float) -> None:
    """Job information in the bottom slug, right half, clear of the centre target."""
    size = 5.0
    room = sheet.width / 2 - 6 * MM
    while text and canv.stringWidth(text, font, size) > room:
        text = text[:-2] + "…"
    canv.setFont(font, size)
    y = sheet.slug - offset - size - 0.5 * MM
    canv.drawRightString(sheet.slug + sheet.width - 3 * MM, y, text)


def crop_marks(canv: Canvas, sheet: Sheet, offset: float, length: float) -> None:
    """Lines in line with the trim edges, starting `offset` beyond the trim corner."""
    s = sheet.slug
    for x, sx in ((s, -1), (s + sheet.width, 1)):
        for y, sy in ((s, -1), (s + sheet.height, 1)):
            canv.line(x, y + sy * offset, x, y + sy * (offset + length))
            canv.line(x + sx * offset, y, x + sx * (offset + length), y)


def slug_pdf(size: tuple[float, float], labels: list[str], font: str = "NotoSans-Regular") -> bytes:
    """One page per sheet side with its slug line at the bottom left, in registration colour."""
    out = io.BytesIO()
    canv = Canvas(out, pagesize=size, initialFontName=font, invariant=1)
    for label in labels:
        canv.setFillColor(REGISTRATION)
        canv.setFont(font, SHEET_SLUG_SIZE)
        canv.drawString(4 * MM, SHEET_SLUG_BASELINE, label)
        canv.showPage()
    canv.save()
    return out.getvalue()


def fold_marks(
    canv: Canvas, sheet: Sheet, folds: tuple[float, ...], offset: float, length: float
) -> None:
    """Dashed lines in line with each fold, beyond the top and bottom bleed."""
    s = sheet.slug
    canv.saveState()
    canv.setLineWidth(MARK_WEIGHT)
    canv.setStrokeColor(REGISTRATION)
    canv.setDash(2, 1.5)
    for x in folds:
        canv.line(s + x, s - offset, s + x, s - offset - length)
        canv.line(s + x, s + sheet.height + offset, s + x, s + sheet.height + offset + length)
    canv.restoreState()


def registration_marks(canv: Canvas, sheet: Sheet, distance: float) -> None:
    """A target at the middle of each side, `distance` beyond the trim."""
    s, w, h = sheet.slug, sheet.width, sheet.height
    radius = 1.8 * MM
    for cx, cy in (
        (s + w / 2, s - distance),
        (s + w / 2, s + h + distance),
        (s - distance, s + h / 2),
        (s + w + distance, s + h / 2),
    ):
        canv.circle(cx, cy, radius, stroke=1, fill=0)
        canv.line(cx - radius * 1.5, cy, cx + radius * 1.5, cy)
        canv.line(cx, cy - radius * 1.5, cx, cy + radius * 1.5)


def color_bar(canv: Canvas, sheet: Sheet, offset: float) -> None:
    """Solid and 50 % patches of each process colour in the bottom slug, left half.

    The bar stands 0.5 mm clear of `offset` (the bleed edge, at the least): a page placed
    on a press sheet is clipped at its bleed, and patches touching that edge left a
    hairline of colour along it there."""
    gap = 0.5 * MM
    room = sheet.slug - offset - gap - 1 * MM
    size = min(3 * MM, room, (sheet.width / 2 - 9 * MM) / len(PATCHES))
    if size <= 1 * MM:
        return
    x = sheet.slug + 3 * MM  # clear of the crop mark in line with the trim edge
    y = sheet.slug - offset - gap - size
    for cmyk in PATCHES:
        canv.setFillColor(CMYKColor(*cmyk))
        canv.rect(x, y, size, size, stroke=0, fill=1)
        x += size
