"""Turn the layout's palette and type styles into ReportLab colours and paragraph styles."""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from collections.abc import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from . import rtl
from .flowables import Label, Tracked
from .fonts import Face, face_name
from .model import Layout, TextStyle
from .rtl import is_rtl, script_of
from .text import hyphenator, markup, smart_quotes, upper

# ReportLab's own right-to-left layout reverses words; rtl.install replaces it, process-wide,
# with the bidi algorithm. Done here, where every right-to-left style comes from.
rtl.install()

MM = 72 / 25.4
HYPHENATED = ("body", "lead", "note")  # running text only: never names, titles or figures
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Right-to-left text starts at the right: "left" in the layout means the line's start.
_RTL_ALIGN = {"left": TA_RIGHT, "center": TA_CENTER, "right": TA_LEFT, "justify": TA_JUSTIFY}


class Palette:
    """The layout's CMYK colours as ReportLab colours."""

    def __init__(self, layout: Layout):
        self.colors = {
            name: CMYKColor(*(v / 100 for v in cmyk)) for name, cmyk in layout.palette.items()
        }

    def __getitem__(self, name: str) -> CMYKColor:
        return self.colors[name]


class Styles:
    """Paragraph styles built from the layout's type styles, optionally scaled down to fit."""

    def __init__(
        self,
        layout: Layout,
        faces: dict[str, Face],
        palette: Palette,
        lang: str,
        scale: float = 1.0,
    ):
        self.layout, self.faces, self.palette, self.lang = layout, faces, palette, lang
        self.scale = scale
        self.cache: dict[str, ParagraphStyle] = {}
        self.rtl = is_rtl(lang)
        # Documents in another script swap families: serif → naskh for Arabic.
        self.swap = layout.scripts.get(script_of(lang), {})

    def scaled(self, scale: float) -> Styles:
        return Styles(self.layout, self.faces, self.palette, self.lang, scale)

    def spec(self, name: str) -> TextStyle:
        return getattr(self.layout.styles, name.replace("-", "_"))

    def family(self, name: str) -> str:
        spec = self.spec(name)
        return self.swap.get(spec.font, spec.font)

    def face(self, name: str) -> Face:
        spec = self.spec(name)
        return self.faces[face_name(self.family(name), spec.bold, spec.italic)]

    def fallback(self, name: str) -> Face | None:
        """The face that prints the letters this style's face lacks, if the layout names one."""
        spec, family = self.spec(name), self.layout.fonts.get(self.family(name))
        if family is None or family.fallback is None:
            return None
        return self.faces.get(face_name(family.fallback, spec.bold, spec.italic))

    def font(self, name: str) -> str:
        return self.face(name).name

    def __getitem__(self, name: str) -> ParagraphStyle:
        if name not in self.cache:
            spec, k = self.spec(name), self.scale
            self.cache[name] = ParagraphStyle(
                name,
                fontName=self.font(name),
                fontSize=spec.size * k,
                leading=spec.leading * k,
                textColor=self.palette[spec.color],
                alignment=_ALIGN[spec.align],
                spaceBefore=spec.space_before * k,
                spaceAfter=spec.space_after * k,
                allowWidows=0,
                allowOrphans=0,
            )
            if name in HYPHENATED and hyphenator(self.lang):
                self.cache[name].hyphenationLang = hyphenator(self.lang)
            if self.rtl:
                self.cache[name].alignment = _RTL_ALIGN[spec.align]
                self.cache[name].wordWrap = "RTL"
                self.cache[name].shaping = 1  # joined Arabic letters, through HarfBuzz
        return self.cache[name]

    def para(self, text: str, name: str) -> Paragraph:
        """A paragraph of plain text (escaped here), in capitals if the style says so."""
        text = smart_quotes(text, self.lang)
        if self.spec(name).upper:
            text = upper(text, self.lang)
        return Paragraph(self.runs(markup(text), name), self.style_for(name, text))

    def style_for(self, name: str, text: str) -> ParagraphStyle:
        """The style, but set left to right when a right-to-left document quotes Latin only,
        and with the bidi layout of `rtl.py` when a left-to-right one quotes Arabic."""
        style = self[name]
        if self.rtl and not any(_is_rtl_char(c) for c in text):
            style = ParagraphStyle(f"{name}-ltr", parent=style, wordWrap=None, shaping=0)
        elif not self.rtl and _RTL_SCRIPT.search(text):
            # Arabic letters joined and in right-to-left order inside left-to-right lines;
            # no hyphenation, which would cut shaped words.
            style = ParagraphStyle(f"{name}-bidi", parent=style, shaping=1, hyphenationLang="")
            style.bidiLevel = 0
        return style

    def runs(self, safe: str, name: str) -> str:
        """Markup with the letters the style's face lacks set in its fallback face.

        In right-to-left documents the runs of what is not right-to-left (Latin words,
        digits, URLs, the punctuation that goes with them) are set in the fallback face.
        """
        fallback = self.fallback(name)
        if fallback is None:
            return safe
        if self.rtl:
            return latin_runs(safe, self.face(name), fallback, self.emphasised(name))
        return fallback_runs(safe, self.face(name).cmap, fallback, self.emphasised(name))

    def emphasised(self, name: str) -> Emphasis:
        """The fallback face for text inside <b> and <i>: a <font face> would drop them."""
        spec, family = self.spec(name), self.layout.fonts[self.family(name)]
        base = self.fallback(name)

        def face(bold: bool, italic: bool) -> Face:
            wanted = face_name(family.fallback, spec.bold or bold, spec.italic or italic)
            return self.faces.get(wanted, base)

        return face

    def label(self, text: str, name: str) -> Label | Paragraph:
        """A one-line tracked label (kickers); right-to-left text is never letter-spaced
        (it would come apart into unjoined letters): it is set as a paragraph."""
        if self.rtl or _RTL_SCRIPT.search(text):
            return self.para(text, name)
        spec = self.spec(name)
        casing = (lambda s: upper(s, self.lang)) if spec.upper else (lambda s: s)
        return Label(text, Tracked(self[name], spec.tracking * self.scale, casing))


# Hebrew to NKo and Samaritan, the Arabic presentation forms, and the right-to-left
# scripts of the supplementary planes: one search, in C, for every paragraph.
_RTL_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff]")


def _is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "AN", "NSM")


_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", flags=re.S)
_INLINE = re.compile(r"<(/?)([bi])>")
Emphasis = Callable[[bool, bool], Face]  # (bold, italic) → the face for text inside <b>, <i>
OWN, LATIN = "own", "latin"  # the faces of right-to-left text: the style's own, its fallback


def latin_runs(safe: str, own: Face, latin: Face, emphasised: Emphasis | None = None) -> str:
    """In right-to-left markup, wrap the runs `script_faces` gives the Latin face in it.

    A run may end inside a word ("Məmmədova،" is a Latin name, then an Arabic comma):
    rtl.py shapes each run of one font and one direction on its own. Inside <b> and <i>
    a run takes `emphasised(bold, italic)`, the Latin face's bold or italic.
    """
    tokens = _TOKEN.findall(safe)
    # A tag is no letter; an entity is the one it stands for.
    chars = [None if t.startswith("<") else html.unescape(t)[:1] for t in tokens]
    faces = script_faces(chars, own.cmap, latin.cmap)
    out: list[str] = []
    run: list[str] = []
    inline = [0, 0]
    for token, face in zip(tokens, faces, strict=True):
        if face == LATIN:
            run.append(token)
            continue
        _wrap(out, run, latin, emphasised, inline)
        _follow(token, inline)
        out.append(token)
    _wrap(out, run, latin, emphasised, inline)
    return "".join(out)


def _follow(token: str, inline: list[int]) -> None:
    """Count the <b> and <i> open around the tokens that follow (markup writes only those)."""
    tag = _INLINE.fullmatch(token)
    if tag:
        inline["bi".index(tag.group(2))] += -1 if tag.group(1) else 1


def _wrap(
    out: list[str], run: list[str], face: Face, emphasised: Emphasis | None, inline: list[int]
) -> None:
    """Close a run of the other face: that face, or its bold or italic inside <b> or <i>."""
    if not run:
        return
    if emphasised is not None and (inline[0] > 0 or inline[1] > 0):
        face = emphasised(inline[0] > 0, inline[1] > 0)
    out.append(f'<font face="{face.name}">{"".join(run)}</font>')
    run.clear()


def script_faces(
    chars: list[str | None], own: frozenset[int], latin: frozenset[int]
) -> list[str | None]:
    """Which face sets each character of right-to-left text: OWN, LATIN, or None (spaces, tags).

    Right-to-left letters and Arabic digits: the style's own face; Latin letters and digits:
    the Latin face; punctuation goes with the nearest letter of its word (the colon after an
    Arabic word stays Arabic, the full stop of "Dr." is Latin, a lone "·" is Latin); each
    falls to the other face if its own lacks it. A mark stays with its letter, whatever the
    faces have: it is shaped onto it.
    """
    kinds = [_kind(c) for c in chars]
    faces: list[str | None] = []
    for i, (char, kind) in enumerate(zip(chars, kinds, strict=True)):
        if char is None or kind is None:
            faces.append(None)
        elif kind == "mark":
            faces.append(_letter_face(kinds, faces, i))
        else:
            strong = kind if kind != "neutral" else _nearest_strong(kinds, i)
            face = OWN if strong == "rtl" else LATIN
            other = LATIN if face == OWN else OWN
            cmaps = {OWN: own, LATIN: latin}
            if ord(char) not in cmaps[face] and ord(char) in cmaps[other]:
                face = other
            faces.append(face)
    return faces


def _kind(char: str | None) -> str | None:
    """rtl, ltr, neutral, mark; "tag" for markup; None for a space, which ends a word."""
    if char is None:
        return "tag"
    if char.isspace() and char != "\xa0":
        return None
    bidi = unicodedata.bidirectional(char)
    if bidi in ("NSM", "BN") or unicodedata.category(char) in ("Mn", "Me"):
        return "mark"
    if bidi in ("R", "AL", "AN"):
        return "rtl"
    return "ltr" if bidi in ("L", "EN") else "neutral"


def _letter_face(kinds: list[str | None], faces: list[str | None], i: int) -> str:
    """The face of the character a mark sits on: the one before it in its word."""
    for j in range(i - 1, -1, -1):
        if kinds[j] is None:
            break
        if faces[j] is not None:
            return faces[j]
    return OWN


def _nearest_strong(kinds: list[str | None], i: int) -> str:
    """The kind of the nearest letter or digit in the same word, looking back first."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(kinds) and kinds[j] is not None:
            if kinds[j] in ("rtl", "ltr"):
                return kinds[j]
            j += step
    return "ltr"


def unprintable(safe: str, own: frozenset[int], latin: frozenset[int]) -> list[str]:
    """The characters of right-to-left markup that would print as empty boxes when set as
    `latin_runs` sets them: each must be in the face that shapes its run (a mark is shaped
    with its letter, so a face lacking it prints a box even where the other face has it)."""
    tokens = _TOKEN.findall(safe)
    chars = [None if t.startswith("<") else html.unescape(t)[:1] for t in tokens]
    faces = script_faces(chars, own, latin)
    cmaps = {OWN: own, LATIN: latin}
    lacking = [c for c, f in zip(chars, faces, strict=True) if c and f and ord(c) not in cmaps[f]]
    return list(dict.fromkeys(lacking))


def boxes_in(text: str, layout: Layout, lang: str, faces: dict[str, Face]) -> dict[str, list[str]]:
    """Characters a right-to-left document would print as empty boxes though some font of the
    layout has them (see `unprintable`), each with the font files that would set them.

    Only a mark can: any other letter goes to whichever face has it. The text is read as
    it is set, after its quotes and its **strong** and *emphasis* markup."""
    if text.isascii() or not any(_kind(c) == "mark" for c in text):
        return {}
    safe = markup(smart_quotes(text, lang))
    found: dict[str, list[str]] = {}
    for face, latin in _face_pairs(layout, lang, faces):
        for char in unprintable(safe, face.cmap, latin.cmap):
            names = found.setdefault(char, [])
            if face.path.name not in names:
                names.append(face.path.name)
    return found


def _face_pairs(layout: Layout, lang: str, faces: dict[str, Face]) -> list[tuple[Face, Face]]:
    """Each (own face, Latin face) pair the styles of a right-to-left document set text with."""
    swap = layout.scripts.get(script_of(lang), {})
    pairs: dict[tuple[str, str], tuple[Face, Face]] = {}
    for field in dataclasses.fields(layout.styles):
        spec = getattr(layout.styles, field.name)
        family = swap.get(spec.font, spec.font)
        face = faces.get(face_name(family, spec.bold, spec.italic))
        fallback = layout.fonts[family].fallback if family in layout.fonts else None
        latin = faces.get(face_name(fallback, spec.bold, spec.italic)) if fallback else None
        if face is not None and latin is not None:
            pairs.setdefault((face.name, latin.name), (face, latin))
    return list(pairs.values())


def fallback_runs(
    safe: str, cmap: frozenset[int], fallback: Face, emphasised: Emphasis | None = None
) -> str:
    """Wrap runs of letters outside `cmap` but inside the fallback face in <font face=...>
    (inside <b> and <i>: `emphasised(bold, italic)`, the fallback's bold or italic).

    `safe` is already paragraph markup: tags and entities pass through untouched.
    """
    if all(ord(c) in cmap for c in set(safe)):
        return safe  # the usual case: the primary face has every letter, nothing to wrap
    out: list[str] = []
    run: list[str] = []
    inline = [0, 0]
    for token in _TOKEN.findall(safe):
        foreign = len(token) == 1 and ord(token) not in cmap and ord(token) in fallback.cmap
        if foreign or (run and token == " "):
            run.append(token)
        else:
            _wrap(out, run, fallback, emphasised, inline)
            _follow(token, inline)
            out.append(token)
    _wrap(out, run, fallback, emphasised, inline)
    return "".join(out)


def tracked_width(text: str, style: ParagraphStyle, tracking: float) -> float:
    return stringWidth(text, style.fontName, style.fontSize) + tracking * len(text)


def fit_text(text: str, width: float, style: ParagraphStyle, tracking: float) -> str:
    """Shorten page furniture (never content) to a width, ending in an ellipsis."""
    if tracked_width(text, style, tracking) <= width:
        return text
    words = text.split()
    while words and tracked_width(" ".join(words) + "…", style, tracking) > width:
        words.pop()
    return " ".join(words) + "…"
