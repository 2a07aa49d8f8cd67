"""Turn a PDF page's content streams into the paint operations preflight checks.

The walk runs a page's operators, into forms and tiling patterns, tracking the CTM, line width
and colour spaces; it counts RGB colour and hairlines on the `Page`, reports RGB and low-ppi
images as it meets them, and stops after a limit of operators (`OP_LIMIT`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pikepdf
from pikepdf import Name

from . import lettering
from .images import as_matrix, check_ppi, is_rgb_space, min_scale, mul, num, resource
from .lettering import Lettering, TextState
from .page import IDENTITY, Matrix, Page, inherited, plural

HAIRLINE = 0.25  # pt
OP_LIMIT = 2_000_000  # operators the walk handles, per page, forms walked included
MAX_DEPTH = 12  # nesting of forms and patterns
STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})
MASKS = ("/ImageMask", "/SMask", "/Mask", "/SMaskInData")  # an image's pixels cut its shape


class _LimitReached(Exception):
    """A page has more operators than its limit."""


# --- the page being checked ----------------------------------------------------------------


# --- content: colour, images, hairlines -----------------------------------------------------


class _State(NamedTuple):
    """The parts of the graphics state the rules need (a tuple: `cm` and colour operators
    make a new one each, and `_replace` is four times as fast as `dataclasses.replace`)."""

    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    fill_rgb: bool = False
    stroke_rgb: bool = False
    fill: tuple[float, ...] | None = (0.0, 0.0, 0.0, 1.0)  # the fill as CMYK (None: other)
    states: tuple = ()  # the graphics states (gs) the page's own content set, in order


def _coloured(state: _State, stroke: bool, rgb: bool) -> _State:
    """The state with its stroke or fill colour space RGB or not (itself if unchanged)."""
    if (state.stroke_rgb if stroke else state.fill_rgb) == rgb:
        return state
    return state._replace(stroke_rgb=rgb) if stroke else state._replace(fill_rgb=rgb)


@dataclass
class _Frame:
    """One content stream being run: its resources, where it sits, its q/Q stack."""

    resources: Any
    path: str
    depth: int
    stack: list[_State]
    base: Matrix = IDENTITY  # the CTM the stream started with: where patterns are anchored
    text: TextState = field(default_factory=TextState)  # text state and the path being built

    @property
    def state(self) -> _State:
        return self.stack[-1]

    @state.setter
    def state(self, value: _State) -> None:
        self.stack[-1] = value


def check_content(
    pdf_page: pikepdf.Page, page: Page, limit: int = OP_LIMIT, clean: dict | None = None
) -> None:
    """Run the page's content streams, up to `limit` operators, and report what the walk found.

    `clean` remembers, across the pages of one file, the forms a walk found nothing in (by
    form and graphics state), and what those that only show text showed: a form a thousand
    cards share is walked once, not a thousand times.
    """
    walker = _Walker(page, limit, {} if clean is None else clean)
    page.lettering = Lettering(trim=_trim(pdf_page))
    resources = inherited(pdf_page.obj, "/Resources")
    try:
        walker.run(pdf_page, _Frame(resources, page.path, 0, [_State()]))
    except _LimitReached:
        page.clipped = page.masked = True  # not walked to its end: what it draws is not known
        page.out.warn(
            "limit",
            page.loc,
            f"{page.path}.content",
            f"stopped after {limit:,} operators: the rest of the page was not checked",
        )
    _report_walk(page)
    lettering.report(page)


def _trim(pdf_page: pikepdf.Page) -> tuple[float, float, float, float] | None:
    box = pdf_page.obj.get("/TrimBox")
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return None
    x0, y0, x1, y1 = (num(v) for v in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _report_walk(page: Page) -> None:
    if page.rgb:
        found = ", ".join(f"{op} ×{n}" for op, n in sorted(page.rgb.items()))
        page.out.error(
            "rgb",
            page.loc,
            f"{page.path}.content",
            f"RGB colour in a print file: {found}",
            "set colours in CMYK (k/K, or a CMYK colour space)",
        )
    if page.zero:
        page.out.error(
            "hairline",
            page.loc,
            f"{page.path}.content",
            f"{plural(page.zero, 'stroke')} with line width 0 (the device's thinnest line)",
            f"set a line width of at least {HAIRLINE} pt",
        )
    if page.thin:
        page.out.warn(
            "hairline",
            page.loc,
            f"{page.path}.content",
            f"{plural(page.thin, 'stroke')} thinner than {HAIRLINE} pt "
            f"(thinnest {page.thinnest:.3g} pt)",
            "lines this thin may break up or vanish in print",
        )


class _Walker:
    """Runs content streams, tracking q/Q, cm, w and colour spaces, into forms and patterns."""

    def __init__(self, page: Page, limit: int, clean: dict) -> None:
        self.page = page
        self.limit = limit
        self.active: set[tuple[int, int]] = set()  # forms on the current path: no cycles
        self.clean = clean
        self.above: set = set()  # fonts shown outside the form being walked, so far
        self.nests = 0  # forms met: a form that meets none can be told what it showed

    def run(self, stream: Any, frame: _Frame) -> None:
        try:
            # Only the operators the walk handles: text, paths and the rest stay in qpdf's C++.
            instructions = pikepdf.parse_content_stream(stream, _OPERATORS)
        except (pikepdf.PdfError, TypeError, ValueError) as exc:
            self.page.noted += 1
            self.page.clipped |= not frame.depth  # what the page draws is not known
            self.page.out.error(
                "pdf", self.page.loc, frame.path, f"content stream cannot be parsed: {exc}"
            )
            return
        page, limit, handlers = self.page, self.limit, _HANDLERS
        # The instruction's attributes, not unpacking it: a third of the walk's time.
        for instruction in instructions:
            page.ops += 1
            if page.ops > limit:
                raise _LimitReached
            handler = handlers.get(str(instruction.operator))
            if handler:
                handler(self, instruction.operands, frame)

    def push(self, operands: Any, frame: _Frame) -> None:
        frame.stack.append(frame.state)

    def pop(self, operands: Any, frame: _Frame) -> None:
        if len(frame.stack) > 1:
            frame.stack.pop()

    def concat(self, operands: Any, frame: _Frame) -> None:
        matrix = as_matrix(operands)
        if matrix:
            frame.state = frame.state._replace(ctm=mul(matrix, frame.state.ctm))

    def width(self, operands: Any, frame: _Frame) -> None:
        if operands:
            frame.state = frame.state._replace(line_width=abs(num(operands[0])))

    def rgb(self, operands: Any, frame: _Frame, operator: str) -> None:
        self.page.rgb[operator] += 1
        stroke = operator == "RG"
        frame.state = _coloured(frame.state, stroke, True)

    def device(self, frame: _Frame, stroke: bool) -> None:
        frame.state = _coloured(frame.state, stroke, False)

    def space(self, operands: Any, frame: _Frame, stroke: bool) -> None:
        is_rgb = bool(operands) and is_rgb_space(operands[0], frame.resources)
        frame.state = _coloured(frame.state, stroke, is_rgb)

    def colour(self, operands: Any, frame: _Frame, operator: str) -> None:
        if frame.state.stroke_rgb if operator in ("SC", "SCN") else frame.state.fill_rgb:
            self.page.rgb[f"{operator} in an RGB colour space"] += 1
        if operator in ("sc", "scn"):
            values = tuple(num(v) for v in operands if not isinstance(v, Name))
            frame.state = frame.state._replace(fill=values if len(values) == 4 else None)
        if operands and isinstance(operands[-1], Name):
            self.pattern(operands[-1], frame)

    def stroke(self, operands: Any, frame: _Frame) -> None:
        width = frame.state.line_width
        if width == 0:
            self.page.zero += 1
            return
        effective = width * min_scale(frame.state.ctm)
        if effective < HAIRLINE - 1e-6:
            self.page.thin += 1
            self.page.thinnest = min(self.page.thinnest, effective)

    def shading(self, operands: Any, frame: _Frame) -> None:
        shading = resource(frame.resources, "/Shading", operands[0] if operands else None)
        if shading is not None and is_rgb_space(shading.get("/ColorSpace"), frame.resources):
            self.page.rgb["sh with an RGB shading"] += 1

    def pattern(self, name: Name, frame: _Frame) -> None:
        pattern = resource(frame.resources, "/Pattern", name)
        if pattern is None:
            return
        shading = pattern.get("/Shading")
        if isinstance(shading, pikepdf.Dictionary | pikepdf.Stream):
            if is_rgb_space(shading.get("/ColorSpace"), frame.resources):
                self.page.rgb["RGB shading pattern"] += 1
        elif isinstance(pattern, pikepdf.Stream):
            self.nested(pattern, frame, f"Pattern[{str(name)[1:]}]", frame.base)

    def xobject(self, operands: Any, frame: _Frame) -> None:
        name = operands[0] if operands else None
        xobj = resource(frame.resources, "/XObject", name)
        if not isinstance(xobj, pikepdf.Stream):
            return
        label = f"XObject[{str(name)[1:]}]"
        if xobj.get("/Subtype") == Name.Image:
            self.image(xobj, frame, f"{frame.path}.{label}")
        elif xobj.get("/Subtype") == Name.Form:
            if not frame.depth:
                self.page.drawn.append((xobj.objgen, frame.state.ctm, frame.state.states))
            self.nested(xobj, frame, label)

    def extgstate(self, operands: Any, frame: _Frame) -> None:
        # Only the page's own: what a form sets is part of the form.
        if not frame.depth:
            state = resource(frame.resources, "/ExtGState", operands[0] if operands else None)
            key = state.objgen if isinstance(state, pikepdf.Object) else None
            key = bytes(state.unparse()) if key == (0, 0) else key
            frame.state = frame.state._replace(states=(*frame.state.states, key))

    def clip(self, operands: Any, frame: _Frame) -> None:
        if not frame.depth:
            self.page.clipped = True

    def render_mode(self, operands: Any, frame: _Frame) -> None:
        if not frame.depth and (not operands or num(operands[0]) >= 4):  # text that clips
            self.page.clipped = True

    def inline_image(self, operands: Any, frame: _Frame) -> None:
        if operands and isinstance(operands[0], pikepdf.PdfInlineImage):
            self.image(operands[0].obj, frame, f"{frame.path}.inline-image")

    def nested(
        self, stream: pikepdf.Stream, frame: _Frame, label: str, under: Matrix | None = None
    ) -> None:
        """Run a form XObject (under the CTM) or tiling pattern (under the stream's base CTM)."""
        key = stream.objgen
        self.nests += 1
        if frame.depth >= MAX_DEPTH or key in self.active:
            self.page.noted += 1  # a walk cut short: the forms around it are not clean
            self.page.masked = True  # and its images are not known: the bleed check decodes them
            return
        ctm = mul(as_matrix(stream.get("/Matrix")) or IDENTITY, under or frame.state.ctm)
        resources = stream.get("/Resources", frame.resources)
        state = frame.state._replace(ctm=ctm)
        # Only a form with its own resources means the same thing wherever it is used.
        memo = (key, state) if "/Resources" in stream and key != (0, 0) else None
        if memo in self.clean or self._replayed(memo):
            return
        page, found = self.page, self.page.lettering
        before, ops, nests = self._findings(), page.ops, self.nests
        # The fonts this form shows text in, apart from those the page showed before it.
        shown, above = found.shown, self.above
        self.above, found.shown = above | shown, set()
        self.active.add(key)
        try:
            self.run(
                stream, _Frame(resources, f"{frame.path}.{label}", frame.depth + 1, [state], ctm)
            )
        finally:
            self.active.discard(key)
            fonts, found.shown, self.above = found.shown, shown | found.shown, above
        if memo is None or self._findings()[:-1] != before[:-1]:
            return
        if fonts <= above | shown:
            self.clean[memo] = None
        elif self.nests == nests:  # it only shows text, and draws no form
            self.clean[(memo, found.trim, tuple(found.dark))] = (page.ops - ops, fonts)

    def _replayed(self, memo: tuple | None) -> bool:
        """Whether a form that only shows text was walked so before, under the same state,
        trim and rich black: its operators are counted and its fonts shown, not walked."""
        found = self.page.lettering
        known = self.clean.get((memo, found.trim, tuple(found.dark))) if memo else None
        if known is None or self.page.ops + known[0] > self.limit:
            return False  # one that would pass the limit is walked, to stop where it does
        self.page.ops += known[0]
        found.shown |= known[1]
        return True

    def _findings(self) -> tuple[int, ...]:
        # Counted as met, not as listed: a finding the page already has is not listed again,
        # and must still keep its form from being remembered as clean; a form that paints
        # rich black or shows text in a font is walked again too (it matters to what follows).
        page, found = self.page, self.page.lettering
        lettered = (found.small, found.knocked_out, len(found.dark), len(found.shown))
        return (page.noted, sum(page.rgb.values()), page.thin, page.zero, *lettered)

    def image(self, image: Any, frame: _Frame, path: str) -> None:
        self.page.noted += 1  # an image is always looked at again: its ppi depends on placing
        if path.endswith("inline-image") or any(k in image for k in MASKS):
            self.page.masked = True
        if not image.get("/ImageMask", False) and is_rgb_space(
            image.get("/ColorSpace"), frame.resources
        ):
            self.page.out.error(
                "rgb",
                self.page.loc,
                path,
                "RGB image in a print file",
                "convert the image to CMYK before placing it",
            )
        check_ppi(self.page, image, frame.state.ctm, path)


def _handlers() -> dict[str, Any]:
    w = _Walker
    table: dict[str, Any] = {
        "q": w.push,
        "Q": w.pop,
        "cm": w.concat,
        "w": w.width,
        "rg": lambda s, o, f: s.rgb(o, f, "rg"),
        "RG": lambda s, o, f: s.rgb(o, f, "RG"),
        "cs": lambda s, o, f: s.space(o, f, False),
        "CS": lambda s, o, f: s.space(o, f, True),
        "sh": w.shading,
        "Do": w.xobject,
        "INLINE IMAGE": w.inline_image,
        "gs": w.extgstate,
        "W": w.clip,
        "W*": w.clip,
        "Tr": w.render_mode,
    }
    for op in ("g", "k"):
        table[op] = lambda s, o, f: s.device(f, False)
        table[op.upper()] = lambda s, o, f: s.device(f, True)
    for op in ("sc", "scn", "SC", "SCN"):
        table[op] = lambda s, o, f, op=op: s.colour(o, f, op)
    for op in STROKES:
        table[op] = w.stroke
    for op, handler in lettering.HANDLERS.items():
        if op in table and op in STROKES:  # fill and stroke: both rules look at it
            table[op] = lambda s, o, f, a=table[op], b=handler: (a(s, o, f), b(s, o, f))
        else:
            table[op] = handler
    return table


_HANDLERS = _handlers()
_OPERATORS = " ".join(op for op in _HANDLERS if op != "INLINE IMAGE") + " BI ID EI"
