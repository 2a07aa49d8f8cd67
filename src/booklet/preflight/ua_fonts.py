"""Turn the fonts a PDF's text is shown in into findings: embedded, and mapped to Unicode.

PDF/UA-1 7.21.4.1 (Matterhorn 31-009): every font used is embedded; 7.21.7 (10-001): every
character code shown maps to Unicode, through a ToUnicode CMap, or a simple font's standard
encoding (WinAnsi, MacRoman, MacExpert) whose Differences name glyphs of the Adobe Glyph
List. Type3 fonts are drawn by the file itself and count as embedded.
"""

from __future__ import annotations

import re
from typing import Any

import pikepdf
from pikepdf import Name

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
STANDARD_ENCODINGS = frozenset(["/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding"])
HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
MAX_RANGE = 65_536  # codes one bfrange may map


def embedded(font: pikepdf.Dictionary) -> bool:
    """Whether the font program is in the file (Type3: the file draws the glyphs)."""
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        kids = font.get("/DescendantFonts")
        if not isinstance(kids, pikepdf.Array) or not len(kids):
            return False
        font = kids[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(k in descriptor for k in FONT_FILES)


def unmapped(font: pikepdf.Dictionary, codes: set[bytes]) -> list[bytes]:
    """The codes of `codes` the font gives no Unicode for, in order."""
    cmap = font.get("/ToUnicode")
    mapped: set[bytes] = set()
    if isinstance(cmap, pikepdf.Stream):
        try:
            mapped = cmap_codes(cmap.read_bytes(), codes)
        except pikepdf.PdfError:
            mapped = set()
    if font.get("/Subtype") != Name.Type0:
        mapped |= {c for c in codes if _by_encoding(font, c)}
    return sorted(codes - mapped)


def cmap_codes(data: bytes, wanted: set[bytes]) -> set[bytes]:
    """Which of `wanted` a ToUnicode CMap maps (bfchar and bfrange sections)."""
    found: set[bytes] = set()
    for kind, body in SECTION.findall(data):
        if kind == b"bfchar":
            values = [_hex(v) for v in HEX.findall(body)]
            found.update(values[0::2])
        else:
            found |= _ranges(body, wanted)
    return found & wanted


def _ranges(body: bytes, wanted: set[bytes]) -> set[bytes]:
    found: set[bytes] = set()
    # each range: <lo> <hi> then <dst> or [<dst> ...]; the brackets are skipped as text
    for line in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[^>]*>)", body):
        lo, hi = _hex(line.group(1)), _hex(line.group(2))
        if len(lo) != len(hi):
            continue
        first, last = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
        if last - first > MAX_RANGE:
            last = first + MAX_RANGE
        found.update(
            c for c in wanted if len(c) == len(lo) and first <= int.from_bytes(c, "big") <= last
        )
    return found


def _hex(text: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", text)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _by_encoding(font: pikepdf.Dictionary, code: bytes) -> bool:
    """Whether a simple font's encoding gives this code a name Unicode is known for."""
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Name):
        return str(encoding) in STANDARD_ENCODINGS
    if not isinstance(encoding, pikepdf.Dictionary):
        return False
    name = _difference(encoding.get("/Differences"), code[0])
    if name is not None:
        return _known_glyph(name)
    base = encoding.get("/BaseEncoding")
    if base is None:  # a non-symbolic font's implied base: StandardEncoding, all AGL names
        descriptor = font.get("/FontDescriptor")
        flags = descriptor.get("/Flags", 0) if isinstance(descriptor, pikepdf.Dictionary) else 4
        return not int(flags) & 4
    return str(base) in STANDARD_ENCODINGS


def _difference(differences: Any, code: int) -> str | None:
    if not isinstance(differences, pikepdf.Array):
        return None
    at, found = 0, None
    for item in differences:
        if isinstance(item, pikepdf.Name):
            if at == code:
                found = str(item)[1:]
            at += 1
        else:
            try:
                at = int(item)
            except (TypeError, ValueError):
                return None
    return found


def _known_glyph(name: str) -> bool:
    from fontTools.agl import toUnicode

    return bool(toUnicode(name)) and name != ".notdef"
