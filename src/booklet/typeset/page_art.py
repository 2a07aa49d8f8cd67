"""Turn covers, panels, cards and notes pages into page art painted at fixed positions."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle

from ..compose import document as d
from ..errors import Diagnostics, Location
from .flowables import QrCode
from .logo_strip import LogoStrip, paint_logo_row
from .styles import MM, Palette, Styles
from .tagging import leaf

SHARED_ROLES = {"band": "H1", "logos": "Figure"}  # a card's shared parts in the structure

COVER_PHOTO = 0.36  # a folded product's cover photo takes this share of the panel's top


@dataclass(frozen=True)
class Area:
    """A painted area: its size, inner margins, and the edges whose art runs into the bleed."""

    width: float
    height: float
    left: float
    bottom: float
    right: float
    top: float
    bleed: tuple[float, float, float, float]  # left, bottom, right, top

    @property
    def measure(self) -> float:
        return self.width - self.left - self.right


class Art:
    """Paints the fixed-position parts of a document: covers, panels, cards, notes."""

    def __init__(
        self,
        styles: Styles,
        palette: Palette,
        diags: Diagnostics,
        name: str = "",
        places: Mapping[str, Location] | None = None,
    ):
        self.styles, self.palette, self.diags = styles, palette, diags
        self.name = name  # the document being set ("a5-booklet.en"): messages say which
        self.places = places or {}  # where the fields it prints were written
        self.forms: dict[Hashable, tuple[str | None, float]] = {}
        self.made = 0  # forms made so far: their names
        self.placer = None  # draws pictures (`typeset.pictures.Placer`), set by the typesetter
        self.logo_height = 9 * MM

    def shared(
        self, canv, area: Area, key: Hashable, paint: Callable[[], float], box=None
    ) -> float:
        """Paint a part every card repeats; from its second use it is one form XObject.

        `paint` draws in page coordinates and returns a y; the key is all it depends on.
        A thousand cards then carry their title and text once, not a thousand times."""
        name, value = self.forms.get(key, (None, 0.0))
        if key not in self.forms:
            value = paint()  # first use: it may be the only one (a one-off part)
            self.forms[key] = (None, value)
            return value
        if name is None:
            self.made += 1
            name = f"BookletPart{self.made}"
            left, bottom, right, top = area.bleed
            canv.beginForm(
                name, -left - 1, -bottom - 1, area.width + right + 1, area.height + top + 1
            )
            value = paint()
            canv.endForm()
            self.forms[key] = (name, value)
        # A form starts from ReportLab's defaults (no overprint) and writes no `gs` for a
        # fill that keeps them: it is drawn where the page has no overprint set either.
        # In the screen file's structure the form is one leaf: the card's title, its text.
        part = str(key[0]) if isinstance(key, tuple) else "part"
        with leaf(canv, SHARED_ROLES.get(part, "P"), part, _shared_alt(key), box):
            canv.saveState()
            canv._setFillOverprint(False)
            canv._setOverprintMask(False)
            canv.doForm(name)
            canv.restoreState()
        return value

    def fill(self, canv, area: Area, color: str) -> None:
        """Fill the area and run the colour into the bleed on the edges that have one."""
        left, bottom, right, top = area.bleed
        canv.setFillColor(self.palette[color])
        canv.rect(
            -left, -bottom, area.width + left + right, area.height + bottom + top, stroke=0, fill=1
        )

    def place(self, canv, flowable, x: float, top: float, width: float) -> float:
        """Draw a flowable with its top at `top`; return the y of its bottom."""
        _, h = flowable.wrapOn(canv, width, 10_000)
        flowable.drawOn(canv, x, top - h)
        return top - h

    def accent_rule(self, canv, x: float, y: float, area: Area | None = None) -> None:
        """A short accent rule at the line's start: the left, or the right in right-to-left."""
        if self.styles.rtl and area is not None:
            x = area.width - area.right - 12 * MM
        canv.setStrokeColor(self.palette["accent"])
        canv.setLineWidth(1.2)
        canv.line(x, y, x + 12 * MM, y)

    def cover(self, canv, area: Area, c: d.Cover) -> None:
        s = self.styles
        x, width = area.left, area.measure
        canv.saveState()
        self.fill(canv, area, "night")
        title_top, credit = area.height * 0.58, None
        if c.photo is not None and self.placer is not None:
            under, credit = self.cover_photo(canv, area, c.photo)
            if c.kicker:  # under the photo, where the title follows it
                under = self.place(canv, s.label(c.kicker, "cover-kicker"), x, under, width)
            title_top = min(title_top, under - 5 * MM)
        else:
            self.cover_kicker(canv, area, c.kicker)
        bottom = self.place(canv, s.para(c.title, "cover-title"), x, title_top, width)
        if c.subtitle:
            bottom = self.place(
                canv, s.para(c.subtitle, "cover-subtitle"), x, bottom - 5 * MM, width
            )
        self.check_fits(
            bottom, area.bottom + 40 * MM, "event.title", "the cover title and subtitle"
        )
        self.accent_rule(canv, x, bottom - 8 * MM, area)
        y = area.bottom + 28 * MM
        for line in (c.when, c.where):
            if line:
                y = self.place(canv, s.para(line, "cover-meta"), x, y, width) - 1
        if c.organizers:
            orgs = s.para(" · ".join(c.organizers), "cover-meta")
            orgs.style = ParagraphStyle(
                "orgs", parent=orgs.style, textColor=self.palette["pale"], fontSize=6.8, leading=9.5
            )
            _, height = orgs.wrapOn(canv, width, 10_000)
            # set from the bottom margin up, so a long list can never run off the trim
            top = self.place(canv, orgs, x, area.bottom + height, width) + height
            self.check_fits(y - 2 * MM, top, "event.organizers", "the organizers on the cover")
        if credit is not None:  # painted last: read after the title, where it is printed
            self.place(canv, credit[0], area.left, credit[1], area.measure)
        canv.restoreState()

    def cover_kicker(self, canv, area: Area, kicker: str) -> None:
        """The accent bar down from the top margin, the kicker (city · country) beside it."""
        x, width = area.left, area.measure
        canv.setFillColor(self.palette["accent"])
        bar_x = area.width - area.right - 1.6 * MM if self.styles.rtl else x
        canv.rect(bar_x, area.height - area.top - 24 * MM, 1.6 * MM, 24 * MM, stroke=0, fill=1)
        if kicker:
            indent = 0 if self.styles.rtl else 5 * MM
            label = self.styles.label(kicker, "cover-kicker")
            self.place(canv, label, x + indent, area.height - area.top, width - 5 * MM)

    def cover_photo(self, canv, area: Area, shown: d.Illustration) -> tuple[float, tuple | None]:
        """The cover photo across the panel's top, into the bleed (and past a fold as the
        dark art runs), cropped about its focus. The y under it and under its credit, and
        the credit in small light type with its top, for the cover to paint last."""
        left, _, right, top = area.bleed
        bottom = area.height * (1 - COVER_PHOTO)
        rect = (-left, bottom, area.width + left + right, area.height - bottom + top)
        self.placer.draw(canv, shown, rect, "crop")
        if not shown.credit:
            return bottom - 6 * MM, None
        credit = self.styles.para(shown.credit, "cover-meta")
        credit.style = ParagraphStyle(
            "credit", parent=credit.style, textColor=self.palette["pale"], fontSize=6.4, leading=8
        )
        height = credit.wrap(area.measure, 10_000)[1]
        return bottom - 2 * MM - height - 5 * MM, (credit, bottom - 2 * MM)

    def back_cover(self, canv, area: Area, c: d.BackCover, qr: tuple | None = None) -> None:
        s = self.styles
        x, width = area.left, area.measure
        canv.saveState()
        self.fill(canv, area, "night")
        if c.logos and self.placer is not None:
            area = self.logo_band(canv, area, c.logos)
        map_width = min(qr[0], 20 * MM) + 4 * MM if c.map_url and qr is not None else 0
        contact = [s.para(line, "cover-meta") for line in c.contact]
        contact_top = area.bottom + 18 * MM + self.stacked(contact, width - map_width)
        strip = bool(c.logos) and self.placer is not None
        # With a logo strip, the names are in it: the title stands under the rule instead.
        credits = [(s.para(c.title, "cover-subtitle"), 2)] if strip else self.credit_lines(c, width)
        height = sum(f.wrap(width, area.height)[1] + gap for f, gap in credits)
        # At 62 % of the page, or higher when the credits would reach the contact lines.
        top = max(area.height * 0.62, contact_top + 10 * MM + height)
        top = min(top, area.height - area.top - 8 * MM)
        self.accent_rule(canv, x, top + 8 * MM, area)
        for flowable, gap in credits:
            top = self.place(canv, flowable, x, top, width) - gap
        if map_width:
            self.map_code(canv, area, c, *qr)  # type: ignore[misc]
        for para in contact:
            contact_top = self.place(canv, para, x, contact_top, width - map_width) - 1
        bottom = area.bottom + 14 * MM
        if not strip:
            bottom = self.place(canv, s.para(c.title, "cover-meta"), x, bottom, width) - 1
        self.place(canv, s.para(c.when, "cover-meta"), x, bottom, width - map_width)
        canv.restoreState()

    def logo_band(self, canv, area: Area, groups: d.LogoGroups) -> Area:
        """A paper band across the foot holding the logo strip; the area above it."""
        strip = LogoStrip(self, groups, area.measure, self.logo_height)
        top = area.bottom * 0.6 + strip.total_height
        left, bottom, right, _ = area.bleed
        canv.setFillColor(self.palette["paper"])
        canv.rect(-left, -bottom, area.width + left + right, top + bottom, stroke=0, fill=1)
        strip.paint(canv, area.left, top - area.bottom * 0.3)
        canv.setFillColor(self.palette["night"])
        return Area(
            area.width, area.height, area.left, top + 6 * MM, area.right, area.top, area.bleed
        )

    @staticmethod
    def stacked(paras: list, width: float) -> float:
        """The height of paragraphs set one under another, with a gap above them."""
        return sum(p.wrap(width, 1000)[1] + 1 for p in paras) + (4 * MM if paras else 0)

    def credit_lines(self, c: d.BackCover, width: float) -> list[tuple]:
        """Organizers, partners and each sponsor tier: a label, then a name a line."""
        lines: list[tuple] = []
        groups = ((c.organizers_label, c.organizers), (c.partners_label, c.partners), *c.sponsors)
        for label, names in groups:
            if not names:
                continue
            lines.append((self.styles.label(label, "kicker"), 2))
            lines += [(self.styles.para(name, "cover-subtitle"), 2) for name in names]
            lines[-1] = (lines[-1][0], 2 + 7 * MM)
        return lines

    def map_code(self, canv, area: Area, c: d.BackCover, size: float, quiet: int) -> float:
        """The venue's map as a QR code on paper at the foot's outer corner; its width."""
        size = min(size, 20 * MM)
        x = area.width - area.right - size
        if self.styles.rtl:
            x = area.left
        canv.setFillColor(self.palette["paper"])
        canv.rect(x, area.bottom, size, size, stroke=0, fill=1)
        code = QrCode(c.map_url, size, quiet, self.palette["ink"], c.map_label)
        code.drawOn(canv, x, area.bottom)
        label = self.styles.para(c.map_label, "cover-meta")
        self.place(canv, label, x, area.bottom + size + label.wrap(size, 100)[1] + 2, size)
        return size

    def notes(self, canv, area: Area, label: str) -> None:
        if not label:
            return
        top = self.place(canv, self.styles.label(label, "kicker"), 0, area.height, area.width)
        canv.saveState()
        canv.setStrokeColor(self.palette["rule"])
        canv.setLineWidth(0.4)
        y = top - 8 * MM
        while y > 8 * MM:
            canv.line(0, y, area.width, y)
            y -= 8 * MM
        canv.restoreState()

    def card(self, canv, area: Area, c: d.Card, qr_size: float, quiet: int) -> None:
        """An invitation card: a night band with the title, the guest's salutation, a QR code."""
        s = self.styles
        x, width = area.left, area.measure
        canv.saveState()
        band = area.height * 0.38
        self.shared(canv, area, ("band", c.kicker, c.title), lambda: self.card_band(canv, area, c))
        y = area.height - band - 7 * MM
        y = self.place(canv, s.para(c.salutation, "card-salutation"), x, y, width) - 2 * MM
        y = self.shared(
            canv,
            area,
            ("text", c.text, c.when, c.where, y),
            lambda: self.card_text(canv, area, c, y),
        )
        text_width = width - qr_size - 4 * MM
        foot = area.bottom + qr_size
        # Right to left, the foot is mirrored: the code at the left, the logos from the right.
        rtl = self.styles.rtl
        text_x, code_x = (x + qr_size + 4 * MM, x) if rtl else (x, x + width - qr_size)
        if c.logos and self.placer is not None:
            height = min(self.logo_height, 7 * MM)
            self.shared(
                canv,
                area,
                ("logos", c.logos, height),
                lambda: paint_logo_row(
                    self, canv, c.logos, text_x, area.bottom, height, text_width, rtl
                ),
                (text_x, area.bottom, text_x + text_width, area.bottom + height),  # for the tags
            )
        code = QrCode(c.url, qr_size, quiet, self.palette["ink"])
        code.drawOn(canv, code_x, area.bottom)
        if c.seat:
            foot = self.place(canv, s.para(c.seat, "item-meta"), text_x, foot, text_width) - 1
        if c.qr_label:
            key = ("qr-label", c.qr_label, foot)
            line = c.qr_label
            self.shared(
                canv,
                area,
                key,
                lambda: self.place(canv, s.para(line, "item-meta"), text_x, foot, text_width),
            )
        self.check_fits(y - 2 * MM, area.bottom + qr_size, "invitation.text", "the card text")
        canv.restoreState()

    def card_band(self, canv, area: Area, c: d.Card) -> float:
        """The night band at the top of a card, with the kicker and the event title."""
        s = self.styles
        x, width = area.left, area.measure
        band = area.height * 0.38
        band_area = Area(
            area.width, band, 0, 0, 0, 0, (area.bleed[0], 0, area.bleed[2], area.bleed[3])
        )
        canv.saveState()
        canv.translate(0, area.height - band)
        self.fill(canv, band_area, "night")
        canv.restoreState()
        top = area.height - area.top
        if c.kicker:
            top = self.place(canv, s.label(c.kicker, "cover-kicker"), x, top, width) - 3 * MM
        bottom = self.place(canv, s.para(c.title, "card-title"), x, top, width)
        self.check_fits(bottom, area.height - band + 3 * MM, "event.title", "the card title")
        return bottom

    def card_text(self, canv, area: Area, c: d.Card, y: float) -> float:
        """The invitation text under the salutation, then the day and the place."""
        s = self.styles
        x, width = area.left, area.measure
        y = self.place(canv, s.para(c.text, "body"), x, y, width) - 2 * MM
        for line in (c.when, c.where):
            if line:
                y = self.place(canv, s.para(line, "item-title"), x, y, width)
        return y

    def check_fits(self, bottom: float, limit: float, field: str, what: str) -> None:
        if bottom < limit:
            self.diags.error(
                "overflow",
                self.places.get(field, self.places.get("")),
                field,
                f"{what} would need {(limit - bottom) / MM:.1f} mm more than there is in "
                f"{self.name}",
                "shorten the text or choose a smaller type size in the layout",
            )


def _shared_alt(key: Hashable) -> str:
    """A shared logo row's alternate text: the organizations' names."""
    if isinstance(key, tuple) and key[0] == "logos":
        return "Logos: " + ", ".join(logo.name for logo in key[1])
    return ""
