"""Turn the layout's palette and type styles into ReportLab colours and paragraph styles."""

from __future__ import annotations

import html
import re

from reportlab.lib.colors import CMYKColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer

from ..language import bidi as rtl
from ..language.bidi import is_rtl, script_of
from ..language.fonts import Face, face_name
from ..language.hyphenation import hyphenator, unbreakable
from ..language.script_runs import RTL_SCRIPT, Emphasis, fallback_runs, is_rtl_char, latin_runs
from ..language.text import escape, markup, upper
from ..language.typography import typographic
from ..read.layout import Layout, TextStyle
from . import to_unicode
from .extents import clearance, extent
from .flowables import Label, Tracked
from .paragraphs import Para, Rules
from .record import Record
from .tagging import text_leaf

# ReportLab's own right-to-left layout reverses words; rtl.install replaces it, process-wide,
# with the bidi algorithm. Done here, where every right-to-left style comes from.
rtl.install()
to_unicode.install()  # joining forms and ligatures copy as their letters

MM = 72 / 25.4
SMALLEST = 6.0  # pt: type shrunk to fit a panel stops here (preflight's small-text)
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
        record: Record | None = None,
        names: tuple[str, ...] = (),
        air: float = 0.0,
    ):
        self.layout, self.faces, self.palette, self.lang = layout, faces, palette, lang
        self.scale = scale
        self.record, self.names, self.air = record, names, air
        self.cache: dict[str, ParagraphStyle] = {}
        self.rtl = is_rtl(lang)
        # Documents in another script swap families: serif → naskh for Arabic.
        self.swap = layout.scripts.get(script_of(lang), {})

    def scaled(self, scale: float) -> Styles:
        return Styles(
            self.layout,
            self.faces,
            self.palette,
            self.lang,
            scale,
            self.record,
            self.names,
            self.air,
        )

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
            air = 1.0 if name.startswith(("cover-", "card-", "folio")) else 1.0 + self.air
            self.cache[name] = ParagraphStyle(
                name,
                fontName=self.font(name),
                fontSize=max(spec.size * k, min(spec.size, SMALLEST)),
                leading=spec.leading * k * air,
                textColor=self.palette[spec.color],
                alignment=_ALIGN[spec.align],
                spaceBefore=spec.space_before * k * air,
                spaceAfter=spec.space_after * k * air,
                allowWidows=0,
                allowOrphans=0,
            )
            if spec.align == "justify":
                self.cache[name].spaceShrinkage = 1 - self.layout.typography.tight
            else:
                self.cache[name].spaceShrinkage = 0  # ragged lines never run past the measure
            self.cache[name].features = self.layout.features  # per script, for HarfBuzz
            if name in HYPHENATED and hyphenator(self.lang):
                self.cache[name].hyphenationLang = hyphenator(self.lang)
            if self.rtl:
                self.cache[name].alignment = _RTL_ALIGN[spec.align]
                self.cache[name].wordWrap = "RTL"
                self.cache[name].shaping = 1  # joined Arabic letters, through HarfBuzz
                self.cache[name].splitLongWords = 0  # a word too long is an overflow error
        return self.cache[name]

    def para(self, text: str, name: str) -> Para:
        """A paragraph of plain text (escaped here) set by the language's rules, in capitals
        if the style says so."""
        said = text
        text = typographic(text, self.lang)
        if self.spec(name).upper:
            text = upper(text, self.lang)
        made = self.markup(markup(text), name, text)
        text_leaf(made, name, said)
        return made

    def lines(self, lines: list[str], name: str) -> Para:
        """A paragraph of plain-text lines kept as written (a poem, an address)."""
        texts = [typographic(line, self.lang) for line in lines]
        if self.spec(name).upper:
            texts = [upper(t, self.lang) for t in texts]
        safe = "<br/>".join(markup(t) for t in texts)
        return self.markup(safe, name, " ".join(texts), verse=True)

    def one_line(
        self, text: str, name: str, width: float, style: ParagraphStyle | None = None
    ) -> Para:
        """A figure ("50 million+") or a caption: on one line, smaller where it is too wide
        for its column (down to 60 %, never under 6 pt); only then broken."""
        text, style = typographic(text, self.lang), style or self[name]
        wide = stringWidth(text, style.fontName, style.fontSize)
        if wide > width:
            k = max(0.6, width / wide, min(1.0, SMALLEST / style.fontSize))
            style = ParagraphStyle(
                f"{name}-fitted",
                parent=style,
                fontSize=style.fontSize * k,
                leading=style.leading * k,
            )
        return self.markup(markup(text), name, text, style=style)

    def safe(self, text: str) -> str:
        """Plain text as markup, set by the language's rules (for markup made here)."""
        return escape(typographic(text, self.lang))

    def markup(
        self,
        safe: str,
        name: str,
        plain: str = "",
        verse: bool = False,
        style: ParagraphStyle | None = None,
    ) -> Para:
        """A paragraph of markup already made safe, keeping the layout's line-breaking rules."""
        plain = plain or html.unescape(re.sub(r"<[^>]*>", "", safe))
        style = style or self.style_for(name, plain)
        safe = self.emphasis(safe)
        typo = self.layout.typography
        hyphens = hyphenator(self.lang) if callable(style.hyphenationLang) else None
        rules = Rules(
            record=self.record,
            balance=name in typo.balance and not verse,
            running=name not in typo.balance or verse,
            verse=verse,
            max_hyphens=typo.max_hyphens,
            last_line=typo.last_line,
            ragged_below=typo.ragged_below,
            tracking=typo.tracking,
            hyphen_zone=typo.hyphen_zone,
            hyphens=hyphens,
            kept=unbreakable(plain, self.names) if hyphens else frozenset(),
        )
        para = Para(self.runs(safe, name), style).keep(rules)
        para.plain = plain
        text_leaf(para, name)
        return para

    def emphasis(self, safe: str) -> str:
        """*Emphasis* (<i>) as the layout shows it in the document's script: italic, bold
        (Arabic, by default: Naskh has no italic), or a colour of the palette."""
        emphasis = self.layout.emphasis
        shown = emphasis.arabic if script_of(self.lang) == "arabic" else emphasis.latin
        if shown == "italic" or "<i>" not in safe:
            return safe
        if shown == "bold":
            return safe.replace("<i>", "<b>").replace("</i>", "</b>")
        c, m, y, k = (v / 100 for v in self.layout.palette[shown])
        return safe.replace("<i>", f'<font color="cmyk({c},{m},{y},{k})">').replace(
            "</i>", "</font>"
        )

    def style_for(self, name: str, text: str) -> ParagraphStyle:
        """The style, but set left to right when a right-to-left document quotes Latin only,
        and with the bidi layout of `language/bidi.py` when a left-to-right one quotes Arabic."""
        style = self[name]
        if self.rtl and not any(is_rtl_char(c) for c in text):
            style = ParagraphStyle(
                f"{name}-ltr", parent=style, wordWrap=None, shaping=0, splitLongWords=1
            )
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
            emphasised = self.emphasised(name)
            return latin_runs(safe, self.face(name), emphasised(False, False, True), emphasised)
        return fallback_runs(safe, self.face(name).cmap, fallback, self.emphasised(name))

    def reach(self, text: str, name: str) -> tuple[float, float]:
        """How far the letters of `text` set in a style reach above and below its baseline."""
        faces = [f for f in (self.face(name), self.fallback(name)) if f is not None]
        return extent(text, faces, self[name].fontSize)

    def stacked(self, lines: list[tuple[str, str]]) -> list:
        """Paragraphs (text, style) one under another, with room between two lines whose
        letters would touch (a deep Arabic descender over a Latin line)."""
        made: list = []
        for n, (text, name) in enumerate(lines):
            if n:
                above, style = lines[n - 1]
                _, down = self.reach(above, style)
                up, _ = self.reach(text, name)
                room = clearance(self[style], down, self[name], up)
                made += [room] if room else []
            made.append(self.para(text, name) if text else Spacer(1, self[name].leading))
        return made

    def emphasised(self, name: str) -> Emphasis:
        """The fallback face for text inside <b> and <i>: a <font face> would drop them.

        In right-to-left text a Latin run slants only if the layout asks for it
        (`emphasis.slant-in-rtl`), and a run of digits and brackets never does."""
        spec, family = self.spec(name), self.layout.fonts[self.family(name)]
        base = self.fallback(name)
        slant = self.layout.emphasis.slant_in_rtl

        def face(bold: bool, italic: bool, letters: bool = True) -> Face:
            sloped = (spec.italic or italic) and (not self.rtl or (slant and letters))
            wanted = face_name(family.fallback, spec.bold or bold, sloped)
            return self.faces.get(wanted, base)

        return face

    def label(self, text: str, name: str) -> Label | Paragraph:
        """A one-line tracked label (kickers); right-to-left text is never letter-spaced
        (it would come apart into unjoined letters): it is set as a paragraph."""
        if self.rtl or RTL_SCRIPT.search(text) or not self.prints(text, name):
            return self.para(text, name)  # a paragraph sets letters its face lacks in another
        text = typographic(text, self.lang)
        spec = self.spec(name)
        casing = (lambda s: upper(s, self.lang)) if spec.upper else (lambda s: s)
        tracked = Tracked(self[name], spec.tracking * self.scale, casing)
        made = Label(text, tracked, lambda shown: self.markup(markup(shown), name, shown))
        text_leaf(made, name)
        return made

    def prints(self, text: str, name: str) -> bool:
        """Whether the style's own face has every letter of a text, in its capitals if the
        style sets them (a Georgian face has no digits: its labels are set as paragraphs)."""
        shown = upper(text, self.lang) if self.spec(name).upper else text
        cmap = self.face(name).cmap
        return all(ord(c) in cmap or c.isspace() for c in typographic(shown, self.lang))

    def face_runs(self, text: str, name: str) -> list[tuple[str, str]]:
        """A line drawn letter by letter in runs of (font, letters): the style's face, and
        its fallback for a letter the face lacks (the digits of a Georgian face)."""
        own, other = self.face(name), self.fallback(name)
        runs: list[tuple[str, str]] = []
        for char in text:
            lacks = other is not None and ord(char) not in own.cmap and not char.isspace()
            font = other.name if lacks and other is not None else own.name
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs


def runs_width(runs: list[tuple[str, str]], size: float, tracking: float) -> float:
    """The width of a tracked line of `face_runs`."""
    return sum(stringWidth(run, font, size) + tracking * len(run) for font, run in runs)


def draw_runs(text, lines, font: str, size: float) -> None:
    """Lines of `face_runs` into a text object, each at its (x, y), changing font only where
    a run's face differs from the one before (an empty line still sets its origin)."""
    for x, y, runs in lines:
        text.setTextOrigin(x, y)
        for face, run in runs or [(font, "")]:
            if face != font:
                text.setFont(face, size)
                font = face
            text.textOut(run)


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
