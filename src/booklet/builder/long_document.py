"""Turn a long document's parts into its files: set beside the process that finishes them.

A process beside the build typesets the parts (`document_parts.PART_PAGES` pages each) in
order — each goes on from the last one's page, so recto and verso, folios and padding
are the whole document's — and draws each one's printer's marks. This process makes
each part's print file, checks its pages (preflight) and collates the parts into the
print and screen files while the next part is set: the two cores share the work that
one did after the other, and ReportLab and qpdf each hold one part at a time. Without
a spare core the same parts are made here in turn, giving the same bytes. Each part's
pages go into the imposed file as they come, as forms; its sheets are written once the
page count is known. Then the spreads and the contact sheet are made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from reportlab.lib.rl_accel import fp_str

from ..compose.document import Document
from ..errors import Diagnostic, Diagnostics
from ..language import fonts
from ..output.collate import Collator, Entry, read
from ..output.staging import Spooled, spool, spool_file, sweep
from ..preflight.checks import page_count_rule, preflight_pages
from ..prepress.files import print_file
from ..prepress.marks import sheet_of
from ..prepress.pictures import forget_decoded
from ..prepress.tagged import joined, packed, tag
from ..typeset.doctemplate import Mark
from ..typeset.document_pdf import typeset_parts
from ..typeset.long_fill import long_air
from ..typeset.tagging import Tags
from .card_batches import Collated, Part, unspool
from .document_parts import PART_PAGES, document_glyphs, filled
from .finish import finish, page_marks
from .forks import fork_stream
from .jobs import Built, Job, add_findings


def build_parts(
    job: Job, faces: dict[str, fonts.Face], diags: Diagnostics, document: Document
) -> Built:
    """The files of a long document, its parts set beside this process and collated here."""
    built = Built(job.name, job.lang, 0)
    shown = f"{job.name}.{job.lang}.pdf"
    document = dataclasses.replace(document, glyphs=document_glyphs(document))
    air = long_air(document, faces, PART_PAGES) if filled(document) else 0.0  # in a few tries
    found: list[Diagnostic] = []  # each page, checked in its part
    sweep(Path(tempfile.gettempdir()), ("parts",))  # what a killed build left (a build
    # that writes puts its parts in its spool folder, on disk, swept with the spool)
    temp = job.spool or Path(tempfile.gettempdir())
    folder = Path(tempfile.mkdtemp(prefix=f".booklet-parts-{os.getpid()}-", dir=temp))
    files = Collated(job, found, trimmed=True)  # written into the spool when the build writes
    slug = sheet_of(job.layout).slug  # the print file's pages are wider by the slug
    # each part's structure (in the parts' folder, not held), joined once the screen file is whole
    structures: list[Spooled] = []
    tags: Tags | None = None
    try:
        parts = fork_stream(lambda: set_parts(job, faces, document, folder, air))
        with contextlib.closing(parts):
            for part in parts:
                for diagnostic in part.diagnostics:
                    diags.add(diagnostic)
                built.pages += part.pages
                if diags.errors:
                    break
                # the print file here, the marks beside: the two processes' shares even out
                part.printed = print_file(read(part.screen), job.layout, read(part.marks))
                found.extend(preflight_pages(part.printed, shown, part.first))
                files.add(part)
                forget_decoded()  # its pictures are in both files: kept prepared, not decoded
                structures += [part.structure] if part.structure is not None else []
                unspool(part.marks, part.screen)
                outline(files.printed.collator, part.outline, slug)
                outline(files.screen.collator, part.outline)
        if diags.errors:
            return built
        found.extend(page_count_rule(built.pages, job.layout.kind == "booklet", shown))
        collated = files.close(built.pages, faces)
        stem = f"{job.name}.{job.lang}"
        printed, screen = collated[f"{stem}.pdf"], collated[f"{stem}.screen.pdf"]
        sheets = collated.get(f"{stem}.imposed.pdf")
        if structures:
            tags = joined([pickle.loads(read(part)) for part in structures])
    finally:
        files.discard()
        shutil.rmtree(folder, ignore_errors=True)
    tagged = spool(tag(read(screen), tags), job.spool) if tags is not None else screen
    finish(built, job, printed, tagged, faces, sheets, spreads_from=screen)
    found.sort(key=lambda d: d.location.line if d.location else 0)
    built.preflight = add_findings(shown, found, diags)
    return built


def set_parts(
    job: Job, faces: dict[str, fonts.Face], document: Document, folder: Path, air: float = 0.0
) -> Iterator[Part]:
    """Typeset the parts in order and draw each one's printer's marks; their files are
    written into `folder`, and each part carries the diagnostics found while it was set."""
    diags, seen = Diagnostics(), 0
    for result in typeset_parts(document, faces, diags, PART_PAGES, air):
        part = Part(result.first, len(result.page_kinds), document.title, outline=result.outline)
        part.diagnostics, seen = diags.items[seen:], len(diags.items)
        if not diags.errors:
            marks = page_marks(document, part.pages, faces, first=part.first, total=0)
            part.marks, part.screen = spool(marks, folder), spool(result.pdf, folder)
            if result.tags is not None:  # deflated here, beside the parent; read at the end
                path, handle = spool_file(folder, ".tags")
                with handle:
                    pickle.dump(packed(result.tags), handle, pickle.HIGHEST_PROTOCOL)
                part.structure = Spooled(path)
        yield part


def outline(collator: Collator, marks: list[Mark], shift: float = 0.0) -> None:
    """A part's bookmarks into the collated file's outline, at their pages there."""
    for mark in marks:
        page = collator.pages[mark.page - 1]
        x, y = fp_str(mark.x + shift), fp_str(mark.y + shift)
        dest = b"[ %d 0 R /XYZ %s %s 0 ]" % (page, x.encode(), y.encode())
        collator.outline.append(
            Entry(mark.level, pikepdf.String(mark.title).unparse(), dest, False)
        )
