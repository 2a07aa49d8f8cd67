"""Turn what the typesetter draws into marked content: leaves of a structure tree, and artifacts.

The print file must not change by a byte, so nothing here writes to the canvas. The
tagger notes where in a page's list of content operators each leaf of the structure
begins and ends (its `BDC` and `EMC`); when the page is shown it joins that list again
with the marks in, and with everything between two leaves (page art, rules, folios,
running heads, the lines of a table) as an `/Artifact`. ReportLab writes the page as
always; prepress (`prepress/tagged.py`) puts the marked stream into the screen file and
builds the structure tree from the leaves.

A leaf is a flowable drawn inside a block of the document (a paragraph, a label, a QR
code) or a picture (`Placer.draw`). Which block it belongs to is set on the block's
flowables (`mark_block`) and kept through splits. `Flowable.drawOn` is wrapped once, here,
to call the tagger of the canvas it draws on; with no tagger it draws as before.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from reportlab.platypus.flowables import Flowable

from ..compose import document as d
from ..language.text import word
from ..read.types import Text

# Blocks whose drawing is decoration only (padding pages, page breaks): artifacts.
UNTAGGED = (d.Padding, d.NewPage, d.DayEnd, d.PanelStart)
# Style names that make headings; every other paragraph style is a P.
HEADINGS = {"title": "H1", "cover-title": "H1", "card-title": "H1", "heading": "H2"}
LABELS = {"time": "Lbl"}
# The end of our marked content: a space after EMC tells it from an EMC the page drew itself
# (a /Span with /ActualText round an Arabic word), so prepress can take ours out, and only
# ours, to check a recorded stream against the page's own.
END = "EMC "
# What is drawn between leaves is page art, rules, a table's lines, padding: layout. Running
# heads and page numbers are marked as what they are (`artifact`): pagination.
LAYOUT = "/Artifact <</Type /Layout>> BDC"
PAGINATION = "/Artifact <</Type /Pagination /Subtype /%s>> BDC"  # Header, Footer
DONE = "artifact done"  # a pagination artifact ends: layout again (never written)
KEYS = itertools.count(1)  # names a leaf's flowable, and the parts it is split into
SPLIT_KEEPS = ("booklet_index", "booklet_role", "booklet_lang", "booklet_leaf")


@dataclass
class Leaf:
    """One element with content: a run of marked content on one or more pages."""

    role: str  # H1, P, Lbl, Figure ...
    block: int  # the document block it belongs to
    key: int  # the flowable it came from (a split paragraph's parts share it)
    style: str = ""  # the layout style of its text ("time", "figure" ...)
    lang: str = ""
    alt: str = ""
    parts: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    bbox: tuple[float, float, float, float] | None = None
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (page, annot index, url)


@dataclass
class Tags:
    """What prepress needs to tag the screen file: the marked pages and the leaves."""

    lang: str
    kinds: tuple[str, ...]  # each block's type name, by block index
    order: dict[int, tuple]  # a block's reading key (folded products: by panel)
    leaves: list[Leaf]
    streams: list[bytes]  # each page's content stream with its marks, uncompressed
    columns: dict[int, int]  # a tabular block's number of columns
    packed: bool = False  # the streams deflated (`prepress.tagged.packed`)


class Tagger:
    """Records the leaves drawn on a canvas and the marks around them, page by page."""

    def __init__(self, document: d.Document):
        self.lang = document.lang
        self.kinds = tuple(type(b).__name__ for b in document.blocks)
        self.ids = {id(b): i for i, b in enumerate(document.blocks)}
        self.tagged = {i for i, b in enumerate(document.blocks) if not isinstance(b, UNTAGGED)}
        self.order: dict[int, tuple] = {}
        self.columns: dict[int, int] = {}
        self.reset()

    def reset(self) -> None:
        """Forget what a try drew: the document is set again."""
        self.leaves: list[Leaf] = []
        self.streams: list[bytes] = []
        self.marks: list[tuple[list, int, str]] = []  # (code list, index, operator)
        self.blocks: list[int | None] = []
        self.open: Leaf | None = None
        self.mcid = 0
        self.by_key: dict[tuple[int, int], Leaf] = {}

    def result(self) -> Tags:
        return Tags(
            self.lang, self.kinds, dict(self.order), self.leaves, self.streams, self.columns
        )

    # --- blocks ---------------------------------------------------------------------------

    def block_of(self, block: d.Block) -> int | None:
        return self.ids.get(id(block))

    def read_in(self, blocks: list[d.Block], panel: int) -> None:
        """Blocks read on a panel: before those of later panels, whatever the drawing order."""
        for block in blocks:
            index = self.block_of(block)
            if index is not None:
                self.order[index] = (panel, index)

    def marked(self, block: d.Block, flows: Iterator) -> Iterator:
        """A block's flowables (and what they hold), each tied to the block."""
        index = self.block_of(block)
        for flow in flows:
            if index is not None:
                mark_block(flow, index if index in self.tagged else -1)
            yield flow

    # --- drawing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def drawing(self, canv, flow, x: float, y: float) -> Iterator[None]:
        """Around a flowable's drawOn: its block, and a leaf when it is one."""
        block = getattr(flow, "booklet_index", None)
        if block is not None:
            self.blocks.append(block)
        try:
            role = getattr(flow, "booklet_role", None)
            if role is None:
                yield
                return
            size = (x, y, x + getattr(flow, "width", 0), y + getattr(flow, "height", 0))
            kind = getattr(flow, "booklet_leaf", None) or role_of(role)
            alt = getattr(flow, "booklet_alt", "")
            if role == "qr":  # in the document's language: "QR code: link to example.org"
                alt = word("qr-alt", self.lang).format(address=alt)
            key = getattr(flow, "booklet_key", None) or next(KEYS)  # drawn once: its own
            with self.leaf(canv, kind, key, role, getattr(flow, "booklet_lang", ""), alt, size):
                yield
        finally:
            if block is not None:
                self.blocks.pop()

    @contextlib.contextmanager
    def leaf(self, canv, role, key, style="", lang="", alt="", rect=None) -> Iterator[None]:
        """The content drawn inside as one leaf's marked content (none outside a block, or
        inside another leaf: it is part of that one)."""
        block = self.blocks[-1] if self.blocks else -1
        if self.open is not None or block < 0 or getattr(canv, "_formData", None):
            yield
            return
        code, start = canv._code, len(canv._code)
        annots = len(canv._annotationrefs)
        page = canv.getPageNumber() - 1
        leaf = self.by_key.get((block, key)) or Leaf(role, block, key, style, lang, alt)
        self.open = leaf
        self.marks.append((code, start, f"/{role} <</MCID {self.mcid}>> BDC"))
        try:
            yield
        finally:
            self.open = None
            if len(code) == start or canv._code is not code:
                self.marks.pop()  # nothing drawn: no leaf
            else:
                self._close(canv, leaf, page, rect, annots)

    def _close(self, canv, leaf: Leaf, page: int, rect, annots: int) -> None:
        self.marks.append((canv._code, len(canv._code), END))
        leaf.parts.append((page, self.mcid))
        self.mcid += 1
        if rect is not None and leaf.bbox is None:
            x0, y0 = canv.absolutePosition(rect[0], rect[1])
            x1, y1 = canv.absolutePosition(rect[2], rect[3])
            leaf.bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        for n in range(annots, len(canv._annotationrefs)):
            leaf.links.append((page, n, ""))
        if (leaf.block, leaf.key) not in self.by_key:
            self.by_key[(leaf.block, leaf.key)] = leaf
            self.leaves.append(leaf)

    @contextlib.contextmanager
    def artifact(self, canv, subtype: str) -> Iterator[None]:
        """What is drawn inside as a pagination artifact (`Header`, `Footer`): a running
        head, a page number (nothing inside a leaf or a form: it is theirs)."""
        if self.open is not None or getattr(canv, "_formData", None):
            yield
            return
        code = canv._code
        self.marks.append((code, len(code), PAGINATION % subtype))
        try:
            yield
        finally:
            self.marks.append((canv._code, len(canv._code), DONE))

    def page_done(self, canv) -> None:
        """The page's content stream as ReportLab will write it, with the marks in."""
        code = canv._code
        here = sorted((i, n, op) for n, (lst, i, op) in enumerate(self.marks) if lst is code)
        out: list[str] = []
        pos, depth, kind = 0, 0, LAYOUT
        for i, _, op in here:
            out += _artifact(code[pos:i], kind) if depth == 0 else code[pos:i]
            pos = i
            if op == DONE or op.startswith("/Artifact"):
                kind = LAYOUT if op == DONE else op
                continue
            out.append(op)
            depth += -1 if op == END else 1
        out += _artifact(code[pos:], kind)
        stream = [*canv._psCommandsBeforePage, canv._preamble, *out, " "]
        text = "\n".join(stream + canv._psCommandsAfterPage) + "\n"
        self.streams.append(text.encode("latin-1"))
        self.marks = [m for m in self.marks if m[0] is not code]
        self.mcid = 0


def _artifact(chunk: list[str], kind: str = LAYOUT) -> list[str]:
    return [kind, *chunk, END] if chunk else []


def artifact(canv, subtype: str):
    """A running head (`Header`) or page number (`Footer`) drawn on a tagged canvas: its
    marked content is a pagination artifact."""
    tagger = getattr(canv, "tagger", None)
    if tagger is None:
        return contextlib.nullcontext()
    return tagger.artifact(canv, subtype)


def role_of(style: str) -> str:
    """The structure type of a paragraph set in a layout style."""
    return HEADINGS.get(style) or LABELS.get(style) or "P"


def mark_block(flow, index: int) -> None:
    """A flowable, and the flowables it holds (a group's, a table's cells), of block `index`."""
    if getattr(flow, "booklet_index", None) is None:
        flow.booklet_index = index
    for inner in getattr(flow, "_content", ()) or ():
        mark_block(inner, index)
    for row in getattr(flow, "_cellvalues", ()) or ():
        for cell in row:
            for inner in cell if isinstance(cell, list | tuple) else (cell,):
                if isinstance(inner, Flowable):
                    mark_block(inner, index)


def leaf(canv, role: str, key: object, alt: str = "", rect=None):
    """A leaf drawn by hand (a picture, a card's shared part): its marked content, if the
    canvas is tagged. `key` names the leaf within its block: a string, or an object alive
    for the whole document (an illustration)."""
    tagger = getattr(canv, "tagger", None)
    if tagger is None:
        return contextlib.nullcontext()
    name = key if isinstance(key, str) else id(key)
    return tagger.leaf(canv, role, name, role, "", alt, rect)


def text_leaf(flow, style: str, text: str = "") -> None:
    """Mark a paragraph or label as a leaf set in `style`, in the language of `text`."""
    flow.booklet_role = style
    flow.booklet_key = next(KEYS)  # not id(): a paragraph made and dropped frees its id
    lang = getattr(text, "lang", "")
    if lang:
        flow.booklet_lang = lang


def in_language(text: str, lang: str | None) -> str:
    """A string printed in another language than the document's (a bilingual layout's
    second titles): its paragraph is tagged with that language."""
    return Text(text, lang=lang) if lang and text else text


def keep_tags(parts: list, whole) -> None:
    """The parts of a split paragraph are parts of the same leaf."""
    for name in (*SPLIT_KEEPS, "booklet_key", "booklet_alt"):
        if hasattr(whole, name):
            for part in parts:
                setattr(part, name, getattr(whole, name))


_draw_on = Flowable.drawOn


def _tagged_draw_on(self, canvas, x, y, _sW=0):  # noqa: N803 (ReportLab's name)
    if getattr(canvas, "dummy", False) and not getattr(self, "in_dummy", False):
        # A dummy's pages are measured, not drawn (overprint.Dummy). A container (a
        # program row's table, a photo row) is not drawn either, so what its paragraphs
        # would report (an overflow inside a cell) is not seen by the try: the setting
        # kept is drawn and reports it, only the air chosen may differ.
        return None
    tagger = getattr(canvas, "tagger", None)
    if tagger is None:
        return _draw_on(self, canvas, x, y, _sW)
    with tagger.drawing(canvas, self, x, y):
        return _draw_on(self, canvas, x, y, _sW)


Flowable.drawOn = _tagged_draw_on
