"""Turn a page's text and fills into findings: type too small to print, small type knocked out.

The content walk (`content`) calls these handlers for the text operators, the fill
colours and the filled rectangles. Rules:

- `small-text`: text under 6 pt (its size through the text matrix and the CTM);
- `knockout-small-type`: white or coloured type under 9 pt set on a rich black (100 % K
  and two or more of C, M, Y): on the press the slightest misregistration fills it in;
- the fonts text is shown in, so a font resource no text uses (ReportLab declares
  Helvetica on every page) is not reported as a font that is not embedded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .images import as_matrix, mul, num, resource
from .page import IDENTITY, Box, Matrix, Page

SMALLEST = 6.0  # pt: under this, type does not print legibly
KNOCKOUT = 9.0  # pt: white or coloured type under this is never knocked out of rich black
Cmyk = tuple[float, float, float, float]


@dataclass
class Lettering:
    """What one page's walk learned about its text and fills."""

    small: int = 0
    smallest: float = 99.0
    knocked_out: int = 0
    example: str = ""  # the size and place of the first knocked-out line
    trim: Box | None = None  # the printed page: text in the slug (marks, job line) is not read
    dark: list[Box] = field(default_factory=list)  # rich-black rectangles painted so far
    shown: set[tuple[int, int]] = field(default_factory=set)  # fonts text is shown in


@dataclass
class TextState:
    """The text state of one content stream: font, size, matrices."""

    font: Any = None
    size: float = 0.0
    leading: float = 0.0
    matrix: Matrix = IDENTITY  # Tm
    line: Matrix = IDENTITY  # Tlm
    path: list[Box] = field(default_factory=list)  # rectangles of the path being built


def rich_black(cmyk: Cmyk | None) -> bool:
    """100 % K (or near) with two or more supporting colours: four plates to register."""
    if cmyk is None:
        return False
    c, m, y, k = cmyk  # a sum of comparisons, not of a generator: a QR code asks per module
    return k >= 0.9 and (c > 0.02) + (m > 0.02) + (y > 0.02) >= 2


def knocked_out(cmyk: Cmyk | None) -> bool:
    """White or coloured type (anything but black ink) cut out of what lies under it."""
    if cmyk is None:
        return True
    c, m, y, k = cmyk
    return not (k >= 0.9 and max(c, m, y) <= 0.02)


def fill_cmyk(walker: Any, operands: Any, frame: Any) -> None:
    walker.device(frame, False)
    values = tuple(num(v) for v in operands[:4])
    frame.state = frame.state._replace(fill=values if len(values) == 4 else None)


def fill_gray(walker: Any, operands: Any, frame: Any) -> None:
    walker.device(frame, False)
    gray = num(operands[0]) if operands else 0.0
    frame.state = frame.state._replace(fill=(0.0, 0.0, 0.0, 1.0 - gray))


def rectangle(walker: Any, operands: Any, frame: Any) -> None:
    if not rich_black(frame.state.fill):
        return  # only a rich black matters under type (a QR code is thousands of these)
    x, y, w, h = (num(v) for v in operands[:4]) if len(operands) >= 4 else (0, 0, 0, 0)
    corners = [_apply((px, py), frame.state.ctm) for px in (x, x + w) for py in (y, y + h)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    frame.text.path.append((min(xs), min(ys), max(xs), max(ys)))


def fill(walker: Any, operands: Any, frame: Any) -> None:
    if rich_black(frame.state.fill):
        walker.page.lettering.dark.extend(frame.text.path)
    frame.text.path.clear()


def end_path(walker: Any, operands: Any, frame: Any) -> None:
    frame.text.path.clear()


def begin_text(walker: Any, operands: Any, frame: Any) -> None:
    frame.text.matrix = frame.text.line = IDENTITY


def font(walker: Any, operands: Any, frame: Any) -> None:
    if len(operands) >= 2:
        frame.text.font = resource(frame.resources, "/Font", operands[0])
        frame.text.size = num(operands[1])


def set_matrix(walker: Any, operands: Any, frame: Any) -> None:
    matrix = as_matrix(operands)
    if matrix:
        frame.text.matrix = frame.text.line = matrix


def move(walker: Any, operands: Any, frame: Any, leading: bool = False) -> None:
    tx, ty = (num(v) for v in operands[:2]) if len(operands) >= 2 else (0.0, 0.0)
    if leading:
        frame.text.leading = -ty
    frame.text.matrix = frame.text.line = mul((1, 0, 0, 1, tx, ty), frame.text.line)


def next_line(walker: Any, operands: Any, frame: Any) -> None:
    move(walker, [0, -frame.text.leading], frame)


def set_leading(walker: Any, operands: Any, frame: Any) -> None:
    frame.text.leading = num(operands[0]) if operands else 0.0


def show(walker: Any, operands: Any, frame: Any) -> None:
    """A text-showing operator: its size, its ink and what lies under its start."""
    text, found = frame.text, walker.page.lettering
    if text.font is not None and text.font.objgen != (0, 0):
        found.shown.add(text.font.objgen)
    at = mul(text.matrix, frame.state.ctm)
    size = abs(text.size) * (at[2] ** 2 + at[3] ** 2) ** 0.5
    if size <= 0:
        return
    origin = (at[4], at[5])
    if found.trim is not None and not _inside(origin, [found.trim]):
        return  # the slug: the job line and marks are small by design and cut away
    if size < SMALLEST:
        found.small += 1
        found.smallest = min(found.smallest, size)
    if size < KNOCKOUT and knocked_out(frame.state.fill) and _inside(origin, found.dark):
        found.knocked_out += 1
        found.example = found.example or f"{size:.1f} pt at ({origin[0]:.0f}, {origin[1]:.0f})"


def show_next(walker: Any, operands: Any, frame: Any) -> None:
    next_line(walker, operands, frame)
    show(walker, operands, frame)


def _apply(point: tuple[float, float], m: Matrix) -> tuple[float, float]:
    x, y = point
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _inside(point: tuple[float, float], boxes: list[Box]) -> bool:
    x, y = point
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


HANDLERS = {
    "k": fill_cmyk,
    "g": fill_gray,
    "re": rectangle,
    "f": fill,
    "F": fill,
    "f*": fill,
    "b": fill,
    "B": fill,
    "b*": fill,
    "B*": fill,
    "n": end_path,
    "BT": begin_text,
    "Tf": font,
    "Tm": set_matrix,
    "Td": move,
    "TD": lambda w, o, f: move(w, o, f, leading=True),
    "T*": next_line,
    "TL": set_leading,
    "Tj": show,
    "TJ": show,
    "'": show_next,
    '"': show_next,
}


def report(page: Page) -> None:
    """The page's lettering findings."""
    found = page.lettering
    if found.small:
        page.out.warn(
            "small-text",
            page.loc,
            f"{page.path}.text",
            f"text under {SMALLEST:g} pt: {found.small} line(s), the smallest "
            f"{found.smallest:.1f} pt",
            f"set text at {SMALLEST:g} pt or more: smaller type does not print legibly",
        )
    if found.knocked_out:
        page.out.warn(
            "knockout-small-type",
            page.loc,
            f"{page.path}.text",
            f"white or coloured type under {KNOCKOUT:g} pt on a rich black: "
            f"{found.knocked_out} line(s), first {found.example}",
            "set the background in 100 % K with at most one other colour, "
            f"or the type at {KNOCKOUT:g} pt or more",
        )
