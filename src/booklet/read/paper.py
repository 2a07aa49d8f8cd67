"""Turn a layout's trim and imposition into the office sheet its printer spreads fill."""

from __future__ import annotations

from ..errors import Diagnostics, Location
from .layout import Layout

MM = 72 / 25.4

# Standard sheets an office printer takes, landscape (width, height) in points.
PAPER = {
    "A3": (1190.55, 841.89),
    "A4": (841.89, 595.28),
    "A5": (595.28, 419.53),
    "Letter": (792.0, 612.0),
    "Tabloid": (1224.0, 792.0),
}


def fit_sheet(
    width: float, height: float, slack: float = 3 * MM
) -> tuple[str, float, float] | None:
    """The smallest standard sheet that holds `width` × `height` with at most `slack` to spare."""
    for name, (long, short) in sorted(PAPER.items(), key=lambda item: item[1][0]):
        for w, h in ((long, short), (short, long)):  # landscape, then portrait
            # the sizes above are rounded to 0.01 pt: two A4 pages are 0.001 pt over A3
            if -0.01 <= w - width <= slack and -0.01 <= h - height <= slack:
                return name, w, h
    return None


def office_side(layout: Layout) -> tuple[float, float]:
    """What one side of an office print holds: two booklet pages side by side, or the
    cards across × down, trimmed."""
    how, trim = layout.imposition, layout.trim
    if layout.kind == "card":
        return how.across * trim.width, how.down * trim.height
    return 2 * trim.width, trim.height


def office_paper(layout: Layout) -> tuple[float, float] | None:
    """The standard sheet an office printer takes for the trimmed pages of one side (two
    booklet pages, or the cards across × down), if one fits them; else None."""
    paper = fit_sheet(*office_side(layout))
    return paper[1:] if paper else None


def check_office_sheet(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """An office imposition (`sheet: fit`) whose sides fit no standard sheet is printed on
    a sheet of their own size, which no office printer takes: say so, where the trim is."""
    if layout.kind not in ("booklet", "card") or layout.imposition.sheet != "fit":
        return
    if office_paper(layout) is not None:
        return
    width, height = office_side(layout)
    trim = f"{_mm(layout.trim.width)} × {_mm(layout.trim.height)} mm"
    how = layout.imposition
    what = (
        f"two {trim} pages"
        if layout.kind == "booklet"
        else (f"{how.across} × {how.down} cards of {trim}")
    )
    diags.warn(
        "office-sheet",
        where,
        "imposition.sheet",
        f"{what} make a {_mm(width)} × {_mm(height)} mm office sheet (`sheet: fit`), "
        "which is not a paper size office printers take (A4, A3, Letter)",
        "for a print shop write `imposition: {sheet: press}` (trim, bleed and marks on a "
        "larger sheet); for an office printer choose a trim that fills one: "
        + (
            "148 × 210 mm (A5 pages on A4), 210 × 297 mm (A4 on A3), 5.5 × 8.5 in (on Letter)"
            if layout.kind == "booklet"
            else "with `across` and `down`, e.g. 2 × 2 cards of 105 × 148 mm on A4"
        ),
    )


def _mm(points: float) -> str:
    return f"{round(points / MM, 1):g}"
