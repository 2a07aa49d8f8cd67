"""Turn a long guest list into one card file, set in batches on every core and collated.

Each batch of cards is typeset, given its bleed and marks and (with `--per-guest`) split
into guests' files in a process of its own, as many at once as there are cores, where
its pages are preflighted too. The parent collates the batches' pages into the print
and screen files and imposes the deck, writing each file as it goes (`output/collate.py`), and
checks the print file's own rules (boxes, fonts) on each batch as it is written.
ReportLab holds one batch at a time, qpdf one batch's file; when the build writes, the
batches' files and the collated files go to a spool folder on the output's filesystem,
not into memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import pikepdf

from ..compose.composer import compose
from ..compose.document import Card
from ..errors import Diagnostic, Diagnostics
from ..impose.plan import Sheet
from ..language import fonts
from ..language.typography import marks
from ..output.collate import Collator, Pages, read
from ..output.staging import Spooled, spool, spool_file
from ..preflight.checks import file_rules, first_trim, preflight_pages
from ..prepress.archive import archive_file
from ..prepress.files import print_file, screen_file, screen_pages
from ..prepress.marks import sheet_of
from ..prepress.pdfx import build_date, identify
from ..prepress.tagged import decked, packed, tag
from ..read.model import Guest
from ..read.types import Ident, Text
from ..typeset.doctemplate import Mark
from ..typeset.document_pdf import typeset
from ..typeset.tagging import Tags
from .card_decks import Deck
from .finish import (
    guest_files,
    imposes,
    imposition_plan,
    latin_font,
    office_paper,
    page_marks,
    preview_sheet,
    slug_lines,
)
from .forks import fork_imap, spare_core
from .jobs import Built, Job, add_findings

CARDS_PER_BATCH = 125  # more: more memory in each process; fewer: more forks and joins


@dataclass
class Part:
    """One batch of cards, finished: its print and screen pages, diagnostics and own files."""

    first: int  # the number of its first card in the whole file
    pages: int
    title: str
    printed: bytes | Spooled = b""
    screen: bytes | Spooled = b""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)  # its pages' preflight
    files: dict[str, bytes | Spooled] = field(default_factory=dict)
    outline: list[Mark] = field(default_factory=list)  # a document's part: its bookmarks
    marks: bytes | Spooled = b""  # a document's part: its printer's marks, to lay over it
    tags: Tags | None = None  # a batch's screen pages' structure (prepress/tagged)
    # a document's part: the same, deflated and pickled in the parts' folder until the end
    structure: Spooled | None = None


def batches(count: int, size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch: even batches of at most `size` cards."""
    parts = max(1, -(-count // size))
    bounds = [round(count * n / parts) for n in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def build_cards(job: Job, faces: dict[str, fonts.Face], diags: Diagnostics) -> Built:
    """The card file of every guest: batches set on every core, each collated into the
    print, screen and imposed files as soon as it is done, while the next ones are set."""
    built = Built(job.name, job.lang, 0)
    spans = batches(len(job.guests), CARDS_PER_BATCH)
    glyphs = card_glyphs(job) if len(spans) > 1 else ""
    if spare_core():
        rehearse(job, faces, glyphs)
    found: list[Diagnostic] = []  # each page, checked in its batch
    batch = functools.partial(card_batch, job, faces, glyphs)
    deck, parts = Collated(job, found), fork_imap(batch, spans)
    first: Part | None = None
    try:
        with contextlib.closing(parts):
            for part in parts:
                for diagnostic in part.diagnostics:
                    diags.add(diagnostic)
                built.pages += part.pages
                built.files.update(part.files)
                found.extend(part.findings)
                if not diags.errors:
                    deck.add(part)
                first = first or part
                if part is not first:
                    unspool(part.printed, part.screen)
        if diags.errors:
            return built
        assert first is not None
        built.files = {**deck.close(built.pages, faces), **built.files}
        # The first batch holds every card the contact sheet shows.
        sheet = preview_sheet(read(first.screen), read(first.printed), built, job.layout, job.proof)
        built.files[f"{job.name}.{job.lang}.png"] = sheet
    finally:
        deck.discard()
        if first is not None:
            unspool(first.printed, first.screen)
    found.sort(key=lambda d: d.location.line if d.location else 0)
    built.preflight = add_findings(f"{job.name}.{job.lang}.pdf", found, diags)
    return built


class Collated:
    """The print, screen and (cards) imposed files of a long job, written part by part:
    a batch of cards, or a part of a long document (`parts.py`).

    `impose`: the pages are written as forms into the imposed file as they come (cards
    n-up, a booklet's pages saddle-stitched), its sheets once the count is known;
    `trimmed`: the parts' screen files are their typeset PDFs as they are, whose forms
    get their states as they are collated."""

    def __init__(
        self, job: Job, found: list[Diagnostic], impose: bool = True, trimmed: bool = False
    ):
        self.job, self.found, self.trim = job, found, None
        self.tags: list[Tags] | None = None if trimmed else []  # cards: each batch's structure
        self.first_title = ""
        self.printed, self.screen = _Output(job, "1.6"), _Output(job, "1.5")
        self.print_pages = Pages(self.printed.collator, self._identify, self._rules)
        each = screen_pages if trimmed else None
        self.screen_pages = Pages(self.screen.collator, each=each)
        self.imposed = self.deck = None
        if impose and imposes(job.layout):
            sheet, press = sheet_of(job.layout), job.layout.imposition.sheet == "press"
            self.imposed = _Output(job, "1.6")
            trim = (sheet.width, sheet.height)
            self.deck = Deck(self.imposed.collator, trim, press, self._identify)

    def add(self, part: Part) -> None:
        """Write a batch's cards into every file."""
        self.first_title = self.first_title or part.title
        self.print_pages.add(part.printed)
        self.screen_pages.add(part.screen)
        if self.tags is not None and part.tags is not None:
            self.tags.append(part.tags)
        if self.deck is not None:
            self.deck.add(part.printed)

    def close(self, pages: int, faces: dict[str, fonts.Face]) -> dict[str, bytes | Spooled]:
        """Finish the files: the imposed one gets its sheets, now that the deck is known."""
        stem = f"{self.job.name}.{self.job.lang}"
        files = {f"{stem}.pdf": self.printed.close(), f"{stem}.screen.pdf": self.tagged()}
        if self.job.archive:  # the whole screen file is read into memory for its copy
            files[f"{stem}.archive.pdf"] = archive_file(read(files[f"{stem}.screen.pdf"]))
        if self.deck is not None and self.imposed is not None:
            sheets = imposition_plan(self.job.layout, self.job.lang, pages)
            self.deck.close(sheets, **self._placed(sheets, faces))
            files[f"{stem}.imposed.pdf"] = self.imposed.close()
        return files

    def tagged(self) -> bytes | Spooled:
        """The screen file, tagged with the batches' records joined (`tagged.decked`): read
        into memory whole once it is written, its pages' streams swapped, no page set again."""
        screen = self.screen.close()
        if not self.tags:
            return screen
        whole = tag(read(screen), decked(self.tags))
        self.tags = None  # the records are in the file now
        if isinstance(screen, Spooled):
            screen.path.write_bytes(whole)
            return screen
        return whole

    def discard(self) -> None:
        """Drop what a failed build wrote (nothing, after `close`)."""
        for output in (self.printed, self.screen, self.imposed):
            if output is not None:
                output.discard()

    def _identify(self, pdf: pikepdf.Pdf) -> None:
        # The first batch's file makes the whole PDF/X (`pdfx.identify`).
        identify(pdf, self.first_title, self.job.lang, build_date(self.job.content.event.date))

    def _rules(self, pdf: pikepdf.Pdf, page: int) -> None:
        # The print file's own rules on each batch; every card's trim matches the first's.
        shown = f"{self.job.name}.{self.job.lang}.pdf"
        self.trim = self.trim or first_trim(pdf)
        self.found.extend(file_rules(pdf, shown, first_page=page, first=self.trim))

    def _placed(self, sheets: tuple[Sheet, ...], faces: dict[str, fonts.Face]) -> dict[str, Any]:
        """How the sheets are made, as `finish.imposed` makes them."""
        layout = self.job.layout
        if layout.imposition.sheet == "press":
            sheet = sheet_of(layout)
            slugs = slug_lines(f"{self.job.name} · {self.job.lang}", sheets)
            return {
                "bleed": sheet.bleed,
                "slug": sheet.slug,
                "slugs": slugs,
                "font": latin_font(faces),
            }
        # trimmed pages on an office sheet: no bleed, no slug, not PDF/X
        return {"bleed": 0.0, "slug": 0.0, "paper": office_paper(layout)}


class _Output:
    """A file a collator writes: into the job's spool folder, or held when it has none."""

    def __init__(self, job: Job, version: str):
        self.path = None
        self.handle: BinaryIO = io.BytesIO()
        if job.spool is not None:
            self.path, self.handle = spool_file(job.spool)
        self.collator = Collator(self.handle, version)
        self.done = False

    def close(self) -> bytes | Spooled:
        self.collator.close()
        self.done = True
        if self.path is None:
            return self.handle.getvalue()
        self.handle.close()
        return Spooled(self.path)

    def discard(self) -> None:
        if self.done:
            return
        self.handle.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def unspool(*files: bytes | Spooled) -> None:
    for file in files:  # a batch's part files are in the collated files now
        if isinstance(file, Spooled):
            file.path.unlink(missing_ok=True)


def card_glyphs(job: Job) -> str:
    """The letters past ASCII that any card of the list may set, in code order.

    Each batch's font subsets start with them (`document.Document.glyphs`), so the batches
    embed the same subsets and the collated files hold each font once, not once a batch.
    The card's own words come from one made for a guest with every field filled in."""
    letters: set[str] = set(marks(job.lang) + "–—…")
    for guest in job.guests:
        for value in (guest.id, guest.name, guest.honorific, guest.seat):
            letters.update(value or "")
    sample = Guest(Ident("x"), Text("x"), Text("x"), Text("x"))
    document = compose(
        job.content,
        job.layout,
        job.name,
        job.lang,
        Diagnostics(),
        (sample,),
        job.second,
        pictures=job.pictures,
    )
    for card in document.blocks:
        if isinstance(card, Card):
            for value in dataclasses.astuple(card):
                letters.update(value if isinstance(value, str) else "")
    return "".join(sorted(c for c in letters if ord(c) > 127))


def rehearse(job: Job, faces: dict[str, fonts.Face], glyphs: str) -> None:
    """Make the first guest's card here, before the batches are forked, and drop it.

    What a process loads for its first card (hyphenation patterns, compiled expressions,
    the first-use state of ReportLab, qpdf and pdfium: ~12 MB) is then loaded once and
    shared by every batch, not loaded again by each."""
    one = dataclasses.replace(job, guests=job.guests[:1], spool=None, per_guest=False)
    card_batch(one, faces, glyphs, (0, 1))


def card_batch(job: Job, faces: dict[str, fonts.Face], glyphs: str, span: tuple[int, int]) -> Part:
    """Typeset, mark, check and split the cards of guests start…stop-1."""
    start, stop = span
    diags = Diagnostics()
    guests = job.guests[start:stop]
    document = compose(
        job.content,
        job.layout,
        job.name,
        job.lang,
        diags,
        guests,
        job.second,
        job.untranslated,
        job.pictures,
    )
    document = dataclasses.replace(document, glyphs=glyphs)
    result = typeset(document, faces, diags)
    part = Part(start + 1, len(result.page_kinds), document.title)
    if not diags.errors:
        total = len(job.guests)
        marks = page_marks(document, part.pages, faces, first=part.first, total=total)
        printed = print_file(result.pdf, job.layout, marks)
        screen = screen_file(result.pdf)
        part.findings = preflight_pages(printed, f"{job.name}.{job.lang}.pdf", part.first)
        # Deflated here, on the batch's core, once for the deck and the guests' files both.
        tags = packed(result.tags) if result.tags is not None else None
        if job.per_guest:
            files = guest_files(screen, job, guests, tags)
            part.files = {name: spool(data, job.spool) for name, data in files.items()}
        part.printed, part.screen = spool(printed, job.spool), spool(screen, job.spool)
        part.tags = tags  # the whole deck's screen file is tagged from these
    part.diagnostics = diags.items
    return part
