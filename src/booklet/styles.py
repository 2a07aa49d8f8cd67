"""Turn the layout's palette and type styles into ReportLab colours and paragraph styles."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from .flowables import Label, Tracked
from .fonts import Face, face_name
from .model import Layout, TextStyle
from .text import markup, upper

MM = 72 / 25.4
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


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

    def scaled(self, scale: float) -> Styles:
        return Styles(self.layout, self.faces, self.palette, self.lang, scale)

    def spec(self, name: str) -> TextStyle:
        return getattr(self.layout.styles, name.replace("-", "_"))

    def font(self, name: str) -> str:
        spec = self.spec(name)
        return self.faces[face_name(spec.font, spec.bold, spec.italic)].name

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
        return self.cache[name]

    def para(self, text: str, name: str) -> Paragraph:
        """A paragraph of plain text (escaped here), in capitals if the style says so."""
        if self.spec(name).upper:
            text = upper(text, self.lang)
        return Paragraph(markup(text), self[name])

    def label(self, text: str, name: str) -> Label:
        """A one-line tracked label (kickers)."""
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
