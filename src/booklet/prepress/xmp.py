"""Turn a PDF's XMP metadata packet into the few values PDF/UA and PDF/A checks read.

A property may be written as an element (`<pdfuaid:part>1</pdfuaid:part>`) or as an
attribute of rdf:Description (`pdfuaid:part="1"`); both are read. The packet is parsed with
defusedxml: no DTD, entity or external reference is followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
MAX_XMP = 4_000_000  # bytes of a packet read at most


@dataclass
class Xmp:
    """The simple properties of the packet ("prefix:name" → text), and dc:title."""

    values: dict[str, str] = field(default_factory=dict)
    title: str = ""
    readable: bool = True


def read_xmp(pdf: pikepdf.Pdf) -> Xmp | None:
    """The catalog's XMP packet, or None when the catalog has no Metadata stream."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        data = stream.read_bytes()[:MAX_XMP]
    except pikepdf.PdfError:
        return Xmp(readable=False)
    return parse_xmp(data)


def parse_xmp(data: bytes) -> Xmp:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data.strip(b"\x00 \r\n\t"))
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return Xmp(readable=False)
    xmp = Xmp()
    wanted = {f"{{{uri}}}": prefix for prefix, uri in NAMESPACES.items()}
    for node in root.iter(f"{{{NAMESPACES['rdf']}}}Description"):
        for key, value in node.attrib.items():
            _keep(xmp, key, value, wanted)
        for child in node:
            _keep(xmp, child.tag, (child.text or "").strip(), wanted)
    title = root.find(".//dc:title//rdf:li", NAMESPACES)
    xmp.title = (title.text or "").strip() if title is not None else ""
    return xmp


def _keep(xmp: Xmp, tag: str, value: str, wanted: dict[str, str]) -> None:
    for uri, prefix in wanted.items():
        if tag.startswith(uri) and value:
            xmp.values.setdefault(f"{prefix}:{tag[len(uri) :]}", value)
