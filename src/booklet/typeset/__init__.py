"""Turn a document into a trim-size PDF with ReportLab: styles, flowables, covers, panels."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "typeset": "document_pdf",
        "typeset_parts": "document_pdf",
        "Styles": "styles",
        "Palette": "styles",
    },
)
