"""Turn pictures into what the page draws: frames worked out, resolution checked, slots left.

A raster image or a PDF logo is not embedded here: the typesetter leaves a *slot*, an empty
form XObject in the unit square whose one line says what goes in it (the checked file, the
part of the picture the frame shows, its alt text). The prepress stage fills each slot, the
print file with the picture in the press's CMYK, the screen file with it in sRGB
(`prepress/pictures.py`), so one typeset file serves both. SVG logos are drawn here as
vectors (`typeset/vector.py`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..compose.document import Illustration
from ..errors import Diagnostics
from ..read.pictures import Picture
from .tagging import leaf
from .vector import draw_svg

SLOT_PREFIX = "BookletPic"
SLOT_RECORD = "% booklet-slot "
PPI_WARN, PPI_ERROR = 300.0, 150.0
MM = 72 / 25.4


@dataclass(frozen=True)
class Geometry:
    """Where a picture is drawn inside its frame, and which part of it shows."""

    x: float  # offset inside the frame
    y: float
    width: float
    height: float
    crop: tuple[float, float, float, float]  # left, top, right, bottom: fractions of the picture


def frame(picture: Picture, box: tuple[float, float], kind: str, focus=(0.5, 0.5)) -> Geometry:
    """fit: the whole picture, centred inside the box; fill: the box covered, cropped about
    the centre; crop: the box covered, cropped about the focus."""
    width, height = box
    ratio = picture.width / picture.height
    if kind == "fit":
        w, h = (width, width / ratio) if width / ratio <= height else (height * ratio, height)
        return Geometry((width - w) / 2, (height - h) / 2, w, h, (0.0, 0.0, 1.0, 1.0))
    centre = focus if kind == "crop" else (0.5, 0.5)
    if width / height > ratio:  # the box is wider: the full width shows, a band of the height
        shown_w, shown_h = 1.0, (width / height) ** -1 * ratio
    else:
        shown_w, shown_h = (width / height) / ratio, 1.0
    left = min(max(centre[0] - shown_w / 2, 0.0), 1.0 - shown_w)
    top = min(max(centre[1] - shown_h / 2, 0.0), 1.0 - shown_h)
    crop = (round(left, 4), round(top, 4), round(left + shown_w, 4), round(top + shown_h, 4))
    return Geometry(0.0, 0.0, width, height, crop)


def natural(picture: Picture, width: float, max_height: float | None) -> tuple[float, float]:
    """The size of a picture at a measure's width, no taller than `max_height`."""
    height = width * picture.height / picture.width
    if max_height and height > max_height:
        return max_height * picture.width / picture.height, max_height
    return width, height


def sharpest(picture: Picture) -> tuple[float, float]:
    """The largest box a photo covers at print resolution (`PPI_WARN`): a picture that
    grows to fill a page grows no further (a drawing or a missing file: no limit)."""
    if picture.kind != "raster":
        return float("inf"), float("inf")
    sharp = PPI_WARN * 1.01  # a hair inside: the checks round the placed size
    return picture.width * 72 / sharp, picture.height * 72 / sharp


class Placer:
    """Draws pictures on a canvas, checks their resolution, and reports where they fail."""

    def __init__(self, diags: Diagnostics, lang: str, ink, rule):
        self.diags, self.lang = diags, lang
        self.ink, self.rule = ink, rule  # colours of the proof placeholder

    def draw(self, canv, shown: Illustration, rect, kind: str = "fit", role: str = "photo") -> None:
        """Draw `shown` into rect (x, y, width, height) with the frame `kind`."""
        alt = shown.alt or shown.caption or shown.picture.id
        with leaf(
            canv, "Figure", shown, alt, (rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3])
        ):
            self._draw(canv, shown, rect, kind, role)

    def _draw(self, canv, shown: Illustration, rect, kind: str, role: str) -> None:
        x, y, width, height = rect
        picture = shown.picture
        if picture.kind == "missing":
            self.placeholder(canv, picture, rect)
            return
        place = frame(picture, (width, height), kind, shown.focus)
        x, y = x + place.x, y + place.y
        if picture.kind == "raster":
            self.check_ppi(picture, place)
        canv.saveState()
        if picture.kind != "raster" and place.crop != (0.0, 0.0, 1.0, 1.0):
            path = canv.beginPath()
            path.rect(x, y, place.width, place.height)
            canv.clipPath(path, stroke=0, fill=0)
        if picture.kind == "svg":
            draw_svg(canv, picture, *_uncropped(place, x, y))
        else:
            self.slot(canv, shown, place, (x, y), role)
        canv.restoreState()

    def slot(self, canv, shown: Illustration, place: Geometry, at, role: str) -> None:
        """An empty form, filled by prepress with the picture (raster: its cropped part)."""
        picture = shown.picture
        raster = picture.kind == "raster"
        record = {
            "path": picture.path,
            "digest": picture.digest,
            "id": picture.id,
            "kind": picture.kind,
            "crop": list(place.crop) if raster else [0, 0, 1, 1],
            "size": [round(place.width, 3), round(place.height, 3)],
            "role": role,
            "alt": shown.alt,
            "lang": self.lang,
            "loc": [picture.loc.file, picture.loc.line, picture.loc.column],
            "shown": picture.shown,
            "box": [picture.width, picture.height],
        }
        text = json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        # Named by what it shows, not where the file is: the same bytes from another folder.
        same = {k: v for k, v in record.items() if k not in ("path", "loc", "shown")}
        key = json.dumps(same, sort_keys=True).encode()
        name = SLOT_PREFIX + hashlib.blake2b(key, digest_size=8).hexdigest()
        if not canv.hasForm(name):
            canv.beginForm(name, 0, 0, 1, 1)
            canv.addLiteral(SLOT_RECORD + text)
            canv.endForm()
        width, height = place.width, place.height
        x, y = at
        if not raster:
            x, y, width, height = _uncropped(place, x, y)
        canv.saveState()
        canv.transform(width, 0, 0, height, x, y)
        canv.doForm(name)
        canv.restoreState()

    def check_ppi(self, picture: Picture, place: Geometry) -> None:
        """`low-ppi` under 300 ppi at the placed size, `too-low-ppi` (an error) under 150."""
        left, top, right, bottom = place.crop
        shown_w, shown_h = (right - left) * picture.width, (bottom - top) * picture.height
        ppi = min(shown_w / (place.width / 72), shown_h / (place.height / 72))
        if ppi >= PPI_WARN:
            return
        size = f"{place.width / MM:.0f} × {place.height / MM:.0f} mm"
        message = f"'{picture.shown}' has {ppi:.0f} ppi printed at {size}"
        hint = f"print needs {PPI_WARN:.0f} ppi: use a larger image, or one that is cropped less"
        where = f"images[{picture.id}].file"
        if ppi < PPI_ERROR:
            self.diags.error("too-low-ppi", picture.loc, where, message + " (under 150)", hint)
        else:
            self.diags.warn("low-ppi", picture.loc, where, message, hint)

    def placeholder(self, canv, picture: Picture, rect) -> None:
        """A proof build's stand-in for a missing file: a crossed box with the file's name."""
        x, y, width, height = rect
        canv.saveState()
        canv.setStrokeColor(self.ink)
        canv.setFillColor(self.rule)
        canv.setLineWidth(0.5)
        canv.rect(x, y, width, height, stroke=1, fill=1)
        canv.line(x, y, x + width, y + height)
        canv.line(x, y + height, x + width, y)
        canv.restoreState()
        self.missing_label(canv, picture, rect)

    def missing_label(self, canv, picture: Picture, rect) -> None:
        x, y, width, height = rect
        canv.saveState()
        canv.setFillColor(self.ink)
        canv.setFont(canv._fontname, min(7.0, height / 3))
        canv.drawCentredString(x + width / 2, y + height / 2 - 2, f"missing: {picture.shown}"[:60])
        canv.restoreState()


def _uncropped(place: Geometry, x: float = 0.0, y: float = 0.0) -> tuple[float, ...]:
    """The whole picture's rectangle when `place` shows the crop of it: x, y, width, height."""
    left, top, right, bottom = place.crop
    width = place.width / (right - left)
    height = place.height / (bottom - top)
    return (x - left * width, y - (1 - bottom) * height, width, height)
