"""Define the page a preflight check reports on, and the page tree lookups every check shares."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from ..errors import Diagnostics, Location

Matrix = tuple[float, float, float, float, float, float]


IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


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
    lettering: Any = None  # what the walk learned about text and fills (`lettering.Lettering`)
    # What the page's own content draws forms with, for the rendered checks (`rendering`):
    # (form, CTM, graphics states set) of each form it draws, and whether it clips (or
    # could not be walked to its end).
    drawn: list[tuple[Any, ...]] = field(default_factory=list)
    clipped: bool = False
    # Whether it draws an image whose own pixels cut its shape (a stencil mask, a soft or
    # colour-key mask, an inline image): its bleed rendering then decodes every image.
    masked: bool = False

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


# qpdf names the stream it read: ours is an in-memory buffer, at an address that means
# nothing to a reader ("stream <_io.BytesIO object at 0x7f…>: unable to find trailer")
_BUFFER = re.compile(r"^(?:stream )?<[^<>]* object at 0x[0-9a-f]+>:\s*")


def unreadable(exc: Exception) -> str:
    """Why a file is not a readable PDF, as the library said it, less our buffer's name."""
    return "not a readable PDF: " + _BUFFER.sub("", str(exc))


Box = tuple[float, float, float, float]  # x0, y0, x1, y1, in points


def box_of(value: Any) -> Box | None:
    """A PDF rectangle ([x0 y0 x1 y1], either corner first) as a box, or None if it is none."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
