"""Turn any PDF into the findings a print shop's preflight would report.

`preflight()` checks a PDF, ours or anyone's, and returns `Diagnostic`s. For a PDF the
location reads differently from YAML: `Location(file=name, line=PAGE, column=0)`, so *line*
is the page number counted from 1 (0 for the whole document), and *field* names what on the
page is wrong, e.g. `page[3].TrimBox` or `page[2].XObject[Fm0].Font[F1]`.

Rules, each with a stable code (`RULES`): `boxes`, `bleed`, `font-embedded`, `font-subset`,
`rgb`, `image-ppi`, `hairline`, `safe-zone`, `page-count`, plus `pdf` (the file cannot be
read, parsed or rendered) and `limit` (a page too complex to check in bounded time).
QR codes are not detected: that needs a decoder, which is only a test dependency.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Name
from PIL import Image, ImageChops

from .errors import Diagnostic, Diagnostics, Location

RULES: dict[str, str] = {
    "pdf": "the file opens, parses and renders as a PDF",
    "boxes": "TrimBox and BleedBox on every page, MediaBox ⊇ BleedBox ⊇ TrimBox, one trim size",
    "bleed": "artwork that touches the trim edge runs on to the bleed edge",
    "font-embedded": "every font is embedded (base-14 fonts too)",
    "font-subset": "embedded fonts are subset",
    "rgb": "no RGB colour operators, colour spaces, shadings or images",
    "image-ppi": "images have 300 ppi at their placed size (error under 150)",
    "hairline": "strokes are at least 0.25 pt wide (0 is the device's thinnest line)",
    "safe-zone": "text keeps the safe distance from the trim edge",
    "page-count": "a booklet has a multiple of four pages",
    "limit": "every operator of a page was checked",
}

MM = 72 / 25.4
TOLERANCE = 0.01  # pt, for box comparisons
PPI_WARN, PPI_ERROR = 300.0, 150.0
HAIRLINE = 0.25  # pt
OP_LIMIT = 2_000_000  # content operators inspected per page, forms included
CHAR_LIMIT = 200_000  # text characters inspected per page
MAX_DEPTH = 12  # nesting of forms and patterns
RENDER_PX = 700  # longest side of the bleed check's rendering: 0.5 mm strips still show
INKED, WHITE = 8, 2  # ink (255 - darkest channel) above which a pixel is inked / at most white
BASE14 = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
        ("Symbol", ("",)),
        ("ZapfDingbats", ("",)),
    )
    for style in styles
)
SUBSET = re.compile(r"^[A-Z]{6}\+")
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
RGB_SPACES = frozenset({"/DeviceRGB", "/CalRGB", "/RGB"})
STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _LimitReached(Exception):
    """A page has more operators than OP_LIMIT."""


# --- public API ---------------------------------------------------------------------------


def preflight(
    data: bytes, name: str, *, booklet: bool = False, safe_mm: float = 3.0
) -> list[Diagnostic]:
    """Every finding for the PDF `data`, as a print shop's preflight would report them.

    `name` is the file name the findings carry; each is located at its page (`line`).
    `booklet` asks for a page count that is a multiple of four; `safe_mm` is the distance
    from the trim edge text should keep.
    """
    out = Diagnostics()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        out.error("pdf", Location(name), "", f"not a readable PDF: {exc}")
        return out.items
    with pdf:
        pages = [_Page(n, name, out) for n in range(1, len(pdf.pages) + 1)]
        _check_page_count(len(pages), booklet, name, out)
        geometry = _check_boxes(pdf, pages, out)
        _check_fonts(pdf, pages, out)
        for page, pdf_page in zip(pages, pdf.pages, strict=True):
            _check_content(pdf_page, page)
    _check_rendered(data, pages, geometry, safe_mm * MM, out)
    return sorted(out.items, key=lambda d: d.location.line if d.location else 0)


def format_findings(findings: Sequence[Diagnostic], name: str = "") -> str:
    """The findings as a person reads them, ending with a count of errors and warnings."""
    lines = [d.format() for d in findings]
    errors = sum(d.severity == "error" for d in findings)
    warnings = len(findings) - errors
    verdict = "passed" if not errors else "failed"
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    lines.append(f"{name + ': ' if name else ''}preflight {verdict} ({counts})")
    return "\n".join(lines)


def report(name: str, findings: Sequence[Diagnostic]) -> dict[str, Any]:
    """One file's findings as plain data, for `--json` and report.json."""
    errors = sum(d.severity == "error" for d in findings)
    return {
        "file": name,
        "passed": not errors,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [d.as_dict() for d in findings],
    }


def as_json(results: Mapping[str, Sequence[Diagnostic]]) -> str:
    """The findings of several files (file name → findings) as one JSON document."""
    files = [report(name, findings) for name, findings in results.items()]
    summary = {
        "passed": all(f["passed"] for f in files),
        "errors": sum(f["errors"] for f in files),
        "warnings": sum(f["warnings"] for f in files),
        "files": files,
    }
    return json.dumps(summary, indent=2, ensure_ascii=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- document-level rules ----------------------------------------------------------------


@dataclass
class _Page:
    """A page being checked: where its findings go, and what its content walk counted."""

    number: int
    name: str
    out: Diagnostics
    ops: int = 0
    rgb: Counter[str] = field(default_factory=Counter)
    thin: int = 0
    thinnest: float = math.inf
    zero: int = 0

    @property
    def loc(self) -> Location:
        return Location(self.name, self.number, 0)

    @property
    def path(self) -> str:
        return f"page[{self.number}]"


@dataclass(frozen=True)
class _Geometry:
    media: Box
    trim: Box | None
    bleed: Box | None


def _check_page_count(count: int, booklet: bool, name: str, out: Diagnostics) -> None:
    if booklet and count % 4:
        out.error(
            "page-count",
            Location(name),
            "pages",
            f"a booklet needs a multiple of 4 pages, found {count}",
            f"add {-count % 4} pages (notes or blank) before the back cover",
        )


def _check_boxes(pdf: pikepdf.Pdf, pages: list[_Page], out: Diagnostics) -> list[_Geometry]:
    """TrimBox and BleedBox on every page, nested in MediaBox, one trim size throughout."""
    geometry = [_geometry(p.obj) for p in pdf.pages]
    for key, attr in (("TrimBox", "trim"), ("BleedBox", "bleed")):
        missing = [p for p, g in zip(pages, geometry, strict=True) if getattr(g, attr) is None]
        if missing:
            out.error(
                "boxes",
                missing[0].loc,
                f"{missing[0].path}.{key}",
                f"{key} missing on {_page_list([p.number for p in missing], len(pages))}",
                "a print file sets TrimBox (the cut) and BleedBox (trim + bleed) on every page",
            )
    first = next(((p.number, g.trim) for p, g in zip(pages, geometry, strict=True) if g.trim), None)
    for page, geo in zip(pages, geometry, strict=True):
        _check_nesting(page, geo, first)
    return geometry


def _check_nesting(page: _Page, geo: _Geometry, first: tuple[int, Box] | None) -> None:
    pairs = (
        ("BleedBox", geo.bleed, "TrimBox", geo.trim),
        ("MediaBox", geo.media, "BleedBox", geo.bleed),
    )
    for outer_key, outer, inner_key, inner in pairs:
        if outer and inner and not _contains(outer, inner):
            page.out.error(
                "boxes",
                page.loc,
                f"{page.path}.{inner_key}",
                f"{inner_key} {_fmt_box(inner)} is not inside {outer_key} {_fmt_box(outer)}",
                "MediaBox must contain BleedBox, and BleedBox must contain TrimBox",
            )
    if geo.trim and first and not _same_size(geo.trim, first[1]):
        page.out.error(
            "boxes",
            page.loc,
            f"{page.path}.TrimBox",
            f"trim size {_fmt_size(geo.trim)} differs from page {first[0]}'s {_fmt_size(first[1])}",
            "every page of a print file is cut to the same size",
        )


def _geometry(page: pikepdf.Dictionary) -> _Geometry:
    media = _box(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    return _Geometry(media, _box(page.get("/TrimBox")), _box(page.get("/BleedBox")))


def _inherited(node: pikepdf.Dictionary, key: str) -> Any:
    """A page attribute, looked up through the page tree as the PDF format allows."""
    for _ in range(64):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        if not isinstance(parent, pikepdf.Dictionary):
            return None
        node = parent
    return None


def _box(value: Any) -> Box | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _contains(outer: Box, inner: Box) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _same_size(a: Box, b: Box) -> bool:
    return (
        abs((a[2] - a[0]) - (b[2] - b[0])) <= TOLERANCE
        and abs((a[3] - a[1]) - (b[3] - b[1])) <= TOLERANCE
    )


def _fmt_box(box: Box) -> str:
    return "[" + " ".join(f"{v:g}" for v in (round(v, 2) for v in box)) + "]"


def _fmt_size(box: Box) -> str:
    return f"{(box[2] - box[0]) / MM:.1f} × {(box[3] - box[1]) / MM:.1f} mm"


def _page_list(numbers: list[int], total: int) -> str:
    """'every page', 'page 3' or 'pages 1–4, 7'."""
    if len(numbers) == total and total > 1:
        return "every page"
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"page{'s' if len(numbers) > 1 else ''} {text}"


# --- fonts --------------------------------------------------------------------------------


def _check_fonts(pdf: pikepdf.Pdf, pages: list[_Page], out: Diagnostics) -> None:
    """Every font reachable from a page: embedded, and subset; each reported once."""
    reported: set[tuple[int, int]] = set()
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        resources = _inherited(pdf_page.obj, "/Resources")
        for path, font in _fonts(resources, page.path, 0, set()):
            key = font.objgen
            if key != (0, 0) and key in reported:
                continue
            reported.add(key)
            _check_font(font, page.loc, path, out)


def _fonts(resources: Any, path: str, depth: int, seen: set) -> Iterator[tuple[str, Any]]:
    """(field path, font) for the fonts of a resource dictionary, its forms, patterns, Type3s."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_DEPTH:
        return
    if resources.objgen != (0, 0):
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    for key, font in _items(resources.get("/Font")):
        yield f"{path}.Font[{key}]", font
        if font.get("/Subtype") == Name.Type3:
            yield from _fonts(font.get("/Resources"), f"{path}.Font[{key}]", depth + 1, seen)
    for category in ("/XObject", "/Pattern"):
        for key, obj in _items(resources.get(category)):
            sub = f"{path}.{category[1:]}[{key}]"
            yield from _fonts(obj.get("/Resources"), sub, depth + 1, seen)


def _items(group: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(group, pikepdf.Dictionary):
        for key, value in group.items():
            if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
                yield key.lstrip("/"), value


def _check_font(font: Any, loc: Location, path: str, out: Diagnostics) -> None:
    if font.get("/Subtype") == Name.Type3:
        return  # drawn by its own glyph procedures: nothing to embed
    face = font
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            face = descendants[0]
    name = str(face.get("/BaseFont", font.get("/BaseFont", "/unnamed")))[1:]
    descriptor = face.get("/FontDescriptor")
    embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in FONT_FILES
    )
    if not embedded:
        base14 = SUBSET.sub("", name) in BASE14
        what = " (a base-14 font: the printer substitutes its own)" if base14 else ""
        hint = "embed every font; in ReportLab register a TTFont and set initialFontName to it"
        out.error("font-embedded", loc, path, f"font {name} is not embedded{what}", hint)
    elif not SUBSET.match(name):
        out.warn(
            "font-subset",
            loc,
            path,
            f"font {name} is embedded whole, not as a subset",
            "subset fonts (a name like ABCDEF+Font) so the file carries only the glyphs used",
        )


# --- content: colour, images, hairlines -----------------------------------------------------


@dataclass(frozen=True)
class _State:
    """The parts of the graphics state the rules need."""

    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    fill_rgb: bool = False
    stroke_rgb: bool = False


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


def _check_content(pdf_page: pikepdf.Page, page: _Page) -> None:
    """Run the page's content streams and report what the walk found."""
    walker = _Walker(page)
    resources = _inherited(pdf_page.obj, "/Resources")
    try:
        walker.run(pdf_page, _Frame(resources, page.path, 0, [_State()]))
    except _LimitReached:
        page.out.warn(
            "limit",
            page.loc,
            f"{page.path}.content",
            f"stopped after {OP_LIMIT:,} operators: the rest of the page was not checked",
        )
    _report_walk(page)


def _report_walk(page: _Page) -> None:
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
            f"{_plural(page.zero, 'stroke')} with line width 0 (the device's thinnest line)",
            f"set a line width of at least {HAIRLINE} pt",
        )
    if page.thin:
        page.out.warn(
            "hairline",
            page.loc,
            f"{page.path}.content",
            f"{_plural(page.thin, 'stroke')} thinner than {HAIRLINE} pt "
            f"(thinnest {page.thinnest:.3g} pt)",
            "lines this thin may break up or vanish in print",
        )


class _Walker:
    """Runs content streams, tracking q/Q, cm, w and colour spaces, into forms and patterns."""

    def __init__(self, page: _Page) -> None:
        self.page = page
        self.active: set[tuple[int, int]] = set()  # forms on the current path: no cycles

    def run(self, stream: Any, frame: _Frame) -> None:
        try:
            instructions = pikepdf.parse_content_stream(stream)
        except (pikepdf.PdfError, TypeError, ValueError) as exc:
            self.page.out.error(
                "pdf", self.page.loc, frame.path, f"content stream cannot be parsed: {exc}"
            )
            return
        for operands, operator in instructions:
            self.page.ops += 1
            if self.page.ops > OP_LIMIT:
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
            frame.state = replace(frame.state, ctm=_mul(matrix, frame.state.ctm))

    def width(self, operands: Any, frame: _Frame) -> None:
        if operands:
            frame.state = replace(frame.state, line_width=abs(_num(operands[0])))

    def rgb(self, operands: Any, frame: _Frame, operator: str) -> None:
        self.page.rgb[operator] += 1
        stroke = operator == "RG"
        frame.state = replace(frame.state, **{"stroke_rgb" if stroke else "fill_rgb": True})

    def device(self, frame: _Frame, stroke: bool) -> None:
        frame.state = replace(frame.state, **{"stroke_rgb" if stroke else "fill_rgb": False})

    def space(self, operands: Any, frame: _Frame, stroke: bool) -> None:
        is_rgb = bool(operands) and _is_rgb(operands[0], frame.resources)
        frame.state = replace(frame.state, **{"stroke_rgb" if stroke else "fill_rgb": is_rgb})

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
            return
        ctm = _mul(_matrix(stream.get("/Matrix")) or IDENTITY, under or frame.state.ctm)
        resources = stream.get("/Resources", frame.resources)
        state = replace(frame.state, ctm=ctm)
        self.active.add(key)
        try:
            self.run(
                stream, _Frame(resources, f"{frame.path}.{label}", frame.depth + 1, [state], ctm)
            )
        finally:
            self.active.discard(key)

    def image(self, image: Any, frame: _Frame, path: str) -> None:
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


def _check_ppi(page: _Page, image: Any, ctm: Matrix, path: str) -> None:
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


# --- rendered rules: bleed and safe zone -------------------------------------------------


def _check_rendered(
    data: bytes, pages: list[_Page], geometry: list[_Geometry], safe: float, out: Diagnostics
) -> None:
    """Render each page with pdfium for the bleed check; read its characters for the safe zone."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        where = Location(pages[0].name) if pages else None
        out.warn("pdf", where, "", f"cannot render the file ({exc}): bleed and safe zone unchecked")
        return
    try:
        for page, geo in zip(pages, geometry, strict=True):
            try:
                _check_rendered_page(doc, page, geo, safe)
            except (pdfium.PdfiumError, IndexError) as exc:
                page.out.warn(
                    "pdf",
                    page.loc,
                    page.path,
                    f"cannot render: {exc}; bleed and safe zone unchecked",
                )
    finally:
        doc.close()


def _check_rendered_page(doc: pdfium.PdfDocument, page: _Page, geo: _Geometry, safe: float) -> None:
    pdf_page = doc[page.number - 1]
    try:
        pdf_page.set_rotation(0)
        _check_safe_zone(pdf_page, page, geo.trim or geo.media, safe)
        if geo.trim and geo.bleed:
            _check_bleed(pdf_page, page, geo)
    finally:
        pdf_page.close()


def _check_safe_zone(pdf_page: pdfium.PdfPage, page: _Page, trim: Box, safe: float) -> None:
    text = pdf_page.get_textpage()
    try:
        hits = list(_near_edge(text, trim, safe))
        if not hits:
            return
        index, distance, edge = min(hits, key=lambda hit: hit[1])
        word = _word_at(text, index)
    finally:
        text.close()
    where = (
        f"crosses the {edge} edge"
        if distance < 0
        else f"is {distance / MM:.1f} mm from the {edge} edge"
    )
    more = f" ({_plural(len(hits), 'character')} in all)" if len(hits) > 1 else ""
    page.out.warn(
        "safe-zone",
        page.loc,
        f"{page.path}.text",
        f'text within {safe / MM:g} mm of the trim edge: "{word}" {where}{more}',
        "keep text clear of the trim so a slightly off cut does not touch it",
    )


def _word_at(text: pdfium.PdfTextPage, index: int) -> str:
    """The word around a character, to name it in a finding."""
    start = max(0, index - 30)
    chunk = text.get_text_range(start, 60)
    at = min(index - start, max(len(chunk) - 1, 0))
    left = max(chunk.rfind(" ", 0, at), chunk.rfind("\n", 0, at), chunk.rfind("\r", 0, at))
    ends = [i for i in (chunk.find(c, at) for c in " \r\n") if i >= 0]
    return chunk[left + 1 : min(ends, default=len(chunk))]


def _near_edge(
    text: pdfium.PdfTextPage, trim: Box, safe: float
) -> Iterator[tuple[int, float, str]]:
    """(char index, distance, edge) for visible characters inside the trim but near its edge."""
    for i in range(min(text.count_chars(), CHAR_LIMIT)):
        left, bottom, right, top = text.get_charbox(i)
        if right - left <= 0 and top - bottom <= 0:
            continue  # generated by pdfium (spaces, line breaks), not drawn
        if right <= trim[0] or left >= trim[2] or top <= trim[1] or bottom >= trim[3]:
            continue  # outside the trim: a slug line is allowed there
        distance, edge = min(
            (left - trim[0], "left"),
            (trim[2] - right, "right"),
            (bottom - trim[1], "bottom"),
            (trim[3] - top, "top"),
        )
        if distance < safe and not text.get_text_range(i, 1).isspace():
            yield i, distance, edge


def _check_bleed(pdf_page: pdfium.PdfPage, page: _Page, geo: _Geometry) -> None:
    """Where the pixel just inside the trim is inked, the pixel at the bleed edge must be too."""
    assert geo.trim and geo.bleed
    media = geo.media
    scale = min(1.0, RENDER_PX / max(media[2] - media[0], media[3] - media[1]))
    pdf_page.set_cropbox(*media)
    bitmap = pdf_page.render(
        scale=scale, draw_annots=False, no_smoothtext=True, no_smoothpath=True, no_smoothimage=True
    )
    ink = _ink(bitmap.to_pil())
    for edge, inner, outer, has_bleed in _edge_lines(ink, media, geo.trim, geo.bleed, scale):
        short = sum(a > INKED and b <= WHITE for a, b in zip(inner, outer, strict=True))
        if short and short / scale >= 0.5 * MM:
            lack = "stops short of the bleed edge" if has_bleed else "the page has no bleed there"
            page.out.error(
                "bleed",
                page.loc,
                f"{page.path}.BleedBox",
                f"artwork touches the {edge} trim edge along {short / scale / MM:.1f} mm "
                f"but {lack}",
                "extend backgrounds and images that reach the trim edge 3 mm past it, "
                "to the BleedBox (widen the BleedBox if it has no bleed)",
            )


def _ink(image: Image.Image) -> Image.Image:
    """One band: how much ink a pixel carries (255 minus its darkest RGB channel)."""
    red, green, blue = ImageChops.invert(image.convert("RGB")).split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def _edge_lines(
    ink: Image.Image, media: Box, trim: Box, bleed: Box, scale: float
) -> Iterator[tuple[str, bytes, bytes, bool]]:
    """Per edge: the pixels just inside the trim and those at the bleed edge, side by side.

    With less than a pixel of bleed the bleed line reads as paper white."""

    def x(v: float) -> float:
        return (v - media[0]) * scale

    def y(v: float) -> float:
        return (media[3] - v) * scale

    rows = (math.ceil(y(trim[3])), math.floor(y(trim[1])))
    cols = (math.ceil(x(trim[0])), math.floor(x(trim[2])))
    left_in, left_out = math.ceil(x(trim[0])), math.ceil(x(bleed[0]))
    right_in, right_out = math.floor(x(trim[2])) - 1, math.floor(x(bleed[2])) - 1
    top_in, top_out = math.ceil(y(trim[3])), math.ceil(y(bleed[3]))
    bottom_in, bottom_out = math.floor(y(trim[1])) - 1, math.floor(y(bleed[1])) - 1
    sides = (
        ("left", left_in, left_out, left_out + 1 <= x(trim[0]), True),
        ("right", right_in, right_out, right_out >= x(trim[2]), True),
        ("top", top_in, top_out, top_out + 1 <= y(trim[3]), False),
        ("bottom", bottom_in, bottom_out, bottom_out >= y(trim[1]), False),
    )
    for edge, inner, outer, has_bleed, vertical in sides:
        span = rows if vertical else cols
        if span[1] <= span[0]:
            continue
        inner_px = _line(ink, inner, span, vertical)
        outer_px = _line(ink, outer, span, vertical) if has_bleed else bytes(len(inner_px))
        yield edge, inner_px, outer_px, has_bleed


def _line(ink: Image.Image, at: int, span: tuple[int, int], vertical: bool) -> bytes:
    """A one-pixel line of the ink image: column `at` over rows `span`, or row `at` over columns."""
    box = (at, span[0], at + 1, span[1]) if vertical else (span[0], at, span[1], at + 1)
    inside = 0 <= at < (ink.width if vertical else ink.height)
    return ink.crop(box).tobytes() if inside else bytes(span[1] - span[0])
