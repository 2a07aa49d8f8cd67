"""Turn the sources into a grid of QR codes, each with its number and publisher under it."""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.platypus import Table

from ..compose import document as d
from .flowables import QrCode
from .styles import MM

GAP = 4 * MM  # between two codes of a row


def source_grid(setter, entries: tuple[d.SourceEntry, ...]) -> Iterator[Table]:
    """Rows of codes where a panel is short of room: as many across as fit at their printed
    size (never smaller: a code must stay readable), the number and publisher under each."""
    qr, s = setter.layout.qr, setter.styles
    across = max(1, int((setter.measure + GAP) // (qr.size + GAP)))
    width = (setter.measure - GAP * (across - 1)) / across
    # The number on a line, the publisher under it on one line (a little smaller where
    # the column is narrow): a name never leaves a word alone under its code.
    cells = [
        [
            QrCode(e.url, qr.size, qr.quiet_zone, setter.palette["ink"], e.title or e.publisher),
            s.para(f"[{e.number}]", "reference"),
            s.one_line(e.publisher, "reference", width),
        ]
        for e in entries
    ]
    for start in range(0, len(cells), across):
        row = cells[start : start + across]
        row += [[]] * (across - len(row))
        if s.rtl:
            row = row[::-1]
        table = Table([row], colWidths=[width] * across, hAlign="LEFT")
        table.setStyle(
            setter.table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)
            )
        )
        yield table
