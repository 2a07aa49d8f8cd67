"""Turn a long guest list into one card file, set in batches on every core and joined.

Each batch of cards is typeset, given its bleed and marks and (with `--per-guest`) split
into guests' files in a process of its own, as many at once as there are cores, where
its pages are preflighted too; the parent joins the batches' pages into the print and
screen files, checks the joined file's own rules (boxes, fonts) as it saves it, and
imposes the deck. ReportLab holds
one batch at a time, not the whole list; the joined files are held whole.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

import pikepdf

from . import fonts
from .beside import fork_map
from .compose import compose
from .errors import Diagnostic, Diagnostics
from .pdfx import build_date, identify
from .pipeline import Built, Job, add_findings, finish, guest_files, page_marks
from .preflight import file_rules, preflight_pages
from .prepress import print_file, retag_fonts, save, screen_file
from .typeset import typeset

CARDS_PER_BATCH = 250  # fewer: more joins and font copies; more: more memory per process


@dataclass
class Part:
    """One batch of cards, finished: its print and screen pages, diagnostics and own files."""

    first: int  # the number of its first card in the whole file
    pages: int
    title: str
    printed: bytes = b""
    screen: bytes = b""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)  # its pages' preflight
    files: dict[str, bytes] = field(default_factory=dict)


def batches(count: int, size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch: even batches of at most `size` cards."""
    parts = max(1, -(-count // size))
    bounds = [round(count * n / parts) for n in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def build_cards(job: Job, faces: dict[str, fonts.Face], diags: Diagnostics) -> Built:
    """The card file of every guest, built batch by batch and joined."""
    spans = batches(len(job.guests), CARDS_PER_BATCH)
    parts = fork_map(functools.partial(card_batch, job, faces), spans)
    for part in parts:
        for diagnostic in part.diagnostics:
            diags.add(diagnostic)
    built = Built(job.name, job.lang, sum(part.pages for part in parts))
    if diags.errors:
        return built
    title, when = parts[0].title, build_date(job.content.event.date)
    shown = f"{job.name}.{job.lang}.pdf"
    found = [f for part in parts for f in part.findings]  # each page, checked in its batch

    def finish_print(pdf: pikepdf.Pdf) -> None:
        identify(pdf, title, job.lang, when)
        # The joined file's own rules (boxes, one trim size, the renamed fonts), on the
        # document as it is saved: no second parse of ten thousand pages.
        found.extend(file_rules(pdf, shown))

    printed = joined([part.printed for part in parts], finish_print, "1.6")
    screen = joined([part.screen for part in parts])
    guests = {name: data for part in parts for name, data in part.files.items()}
    del parts  # their pages are in the joined files now: memory for the imposition
    found.sort(key=lambda d: d.location.line if d.location else 0)
    built.preflight = add_findings(shown, found, diags)
    finish(built, job, printed, screen, faces)
    built.files.update(guests)
    return built


def card_batch(job: Job, faces: dict[str, fonts.Face], span: tuple[int, int]) -> Part:
    """Typeset, mark, check and split the cards of guests start…stop-1."""
    start, stop = span
    diags = Diagnostics()
    guests = job.guests[start:stop]
    document = compose(
        job.content, job.layout, job.name, job.lang, diags, guests, job.second, job.untranslated
    )
    result = typeset(document, faces, diags)
    part = Part(start + 1, len(result.page_kinds), document.title)
    if not diags.errors:
        total = len(job.guests)
        marks = page_marks(document, part.pages, faces, first=part.first, total=total)
        part.printed = print_file(result.pdf, job.layout, marks)
        part.screen = screen_file(result.pdf)
        part.findings = preflight_pages(part.printed, f"{job.name}.{job.lang}.pdf", part.first)
        if job.per_guest:
            part.files = guest_files(part.screen, job, guests)
    part.diagnostics = diags.items
    return part


def joined(files: list[bytes], amend=None, version: str = "") -> bytes:
    """The pages of several PDFs saved as one; the first gives the document's keys.

    Every batch embeds its own font subsets under ReportLab's tags (AAAAAA+…): a batch's
    tags are renamed so that no two different subsets share a name in the joined file.
    `amend` changes the joined document before it is saved."""
    sources = [pikepdf.open(io.BytesIO(data)) for data in files]
    whole = sources[0]
    try:
        for n, part in enumerate(sources[1:], 2):
            retag_fonts(part, f"batch {n}")
            whole.pages.extend(part.pages)
        if amend is not None:
            amend(whole)
        return save(whole, version)
    finally:
        for pdf in sources:  # qpdf holds every source until the joined file is written
            pdf.close()
