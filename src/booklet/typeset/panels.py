"""Turn a folded product's panel blocks into frames and fitted flowables, shrinking type to fit.

Text that does not fit its panel is never cut: the panel's type shrinks in small
steps down to the layout's `fold.min-scale` (then, with `program.compact: auto`, with
compact program entries). The panels of a flow run (`panels.flow`) that do not each
fit so are set as one, their text flowing from panel to panel (`panel_flow.py`). What
still does not fit fails the build, naming the document, the panels, the first item
left over and how much is left.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    KeepTogether,
    PageTemplate,
)
from reportlab.platypus.flowables import _listWrapOn

from ..compose import document as d
from ..compose.folds import FoldPlan, Panel, bi_fold, mirrored, roll_fold
from ..language.bidi import is_rtl
from ..read.layout import Layout
from .fitting import Try, first_fit
from .flowables import FullPage
from .page_art import Area
from .panel_flow import Flowed, flow_run
from .running_heads import block_loc, left_over, tried
from .styles import MM

PAST_FOLD = 1.5 * MM  # a dark panel runs this far past a fold: folding never shows paper


def fold_plan(layout: Layout, lang: str = "") -> FoldPlan:
    """The layout's fold applied to its flat trim size, mirrored for a right-to-left
    language (unless the layout says `mirror: false`)."""
    assert layout.fold is not None
    w, h = layout.trim.width, layout.trim.height
    if layout.fold.kind == "bi-fold":
        plan = bi_fold(w, h)
    else:
        plan = roll_fold(w, h, layout.fold.fold_in_shorter)
    return mirrored(plan) if layout.mirror and is_rtl(lang) else plan


def _pads(layout: Layout, plan: FoldPlan, panel: Panel) -> tuple[float, float]:
    """Left and right inner margins: the outer margin at the sheet edge, the inner at a fold."""
    m = layout.margins
    left = m.outer if panel.x <= 0.01 else m.inner
    right = m.outer if panel.x + panel.width >= plan.width - 0.01 else m.inner
    return left, right


def panel_templates(setter) -> list[PageTemplate]:
    """One page template per sheet side, one frame per panel."""
    layout, plan = setter.layout, fold_plan(setter.layout, setter.doc.lang)
    m = layout.margins
    made = []
    for side in (plan.outside, plan.inside):
        frames = []
        for i, panel in enumerate(side.panels):
            left, right = _pads(layout, plan, panel)
            frames.append(
                Frame(
                    panel.x + left,
                    m.bottom,
                    panel.width - left - right,
                    plan.height - m.top - m.bottom,
                    0,
                    0,
                    0,
                    0,
                    id=f"{side.name}-{i}",
                )
            )
        made.append(PageTemplate(side.name, frames, pagesize=(plan.width, plan.height)))
    return made


def _groups(blocks: tuple[d.Block, ...]) -> Iterator[tuple[d.PanelStart, list[d.Block]]]:
    current: d.PanelStart | None = None
    members: list[d.Block] = []
    for block in blocks:
        if isinstance(block, d.PanelStart):
            if current is not None:
                yield current, members
            current, members = block, []
        else:
            members.append(block)
    if current is not None:
        yield current, members


def panel_flowables(setter) -> list:
    """Every panel's content, fitted to its frame, with frame and page breaks between."""
    plan = fold_plan(setter.layout, setter.doc.lang)
    groups = list(_groups(setter.doc.blocks))
    run = _run(setter.layout, groups)
    for start, blocks in groups:  # the structure reads the panels folded: cover first
        number = _frame(setter.layout, plan, start)[0].number
        setter.tagger.read_in(blocks, number)
    contents: dict[int, list] = {}
    for i, (start, blocks) in enumerate(groups):
        if i in contents:
            continue
        if run and i == run[0]:
            contents.update(_fit_run(setter, plan, groups, run))
        else:
            contents[i] = list(_panel(setter, plan, start, blocks))
    flows: list = []
    for i, (start, _) in enumerate(groups):
        if start.side == "inside" and start.index == 0:
            flows += [ActionFlowable(("kind", "inside")), FrameBreak()]
        elif start.index:
            flows.append(FrameBreak())
        flows += contents[i]
    return flows


def _run(layout: Layout, groups: list) -> list[int]:
    """The indices of the groups whose panels text flows through (none if art is on one)."""
    names = [f"{start.side}-{start.index + 1}" for start, _ in groups]
    run = [names.index(n) for n in layout.panels.flow if n in names]
    arts = any(isinstance(b, d.Cover | d.BackCover) for i in run for b in groups[i][1])
    return [] if len(run) < 2 or arts else run


def _frame(layout: Layout, plan: FoldPlan, start: d.PanelStart) -> tuple[Panel, float, float]:
    """The panel and the width and height of the frame inside its margins."""
    side = plan.outside if start.side == "outside" else plan.inside
    panel = side.panels[start.index]
    left, right = _pads(layout, plan, panel)
    m = layout.margins
    return panel, panel.width - left - right, plan.height - m.top - m.bottom


def _where(starts: list[d.PanelStart]) -> str:
    if len(starts) == 1:
        return f"{starts[0].side} panel {starts[0].index + 1}"
    return f"{starts[0].side} panels {starts[0].index + 1}–{starts[-1].index + 1}"


def _panel(setter, plan: FoldPlan, start: d.PanelStart, blocks: list) -> Iterator:
    panel, width, height = _frame(setter.layout, plan, start)
    art = next((b for b in blocks if isinstance(b, d.Cover | d.BackCover)), None)
    if art is not None:
        yield from setter.tagger.marked(art, [_art(setter, plan, panel, art)])
        return
    where = _where([start])
    if not blocks:
        _blank(setter, where, start.template)
    got = _fitted(setter, blocks, width, height)
    flows = got.result if got.fits else None
    told = flows is None
    if flows is not None:
        flows = _spread_facts(setter, (blocks, width, height), got)
    if flows is None:
        flowed = _flowed(setter, [blocks], [(width, height)])
        _overflow(setter, flowed, where, [start])
        flows = [p.flow for p in flowed.columns[0].placed + flowed.left]
    yield _held(setter, where, width, height, flows, told)


SPREAD_BELOW = 0.7  # a panel of facts filled less than this sets them one under another
SPREAD_TO = 0.97  # and shares the room between them until it is filled this far
FACT_GAP = 6 * MM  # the least space above each fact's rule
MOST_ADDED = 50 * MM  # the most added to it


def _spread_facts(setter, panel: tuple[list, float, float], got: Try) -> list:
    """A panel whose facts leave it mostly empty (a flap of three figures): each fact set
    as large as the first, one under another, the room left shared between them, so the
    panel reads as designed, not as a grid that stops half way down. Never smaller type
    or more compact entries than the grid was set with: else the grid stays."""
    blocks, width, height = panel
    grid = next((b for b in blocks if isinstance(b, d.FactGrid)), None)
    if grid is None or len(grid.cells) < 2 or _used(got.result, width) > SPREAD_BELOW * height:
        return got.result
    marks = setter.marks
    column = _facts_at(setter, panel, FACT_GAP, marks)
    if not column.fits or (column.scale, -column.compact) < (got.scale, -got.compact):
        return got.result
    room = (SPREAD_TO * height - _used(column.result, width)) / (len(grid.cells) - 1)
    spread = _facts_at(setter, panel, FACT_GAP + min(MOST_ADDED, max(0.0, room)), marks)
    return spread.result if spread.fits else column.result


def _facts_at(setter, panel: tuple[list, float, float], gap: float, marks: int) -> Try:
    """The panel fitted with its facts in a column `gap` apart (bookmarks named as in one try)."""
    setter.marks, setter.fact_gap = marks, gap
    try:
        return _fitted(setter, *panel)
    finally:
        setter.fact_gap = None


def _used(flows: list, width: float) -> float:
    return _listWrapOn(flows, width, Canvas(io.BytesIO()))[1]


def _held(
    setter, where: str, width: float, height: float, flows: list, told: bool = False
) -> KeepInFrame:
    """The panel's flowables in its frame. They were fitted at a type scale that keeps
    every style at 6 pt or more; should they still not fit as the frame stacks them,
    that is an overflow, never a silent shrink under 6 pt."""
    held = KeepInFrame(width, height, flows, mode="shrink")
    if told:
        return held  # the overflow is already reported
    used = _listWrapOn(flows, width, Canvas(io.BytesIO()))[1]
    if used > height + 0.5:
        doc = setter.doc
        setter.diags.error(
            "overflow",
            None,
            f"{doc.name}.{doc.lang}, {where}",
            f"the content does not fit: {(used - height) / MM:.1f} mm left over, and the "
            f"type is not set under 6 pt to make it fit",
            _overflow_hint(setter.layout, []),
        )
    return held


def _blank(setter, where: str, template: str) -> None:
    places = setter.doc.places  # the layout decides what a panel carries
    setter.diags.warn(
        "empty-panel",
        places.get("layout", places.get("")),
        where,
        f"the panel prints blank in {setter.art.name}: the event has nothing for {template}",
        "add that part to the event, or give the panel other templates in the layout",
    )


def _fit_run(setter, plan: FoldPlan, groups: list, run: list[int]) -> dict[int, list]:
    """The run's panels each fitted alone if they all fit so, else flowed one into the next."""
    starts = [groups[i][0] for i in run]
    members = [groups[i][1] for i in run]
    sizes = [_frame(setter.layout, plan, start)[1:] for start in starts]
    # Each on its own first, with full entries: a long program flows before it turns compact.
    alone = [
        fit(setter, blocks, w, h, auto=False) for blocks, (w, h) in zip(members, sizes, strict=True)
    ]
    if all(flows is not None for flows in alone):
        for start, blocks in zip(starts, members, strict=True):
            if not blocks:
                _blank(setter, _where([start]), start.template)
        return {
            i: [_held(setter, _where([start]), w, h, f)]
            for i, start, f, (w, h) in zip(run, starts, alone, sizes, strict=True)
        }
    flowed = _flowed(setter, members, sizes)
    told = not flowed.fits
    if told:
        _overflow(setter, flowed, _where(starts), starts)
        flowed.columns[-1].placed += flowed.left
    return {
        i: [_held(setter, _where([s]), c.width, c.height, [p.flow for p in c.placed], told)]
        for i, s, c in zip(run, starts, flowed.columns, strict=True)
    }


def _art(setter, plan: FoldPlan, panel: Panel, cover: d.Cover | d.BackCover) -> FullPage:
    """Cover art filling the whole panel, bleeding off the sheet's edges and running 1.5 mm
    past a fold, so the folded edge is dark however the sheet folds."""
    layout = setter.layout
    m, b = layout.margins, layout.bleed
    left, right = _pads(layout, plan, panel)
    at_left, at_right = panel.x <= 0.01, panel.x + panel.width >= plan.width - 0.01
    area = Area(
        panel.width,
        plan.height,
        left,
        m.bottom,
        right,
        m.top,
        (b if at_left else PAST_FOLD, b, b if at_right else PAST_FOLD, b),
    )

    def paint(canv, w: float, h: float) -> None:
        canv.saveState()
        canv.translate(-left, -m.bottom)  # the frame sits inside the panel's margins
        paint = setter.art.cover if isinstance(cover, d.Cover) else setter.art.back_cover
        paint(canv, area, cover)
        canv.restoreState()

    return FullPage(paint)


def fit(setter, blocks: list, width: float, height: float, auto: bool = True) -> list | None:
    """The panel's flowables at the first try (largest scale, full entries first) that
    fits; None if none does. Without `auto`, compact entries only if the layout says
    `compact: true`."""
    got = _fitted(setter, blocks, width, height, auto)
    return got.result if got.fits else None


def _fitted(setter, blocks: list, width: float, height: float, auto: bool = True) -> Try:
    canvas = Canvas(io.BytesIO())

    def make() -> tuple[list, bool]:
        setter.measure = width
        flows = _flatten(f for block in blocks for f in setter.flows_of(block))
        return flows, _listWrapOn(flows, width, canvas)[1] <= height

    return first_fit(setter, setter.layout.fold.min_scale, make, auto)


def _flowed(setter, members: list, sizes: list) -> Flowed:
    """The run flowed at the first try that fits, else at the last one tried: first with
    each panel's templates starting on it, then, if that does not fit, as one story."""
    for story in (False, True):

        def make(story: bool = story) -> tuple[Flowed, bool]:
            flowed = flow_run(setter, members, sizes, story)
            return flowed, flowed.fits

        got = first_fit(setter, setter.layout.fold.min_scale, make)
        if got.fits or len(members) < 2:
            break
    got.result.compact, got.result.scale = got.compact, got.scale
    return got.result


def _flatten(flows) -> list:
    # Inside a fixed panel nothing splits across frames, so groups are just their content.
    out: list = []
    for flow in flows:
        if isinstance(flow, KeepTogether):
            out.extend(_flatten(flow._content))
        else:
            out.append(flow)
    return out


def _overflow(setter, flowed: Flowed, where: str, starts: list[d.PanelStart]) -> None:
    """The content that does not fit even at the last try: the first item left over, the
    document, its language, the panels, and how much is left."""
    layout, doc = setter.layout, setter.doc
    first, counts = flowed.first_left(), left_over(flowed.left_blocks())
    what = (
        f" ({counts}, {_first_here(flowed, first)})" if first else f" ({counts})" if counts else ""
    )
    how = tried(layout.fold.min_scale, flowed.compact, flowed.blocks)
    setter.diags.error(
        "overflow",
        block_loc(first) if first else None,
        f"{doc.name}.{doc.lang}, {where}",
        f"the content does not fit: {flowed.left_height / MM:.1f} mm left over{what}, "
        f"even with {how}",
        _overflow_hint(layout, starts),
    )


def _first_here(flowed: Flowed, first: d.Block) -> str:
    """Where the first block left over is: a paragraph is counted within its text."""
    if not isinstance(first, d.Prose):
        return "the first from here"
    same = [b for b in flowed.blocks if isinstance(b, d.Prose) and b.loc == first.loc]
    number = next(n for n, b in enumerate(same, 1) if b is first)
    return f"the first is paragraph {number} of the text here"


def _overflow_hint(layout: Layout, starts: list[d.PanelStart]) -> str:
    ways = ["shorten the text", "move a template to another panel"]
    if len(starts) == 1:
        ways.append("let the panel flow on to the next (panels.flow)")
    if layout.program.compact == "false":
        ways.append("print the program compact (program.compact: auto)")
    ways.append("lower fold.min-scale")
    return ", ".join(ways[:-1]) + " or " + ways[-1]
