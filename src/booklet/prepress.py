"""Turn a trim-size PDF into the print file (real bleed, boxes, crop marks) and the screen file."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from .model import Layout

MARK_WEIGHT = 0.25


def slug(layout: Layout) -> float:
    """The distance from the trim edge to the edge of the print sheet."""
    if layout.marks.crop:
        return max(layout.bleed, layout.marks.offset + layout.marks.length) + 2.0
    return layout.bleed


def print_file(trim_pdf: bytes, layout: Layout) -> bytes:
    """Widen every page by bleed and slug, set TrimBox/BleedBox, draw crop marks."""
    pdf = pikepdf.open(io.BytesIO(trim_pdf))
    w, h = layout.trim.width, layout.trim.height
    s, b = slug(layout), layout.bleed
    registration = _registration(pdf)
    for page in pdf.pages:
        # Shift the artwork, including what was drawn past the trim, into the wider sheet.
        page.contents_add(pdf.make_stream(f"q 1 0 0 1 {s:.4f} {s:.4f} cm\n".encode()), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n" + _crop_marks(layout, s)))
        if layout.marks.crop:
            page.add_resource(registration, Name.ColorSpace, Name.CSReg, replace_existing=True)
        page.obj.MediaBox = _box(0, 0, w + 2 * s, h + 2 * s)
        page.obj.TrimBox = _box(s, s, s + w, s + h)
        page.obj.BleedBox = _box(s - b, s - b, s + w + b, s + h + b)
        if Name.Annots in page.obj:
            del page.obj.Annots  # links belong to the screen file, not the press
    return _save(pdf)


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The Separation "All" colour space: marks in it print on every plate."""
    tint = Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))


def _box(x0: float, y0: float, x1: float, y1: float) -> Array:
    return Array([round(v, 4) for v in (x0, y0, x1, y1)])


def _crop_marks(layout: Layout, s: float) -> bytes:
    if not layout.marks.crop:
        return b""
    w, h = layout.trim.width, layout.trim.height
    off, length = max(layout.marks.offset, layout.bleed), layout.marks.length
    ops = [f"q /CSReg CS 1 SCN {MARK_WEIGHT} w 0 J"]
    for x in (s, s + w):
        for y, sign in ((s, -1), (s + h, 1)):
            # vertical mark beyond the top/bottom edge, horizontal beyond the side
            ops.append(
                f"{x:.4f} {y + sign * off:.4f} m {x:.4f} {y + sign * (off + length):.4f} l S"
            )
            side = -1 if x == s else 1
            ops.append(
                f"{x + side * off:.4f} {y:.4f} m {x + side * (off + length):.4f} {y:.4f} l S"
            )
    ops.append("Q")
    return "\n".join(ops).encode() + b"\n"


def screen_file(trim_pdf: bytes) -> bytes:
    """The screen file is the trimmed typeset PDF, with links and outline kept."""
    pdf = pikepdf.open(io.BytesIO(trim_pdf))
    return _save(pdf)


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()
