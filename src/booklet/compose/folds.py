"""Turn a folded product (bi-fold, roll-fold tri-fold) into its panels and fold lines, as data.

Panels are numbered in the order a reader meets them: 1 is the front cover;
for a roll fold, 2 is the flap (the outside face of the panel that folds in,
seen beside the inside cover once the cover is opened); then the inside panels
left to right; last the back. Each sheet side lists its panels left to right
as printed, x measured from that side's left trim edge. The sheet is turned
over left to right (a printer's short-edge duplex for a landscape sheet), so
the outside's leftmost panel backs the inside's rightmost one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FoldKind = Literal["bi-fold", "tri-fold"]
Role = Literal["front", "back", "flap", "inside"]


@dataclass(frozen=True)
class Panel:
    number: int  # reading order: 1 = front
    role: Role
    x: float  # left edge from the side's left trim edge, in points
    width: float


@dataclass(frozen=True)
class FoldSide:
    name: Literal["outside", "inside"]
    panels: tuple[Panel, ...]

    @property
    def folds(self) -> tuple[float, ...]:
        """The x of every fold line on this side, left to right."""
        return tuple(sorted(p.x for p in self.panels)[1:])


@dataclass(frozen=True)
class FoldPlan:
    kind: FoldKind
    width: float  # flat sheet width
    height: float
    outside: FoldSide
    inside: FoldSide

    def panel(self, number: int) -> Panel:
        return next(p for p in (*self.outside.panels, *self.inside.panels) if p.number == number)


def bi_fold(width: float, height: float) -> FoldPlan:
    """One fold in the middle: outside back | front, inside 2 | 3."""
    half = width / 2
    outside = FoldSide("outside", (Panel(4, "back", 0, half), Panel(1, "front", half, half)))
    inside = FoldSide("inside", (Panel(2, "inside", 0, half), Panel(3, "inside", half, half)))
    return FoldPlan("bi-fold", width, height, outside, inside)


def roll_fold(width: float, height: float, fold_in_shorter: float) -> FoldPlan:
    """Three panels rolled in: the panel that folds inside is `fold_in_shorter` narrower.

    Outside, left to right: flap (2, folds in) | back (6) | front (1).
    Inside, left to right: 3 (backs the front) | 4 | 5 (backs the flap, narrow).
    """
    if not 0 <= fold_in_shorter < width / 6:
        raise ValueError("the folding-in panel must be narrower by less than half a panel")
    full = (width + fold_in_shorter) / 3
    short = width - 2 * full
    outside = FoldSide(
        "outside",
        (
            Panel(2, "flap", 0, short),
            Panel(6, "back", short, full),
            Panel(1, "front", short + full, full),
        ),
    )
    inside = FoldSide(
        "inside",
        (
            Panel(3, "inside", 0, full),
            Panel(4, "inside", full, full),
            Panel(5, "inside", 2 * full, short),
        ),
    )
    return FoldPlan("tri-fold", width, height, outside, inside)


def mirrored(plan: FoldPlan) -> FoldPlan:
    """The plan of a right-to-left product: each panel where its mirror image is, so the
    front is on the outside's left and the inside reads from right to left.

    Each side keeps its panels in the order a reader meets them (now right to left), so a
    layout's `panels` lists mean the same panels in either direction."""

    def side(s: FoldSide) -> FoldSide:
        return FoldSide(
            s.name,
            tuple(Panel(p.number, p.role, plan.width - p.x - p.width, p.width) for p in s.panels),
        )

    return FoldPlan(plan.kind, plan.width, plan.height, side(plan.outside), side(plan.inside))


def backing(plan: FoldPlan, panel: Panel) -> Panel:
    """The panel printed on the other side of the sheet behind `panel` (turned on the long edge)."""
    side = plan.inside if panel in plan.outside.panels else plan.outside
    centre = plan.width - (panel.x + panel.width / 2)
    return next(p for p in side.panels if p.x <= centre < p.x + p.width)
