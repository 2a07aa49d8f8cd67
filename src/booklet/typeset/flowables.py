"""Turn what platypus has no flowable for into flowables: QR codes, tracked labels, art."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import qrcode
import qrcode.constants
from qrcode.exceptions import DataOverflowError
from reportlab.lib.colors import CMYKColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from ..errors import Location
from ..language.text import markup
from ..read.urls import link_address, printed_address
from .doctemplate import Mark


@dataclass(frozen=True)
class Tracked:
    """A style with letter spacing, for one-line labels platypus cannot track."""

    style: ParagraphStyle
    tracking: float
    upper: Callable[[str], str]


QR_MASK = 2  # vertical stripes: no long runs in the quiet zone's neighbourhood


QR_CACHE = 512  # codes kept per process: a watch loop's sources, not a 10,000-card batch


def qr_matrix(data: str) -> tuple[bytes, ...]:
    """The module matrix of a QR code (medium error correction): a row of 0/1 bytes a line."""
    # A fixed mask: any of the eight is valid (the code states which), and trying all
    # eight costs six times as long, which counts for a thousand invitation cards.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK
    )
    try:
        code.add_data(data)
        # The size qrcode's fit takes depends only on its segments' modes and lengths (a
        # thousand guests' links have one): it is found once, not for each code.
        shape = tuple((chunk.mode, len(chunk)) for chunk in code.data_list)
        if shape in _VERSIONS:
            code.version = _VERSIONS[shape]
        code.make(fit=shape not in _VERSIONS)
    except (DataOverflowError, ValueError) as exc:
        raise ValueError(f"too long for a QR code ({len(data)} characters)") from exc
    if len(_VERSIONS) < QR_CACHE:
        _VERSIONS[shape] = code.version
    return tuple(bytes(row) for row in code.get_matrix())


_VERSIONS: dict[tuple[tuple[int, int], ...], int] = {}  # segments' modes and lengths: version


class QrCode(Flowable):
    """A vector QR code: one filled rectangle per horizontal run of dark modules."""

    def __init__(self, data: str, size: float, quiet_zone: int, color: CMYKColor, name: str = ""):
        super().__init__()
        self.url = link_address(data)  # 7-bit, as a link must be and every scanner reads
        self.side, self.path = qr_path(self.url, quiet_zone)
        self.size = size
        self.quiet_zone = quiet_zone
        self.color = color
        self.width = self.height = size
        # A leaf of the screen file's structure (typeset/tagging.py): a figure with its alt.
        self.booklet_role, self.booklet_leaf = "qr", "Figure"
        # The tagger says "QR code: link to Azertag (azertag.az)" in the document's language.
        shown = shown_address(data)
        self.booklet_alt = f"{name} ({shown})" if name and name != shown else shown

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    @property
    def module(self) -> float:
        return self.size / self.side

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.color)
        canv.scale(self.module, self.module)
        canv.addLiteral(self.path)
        canv.restoreState()
        canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1)


_DARK_RUN = re.compile(rb"\x01+")


@lru_cache(maxsize=QR_CACHE)
def qr_path(data: str, quiet_zone: int) -> tuple[int, str]:
    """A code's side in modules, quiet zone included, and its dark modules as one filled
    path in whole modules (drawn under a scale), cached by content.

    Whole numbers keep the path exact and short: no rounding seams between runs. Only the
    path is kept, not the matrix: a batch of cards holds a few kilobytes a code."""
    matrix = qr_matrix(data)
    side = len(matrix) + 2 * quiet_zone
    rects = [
        f"{run.start() + quiet_zone} {side - row - 1 - quiet_zone} {run.end() - run.start()} 1 re"
        for row, modules in enumerate(matrix)
        for run in _DARK_RUN.finditer(modules)
    ]
    return side, "\n".join(rects) + "\nf"


class Label(Flowable):
    """A one-line label with letter spacing (kickers); set as a paragraph when too long."""

    def __init__(self, text: str, tracked: Tracked, make: Callable[[str], Paragraph] | None = None):
        super().__init__()
        self.text = tracked.upper(text)
        self.tracked = tracked
        self.make = make or (lambda text: Paragraph(markup(text), tracked.style))
        self.fallback: Paragraph | None = None

    def _line_width(self) -> float:
        st = self.tracked.style
        return stringWidth(self.text, st.fontName, st.fontSize) + self.tracked.tracking * len(
            self.text
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._line_width() > avail_width:
            self.fallback = self.make(self.text)
            return self.fallback.wrap(avail_width, avail_height)
        self.width = avail_width
        return avail_width, self.tracked.style.leading

    def getSpaceBefore(self) -> float:
        return self.tracked.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.tracked.style.spaceAfter

    def draw(self) -> None:
        if self.fallback is not None:
            self.fallback.drawOn(self.canv, 0, 0)
            return
        st = self.tracked.style
        canv = self.canv
        canv.saveState()
        text = canv.beginText()
        text.setFont(st.fontName, st.fontSize)
        text.setCharSpace(self.tracked.tracking)
        text.setFillColor(st.textColor)
        x = {1: (self.width - self._line_width()) / 2, 2: self.width - self._line_width()}.get(
            st.alignment, 0
        )
        text.setTextOrigin(x, st.leading - st.fontSize)
        text.textOut(self.text)
        canv.drawText(text)
        canv.restoreState()


class Row(Table):
    """A table of one row (a program entry, a source, the rooms side by side): its size
    depends on the width alone, so a wrap at the width it was last wrapped at is not
    worked out again (a frame, a keep and the balance's measure each wrap it)."""

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_wrapped_at", None) == availWidth:
            return self._width, self._height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


class Rule(Flowable):
    """A horizontal rule of a given length, weight and colour."""

    def __init__(self, length: float | None, weight: float, color: CMYKColor, space: float = 0):
        super().__init__()
        self.length, self.weight, self.color, self.space = length, weight, color, space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self.length or avail_width
        return self.width, self.weight + self.space

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.weight)
        y = self.space / 2 + self.weight / 2
        self.canv.line(0, y, self.width, y)
        self.canv.restoreState()


class FullPage(Flowable):
    """A flowable that fills its frame and paints it with a function of (canvas, width, height)."""

    def __init__(self, paint: Callable[[object, float, float], None]):
        super().__init__()
        self.paint = paint

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height
        return avail_width, avail_height - 0.01

    def draw(self) -> None:
        self.paint(self.canv, self.width, self.height)


class Bookmark(Flowable):
    """An outline entry (PDF bookmark) pointing at the place it is drawn."""

    in_dummy = True  # it counts the page titles that open their page (overprint.Dummy)

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        record = getattr(self, "record", None)  # a page title's: does it open its page?
        if record is not None and getattr(getattr(doc, "frame", None), "_atTop", 0):
            record.openings += 1
        outline = getattr(doc, "outline", None)
        if outline is not None:  # a part of a long document: its collator writes the outline
            x, y = self.canv.absolutePosition(0, 0)
            outline.append(Mark(self.title, self.level, doc.page, x, y))
            return
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)


def locate(flow: Flowable, where: Location) -> None:
    """Mark a flowable (and what a group holds) with where its text was written, for a
    message if it cannot be placed."""
    flow.booklet_loc = where
    for inner in getattr(flow, "_content", ()):
        locate(inner, where)


def shown_address(url: str) -> str:
    """An address as printed under its QR code: no scheme, no trailing slash, the host in
    its own letters (read/urls.py)."""
    return printed_address(url).split("://", 1)[-1].rstrip("/")
