"""Turn any PDF into findings on what a PDF/A-2 archival copy claims (`preflight --pdfa`).

Checked, each with a stable code: `pdfa-encrypt` (no encryption), `pdfa-intent` (one
GTS_PDFA1 output intent with an ICC profile), `pdfa-xmp` (pdfaid:part 2, a conformance of
A, B or U; dc:title equal to the Info Title; pdfuaid declared in an extension schema),
`pdfa-action` (no JavaScript or other forbidden action, no additional actions, no
embedded files), `pdfa-annotation` (annotations print and are not hidden), `pdfa-colour`
(DeviceCMYK only where a DefaultCMYK characterizes it, under an RGB intent; no group
blending in DeviceCMYK), `pdfa-image` (no Interpolate), `pdfa-font` (fonts used embedded
and mapped to Unicode) and, for conformance A, `pdfa-tagged`. This is not a full PDF/A
validator (veraPDF is one): font program internals, ICC profile versions and the many
rules a ReportLab file cannot break are not checked.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Name

from ..errors import Diagnostic, Diagnostics, Location
from ..prepress.archive import FORBIDDEN_ACTIONS
from ..prepress.xmp import read_xmp
from .page import unreadable
from .ua_content import Walked, walk_page
from .ua_fonts import embedded, unmapped

HIDDEN_FLAGS = 1 | 2 | 32  # Invisible, Hidden, NoView
CMYK_OPS = frozenset(["k", "K"])


def check_pdfa(data: bytes, name: str) -> list[Diagnostic]:
    """Every finding on the PDF/A-2 claims of the PDF `data`."""
    out = Diagnostics()
    where = Location(name)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        out.error("pdf", where, "", unreadable(exc))
        return out.items
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            out.error("pdfa-encrypt", where, "Encrypt", "a PDF/A file is not encrypted")
        rgb = _check_intent(pdf, out, where)
        level = _check_xmp(pdf, out, where)
        if level == "A":
            _check_tagged(pdf, out, where)
        _check_actions(pdf, out, where)
        _check_pages(pdf, out, name, rgb, level != "B")
    return out.items


def _check_intent(pdf: pikepdf.Pdf, out: Diagnostics, where: Location) -> bool:
    """One GTS_PDFA1 intent with an ICC profile; True when that profile is RGB."""
    intents = [i for i in pdf.Root.get("/OutputIntents", ()) if isinstance(i, pikepdf.Dictionary)]
    pdfa = [i for i in intents if i.get("/S") == Name.GTS_PDFA1]
    profiles = {i.get("/DestOutputProfile").objgen for i in intents if "/DestOutputProfile" in i}
    if not pdfa:
        out.error("pdfa-intent", where, "OutputIntents", "no GTS_PDFA1 output intent")
        return False
    icc = pdfa[0].get("/DestOutputProfile")
    if not isinstance(icc, pikepdf.Stream) or len(icc.read_bytes()) < 128:
        out.error("pdfa-intent", where, "OutputIntents", "the intent has no ICC profile")
        return False
    if len(profiles) > 1:
        out.error("pdfa-intent", where, "OutputIntents", "intents with different profiles")
    return int(icc.get("/N", 0)) == 3


def _check_xmp(pdf: pikepdf.Pdf, out: Diagnostics, where: Location) -> str:
    """pdfaid:part 2 and its conformance level, which is returned ("" if none)."""
    xmp = read_xmp(pdf)
    if xmp is None or not xmp.readable:
        out.error("pdfa-xmp", where, "Metadata", "no readable XMP metadata")
        return ""
    part, level = xmp.values.get("pdfaid:part"), xmp.values.get("pdfaid:conformance", "")
    if part != "2":
        out.error("pdfa-xmp", where, "Metadata", f"pdfaid:part is {part}, not 2")
    if level not in ("A", "B", "U"):
        out.error("pdfa-xmp", where, "Metadata", f"pdfaid:conformance '{level}' is not A, B or U")
    title = str(pdf.docinfo.get("/Title", ""))
    if title and title != xmp.title:
        what = f"Info Title '{title}' differs from dc:title '{xmp.title}'"
        out.error("pdfa-xmp", where, "Metadata", what)
    raw = pdf.Root.Metadata.read_bytes()
    if "pdfuaid:part" in xmp.values and b"pdfaExtension:schemas" not in raw:
        what = "pdfuaid is not declared in a PDF/A extension schema"
        out.error("pdfa-xmp", where, "Metadata", what)
    return level


def _check_tagged(pdf: pikepdf.Pdf, out: Diagnostics, where: Location) -> None:
    mark = pdf.Root.get("/MarkInfo")
    marked = isinstance(mark, pikepdf.Dictionary) and mark.get("/Marked") is True
    if not marked or "/StructTreeRoot" not in pdf.Root or "/Lang" not in pdf.Root:
        what = "conformance A needs a StructTreeRoot, MarkInfo Marked true and Lang"
        out.error("pdfa-tagged", where, "StructTreeRoot", what)


def _check_actions(pdf: pikepdf.Pdf, out: Diagnostics, where: Location) -> None:
    names = pdf.Root.get("/Names")
    for key in ("/JavaScript", "/EmbeddedFiles"):
        if isinstance(names, pikepdf.Dictionary) and key in names:
            out.error("pdfa-action", where, f"Names{key}", f"a {key[1:]} name tree")
    if "/AA" in pdf.Root:
        out.error("pdfa-action", where, "AA", "the catalog has additional actions")
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        action = obj.get("/S") in FORBIDDEN_ACTIONS
        if action and obj.get("/Type", Name.Action) == Name.Action:
            what = f"a {str(obj.S)[1:]} action"
            out.error("pdfa-action", where, f"{obj.objgen[0]} 0 R", what)
        if obj.get("/Subtype") == Name.Image and obj.get("/Interpolate") is True:
            what = "an image has Interpolate true"
            out.error("pdfa-image", where, f"{obj.objgen[0]} 0 R", what)


def _check_pages(pdf: pikepdf.Pdf, out: Diagnostics, name: str, rgb: bool, unicode: bool):
    walked = Walked()
    for number, page in enumerate(pdf.pages, 1):
        where = Location(name, number, 0)
        if "/AA" in page.obj:
            out.error("pdfa-action", where, f"page[{number}].AA", "additional actions")
        for n, annot in enumerate(page.obj.get("/Annots") or ()):
            _check_annotation(annot, where, f"page[{number}].Annots[{n}]", out)
        walk_page(page, walked)
        if rgb:
            _check_cmyk(page.obj, where, f"page[{number}]", out, set())
    for font in walked.fonts.values():
        field = f"Font[{str(font.get('/BaseFont', ''))[1:]}]"
        if not embedded(font):
            out.error("pdfa-font", Location(name), field, "a font used is not embedded")
        codes = walked.codes.get(font.objgen)
        if unicode and codes and unmapped(font, codes):
            out.error("pdfa-font", Location(name), field, "codes shown map to no Unicode")


def _check_annotation(annot: Any, where: Location, path: str, out: Diagnostics) -> None:
    if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") == Name.Popup:
        return
    flags = int(annot.get("/F", 0))
    if not flags & 4 or flags & HIDDEN_FLAGS:
        out.error("pdfa-annotation", where, f"{path}.F", f"flags {flags}: print it, hide none")
    if "/AA" in annot:
        out.error("pdfa-action", where, f"{path}.AA", "an annotation has additional actions")


def _check_cmyk(holder: Any, where: Location, path: str, out: Diagnostics, seen: set) -> None:
    """DeviceCMYK drawn in a stream whose resources have no DefaultCMYK (an RGB intent)."""
    resources = holder.get("/Resources")
    spaces = resources.get("/ColorSpace") if isinstance(resources, pikepdf.Dictionary) else None
    characterized = isinstance(spaces, pikepdf.Dictionary) and "/DefaultCMYK" in spaces
    group = holder.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and group.get("/CS") == Name.DeviceCMYK:
        out.error("pdfa-colour", where, f"{path}.Group", "a transparency group in DeviceCMYK")
    if not characterized and _draws_cmyk(holder, resources):
        what = "DeviceCMYK with an RGB output intent and no DefaultCMYK"
        out.error("pdfa-colour", where, f"{path}.Resources", what)
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    forms = [
        (key, form)
        for key, form in (xobjects or {}).items()
        if isinstance(form, pikepdf.Stream) and form.get("/Subtype") == Name.Form
    ]
    for key, form in forms:
        if form.objgen not in seen and len(seen) < 10_000:
            seen.add(form.objgen)
            _check_cmyk(form, where, f"{path}.XObject[{key[1:]}]", out, seen)


def _draws_cmyk(holder: Any, resources: Any) -> bool:
    try:
        ops = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError:
        return False
    for operands, operator in ops:
        op = str(operator)
        if op in CMYK_OPS or (op in ("cs", "CS") and operands == [Name.DeviceCMYK]):
            return True
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    return any(
        isinstance(x, pikepdf.Stream) and x.get("/ColorSpace") == Name.DeviceCMYK
        for x in (xobjects or {}).values()
    )
