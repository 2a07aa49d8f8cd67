"""Turn the blocks of a run of panels into the flowables each panel's frame holds, in order.

Text flows from one panel of the run into the next, as columns do: each panel's own
templates start on it, or below what flowed onto it from the panel before. A title
goes with the first two entries of its list; a list does not end with one entry alone
at the top of a panel; a list that goes on at the top of a panel is headed by a
"Program · continued" cue. What does not fit the last panel is left over, with the
blocks it came from, so a message can say which item did not fit and how much is left.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Spacer

from ..compose import document as d
from .running_heads import ENTRIES, PARTS, block_loc, continued
from .styles import MM

FUZZ = 1e-6  # like platypus' lists: a flowable no taller than this takes no room
GAP = 7 * MM  # above a title that follows other text in a panel


@dataclass
class Piece:
    """A flowable of the run, the block it comes from and whether it goes with the next."""

    flow: object
    block: int  # index into the run's blocks
    keep: bool = False


@dataclass
class Column:
    """A panel's frame: its size, the index of its first own block and what it holds."""

    width: float
    height: float
    first: int  # the run's index of the first block this panel's templates make
    placed: list[Piece] = field(default_factory=list)


@dataclass
class Flowed:
    """The run set at one scale: each panel's flowables, and what did not fit."""

    columns: list[Column]
    left: list[Piece]
    left_height: float
    blocks: list[d.Block]
    compact: int = 0  # the try it was set at: how compact (`fitting.py`)
    scale: float = 1.0  # and the type scale

    @property
    def fits(self) -> bool:
        return not self.left

    def left_blocks(self) -> list[d.Block]:
        """The blocks that did not fit, wholly or in part, in order."""
        return [self.blocks[i] for i in dict.fromkeys(p.block for p in self.left)]

    def first_left(self) -> d.Block | None:
        """The first block, with a place in the content, that did not (wholly) fit."""
        return next((b for b in self.left_blocks() if block_loc(b)), None)


class Measure:
    """The height of a frame's content as platypus stacks it: spaces merged, none at the top."""

    def __init__(self, canvas: Canvas, width: float):
        self.canvas, self.width = canvas, width
        self.used, self.after, self.top = 0.0, 0.0, True

    def needs(self, flow) -> tuple[float, float]:
        """The height `flow` adds below what is stacked, and its space after."""
        w, h = flow.wrapOn(self.canvas, self.width, 0xFFFFFFF)
        if h <= FUZZ:  # a spacer one point wide still takes its height, as in a frame
            return 0.0, -1.0  # takes no room and leaves the spacing as it was
        before = 0.0 if self.top else max(flow.getSpaceBefore() - self.after, 0)
        return before + h, flow.getSpaceAfter()

    def add(self, flow) -> None:
        grow, after = self.needs(flow)
        if after < 0:
            return
        self.used += self.after + grow if not self.top else grow
        self.after, self.top = after, False

    def room(self, height: float) -> float:
        """What is left of `height` for the next flowable's own height and space before."""
        return height - self.used - (0.0 if self.top else self.after)


def flow_run(
    setter, members: list[list[d.Block]], sizes: list[tuple[float, float]], story: bool = False
) -> Flowed:
    """Flow the blocks of the run's panels through their frames at the setter's styles.

    With `story`, the run is one story: a panel's own templates begin below what came
    before them, in whichever panel that ends, so no panel's foot is left empty."""
    blocks = [b for member in members for b in member]
    firsts = [sum(len(m) for m in members[:k]) for k in range(len(members))]
    columns = [Column(w, h, first) for (w, h), first in zip(sizes, firsts, strict=True)]
    canvas = Canvas(io.BytesIO())
    queue: list[Piece] = []
    touched = -1  # the last block with a piece placed
    for k, column in enumerate(columns):
        # What is begun stays as it was split; the rest is made again at this panel's width.
        queue = [p for p in queue if p.block == touched] + _made(
            setter, blocks, touched + 1, column.width
        )
        if k and queue and queue[0].block < column.first and _goes_on(blocks, queue[0]):
            queue[0:0] = _cue(setter, blocks[queue[0].block], queue[0].block)
        queue = _fill(column, queue, canvas, blocks, [] if story else columns[k + 1 : k + 2])
        touched = max((p.block for p in column.placed), default=touched)
    return Flowed(columns, queue, _stacked(queue, canvas, columns[-1].width), blocks)


def _made(setter, blocks: list[d.Block], start: int, width: float) -> list[Piece]:
    """The pieces of the blocks from `start` on, made at `width`."""
    setter.measure = width
    pieces = [p for i in range(start, len(blocks)) for p in _pieces(setter, blocks, i)]
    _keep_heads_with_two(pieces, blocks)
    return pieces


def _pieces(setter, blocks: list[d.Block], i: int) -> Iterator[Piece]:
    for flow in _flat(setter.flows_of(blocks[i])):
        yield Piece(flow, i, bool(flow.getKeepWithNext()))


def _flat(flows: Iterable) -> Iterator:
    """Groups as their content, each member kept with the next but the group's last."""
    for flow in flows:
        if isinstance(flow, KeepTogether):
            content = list(_flat(flow._content))
            for member in content[:-1]:
                member.keepWithNext = 1
            if content and flow.getKeepWithNext():
                content[-1].keepWithNext = 1
            yield from content
        else:
            yield flow


def _keep_heads_with_two(pieces: list[Piece], blocks: list[d.Block]) -> None:
    """A title and the first entry of its list go with the second entry, when there is one."""
    for n, piece in enumerate(pieces[:-2]):
        after, then = pieces[n + 1], pieces[n + 2]
        if (
            piece.keep
            and isinstance(blocks[piece.block], d.Heading)
            and _is_entry(blocks, after)
            and _is_entry(blocks, then)
            and after.block != piece.block
        ):
            after.keep = True


def _is_entry(blocks: list[d.Block], piece: Piece) -> bool:
    return isinstance(blocks[piece.block], ENTRIES)


def _goes_on(blocks: list[d.Block], piece: Piece) -> bool:
    """Whether a panel that starts with this piece goes on with a list: the program, the
    people, the sources, the facts."""
    block = blocks[piece.block]
    return type(block) in PARTS and not isinstance(block, d.DayEnd)


def _cue(setter, block: d.Block, index: int) -> list[Piece]:
    """The cue "Program · continued" over a list that goes on at the top of a panel."""
    from ..language.text import word

    text = continued(setter.doc.lang, word(PARTS[type(block)], setter.doc.lang))
    label = setter.styles.label(text, "kicker")
    return [Piece(label, index, True), Piece(Spacer(1, 2.5 * MM), index, True)]


def _fill(
    column: Column, queue: list[Piece], canvas: Canvas, blocks, later: list[Column]
) -> list[Piece]:
    """Place pieces from the front of the queue into the column; return what is left."""
    measure, height = Measure(canvas, column.width), column.height
    while queue:
        if later and queue[0].block >= later[0].first:
            break  # the next panel's own content starts there
        if not measure.top and _opens_heading(queue, blocks, column):
            queue.insert(0, Piece(Spacer(1, GAP), queue[0].block, True))
        chain = _chain(queue)
        if _fits(measure, chain, height):
            for piece in chain:
                measure.add(piece.flow)
                column.placed.append(piece)
            del queue[: len(chain)]
            continue
        if not _split_into(measure, column, queue, chain, height, canvas) and measure.top:
            # Nothing placed yet and nothing splits: it goes in, too big, to be reported.
            column.placed.append(queue.pop(0))
        break
    _no_lone_last_entry(column, queue, blocks)
    return queue


def _opens_heading(queue: list[Piece], blocks, column: Column) -> bool:
    """Whether the queue starts with a title that follows other text in the column."""
    first = queue[0]
    if not isinstance(blocks[first.block], d.Heading) or isinstance(first.flow, Spacer):
        return False
    return all(p.block != first.block for p in column.placed)


def _chain(queue: list[Piece]) -> list[Piece]:
    """The front piece and those it is kept with."""
    end = 0
    while end < len(queue) - 1 and queue[end].keep:
        end += 1
    return queue[: end + 1]


def _fits(measure: Measure, chain: list[Piece], height: float) -> bool:
    trial = Measure(measure.canvas, measure.width)
    trial.used, trial.after, trial.top = measure.used, measure.after, measure.top
    for piece in chain:
        trial.add(piece.flow)
    return trial.used <= height + FUZZ


def _split_into(measure, column, queue, chain, height, canvas) -> bool:
    """Place the chain's kept pieces and the first part of its last one, if that splits."""
    *kept, last = chain
    if kept and not _fits(measure, kept, height):
        return False
    trial = Measure(canvas, measure.width)
    trial.used, trial.after, trial.top = measure.used, measure.after, measure.top
    for piece in kept:
        trial.add(piece.flow)
    room = trial.room(height) - (
        0 if trial.top else max(last.flow.getSpaceBefore() - trial.after, 0)
    )
    parts = last.flow.splitOn(canvas, measure.width, room) if room > 0 else []
    if len(parts) < 2 or not _fits(trial, [Piece(parts[0], last.block)], height):
        return False
    for piece in kept:
        measure.add(piece.flow)
        column.placed.append(piece)
    measure.add(parts[0])
    column.placed.append(Piece(parts[0], last.block))
    queue[: len(chain)] = [Piece(p, last.block, last.keep) for p in parts[1:]]
    return True


def _no_lone_last_entry(column: Column, queue: list[Piece], blocks) -> None:
    """A list that goes on at the top of the next panel brings two entries there, not one."""
    if not queue or not _is_entry(blocks, queue[0]):
        return
    kind = type(blocks[queue[0].block])
    entries = [p for p in queue if isinstance(blocks[p.block], kind)]
    rest_of_list = len(dict.fromkeys(p.block for p in _leading(queue, blocks, kind)))
    placed = _leading(column.placed[::-1], blocks, kind)
    if rest_of_list == 1 and len(entries) and len(dict.fromkeys(p.block for p in placed)) >= 3:
        last = column.placed[-1].block
        moved = [p for p in column.placed if p.block == last]
        del column.placed[-len(moved) :]
        queue[0:0] = moved


def _leading(pieces: list[Piece], blocks, kind: type) -> list[Piece]:
    """The pieces at the front that are entries of one kind."""
    out = []
    for piece in pieces:
        if not isinstance(blocks[piece.block], kind):
            break
        out.append(piece)
    return out


def _stacked(pieces: list[Piece], canvas: Canvas, width: float) -> float:
    measure = Measure(canvas, width)
    for piece in pieces:
        measure.add(piece.flow)
    return measure.used
