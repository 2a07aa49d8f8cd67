"""Turn a parsed TrueType face into marshal data and back: a font file is parsed once, not each run.

ReportLab parses a face's tables (widths, the character map, glyph offsets) in Python:
~4 ms a face, five faces for an English booklet. What it keeps of them is plain data, kept
in the user's cache folder by the file's content and ReportLab's version (`read.cache`:
marshal, so reading it back runs no code) and put back on a face without parsing; the
font program itself is always the file's own bytes, read and checked by digest first.
A face ReportLab would build differently (another version, another set of attributes)
is parsed as before.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from ..read.cache import cache_file, keep, read_cached

_MADE = ("_ttf_data", "_pdfScale")  # the file's bytes and a function: never kept


def load(name: str, path: Path, data: bytes, digest: str) -> TTFont | None:
    """The font `name` from what a parse of these bytes left in the cache, or None."""
    kept = read_cached(_stored(path, digest))
    if not (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], dict)):
        return None
    attributes, names, font_keys = kept
    face = TTFontFace.__new__(TTFontFace)
    try:
        face.__dict__.update(attributes)
        for key in names:
            face.__dict__[key] = TTFNameBytes(attributes[key], "utf8")
        face._ttf_data = data
        face._pdfScale = _scale(int(face.unitsPerEm))
        font = _font(name, face)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    return font if sorted(vars(font)) == font_keys else None


def store(font: TTFont, path: Path, digest: str) -> None:
    """Keep what parsing the face made, for the next process that sets it."""
    attributes = {k: v for k, v in vars(font.face).items() if k not in _MADE}
    names = sorted(k for k, v in attributes.items() if isinstance(v, TTFNameBytes))
    for key in names:
        attributes[key] = bytes(attributes[key])
    keep(_stored(path, digest), (attributes, names, sorted(vars(font))))


def _stored(path: Path, digest: str) -> Path | None:
    return cache_file("face", path, f"{reportlab.Version}|{digest}|{ttfonts.__file__}")


def _font(name: str, face: TTFontFace) -> TTFont:
    """A TTFont around a face, as TTFont.__init__ makes one around the face it parses."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


def _scale(units_per_em: int) -> Any:
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor
