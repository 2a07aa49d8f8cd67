"""Render chosen pages of the bundled events' documents into docs/images/ for the gallery page.

Run after building, e.g. for the conference only:
    booklet build content/conference --layout a5-booklet --layout a4-program
    .venv/bin/python tools/make_gallery.py conference
Without names, every event's sheets are made; `--out DIR` reads the builds from DIR
instead of output/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
# event → image name → (layout, language, pages counted from 0; -1 is the last)
PICKS: dict[str, dict[str, tuple[str, str, list[int]]]] = {
    "commemoration": {
        "gallery-a5-booklet": ("a5-booklet", "az", [0, 1, 5]),
        "gallery-dl-trifold": ("dl-trifold", "en", [0, 1]),
        "gallery-a5-bifold": ("a5-bifold", "tr", [0, 1]),
        "gallery-a4-program": ("a4-program", "az", [0]),
        "gallery-a6-invitation": ("a6-invitation", "tr", [0, 1]),
    },
    "conference": {
        "gallery-conference-a5-booklet-tr": ("a5-booklet", "tr", [0, 1, 2, 3]),
        "gallery-conference-a5-booklet-ru": ("a5-booklet", "ru", [4, 7, 9, -1]),
        "gallery-conference-a5-booklet-en": ("a5-booklet", "en", [0, 2, 7, 8]),
        "gallery-conference-a4-program-tr": ("a4-program", "tr", [0, 1, 2, 3]),
        "gallery-conference-a4-program-ru": ("a4-program", "ru", [0, 2]),
        "gallery-conference-a4-program-en": ("a4-program", "en", [0, 2]),
        "gallery-conference-a4-trifold-ru": ("a4-trifold", "ru", [0, 1]),
    },
}
# event → image name → (layout, language, page, a text on the first line): a close-up of
# the page from that line to its last line of text, at DETAIL pixels per point
DETAILS: dict[str, dict[str, tuple[str, str, int, str]]] = {
    "conference": {"gallery-conference-a4-rooms-en": ("a4-program", "en", 0, "Hall A")},
}
HEIGHT, GAP, BACKGROUND, DETAIL = 420, 24, (236, 236, 233), 2.0


def sheet(pdf: Path, pages: list[int]) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    chosen = [doc[i % len(doc)] for i in pages]  # -1 is the last page
    images = [
        page.render(scale=HEIGHT / page.get_height()).to_pil().convert("RGB") for page in chosen
    ]
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    canvas = Image.new("RGB", (width, HEIGHT + 2 * GAP), BACKGROUND)
    x = GAP
    for image in images:
        canvas.paste(image, (x, GAP))
        x += image.width + GAP
    return canvas


def detail(pdf: Path, index: int, anchor: str) -> Image.Image:
    page = pdfium.PdfDocument(pdf)[index]
    text = page.get_textpage()
    found = text.search(anchor, match_case=False).get_next()
    if found is None:
        raise SystemExit(f"{pdf.name} page {index + 1}: no '{anchor}'")
    top = text.get_charbox(found[0])[3] + 6
    boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    below = [b for b in boxes if b[3] <= top and b[2] > b[0]]
    left, right = min(b[0] for b in below) - 12, max(b[2] for b in below) + 12
    bottom = min(b[1] for b in below) - 16
    height = page.get_height()
    crop = (left, bottom, page.get_width() - right, height - top)  # left, bottom, right, top
    return page.render(scale=DETAIL, crop=crop).to_pil().convert("RGB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="*", help=f"any of {', '.join(PICKS)}; default: all")
    parser.add_argument("--out", type=Path, default=ROOT / "output", help="the builds' folder")
    args = parser.parse_args()
    if unknown := set(args.events) - set(PICKS):
        parser.error(f"no pictures chosen for {', '.join(sorted(unknown))}")
    for event in args.events or list(PICKS):
        for name, (layout, lang, pages) in PICKS[event].items():
            pdf = args.out / event / f"{layout}.{lang}.screen.pdf"
            target = ROOT / "docs" / "images" / f"{name}.png"
            sheet(pdf, pages).save(target, optimize=True)
            print(f"wrote {target.relative_to(ROOT)}")
        for name, (layout, lang, index, anchor) in DETAILS.get(event, {}).items():
            pdf = args.out / event / f"{layout}.{lang}.screen.pdf"
            target = ROOT / "docs" / "images" / f"{name}.png"
            detail(pdf, index, anchor).save(target, optimize=True)
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
