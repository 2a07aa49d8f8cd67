"""Turn a trim-size PDF into the print file (bleed, boxes, marks, PDF/X-4) and the screen file."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "print_file": "files",
        "screen_file": "files",
        "page_files": "files",
        "marks_pdf": "marks",
        "identify": "pdfx",
        "build_date": "pdfx",
    },
)
