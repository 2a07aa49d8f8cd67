"""Turn the layout's palette and type styles into ReportLab colours and paragraph styles."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from ..language import bidi as rtl
from ..language.bidi import is_rtl, script_of
from ..language.fonts import Face, face_name
from ..language.script_runs import RTL_SCRIPT, Emphasis, fallback_runs, is_rtl_char, latin_runs
from ..language.text import hyphenator, markup, smart_quotes, upper
from ..read.layout import Layout, TextStyle
from .flowables import Label, Tracked

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

    def lines(self, lines: list[str], name: str) -> Paragraph:
        """A paragraph of plain-text lines kept as written (a poem, an address)."""
        texts = [smart_quotes(line, self.lang) for line in lines]
        if self.spec(name).upper:
            texts = [upper(t, self.lang) for t in texts]
        safe = "<br/>".join(markup(t) for t in texts)
        return Paragraph(self.runs(safe, name), self.style_for(name, " ".join(texts)))

    def style_for(self, name: str, text: str) -> ParagraphStyle:
        """The style, but set left to right when a right-to-left document quotes Latin only,
        and with the bidi layout of `language/bidi.py` when a left-to-right one quotes Arabic."""
        style = self[name]
        if self.rtl and not any(is_rtl_char(c) for c in text):
            style = ParagraphStyle(f"{name}-ltr", parent=style, wordWrap=None, shaping=0)
        elif not self.rtl and RTL_SCRIPT.search(text):
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
        if self.rtl or RTL_SCRIPT.search(text):
            return self.para(text, name)
        spec = self.spec(name)
        casing = (lambda s: upper(s, self.lang)) if spec.upper else (lambda s: s)
        return Label(text, Tracked(self[name], spec.tracking * self.scale, casing))


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
