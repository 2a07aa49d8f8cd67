"""Turn the facts and the credits into flowables: figures in columns, names or logos."""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Spacer, Table

from ..compose import document as d
from ..language.typography import typographic
from .direction import reading_order
from .flowables import Rule
from .logo_strip import StripFlowable
from .styles import MM

COLUMN_FIGURE = 3.0  # a column of facts sets each figure this many times the figure style


class FactFlowables:
    """The facts page and the credits of a `Typesetter` (its styles, measure, palette,
    art, tagger and table style)."""

    fact_gap: float | None = None  # set: every fact a hero, one under another, this far apart

    def _hero(self, k: float = 1.8) -> ParagraphStyle:
        """The first fact's figure (`k` times the figure style; its leading a little tighter)."""
        figure = self.styles["figure"]
        return ParagraphStyle(
            "hero",
            parent=figure,
            fontSize=figure.fontSize * k,
            leading=figure.leading * k * 1.75 / 1.8,
        )

    def _factgrid(self, grid: d.FactGrid) -> Iterator:
        if self.fact_gap is not None:
            yield from self._factcolumn(grid, self.fact_gap)
            return
        s = self.styles
        cells = list(grid.cells)
        if cells:
            hero = cells.pop(0)
            yield KeepTogether(
                [
                    s.one_line(hero.figure, "figure", self.measure, self._hero()),
                    s.para(hero.label, "lead"),
                    s.para(hero.source, "reference"),
                    Spacer(1, 5 * MM),
                ]
            )
        gap = 6 * MM
        col = (self.measure - gap) / 2
        self.tagger.columns[self.tagger.block_of(grid)] = 2  # the hero's row, then pairs
        rows = []
        for i in range(0, len(cells), 2):
            pair = cells[i : i + 2]
            row = [self._fact_cell(c, col) for c in pair] + [[]] * (2 - len(pair))
            rows.append(reading_order([row[0], [], row[1]], self))  # 1,000 before 8 in Arabic
        if not rows:
            return
        table = Table(rows, colWidths=[col, gap, col], hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6 * self.air),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 12 * self.air),
        ]
        for r, row in enumerate(rows):
            for c in (0, 2):
                if row[c]:
                    style.append(("LINEABOVE", (c, r), (c, r), 0.8, self.palette["accent"]))
        table.setStyle(self.table_style(*style))
        yield table

    def _factcolumn(self, grid: d.FactGrid, gap: float) -> Iterator:
        """A panel with room to spare (`panels.py`): each fact set as large as the first,
        under a rule, `gap` below the one before."""
        s, figure = self.styles, self.styles["figure"]
        widest = max(
            stringWidth(typographic(c.figure, s.lang), figure.fontName, figure.fontSize)
            for c in grid.cells
        )  # every figure at one size: the largest at which the widest fits the measure
        # figures that take no width (a zero-width space) are set at the column's size
        big = self._hero(
            min(COLUMN_FIGURE, 0.98 * self.measure / widest) if widest > 0 else COLUMN_FIGURE
        )
        for n, cell in enumerate(grid.cells):
            parts = [Spacer(1, gap), Rule(None, 0.8, self.palette["accent"], 0)] if n else []
            parts += [s.one_line(cell.figure, "figure", self.measure, big)]
            parts += [s.para(cell.label, "lead"), s.para(cell.source, "reference")]
            yield KeepTogether(parts if cell.source else parts[:-1])

    def _fact_cell(self, cell: d.FactCell, width: float) -> list:
        s = self.styles
        figure = s.one_line(cell.figure, "figure", width)  # never broken: smaller if need be
        parts = [figure, s.para(cell.label, "figure-label")]
        if cell.source:
            parts += [Spacer(1, 2), s.para(cell.source, "reference")]
        return parts

    def _credits(self, c: d.Credits) -> Iterator:
        if c.logos and self.art.placer is not None:  # the organizations as a logo strip
            yield StripFlowable(self.art, c.logos, self.art.logo_height)
            return
        columns = [
            [self.styles.label(label, "kicker")]
            + [self.styles.para(name, "figure-label") for name in names]
            for label, names in c.groups
        ]
        if self.measure < 120 * MM:  # a narrow panel: one group under the other
            yield KeepTogether([f for col in columns for f in [*col, Spacer(1, 4 * MM)]])
            return
        # At most three groups a row: four sponsor tiers in one row ran into each other.
        per_row = min(len(columns), 3)
        self.tagger.columns[self.tagger.block_of(c)] = per_row  # the structure reads rows
        rows = [columns[i : i + per_row] for i in range(0, len(columns), per_row)]
        rows = [reading_order(row, self) for row in rows]
        rows[-1] += [[]] * (per_row - len(rows[-1]))
        width = self.measure / per_row
        table = Table(rows, colWidths=[width] * per_row, hAlign="LEFT")
        table.setStyle(
            self.table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8)
            )
        )
        yield table
