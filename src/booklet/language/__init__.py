"""Turn content strings into text each language prints right: locale, bidi, fonts, coverage."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "markup": "text",
        "expand": "templates",
        "typographic": "typography",
        "upper": "text",
        "hyphenator": "hyphenation",
        "is_rtl": "bidi",
        "Face": "fonts",
        "check_glyphs": "coverage",
    },
)
