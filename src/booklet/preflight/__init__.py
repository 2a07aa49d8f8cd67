"""Turn any PDF into the findings a print shop's preflight would report."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "preflight": "checks",
        "format_findings": "checks",
        "as_json": "checks",
        "report": "checks",
    },
)
