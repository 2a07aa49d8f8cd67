"""Turn a PDF's catalogue and annotations into findings: output intent, PDF/X, links on paper.

- `output-intent`: a print file names the press condition its colours are meant for
  (an /OutputIntents entry of subtype GTS_PDFX with an ICC profile or a registered name);
- `pdfx`: it says which PDF/X it is (GTS_PDFXVersion in the document information or in
  the XMP metadata);
- `link`: a link annotation inside the trimmed page is a screen feature: in a print
  file it is at best ignored, and PDF/X forbids it on the printed area.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from ..errors import Diagnostics, Location
from .page import Page, box_of, overlaps


def check_print_file(pdf: pikepdf.Pdf, pages: list[Page], name: str, out: Diagnostics) -> None:
    """The file-wide print rules: an output intent, a PDF/X version, no links on paper."""
    where = Location(name)
    intents = pdf.Root.get("/OutputIntents")
    pdfx = [
        i
        for i in (intents if isinstance(intents, pikepdf.Array) else [])
        if isinstance(i, pikepdf.Dictionary) and i.get("/S") == Name("/GTS_PDFX")
    ]
    if not pdfx:
        out.warn(
            "output-intent",
            where,
            "OutputIntents",
            "no output intent: the file does not say which press condition its colours are for",
            "add a GTS_PDFX output intent with the printer's ICC profile (booklet writes one)",
        )
    elif not any("/DestOutputProfile" in i or "/OutputConditionIdentifier" in i for i in pdfx):
        out.warn(
            "output-intent",
            where,
            "OutputIntents",
            "the output intent names neither an ICC profile nor a registered condition",
            "give it a DestOutputProfile or an OutputConditionIdentifier",
        )
    if not _pdfx_version(pdf):
        out.warn(
            "pdfx",
            where,
            "Info.GTS_PDFXVersion",
            "no PDF/X identification (GTS_PDFXVersion in the document information or XMP)",
            "export as PDF/X-4 (or PDF/X-1a): print shops check files against it",
        )
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        _check_links(pdf_page, page)


def _pdfx_version(pdf: pikepdf.Pdf) -> str:
    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary) and "/GTS_PDFXVersion" in info:
        return str(info["/GTS_PDFXVersion"])
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False)
        return str(meta.get("pdfxid:GTS_PDFXVersion", "") or meta.get("pdfx:GTS_PDFXVersion", ""))
    except Exception:  # damaged XMP is not this rule's finding
        return ""


def _check_links(pdf_page: pikepdf.Page, page: Page) -> None:
    trim = box_of(pdf_page.obj.get("/TrimBox")) or box_of(pdf_page.obj.get("/MediaBox"))
    annots = pdf_page.obj.get("/Annots")
    links = [
        a
        for a in (annots if isinstance(annots, pikepdf.Array) else [])
        if isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") == Name("/Link")
    ]
    rects = [box_of(a.get("/Rect")) for a in links]
    inside = [r for r in rects if trim and r is not None and overlaps(r, trim)]
    if inside:
        page.out.warn(
            "link",
            page.loc,
            f"{page.path}.Annots",
            f"{len(inside)} link annotation(s) inside the printed area",
            "links belong in the screen PDF; leave them out of the print file",
        )
