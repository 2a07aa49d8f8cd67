"""The shipped CMYK output profile: ICC structure, what littleCMS makes of it, determinism."""

from __future__ import annotations

import importlib.util
import math
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageCms

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "src" / "booklet" / "data" / "booklet-coated-cmyk.icc"
SCRIPT = ROOT / "tools" / "make_cmyk_icc.py"
DESCRIPTION = "booklet coated CMYK (approximation of ISO 12647-2 PC1, FOGRA39-like)"
PERCEPTUAL = ImageCms.Intent.PERCEPTUAL
RELATIVE = ImageCms.Intent.RELATIVE_COLORIMETRIC
# 330 % total area coverage in 8-bit CMYK: 3.3 * 255 = 841.5
TAC_8BIT = 841


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """tools/make_cmyk_icc.py, imported from its path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_cmyk_icc", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data() -> bytes:
    return PROFILE.read_bytes()


@pytest.fixture(scope="module")
def profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.getOpenProfile(str(PROFILE))


def tags(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">I", data, 128)
    table = {}
    for i in range(count):
        sig, offset, size = struct.unpack_from(">4sII", data, 132 + 12 * i)
        table[sig] = (offset, size)
    return table


def tag_data(data: bytes, sig: bytes) -> bytes:
    offset, size = tags(data)[sig]
    return data[offset : offset + size]


def convert(
    pixels: Sequence[tuple[int, ...]],
    src: ImageCms.ImageCmsProfile,
    dst: ImageCms.ImageCmsProfile,
    modes: tuple[str, str],
    intent: ImageCms.Intent = PERCEPTUAL,
) -> list[tuple[int, ...]]:
    """Pixels through a littleCMS transform (8 bits per channel, as Pillow does it)."""
    transform = ImageCms.buildTransform(src, dst, modes[0], modes[1], renderingIntent=intent)
    image = Image.new(modes[0], (len(pixels), 1))
    for x, pixel in enumerate(pixels):
        image.putpixel((x, 0), pixel)
    out = ImageCms.applyTransform(image, transform)
    assert out is not None
    return [out.getpixel((x, 0)) for x in range(len(pixels))]  # type: ignore[misc]


def srgb_lab(rgb: Sequence[int]) -> tuple[float, float, float]:
    """CIELAB (D65) of an 8-bit sRGB colour, for colour differences between sRGB values."""

    def linear(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (
        t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in xyz
    )
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


# --- the file ---------------------------------------------------------------------------------


def test_header(data: bytes) -> None:
    assert len(data) < 600 * 1024
    assert struct.unpack_from(">I", data, 0)[0] == len(data)
    assert len(data) % 4 == 0
    assert data[36:40] == b"acsp"
    assert data[8:12] == bytes([2, 0x40, 0, 0])  # version 2.4
    assert data[12:16] == b"prtr"
    assert data[16:20] == b"CMYK"
    assert data[20:24] == b"Lab "
    assert struct.unpack_from(">6H", data, 24) == (2026, 1, 1, 0, 0, 0)
    assert struct.unpack_from(">I", data, 64)[0] == 0  # perceptual
    illuminant = [v / 65536 for v in struct.unpack_from(">3i", data, 68)]
    assert illuminant == pytest.approx([0.9642, 1.0, 0.8249], abs=1e-4)
    assert data[84:100] == bytes(16)  # no profile ID in v2


def test_tag_table(data: bytes) -> None:
    table = tags(data)
    # the tags ICC.1:2001-04 requires of a LUT-based output profile
    required = [b"desc", b"cprt", b"wtpt", b"gamt"]
    required += [b"A2B0", b"A2B1", b"A2B2", b"B2A0", b"B2A1", b"B2A2"]
    assert set(required) <= set(table)
    end_of_table = 132 + 12 * len(table)
    for sig, (offset, size) in table.items():
        assert offset % 4 == 0, sig
        assert offset >= end_of_table and offset + size <= len(data), sig
    types = {sig: data[offset : offset + 4] for sig, (offset, _) in table.items()}
    assert types[b"desc"] == b"desc"
    assert types[b"cprt"] == b"text"
    assert types[b"wtpt"] == b"XYZ "
    for sig in required[4:] + [b"gamt"]:
        assert types[sig] == b"mft2", sig


def test_lut_shapes(data: bytes) -> None:
    def shape(sig: bytes) -> tuple[int, int, int]:
        return struct.unpack_from(">BBB", tag_data(data, sig), 8)

    for sig in (b"A2B0", b"A2B1", b"A2B2"):
        n_in, n_out, grid = shape(sig)
        assert (n_in, n_out) == (4, 3) and grid >= 9
    for sig in (b"B2A0", b"B2A1", b"B2A2"):
        n_in, n_out, grid = shape(sig)
        assert (n_in, n_out) == (3, 4) and grid >= 17
    n_in, n_out, _ = shape(b"gamt")
    assert (n_in, n_out) == (3, 1)


def test_texts(data: bytes) -> None:
    desc = tag_data(data, b"desc")
    (length,) = struct.unpack_from(">I", desc, 8)
    assert desc[12 : 12 + length] == DESCRIPTION.encode() + b"\0"
    assert tag_data(data, b"cprt")[8:].startswith(b"CC0 1.0 ")


def test_gamut_tag(data: bytes) -> None:
    gamt = tag_data(data, b"gamt")
    grid = gamt[10]
    entries_in, entries_out = struct.unpack_from(">HH", gamt, 48)
    clut_at = 52 + 3 * 2 * entries_in

    def flag(i: int, j: int, k: int) -> int:
        return struct.unpack_from(">H", gamt, clut_at + 2 * ((i * grid + j) * grid + k))[0]

    mid = grid // 2  # a*, b* about 0
    l50 = round(50 * 652.8 / 65535 * (grid - 1))
    assert flag(l50, mid, mid) == 0  # mid grey prints
    assert flag(l50, grid - 1, 0) == 65535  # a* +128, b* -128 does not
    assert flag(grid - 1, grid - 1, grid - 1) == 65535


# --- littleCMS --------------------------------------------------------------------------------


def test_lcms_reads_it(profile: ImageCms.ImageCmsProfile) -> None:
    assert ImageCms.getProfileDescription(profile).strip() == DESCRIPTION
    assert ImageCms.getProfileCopyright(profile).startswith("CC0 1.0")
    info = profile.profile
    assert info.device_class == "prtr"
    assert info.xcolor_space == "CMYK"
    assert info.connection_space == "Lab "
    assert info.version == pytest.approx(2.4)
    for intent in (PERCEPTUAL, RELATIVE, ImageCms.Intent.SATURATION):
        assert ImageCms.isIntentSupported(profile, intent, ImageCms.Direction.INPUT)
        assert ImageCms.isIntentSupported(profile, intent, ImageCms.Direction.OUTPUT)


@pytest.mark.parametrize("intent", [PERCEPTUAL, RELATIVE])
def test_cmyk_to_srgb(profile: ImageCms.ImageCmsProfile, intent: ImageCms.Intent) -> None:
    srgb = ImageCms.createProfile("sRGB")
    patches = [(0, 0, 0, 0), (0, 0, 0, 255), (255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0)]
    paper, black, cyan, magenta, yellow = convert(patches, profile, srgb, ("CMYK", "RGB"), intent)
    assert min(paper) > 235
    assert max(black) < 60
    r, g, b = cyan
    assert g > r + 80 and b > r + 80
    r, g, b = magenta
    assert r > g + 80 and b > g + 50
    r, g, b = yellow
    assert r > b + 120 and g > b + 120


def test_a2b_matches_model(profile: ImageCms.ImageCmsProfile, script: ModuleType) -> None:
    """littleCMS decodes the CMYK -> Lab table to what the model says (8-bit Lab output)."""
    model = script.PrintModel()
    lab = ImageCms.createProfile("LAB")
    patches = [(0, 0, 0, 0), (255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0), (0, 0, 0, 255)]
    patches += [(128, 0, 0, 0), (0, 0, 0, 128), (255, 255, 0, 0), (64, 128, 192, 32)]
    for patch, (lv, av, bv) in zip(
        patches, convert(patches, profile, lab, ("CMYK", "LAB"), RELATIVE), strict=True
    ):
        got = (lv / 2.55, av - 128, bv - 128)
        want = model.lab([v / 255 for v in patch])
        assert math.dist(got, want) < 1.5, (patch, got, want)


# Printable colours: the model prints each within 0.01 dE (a few lie on the gamut's surface).
IN_GAMUT = [
    (200, 120, 60),
    (128, 128, 128),
    (180, 60, 80),
    (60, 120, 80),
    (225, 180, 150),
    (240, 200, 80),
    (100, 80, 140),
    (40, 90, 130),
    (160, 160, 40),
    (230, 230, 230),
    (70, 70, 70),
    (150, 100, 100),
    (100, 150, 150),
]


def test_round_trip(profile: ImageCms.ImageCmsProfile) -> None:
    """sRGB -> CMYK -> sRGB, relative colorimetric, of colours the press can print.

    Tolerance dE76 <= 2: the errors that remain are 8-bit CMYK quantization (up to ~0.5 dE
    in dark saturated colours), the two table interpolations (B2A mean 0.4 dE with a tail
    near the gamut surface, A2B < 0.1 dE) and littleCMS's own 8-bit device-link resampling
    plus 8-bit sRGB rounding (~0.3 dE).  2 dE is about the smallest difference a trained eye
    sees side by side, well below what separates printing conditions; a broken table (wrong
    Lab encoding, swapped channels, no inversion) is off by tens.  Perceptual is not tested
    here: littleCMS applies black point compensation to perceptual transforms whose
    destination is a v4 profile (its sRGB) but not the other way round, so that round trip
    lightens shadows by design.
    """
    srgb = ImageCms.createProfile("sRGB")
    cmyk = convert(IN_GAMUT, srgb, profile, ("RGB", "CMYK"), RELATIVE)
    back = convert(cmyk, profile, srgb, ("CMYK", "RGB"), RELATIVE)
    for rgb, out in zip(IN_GAMUT, back, strict=True):
        assert math.dist(srgb_lab(rgb), srgb_lab(out)) <= 2.0, (rgb, out)


@pytest.mark.parametrize("intent", [PERCEPTUAL, RELATIVE])
def test_grey_component_replacement(
    profile: ImageCms.ImageCmsProfile, intent: ImageCms.Intent
) -> None:
    srgb = ImageCms.createProfile("sRGB")
    greys = [255, 230, 200, 160, 128, 110, 96, 64, 32, 0]  # L* 100 .. 0
    cmyk = convert([(v, v, v) for v in greys], srgb, profile, ("RGB", "CMYK"), intent)
    black = [k for *_, k in cmyk]
    for v, k in zip(greys, black, strict=True):
        if srgb_lab((v, v, v))[0] > 52:  # black generation starts around L* 50
            assert k == 0, (v, k)
        if srgb_lab((v, v, v))[0] < 45:
            assert k > 0, (v, k)
    assert black == sorted(black)  # more black as the grey darkens
    assert black[-1] == 255
    c, m, y, _ = cmyk[4]  # mid grey: a grey-balanced CMY mix, cyan leading
    assert c > m and c > y and abs(m - y) < 20


@pytest.mark.parametrize("intent", [PERCEPTUAL, RELATIVE])
def test_total_ink_limit(profile: ImageCms.ImageCmsProfile, intent: ImageCms.Intent) -> None:
    srgb = ImageCms.createProfile("sRGB")
    levels = [0, 36, 73, 109, 146, 182, 219, 255]
    colours = [(r, g, b) for r in levels for g in levels for b in levels]
    colours += [(v, v, v) for v in range(0, 64, 4)]
    totals = [sum(px) for px in convert(colours, srgb, profile, ("RGB", "CMYK"), intent)]
    assert max(totals) <= TAC_8BIT
    assert max(totals) > 3.2 * 255  # the darkest colours do use the ink budget


# --- the generator ----------------------------------------------------------------------------


def test_generator_is_deterministic(script: ModuleType, tmp_path: Path) -> None:
    """Same bytes twice, and with one or two worker processes (reduced grids for speed)."""
    first = script.build_profile(a2b_grid=5, b2a_grid=9, workers=1)
    assert script.build_profile(a2b_grid=5, b2a_grid=9, workers=1) == first
    assert script.build_profile(a2b_grid=5, b2a_grid=9, workers=2) == first
    small = tmp_path / "small.icc"
    small.write_bytes(first)
    assert struct.unpack_from(">I", first, 0)[0] == len(first)
    srgb = ImageCms.createProfile("sRGB")
    (paper,) = convert([(0, 0, 0, 0)], ImageCms.getOpenProfile(str(small)), srgb, ("CMYK", "RGB"))
    assert min(paper) > 235


def test_shipped_profile_is_current(script: ModuleType, data: bytes) -> None:
    """The shipped file matches the script's model (regenerate it after changing the model)."""
    a2b, _ = script.a2b_table(script.PrintModel(), script.A2B_GRID)
    assert tag_data(data, b"A2B0") == a2b
    assert tag_data(data, b"desc") == script._desc_type(script.DESCRIPTION)
    assert tag_data(data, b"cprt") == script._text_type(script.COPYRIGHT)
    assert tag_data(data, b"wtpt") == script._xyz_type(script.PrintModel().absolute_white())
    assert tag_data(data, b"B2A0")[10] == script.B2A_GRID
