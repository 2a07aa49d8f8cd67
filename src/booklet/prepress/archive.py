"""Turn a screen PDF into its PDF/A-2 archival copy: sRGB intent, matching XMP, nothing active.

The copy is PDF/A-2u, or PDF/A-2a when the screen file is tagged (a StructTreeRoot and
MarkInfo Marked true). What changes from the screen file:
- an output intent (GTS_PDFA1) with an sRGB profile made by Pillow's ImageCms;
- DeviceCMYK (the layouts' CMYK palette) is characterized: every page and form gets a
  DefaultCMYK colour space, the bundled CMYK profile; a transparency group blending in
  DeviceCMYK blends in that profile too (PDF/A-2 6.2.4.3, 6.2.10);
- no JavaScript or other forbidden action (document, page and annotation actions, the
  JavaScript name tree), no embedded files, no image Interpolate;
- every annotation prints (flag 4) and is not hidden;
- the document information and an XMP packet that agree: pdfaid:part 2 and conformance,
  dc:title, dc:creator, dc:language, dates, and pdfuaid:part 1 (declared in an extension
  schema, as PDF/A asks for a namespace it does not predefine) if the screen file claims it;
- no encryption.
`preflight/pdfa.py` checks each of these claims on any file.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name

from .files import save
from .pdfx import compressed_profile, escape
from .xmp import read_xmp
from .xmp_packet import packet

FORBIDDEN = "JavaScript Launch Sound Movie ResetForm ImportData Hide SetOCGState Rendition Trans"
FORBIDDEN_ACTIONS = frozenset(f"/{name}" for name in [*FORBIDDEN.split(), "GoTo3DView"])
INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer")
DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


PROFILE_DATE = bytes.fromhex("07d0 0001 0001 0000 0000 0000")  # 2000-01-01 00:00:00


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by Little CMS through Pillow (no file shipped).

    Little CMS stamps the profile with the clock (header bytes 24–35); a fixed date keeps
    the same input giving the same bytes. The profile ID (84–99) is left zero: "not
    computed", as Little CMS writes it, so the new date breaks no checksum."""
    from PIL import ImageCms

    made = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return made[:24] + PROFILE_DATE + made[36:]


def is_tagged(pdf: pikepdf.Pdf) -> bool:
    """A StructTreeRoot and MarkInfo Marked true: the file can claim conformance level A."""
    mark = pdf.Root.get("/MarkInfo")
    marked = isinstance(mark, Dictionary) and mark.get("/Marked") is True
    return marked and isinstance(pdf.Root.get("/StructTreeRoot"), Dictionary)


def archive_file(screen: bytes) -> bytes:
    """The PDF/A-2u (untagged) or PDF/A-2a (tagged) copy of a screen file."""
    pdf = pikepdf.open(io.BytesIO(screen))
    conformance = "A" if is_tagged(pdf) and Name.Lang in pdf.Root else "U"
    accessible = _claims_ua(pdf)
    _remove_active(pdf)
    _characterize_cmyk(pdf)
    for annot in _annotations(pdf):
        annot.F = 4  # print, and none of hidden, invisible, no-view
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier="sRGB IEC61966-2.1",
        RegistryName="http://www.color.org",
        Info="sRGB (Little CMS)",
        DestOutputProfile=_icc(pdf, 3),
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
    _metadata(pdf, conformance, accessible)
    return save(pdf, "1.7")


def _claims_ua(pdf: pikepdf.Pdf) -> bool:
    xmp = read_xmp(pdf)
    return xmp is not None and xmp.values.get("pdfuaid:part") == "1"


def _icc(pdf: pikepdf.Pdf, channels: int) -> pikepdf.Stream:
    """An ICC stream: sRGB (3 channels), or booklet's own CMYK profile (4)."""
    stream = pdf.make_stream(b"", N=channels)
    if channels == 4:
        stream.write(compressed_profile(), filter=Name.FlateDecode)
    else:
        stream.write(srgb_profile())
    return stream


# --- what PDF/A forbids --------------------------------------------------------------------


def _remove_active(pdf: pikepdf.Pdf) -> None:
    """No JavaScript, no forbidden action, no additional actions, no embedded files."""
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    for holder in (pdf.Root, *(p.obj for p in pdf.pages), *_annotations(pdf)):
        if "/AA" in holder:
            del holder.AA
    opening = pdf.Root.get("/OpenAction")
    if isinstance(opening, Dictionary) and opening.get("/S") in FORBIDDEN_ACTIONS:
        del pdf.Root.OpenAction
    for annot in _annotations(pdf):
        action = annot.get("/A")
        if isinstance(action, Dictionary) and action.get("/S") in FORBIDDEN_ACTIONS:
            del annot.A
    for obj in pdf.objects:
        image = isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image
        if image and obj.get("/Interpolate") is True:
            obj.Interpolate = False


def _annotations(pdf: pikepdf.Pdf) -> list[Dictionary]:
    found = []
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        found += [a for a in annots or () if isinstance(a, Dictionary)]
    return found


def _characterize_cmyk(pdf: pikepdf.Pdf) -> None:
    """DefaultCMYK on every page and form; transparency groups in DeviceCMYK use the profile."""
    cmyk = pdf.make_indirect(Array([Name.ICCBased, _icc(pdf, 4)]))
    holders = [p.obj for p in pdf.pages]
    holders += [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == Name.Form
    ]
    for holder in holders:
        if "/Resources" not in holder:
            holder.Resources = Dictionary()
        resources = holder.Resources
        if "/ColorSpace" not in resources:
            resources.ColorSpace = Dictionary()
        resources.ColorSpace.DefaultCMYK = cmyk
        group = holder.get("/Group")
        if isinstance(group, Dictionary) and group.get("/CS") == Name.DeviceCMYK:
            group.CS = cmyk


# --- document information and XMP ----------------------------------------------------------


def _metadata(pdf: pikepdf.Pdf, conformance: str, accessible: bool) -> None:
    info = pdf.docinfo
    before = read_xmp(pdf)
    if "/Title" not in info and before is not None and before.title:
        info.Title = before.title  # the title the screen file's XMP gives, in both places
    kept = {k: str(info[k]) for k in INFO_KEYS if k in info and str(info[k]).strip()}
    created = str(info.get("/CreationDate", "D:20000101000000"))
    modified = str(info.get("/ModDate", created))
    for key in list(info.keys()):
        if key not in kept and key not in ("/CreationDate", "/ModDate"):
            del info[key]
    info.CreationDate, info.ModDate = created, modified
    lang = str(pdf.Root.get("/Lang", "")) or "x-default"
    packet = xmp(kept, lang, (xmp_date(created), xmp_date(modified)), conformance, accessible)
    pdf.Root.Metadata = pdf.make_stream(packet.encode(), Type=Name.Metadata, Subtype=Name.XML)


def xmp_date(pdf_date: str) -> str:
    """A PDF date (D:20260226140000+00'00') as XMP writes it (2026-02-26T14:00:00Z)."""
    found = DATE.match(pdf_date)
    if not found:
        return "2000-01-01T00:00:00Z"
    parts = [g or "01" for g in found.groups()]
    y, mo, d = parts[:3]
    h, mi, s = (g or "00" for g in found.groups()[3:])
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def xmp(info: dict[str, str], lang: str, dates: tuple[str, str], level: str, ua: bool) -> str:
    """The XMP packet of an archival copy: each Info entry mirrored, the PDF/A claim."""
    e = {k: escape(v) for k, v in info.items()}
    rows = [
        "<dc:format>application/pdf</dc:format>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreateDate>{dates[0]}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{dates[1]}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{dates[1]}</xmp:MetadataDate>",
        "<pdfaid:part>2</pdfaid:part>",
        f"<pdfaid:conformance>{level}</pdfaid:conformance>",
    ]
    alt = '<rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt>'
    mirrored = {
        "/Title": f"<dc:title>{alt}</dc:title>",
        "/Author": "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
        "/Subject": f"<dc:description>{alt}</dc:description>",
        "/Keywords": "<pdf:Keywords>{}</pdf:Keywords>",
        "/Creator": "<xmp:CreatorTool>{}</xmp:CreatorTool>",
        "/Producer": "<pdf:Producer>{}</pdf:Producer>",
    }
    rows += [template.format(e[key]) for key, template in mirrored.items() if key in e]
    if ua:
        rows.append("<pdfuaid:part>1</pdfuaid:part>")
    properties = "".join(f"   {row}\n" for row in rows)
    prefixes = ("dc", "xmp", "pdf", "pdfaid", "pdfuaid")
    return packet(prefixes, properties, UA_EXTENSION if ua else "")


UA_EXTENSION = """
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>"""
