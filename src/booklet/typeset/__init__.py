"""Turn a document into a trim-size PDF with ReportLab: styles, flowables, covers, panels."""

from .. import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "typeset": "typesetter",
        "typeset_parts": "typesetter",
        "Styles": "styles",
        "Palette": "styles",
    },
)
