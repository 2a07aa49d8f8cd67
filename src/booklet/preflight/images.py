"""Turn the images a page draws into findings: resolution at the placed size, colour space."""

from __future__ import annotations

import math
from typing import Any

import pikepdf
from pikepdf import Name

from ..errors import Diagnostic
from .page import Matrix, Page

RGB_SPACES = frozenset({"/DeviceRGB", "/CalRGB", "/RGB"})

PPI_WARN, PPI_ERROR = 300.0, 150.0


def check_ppi(page: Page, image: Any, ctm: Matrix, path: str) -> None:
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


def is_rgb_space(space: Any, resources: Any, depth: int = 0) -> bool:
    """Whether a colour space (a name, resource name or array) paints in RGB."""
    if space is None or depth > 4:
        return False
    if isinstance(space, Name):
        if str(space) in RGB_SPACES:
            return True
        named = resource(resources, "/ColorSpace", space)
        return named is not None and is_rgb_space(named, None, depth + 1)
    if not isinstance(space, pikepdf.Array) or not len(space):
        return False
    family = str(space[0])
    if family == "/CalRGB":
        return True
    if family == "/ICCBased" and len(space) > 1 and isinstance(space[1], pikepdf.Stream):
        return int(space[1].get("/N", 0)) == 3
    if family in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
        return is_rgb_space(space[1], resources, depth + 1)
    return False


def resource(resources: Any, category: str, name: Any) -> Any:
    if not isinstance(resources, pikepdf.Dictionary) or not isinstance(name, Name):
        return None
    group = resources.get(category)
    if not isinstance(group, pikepdf.Dictionary):
        return None
    return group.get(name)


def num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def as_matrix(values: Any) -> Matrix | None:
    if values is None or len(values) != 6:
        return None
    a, b, c, d, e, f = (num(v) for v in values)
    return (a, b, c, d, e, f)


def mul(m: Matrix, n: Matrix) -> Matrix:
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


def min_scale(m: Matrix) -> float:
    """The smallest factor by which the CTM scales a length: a line is this thin somewhere."""
    a, b, c, d = m[:4]
    total = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return math.sqrt(max(0.0, (total - math.sqrt(max(0.0, total * total - 4 * det * det))) / 2))
