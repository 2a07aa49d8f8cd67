"""Turn built files into outputs on disk: staged and moved into place only when all succeeded."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

SHEET_PAGE_HEIGHT = 300  # px per page in the contact sheet
SHEET_GAP = 24
SHEET_BACKGROUND = (236, 236, 233)


def write_outputs(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every file under `out_dir` atomically: all or nothing, no partial file ever.

    Files go to a staging folder on the same filesystem first; only when all are
    written are they renamed into place, under a lock so that two builds into the
    same folder never interleave their files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".booklet-staging-", dir=out_dir))
    try:
        for relative, data in sorted(files.items()):
            _write_synced(staging / relative, data)
        with _locked(out_dir):
            return [_move(staging / relative, out_dir / relative) for relative in sorted(files)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_synced(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _move(source: Path, final: Path) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, final)
    return final


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    # Lock the folder itself: no lock file is left behind in the user's output.
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


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
