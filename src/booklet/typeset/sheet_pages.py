"""Turn a sheet that runs over one page into numbered pages, each going on with a running head.

Every page of such a sheet carries "2 / 3" and the event's title in its bottom
margin; a page that goes on with a part of the page before it ("Program") carries
"Program · continued" in its top margin, unless a day of the program runs on there
(the day's own running head says so). A sheet of one page carries neither.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..language.text import local_digits
from .running_heads import block_loc, continued, left_over, tried
from .styles import MM, fit_text


class SheetFurniture:
    """Draws the page number, the running foot and the continued head of a long sheet."""

    def __init__(self, setter, pages: int):
        self.setter, self.pages = setter, pages

    def folio(self, canv, doc) -> None:
        """The page number and the page count, and the running foot, under the text."""
        s = self.setter
        m = s.layout.margins
        measure = s.width - m.inner - m.outer
        number = local_digits(f"{doc.page} / {self.pages}", s.doc.lang, s.layout.digits)
        self._line(canv, number, s.doc.running_foot, m.inner, m.bottom - 9 * MM, measure)

    def head(self, doc) -> str:
        """The head of a page that goes on with what the page before printed: "Program ·
        continued" (the typesetter draws it, or a day's running head where there is one)."""
        goes_on, part = doc.opening.get(doc.page, (False, None))
        if doc.page > 1 and goes_on and part:
            return continued(self.setter.doc.lang, part)
        return ""

    def _line(self, canv, end: str, start: str, x: float, y: float, width: float, style="folio"):
        """`start` at the line's start, `end` at its end (mirrored right to left)."""
        styles = self.setter.styles
        if start:
            st, spec = styles[style], styles.spec(style)
            label = styles.label(fit_text(start, width * 0.7, st, spec.tracking), style)
            label.wrapOn(canv, width, 30)
            label.drawOn(canv, x, y)
        if end:  # digits and a slash: set left to right, in a face that has them
            para = styles.para(end, "folio")
            align = TA_LEFT if styles.rtl else TA_RIGHT
            para.style = ParagraphStyle("folio-end", parent=para.style, alignment=align)
            para.wrapOn(canv, width, 30)
            para.drawOn(canv, x, y)


def sheet_overflow(setter, doc, limit: int, compact: int) -> None:
    """A sheet that stays over its page limit even at the last try: what runs past it."""
    past = [block for page, block in doc.starts if page > limit]
    first = next((b for b in past if block_loc(b)), None)
    counts = left_over(past)
    what = f" ({counts}, the first from here)" if first else f" ({counts})" if counts else ""
    how = tried(setter.layout.sheet.min_scale, compact, [block for _, block in doc.starts])
    pages = "1 page" if limit == 1 else f"{limit} pages"
    setter.diags.error(
        "overflow",
        block_loc(first) if first else None,
        f"{setter.doc.name}.{setter.doc.lang}",
        f"the content does not fit on {pages}: it runs to {doc.page} pages{what}, even with {how}",
        _sheet_hint(setter.layout),
    )


def _sheet_hint(layout) -> str:
    ways = ["shorten the content", "allow more pages (sheet.pages)"]
    if layout.program.compact == "false":
        ways.append("print the program compact (program.compact: auto)")
    return ", ".join(ways) + " or lower sheet.min-scale"
