"""The bleed check renders images as one grey pixel: the same findings as decoding them."""

from __future__ import annotations

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from booklet.preflight import rendering
from booklet.preflight.checks import preflight

from .conftest import MM
from .test_preflight import BLEED, H, W, _noto, make


def _photo(mode: str = "CMYK", white_edge: bool = False) -> ImageReader:
    """A 'photo': a gradient with no paper-white pixel (or a white frame, `white_edge`)."""
    image = Image.new(mode, (120, 160))
    ink = (40, 80, 20, 10, 255)[: len(mode)]
    white = (0, 0, 0, 0) if mode == "CMYK" else (255,) * len(mode)
    image.putdata(
        [
            white if white_edge and x < 3 else tuple((c + x + y) % 200 + 20 for c in ink)
            for y in range(160)
            for x in range(120)
        ]
    )
    return ImageReader(image)


def _placed(x0: float, y0: float, x1: float, y1: float, **photo) -> callable:
    def draw(canvas: Canvas) -> None:
        canvas.drawImage(_photo(**photo), x0, y0, x1 - x0, y1 - y0, mask="auto")

    return draw


def _both(data: bytes, monkeypatch, booklet: bool = False) -> tuple[list, list]:
    """The findings with images rendered as they are (before) and as grey (now)."""
    new = [d.format() for d in preflight(data, "t.pdf", booklet=booklet)]
    with monkeypatch.context() as patch:
        patch.setattr(rendering, "_images_as_ink", lambda page: None)
        old = [d.format() for d in preflight(data, "t.pdf", booklet=booklet)]
    return old, new


def _text_near_edge(draw):
    def both(canvas: Canvas) -> None:
        draw(canvas)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.setFont(_noto(), 10)
        canvas.drawString(1 * MM, H / 2, "Edge")

    return both


def _clipped(canvas: Canvas) -> None:
    """A full-bleed photo clipped to the trim on its left: it stops short there."""
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(0, -BLEED, W + BLEED, H + 2 * BLEED)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.drawImage(_photo(), -BLEED, -BLEED, W + 2 * BLEED, H + 2 * BLEED)
    canvas.restoreState()


CASES = {
    "full bleed": (_placed(-BLEED, -BLEED, W + BLEED, H + BLEED), 0),
    "short of the bleed": (_placed(0, -BLEED, W + BLEED, H + BLEED), 1),
    "to the trim": (_placed(0, 0, W, H), 4),
    "inside the safe zone": (_placed(1 * MM, 1 * MM, W - 1 * MM, H - 1 * MM), 0),
    "text over it near the edge": (_text_near_edge(_placed(0, -BLEED, W + BLEED, H)), 3),
    "clipped short": (_clipped, 1),
    "RGB, half the page": (_placed(-BLEED, 20 * MM, W / 2, 40 * MM, mode="RGBA"), 0),
}


@pytest.mark.parametrize("name", CASES)
def test_crafted_images_give_the_same_findings(name, monkeypatch):
    draw, expected = CASES[name]
    old, new = _both(make(draw, pages=2), monkeypatch)
    assert new == old
    assert sum(" bleed" in f or "safe-zone" in f for f in new) == 2 * expected


def test_masked_images_keep_their_pixels(monkeypatch):
    """A soft-masked image is rendered as it is: its mask cuts its shape."""
    data = make(_placed(0, -BLEED, W + BLEED, H + BLEED, mode="RGBA"))
    assert b"/SMask" in data
    old, new = _both(data, monkeypatch)
    assert new == old
    swapped = []
    monkeypatch.setattr(rendering, "_images_as_ink", swapped.append)
    preflight(data, "t.pdf")
    assert swapped == []
    preflight(make(_placed(0, -BLEED, W + BLEED, H + BLEED)), "t.pdf")
    assert len(swapped) == 1


def test_a_white_edged_photo_now_counts_as_inked(monkeypatch):
    """The one difference: a photo's own paper-white pixels at the trim count as ink, so a
    white-framed photo stopping at the trim is now reported (before, its frame hid it)."""
    old, new = _both(make(_placed(0, -BLEED, W + BLEED, H + BLEED, white_edge=True)), monkeypatch)
    assert not any(" bleed" in f for f in old)
    assert sum(" bleed" in f for f in new) == 1


@pytest.mark.parametrize("name", ["a5-booklet.en.pdf", "dl-trifold.en.pdf"])
def test_the_samples_print_files_give_the_same_findings(name, sample_out, monkeypatch):
    data = (sample_out / name).read_bytes()
    swapped = []
    real = rendering._images_as_ink
    monkeypatch.setattr(rendering, "_images_as_ink", lambda page: swapped.append(real(page)))
    new = [d.format() for d in preflight(data, name, booklet="booklet" in name)]
    monkeypatch.undo()
    old, _ = _both(data, monkeypatch, booklet="booklet" in name)
    assert new == old
    assert swapped  # pages with photos were rendered with grey pixels


def test_the_grey_is_ink():
    assert rendering._inked(bytes([rendering.PHOTO_INK] * 3)) == 1
