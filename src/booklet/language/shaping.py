"""Turn runs of text into HarfBuzz glyphs: a word shaped whole, each style's run in context.

A word whose style changes inside it (`الم**ع**لم`) is shaped run by run, each run with
its own font, but with the whole word around it as HarfBuzz's context: the bold ع takes
its medial form and the letters either side stay joined to it. A style change inside a
ligature (lam and alef in two styles) cannot be drawn in two fonts: `ligature_splits`
finds it and the word keeps one style. Which OpenType features HarfBuzz applies comes
from the layout, per script (`FEATURES`: standard ligatures on, discretionary off).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import ShapedStr

# What HarfBuzz applies unless the layout says otherwise: kerning and the standard
# ligatures (lam-alef is one); not the discretionary ones (Noto Sans Arabic stacks
# تح, لمح, يم with them, which no reader expects in running text).
FEATURES: Mapping[str, bool] = {"kern": True, "liga": True, "dlig": False}
SCRIPTS = {"Arab": "arabic", "Hebr": "hebrew", "Grek": "greek", "Cyrl": "cyrillic"}
Features = Mapping[str, Mapping[str, bool]]  # script (arabic, latin) → feature → on

_HB_FONTS: dict[tuple[str, float], Any] = {}
# The letters each private-use code stands for, by font: a joining form its letter, a
# ligature its letters in logical order. typeset/actual_text.py writes them in ToUnicode.
LETTERS: dict[bytes, dict[int, str]] = {}


def features_for(script_tag: str, features: Features | None) -> dict[str, bool]:
    """The features for a run of one script: booklet's defaults, then the layout's."""
    chosen = dict(FEATURES)
    if features:
        chosen.update(features.get("all", {}))
        chosen.update(features.get(SCRIPTS.get(script_tag, "latin"), {}))
    return chosen


def _buffer(text: str, start: int, length: int, rtl: bool):
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text, start, length)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    return buf


def hb_font(font_name: str, size: float):
    from reportlab.pdfbase import pdfmetrics

    key = (font_name, size)
    if key not in _HB_FONTS:
        # Also gives the font its hbAddPrivate.
        _HB_FONTS[key] = pdfmetrics.getFont(font_name).hbFont(size)
    return _HB_FONTS[key]


def glyphs(
    text: str,
    font_name: str,
    size: float,
    rtl: bool,
    features: Features | None = None,
    span: tuple[int, int] | None = None,
):
    """HarfBuzz's glyph infos and positions for `text[span]`, the rest of `text` its context."""
    import uharfbuzz as hb

    start, end = span or (0, len(text))
    buf = _buffer(text, start, end - start, rtl)
    hb.shape(hb_font(font_name, size), buf, features_for(buf.script or "", features))
    return buf.glyph_infos, buf.glyph_positions


def shape(
    text: str,
    font_name: str,
    size: float,
    rtl: bool,
    features: Features | None = None,
    span: tuple[int, int] | None = None,
) -> tuple[ShapedStr, float]:
    """HarfBuzz's glyphs for one run, left to right, as ReportLab draws them; and their width.

    The direction is the run's bidi level, not HarfBuzz's guess from the script: digits in
    Arabic text are set left to right, brackets at an odd level are mirrored. `span`: the
    run is that part of `text`, the rest its context (the letters it joins to).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    font = pdfmetrics.getFont(font_name)
    start = span[0] if span else 0
    infos, positions = glyphs(text, font_name, size, rtl, features, span)
    face, chars, data, advance = font.face, [], [], 0.0
    letters = _letters(infos, text, span[1] if span else len(text), face.glyphToChar)
    for info, pos, shown in zip(infos, positions, letters, strict=True):
        gid = info.codepoint
        code = face.glyphToChar.get(gid, [None])[0]
        if code is None:  # a joining form or a ligature with no code point of its own
            name = hb_font(font_name, size).glyph_to_string(gid)
            code = font.hbAddPrivate(name, gid, pos.x_advance)
        if _private(code):
            LETTERS.setdefault(face.name, {}).setdefault(code, shown)
        x_advance = font.pdfScale(pos.x_advance)
        data.append(
            ShapeData(
                info.cluster - start,
                x_advance,
                font.pdfScale(pos.y_advance),
                font.pdfScale(pos.x_offset),
                font.pdfScale(pos.y_offset),
                face.charWidths[code],
            )
        )
        chars.append(chr(code))
        advance += x_advance
    return ShapedStr("".join(chars), shapeData=data), advance * size / 1000


def _private(code: int) -> bool:
    """A code that stands in for letters: private use (a joining form ReportLab numbered),
    or an Arabic presentation form (Noto Sans Arabic maps its joining forms to those)."""
    return 0xE000 <= code <= 0xF8FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFC


def _letters(infos, text: str, end: int, coded: Mapping[int, list[int]]) -> list[str]:
    """What each glyph stands for in the text: a glyph with a code point of its own, that
    letter; the first glyph of a cluster without one, the cluster's other letters (lam-alef,
    or alef with its damma drawn as one); any further such glyph of the cluster, a
    zero-width joiner."""
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], end], strict=True))
    rest = {c: list(text[c : ends[c]]) for c in starts}
    for info in infos:
        own = [c for c in coded.get(info.codepoint, ()) if not _private(c)]
        if own and chr(own[0]) in rest[info.cluster]:
            rest[info.cluster].remove(chr(own[0]))
    shown = []
    for info in infos:
        own = [c for c in coded.get(info.codepoint, ()) if not _private(c)]
        # A ToUnicode entry cannot be empty (a viewer would copy the glyph's code): the
        # second glyph of a letter drawn as two stands for a zero-width joiner.
        shown.append(chr(own[0]) if own else "".join(rest[info.cluster]) or "\u200d")
        if not own:
            rest[info.cluster] = []
    return shown


def ligature_splits(
    text: str, bounds: Sequence[int], font_name: str, size: float, rtl: bool, features=None
) -> list[int]:
    """The style boundaries inside `text` that change its glyphs: where shaping the two
    sides apart (each with the other as context) does not give the glyphs of the whole,
    shaped in one font. A ligature (lam-alef in Noto Sans Arabic) or a contextual pair
    (lam before alef in Noto Naskh Arabic) spans such a boundary."""

    def ids(span: tuple[int, int]) -> list[tuple[int, int]]:
        infos = glyphs(text, font_name, size, rtl, features, span)[0]
        return [(info.cluster, info.codepoint) for info in infos]

    whole = sorted(ids((0, len(text))))
    return [
        b
        for b in bounds
        if 0 < b < len(text) and sorted(ids((0, b)) + ids((b, len(text)))) != whole
    ]
