"""Turn a checked SVG logo into vector drawing operators on the page, its colours in press CMYK.

The file was checked by `read/vectors.py` (no DTD, entity, script, text or reference outside
it); svglib reads it from memory, so not even a relative path can be followed, and every
colour it parses goes through `typeset.colour.as_cmyk`: the print file gets no RGB.
"""

from __future__ import annotations

import functools
import io
import logging

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import CMYKColor

from ..read.pictures import Picture, checked_bytes
from . import vector_cache
from .colour import as_cmyk

# svglib reports what it cannot draw through logging; the file was checked before, and a
# build prints diagnostics, not log lines.
logging.getLogger("svglib.svglib").setLevel(logging.CRITICAL)


@functools.lru_cache(maxsize=64)
def _drawing(path: str, digest: str, picture: Picture) -> Drawing | None:
    data = checked_bytes(picture)  # the file as it was checked, every time
    kept = vector_cache.load(path, digest)
    if kept is not None:
        return kept
    from svglib.svglib import svg2rlg

    made = svg2rlg(io.BytesIO(data), resolve_entities=False, color_converter=as_cmyk)
    if made is not None:
        vector_cache.store(path, digest, made)
    return made


def drawing(picture: Picture) -> Drawing | None:
    """The SVG's drawing, made once a process (its file read again and compared), and
    kept between runs (`vector_cache`)."""
    return _drawing(picture.path, picture.digest, picture)


def draw_svg(canv, picture: Picture, x: float, y: float, width: float, height: float) -> bool:
    """Draw the SVG scaled into the rectangle; False when svglib could make nothing of it."""
    shapes = drawing(picture)
    if shapes is None or not shapes.width or not shapes.height:
        return False
    # The renderer starts from ReportLab's defaults (RGB black, Helvetica) unless the drawing
    # names its own: ours are CMYK black and the font the page already uses.
    black = CMYKColor(0, 0, 0, 1)
    shapes.__dict__.update(
        initialFillColor=black,
        initialStrokeColor=black,
        initialFontName=canv._fontname,
        initialFontSize=canv._fontsize,
    )
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width / shapes.width, height / shapes.height)
    renderPDF.draw(shapes, canv, 0, 0)
    canv.restoreState()
    return True
