"""Turn a list that would end on a nearly empty page into one balanced over its last two pages.

A program that runs over two pages, the second filled less than half, and is followed
by a new page anyway (nothing else would use the room under it) reads as one full page
and a stray third of the next. A designer sets it again with a break where its height
halves, so both pages end about as low. The doc template asks `balance_break` once a
page, when it reaches the page's first flowable of such a list (the typesetter marks
them: `mark`): from what the frame holds, it measures the list to its end as ReportLab
will place it (a run kept with the next as one unit, never split), and says where a
page break evens the two pages, or nothing. No setting again: the measure is the
flowables' own wraps, which paragraphs and one-row tables (`Row`) keep for the placing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.platypus import ActionFlowable, CondPageBreak, KeepTogether, PageBreak

BALANCE_BELOW = 0.5  # a list whose last page it fills less than this is balanced
MOST = 0.95  # the balanced last page holds at most this much of the frame (a margin)
FUZZ = 1e-6
BREAKS = (ActionFlowable, CondPageBreak, PageBreak)  # end a list: never inside one


class Balancing:
    """A doc template that balances a marked list over its last two pages: before the
    first unit of it a page places, a page break where `balance_break` says. `story` is
    the list `build` lays out; `more`, if set, makes the rest of it as it is needed."""

    story: list
    more = None
    balanced_on = 0  # the page last measured
    measured: dict | None = None  # (id, width) → (flowable, sizes): each measured once

    def build(self, flowables: list, *args, **kw) -> None:
        self.story = flowables
        super().build(flowables, *args, **kw)

    def handle_flowable(self, flowables: list) -> None:
        if flowables is getattr(self, "story", None):
            self._balance(flowables)
        super().handle_flowable(flowables)

    def _balance(self, story: list) -> None:
        if self.page == self.balanced_on or not story or not self._marked_head(story):
            return
        self.balanced_on = self.page
        at = balance_break(self, story, self._ahead)
        if at:
            story.insert(at, PageBreak())

    def _marked_head(self, story: list) -> bool:
        i = 0  # the unit at the head: a run kept with the next, and the next
        while story[i].getKeepWithNext() and self._ahead(i + 2):
            i += 1
        return any(marked(f) for f in story[: i + 1])

    def _ahead(self, count: int) -> bool:
        """Whether the story holds `count` flowables, made from `more` as needed."""
        while len(self.story) < count and self.more is not None:
            flowable = next(self.more, None)
            if flowable is None:
                self.more = None
            else:
                self.story.append(flowable)
        return len(self.story) >= count


def mark(flow) -> None:
    """Mark a flowable as part of a list that is balanced over its last two pages."""
    flow.booklet_balanced = True


def marked(flow) -> bool:
    if getattr(flow, "booklet_balanced", False):
        return True
    return isinstance(flow, KeepTogether) and any(marked(f) for f in flow._content)


@dataclass
class Cursor:
    """Where the next flowable goes on a frame, as `Frame.add` works it out: the height
    used, whether nothing took room yet, the space after the last one."""

    room: float
    used: float = 0.0
    top: bool = True
    after: float = 0.0  # what the next one's space before overlaps (`overlapAttachedSpace`)
    overlaps: int = 1

    def take(self, sizes: list[tuple[float, float, float]]) -> bool:
        """Place a unit's flowables (space before, height, space after); False, leaving
        the cursor as it was, when they do not all fit."""
        used, top, after = self.used, self.top, self.after
        for before, height, space in sizes:
            gap = 0.0 if top else max(before - after, 0.0)
            if used + gap + height > self.room + FUZZ:
                return False
            used += gap + height + space
            top, after = top and gap + height + space == 0, space * self.overlaps
        self.used, self.top, self.after = used, top, after
        return True

    def page(self, share: float = 1.0) -> Cursor:
        """The cursor at the top of the next page, `share` of its room to fill."""
        return replace(self, room=self.room * share, used=0.0, top=True, after=0.0)


@dataclass
class Unit:
    """Flowables placed together (a head with what it is kept with): where the first
    stands in the story, and each one's sizes."""

    start: int
    sizes: list[tuple[float, float, float]]


def balance_break(doc, story: list, ahead: Callable[[int], bool]) -> int | None:
    """Where in `story` a page break sets the marked list at its head evenly over its
    last two pages, or None: it ends on the next page anyway (not further), fills that
    page less than `BALANCE_BELOW`, and a new page follows it (a page break, or a
    conditional one that breaks). `ahead(n)` makes sure the story holds n flowables."""
    frame = doc.frame
    room = frame._y2 - frame._topPadding - frame._y1p
    overlaps = int(bool(frame._oASpace))
    used = room - (frame._y - frame._y1p)
    here = Cursor(room, used, bool(frame._atTop), frame._prevASpace * overlaps, overlaps)
    measured = _units(doc, story, ahead, frame._getAvailableWidth(), 2 * room - here.used)
    if measured is None:
        return None
    units, end = measured
    natural = _natural(here, units)
    if natural is None or natural[1] >= BALANCE_BELOW * room:
        return None
    if not _new_page_after(story, end, ahead, room - natural[1]):
        return None
    best = _even(here, units, natural[0])
    return units[best].start if best != natural[0] else None


def _units(doc, story: list, ahead, width: float, most: float):
    """The units of the marked list at the story's head, and the index just past it; None
    when it is taller than `most` (the room on this page and the next: a later page
    balances it)."""
    units, i, height = [], 0, 0.0
    while ahead(i + 1) and not isinstance(story[i], BREAKS):
        j = i
        while story[j].getKeepWithNext() and ahead(j + 2):
            j += 1
        group = story[i : j + 1]
        if not any(marked(f) for f in group):
            break
        sizes = [_size(doc, f, width, most) for f in _flat(group)]
        height += sum(h for _, h, _ in sizes)
        if height > most + FUZZ:
            return None
        units.append(Unit(i, sizes))
        i = j + 1
    return (units, i) if units else None


def _flat(group: list) -> list:
    return [f for g in group for f in (g._content if isinstance(g, KeepTogether) else [g])]


def _size(doc, flow, width: float, room: float) -> tuple[float, float, float]:
    """A flowable's space before, height and space after, measured once a setting (the
    measures are kept with the flowable, so its id is not another's)."""
    if doc.measured is None:
        doc.measured = {}
    kept = doc.measured.get((id(flow), width))
    if kept is None:
        _, height = flow.wrapOn(doc.canv, width, room)
        overlapped = getattr(flow, "_ZEROSIZE", False) and doc.frame._oASpace  # as Frame.add
        sizes = (0.0 if overlapped else flow.getSpaceBefore(), height, flow.getSpaceAfter())
        kept = doc.measured[(id(flow), width)] = (flow, sizes)
    return kept[1]


def _natural(here: Cursor, units: list[Unit]) -> tuple[int, float] | None:
    """The unit the list goes on to the next page with, and how much of that page it
    uses, as ReportLab would place it; None unless it ends on the next page."""
    cursor, turn = replace(here), None
    for n, unit in enumerate(units):
        if cursor.take(unit.sizes):
            continue
        if turn is not None:
            return None  # a third page
        cursor, turn = here.page(), n
        if not cursor.take(unit.sizes):
            return None  # taller than a page
    return (turn, cursor.used) if turn else None


def _even(here: Cursor, units: list[Unit], turn: int) -> int:
    """The unit to begin the next page with so both pages end as near one height as may
    be, the next page filled at most `MOST`; the later of two as good."""
    best = (float("inf"), turn)
    for k in range(turn, 0, -1):
        first, second = replace(here), here.page(MOST)
        if not all(first.take(u.sizes) for u in units[:k]):
            continue
        if not all(second.take(u.sizes) for u in units[k:]):
            break  # an earlier break only makes the next page fuller
        gap = abs(first.used - second.used)
        if gap < best[0] - FUZZ:
            best = (gap, k)
    return best[1]


def _new_page_after(story: list, end: int, ahead, left: float) -> bool:
    """Whether what follows the list starts a new page (the room under it is left
    empty anyway): the story's end, a page break, or a conditional break that the
    `left` room under the list's natural end sets off; actions in between aside."""
    i = end
    while ahead(i + 1) and isinstance(story[i], ActionFlowable) and not _breaks(story[i]):
        i += 1
    if not ahead(i + 1):
        return True
    follows = story[i]
    if isinstance(follows, CondPageBreak):
        return left < follows.height
    return _breaks(follows)


def _breaks(flow) -> bool:
    return isinstance(flow, PageBreak)
