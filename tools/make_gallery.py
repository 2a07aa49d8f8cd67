"""Render the first pages of every sample layout into docs/images/ for the gallery page.

Run after `booklet build`: .venv/bin/python tools/make_gallery.py
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "output" / "commemoration"
PICKS = {
    "a5-booklet": ("az", [0, 1, 5]),
    "dl-trifold": ("en", [0, 1]),
    "a5-bifold": ("tr", [0, 1]),
    "a4-program": ("az", [0]),
    "a6-invitation": ("tr", [0, 1]),
}
HEIGHT, GAP, BACKGROUND = 420, 24, (236, 236, 233)


def sheet(layout: str, lang: str, pages: list[int]) -> Image.Image:
    doc = pdfium.PdfDocument(OUT / f"{layout}.{lang}.screen.pdf")
    images = [
        doc[i].render(scale=HEIGHT / doc[i].get_height()).to_pil().convert("RGB") for i in pages
    ]
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    canvas = Image.new("RGB", (width, HEIGHT + 2 * GAP), BACKGROUND)
    x = GAP
    for image in images:
        canvas.paste(image, (x, GAP))
        x += image.width + GAP
    return canvas


def main() -> None:
    for layout, (lang, pages) in PICKS.items():
        target = ROOT / "docs" / "images" / f"gallery-{layout}.png"
        sheet(layout, lang, pages).save(target, optimize=True)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
