"""Turn a PDF page's content streams into the paint operations preflight checks.

The walk runs a page's operators, into forms and tiling patterns, tracking the CTM, line width
and colour spaces; it counts RGB colour and hairlines on the `Page`, reports RGB and low-ppi
images as it meets them, and stops after a limit of operators (`OP_LIMIT`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pikepdf
from pikepdf import Name

from ..errors import Diagnostic, Diagnostics, Location

PPI_WARN, PPI_ERROR = 300.0, 150.0
HAIRLINE = 0.25  # pt
OP_LIMIT = 2_000_000  # operators the walk handles, per page, forms walked included
MAX_DEPTH = 12  # nesting of forms and patterns
RGB_SPACES = frozenset({"/DeviceRGB", "/CalRGB", "/RGB"})
STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _LimitReached(Exception):
    """A page has more operators than its limit."""


# --- the page being checked ----------------------------------------------------------------


@dataclass
class Page:
    """A page being checked: where its findings go, and what its content walk counted."""

    number: int
    name: str
    out: Diagnostics
    ops: int = 0
    rgb: Counter[str] = field(default_factory=Counter)
    thin: int = 0
    thinnest: float = math.inf
    zero: int = 0
    noted: int = 0  # findings reported as met (even ones the page already has) and walks cut

    @property
    def loc(self) -> Location:
        return Location(self.name, self.number, 0)

    @property
    def path(self) -> str:
        return f"page[{self.number}]"


def inherited(node: pikepdf.Dictionary, key: str) -> Any:
    """A page attribute, looked up through the page tree as the PDF format allows."""
    for _ in range(64):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        if not isinstance(parent, pikepdf.Dictionary):
            return None
        node = parent
    return None


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- content: colour, images, hairlines -----------------------------------------------------


class _State(NamedTuple):
    """The parts of the graphics state the rules need (a tuple: `cm` and colour operators
    make a new one each, and `_replace` is four times as fast as `dataclasses.replace`)."""

    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    fill_rgb: bool = False
    stroke_rgb: bool = False


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

    @property
    def state(self) -> _State:
        return self.stack[-1]

    @state.setter
    def state(self, value: _State) -> None:
        self.stack[-1] = value


def check_content(
    pdf_page: pikepdf.Page, page: Page, limit: int = OP_LIMIT, clean: set | None = None
) -> None:
    """Run the page's content streams, up to `limit` operators, and report what the walk found.

    `clean` remembers, across the pages of one file, the forms a walk found nothing in (by
    form and graphics state): a form a thousand cards share is walked once, not a thousand times.
    """
    walker = _Walker(page, limit, set() if clean is None else clean)
    resources = inherited(pdf_page.obj, "/Resources")
    try:
        walker.run(pdf_page, _Frame(resources, page.path, 0, [_State()]))
    except _LimitReached:
        page.out.warn(
            "limit",
            page.loc,
            f"{page.path}.content",
            f"stopped after {limit:,} operators: the rest of the page was not checked",
        )
    _report_walk(page)


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

    def __init__(self, page: Page, limit: int, clean: set) -> None:
        self.page = page
        self.limit = limit
        self.active: set[tuple[int, int]] = set()  # forms on the current path: no cycles
        self.clean = clean

    def run(self, stream: Any, frame: _Frame) -> None:
        try:
            # Only the operators the walk handles: text, paths and the rest stay in qpdf's C++.
            instructions = pikepdf.parse_content_stream(stream, _OPERATORS)
        except (pikepdf.PdfError, TypeError, ValueError) as exc:
            self.page.noted += 1
            self.page.out.error(
                "pdf", self.page.loc, frame.path, f"content stream cannot be parsed: {exc}"
            )
            return
        for operands, operator in instructions:
            self.page.ops += 1
            if self.page.ops > self.limit:
                raise _LimitReached
            handler = _HANDLERS.get(str(operator))
            if handler:
                handler(self, operands, frame)

    def push(self, operands: Any, frame: _Frame) -> None:
        frame.stack.append(frame.state)

    def pop(self, operands: Any, frame: _Frame) -> None:
        if len(frame.stack) > 1:
            frame.stack.pop()

    def concat(self, operands: Any, frame: _Frame) -> None:
        matrix = _matrix(operands)
        if matrix:
            frame.state = frame.state._replace(ctm=_mul(matrix, frame.state.ctm))

    def width(self, operands: Any, frame: _Frame) -> None:
        if operands:
            frame.state = frame.state._replace(line_width=abs(_num(operands[0])))

    def rgb(self, operands: Any, frame: _Frame, operator: str) -> None:
        self.page.rgb[operator] += 1
        stroke = operator == "RG"
        frame.state = _coloured(frame.state, stroke, True)

    def device(self, frame: _Frame, stroke: bool) -> None:
        frame.state = _coloured(frame.state, stroke, False)

    def space(self, operands: Any, frame: _Frame, stroke: bool) -> None:
        is_rgb = bool(operands) and _is_rgb(operands[0], frame.resources)
        frame.state = _coloured(frame.state, stroke, is_rgb)

    def colour(self, operands: Any, frame: _Frame, operator: str) -> None:
        if frame.state.stroke_rgb if operator in ("SC", "SCN") else frame.state.fill_rgb:
            self.page.rgb[f"{operator} in an RGB colour space"] += 1
        if operands and isinstance(operands[-1], Name):
            self.pattern(operands[-1], frame)

    def stroke(self, operands: Any, frame: _Frame) -> None:
        width = frame.state.line_width
        if width == 0:
            self.page.zero += 1
            return
        effective = width * _min_scale(frame.state.ctm)
        if effective < HAIRLINE - 1e-6:
            self.page.thin += 1
            self.page.thinnest = min(self.page.thinnest, effective)

    def shading(self, operands: Any, frame: _Frame) -> None:
        shading = _resource(frame.resources, "/Shading", operands[0] if operands else None)
        if shading is not None and _is_rgb(shading.get("/ColorSpace"), frame.resources):
            self.page.rgb["sh with an RGB shading"] += 1

    def pattern(self, name: Name, frame: _Frame) -> None:
        pattern = _resource(frame.resources, "/Pattern", name)
        if pattern is None:
            return
        shading = pattern.get("/Shading")
        if isinstance(shading, pikepdf.Dictionary | pikepdf.Stream):
            if _is_rgb(shading.get("/ColorSpace"), frame.resources):
                self.page.rgb["RGB shading pattern"] += 1
        elif isinstance(pattern, pikepdf.Stream):
            self.nested(pattern, frame, f"Pattern[{str(name)[1:]}]", frame.base)

    def xobject(self, operands: Any, frame: _Frame) -> None:
        name = operands[0] if operands else None
        xobj = _resource(frame.resources, "/XObject", name)
        if not isinstance(xobj, pikepdf.Stream):
            return
        label = f"XObject[{str(name)[1:]}]"
        if xobj.get("/Subtype") == Name.Image:
            self.image(xobj, frame, f"{frame.path}.{label}")
        elif xobj.get("/Subtype") == Name.Form:
            self.nested(xobj, frame, label)

    def inline_image(self, operands: Any, frame: _Frame) -> None:
        if operands and isinstance(operands[0], pikepdf.PdfInlineImage):
            self.image(operands[0].obj, frame, f"{frame.path}.inline-image")

    def nested(
        self, stream: pikepdf.Stream, frame: _Frame, label: str, under: Matrix | None = None
    ) -> None:
        """Run a form XObject (under the CTM) or tiling pattern (under the stream's base CTM)."""
        key = stream.objgen
        if frame.depth >= MAX_DEPTH or key in self.active:
            self.page.noted += 1  # a walk cut short: the forms around it are not clean
            return
        ctm = _mul(_matrix(stream.get("/Matrix")) or IDENTITY, under or frame.state.ctm)
        resources = stream.get("/Resources", frame.resources)
        state = frame.state._replace(ctm=ctm)
        # Only a form with its own resources means the same thing wherever it is used.
        memo = (key, state) if "/Resources" in stream and key != (0, 0) else None
        if memo in self.clean:
            return
        before = self._findings()
        self.active.add(key)
        try:
            self.run(
                stream, _Frame(resources, f"{frame.path}.{label}", frame.depth + 1, [state], ctm)
            )
        finally:
            self.active.discard(key)
        if memo is not None and self._findings() == before:
            self.clean.add(memo)

    def _findings(self) -> tuple[int, int, int, int]:
        # Counted as met, not as listed: a finding the page already has is not listed again,
        # and must still keep its form from being remembered as clean.
        page = self.page
        return (page.noted, sum(page.rgb.values()), page.thin, page.zero)

    def image(self, image: Any, frame: _Frame, path: str) -> None:
        self.page.noted += 1  # an image is always looked at again: its ppi depends on placing
        if not image.get("/ImageMask", False) and _is_rgb(
            image.get("/ColorSpace"), frame.resources
        ):
            self.page.out.error(
                "rgb",
                self.page.loc,
                path,
                "RGB image in a print file",
                "convert the image to CMYK before placing it",
            )
        _check_ppi(self.page, image, frame.state.ctm, path)


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
    }
    for op in ("g", "k"):
        table[op] = lambda s, o, f: s.device(f, False)
        table[op.upper()] = lambda s, o, f: s.device(f, True)
    for op in ("sc", "scn", "SC", "SCN"):
        table[op] = lambda s, o, f, op=op: s.colour(o, f, op)
    for op in STROKES:
        table[op] = w.stroke
    return table


_HANDLERS = _handlers()
_OPERATORS = " ".join(op for op in _HANDLERS if op != "INLINE IMAGE") + " BI ID EI"


def _check_ppi(page: Page, image: Any, ctm: Matrix, path: str) -> None:
    """Effective resolution: pixels over the placed size the CTM gives the unit square."""
    try:
        width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    except (TypeError, ValueError):
        return
    placed_w, placed_h = math.hypot(ctm[0], ctm[1]) / 72, math.hypot(ctm[2], ctm[3]) / 72
    if width <= 0 or height <= 0 or placed_w < 1e-6 or placed_h < 1e-6:
        return
    ppi = min(width / placed_w, height / placed_h)
    if ppi >= PPI_WARN:
        return
    message = (
        f"image of {width} × {height} px placed at {placed_w * 25.4:.1f} × "
        f"{placed_h * 25.4:.1f} mm has {ppi:.0f} ppi"
    )
    hint = (
        f"print needs {PPI_WARN:.0f} ppi at the placed size: use a larger image or place it smaller"
    )
    severity = "error" if ppi < PPI_ERROR else "warning"
    page.out.add(Diagnostic(severity, "image-ppi", page.loc, path, message, hint))


def _is_rgb(space: Any, resources: Any, depth: int = 0) -> bool:
    """Whether a colour space (a name, resource name or array) paints in RGB."""
    if space is None or depth > 4:
        return False
    if isinstance(space, Name):
        if str(space) in RGB_SPACES:
            return True
        named = _resource(resources, "/ColorSpace", space)
        return named is not None and _is_rgb(named, None, depth + 1)
    if not isinstance(space, pikepdf.Array) or not len(space):
        return False
    family = str(space[0])
    if family == "/CalRGB":
        return True
    if family == "/ICCBased" and len(space) > 1 and isinstance(space[1], pikepdf.Stream):
        return int(space[1].get("/N", 0)) == 3
    if family in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
        return _is_rgb(space[1], resources, depth + 1)
    return False


def _resource(resources: Any, category: str, name: Any) -> Any:
    if not isinstance(resources, pikepdf.Dictionary) or not isinstance(name, Name):
        return None
    group = resources.get(category)
    if not isinstance(group, pikepdf.Dictionary):
        return None
    return group.get(name)


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _matrix(values: Any) -> Matrix | None:
    if values is None or len(values) != 6:
        return None
    a, b, c, d, e, f = (_num(v) for v in values)
    return (a, b, c, d, e, f)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m followed by n: the CTM after `m cm` under the CTM n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _min_scale(m: Matrix) -> float:
    """The smallest factor by which the CTM scales a length: a line is this thin somewhere."""
    a, b, c, d = m[:4]
    total = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return math.sqrt(max(0.0, (total - math.sqrt(max(0.0, total * total - 4 * det * det))) / 2))
