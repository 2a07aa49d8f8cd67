"""Turn content and a layout into a document: plain blocks in page order, no ReportLab types."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "compose": "composer",
        "Document": "document",
        "roll_fold": "folds",
        "bi_fold": "folds",
    },
)
