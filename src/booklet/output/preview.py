"""Turn built print files into PNG previews, with trim, bleed, safe area and folds on proofs."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

SAFE_MM = 3.0
MM = 72 / 25.4
TRIM, BLEED, SAFE, FOLD = (0, 160, 220), (230, 0, 126), (0, 150, 60), (120, 120, 120)


def parse_pages(spec: str, count: int) -> list[int]:
    """Page numbers from "1,3-4" (1-based), checked against the page count."""
    pages: list[int] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"'{part}' is not a page number or a range like 2-5")
        start, end = int(first), int(last or first)
        if not 1 <= start <= end <= count:
            raise ValueError(f"pages {part} are not within 1–{count}")
        pages.extend(range(start, end + 1))
    return pages or list(range(1, count + 1))


def render_pages(
    print_pdf: bytes, pages: list[int], dpi: int, proof: bool, folds: list[tuple] | None = None
) -> list[bytes]:
    """PNG bytes of the chosen pages of a print file, with proof overlays if asked."""
    boxes = _boxes(print_pdf)
    doc = pdfium.PdfDocument(print_pdf)
    try:
        out = []
        for number in pages:
            page = doc[number - 1]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            if proof:
                page_folds = folds[number - 1] if folds and number - 1 < len(folds) else ()
                _overlay(image, boxes[number - 1], page.get_height(), dpi / 72, page_folds)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            out.append(buffer.getvalue())
        return out
    finally:
        doc.close()


def _boxes(data: bytes) -> list[tuple[list[float], list[float]]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            (
                [float(v) for v in page.obj.get("/TrimBox", page.mediabox)],
                [float(v) for v in page.obj.get("/BleedBox", page.mediabox)],
            )
            for page in pdf.pages
        ]


def _overlay(image: Image.Image, boxes, height: float, scale: float, folds: tuple) -> None:
    trim, bleed = boxes
    draw = ImageDraw.Draw(image)

    def rect(box, inset: float = 0.0):
        x0, y0, x1, y1 = box
        return (
            (x0 + inset) * scale,
            (height - y1 + inset) * scale,
            (x1 - inset) * scale,
            (height - y0 - inset) * scale,
        )

    draw.rectangle(rect(bleed), outline=BLEED, width=1)
    draw.rectangle(rect(trim), outline=TRIM, width=2)
    draw.rectangle(rect(trim, SAFE_MM * MM), outline=SAFE, width=1)
    for x in folds:
        px = (trim[0] + x) * scale
        for y in range(int(rect(trim)[1]), int(rect(trim)[3]), 12):
            draw.line((px, y, px, y + 6), fill=FOLD, width=1)
