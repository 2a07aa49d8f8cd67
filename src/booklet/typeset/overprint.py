"""Turn 100 % black fills into overprinting fills as ReportLab draws them."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject


def is_black(color: object) -> bool:
    """True for process black alone (0/0/0/100), the one ink that should overprint."""
    if isinstance(color, CMYKColor):
        if color.spotName:
            return False
        d = color.density
        inks = (d * color.cyan, d * color.magenta, d * color.yellow, d * color.black)
        return inks == (0, 0, 0, 1)
    return isinstance(color, tuple | list) and len(color) == 4 and tuple(color) == (0, 0, 0, 1)


def _overprint(target: Canvas | PDFTextObject, color: object) -> None:
    # ReportLab writes an ExtGState only when the value changes, and keeps it across q/Q;
    # OPM 1 makes the 0 % plates of a black fill leave what lies under them alone. A form
    # starts again from ReportLab's defaults, and ReportLab lists its states only on pages:
    # prepress.give_forms_their_states adds them to the forms.
    black = is_black(color)
    target._setFillOverprint(black)
    target._setOverprintMask(black)


class OverprintText(PDFTextObject):
    """A text object whose black fills overprint."""

    def setFillColor(self, aColor, alpha=None) -> None:  # noqa: N802, N803 (ReportLab's names)
        super().setFillColor(aColor, alpha)
        _overprint(self, aColor)


class OverprintCanvas(Canvas):
    """A canvas whose black fills overprint: no content stream is rewritten after the fact.

    With a `tagger` (typeset/tagging.py) it also hands each page's operators to it before
    the page is written, for the marked copy the screen file gets."""

    tagger = None
    dummy = False  # a dummy: pages laid out to be measured, nothing drawn (`Dummy`)

    def __init__(self, *args, tagger=None, **kw) -> None:
        super().__init__(*args, **kw)
        self.tagger = tagger

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        if self.tagger is not None:
            self.tagger.page_done(self)
        super().showPage()

    def setFillColor(self, aColor, alpha=None) -> None:  # noqa: N802, N803
        super().setFillColor(aColor, alpha)
        _overprint(self, aColor)

    def beginText(self, x=0, y=0, direction=None) -> OverprintText:  # noqa: N802
        return OverprintText(self, x, y, direction=direction)


class Dummy(OverprintCanvas):
    """The canvas of a dummy, as a designer's mock-up: the flowables are placed on pages
    but not drawn (those marked `in_dummy` aside), for a try of the fill search that only
    asks how the pages come out; the setting it takes is then drawn for real."""

    dummy = True
