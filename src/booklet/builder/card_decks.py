"""Turn cards of print-file parts into press sheets, written by a collator as they come."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pikepdf

from ..impose.plan import Sheet
from ..impose.sheets import grid_of, label_tree, page_form, sheet_marks, side_content, sides, widen
from ..output.collate import DOCUMENT_KEYS, Collator, SharedFonts, open_part
from ..output.staging import Spooled
from ..prepress.files import registration, retag_fonts
from ..prepress.marks import slug_pdf
from ..prepress.pdfx import unclaim

SLUG_CHUNK = 500  # sheet sides whose slug lines ReportLab sets in one file


def impose_parts(
    collator: Collator,
    sources: Iterable[bytes | Spooled],
    sheets: Sequence[Sheet],
    *,
    trim: tuple[float, float],
    claim: bool = True,
    first: Callable[[pikepdf.Pdf], None] | None = None,
    **placed: Any,
) -> None:
    """`Deck`, for sources that all exist now: `placed` are `Deck.close`'s options."""
    deck = Deck(collator, trim, claim, first)
    for source in sources:
        deck.add(source)
    deck.close(sheets, **placed)


class Deck:
    """Cards of print-file parts placed on sheets as `sheets.impose_doc` places them: each
    card is written as a form as its part is added, then each sheet side as a page.

    Without `claim` the file is not PDF/X (`pdfx.unclaim`); `first(pdf)` amends the first
    source, whose document keys the file takes, before it is copied."""

    def __init__(
        self,
        collator: Collator,
        trim: tuple[float, float],
        claim: bool = True,
        first: Callable[[pikepdf.Pdf], None] | None = None,
    ):
        self.collator, self.trim, self.claim, self.first = collator, trim, claim, first
        self.forms: dict[int, tuple[int, tuple[float, float]]] = {}  # card: form, trim origin
        self.parts = 0
        self.fonts = SharedFonts()

    def add(self, source: bytes | Spooled) -> None:
        """Write each card of `source` as a form, numbered after the cards added before."""
        n, self.parts = self.parts, self.parts + 1
        with open_part(source) as pdf:
            copier = self.collator.part(pdf)
            self.fonts.admit(pdf, copier, n)  # as in the print file
            if n == 0 and self.first is not None:
                self.first(pdf)
            if n == 0:
                if not self.claim:
                    unclaim(pdf)  # trimmed pages with no bleed: an office print, not PDF/X
                copier.keep_document_keys(DOCUMENT_KEYS[:3])  # as sheets.impose_doc
            for page in pdf.pages:
                card = len(self.forms) + 1
                form, origin = page_form(page, card, self.trim)
                self.forms[card] = (copier.copy(form), origin)
            self.fonts.learn(copier)

    def close(
        self,
        sheets: Sequence[Sheet],
        *,
        bleed: float,
        slug: float,
        slugs: Sequence[str] = (),
        font: str = "",
        paper: tuple[float, float] | None = None,
    ) -> None:
        """Write every sheet side as the plan says: `slugs` are the sides' slug lines
        (`prepress.slug_sheets`); `paper` centres the sides on a larger sheet
        (`sheets.center_on_sheet`)."""
        collator, grid = self.collator, grid_of(sheets, self.trim, bleed, slug)
        scratch = pikepdf.new()
        shared = collator.part(scratch)
        marks = sheet_marks(grid)
        stroke = b""
        if marks:
            separation = shared.syntax(registration(scratch))
            stroke = b" /ColorSpace << /CSReg %s >>" % separation
        streams = [collator.new(b"<< >>", marks)] if marks else []
        stamps = _slug_forms(collator, grid, list(slugs), slug - bleed, font) if slugs else []
        if stamps:
            streams.append(collator.new(b"<< >>", b"q /BookletSlug Do Q\n"))
        media = grid.media if paper is None else _centred(grid.media, paper)
        boxes = b"/MediaBox %s /TrimBox %s /BleedBox %s" % (
            _array(media),
            _array(grid.trim),
            _array(widen(grid.trim, bleed)),
        )
        labels = []
        for n, (sheet, side) in enumerate(sides(sheets)):
            face = "front" if side.front else "back"
            labels.append(f"sheet {sheet.number} of {len(sheets)}, {face}")
            content, xobjects = side_content(side, grid, self.forms.__getitem__)
            named = [b"%s %d 0 R" % (name.encode(), number) for name, number in xobjects.items()]
            if stamps:
                named.append(b"/BookletSlug %d 0 R" % stamps[n])
            own = collator.new(b"<< >>", content)
            contents = b" ".join(b"%d 0 R" % number for number in (own, *streams))
            page = b"<< /Type /Page /Parent %d 0 R %s /Resources << /XObject << %s >>%s >> " % (
                collator.tree,
                boxes,
                b" ".join(named),
                stroke,
            )
            collator.pages.append(collator.new(page + b"/Contents [ %s ] >>" % contents))
        collator.catalog["PageLabels"] = shared.syntax(label_tree(labels))


def _slug_forms(
    collator: Collator, grid: Any, labels: list[str], room: float, font: str
) -> list[int]:
    """Each sheet side's slug line as a form (none when the slug has no room for a line)."""
    if room < 4:
        return []
    media = grid.media
    size = (media[2] - media[0], media[3] - media[1])
    forms = []
    for start in range(0, len(labels), SLUG_CHUNK):
        data = slug_pdf(size, labels[start : start + SLUG_CHUNK], font)
        with pikepdf.open(io.BytesIO(data)) as overlay:
            retag_fonts(overlay, "sheet slug" + (f" {start}" if start else ""))
            copier = collator.part(overlay)
            forms.extend(copier.copy(page.as_form_xobject()) for page in overlay.pages)
    return forms


def _centred(media: tuple[float, ...], paper: tuple[float, float]) -> tuple[float, ...]:
    """`media` widened evenly to the paper's size (as `sheets.center_on_sheet`)."""
    x0, y0, x1, y1 = media
    dx, dy = (paper[0] - (x1 - x0)) / 2, (paper[1] - (y1 - y0)) / 2
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def _array(box: Iterable[float]) -> bytes:
    return pikepdf.Array([round(v, 4) for v in box]).unparse()
