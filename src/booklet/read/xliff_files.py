"""Turn translation units into an XLIFF 2.1 file, and an XLIFF file back into units.

One `<file>` holds one `<unit>` per string: `name` is its field path (`id` the
same path made an XML name), notes say what the field is and where its source
stands, and the segment's `state` is `translated` for a current translation and
`initial` otherwise; a stale one carries `subState="booklet:needs-review"` and
the old source as a note. Files are read with expat, refusing any document type
declaration, entity or external reference (no entity expansion, no network).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import Location, fail
from .translation_units import Brought, Unit

NS = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DONE = ("translated", "reviewed", "final")


def xliff_file(units: list[Unit], lang: str, base_lang: str, original: str) -> bytes:
    """The XLIFF 2.1 file of one language's units."""
    attrs = {"xmlns": NS, "version": "2.1", "srcLang": base_lang, "trgLang": lang}
    root = ET.Element("xliff", attrs)  # the names are in XLIFF's namespace, the default one
    file = ET.SubElement(root, "file", {"id": "event", "original": original})
    for unit in units:
        _unit(file, unit)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "utf-8") + b"\n"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def unit_id(path: str) -> str:
    """A field path as an XML name token: `program[film].title` → `program:film.title`."""
    return path.replace("[", ":").replace("]", "")


def _unit(file: ET.Element, unit: Unit) -> None:
    element = ET.SubElement(file, "unit", {"id": unit_id(unit.path), "name": unit.path})
    notes = ET.SubElement(element, "notes")
    for text in unit.notes:
        ET.SubElement(notes, "note", {"category": "description"}).text = text
    where = ET.SubElement(notes, "note", {"category": "location"})
    where.text = f"{unit.loc.file}:{unit.loc.line}"
    if unit.state == "stale" and unit.previous:
        ET.SubElement(notes, "note", {"category": "previous-source"}).text = unit.previous
    attrs = {"state": "translated" if unit.state == "translated" else "initial"}
    if unit.state == "stale":
        attrs["subState"] = "booklet:needs-review"
    segment = ET.SubElement(element, "segment", attrs)
    ET.SubElement(segment, "source", {XML_SPACE: "preserve"}).text = unit.source
    if unit.target:
        ET.SubElement(segment, "target", {XML_SPACE: "preserve"}).text = unit.target


# --- reading -------------------------------------------------------------------------------


def read_xliff_file(data: bytes, shown: str) -> tuple[str, list[Brought]]:
    """The target language and the units of an XLIFF 2.x file."""
    root = parse_xml(data, shown)
    if root.tag != _q("xliff") or not root.get("version", "").startswith("2."):
        raise fail(
            "xliff",
            Location(shown),
            "",
            f"expected an XLIFF 2 document, found <{root.tag.split('}')[-1]}>",
            "export with booklet i18n --export LANG --format xliff",
        )
    brought = []
    for unit in root.iter(_q("unit")):
        path = unit.get("name") or unit.get("id", "")
        segments = list(unit.iter(_q("segment")))
        source = "".join(_text(s, "source") for s in segments)
        target = "".join(_text(s, "target") for s in segments)
        done = all(s.get("state", "initial") in DONE for s in segments)
        brought.append(Brought(path, source, target, done and bool(segments)))
    return root.get("trgLang", ""), brought


def _text(segment: ET.Element, name: str) -> str:
    """The text of a segment's source or target ("" where it has none)."""
    element = segment.find(_q(name))
    return "".join(element.itertext()) if element is not None else ""


def parse_xml(data: bytes, shown: str) -> ET.Element:
    """Parse XML with expat into elements, refusing DTDs, entities and external references."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args) -> None:
        raise ValueError("a document type declaration or entity, which booklet does not read")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = lambda name, attrs: builder.start(_name(name), _attrs(attrs))
    parser.EndElementHandler = lambda name: builder.end(_name(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except (ValueError, expat.ExpatError, AssertionError) as exc:
        line = getattr(exc, "lineno", 0) or parser.CurrentLineNumber
        raise fail("xliff", Location(shown, line), "", f"expected XLIFF, found {exc}") from None


def _name(name: str) -> str:
    return "{" + name if "}" in name else name


def _attrs(attrs: dict[str, str]) -> dict[str, str]:
    return {_name(k): v for k, v in attrs.items()}
