"""Turn a long guest list into one card file, set in batches on every core and collated.

Each batch of cards is typeset, given its bleed and marks and (with `--per-guest`) split
into guests' files in a process of its own, as many at once as there are cores, where
its pages are preflighted too. The parent collates the batches' pages into the print
and screen files and imposes the deck, writing each file as it goes (`collate.py`), and
checks the print file's own rules (boxes, fonts) on each batch as it is written.
ReportLab holds one batch at a time, qpdf one batch's file; when the build writes, the
batches' files and the collated files go to a spool folder on the output's filesystem,
not into memory.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from . import fonts
from .beside import fork_map
from .collate import Collator, collate_pages, impose_parts, read
from .compose import compose
from .errors import Diagnostic, Diagnostics
from .impose import fit_sheet, plan_nup
from .marks import sheet_of
from .output import Spooled, spool, spool_file
from .pdfx import build_date, identify
from .pipeline import (
    Built,
    Job,
    add_findings,
    guest_files,
    latin_font,
    page_marks,
    preview_sheet,
    slug_lines,
)
from .preflight import file_rules, first_trim, preflight_pages
from .prepress import print_file, screen_file
from .typeset import typeset

CARDS_PER_BATCH = 250  # fewer: more joins and font copies; more: more memory per process


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


def batches(count: int, size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch: even batches of at most `size` cards."""
    parts = max(1, -(-count // size))
    bounds = [round(count * n / parts) for n in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def build_cards(job: Job, faces: dict[str, fonts.Face], diags: Diagnostics) -> Built:
    """The card file of every guest, built batch by batch and collated."""
    spans = batches(len(job.guests), CARDS_PER_BATCH)
    parts = fork_map(functools.partial(card_batch, job, faces), spans)
    for part in parts:
        for diagnostic in part.diagnostics:
            diags.add(diagnostic)
    built = Built(job.name, job.lang, sum(part.pages for part in parts))
    if diags.errors:
        return built
    stem = f"{job.name}.{job.lang}"
    found = [f for part in parts for f in part.findings]  # each page, checked in its batch
    first = parts[0]
    built.files = {
        f"{stem}.pdf": print_deck(job, parts, found),
        f"{stem}.screen.pdf": _written(
            job, "1.5", lambda out: collate_pages(out, [part.screen for part in parts])
        ),
        # The first batch holds every card the contact sheet shows.
        f"{stem}.png": preview_sheet(
            read(first.screen), read(first.printed), built, job.layout, job.proof
        ),
    }
    if job.layout.imposition.sheet != "none":
        built.files[f"{stem}.imposed.pdf"] = imposed_deck(job, parts, built.pages, faces)
    for part in parts:
        built.files.update(part.files)
        _unspool(part.printed, part.screen)
    found.sort(key=lambda d: d.location.line if d.location else 0)
    built.preflight = add_findings(f"{stem}.pdf", found, diags)
    return built


def print_deck(job: Job, parts: list[Part], found: list[Diagnostic]) -> bytes | Spooled:
    """The print file of every card, identified as PDF/X by the first batch; the file's own
    rules (boxes, one trim size, fonts) are checked on each batch as it is written."""
    shown = f"{job.name}.{job.lang}.pdf"
    trim: list = []  # the first page's trim, which every card's must match

    def each(pdf: pikepdf.Pdf, page: int) -> None:
        trim.append(trim[0] if trim else first_trim(pdf))
        found.extend(file_rules(pdf, shown, first_page=page, first=trim[0]))

    sources = [part.printed for part in parts]
    first = _identify(job, parts[0].title)
    return _written(job, "1.6", lambda out: collate_pages(out, sources, first, each))


def _identify(job: Job, title: str) -> Callable[[pikepdf.Pdf], None]:
    """What makes the first batch's file identify the whole as PDF/X (`pdfx.identify`)."""
    when = build_date(job.content.event.date)
    return lambda pdf: identify(pdf, title, job.lang, when)


def imposed_deck(
    job: Job, parts: list[Part], pages: int, faces: dict[str, fonts.Face]
) -> bytes | Spooled:
    """The cards n-up on sheets, in cut-and-stack order, as `pipeline.imposed` places them."""
    layout, how = job.layout, job.layout.imposition
    sheets = plan_nup(pages, how.across, how.down)
    sheet = sheet_of(layout)
    how_placed: dict[str, Any] = {"trim": (sheet.width, sheet.height)}
    if how.sheet == "press":
        slugs = slug_lines(f"{job.name} · {job.lang}", sheets)
        how_placed.update(bleed=sheet.bleed, slug=sheet.slug, slugs=slugs, font=latin_font(faces))
    else:  # trimmed cards on an office sheet: no bleed, no slug, not PDF/X
        paper = fit_sheet(how.across * layout.trim.width, how.down * layout.trim.height)
        how_placed.update(bleed=0.0, slug=0.0, claim=False, paper=paper[1:] if paper else None)
    sources, first = [part.printed for part in parts], _identify(job, parts[0].title)
    return _written(
        job, "1.6", lambda out: impose_parts(out, sources, sheets, first=first, **how_placed)
    )


def _written(job: Job, version: str, write: Callable[[Collator], None]) -> bytes | Spooled:
    """A file written by a collator: into the job's spool folder, or held when it has none."""
    if job.spool is None:
        held = io.BytesIO()
        collator = Collator(held, version)
        write(collator)
        collator.close()
        return held.getvalue()
    path, handle = spool_file(job.spool)
    with handle:
        collator = Collator(handle, version)
        write(collator)
        collator.close()
    return Spooled(path)


def _unspool(*files: bytes | Spooled) -> None:
    for file in files:  # a batch's part files are in the collated files now
        if isinstance(file, Spooled):
            file.path.unlink(missing_ok=True)


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
        printed = print_file(result.pdf, job.layout, marks)
        screen = screen_file(result.pdf)
        part.findings = preflight_pages(printed, f"{job.name}.{job.lang}.pdf", part.first)
        if job.per_guest:
            files = guest_files(screen, job, guests)
            part.files = {name: spool(data, job.spool) for name, data in files.items()}
        part.printed, part.screen = spool(printed, job.spool), spool(screen, job.spool)
    part.diagnostics = diags.items
    return part
