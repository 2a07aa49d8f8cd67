"""Turn a trim-size PDF into the print file (real bleed, boxes, crop marks) and the screen file."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator

import pikepdf
from pikepdf import Array, Name

from ..language.bidi import is_rtl
from ..read.layout import Layout
from .marks import MARK_WEIGHT, sheet_of, slug_pdf
from .pdfx import identify
from .pictures import fill_slots

SUBSET_TAG = re.compile(r"^/([A-Z]{6})\+")
__all__ = [
    "MARK_WEIGHT",
    "page_files",
    "print_file",
    "registration",
    "retag_fonts",
    "save",
    "screen_file",
    "screen_pages",
]


def print_file(
    trim_pdf: bytes,
    layout: Layout,
    marks: bytes | None = None,
    job: tuple[str, str, dt.datetime] | None = None,
) -> bytes:
    """Widen every page by bleed and slug, set the boxes, lay the marks over it, identify it.

    `job` is (title, language, date); with it the file is identified as PDF/X-4.
    """
    pdf = pikepdf.open(io.BytesIO(trim_pdf))
    give_forms_their_states(pdf)
    fill_slots(pdf, screen=False, options=layout.pictures)
    sheet = sheet_of(layout)
    w, h, s, b = sheet.width, sheet.height, sheet.slug, sheet.bleed
    overlay = pikepdf.open(io.BytesIO(marks)) if marks else None
    if overlay is not None:
        retag_fonts(overlay, "marks")  # its Latin subset is not the document's
    stamps = list(overlay.pages) if overlay else []  # indexing pikepdf pages walks the tree
    shared = pdf.copy_foreign(stamps[0].as_form_xobject()) if overlay else None
    # Every page shares the same two streams around its own: shift the artwork (with what
    # was drawn past the trim) into the wider sheet, then draw the marks over it.
    shift = pdf.make_stream(f"q 1 0 0 1 {s:.4f} {s:.4f} cm\n".encode())
    tail = b"\nQ\n" + (b"q /BookletMarks Do Q\nq /BookletSlug Do Q\n" if overlay else b"")
    close = pdf.make_stream(tail)
    for n, page in enumerate(pdf.pages):
        page.contents_add(shift, prepend=True)
        page.contents_add(close)
        page.obj.MediaBox = _box(0, 0, w + 2 * s, h + 2 * s)
        page.obj.TrimBox = _box(s, s, s + w, s + h)
        page.obj.BleedBox = _box(s - b, s - b, s + w + b, s + h + b)
        if Name.Annots in page.obj:
            del page.obj.Annots  # links belong to the screen file, not the press
        if overlay is not None:
            own = pdf.copy_foreign(stamps[n + 1].as_form_xobject())
            page.add_resource(shared, Name.XObject, Name.BookletMarks, replace_existing=True)
            page.add_resource(own, Name.XObject, Name.BookletSlug, replace_existing=True)
    if job is not None:
        identify(pdf, *job)
    return save(pdf, "1.6")


def slug_sheets(pdf: pikepdf.Pdf, labels: list[str], room: float, font: str) -> None:
    """Print each press sheet's slug line (job, sheet n of m, front/back) below its marks."""
    if room < 4:
        return  # no room outside the bleed for a line of text
    box = [float(v) for v in pdf.pages[0].mediabox]
    size = (box[2] - box[0], box[3] - box[1])
    overlay = pikepdf.open(io.BytesIO(slug_pdf(size, labels, font)))
    retag_fonts(overlay, "sheet slug")
    for page, stamp in zip(pdf.pages, overlay.pages, strict=True):
        _stamp(pdf, page, pdf.copy_foreign(stamp.as_form_xobject()))


def _stamp(
    pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object, name: Name = Name.BookletSlug
) -> None:
    # A fixed resource name keeps the bytes the same from build to build.
    page.add_resource(form, Name.XObject, name, replace_existing=True)
    page.contents_add(pdf.make_stream(b"q " + bytes(name.unparse()) + b" Do Q\n"))


def registration(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The Separation "All" colour space, for marks drawn with pikepdf: prints on every plate."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))


def _box(x0: float, y0: float, x1: float, y1: float) -> Array:
    return Array([round(v, 4) for v in (x0, y0, x1, y1)])


def screen_file(trim_pdf: bytes) -> bytes:
    """The screen file is the trimmed typeset PDF, with links and outline kept and its
    pictures in sRGB; a right-to-left document tells viewers to lay its pages out from
    the right."""
    pdf = pikepdf.open(io.BytesIO(trim_pdf))
    screen_pages(pdf)
    if is_rtl(str(pdf.Root.get("/Lang", ""))):
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(Direction=pikepdf.Name.R2L)
    return save(pdf)


def screen_pages(pdf: pikepdf.Pdf, page: int = 0) -> None:
    """A typeset PDF made ready for screens: forms with their states, slots with pictures."""
    give_forms_their_states(pdf)
    fill_slots(pdf, screen=True)


def give_forms_their_states(pdf: pikepdf.Pdf) -> None:
    """Give ReportLab's form XObjects the graphics states and colour spaces they name.

    ReportLab writes a form's `gs` (black overprint) and `cs` operators but lists those
    resources only on pages; its names are the document's own (gRLs0 is one state
    everywhere), so a form gets the entries of the pages that draw it."""
    done: set[tuple[int, int]] = set()
    # A state first set inside a form (a logo drawn into a card's shared part) is listed
    # on the pages that set it themselves: each form may take any page's.
    known: dict = {Name.ExtGState: pikepdf.Dictionary(), Name.ColorSpace: pikepdf.Dictionary()}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        for category, union in known.items():
            given = resources.get(category) if resources is not None else None
            for key, value in given.items() if isinstance(given, pikepdf.Dictionary) else ():
                if key not in union:
                    union[key] = value
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for form in xobjects.values():
            if form.get("/Subtype") != Name.Form or form.objgen in done:
                continue
            done.add(form.objgen)
            own = form.get("/Resources")
            if not isinstance(own, pikepdf.Dictionary):
                continue
            for category, given in known.items():
                if len(given):
                    if category not in own:
                        own[category] = pikepdf.Dictionary()
                    mine = own[category]
                    for key, value in given.items():
                        if key not in mine:
                            mine[key] = value


def page_files(
    screen_pdf: bytes, names: list[str], each: Callable[[int, pikepdf.Pdf], object] | None = None
) -> dict[str, bytes]:
    """Each page of a screen file as a file of its own (a guest's card to send), by name;
    `each(n, pdf)` changes the n-th file once it is saved (tags it), and if it says so the
    file is saved again, as that file opened and changed (not parsed again).

    Splitting one typeset file costs under a millisecond a page; typesetting a file per
    guest would cost ten."""
    src = pikepdf.open(io.BytesIO(screen_pdf))
    if len(src.pages) != len(names):
        raise ValueError(f"{len(src.pages)} pages for {len(names)} files")
    info = {k: v for k, v in src.docinfo.items() if k in ("/Title", "/Author", "/Creator")}
    files = {}
    for name, page in zip(names, src.pages, strict=True):
        one = pikepdf.new()
        one.pages.append(page)
        if Name.Lang in src.Root:
            one.Root.Lang = src.Root.Lang
        for key, value in info.items():
            one.docinfo[key] = value
        files[name] = save(one)
        if each is not None:
            files[name] = _again(one, files[name], functools.partial(each, len(files) - 1))
    return files


def _again(pdf: pikepdf.Pdf, saved: bytes, change: Callable[[pikepdf.Pdf], object]) -> bytes:
    """The file `pdf` was saved as, changed and saved again: as if it had been opened from
    `saved` (its /ID's first part stays that file's), without parsing it again."""
    first = _first_id(saved)
    if first is None:
        pdf = pikepdf.open(io.BytesIO(saved))
    else:
        pdf.trailer.ID = Array([pikepdf.String(first), pikepdf.String(first)])
    return save(pdf) if change(pdf) else saved


def _first_id(data: bytes) -> bytes | None:
    """The first part of a file's /ID, as qpdf wrote it (hex)."""
    found = _ID.match(data, max(0, data.rfind(b"/ID")))
    return bytes.fromhex(found.group(1).decode()) if found else None


_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]*)>")


def retag_fonts(
    pdf: pikepdf.Pdf, source: str, fonts: Iterable[pikepdf.Object] | None = None
) -> None:
    """Give every subset font of `pdf` (or those of `fonts`) a tag of its own, from `source`.

    ReportLab tags the subsets of every file it writes AAAAAA+, AAAAAB+ …: once the pages of
    two of its files share one PDF (marks over artwork, batches of cards), two different
    subsets would share a name, and a RIP that caches fonts by name prints wrong letters."""
    for obj in pdf_fonts(pdf) if fonts is None else fonts:
        base = str(obj.get("/BaseFont", ""))
        found = SUBSET_TAG.match(base)
        if not found:
            continue
        obj.BaseFont = Name("/" + _tag(source, found.group(1)) + base[7:])
        descriptor = obj.get("/FontDescriptor")
        if isinstance(descriptor, pikepdf.Dictionary) and "/FontName" in descriptor:
            descriptor.FontName = obj.BaseFont


def pdf_fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The font dictionaries among the objects of `pdf`."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == Name.Font:
            yield obj


def _tag(source: str, tag: str) -> str:
    """Six capital letters for (source, old tag): the same every build."""
    digest = hashlib.sha256(f"{source}:{tag}".encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def save(pdf: pikepdf.Pdf, version: str = "") -> bytes:
    """The document as bytes: deterministic, compressed, with object streams."""
    # qpdf's own deterministic /ID reads the file twice through MD5 (31 ms of a 7.6 MB
    # print file, 3 ms without): its placeholder is replaced by our digest.
    found = identified(_saved(pdf, version, static_id=True))
    return found if found is not None else _saved(pdf, version, deterministic_id=True)


def _saved(pdf: pikepdf.Pdf, version: str, **identity: bool) -> bytes:
    out = io.BytesIO()
    pdf.save(
        out,
        min_version=version,
        **identity,
        compress_streams=True,
        # Streams ReportLab compressed stay as they are: no inflate and deflate again.
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        fix_metadata_version=False,  # our XMP is written whole (pdfx.identify): no reparse
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()


STATIC_ID = b"<31415926535897932384626433832795>"  # what qpdf writes for static_id


def identified(data: bytes) -> bytes | None:
    """The file with the second part of its /ID (the one that changes with each version of
    a document) made from its bytes: the same file, the same ID; a changed one, another."""
    at = data.rfind(b"/ID")
    end = data.find(b"]", at)
    if at < 0 or end < 0 or data.count(STATIC_ID, at, end) not in (1, 2):
        return None  # a qpdf that writes it otherwise: its own deterministic ID then
    digest = hashlib.sha256(data).hexdigest()[:32].encode()
    trailer = data[at:end].replace(STATIC_ID, b"<" + digest + b">")
    return data[:at] + trailer + data[end:]
