"""Turn a page count into a plan of press sheets (pure data), then the plan into imposed PDFs."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "plan_saddle": "plan",
        "plan_nup": "plan",
        "Sheet": "plan",
        "impose_doc": "sheets",
        "spreads_pdf": "sheets",
    },
)
