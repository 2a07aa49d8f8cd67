"""Turn a folded product's panel blocks into frames and fitted flowables, shrinking type to fit.

Text that does not fit its panel is never cut: the panel's type shrinks in small
steps down to the layout's `fold.min-scale`; if it still does not fit, the build
fails naming the panel, its first content item and how much is left over.
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
from ..compose.folds import FoldPlan, Panel, bi_fold, roll_fold
from ..read.layout import Layout
from .flowables import FullPage
from .page_art import Area
from .styles import MM

STEP = 0.025  # each try shrinks the type by 2.5 %


def fold_plan(layout: Layout) -> FoldPlan:
    """The layout's fold applied to its flat trim size."""
    assert layout.fold is not None
    w, h = layout.trim.width, layout.trim.height
    if layout.fold.kind == "bi-fold":
        return bi_fold(w, h)
    return roll_fold(w, h, layout.fold.fold_in_shorter)


def _pads(layout: Layout, plan: FoldPlan, panel: Panel) -> tuple[float, float]:
    """Left and right inner margins: the outer margin at the sheet edge, the inner at a fold."""
    m = layout.margins
    left = m.outer if panel.x <= 0.01 else m.inner
    right = m.outer if panel.x + panel.width >= plan.width - 0.01 else m.inner
    return left, right


def panel_templates(setter) -> list[PageTemplate]:
    """One page template per sheet side, one frame per panel."""
    layout, plan = setter.layout, fold_plan(setter.layout)
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
    plan = fold_plan(setter.layout)
    flows: list = []
    for start, blocks in _groups(setter.doc.blocks):
        side = plan.outside if start.side == "outside" else plan.inside
        panel = side.panels[start.index]
        if start.side == "inside" and start.index == 0:
            flows += [ActionFlowable(("kind", "inside")), FrameBreak()]
        elif start.index:
            flows.append(FrameBreak())
        flows += list(_panel(setter, plan, panel, start, blocks))
    return flows


def _panel(setter, plan: FoldPlan, panel: Panel, start: d.PanelStart, blocks: list) -> Iterator:
    layout = setter.layout
    left, right = _pads(layout, plan, panel)
    m = layout.margins
    width, height = panel.width - left - right, plan.height - m.top - m.bottom
    art = next((b for b in blocks if isinstance(b, d.Cover | d.BackCover)), None)
    if art is not None:
        yield _art(setter, plan, panel, art)
        return
    where = f"{start.side} panel {start.index + 1}"
    if not blocks:
        setter.diags.warn(
            "empty-panel",
            setter.art.where,
            where,
            f"the panel prints blank: the event has nothing for {start.template}",
            "add that part to the event, or give the panel other templates in the layout",
        )
    flows = fit(setter, blocks, width, height, where)
    yield KeepInFrame(width, height, flows, mode="shrink")


def _art(setter, plan: FoldPlan, panel: Panel, cover: d.Cover | d.BackCover) -> FullPage:
    """Cover art filling the whole panel, bleeding off the sheet's edges but not at folds."""
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
        (b if at_left else 0, b, b if at_right else 0, b),
    )

    def paint(canv, w: float, h: float) -> None:
        canv.saveState()
        canv.translate(-left, -m.bottom)  # the frame sits inside the panel's margins
        paint = setter.art.cover if isinstance(cover, d.Cover) else setter.art.back_cover
        paint(canv, area, cover)
        canv.restoreState()

    return FullPage(paint)


def _scales(minimum: float) -> Iterator[float]:
    scale = 1.0
    while scale >= minimum - 1e-9:
        yield round(scale, 4)
        scale -= STEP


def fit(setter, blocks: list, width: float, height: float, where: str) -> list:
    """The panel's flowables at the largest type scale (down to the minimum) that fits."""
    base, measure = setter.styles, setter.measure
    canvas = Canvas(io.BytesIO())
    setter.measure = width
    needed, flows = 0.0, []
    try:
        for scale in _scales(setter.layout.fold.min_scale):
            setter.styles = setter.art.styles = base.scaled(scale)
            flows = _flatten(f for block in blocks for f in setter.flows_of(block))
            needed = _listWrapOn(flows, width, canvas)[1]
            if needed <= height:
                return flows
    finally:
        setter.styles = setter.art.styles = base
        setter.measure = measure
    _overflow(setter, blocks, where, needed - height)
    return flows


def _flatten(flows) -> list:
    # Inside a fixed panel nothing splits across frames, so groups are just their content.
    out: list = []
    for flow in flows:
        if isinstance(flow, KeepTogether):
            out.extend(_flatten(flow._content))
        else:
            out.append(flow)
    return out


def _overflow(setter, blocks: list, where: str, extra: float) -> None:
    first = next((b for b in blocks if getattr(b, "loc", None)), None)
    minimum = setter.layout.fold.min_scale
    setter.diags.error(
        "overflow",
        getattr(first, "loc", None),
        where,
        f"the content does not fit: {extra / MM:.1f} mm too long even with type at {minimum:.0%}",
        "shorten the text, move an item to another panel, or lower fold.min-scale",
    )
