"""Turn page kinds into ReportLab page choices: recto or verso by parity, padding, a page limit."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import ActionFlowable, BaseDocTemplate, KeepTogether, PageBreak
from reportlab.platypus.doctemplate import PageBegin

from ..compose import document as d
from ..compose.budget import max_pages
from .balance import Balancing

# The kind of page a document starts with, and the page kinds without recto/verso variants.
FIRST_KIND = {"booklet": "cover", "sheet": "plain", "card": "card", "folded": "outside"}
FLOW_KIND = {"booklet": "body", "sheet": "plain", "card": "card", "folded": "inside"}
SINGLE = ("cover", "back", "blank", "photo", "card", "outside", "inside")


class KeptTogether(KeepTogether):
    """A head kept with what follows it, measured with the space above its first line.

    ReportLab measures a group as if it stood at the top of a frame, leaving out the
    space before its first flowable; below other text that space is added when it is
    drawn, so a head that "fitted" by less than it was set at the page's foot and what
    it heads went over (a day's head alone under the last session of the day before)."""

    def split(self, aW, aH):
        return super().split(aW, aH - self._space_above(aW))

    def _space_above(self, width: float) -> float:
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop:
            return 0.0
        for flow in self._content:  # the first that takes room: zero-size marks do not
            if getattr(flow, "frameAction", None) or getattr(flow, "_ZEROSIZE", False):
                continue
            w, h = flow.wrap(width, frame._aH)
            if w > 0 and h > 0:
                space = flow.getSpaceBefore()
                return max(space - frame._prevASpace, 0) if frame._oASpace else space
        return 0.0


class BookletDoc(Balancing, BaseDocTemplate):
    """A doc template that picks recto/verso templates by page parity and pads to four pages."""

    def __init__(
        self,
        buffer: io.BytesIO,
        document: d.Document,
        initial_font: str,
        faces: tuple[str, ...] = (),
        first_page: int = 1,
        kind: str | None = None,
        part_pages: int = 0,
        **kw,
    ):
        layout = document.layout
        super().__init__(
            buffer,
            pagesize=(layout.trim.width, layout.trim.height),
            keepTogetherClass=KeptTogether,
            title=document.title,
            author=document.author,
            subject=document.subject,
            creator="booklet",
            lang=document.lang,
            initialFontName=initial_font,
            invariant=1,
            **kw,
        )
        self.kind = kind or FIRST_KIND[layout.kind]
        self.first_page = first_page  # a part of a long document goes on from its page
        # A part ends at the first page end after `part_pages` pages (0: never); what is
        # left of the story is `carry`, and bookmarks go to `outline`, not ReportLab's.
        self.part_pages = part_pages
        self.story: list = []
        self.more: Iterator | None = None  # the flowables still to make (`build`)
        self.carry: list = []  # a part that ended: the flowables left, and those to make
        self.rest: Iterator | None = None
        self.outline: list[Mark] | None = [] if part_pages else None
        self.page_kinds: list[str] = []
        self.fills: list[float] = []  # how much of each page's frame the flow filled (0–1)
        self.padding_label = ""
        self.padding_pages: list = []
        self.glyphs, self.faces = document.glyphs, faces
        # What each page begins with: whether it goes on with the part before it, and
        # which; and the page each block starts on (`parts.py` tags their flowables).
        self.part: str | None = None
        self.opening: dict[int, tuple[bool, str | None]] = {}
        self.starts: list[tuple[int, d.Block]] = []

    def beforeDocument(self) -> None:
        self.page = self.first_page - 1
        # A subset takes letters in the order they are first set; these come first.
        for face in self.faces if self.glyphs else ():
            pdfmetrics.getFont(face).splitString(self.glyphs, self.canv._doc)

    def build(self, flowables: list, *args, more: Iterator | None = None, **kw) -> None:
        """Lay out `flowables`, then those `more` makes, taken as they are needed."""
        self.story, self.more = flowables, more
        self._top_up()
        super().build(flowables, *args, **kw)

    def _top_up(self) -> None:
        # A few flowables ahead, and a whole run kept with the next: what ReportLab looks at.
        while self.more is not None and (len(self.story) < 8 or self.story[-1].getKeepWithNext()):
            flowable = next(self.more, None)
            if flowable is None:
                self.more = None
                return
            self.story.append(flowable)

    def handle_flowable(self, flowables: list) -> None:
        if flowables is self.story:
            self._top_up()
        elif self.part_pages and flowables is self._hanging and self._part_full():
            # Between two pages: the next one begins the next part, with the rest of the
            # story, exactly as it would have begun here. A marker ends this build.
            self.carry, self.rest, self.more = self.story[:], self.more, None
            self.story[:] = [ActionFlowable(("partEnd",))]
            del flowables[0]
            return
        self.placing = flowables[0] if flowables else None  # named if it cannot be placed
        super().handle_flowable(flowables)

    def _part_full(self) -> bool:
        return (
            bool(self._hanging)
            and self._hanging[0] is PageBegin
            and self.page - self.first_page + 1 >= self.part_pages
            and bool(self.story)
        )

    def handle_partEnd(self) -> None:
        self._hanging.append(PageBegin)  # the page that was to begin: ending the build drops it

    def handle_pageBegin(self) -> None:
        number = self.page + 1
        if number > max_pages() and self.kind != "card":  # cards: one per guest, a bounded list
            raise TooManyPages(number)
        side = "recto" if number % 2 else "verso"
        name = self.kind if self.kind in SINGLE else f"{self.kind}-{side}"
        self.pageTemplate = next(t for t in self.pageTemplates if t.id == name)
        self.page_kinds.append(self.kind)
        super().handle_pageBegin()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, ActionFlowable | PageBreak):
            return  # applied, not drawn: a page opens with what is drawn on it
        block = getattr(flowable, "booklet_block", None)
        if self.page not in self.opening:
            goes_on = block is None or not flowable.booklet_opens
            self.opening[self.page] = (goes_on, self.part)
        if block is not None:
            self.part = flowable.booklet_part
            self.starts.append((self.page, block))

    def handle_pageEnd(self) -> None:
        self.fills.append(_filled(self.frame))
        super().handle_pageEnd()

    def handle_kind(self, kind: str) -> None:
        self.kind = kind

    def filterFlowables(self, flowables: list) -> None:
        if flowables and isinstance(flowables[0], PadMarker):
            # Pages so far, plus the back cover that follows, must make a multiple of four.
            blanks = -(self.page + flowables[0].after) % 4
            pages = [x for _ in range(blanks) for x in flowables[0].page()]
            # None needed: a flowable that does nothing stands in, as ReportLab goes on to
            # read the first flowable (the marker may be the story's last).
            flowables[0:1] = pages or [kind_action(self.kind)]


def _filled(frame) -> float:
    """The share of a frame's height its flowables took."""
    room = frame._height - frame._topPadding - frame._bottomPadding
    used = frame._y2 - frame._topPadding - frame._y
    return max(0.0, min(1.0, used / room)) if room > 0 else 1.0


class Mark(NamedTuple):
    """A bookmark of a part of a long document: the collator writes the whole outline."""

    title: str
    level: int
    page: int
    x: float
    y: float


class TooManyPages(Exception):
    """A document grew past the page limit: bounded work for any input."""


class PadMarker(ActionFlowable):
    """Stands where padding pages go; the doc template expands it once it knows the page count."""

    def __init__(self, page: Callable[[], list], after: int):
        super().__init__(("kind", "notes"))
        self.page = page
        self.after = after  # pages still to come after the padding: 1 for a back cover


def kind_action(kind: str) -> ActionFlowable:
    return ActionFlowable(("kind", kind))
