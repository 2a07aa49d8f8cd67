"""Turn lines of text into how far their letters reach above and below the baseline.

Two lines in different scripts (an Arabic title over its English translation) are
set with leading meant for one: Arabic descenders reach far below a Latin line's.
The room between them comes from the glyphs each face really draws for the text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer

CLEARANCE = 0.12  # of the smaller size: the least white between descenders and ascenders


@cache
def _font(path: Path):
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    return font, font.getBestCmap(), font["head"].unitsPerEm


@cache
def _bounds(path: Path, code: int) -> tuple[int, int] | None:
    """A character's glyph's lowest and highest point in font units (None: not in the
    face, or a glyph that draws nothing)."""
    font, cmap, _ = _font(path)
    table = font.get("glyf")
    if table is None or code not in cmap:
        return None
    glyph = table[cmap[code]]
    if not glyph.numberOfContours:
        return None
    glyph.recalcBounds(table)
    return glyph.yMin, glyph.yMax


def extent(text: str, faces: list, size: float) -> tuple[float, float]:
    """How far the letters of `text` reach above and below the baseline (points), each
    letter measured in the first of `faces` (Face objects) that has it."""
    top = bottom = 0.0
    for char in set(text):
        for face in faces:
            bounds = _bounds(face.path, ord(char))
            if bounds is not None:
                em = _font(face.path)[2]
                low, high = bounds
                top, bottom = max(top, high * size / em), min(bottom, low * size / em)
                break
    return top, -bottom


def clearance(
    above: ParagraphStyle, reach_down: float, below: ParagraphStyle, reach_up: float
) -> Spacer | None:
    """The space to add between a paragraph's last line and the next one's first so that
    the deepest letter above clears the tallest below (ReportLab sets a paragraph's first
    baseline one type size under its top)."""
    baselines = above.leading - above.fontSize + above.spaceAfter + below.spaceBefore
    baselines += below.fontSize
    wanted = CLEARANCE * min(above.fontSize, below.fontSize)
    missing = wanted - (baselines - reach_down - reach_up)
    return Spacer(1, missing) if missing > 0.01 else None
