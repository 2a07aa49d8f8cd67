"""Turn a page count and a binding into a plan of press sheets: pure data, no PDF.

`Sheet`s with a front and a back `Side`, each side a tuple of `Slot`s naming the reader
page that goes there; `impose/sheets.py` applies a plan to the print PDF.

Saddle stitch, 2-up. A sheet holds two reader pages side by side on each side; the
sheets are nested, folded once and stapled at the spine. The duplex turn is on the
short edge (the sheet turns about its vertical middle), so both sides stand upright;
`duplex="long-edge"` instead turns the back side upside down.

Creep. Nested sheets do not end flush: every sheet wraps around the sheets inside it, so
the further in a sheet sits, the further its fore-edge pushes out past the cover's.
Counting sheets from the outside, k = 0 (the cover sheet) to n - 1 (the centre spread),
sheet k pushes out by about k × caliper, and the trim then cuts that much more off its
fore-edge. To keep the outer margins even, every page of sheet k is moved toward the
spine by

    creep(k) = k × caliper

so the outermost sheet moves 0 and the innermost (n - 1) × caliper. `caliper` is the
paper thickness in points; if a folded dummy shows a different step between adjacent
sheets, use that measured step instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Binding = Literal["left", "right"]
Duplex = Literal["short-edge", "long-edge"]


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One reader page's place on a sheet side.

    `x` and `y` are the slot's lower-left corner in page widths and heights from the
    lower-left corner of the sheet's trim area (2-up: x = 0 left, x = 1 right).
    `rotation` is 0 or 180 degrees; `creep` is in points, toward the spine.
    """

    page: int | None  # 1-based reader page; None leaves the slot blank
    x: float
    y: float
    rotation: int = 0
    creep: float = 0.0


@dataclass(frozen=True)
class Side:
    """One printed side of a sheet; slots in reading order as the side lies face up."""

    slots: tuple[Slot, ...]
    front: bool

    @property
    def pages(self) -> tuple[int | None, ...]:
        return tuple(slot.page for slot in self.slots)


@dataclass(frozen=True)
class Sheet:
    """A press sheet, numbered from 1; `back` is None when only the front is printed."""

    number: int
    front: Side
    back: Side | None


def padded_order(pages: int) -> tuple[int | None, ...]:
    """Reader order padded to a multiple of 4 by the blank-page rule.

    Blanks (None) go just before the last page, so the back cover stays last:
    6 → (1, 2, 3, 4, 5, None, None, 6). A single page is a front cover alone:
    1 → (1, None, None, None).
    """
    if pages < 1:
        raise ValueError(f"a booklet needs at least one page, found {pages}")
    if pages == 1:
        return (1, None, None, None)
    return (*range(1, pages), *(None,) * (-pages % 4), pages)


def plan_saddle(
    pages: int,
    *,
    binding: Binding = "left",
    caliper: float = 0.0,
    duplex: Duplex = "short-edge",
) -> tuple[Sheet, ...]:
    """2-up saddle-stitch sheets, outermost first: 8 pages → [(8, 1), (2, 7)], [(6, 3), (4, 5)].

    `binding="right"` (right-to-left booklets) mirrors every side. `caliper` is the paper
    thickness in points; sheet k from the outside creeps k × caliper toward the spine.
    """
    if caliper < 0:
        raise ValueError(f"caliper must not be negative, found {caliper}")
    order = padded_order(pages)
    return tuple(_saddle_sheet(order, k, binding, caliper, duplex) for k in range(len(order) // 4))


def _saddle_sheet(
    order: Sequence[int | None], k: int, binding: Binding, caliper: float, duplex: Duplex
) -> Sheet:
    last = len(order) - 1
    front = (order[last - 2 * k], order[2 * k])
    back = (order[2 * k + 1], order[last - 1 - 2 * k])
    if binding == "right":
        front, back = front[::-1], back[::-1]
    rotation = 0
    if duplex == "long-edge":  # the back lies upside down: halves swap and turn
        back, rotation = back[::-1], 180
    creep = k * caliper
    return Sheet(k + 1, _pair(front, True, 0, creep), _pair(back, False, rotation, creep))


def _pair(pages: tuple[int | None, int | None], front: bool, rotation: int, creep: float) -> Side:
    slots = tuple(Slot(page, float(x), 0.0, rotation, creep) for x, page in enumerate(pages))
    return Side(slots, front)


def plan_spreads(pages: int, *, binding: Binding = "left") -> tuple[tuple[int | None, ...], ...]:
    """Reader spreads as (left, right): page 1 alone on the right, then 2|3, 4|5, …

    With an even page count the last page stands alone on the left. Right binding mirrors.
    """
    if pages < 1:
        raise ValueError(f"a document needs at least one page, found {pages}")
    spreads = [(None, 1)] + [(p, p + 1 if p < pages else None) for p in range(2, pages + 1, 2)]
    return tuple(s[::-1] if binding == "right" else s for s in spreads)


def plan_nup(
    cards: int, across: int, down: int, *, double_sided: bool = False
) -> tuple[Sheet, ...]:
    """Step-and-repeat cards `across` × `down` per sheet, in cut-and-stack order.

    Position p (reading order, top-left first) of sheet s (0-based) holds card
    p × sheets + s + 1: stack the sheets in order, cut the stack, put pile 1 on pile 2 on
    pile 3 …, and the cards run 1, 2, 3 … from the top. Empty places fall at the end.
    Single-sided, card i is page i and the back is not printed. Double-sided, card i is
    pages 2i - 1 (front) and 2i (back), and the back is turned about its vertical middle.
    """
    if cards < 1 or across < 1 or down < 1:
        raise ValueError(f"need at least one card and one place, found {cards}, {across}×{down}")
    places = across * down
    count = math.ceil(cards / places)
    return tuple(_nup_sheet(s, count, cards, across, down, double_sided) for s in range(count))


def _nup_sheet(s: int, count: int, cards: int, across: int, down: int, double: bool) -> Sheet:
    on_sheet = [p * count + s + 1 for p in range(across * down)]
    on_sheet = [card if card <= cards else None for card in on_sheet]
    if not double:
        return Sheet(s + 1, _grid_side(on_sheet, across, down, True), None)
    fronts = [None if c is None else 2 * c - 1 for c in on_sheet]
    # turned about its vertical middle, the back of a row holds the row's cards right to left
    rows = [on_sheet[r : r + across] for r in range(0, len(on_sheet), across)]
    backs = [None if c is None else 2 * c for row in rows for c in reversed(row)]
    front, back = _grid_side(fronts, across, down, True), _grid_side(backs, across, down, False)
    return Sheet(s + 1, front, back)


def _grid_side(pages: list[int | None], across: int, down: int, front: bool) -> Side:
    """Pages in reading order (top-left first) placed on an `across` × `down` grid."""
    slots = tuple(
        Slot(page, float(p % across), float(down - 1 - p // across)) for p, page in enumerate(pages)
    )
    return Side(slots, front)
