"""Turn rendered PDF pages into the findings only a rendering shows: bleed and safe zone.

pypdfium2 renders each page over its MediaBox for the bleed check (artwork that touches the
trim edge must run on to the bleed edge) and reads its characters for the safe zone.
Both look only near the trim and bleed edges: a page whose own content stays clear of
them, and which draws there only forms (the same, placed the same way) that a page
checked before drew, gets that page's findings without being rendered: a thousand
invitation cards are rendered once, and so is each run of body pages of a booklet.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from ..errors import Diagnostic, Diagnostics, Location
from .content import Page, plural
from .page import Box, overlaps

MM = 72 / 25.4
CHAR_LIMIT = 200_000  # text characters inspected per page
RENDER_PX = 700  # longest side of the bleed check's rendering: 0.5 mm strips still show
EDGE_PX = 2  # how near (in rendered pixels) the edges' bands an object counts as reaching them
MAX_FORM_DEPTH = 12  # forms looked into for images, as the content walk does
ARRANGEMENTS = 256  # the most arrangements of a file's edges remembered
FORM, IMAGE = pdfium.raw.FPDF_PAGEOBJ_FORM, pdfium.raw.FPDF_PAGEOBJ_IMAGE
PHOTO_INK = 0x80  # the grey an image is rendered as in the bleed check (see `_images_as_ink`)
INKED, WHITE = 8, 2  # ink (255 - darkest channel) above which a pixel is inked / at most white


@dataclass(frozen=True)
class Geometry:
    """A page's boxes: the MediaBox, and the TrimBox and BleedBox where it has them."""

    media: Box
    trim: Box | None
    bleed: Box | None


# --- rendered rules: bleed and safe zone -------------------------------------------------


def check_rendered(
    data: bytes,
    pages: list[Page],
    geometry: list[Geometry],
    safe: float,
    out: Diagnostics,
    start: int = 0,
) -> None:
    """Render each page with pdfium for the bleed check; read its characters for the safe zone.

    `pages` are the file's pages from index `start` on."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        where = Location(pages[0].name) if pages else None
        out.warn("pdf", where, "", f"cannot render the file ({exc}): bleed and safe zone unchecked")
        return
    seen: dict[tuple, tuple[int, list[Diagnostic]]] = {}
    try:
        for index, (page, geo) in enumerate(zip(pages, geometry, strict=True)):
            try:
                _check_or_recall(doc[start + index], page, geo, safe, seen)
            except (pdfium.PdfiumError, IndexError) as exc:
                page.out.warn(
                    "pdf",
                    page.loc,
                    page.path,
                    f"cannot render: {exc}; bleed and safe zone unchecked",
                )
    finally:
        doc.close()


def _check_or_recall(
    pdf_page: pdfium.PdfPage, page: Page, geo: Geometry, safe: float, seen: dict
) -> None:
    """Check a page, or give it the findings of the page checked before whose edges it shares."""
    edges = _edges(pdf_page, page, geo, safe)
    if edges in seen:
        pdf_page.close()
        number, found = seen[edges]
        for finding in found:
            field = finding.field.replace(f"page[{number}]", page.path, 1)
            page.out.add(dataclasses.replace(finding, location=page.loc, field=field))
        return
    before = len(page.out.items)
    _check_rendered_page(pdf_page, page, geo, safe)
    if edges is not None and len(seen) < ARRANGEMENTS:
        seen[edges] = (page.number, page.out.items[before:])


def _edges(pdf_page: pdfium.PdfPage, page: Page, geo: Geometry, safe: float) -> tuple | None:
    """What of the page comes near its trim or bleed edge: the forms its content walk saw
    it draw there (form, placing, graphics states), with the page's boxes. None when
    anything else does, when the page clips, or when pdfium and the walk disagree."""
    if page.clipped or geo.trim is None or geo.bleed is None:
        return None
    margin = EDGE_PX / _scale(geo.media)
    inner, outer = _grown(geo.trim, -(safe + margin)), _grown(geo.bleed, margin)
    forms, near = iter(page.drawn), []
    try:
        for obj in pdf_page.get_objects(max_depth=1):
            form = next(forms, None) if obj.type == FORM else None
            if obj.type == FORM and form is None:
                return None
            box = obj.get_bounds()
            if _within(box, inner) or not _within(box, outer, overlap=True):
                continue  # clear of both edges: inside the safe area, or outside the bleed
            if form is None:
                return None
            near.append((form, box))
    except pdfium.PdfiumError:
        return None
    return None if next(forms, None) is not None else (geo, tuple(near))


def _grown(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _within(box: Box, area: Box, overlap: bool = False) -> bool:
    """Whether `box` lies inside `area` (with `overlap`: whether they meet at all)."""
    if overlap:
        return box[0] < area[2] and box[2] > area[0] and box[1] < area[3] and box[3] > area[1]
    return box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]


def _scale(media: Box) -> float:
    """Pixels a point in the bleed check's rendering."""
    return min(1.0, RENDER_PX / max(media[2] - media[0], media[3] - media[1]))


def _check_rendered_page(pdf_page: pdfium.PdfPage, page: Page, geo: Geometry, safe: float) -> None:
    try:
        pdf_page.set_rotation(0)
        _check_safe_zone(pdf_page, page, geo.trim or geo.media, safe)
        if geo.trim and geo.bleed:
            _check_bleed(pdf_page, page, geo)
    finally:
        pdf_page.close()


def _check_safe_zone(pdf_page: pdfium.PdfPage, page: Page, trim: Box, safe: float) -> None:
    text = pdf_page.get_textpage()
    try:
        _check_off_page(text, page, trim)
        hits = list(_near_edge(text, trim, safe))
        if not hits:
            return
        index, distance, edge = min(hits, key=lambda hit: hit[1])
        word = _word_at(text, index)
    finally:
        text.close()
    where = (
        f"crosses the {edge} edge"
        if distance < 0
        else f"is {distance / MM:.1f} mm from the {edge} edge"
    )
    more = f" ({plural(len(hits), 'character')} in all)" if len(hits) > 1 else ""
    page.out.warn(
        "safe-zone",
        page.loc,
        f"{page.path}.text",
        f'text within {safe / MM:g} mm of the trim edge: "{word}" {where}{more}',
        "keep text clear of the trim so a slightly off cut does not touch it",
    )


def _check_off_page(text: pdfium.PdfTextPage, page: Page, trim: Box) -> None:
    """A run of text that starts on the page and goes on past the trim (a word cut off):
    how far, and which text."""
    worst: tuple[float, str, Box] | None = None
    for i in range(min(text.count_rects(), CHAR_LIMIT)):
        box = text.get_rect(i)
        if not overlaps(box, trim):
            continue  # wholly in the slug
        left, bottom, right, top = box
        past = max(
            (trim[0] - left, "left"),
            (right - trim[2], "right"),
            (trim[1] - bottom, "bottom"),
            (top - trim[3], "top"),
        )
        if past[0] > 0.05 * MM and (worst is None or past[0] > worst[0]):
            worst = (past[0], past[1], box)
    if worst is None:
        return
    distance, edge, box = worst
    words = " ".join(text.get_text_bounded(*box).split())
    page.out.error(
        "text-off-page",
        page.loc,
        f"{page.path}.text",
        f'text runs {distance / MM:.1f} mm past the {edge} trim edge: "{words}"',
        "the text is cut off: shorten it, make it smaller, or move it inside the page",
    )


def _word_at(text: pdfium.PdfTextPage, index: int) -> str:
    """The word around a character, to name it in a finding."""
    start = max(0, index - 30)
    chunk = text.get_text_range(start, 60)
    at = min(index - start, max(len(chunk) - 1, 0))
    left = max(chunk.rfind(" ", 0, at), chunk.rfind("\n", 0, at), chunk.rfind("\r", 0, at))
    ends = [i for i in (chunk.find(c, at) for c in " \r\n") if i >= 0]
    return chunk[left + 1 : min(ends, default=len(chunk))]


def _near_edge(
    text: pdfium.PdfTextPage, trim: Box, safe: float
) -> Iterator[tuple[int, float, str]]:
    """(char index, distance, edge) for visible characters inside the trim but near its edge."""
    if not _runs_near_edge(text, trim, safe):
        return  # the usual case: no line of text comes near, no character needs a look
    for i in range(min(text.count_chars(), CHAR_LIMIT)):
        left, bottom, right, top = text.get_charbox(i)
        if right - left <= 0 and top - bottom <= 0:
            continue  # generated by pdfium (spaces, line breaks), not drawn
        if right <= trim[0] or left >= trim[2] or top <= trim[1] or bottom >= trim[3]:
            continue  # outside the trim: a slug line is allowed there
        distance, edge = min(
            (left - trim[0], "left"),
            (trim[2] - right, "right"),
            (bottom - trim[1], "bottom"),
            (trim[3] - top, "top"),
        )
        if distance < safe and not text.get_text_range(i, 1).isspace():
            yield i, distance, edge


def _runs_near_edge(text: pdfium.PdfTextPage, trim: Box, safe: float) -> bool:
    """Whether a text run's box (pdfium merges a line's characters) comes within `safe`."""
    for i in range(min(text.count_rects(), CHAR_LIMIT)):
        left, bottom, right, top = text.get_rect(i)
        if right <= trim[0] or left >= trim[2] or top <= trim[1] or bottom >= trim[3]:
            continue
        inside = (left - trim[0], trim[2] - right, bottom - trim[1], trim[3] - top)
        if min(inside) < safe:
            return True
    return False


def _check_bleed(pdf_page: pdfium.PdfPage, page: Page, geo: Geometry) -> None:
    """Where the pixel just inside the trim is inked, the pixel at the bleed edge must be too."""
    assert geo.trim and geo.bleed
    media = geo.media
    scale = _scale(media)
    pdf_page.set_cropbox(*media)
    if not page.masked:
        _images_as_ink(pdf_page)
    image = _render_margins(pdf_page, media, geo.trim, scale)
    for edge, inner, outer, has_bleed in _edge_lines(image, media, geo.trim, geo.bleed, scale):
        short = (_inked(inner) & _white(outer)).bit_count()
        if short and short / scale >= 0.5 * MM:
            lack = "stops short of the bleed edge" if has_bleed else "the page has no bleed there"
            page.out.error(
                "bleed",
                page.loc,
                f"{page.path}.BleedBox",
                f"artwork touches the {edge} trim edge along {short / scale / MM:.1f} mm "
                f"but {lack}",
                "extend backgrounds and images that reach the trim edge 3 mm past it, "
                "to the BleedBox (widen the BleedBox if it has no bleed)",
            )


def _images_as_ink(pdf_page: pdfium.PdfPage) -> None:
    """Give every image on the page (in its forms too) one grey pixel in place of its own.

    The bleed check asks only whether a pixel is inked or paper white, and a photo is
    inked: pdfium draws the grey pixel over the image's box, under its clip and graphics
    state, without decoding the photo in full (0.48 s of the sample booklet's warm
    rebuild). The document is the check's own copy; nothing is written back. A page with
    masked or inline images (`Page.masked`) keeps its images: their pixels cut shapes."""
    grey = None
    for obj in pdf_page.get_objects(filter=[IMAGE], max_depth=MAX_FORM_DEPTH):
        if grey is None:
            grey = pdfium.PdfBitmap.new_native(1, 1, pdfium.raw.FPDFBitmap_BGR)
            grey.fill_rect((PHOTO_INK, PHOTO_INK, PHOTO_INK, 255), 0, 0, 1, 1)
        obj.set_bitmap(grey)


def _render_margins(pdf_page: pdfium.PdfPage, media: Box, trim: Box, scale: float) -> Image.Image:
    """The page rendered only in its four margins outside the trim (plus 2 px), on white.

    Rasterizing four strips costs a third of the whole page; the rest stays paper white."""
    size = (math.ceil((media[2] - media[0]) * scale), math.ceil((media[3] - media[1]) * scale))
    image = Image.new("RGB", size, "white")
    pad = 2 / scale
    left, bottom = trim[0] - media[0] + pad, trim[1] - media[1] + pad
    right, top = media[2] - trim[2] + pad, media[3] - trim[3] + pad
    width, height = media[2] - media[0], media[3] - media[1]
    # crop is what to cut off each side (left, bottom, right, top), in points.
    for crop in (
        (0, 0, max(0, width - left), 0),
        (max(0, width - right), 0, 0, 0),
        (0, max(0, height - top), 0, 0),
        (0, 0, 0, max(0, height - bottom)),
    ):
        strip = pdf_page.render(
            scale=scale,
            crop=crop,
            draw_annots=False,
            no_smoothtext=True,
            no_smoothpath=True,
            no_smoothimage=True,
        )
        # pypdfium2 cuts ceil(points × scale) pixels from each side.
        image.paste(strip.to_pil(), (math.ceil(crop[0] * scale), math.ceil(crop[3] * scale)))
    return image


# Ink is 255 minus a pixel's darkest RGB channel: inked when any channel is darker than
# 255 - INKED, paper white when every channel is at least 255 - WHITE. One byte per pixel
# becomes 0 or 1, so a line's pixels are tested at once as the bytes of an integer.
_DARK = bytes(int(v < 255 - INKED) for v in range(256))
_LIGHT = bytes(int(v >= 255 - WHITE) for v in range(256))


def _inked(rgb: bytes) -> int:
    """The inked pixels of an RGB line, as 0/1 bytes of an integer."""
    r, g, b = (int.from_bytes(rgb[i::3].translate(_DARK)) for i in range(3))
    return r | g | b


def _white(rgb: bytes) -> int:
    """The paper-white pixels of an RGB line, as 0/1 bytes of an integer."""
    r, g, b = (int.from_bytes(rgb[i::3].translate(_LIGHT)) for i in range(3))
    return r & g & b


def _edge_lines(
    image: Image.Image, media: Box, trim: Box, bleed: Box, scale: float
) -> Iterator[tuple[str, bytes, bytes, bool]]:
    """Per edge: the pixels just inside the trim and those at the bleed edge, side by side.

    With less than a pixel of bleed the bleed line reads as paper white."""

    def x(v: float) -> float:
        return (v - media[0]) * scale

    def y(v: float) -> float:
        return (media[3] - v) * scale

    rows = (math.ceil(y(trim[3])), math.floor(y(trim[1])))
    cols = (math.ceil(x(trim[0])), math.floor(x(trim[2])))
    left_in, left_out = math.ceil(x(trim[0])), math.ceil(x(bleed[0]))
    right_in, right_out = math.floor(x(trim[2])) - 1, math.floor(x(bleed[2])) - 1
    top_in, top_out = math.ceil(y(trim[3])), math.ceil(y(bleed[3]))
    bottom_in, bottom_out = math.floor(y(trim[1])) - 1, math.floor(y(bleed[1])) - 1
    sides = (
        ("left", left_in, left_out, left_out + 1 <= x(trim[0]), True),
        ("right", right_in, right_out, right_out >= x(trim[2]), True),
        ("top", top_in, top_out, top_out + 1 <= y(trim[3]), False),
        ("bottom", bottom_in, bottom_out, bottom_out >= y(trim[1]), False),
    )
    for edge, inner, outer, has_bleed, vertical in sides:
        span = rows if vertical else cols
        if span[1] <= span[0]:
            continue
        inner_px = _line(image, inner, span, vertical)
        outer_px = _line(image, outer, span, vertical) if has_bleed else b"\xff" * len(inner_px)
        yield edge, inner_px, outer_px, has_bleed


def _line(image: Image.Image, at: int, span: tuple[int, int], vertical: bool) -> bytes:
    """The RGB bytes of a one-pixel line: column `at` over rows `span`, or row `at` over columns.

    A line off the rendering reads as paper white."""
    box = (at, span[0], at + 1, span[1]) if vertical else (span[0], at, span[1], at + 1)
    inside = 0 <= at < (image.width if vertical else image.height)
    return image.crop(box).tobytes() if inside else b"\xff" * (3 * (span[1] - span[0]))
