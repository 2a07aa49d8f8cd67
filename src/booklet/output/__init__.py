"""Turn built files into outputs on disk: staged and moved atomically, previews, the report."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "write_outputs": "staging",
        "contact_sheet": "staging",
        "report_json": "staging",
        "Collator": "collate",
        "render_pages": "preview",
    },
)
