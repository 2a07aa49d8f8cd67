"""Turn an event and its build file into every document × language: jobs, long documents, cards."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "build": "pipeline",
        "UsageError": "pipeline",
        "Report": "jobs",
        "Built": "jobs",
    },
)
