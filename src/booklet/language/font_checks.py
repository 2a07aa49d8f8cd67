"""Turn a font file's bytes into a verdict: its tables parse, its letters have outlines, its
licence lets us embed it.

Run once per font file (its letters and licence are then kept in the cache by the file's
content): parsing the tables ReportLab reads with fontTools, and reading `loca` against
`glyf` without expanding a glyph, takes ~25 ms for a Noto face.
"""

from __future__ import annotations

import io
import logging
import struct
import unicodedata
from typing import Any

from ..errors import Location, fail

# The tables ReportLab reads to embed and measure a TrueType face.
TABLES = ("head", "hhea", "maxp", "hmtx", "cmap", "name", "OS/2", "post", "loca", "glyf")
# OS/2 fsType: the font's embedding licence (OpenType spec, OS/2 table).
RESTRICTED = 0x0002  # may not be embedded at all
PREVIEW_AND_PRINT = 0x0004  # embedded read-only: fine in a print file, but the licence says so
NO_SUBSETTING = 0x0100  # we always embed subsets
BITMAP_ONLY = 0x0200  # only bitmaps may be embedded; we embed outlines
# Letters that print something; a space, a mark or a control may have an empty glyph.
_INKED = frozenset("LNPS")


def check_font(data: bytes, shown: str, loc: Location, field: str) -> int:
    """Raise a located error if the font is damaged or may not be embedded; else its fsType."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.CRITICAL)  # its warnings are not ours to print
    try:
        font = TTFont(io.BytesIO(data), lazy=True, fontNumber=0)
        missing = [tag for tag in TABLES if tag not in font]
        if missing:
            raise _Damaged(f"it has no {', '.join(missing)} table (a TrueType font needs them)")
        for tag in TABLES[:-1]:  # glyf is read raw, against loca, below
            _table(font, tag)
        empty = _letters_without_outline(font)
    except _Damaged as exc:
        raise fail("font", loc, field, f"font '{shown}' is damaged: {exc}", _HINT) from None
    except Exception as exc:  # noqa: BLE001 - fontTools raises anything on a broken file
        reason = str(exc) or "not a font"
        reason = reason[:1].lower() + reason[1:]
        hint = "name a TrueType font file (.ttf): this one is not one, or is cut short"
        raise fail("font", loc, field, f"cannot read font '{shown}': {reason}", hint) from None
    if empty:
        letters = ", ".join(f"U+{code:04X}" for code in empty[:5])
        more = f" and {len(empty) - 5:,} more" if len(empty) > 5 else ""
        message = f"font '{shown}' is damaged: {letters}{more} would print blank (no outline)"
        raise fail("font", loc, field, message, _HINT)
    fs_type = int(font["OS/2"].fsType)
    if _usage(fs_type) == RESTRICTED or fs_type & BITMAP_ONLY:
        raise fail(
            "font-licence",
            loc,
            field,
            f"the licence of font '{shown}' forbids embedding it (OS/2 fsType {fs_type:#06x})",
            "use a font whose licence allows embedding, such as the bundled Noto fonts (OFL)",
        )
    return fs_type


_HINT = "use another copy of the font: this file is cut short or corrupted"


class _Damaged(Exception):
    """A font whose tables parse but do not agree."""


def _table(font: Any, tag: str) -> Any:
    try:
        return font[tag]
    except Exception:  # noqa: BLE001
        raise _Damaged(f"its '{tag.strip()}' table does not parse") from None


def _usage(fs_type: int) -> int:
    """The embedding permission: of several bits set, the least restrictive one counts."""
    for bit in (0x0008, PREVIEW_AND_PRINT, RESTRICTED):
        if fs_type & bit:
            return bit
    return 0


def licence_warning(fs_type: int) -> str:
    """What the licence allows that a reader of the print file should know, or ""."""
    if _usage(fs_type) == PREVIEW_AND_PRINT:
        return "may only be embedded for preview and print (OS/2 fsType 0x0004)"
    if fs_type & NO_SUBSETTING:
        return "may not be subset (OS/2 fsType 0x0100), and booklet embeds subsets"
    return ""


def _letters_without_outline(font: Any) -> list[int]:
    """Code points the character map gives a glyph that `loca` says is empty or that lies
    outside `glyf`: a letter that would print as nothing."""
    loca = list(font["loca"])
    glyf = font.reader["glyf"]
    order = font.getGlyphOrder()
    if len(loca) < len(order) + 1 or any(b < a for a, b in zip(loca, loca[1:], strict=False)):
        raise _Damaged("its 'loca' table does not fit its glyphs")
    if loca[len(order)] > len(glyf):
        raise _Damaged("its 'loca' table points past the end of 'glyf'")
    index = {name: n for n, name in enumerate(order)}
    empty = []
    for code, name in sorted(font.getBestCmap().items()):
        n = index.get(name)
        if n is None:
            raise _Damaged(f"U+{code:04X} maps to a glyph the font does not have")
        start, size = loca[n], loca[n + 1] - loca[n]
        if 0 < size < 10:
            raise _Damaged(f"the outline of U+{code:04X} is cut short")
        contours = struct.unpack_from(">h", glyf, start)[0] if size else 0
        if contours < -1:
            raise _Damaged(f"the outline of U+{code:04X} does not parse")
        if contours == 0 and unicodedata.category(chr(code))[0] in _INKED:
            empty.append(code)
    return empty
