"""Turn XMP properties into the packet a PDF's Metadata stream carries.

The print file (PDF/X), the tagged screen file (PDF/UA) and the archival copy (PDF/A)
each write their own properties in one rdf:Description; the packet around them, its
header, namespaces and trailer, is the same and written here once.
"""

from __future__ import annotations

from collections.abc import Sequence

PREFIXES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def packet(prefixes: Sequence[str], properties: str, after: str = "") -> str:
    """The whole packet: `properties` (lines indented three spaces, each ending in a
    newline) in one rdf:Description declaring `prefixes`, then `after` (another
    Description, such as PDF/A's extension schema) before the packet closes."""
    names = "\n".join(f'    xmlns:{prefix}="{PREFIXES[prefix]}"' for prefix in prefixes)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        f"{names}>\n"
        f"{properties}"
        f"  </rdf:Description>{after}\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
