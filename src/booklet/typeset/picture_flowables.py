"""Turn figures, photo pages, galleries, portraits and the venue page into flowables."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from ..compose import document as d
from .doctemplate import FLOW_KIND, kind_action
from .flowables import FullPage, QrCode
from .pictures import Placer, natural, sharpest
from .styles import MM

GUTTER = 5 * MM  # between two photos of a gallery row
CAPTION_BAND = 13 * MM  # the night band under a full-bleed photo's caption
GALLERY_AIR = 4  # a gallery's photos grow this many times as much as the leading (air)


class PictureBox(Flowable):
    """A picture at a fixed size, drawn by a function of (canvas, width, height)."""

    def __init__(self, width: float, height: float, paint: Callable[[object, float, float], None]):
        super().__init__()
        self.width, self.height, self.paint = width, height, paint

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.paint(self.canv, self.width, self.height)


def grown(shown: d.Illustration, height: float, grow: float) -> float:
    """A gallery photo's height `grow` times its own, no taller than print resolution allows
    (never shorter than its own)."""
    return max(height, min(height * grow, sharpest(shown.picture)[1]))


class PhotoRow(Flowable):
    """A gallery's row of photos side by side; one that begins a page and would leave most
    of it empty is set one photo under another instead, as tall as the page then allows
    (between `least` and `most`): a page of two small photos and white below them reads as
    unfinished. `stack(height)` makes the photos one under another at a height."""

    def __init__(self, row: Flowable, stack: Callable[[float], list] | None, sizes):
        super().__init__()
        self.row, self.stack, self.chosen = row, stack, [row]
        self.count, self.least, self.most = sizes

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self.chosen = [self.row]
        if self.stack is not None and frame is not None and frame._atTop:
            words = _height(self.stack(0), avail_width)  # captions and space, no photo
            each = min(self.most, (avail_height - words) / self.count)
            if each > self.least:
                self.chosen = self.stack(each)
        self.width, self.height = avail_width, _height(self.chosen, avail_width)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list:
        return []  # a row is never cut: it goes to the next page whole

    def draw(self) -> None:
        y = self.height
        for flow in self.chosen:
            _, h = flow.wrap(self.width, self.height)
            y -= h
            right = getattr(flow, "hAlign", "LEFT") == "RIGHT"  # a photo in right-to-left text
            flow.drawOn(self.canv, self.width - flow.width if right else 0, y)


def _height(flows: list, width: float) -> float:
    return sum(f.wrap(width, 1e6)[1] for f in flows)


class PictureFlowables:
    """The picture blocks of a `Typesetter` (its styles, placer, layout and measure)."""

    def picture_placer(self, diags, lang: str) -> Placer:
        """What draws the document's pictures, for its flowables and its page art alike."""
        placer = Placer(diags, lang, self.palette["ink"], self.palette["rule"])
        self.art.placer, self.art.logo_height = placer, self.layout.pictures.logo_height
        return placer

    def picture_box(
        self, shown: d.Illustration, width: float, height: float, kind: str, role: str = "photo"
    ) -> PictureBox:
        def paint(canv, w: float, h: float) -> None:
            self.placer.draw(canv, shown, (0, 0, w, h), kind, role)

        box = PictureBox(width, height, paint)
        box.hAlign = "RIGHT" if self.styles.rtl else "LEFT"
        return box

    def caption(self, shown: d.Illustration, width: float | None = None) -> list:
        """The caption and the credit, set small under a picture."""
        parts: list = []
        if shown.caption:
            parts += [Spacer(1, 1.6 * MM), self.styles.para(shown.caption, "item-meta")]
        if shown.credit:
            parts += [Spacer(1, 0.6 if shown.caption else 1.6 * MM)]
            parts.append(self.styles.para(shown.credit, "reference"))
        return parts

    def framed(self, shown: d.Illustration, spec, width: float) -> tuple[float, float]:
        """A picture's size in a frame of the layout: fit keeps its proportion."""
        width = min(spec.width or width, width)
        if spec.frame == "fit":
            return natural(shown.picture, width, spec.height)
        return width, spec.height or width * shown.picture.height / shown.picture.width

    def _figure(self, block: d.Figure) -> Iterator:
        spec = self.layout.pictures.figure
        width, height = self.framed(block.picture, spec, self.measure)
        box = self.picture_box(block.picture, width, height, spec.frame)
        yield KeepTogether(
            [Spacer(1, 2 * MM), box, *self.caption(block.picture), Spacer(1, 4 * MM)]
        )

    def _photopage(self, block: d.PhotoPage) -> Iterator:
        yield kind_action("photo")  # a page of its own, no folio: not padding, not running text
        yield PageBreak()
        yield FullPage(lambda canv, w, h: self.photo_page(canv, block))
        yield kind_action(FLOW_KIND[self.layout.kind])
        yield PageBreak()

    def photo_page(self, canv, block: d.PhotoPage) -> None:
        """The photo to the trim and into the bleed, its caption on a band at the foot; or
        within the margins, the caption under it."""
        shown, spec = block.picture, self.layout.pictures.photo
        b, m = self.layout.bleed, self.layout.margins
        words = self.caption(shown)
        if block.bleed:
            self.placer.draw(
                canv, shown, (-b, -b, self.width + 2 * b, self.height + 2 * b), spec.frame
            )
            if words:
                self.caption_band(canv, shown)
            return
        left = m.inner if (canv._doctemplate.page % 2 == 1) != self.styles.rtl else m.outer
        room = sum(f.wrap(self.measure, 100)[1] for f in words if hasattr(f, "wrap"))
        bottom = m.bottom + room + 3 * MM
        box = (left, bottom, self.measure, self.height - m.top - bottom)
        self.placer.draw(canv, shown, box, spec.frame)
        y = bottom - 2 * MM
        for flowable in words:
            _, h = flowable.wrapOn(canv, self.measure, 100)
            flowable.drawOn(canv, left, y - h)
            y -= h

    def caption_band(self, canv, shown: d.Illustration) -> None:
        """A night band across the foot of a full-bleed photo, its words in light type."""
        b, m = self.layout.bleed, self.layout.margins
        lines = [x for x in (shown.caption, shown.credit) if x]
        paras = [self.styles.para(text, "cover-meta") for text in lines]
        height = sum(p.wrap(self.width - m.inner - m.outer, 100)[1] for p in paras)
        band = max(CAPTION_BAND, height + 8 * MM)
        canv.saveState()
        canv.setFillColor(self.palette["night"])
        canv.rect(-b, -b, self.width + 2 * b, band + b, stroke=0, fill=1)
        y = band - 4 * MM
        for para in paras:
            _, h = para.wrapOn(canv, self.width - m.inner - m.outer, 100)
            para.drawOn(canv, m.inner, y - h)
            y -= h
        canv.restoreState()

    def _gallery(self, block: d.Gallery) -> Iterator:
        """An exhibition's photo page: its head, the first photo across the measure, then the
        others two by two, each with its caption."""
        s, spec = self.styles, self.layout.pictures.gallery
        head: list = [self.bookmark(block.title), s.label(block.kicker, "kicker")]
        head += [s.para(block.title, "title")]
        if block.description:
            head.append(s.para(block.description, "item-meta"))
        head += [Spacer(1, 3 * MM), self.accent_rule(), Spacer(1, 5 * MM)]
        first, *rest = block.pictures
        grow = 1 + GALLERY_AIR * (self.photo_air - 1)  # more air: photos grow, cropped to focus
        lead_h = grown(first, spec.height or self.measure * 0.6, grow)
        lead = [self.picture_box(first, self.measure, lead_h, spec.frame), *self.caption(first)]
        yield KeepTogether([*head, *lead, Spacer(1, 5 * MM)])
        cell = (self.measure - GUTTER) / 2
        for n in range(0, len(rest), 2):
            pair = rest[n : n + 2]
            tall = [grown(p, cell * 0.75, grow) for p in pair]
            cells = [
                [self.picture_box(p, cell, h, spec.frame), *self.caption(p)]
                for p, h in zip(pair, tall, strict=True)
            ]
            cells += [[]] * (2 - len(cells))
            row = [cells[0], [], cells[1]]
            table = Table(
                [row[::-1] if s.rtl else row], colWidths=[cell, GUTTER, cell], hAlign="LEFT"
            )
            table.setStyle(
                self.table_style(
                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * MM)
                )
            )
            yield PhotoRow(table, *self._stacked(pair, cell, min(tall)))

    def _stacked(self, pair: list, cell: float, shown_h: float):
        """A gallery row's photos one under another (`PhotoRow`): each as wide as the measure
        and print resolution allow, at least three quarters as tall as in the row and no
        taller than resolution allows; none if a photo would be no wider than in the row."""
        spec = self.layout.pictures.gallery
        sizes = [sharpest(shown.picture) for shown in pair]
        width = min([self.measure] + [w for w, _ in sizes])
        most = min(h for _, h in sizes)
        if width <= cell:
            return None, (len(pair), 0.0, 0.0)

        def stack(height: float) -> list:
            flows: list = []
            for shown in pair:
                flows.append(self.picture_box(shown, width, height, spec.frame))
                flows += [*self.caption(shown), Spacer(1, 5 * MM)]
            return flows

        return stack, (len(pair), 0.75 * min(shown_h, most), most)

    def portrait_cell(self, e: d.PersonEntry) -> tuple[list, float]:
        """The left cell of a people-page entry: the portrait, or room for one."""
        if not e.portraits:
            return [], 0
        spec = self.layout.pictures.portrait
        width, height = spec.width or 16 * MM, spec.height or 20 * MM
        if e.portrait is None:
            return [], width + 4 * MM
        return [self.picture_box(e.portrait, width, height, spec.frame, "portrait")], width + 4 * MM

    def _venue(self, v: d.Venue) -> Iterator:
        s = self.styles
        parts: list = [self.bookmark(v.title), s.para(v.title, "title")]
        parts += [Spacer(1, 3 * MM), self.accent_rule(), Spacer(1, 5 * MM)]
        if v.name:
            parts.append(s.para(v.name, "item-title"))
        parts += [s.para(line, "body") for line in v.lines]
        if v.map_url:
            qr = self.layout.qr
            code = QrCode(v.map_url, qr.size, qr.quiet_zone, self.palette["ink"], v.map_label)
            text = [s.para(v.map_label, "item-title"), s.para(_short(v.map_url), "reference")]
            parts += [Spacer(1, 3 * MM), self._row([code], text, qr.size + 5 * MM, "MIDDLE")]
        yield KeepTogether(parts)
        if v.map is not None:
            width, height = self.framed(v.map, self.layout.pictures.map, self.measure)
            box = self.picture_box(v.map, width, height, self.layout.pictures.map.frame, "map")
            yield KeepTogether([Spacer(1, 5 * MM), box, *self.caption(v.map)])


def _short(url: str) -> str:
    short = url.split("://", 1)[-1].rstrip("/")
    return short if len(short) <= 60 else short[:59] + "…"
