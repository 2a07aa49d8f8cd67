"""Turn an SVG logo's drawing into marshal data and back: a logo is converted once, not each run.

svglib makes a ReportLab drawing of a logo: importing it and converting the sample's four
logos took ~100 ms of a cold build (more than a tenth), for the same drawing every time.
The drawing is plain data (groups, paths and shapes; numbers, strings and CMYK colours),
so it is kept in the user's cache folder by the file's content digest and the versions
of svglib and ReportLab and the colour conversion (`read.cache`: marshal, so reading it back runs no
code) and built again from the shape classes named here alone. A drawing holding
anything else (a gradient, a picture) is not kept: it is converted each run as before.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

import reportlab
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Ellipse,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    isValidChild,
)
from reportlab.graphics.shapes import (
    Path as PathShape,
)
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.colors import CMYKColor

from ..read.cache import cache_file, keep, read_cached
from . import colour

FORMAT = "1"  # what a kept drawing looks like: bump when it changes

_COLOUR = "\x00cmyk"  # keys no attribute has: a colour, and a shape of a kind
_KIND = "\x00kind"


class Unstroked(PathShape):
    """A filled path whose stroke is always off, whatever its group says (an open path
    svglib fills)."""

    def getProperties(self, *args: Any, **kw: Any) -> dict[str, Any]:  # noqa: N802 (ReportLab's)
        found = super().getProperties(*args, **kw)
        if "strokeWidth" in found:
            found["strokeWidth"] = 0
        if "strokeColor" in found:
            found["strokeColor"] = None
        return found


class Clipping(PathShape):
    """A path that clips what follows it and is never painted."""

    def getProperties(self, *args: Any, **kw: Any) -> dict[str, Any]:  # noqa: N802 (ReportLab's)
        found = super().getProperties(*args, **kw)
        for name in ("fillColor", "strokeColor"):
            if name in found:
                found[name] = None
        return found


_SHAPES: dict[str, type] = {
    "drawing": Drawing,
    "group": Group,
    "path": PathShape,
    "unstroked": Unstroked,
    "clipping": Clipping,
    "rect": Rect,
    "circle": Circle,
    "ellipse": Ellipse,
    "line": Line,
    "polyline": PolyLine,
    "polygon": Polygon,
}
_SVGLIB = {"NoStrokePath": "unstroked", "ClippingPath": "clipping"}  # svglib's own paths


class Unkept(Exception):
    """A drawing holding something not kept: it is converted each run."""


def load(path: str, digest: str) -> Drawing | None:
    """The logo's drawing as kept by an earlier run, or None."""
    kept = read_cached(_stored(path, digest))
    if not isinstance(kept, dict):
        return None
    try:
        made = _shape(kept)
    except (Unkept, TypeError, ValueError, KeyError, AttributeError):
        return None
    return made if isinstance(made, Drawing) else None


def store(path: str, digest: str, drawing: Drawing) -> None:
    """Keep a drawing svglib made, before it is drawn (drawing sets a page's font on it)."""
    try:
        flat = _flat(drawing)
    except Unkept:
        return
    keep(_stored(path, digest), flat)


def _stored(path: str, digest: str) -> Path | None:
    try:
        svglib = metadata.version("svglib")
        converter = [Path(f).stat() for f in (colour.__file__, colour.PROFILE)]
    except (metadata.PackageNotFoundError, OSError):
        return None
    # the colours went through `colour.as_cmyk`, the press profile and LittleCMS
    made = "|".join(f"{s.st_size}:{s.st_mtime_ns}" for s in converter)
    version = f"{FORMAT}|{digest}|{svglib}|{reportlab.Version}|{made}|{colour.converter_version()}"
    return cache_file("svg", Path(path), version)


def _kind(shape: object) -> str:
    name = type(shape).__name__
    if name in _SVGLIB:
        return _SVGLIB[name]
    for kind, cls in _SHAPES.items():
        if type(shape) is cls:
            return kind
    raise Unkept(name)


def _flat(shape: object) -> dict[str, Any]:
    flat = {
        name: _children(shape, value) if name == "_attrMap" else _value(value)
        for name, value in vars(shape).items()
    }
    flat[_KIND] = _kind(shape)
    return flat


def _children(shape: object, own: AttrMap) -> list[str]:
    """A group's own attribute map: its class's, and a name for each named child (what
    `Group.add(node, name)` adds); anything else is not kept."""
    base = type(shape)._attrMap
    added = [name for name in own if name not in base]
    same = all(own[name] is base[name] for name in base) and len(own) == len(base) + len(added)
    if not same or any(own[name].validate is not isValidChild for name in added):
        raise Unkept("_attrMap")
    return added


def _value(value: Any) -> Any:
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) in (list, tuple):
        return type(value)(_value(v) for v in value)
    if type(value) is CMYKColor:
        return {_COLOUR: {name: _value(v) for name, v in vars(value).items()}}
    if type(value).__module__.startswith(("reportlab.graphics", "svglib")):
        return _flat(value)
    raise Unkept(type(value).__name__)


def _shape(flat: dict[str, Any]) -> object:
    attributes = dict(flat)
    cls = _SHAPES[attributes.pop(_KIND)]
    shape = cls.__new__(cls)
    if "_attrMap" in attributes:
        own = shape.__dict__["_attrMap"] = cls._attrMap.clone()
        for name in attributes.pop("_attrMap"):
            own[name] = AttrMapValue(isValidChild)
    shape.__dict__.update({name: _restored(value) for name, value in attributes.items()})
    return shape


def _restored(value: Any) -> Any:
    if type(value) in (list, tuple):
        return type(value)(_restored(v) for v in value)
    if type(value) is not dict:
        return value
    if _COLOUR in value:
        colour = CMYKColor.__new__(CMYKColor)
        colour.__dict__.update({k: _restored(v) for k, v in value[_COLOUR].items()})
        return colour
    return _shape(value)
