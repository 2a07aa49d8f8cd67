"""Turn an imposition plan (`impose/plan.py`) into press sheets: the print PDF's pages on them.

Only this module touches a PDF for the imposition, with pikepdf: `impose_doc` (and
`impose_pdf`, which saves it), `center_on_sheet` and `spreads_pdf` place every reader
page as a Form XObject where its `Slot` says, with creep, rotation, marks and slug.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..prepress.files import registration, save
from ..prepress.marks import MARK_WEIGHT, MM, SHEET_SLUG_BAND
from .plan import Binding, Sheet, Side, Slot, plan_spreads

MARK_GAP = 2 * MM  # between a mark and the sheet edge, and the least between a mark and the trim
TOLERANCE = 0.01  # points by which a page's trim may differ from the planned trim


@dataclass(frozen=True)
class _Grid:
    """Where the cells of a sheet side lie, in points."""

    w: float
    h: float
    across: int
    down: int
    bleed: float
    slug: float

    @property
    def media(self) -> tuple[float, float, float, float]:
        s = self.slug
        return (0, 0, self.across * self.w + 2 * s, self.down * self.h + 2 * s)

    @property
    def trim(self) -> tuple[float, float, float, float]:
        s = self.slug
        return (s, s, s + self.across * self.w, s + self.down * self.h)

    def cell(self, slot: Slot) -> tuple[float, float]:
        return (self.slug + slot.x * self.w, self.slug + slot.y * self.h)

    def clip(self, slot: Slot) -> tuple[float, float, float, float]:
        """The cell, widened by the bleed only on the sheet's outer edges."""
        x0, y0 = self.cell(slot)
        x1, y1 = x0 + self.w, y0 + self.h
        b = self.bleed
        return (
            x0 - (b if slot.x <= 0 else 0),
            y0 - (b if slot.y <= 0 else 0),
            x1 + (b if slot.x + 1 >= self.across else 0),
            y1 + (b if slot.y + 1 >= self.down else 0),
        )

    def spine_side(self, slot: Slot) -> int:
        """+1 when the spine (the sheet's vertical middle) is to the right of the slot."""
        middle = slot.x + 0.5 - self.across / 2
        return 0 if abs(middle) < 1e-9 else (1 if middle < 0 else -1)


class _Forms:
    """Reader pages of the source as Form XObjects in the output, made once each."""

    def __init__(self, src: pikepdf.Pdf, out: pikepdf.Pdf, trim: tuple[float, float]):
        self.src, self.out, self.trim = src, out, trim
        # pikepdf counts and indexes pages by walking the page tree: once, not per page.
        self.pages = list(src.pages)
        self.made: dict[int, tuple[pikepdf.Object, tuple[float, float]]] = {}

    def get(self, number: int) -> tuple[pikepdf.Object, tuple[float, float]]:
        """The form and the lower-left trim corner of its page in the form's space."""
        if number not in self.made:
            self.made[number] = self._make(number)
        return self.made[number]

    def _make(self, number: int) -> tuple[pikepdf.Object, tuple[float, float]]:
        if not 1 <= number <= len(self.pages):
            raise ValueError(f"the plan places page {number}, the PDF has {len(self.pages)}")
        form, origin = page_form(self.pages[number - 1], number, self.trim)
        return self.out.copy_foreign(form), origin


def page_form(
    page: pikepdf.Page, number: int, trim: tuple[float, float]
) -> tuple[pikepdf.Object, tuple[float, float]]:
    """Page `number` as a Form XObject of its own PDF, bleed kept, and the lower-left
    corner of its trim in the form's space; refuses a page of another trim size."""
    form = page.as_form_xobject()
    form.BBox = Array(page.mediabox)  # as_form_xobject clips to the trim; keep the bleed
    x0, y0, x1, y1 = _transformed(form.Matrix, page.trimbox)
    if abs(x1 - x0 - trim[0]) > TOLERANCE or abs(y1 - y0 - trim[1]) > TOLERANCE:
        raise ValueError(
            f"page {number} is trimmed {x1 - x0:.2f} × {y1 - y0:.2f} pt,"
            f" the plan expects {trim[0]:.2f} × {trim[1]:.2f} pt"
        )
    return form, (x0, y0)


def _transformed(matrix: Iterable, box: Iterable) -> tuple[float, float, float, float]:
    m = pikepdf.Matrix(*(float(v) for v in matrix))
    x0, y0, x1, y1 = (float(v) for v in box)
    points = [m.transform((x, y)) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def impose_pdf(
    print_pdf: bytes,
    sheets: Sequence[Sheet],
    *,
    trim: tuple[float, float],
    bleed: float,
    slug: float,
) -> bytes:
    """`impose_doc`, saved."""
    return save(impose_doc(print_pdf, sheets, trim=trim, bleed=bleed, slug=slug), "1.6")


def impose_doc(
    print_pdf: bytes,
    sheets: Sequence[Sheet],
    *,
    trim: tuple[float, float],
    bleed: float,
    slug: float,
) -> pikepdf.Pdf:
    """Place the print file's pages on press sheets as the plan says, one PDF page per side.

    Each side is a page of the whole grid of trims plus `slug` all round (2-up:
    2 × trim width + 2 × slug by trim height + 2 × slug), with TrimBox around the trims
    and BleedBox `bleed` outside it. Pages are clipped to their cell, with bleed only on
    the sheet's outer edges (at the spine, pages meet with none), so the pages' own
    marks are cut away. Crop marks at the outer corners and a mark at every inner line
    (the fold, 2-up) run from the bleed (at least 2 mm from the trim) to 2 mm short of the
    sheet edge, in the Separation "All" colour; with `marks.sheet_of(layout).slug` that is
    the layout's own crop-mark length. No marks when the slug leaves no room for them.
    Page labels read "sheet n of m, front/back".
    """
    if slug < bleed:
        raise ValueError(f"the slug ({slug} pt) must be at least the bleed ({bleed} pt)")
    grid = grid_of(sheets, trim, bleed, slug)
    src = pikepdf.open(io.BytesIO(print_pdf))
    out = pikepdf.new()
    forms = _Forms(src, out, trim)
    separation = registration(out)
    marks = sheet_marks(grid)
    labels = []
    for sheet, side in sides(sheets):
        page = _side_page(out, forms, side, grid)
        if marks:
            page.contents_add(out.make_stream(marks))
            page.add_resource(separation, Name.ColorSpace, Name.CSReg)
        page.obj.TrimBox = _box(*grid.trim)
        page.obj.BleedBox = _box(*widen(grid.trim, bleed))
        face = "front" if side.front else "back"
        labels.append(f"sheet {sheet.number} of {len(sheets)}, {face}")
    page_labels(out, labels)
    _keep_document_keys(src, out)
    return out


def spreads_pdf(screen_pdf: bytes, *, binding: Binding = "left") -> bytes:
    """A proof of facing pages from the trimmed screen file: one PDF page per reader spread."""
    src = pikepdf.open(io.BytesIO(screen_pdf))
    x0, y0, x1, y1 = (float(v) for v in src.pages[0].trimbox)
    grid = _Grid(x1 - x0, y1 - y0, 2, 1, 0.0, 0.0)
    out = pikepdf.new()
    forms = _Forms(src, out, (grid.w, grid.h))
    for spread in plan_spreads(len(src.pages), binding=binding):
        slots = tuple(Slot(page, float(x), 0.0) for x, page in enumerate(spread))
        _side_page(out, forms, Side(slots, True), grid)
    _keep_document_keys(src, out)
    return save(out)


def grid_of(sheets: Sequence[Sheet], trim: tuple[float, float], bleed: float, slug: float) -> _Grid:
    slots = [slot for _, side in sides(sheets) for slot in side.slots]
    if not slots:
        raise ValueError("the plan has no sheets")
    across = max(round(slot.x) + 1 for slot in slots)
    down = max(round(slot.y) + 1 for slot in slots)
    return _Grid(float(trim[0]), float(trim[1]), across, down, float(bleed), float(slug))


def sides(sheets: Sequence[Sheet]) -> list[tuple[Sheet, Side]]:
    """Every printed side in press order: sheet 1 front, sheet 1 back, sheet 2 front, …"""
    return [(sh, side) for sh in sheets for side in (sh.front, sh.back) if side is not None]


def side_content(side: Side, grid: _Grid, forms: Callable[[int], tuple[Any, tuple[float, float]]]):
    """The content stream of a sheet side and its forms by resource name (`forms(page)` is a
    page's form and trim origin)."""
    ops, xobjects = [], {}
    for slot in side.slots:
        if slot.page is None:
            continue
        form, origin = forms(slot.page)
        name = f"/P{slot.page}"
        xobjects[name] = form
        ops.append(_placement(slot, origin, grid, name))
    return "\n".join(ops).encode() + b"\n", xobjects


def _side_page(out: pikepdf.Pdf, forms: _Forms, side: Side, grid: _Grid) -> pikepdf.Page:
    content, xobjects = side_content(side, grid, forms.get)
    page = pikepdf.Page(
        out.make_indirect(
            Dictionary(
                Type=Name.Page,
                MediaBox=_box(*grid.media),
                Resources=Dictionary(XObject=Dictionary(xobjects)),
                Contents=out.make_stream(content),
            )
        )
    )
    out.pages.append(page)  # the same indirect object: no lookup of the last page needed
    return page


def _placement(slot: Slot, origin: tuple[float, float], grid: _Grid, name: str) -> str:
    """Clip to the slot's cell, then map the page's trim onto it (turned, moved by creep)."""
    x0, y0, x1, y1 = grid.clip(slot)
    cx, cy = grid.cell(slot)
    cx += grid.spine_side(slot) * slot.creep
    tx, ty = origin
    if slot.rotation == 0:
        matrix = (1, 0, 0, 1, cx - tx, cy - ty)
    elif slot.rotation == 180:
        matrix = (-1, 0, 0, -1, cx + grid.w + tx, cy + grid.h + ty)
    else:
        raise ValueError(f"slots turn by 0 or 180 degrees, found {slot.rotation}")
    cm = " ".join(_num(v) for v in matrix)
    clip = f"{_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)} re W n"
    return f"q {clip} {cm} cm {name} Do Q"


def sheet_marks(grid: _Grid) -> bytes:
    """Marks in line with every cell edge, from just outside the bleed to near the sheet edge.

    Those of the bottom edge stop above the band of the sheet's slug line, which runs
    along it and would be crossed by every one (but never get shorter than 2 mm)."""
    start = max(grid.bleed, MARK_GAP)
    length = grid.slug - start - MARK_GAP
    if length <= 0:
        return b""
    bottom = max(min(length, grid.slug - start - SHEET_SLUG_BAND), min(length, 2 * MM))
    x0, y0, x1, y1 = grid.trim
    xs = [x0 + i * grid.w for i in range(grid.across + 1)]
    ys = [y0 + j * grid.h for j in range(grid.down + 1)]
    ops = [f"q /CSReg CS 1 SCN {MARK_WEIGHT} w 0 J"]
    for x in xs:
        ops.append(_line(x, y0 - start, x, y0 - start - bottom))
        ops.append(_line(x, y1 + start, x, y1 + start + length))
    for y in ys:
        ops.append(_line(x0 - start, y, x0 - start - length, y))
        ops.append(_line(x1 + start, y, x1 + start + length, y))
    ops.append("Q")
    return "\n".join(ops).encode() + b"\n"


def _line(xa: float, ya: float, xb: float, yb: float) -> str:
    return f"{_num(xa)} {_num(ya)} m {_num(xb)} {_num(yb)} l S"


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _box(x0: float, y0: float, x1: float, y1: float) -> Array:
    return Array([round(v, 4) for v in (x0, y0, x1, y1)])


def widen(box: tuple[float, float, float, float], by: float) -> tuple[float, ...]:
    x0, y0, x1, y1 = box
    return (x0 - by, y0 - by, x1 + by, y1 + by)


def page_labels(out: pikepdf.Pdf, labels: list[str]) -> None:
    out.Root.PageLabels = label_tree(labels)


def label_tree(labels: list[str]) -> Dictionary:
    """The PageLabels number tree that names each page by its label."""
    nums = Array()
    for index, label in enumerate(labels):
        nums.extend([index, Dictionary(P=pikepdf.String(label))])
    return Dictionary(Nums=nums)


def _keep_document_keys(src: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """Carry over what describes the document as a whole: language, output intent, info, XMP."""
    for key in (Name.Lang, Name.OutputIntents, Name.Metadata):
        if key in src.Root:
            out.Root[key] = out.copy_foreign(src.make_indirect(src.Root[key]))
    if Name.Info in src.trailer:
        out.trailer.Info = out.copy_foreign(src.make_indirect(src.trailer.Info))


def center_on_sheet(pdf: pikepdf.Pdf, size: tuple[float, float]) -> None:
    """Widen every sheet side's MediaBox evenly to `size` (e.g. 2 × A5 = 296 mm onto A4's 297)."""
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
        dx, dy = (size[0] - (x1 - x0)) / 2, (size[1] - (y1 - y0)) / 2
        page.obj.MediaBox = _box(x0 - dx, y0 - dy, x1 + dx, y1 + dy)
