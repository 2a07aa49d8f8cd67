"""Turn built files into outputs on disk: staged and moved into place only when all succeeded."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

SHEET_PAGE_HEIGHT = 300  # px per page in the contact sheet
SHEET_GAP = 24
SHEET_BACKGROUND = (236, 236, 233)


def write_outputs(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every file under `out_dir` atomically: all or nothing, no partial file ever."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".booklet-staging-", dir=out_dir))
    written = []
    try:
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for relative in sorted(files):
            final = out_dir / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, final)
            written.append(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def contact_sheet(screen_pdf: bytes) -> bytes:
    """A PNG of all pages as reader spreads: page 1 alone on the right, then facing pairs."""
    pdf = pdfium.PdfDocument(screen_pdf)
    try:
        pages = [_render(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    spreads = [[None, pages[0]]] + [pages[i : i + 2] for i in range(1, len(pages), 2)]
    page_w = max(p.width for p in pages)
    per_row = 2
    rows = (len(spreads) + per_row - 1) // per_row
    width = per_row * (2 * page_w + SHEET_GAP) + SHEET_GAP
    height = rows * (SHEET_PAGE_HEIGHT + SHEET_GAP) + SHEET_GAP
    sheet = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    for n, spread in enumerate(spreads):
        x = SHEET_GAP + (n % per_row) * (2 * page_w + SHEET_GAP)
        y = SHEET_GAP + (n // per_row) * (SHEET_PAGE_HEIGHT + SHEET_GAP)
        for k, page in enumerate(spread):
            if page is not None:
                sheet.paste(page, (x + k * page_w, y))
    out = io.BytesIO()
    sheet.save(out, "PNG", optimize=True)
    return out.getvalue()


def _render(page: pdfium.PdfPage) -> Image.Image:
    scale = SHEET_PAGE_HEIGHT / page.get_height()
    return page.render(scale=scale).to_pil().convert("RGB")


def report_json(report: dict) -> bytes:
    """The build report as stable, readable JSON."""
    return (json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
