"""Turn paragraph markup into ReportLab's fragments once, for every setting that sets it.

The fill search lays a document out several times with more or less air; each setting
makes its paragraphs anew, and ReportLab parsed each one's markup again: an eighth of a
setting. The parse depends on the text and on the style's lettering only (font, size,
colour, case, lines), never on leading or spacing, so what it made is kept by those and
handed out as copies: a paragraph's own fragments are changed as it is set (ties)."""

from __future__ import annotations

from reportlab.platypus.paragraph import Paragraph

LIMIT = 4096  # kept parses; past it the memo starts again (a long document's parts)

# The style attributes ReportLab's parser reads (paraparser.ParaParser, textTransformFrags).
LETTERING = (
    "fontName",
    "fontSize",
    "textColor",
    "bulletFontName",
    "bulletFontSize",
    "bulletColor",
    "textTransform",
    "linkUnderline",
    "underlineWidth",
    "underlineColor",
    "underlineOffset",
    "underlineGap",
    "strikeWidth",
    "strikeColor",
    "strikeOffset",
    "strikeGap",
)

_parsed: dict[tuple, tuple[str, list]] = {}


def setup(para: Paragraph, text: str, style, bullet, frags, cleaner) -> None:
    """ReportLab's `Paragraph._setup`, with the parse taken from the memo when the same
    text was parsed in the same lettering."""
    key = _key(text, style, para.caseSensitive) if frags is None and bullet is None else None
    kept = _parsed.get(key) if key is not None else None
    if kept is not None:
        cleaned, parsed = kept
        Paragraph._setup(para, cleaned, style, None, [f.clone() for f in parsed], cleaner)
        return
    Paragraph._setup(para, text, style, bullet, frags, cleaner)
    if key is not None and para.style is style:  # a <para> tag restyled it: not kept
        if len(_parsed) >= LIMIT:
            _parsed.clear()
        _parsed[key] = (para.text, [f.clone() for f in para.frags])


def forget_fragments() -> None:
    """Empty the memo: a long document's part is set once, its parses only hold memory."""
    _parsed.clear()


def _key(text: str, style, case: int) -> tuple | None:
    try:
        lettering = tuple(getattr(style, name, None) for name in LETTERING)
        hash(lettering)
    except TypeError:  # a colour that cannot be a key: parsed every time
        return None
    return (text, case, lettering)
