"""Turn any PDF into the findings a print shop's preflight would report.

`preflight()` checks a PDF, ours or anyone's, and returns `Diagnostic`s. For a PDF the
location reads differently from YAML: `Location(file=name, line=PAGE, column=0)`, so *line*
is the page number counted from 1 (0 for the whole document), and *field* names what on the
page is wrong, e.g. `page[3].TrimBox` or `page[2].XObject[Fm0].Font[F1]`.

Rules, each with a stable code (`RULES`): `boxes`, `bleed`, `font-embedded`, `font-subset`,
`rgb`, `image-ppi`, `hairline`, `safe-zone`, `page-count`, plus `pdf` (the file cannot be
read, parsed or rendered) and `limit` (a page too complex to check in bounded time).
QR codes are not detected: that needs a decoder, which is only a test dependency.
The content walk is in `content`, its images in `images`, the fonts in `fonts`, the rendered
checks (bleed, safe zone) in `rendering`; `page` is the page they all report on.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pikepdf

from ..errors import Diagnostic, Diagnostics, Location
from .content import OP_LIMIT, check_content
from .fonts import check_fonts
from .page import Page, box_of, inherited, plural, unreadable
from .print_file import check_print_file
from .rendering import MM, Box, Geometry, check_rendered

__all__ = [
    "RULES",
    "TOLERANCE",
    "as_json",
    "file_rules",
    "first_trim",
    "format_findings",
    "page_count_rule",
    "preflight",
    "preflight_pages",
    "report",
]

RULES: dict[str, str] = {
    "pdf": "the file opens, parses and renders as a PDF",
    "boxes": "TrimBox and BleedBox on every page, MediaBox ⊇ BleedBox ⊇ TrimBox, one trim size",
    "bleed": "artwork that touches the trim edge runs on to the bleed edge",
    "font-embedded": "every font is embedded (base-14 fonts too)",
    "font-subset": "embedded fonts are subset",
    "rgb": "no RGB colour operators, colour spaces, shadings or images",
    "image-ppi": "images have 300 ppi at their placed size (error under 150)",
    "hairline": "strokes are at least 0.25 pt wide (0 is the device's thinnest line)",
    "safe-zone": "text keeps the safe distance from the trim edge",
    "page-count": "a booklet has a multiple of four pages",
    "output-intent": "a print file names its press condition (a GTS_PDFX output intent)",
    "pdfx": "a print file says which PDF/X it is (GTS_PDFXVersion)",
    "link": "no link annotations inside the printed area",
    "small-text": "text is at least 6 pt",
    "knockout-small-type": "white or coloured type under 9 pt is not knocked out of rich black",
    "text-off-page": "no text runs past the trim edge",
    "limit": "every operator of a page was checked",
}

TOLERANCE = 0.01  # pt, for box comparisons


# --- public API ---------------------------------------------------------------------------


def preflight(
    data: bytes,
    name: str,
    *,
    booklet: bool = False,
    safe_mm: float = 3.0,
    part: tuple[int, int] | None = None,
) -> list[Diagnostic]:
    """Every finding for the PDF `data`, as a print shop's preflight would report them.

    `name` is the file name the findings carry; each is located at its page (`line`).
    `booklet` asks for a page count that is a multiple of four; `safe_mm` is the distance
    from the trim edge text should keep. `part` = (start, stop) checks only those pages
    (0-based) — the file-wide rules with the part that starts at 0 — so that the parts
    of a long file can be checked side by side.
    """
    start, stop = part or (0, None)
    return _run(data, name, booklet, safe_mm, (start, stop), start == 0, 1)


def preflight_pages(data: bytes, name: str, first_page: int, safe_mm: float = 3.0) -> list:
    """The page rules only (content, bleed, safe zone) for a batch of pages of a longer
    file, numbered from `first_page` as they will be in the whole; `file_rules` checks
    the whole file's own rules."""
    return _run(data, name, False, safe_mm, (0, None), False, first_page)


def file_rules(
    pdf: pikepdf.Pdf,
    name: str,
    booklet: bool = False,
    first_page: int = 1,
    first: tuple[int, Box] | None = None,
) -> list[Diagnostic]:
    """The file-wide rules only (page count, boxes and one trim size, fonts), on a document
    still open: a collated file is checked part by part as it is written.

    A part's pages are numbered from `first_page`; `first` is (page, trim) of the whole
    file's first trimmed page, which every page's trim must match (by default, the
    part's own)."""
    out = Diagnostics()
    pages = [Page(n, name, out) for n in range(first_page, first_page + len(pdf.pages))]
    if first_page == 1:
        _check_page_count(len(pages), booklet, name, out)
    _check_boxes(pdf, pages, out, first)
    check_fonts(pdf, pages, out)
    return sorted(out.items, key=lambda d: d.location.line if d.location else 0)


def _run(
    data: bytes,
    name: str,
    booklet: bool,
    safe_mm: float,
    span: tuple[int, int | None],
    file_rules: bool,
    first_page: int,
) -> list[Diagnostic]:
    out = Diagnostics()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        out.error("pdf", Location(name), "", unreadable(exc))
        return out.items
    with pdf:
        count = len(pdf.pages)
        pages = [Page(n, name, out) for n in range(first_page, first_page + count)]
        start, stop = span[0], count if span[1] is None else span[1]
        if file_rules:
            _check_page_count(count, booklet, name, out)
            geometry = _check_boxes(pdf, pages, out)
            check_print_file(pdf, pages, name, out)
        else:
            geometry = [_geometry(p.obj) for p in pdf.pages]
        clean: dict = {}  # forms found clean, shared by the pages
        pdf_pages = list(pdf.pages)[start:stop]
        for page, pdf_page in zip(pages[start:stop], pdf_pages, strict=True):
            check_content(pdf_page, page, OP_LIMIT, clean)  # this module's: it can be lowered
        if file_rules:  # after the walk: a font no text is shown in needs no embedding
            walked = pages[start:stop] if stop - start == count else None
            shown = set().union(*(p.lettering.shown for p in walked)) if walked else None
            check_fonts(pdf, pages, out, shown)
    if stop > start:
        check_rendered(data, pages[start:stop], geometry[start:stop], safe_mm * MM, out, start)
    return sorted(out.items, key=lambda d: d.location.line if d.location else 0)


def format_findings(findings: Sequence[Diagnostic], name: str = "") -> str:
    """The findings as a person reads them, ending with a count of errors and warnings."""
    lines = [d.format() for d in findings]
    errors = sum(d.severity == "error" for d in findings)
    warnings = len(findings) - errors
    verdict = "passed" if not errors else "failed"
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    lines.append(f"{name + ': ' if name else ''}preflight {verdict} ({counts})")
    return "\n".join(lines)


def report(name: str, findings: Sequence[Diagnostic]) -> dict[str, Any]:
    """One file's findings as plain data, for `--json` and report.json."""
    errors = sum(d.severity == "error" for d in findings)
    return {
        "file": name,
        "passed": not errors,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [d.as_dict() for d in findings],
    }


def as_json(results: Mapping[str, Sequence[Diagnostic]]) -> str:
    """The findings of several files (file name → findings) as one JSON document."""
    files = [report(name, findings) for name, findings in results.items()]
    summary = {
        "passed": all(f["passed"] for f in files),
        "errors": sum(f["errors"] for f in files),
        "warnings": sum(f["warnings"] for f in files),
        "files": files,
    }
    return json.dumps(summary, indent=2, ensure_ascii=False)


# --- document-level rules ----------------------------------------------------------------


def page_count_rule(count: int, booklet: bool, name: str) -> list[Diagnostic]:
    """The page-count rule alone, for a file checked part by part: a booklet's count."""
    out = Diagnostics()
    _check_page_count(count, booklet, name, out)
    return out.items


def _check_page_count(count: int, booklet: bool, name: str, out: Diagnostics) -> None:
    if booklet and count % 4:
        out.error(
            "page-count",
            Location(name),
            "pages",
            f"a booklet needs a multiple of 4 pages, found {count}",
            f"add {-count % 4} pages (notes or blank) before the back cover",
        )


def first_trim(pdf: pikepdf.Pdf) -> tuple[int, Box] | None:
    """(page number, trim) of the first page of `pdf` with a TrimBox: the size of the cut."""
    for number, page in enumerate(pdf.pages, 1):
        trim = box_of(page.obj.get("/TrimBox"))
        if trim:
            return number, trim
    return None


def _check_boxes(
    pdf: pikepdf.Pdf, pages: list[Page], out: Diagnostics, first: tuple[int, Box] | None = None
) -> list[Geometry]:
    """TrimBox and BleedBox on every page, nested in MediaBox, one trim size throughout."""
    geometry = [_geometry(p.obj) for p in pdf.pages]
    for key, attr in (("TrimBox", "trim"), ("BleedBox", "bleed")):
        missing = [p for p, g in zip(pages, geometry, strict=True) if getattr(g, attr) is None]
        if missing:
            out.error(
                "boxes",
                missing[0].loc,
                f"{missing[0].path}.{key}",
                f"{key} missing on {_page_list([p.number for p in missing], len(pages))}",
                "a print file sets TrimBox (the cut) and BleedBox (trim + bleed) on every page",
            )
    if first is None:
        pairs = zip(pages, geometry, strict=True)
        first = next(((p.number, g.trim) for p, g in pairs if g.trim), None)
    for page, geo in zip(pages, geometry, strict=True):
        _check_nesting(page, geo, first)
    return geometry


def _check_nesting(page: Page, geo: Geometry, first: tuple[int, Box] | None) -> None:
    pairs = (
        ("BleedBox", geo.bleed, "TrimBox", geo.trim),
        ("MediaBox", geo.media, "BleedBox", geo.bleed),
    )
    for outer_key, outer, inner_key, inner in pairs:
        if outer and inner and not _contains(outer, inner):
            page.out.error(
                "boxes",
                page.loc,
                f"{page.path}.{inner_key}",
                f"{inner_key} {_fmtbox_of(inner)} is not inside {outer_key} {_fmtbox_of(outer)}",
                "MediaBox must contain BleedBox, and BleedBox must contain TrimBox",
            )
    if geo.trim and first and not _same_size(geo.trim, first[1]):
        page.out.error(
            "boxes",
            page.loc,
            f"{page.path}.TrimBox",
            f"trim size {_fmt_size(geo.trim)} differs from page {first[0]}'s {_fmt_size(first[1])}",
            "every page of a print file is cut to the same size",
        )


def _geometry(page: pikepdf.Dictionary) -> Geometry:
    media = box_of(inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    return Geometry(media, box_of(page.get("/TrimBox")), box_of(page.get("/BleedBox")))


def _contains(outer: Box, inner: Box) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _same_size(a: Box, b: Box) -> bool:
    return (
        abs((a[2] - a[0]) - (b[2] - b[0])) <= TOLERANCE
        and abs((a[3] - a[1]) - (b[3] - b[1])) <= TOLERANCE
    )


def _fmtbox_of(box: Box) -> str:
    return "[" + " ".join(f"{v:g}" for v in (round(v, 2) for v in box)) + "]"


def _fmt_size(box: Box) -> str:
    return f"{(box[2] - box[0]) / MM:.1f} × {(box[3] - box[1]) / MM:.1f} mm"


def _page_list(numbers: list[int], total: int) -> str:
    """'every page', 'page 3' or 'pages 1–4, 7'."""
    if len(numbers) == total and total > 1:
        return "every page"
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"page{'s' if len(numbers) > 1 else ''} {text}"


# --- fonts --------------------------------------------------------------------------------
