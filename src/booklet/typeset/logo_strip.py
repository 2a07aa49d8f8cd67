"""Turn organizations' logos into a strip: organizers, then sponsors by tier, under labels."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..compose import document as d
from ..language.text import upper
from .styles import MM

LOGO_GAP = 5 * MM  # between two logos of a group
GROUP_GAP = 9 * MM  # between two groups of a row
ROW_GAP = 5 * MM
PADDING = 6 * MM  # above and below the strip's rows
WIDEST = 3.2  # a logo is at most this many times as wide as the strip is high
NAME_WIDTH = 38 * MM  # an organization without a logo: its name, wrapped at this width


@dataclass
class Unit:
    """One group of the strip: its label, and each logo's width at the strip's height."""

    label: str
    logos: tuple[d.Logo, ...]
    widths: list[float]
    label_width: float

    @property
    def width(self) -> float:
        logos = sum(self.widths) + LOGO_GAP * (len(self.widths) - 1)
        return max(logos, self.label_width)


class LogoStrip:
    """Lays out and paints a strip of logos in a width, for an `Art` (its styles, placer)."""

    def __init__(self, art, groups: d.LogoGroups, width: float, height: float):
        self.art, self.height, self.width = art, height, width
        self.units = [self.unit(label, logos) for label, logos in groups if logos]
        self.rows = self.rows_of(self.units)
        self.label_height = art.styles["kicker"].leading + 1.5 * MM

    def unit(self, label: str, logos: tuple[d.Logo, ...]) -> Unit:
        style = self.art.styles["kicker"]
        spec = self.art.styles.spec("kicker")
        shown = upper(label, self.art.styles.lang) if spec.upper else label
        label_width = stringWidth(shown, style.fontName, style.fontSize) + spec.tracking * len(
            shown
        )
        return Unit(label, logos, [self.logo_width(logo) for logo in logos], label_width)

    def logo_width(self, logo: d.Logo) -> float:
        if logo.picture is None:
            return NAME_WIDTH
        picture = logo.picture.picture
        return min(self.height * picture.width / picture.height, self.height * WIDEST)

    def rows_of(self, units: list[Unit]) -> list[list[Unit]]:
        rows: list[list[Unit]] = [[]]
        used = 0.0
        for unit in units:
            if rows[-1] and used + GROUP_GAP + unit.width > self.width:
                rows.append([])
                used = 0.0
            used += (GROUP_GAP if rows[-1] else 0) + unit.width
            rows[-1].append(unit)
        return [row for row in rows if row]

    @property
    def total_height(self) -> float:
        rows = len(self.rows)
        return 2 * PADDING + rows * (self.label_height + self.height) + (rows - 1) * ROW_GAP

    def paint(self, canv, x: float, top: float) -> None:
        """Each row from `top` down: labels, then the logos under them."""
        y = top - PADDING
        rtl = self.art.styles.rtl  # right to left: groups and logos from the right edge
        for row in self.rows:
            left = x
            for unit in row:
                at = x + self.width - (left - x) - unit.width if rtl else left
                self.paint_unit(canv, unit, at, y, rtl)
                left += unit.width + GROUP_GAP
            y -= self.label_height + self.height + ROW_GAP

    def paint_unit(self, canv, unit: Unit, x: float, top: float, rtl: bool = False) -> None:
        self.art.place(canv, self.art.styles.label(unit.label, "kicker"), x, top, unit.width + 1)
        y = top - self.label_height - self.height
        pairs = list(zip(unit.logos, unit.widths, strict=True))
        if rtl:
            x += unit.width - sum(unit.widths) - LOGO_GAP * (len(pairs) - 1)
            pairs.reverse()
        for logo, width in pairs:
            if logo.picture is None:
                name = self.art.styles.para(logo.name, "item-meta")
                _, h = name.wrapOn(canv, width, self.height)
                name.drawOn(canv, x, y + (self.height - h) / 2)
            else:
                self.art.placer.draw(canv, logo.picture, (x, y, width, self.height), "fit", "logo")
            x += width + LOGO_GAP


def paint_logo_row(
    art,
    canv,
    logos: tuple[d.Logo, ...],
    x: float,
    y: float,
    height: float,
    width: float,
    rtl: bool = False,
) -> float:
    """A card's row of logos from (x, y) rightwards (right to left: from x + `width`
    leftwards, the first at the right), as many as fit in `width`; its top."""
    edge = x + width if rtl else x
    for logo in logos:
        if logo.picture is None:
            continue
        picture = logo.picture.picture
        w = min(height * picture.width / picture.height, height * WIDEST)
        if w > width:
            break
        left = edge - w if rtl else edge
        art.placer.draw(canv, logo.picture, (left, y, w, height), "fit", "logo")
        edge = left - 4 * MM if rtl else edge + w + 4 * MM
        width -= w + 4 * MM
    return y + height


SMALLEST_LOGO = 5 * MM  # a group too wide for a narrow panel sets its logos no lower


def fitted_strip(art, groups: d.LogoGroups, width: float, height: float) -> LogoStrip:
    """The strip at `height`, or lower if a group's logos side by side are wider than
    `width` (a folded product's panel): every group then fits on its line."""
    strip = LogoStrip(art, groups, width, height)
    over = [u for u in strip.units if u.width > width and any(logo.picture for logo in u.logos)]
    if not over:
        return strip
    factor = min((width - LOGO_GAP * (len(u.widths) - 1)) / sum(u.widths) for u in over)
    return LogoStrip(art, groups, width, max(height * factor, SMALLEST_LOGO))


class StripFlowable(Flowable):
    """A logo strip in the flow of a page or panel: the credits of a folded product's back
    panel or of a program sheet, organizers first, then partners and sponsors by tier."""

    def __init__(self, art, groups: d.LogoGroups, height: float):
        super().__init__()
        self.art, self.groups, self.logo_height = art, groups, height
        self.styles = art.styles  # as made: a fitting try's scale, kept when the try ends
        self.strip: LogoStrip | None = None
        self.spaceBefore, self.spaceAfter = 7 * MM, 6 * MM  # none at the top of a frame

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        with self.own_styles():
            self.strip = fitted_strip(self.art, self.groups, available_width, self.logo_height)
        self.width, self.height = available_width, self.strip.total_height - 2 * PADDING
        return self.width, self.height

    def draw(self) -> None:
        assert self.strip is not None
        with self.own_styles():
            self.strip.paint(self.canv, 0, self.height + PADDING)

    @contextmanager
    def own_styles(self):
        was, self.art.styles = self.art.styles, self.styles
        try:
            yield
        finally:
            self.art.styles = was
