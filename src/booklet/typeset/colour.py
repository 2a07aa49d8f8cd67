"""Turn sRGB, grey and CMYK colours and pixels into the press's CMYK, or into sRGB for screens.

The output intent is the bundled `booklet-coated-cmyk.icc` (the profile `prepress/pdfx.py`
embeds): whatever goes to the print file goes through it, with LittleCMS (Pillow's ImageCms).
Logos, maps and portraits go relative colorimetric with black-point compensation (their
colours stay as close as the press can print them); photos go as the layout says
(perceptual by default). RGB without a profile of its own is taken as sRGB.
"""

from __future__ import annotations

import functools
import io
from importlib import resources

from PIL import Image, ImageCms
from reportlab.lib.colors import CMYKColor, Color

_PROFILE = resources.files("booklet") / "data" / "booklet-coated-cmyk.icc"
PROFILE = str(_PROFILE)  # its path, for cache keys (a zipped install has none to stat)
PERCEPTUAL = ImageCms.Intent.PERCEPTUAL
RELATIVE = ImageCms.Intent.RELATIVE_COLORIMETRIC
BPC = ImageCms.Flags.BLACKPOINTCOMPENSATION


def converter_version() -> str:
    """What the colours converted here depend on besides their values: Pillow's and
    LittleCMS's versions (a kept result made by others is made again)."""
    return f"{Image.__version__}|{getattr(ImageCms.core, 'littlecms_version', '')}"


@functools.cache
def press_profile() -> ImageCms.ImageCmsProfile:
    """The output intent's CMYK profile."""
    data = _PROFILE.read_bytes()
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@functools.cache
def srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.cache
def srgb_bytes() -> bytes:
    """The sRGB profile as embedded in screen files (an ICCBased colour space).

    LittleCMS stamps a profile it makes with the time and an MD5 of itself: the date is
    fixed here and the ID left out (all zeros: "not computed"), so the same input gives
    the same bytes."""
    data = bytearray(srgb_profile().tobytes())
    data[24:36] = bytes([0x07, 0xEA, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])  # 2026-01-01 00:00:00
    data[84:100] = bytes(16)
    return bytes(data)


def _transform(source, mode_in: str, target, mode_out: str, intent) -> ImageCms.ImageCmsTransform:
    flags = BPC if intent == RELATIVE else 0
    made = ImageCms.buildTransform(source, target, mode_in, mode_out, intent, flags)
    # Pillow writes the target profile into each image it converts (info["icc_profile"],
    # 3 ms for the press profile, a cold sample build's every new colour and picture);
    # no converted image is saved with it, so its bytes are made once a profile.
    made.output_profile = _Serialised(made.output_profile)
    return made


class _Serialised:
    """A profile whose bytes are made once: what Pillow asks of a transform's target."""

    def __init__(self, profile: ImageCms.ImageCmsProfile):
        self.profile = profile

    @functools.cached_property
    def data(self) -> bytes:
        return self.profile.tobytes()

    def tobytes(self) -> bytes:
        return self.data


@functools.lru_cache(maxsize=16)
def _standard(mode_in: str, mode_out: str, intent) -> ImageCms.ImageCmsTransform:
    source = srgb_profile() if mode_in == "RGB" else press_profile()
    target = press_profile() if mode_out == "CMYK" else srgb_profile()
    return _transform(source, mode_in, target, mode_out, intent)


def to_press(
    image: Image.Image, intent, own: ImageCms.ImageCmsProfile | None = None
) -> Image.Image:
    """An RGB or CMYK image in the output intent's CMYK (its own profile, else sRGB or the
    press's own CMYK, says what its numbers mean)."""
    if own is not None:
        return ImageCms.applyTransform(
            image, _transform(own, image.mode, press_profile(), "CMYK", intent)
        )
    if image.mode == "CMYK":
        return image  # CMYK without a profile is taken as the press's own
    return ImageCms.applyTransform(image, _standard("RGB", "CMYK", intent))


def to_screen(image: Image.Image, own: ImageCms.ImageCmsProfile | None = None) -> Image.Image:
    """An RGB or CMYK image in sRGB, for screens."""
    if own is not None:
        return ImageCms.applyTransform(
            image, _transform(own, image.mode, srgb_profile(), "RGB", PERCEPTUAL)
        )
    if image.mode == "RGB":
        return image
    return ImageCms.applyTransform(image, _standard("CMYK", "RGB", RELATIVE))


@functools.lru_cache(maxsize=4096)
def press_cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """An sRGB colour (0–1) as the press's CMYK (0–1): neutrals on black alone, as a
    prepress operator separates a logo's greys; others relative colorimetric with BPC."""
    if red == green == blue:
        return (0.0, 0.0, 0.0, round(1 - red, 4))
    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (red, green, blue)))
    c, m, y, k = to_press(pixel, RELATIVE).getpixel((0, 0))
    return tuple(round(v / 255, 4) for v in (c, m, y, k))  # type: ignore[return-value]


def as_cmyk(color: Color | None) -> CMYKColor | None:
    """A ReportLab colour in the press's CMYK, its transparency kept."""
    if color is None or isinstance(color, CMYKColor):
        return color
    alpha = getattr(color, "alpha", 1)
    c, m, y, k = press_cmyk(*(min(max(float(v), 0.0), 1.0) for v in color.rgb()))
    return CMYKColor(c, m, y, k, alpha=alpha)
