"""Turn a document into a trim-size PDF with platypus, bleed artwork drawn past the trim."""

from __future__ import annotations

from collections.abc import Iterator

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.platypus import (
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..compose import document as d
from ..errors import Diagnostics
from ..language.fonts import Face
from ..language.text import escape, local_digits, upper
from ..read.urls import link_address
from .balance import mark
from .doctemplate import (
    FLOW_KIND,
    BookletDoc,
    PadMarker,
    kind_action,
)
from .facts import FactFlowables
from .flowables import Bookmark, FullPage, QrCode, Row, Rule, locate, shown_address
from .page_art import Area, Art
from .picture_flowables import PictureFlowables
from .program_flowables import PROGRAM_BLOCKS, ProgramFlowables, kept_with_next, running_at_top
from .record import Record
from .running_heads import Parts
from .sheet_pages import SheetFurniture
from .source_grid import source_grid
from .styles import MM, Palette, Styles, draw_runs, fit_text, runs_width
from .tagging import Tagger, artifact, in_language

# ReportLab reads RL_* environment variables and settings files at import: pin what
# matters for safety and for byte-identical output, whatever the environment says.
_PINNED = {
    "invariant": 1,  # no timestamps or random ids
    "trustedHosts": None,  # no URL is ever fetched
    "trustedSchemes": [],
    "pageCompression": 1,
    "useA85": 0,  # binary streams: ASCII85 costs time and a quarter more bytes
}
for _name, _value in _PINNED.items():
    setattr(rl_config, _name, _value)


class Typesetter(ProgramFlowables, FactFlowables, PictureFlowables):
    """Turns the blocks of one document into flowables and page templates."""

    def __init__(
        self, document: d.Document, faces: dict[str, Face], diags: Diagnostics, air: float = 0.0
    ):
        self.doc = document
        self.air = 1.0 + air  # leading and the space between entries, given more to fill pages
        self.photo_air = self.air  # an exhibition's photos grow with it (not in a long document)
        self.layout = document.layout
        self.palette = Palette(self.layout)
        typo = self.layout.typography
        self.record = Record(diags, f"{document.name}.{document.lang}.pdf", typo.loose)
        self.styles = Styles(
            self.layout,
            faces,
            self.palette,
            document.lang,
            record=self.record,
            names=document.names,
            air=air,
        )
        self.art = Art(
            self.styles, self.palette, diags, f"{document.name}.{document.lang}", document.places
        )
        self.diags = diags
        self.placer = self.picture_placer(diags, document.lang)
        self.width, self.height = self.layout.trim.width, self.layout.trim.height
        m = self.layout.margins
        self.measure = self.width - m.inner - m.outer
        self.marks = 0  # bookmarks made so far
        self.compact = self.layout.program.compact == "true"  # program entries: time, title
        self.compact_people = False  # the people page one line a person (`fitting.py`)
        self.parts = Parts(document.lang)
        self.sheet: SheetFurniture | None = None  # a long sheet's page numbers and heads
        self.tagger = Tagger(document)  # the screen file's structure, as the pages are drawn
        self.dummy = False  # laid out on a canvas that draws nothing (overprint.Dummy)

    # --- page furniture -------------------------------------------------------------------

    def templates(self) -> list[PageTemplate]:
        m = self.layout.margins
        full = Frame(0, 0, self.width, self.height, 0, 0, 0, 0, id="full")
        made = [
            PageTemplate(kind, [full], pagesize=(self.width, self.height))
            for kind in ("cover", "back", "blank", "photo", "card")
        ]
        for kind in ("body", "notes", "plain"):
            # Right-to-left booklets are bound on the right: recto pages have the spine there.
            sides = (("recto", m.outer), ("verso", m.inner)) if self.styles.rtl else None
            for side, left in sides or (("recto", m.inner), ("verso", m.outer)):
                frame = Frame(
                    left,
                    m.bottom,
                    self.measure,
                    self.height - m.top - m.bottom,
                    0,
                    0,
                    0,
                    0,
                    id=side,
                )
                furniture = self.folio if kind != "plain" else _nothing
                made.append(
                    PageTemplate(
                        f"{kind}-{side}", [frame], onPage=furniture, onPageEnd=self.page_end
                    )
                )
        return made

    def folio(self, canv, doc: BookletDoc) -> None:
        if getattr(canv, "dummy", False):
            return  # measured, not drawn
        with artifact(canv, "Footer"):  # the screen file: a pagination artifact
            self.page_number(canv, doc)

    def page_number(self, canv, doc: BookletDoc) -> None:
        """Page number at the outer corner, running foot beside it, both tracked."""
        st, spec, m = self.styles["folio"], self.styles.spec("folio"), self.layout.margins
        number = local_digits(str(doc.page), self.doc.lang, self.layout.digits)
        foot = upper(self.doc.running_foot, self.doc.lang) if spec.upper else self.doc.running_foot
        foot = fit_text(foot, self.measure * 0.7, st, spec.tracking)
        outer_right = (doc.page % 2 == 1) != self.styles.rtl
        gap = 5 * MM
        if self.styles.rtl:  # shaped and never letter-spaced: joined letters stay joined
            self.rtl_foot(canv, foot, outer_right, number)
            foot = ""
        # each in runs of the faces that have its letters: a Georgian face has no digits
        numbers, foots = (self.styles.face_runs(t, "folio") for t in (number, foot))
        if outer_right:
            x_num = self.width - m.outer - runs_width(numbers, st.fontSize, spec.tracking)
            x_foot = x_num - gap - runs_width(foots, st.fontSize, spec.tracking)
        else:
            x_num = m.outer
            x_foot = x_num + runs_width(numbers, st.fontSize, spec.tracking) + gap
        y = m.bottom - 9 * MM
        canv.saveState()
        text = canv.beginText()
        text.setFont(st.fontName, st.fontSize)
        text.setCharSpace(spec.tracking)
        text.setFillColor(st.textColor)
        draw_runs(text, ((x_num, y, numbers), (x_foot, y, foots)), st.fontName, st.fontSize)
        canv.drawText(text)
        canv.restoreState()

    def rtl_foot(self, canv, foot: str, outer_right: bool, number: str) -> None:
        """The running foot of a right-to-left page beside its number, towards the spine,
        set as a paragraph (shaped, in the page's direction) on the number's baseline."""
        if not foot:
            return
        st, spec, m = self.styles["folio"], self.styles.spec("folio"), self.layout.margins
        para = self.styles.para(foot, "folio")
        room = self.measure * 0.7
        _, height = para.wrapOn(canv, room, self.height)
        width = max(para.getActualLineWidths0() or [room])
        start = {TA_RIGHT: room - width, TA_CENTER: (room - width) / 2}.get(para.style.alignment, 0)
        numbers = self.styles.face_runs(number, "folio")  # a Hebrew face has no digits
        gap, wide = 5 * MM, runs_width(numbers, st.fontSize, spec.tracking)
        left = self.width - m.outer - wide - gap - width if outer_right else m.outer + wide + gap
        para.drawOn(canv, left - start, m.bottom - 9 * MM - (height - st.fontSize))

    def page_end(self, canv, doc: BookletDoc) -> None:
        if getattr(canv, "dummy", False):
            return  # measured, not drawn
        with artifact(canv, "Header"):
            self.running_head(canv, doc)
        if self.sheet is not None:
            with artifact(canv, "Footer"):
                self.sheet.folio(canv, doc)

    def running_head(self, canv, doc: BookletDoc) -> None:
        """On a page that runs on a day of the program begun on an earlier page: "Friday,
        May 14 · continued" above the text, so a reader knows which day they are in; on a
        long sheet's page that goes on with a part without days, "Program · continued"."""
        m = self.layout.margins
        running = running_at_top(canv, self.height - m.top)
        if not running and self.sheet is not None:
            running = self.sheet.head(doc)
        if not running:
            return
        left = m.inner if (doc.page % 2 == 1) != self.styles.rtl else m.outer
        head = self.styles.para(running, "folio")  # shaped, in the page's direction
        _, height = head.wrapOn(canv, self.measure, self.height)
        head.drawOn(canv, left, self.height - m.top + 4 * MM)

    # --- blocks -------------------------------------------------------------------------------

    def flowables(self) -> Iterator:
        """Every block's flowables; the program's marked, to balance its last two pages."""
        for block in self.doc.blocks:
            balanced = isinstance(block, PROGRAM_BLOCKS)
            for flow in self.flows_of(block):
                if balanced:
                    mark(flow)
                yield flow

    def flows_of(self, block: d.Block) -> Iterator:
        """A block's flowables, each marked with where its text was written (a booklet's
        pages and a fold's panels alike)."""
        made = getattr(self, "_" + type(block).__name__.lower())(block)
        where = getattr(block, "loc", None)
        for flow in self.tagger.marked(block, self.parts.tag(block, made)):
            if where is not None:
                locate(flow, where)
            yield flow

    def _newpage(self, block: d.NewPage) -> Iterator:
        yield kind_action(FLOW_KIND[self.layout.kind])
        if block.share:  # a new page only if this one is filled enough to stand alone
            m = self.layout.margins
            room = (self.height - m.top - m.bottom) * (1 - self.layout.typography.page_fill)
            yield CondPageBreak(room)
            return
        yield PageBreak()

    def bookmark(self, title: str, level: int = 0) -> Bookmark:
        self.marks += 1
        return Bookmark(title, f"b{self.marks}", level)

    def _heading(self, block: d.Heading) -> Iterator:
        mark = self.bookmark(block.title)
        mark.spaceBefore = 12 * MM  # room above a title that runs on after other text
        mark.record = self.record  # counts the titles that open their page
        parts: list = [mark]
        if block.kicker:
            parts.append(self.styles.label(block.kicker, "kicker"))
        parts.append(self.styles.para(block.title, "title"))
        if block.meta:
            parts.append(self.styles.para(block.meta, "item-meta"))
        parts.append(Spacer(1, 3 * MM))
        parts.append(self.accent_rule())
        parts.append(Spacer(1, 6 * MM))
        yield from kept_with_next(parts)  # a title never ends a page

    def _sectionheading(self, block: d.SectionHeading) -> Iterator:
        mark = self.bookmark(block.text, 1)
        mark.keepWithNext = 1
        yield mark
        para = self.styles.para(block.text, "heading")
        para.keepWithNext = 1
        yield para

    def _prose(self, block: d.Prose) -> Iterator:
        if block.lines:  # verse: each line its own, broken where the writer broke it
            yield self.styles.lines(block.text.splitlines(), block.style)
            return
        yield self.styles.para(block.text, block.style)

    def _row(
        self,
        left: list,
        right: list,
        left_width: float,
        valign: str = "TOP",
        padding: tuple[float, float] = (7, 8),
    ) -> Table:
        """Two columns: a narrow one at the line's start (time, QR code) and the rest."""
        cells, widths = [left, right], [left_width, self.measure - left_width]
        if self.styles.rtl:
            cells, widths = cells[::-1], widths[::-1]
        table = Row([cells], colWidths=widths, hAlign="LEFT")
        table.setStyle(
            self.table_style(
                ("VALIGN", (0, 0), (-1, -1), valign),
                ("TOPPADDING", (0, 0), (-1, -1), padding[0] * self.air),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding[1] * self.air),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.palette["rule"]),
            )
        )
        return table

    def accent_rule(self) -> Rule:
        """The short rule under titles, at the start of the line (right in right-to-left)."""
        rule = Rule(12 * MM, 1.2, self.palette["accent"], 0)
        rule.hAlign = "RIGHT" if self.styles.rtl else "LEFT"
        return rule

    def table_style(self, *rules: tuple) -> TableStyle:
        """A table style with our font and CMYK ink: ReportLab's defaults are Helvetica and RGB."""
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.styles.font("body")),
                ("TEXTCOLOR", (0, 0), (-1, -1), self.palette["ink"]),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                *rules,
            ]
        )

    def _sourcelist(self, block: d.SourceList) -> Iterator:
        if not self.compact_people:
            for entry in block.entries:
                yield from self._sourceentry(entry)
            return
        yield from source_grid(self, block.entries)

    def _sourceentry(self, e: d.SourceEntry) -> Iterator:
        s = self.styles
        qr = self.layout.qr
        code = QrCode(e.url, qr.size, qr.quiet_zone, self.palette["ink"], e.title or e.publisher)
        text = [s.para(f"[{e.number}]  {e.publisher}", "item-title")]
        if e.title:
            text.append(s.para(e.title, "figure-label"))
        text.append(Spacer(1, 2))
        shown = shown_address(e.url)
        link = f'<a href="{escape(link_address(e.url))}">{escape(shown)}</a>'
        text.append(s.markup(link, "reference", e.url))
        yield self._row([code], text, qr.size + 5 * MM, valign="MIDDLE")

    def page_area(self) -> Area:
        """The whole trimmed page, with the layout's margins and bleed on every edge."""
        m, b = self.layout.margins, self.layout.bleed
        return Area(self.width, self.height, m.outer, m.bottom, m.inner * 0.8, m.top, (b, b, b, b))

    def _cover(self, c: d.Cover) -> Iterator:
        yield self.bookmark(c.title)
        yield FullPage(lambda canv, w, h: self.art.cover(canv, self.page_area(), c))

    def _backcover(self, c: d.BackCover) -> Iterator:
        yield kind_action("back")
        yield PageBreak()
        m, b = self.layout.margins, self.layout.bleed
        area = Area(self.width, self.height, m.inner, m.bottom, m.outer, m.top, (b, b, b, b))
        qr = (self.layout.qr.size, self.layout.qr.quiet_zone)
        yield FullPage(lambda canv, w, h: self.art.back_cover(canv, area, c, qr))

    def _padding(self, p: d.Padding) -> Iterator:
        def page() -> list:
            area = Area(
                self.measure,
                self.height - self.layout.margins.top - self.layout.margins.bottom,
                0,
                0,
                0,
                0,
                (0, 0, 0, 0),
            )
            notes = FullPage(lambda canv, w, h: self.art.notes(canv, area, p.label))
            return [kind_action("notes" if p.label else "blank"), PageBreak(), notes]

        yield PadMarker(page, 1 if p.back_cover_follows else 0)

    def _masthead(self, m: d.Masthead) -> Iterator:
        s = self.styles
        parts: list = [self.bookmark(m.title)]
        if m.kicker:
            parts.append(s.label(m.kicker, "kicker"))
        lines = [(m.title, "title")]
        if m.second is not None:  # a bilingual sheet: the title in the other language
            lines.append((in_language(m.second, self.layout.bilingual), "lead"))
        if m.subtitle:
            lines.append((m.subtitle, "note" if m.second is not None else "lead"))
        parts += s.stacked(lines)
        if m.meta:
            parts.append(s.para(m.meta, "item-meta"))
        parts += [
            Spacer(1, 3 * MM),
            self.accent_rule(),
            Spacer(1, 4 * MM),
        ]
        yield from kept_with_next(parts)

    def _card(self, c: d.Card) -> Iterator:
        qr = self.layout.qr
        yield FullPage(
            lambda canv, w, h: self.art.card(canv, self.card_area(), c, qr.size, qr.quiet_zone)
        )

    def card_area(self) -> Area:
        m, b = self.layout.margins, self.layout.bleed
        return Area(self.width, self.height, m.outer, m.bottom, m.outer, m.top, (b, b, b, b))


def _nothing(canv, doc) -> None:
    return None
