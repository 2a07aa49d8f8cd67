"""Turn a print PDF into an identified PDF/X-4 file: output intent, XMP metadata, dates, trapping.

The output intent embeds booklet's own CMYK profile (src/booklet/data), a
characterization generated from a model of coated offset: it is named as a
custom output condition, never as a registered one such as FOGRA39.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from functools import cache
from importlib import resources

import pikepdf
from pikepdf import Array, Dictionary, Name

from .xmp_packet import packet

PDFX_VERSION = "PDF/X-4"
CONDITION = "booklet coated CMYK"
CONDITION_INFO = (
    "Sheet-fed offset on coated paper; booklet's own characterization modelled on "
    "ISO 12647-2 paper type 1 (not a registered printing condition)"
)


def escape(text: str) -> str:
    """Text for XML character data (as xml.sax.saxutils.escape, whose import pulls in
    urllib, http and ssl: 11 ms of every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def profile() -> bytes:
    """The bundled CMYK output profile."""
    return (resources.files("booklet") / "data" / "booklet-coated-cmyk.icc").read_bytes()


@cache
def compressed_profile() -> bytes:
    # Compressed once per process: recompressing 400 kB on every save cost 30 ms a file.
    # Level 1 takes 6 ms instead of 33 (level 6) for a stream 0.5 % larger.
    return zlib.compress(profile(), 1)


def build_date(event_date: dt.date | None) -> dt.datetime:
    """The file's date: SOURCE_DATE_EPOCH if set, else the event's day — never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    day = event_date or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def identify(pdf: pikepdf.Pdf, title: str, lang: str, when: dt.datetime) -> None:
    """Add the output intent, the PDF/X keys in the document info, and matching XMP."""
    icc = pdf.make_stream(b"", N=4)
    icc.write(compressed_profile(), filter=Name.FlateDecode)
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFX,
        OutputConditionIdentifier=CONDITION,
        OutputCondition=CONDITION,
        Info=CONDITION_INFO,
        DestOutputProfile=icc,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
    info = pdf.docinfo
    stamp = _pdf_date(when)
    info[Name.GTS_PDFXVersion] = PDFX_VERSION
    info[Name.Trapped] = Name("/False")
    info[Name.CreationDate] = stamp
    info[Name.ModDate] = stamp
    info[Name.Title] = title
    producer = str(info.get(Name.Producer, "booklet"))
    creator = str(info.get(Name.Creator, "booklet"))
    xmp = _xmp(title, lang, when, producer, creator, _document_id(pdf))
    pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)


def unclaim(pdf: pikepdf.Pdf) -> None:
    """Take the PDF/X claim off: for office-printer files that have no bleed."""
    if Name.GTS_PDFXVersion in pdf.docinfo:
        del pdf.docinfo[Name.GTS_PDFXVersion]
    for key in (Name.Metadata, Name.OutputIntents):
        if key in pdf.Root:
            del pdf.Root[key]


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _document_id(pdf: pikepdf.Pdf) -> str:
    # The trailer ID ReportLab wrote (invariant mode): stable for the same input.
    try:
        raw = bytes(pdf.trailer.ID[0])
    except (AttributeError, IndexError, KeyError, TypeError):
        raw = b"booklet"
    return "uuid:" + raw.hex()[:32].ljust(32, "0")


def _xmp(title: str, lang: str, when: dt.datetime, producer: str, creator: str, doc_id: str) -> str:
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    t, p, c = escape(title), escape(producer), escape(creator)
    language = escape(lang or "x-default")
    properties = f"""   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso}</xmp:MetadataDate>
   <xmp:CreatorTool>{c}</xmp:CreatorTool>
   <pdf:Producer>{p}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{doc_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
"""
    return packet(("dc", "xmp", "pdf", "xmpMM", "pdfxid"), properties)
