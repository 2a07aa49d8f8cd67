"""Turn a document's print and screen files into the files made from them: preview,
reader spreads, imposition, printer's marks and each guest's own card."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..compose.document import Document
from ..impose.plan import Binding, Sheet, plan_nup, plan_saddle
from ..impose.sheets import center_on_sheet, impose_doc, spreads_pdf
from ..language import fonts
from ..language.bidi import is_rtl
from ..output.collate import read
from ..output.preview import render_pages
from ..output.staging import SHEET_MAX_PAGES, Spooled, contact_sheet
from ..prepress.archive import archive_file
from ..prepress.files import page_files, save, slug_sheets
from ..prepress.marks import marks_pdf, sheet_of
from ..prepress.pdfx import unclaim
from ..prepress.tagged import page_tags, tagged
from ..read.layout import Layout
from ..read.model import Guest
from ..read.paper import office_paper
from ..typeset.panels import fold_plan
from ..typeset.tagging import Tags
from .forks import Pending

if TYPE_CHECKING:
    from .jobs import Built, Job


def finish(
    built: Built,
    job: Job,
    printed: bytes | Spooled,
    screen: bytes | Spooled,
    faces: dict[str, fonts.Face],
    imposed_file: bytes | Spooled | None = None,
    spreads_from: bytes | Spooled | None = None,
) -> None:
    """Every file made from the print and screen files: preview, spreads, imposition.

    `imposed_file`: a long document's, made already, part by part (`long_document`); a long
    document's files may be spooled, each read only by what needs its bytes. Each is
    made here, in turn: a helper process kept beside the build bought under 10 % on every
    benchmark row (bench/README.md, "What the process machinery buys") and was removed."""
    layout, name, lang = job.layout, job.name, job.lang
    stem = f"{name}.{lang}"
    later: dict[str, Any] = {}
    if layout.kind == "booklet" and imposes(layout):
        source, binding = spreads_from or screen, binding_of(layout, lang)
        later[f"{stem}.spreads.pdf"] = Pending(lambda: spreads_pdf(read(source), binding=binding))
    if imposed_file is not None:
        later[f"{stem}.imposed.pdf"] = Pending(lambda: imposed_file)
    elif imposes(layout):
        line, font = f"{name} · {lang}", latin_font(faces)
        sheets = functools.partial(imposed, read(printed), built.pages, layout, lang, line, font)
        later[f"{stem}.imposed.pdf"] = Pending(sheets)
    try:
        built.files = {
            f"{stem}.pdf": printed,
            f"{stem}.screen.pdf": screen,
            f"{stem}.png": preview_sheet(screen, printed, built, layout, job.proof),
        }
        if job.archive:
            built.files[f"{stem}.archive.pdf"] = archive_file(read(screen))
        for file, made in later.items():
            built.files[file] = made()
    finally:
        for made in later.values():
            made.cancel()  # a failed build does not wait for them


def guest_files(
    screen: bytes, job: Job, guests: Sequence[Guest], tags: Tags | None = None
) -> dict[str, bytes]:
    """Each guest's card as a file of its own, from the (untagged) screen file of their
    cards; with the typesetter's `tags`, each file is tagged with its own card's structure."""
    names = [f"{job.name}.{job.lang}.guests/{guest.id}.pdf" for guest in guests]
    if tags is None or len(tags.streams) != len(names):
        return page_files(screen, names)
    own = page_tags(tags)
    # Each file is tagged before its one save (not saved, opened again, tagged and saved).
    return page_files(screen, names, lambda n, pdf: tagged(pdf, own[n]))


def preview_sheet(
    screen: bytes | Spooled, printed: bytes | Spooled, built: Built, layout: Layout, proof: bool
) -> bytes:
    """The contact sheet: trimmed pages, or with --proof the print pages with their guides."""
    spreads = layout.kind == "booklet"
    rtl = binding_of(layout, built.lang) == "right"
    if not proof:
        return contact_sheet(read(screen), spreads, rtl=rtl)
    pages = list(range(1, min(built.pages, SHEET_MAX_PAGES) + 1))
    overlays = render_pages(read(printed), pages, 60, True, built.folds)
    return contact_sheet(read(printed), spreads, overlays, rtl=rtl)


def page_folds(layout: Layout, pages: int, lang: str = "") -> list[tuple[float, ...]] | None:
    if layout.kind != "folded":
        return None
    plan = fold_plan(layout, lang)
    return [plan.outside.folds, plan.inside.folds][:pages]


def imposed(
    printed: bytes, pages: int, layout: Layout, lang: str, job: str = "", font: str = ""
) -> bytes:
    """Printer spreads for saddle stitching, or cards n-up, on a fitted or a press sheet."""
    sheets, sheet = imposition_plan(layout, lang, pages), sheet_of(layout)
    if layout.imposition.sheet == "press":
        trim = (sheet.width, sheet.height)
        sides = impose_doc(printed, sheets, trim=trim, bleed=sheet.bleed, slug=sheet.slug)
        slug_sheets(sides, slug_lines(job, sheets), sheet.slug - sheet.bleed, font)
        return save(sides, "1.6")
    spreads = impose_doc(printed, sheets, trim=(sheet.width, sheet.height), bleed=0.0, slug=0.0)
    paper = office_paper(layout)
    if paper:
        center_on_sheet(spreads, paper)
    unclaim(spreads)  # trimmed pages with no bleed: an office print, not PDF/X
    return save(spreads, "1.6")  # one save for the imposition, the fit and the claim


def imposes(layout: Layout) -> bool:
    """Whether a layout's documents get an imposed file: booklets and cards, unless the
    layout says `imposition: {sheet: none}`."""
    return layout.kind in ("card", "booklet") and layout.imposition.sheet != "none"


def binding_of(layout: Layout, lang: str) -> Binding:
    """The spine's side: the right for a right-to-left language, else the layout's."""
    return "right" if is_rtl(lang) else layout.imposition.binding


def imposition_plan(layout: Layout, lang: str, pages: int) -> tuple[Sheet, ...]:
    """The sheets of an imposed file: cards n-up in cut-and-stack order, a booklet's
    pages saddle-stitched (with creep and duplex as the layout says)."""
    how = layout.imposition
    if layout.kind == "card":
        return plan_nup(pages, how.across, how.down)
    binding = binding_of(layout, lang)
    return plan_saddle(pages, binding=binding, caliper=how.caliper, duplex=how.duplex)


def slug_lines(job: str, sheets: Sequence[Sheet]) -> list[str]:
    """The slug line of each press sheet side: job, sheet n of m, front or back."""
    return [
        f"{job} · sheet {s.number} of {len(sheets)}, {face}"
        for s in sheets
        for face, side in (("front", s.front), ("back", s.back))
        if side is not None
    ]


def latin_font(faces: dict[str, fonts.Face]) -> str:
    """The face for marks and slug lines: the layout's sans, else any."""
    return faces.get("sans", next(iter(faces.values()))).name


def page_marks(
    document: Document,
    pages: int,
    faces: dict[str, fonts.Face],
    first: int = 1,
    total: int | None = None,
) -> bytes:
    """The printer's marks of every page; the slug line names the job, language and page.

    A part of a longer file (a batch of cards) numbers its pages `first`… of `total`;
    total 0: not known yet (a part of a long document), the slug gives the page alone."""
    font = latin_font(faces)
    job = f"{document.name} · {document.lang}"  # no content text: the marks font is Latin
    of = "" if total == 0 else f"/{total or pages}"
    slugs = [f"{job} · {n}{of}" for n in range(first, first + pages)]
    folds = page_folds(document.layout, pages, document.lang)
    return marks_pdf(document.layout, font, slugs, folds)
