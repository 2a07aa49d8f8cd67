"""Turn the images an event names into checked pictures: files found, formats sniffed, sizes read.

Content is untrusted. A file is read only inside the event folder or the project's `assets/`
folder, only when it is a regular file (no FIFO, device or link out), at most
`MAX_FILE_BYTES`, and only in a format its first bytes show to be one we accept: JPEG, PNG,
TIFF and WebP photos through Pillow, SVG and one-page PDF logos (`read/vectors.py`). A raster
image's size is read from its header and refused above `MAX_PIXELS` before a pixel is
decoded; then it is decoded whole, so a truncated or corrupt file fails here, with its file
and line, not halfway through typesetting. The files of one build may hold at most
`MAX_BUILD_BYTES` together.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps

from ..errors import BookletError, Diagnostics, Location, display_path, fail
from .cache import cache_file, keep, read_cached
from .model import Content
from .types import Text
from .vectors import Refused, check_pdf, check_svg

MAX_FILE_BYTES = 40 * 1024 * 1024  # a 24-megapixel JPEG straight from a camera is ~12 MB
MAX_PIXELS = 80_000_000  # a 36-megapixel camera gives 36 million; a bomb gives billions
MAX_SIDE = 30_000
MAX_BUILD_BYTES = 200 * 1024 * 1024  # every image file of one build together
MAX_PROFILE_BYTES = 1024 * 1024  # an embedded colour profile
ASSETS = "assets"
RASTER = ("JPEG", "PNG", "TIFF", "WEBP")
MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "I;16", "I;16B", "I", "YCbCr")
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is an error, never half a photo


@dataclass(frozen=True)
class Picture:
    """An image as checked: where its file is, what it holds, and where the content names it."""

    id: str
    path: str  # resolved, absolute
    shown: str  # as messages show it
    digest: str  # of the bytes checked: the file must not change before it is placed
    kind: str  # raster, svg, pdf, or missing (a proof build prints a placeholder)
    width: float  # pixels (raster, after EXIF orientation) or points (svg, pdf)
    height: float
    loc: Location
    grey: bool = False  # a one-channel image


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file show, whatever its name says; None if none we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and b"<svg" in head:  # a DTD or an entity is refused later
        return "SVG"
    return None


def read_pictures(
    event_dir: Path, project_root: Path, content: Content, proof: bool, diags: Diagnostics
) -> dict[str, Picture]:
    """Every image the content declares, checked; a missing file is an error (a placeholder
    and a warning in proof builds), every other problem an error with its file and line."""
    found: dict[str, Picture] = {}
    total = 0
    for image in content.images:
        where = f"images[{image.id}].file"
        try:
            picture = check_picture(image.id, image.file, event_dir, project_root)
        except Missing as missing:
            if not proof:
                diags.error("missing-image", image.file.loc, where, missing.message, missing.hint)
                continue
            diags.warn("missing-image", image.file.loc, where, missing.message, "a placeholder")
            picture = Picture(image.id, "", str(image.file), "", "missing", 4, 3, image.file.loc)
        except Refused as bad:
            diags.error("image", image.file.loc, where, bad.message, bad.hint)
            continue
        total += os.path.getsize(picture.path) if picture.path else 0
        if total > MAX_BUILD_BYTES:
            diags.error(
                "limit",
                image.file.loc,
                where,
                f"the images of this event hold more than {MAX_BUILD_BYTES // 2**20} MB together",
                "use smaller files: 300 ppi at the printed size is all print needs",
            )
            break
        found[str(image.id)] = picture
    return found


class Missing(Refused):
    """The file is not there."""


def check_picture(ident: str, name: Text, event_dir: Path, project_root: Path) -> Picture:
    """One image file found, read and checked (`Refused` says why not)."""
    path = locate(name, event_dir, project_root)
    data = read_file(path)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    kind, width, height, grey = inspected(data, digest, path)
    loc = name.loc
    return Picture(ident, str(path), display_path(path), digest, kind, width, height, loc, grey)


def inspected(data: bytes, digest: str, path: Path) -> tuple[str, float, float, bool]:
    """`inspect(data)`, a photo's remembered by the bytes' digest and the limits it was
    checked against: decoding a photo whole to prove it sound was ~210 ms of each rebuild
    of the sample booklet. Only an accepted photo is kept (in this process and the user's
    cache folder); the same bytes decode the same way. Logos are checked every time: their
    safety rules are booklet's own, and cheap to apply."""
    if sniff(data[:1024]) not in RASTER:
        return inspect(data)
    key = f"{digest}|{MAX_PIXELS}|{MAX_SIDE}|{Image.__version__}|{INSPECTED}"
    found = _accepted.get(key)
    if found is None:
        stored = cache_file("inspect", path, key)
        found = read_cached(stored)
        if not _well_formed(found):
            found = inspect(data)
            keep(stored, found)
        _accepted[key] = found = tuple(found)
        while len(_accepted) > 256:
            del _accepted[next(iter(_accepted))]
    return found


_accepted: dict[str, tuple] = {}
INSPECTED = 1  # raised when what `inspect` says of a photo changes


def _well_formed(found: object) -> bool:
    """Whether a cache file holds what `inspect` returns of a photo: (raster, w, h, grey)."""
    if type(found) is not tuple or len(found) != 4:
        return False
    kind, width, height, grey = found
    sizes = all(type(v) is int and v > 0 for v in (width, height))
    return kind == "raster" and sizes and type(grey) is bool


def locate(name: str, event_dir: Path, project_root: Path) -> Path:
    """The file a content path names: in the event folder, else in the project's assets/."""
    if not name or Path(name).is_absolute() or "\\" in name:
        raise Refused(
            f"'{name}' must be a path inside the event folder", "write it like photos/foyer.jpg"
        )
    roots = (event_dir.resolve(), (project_root / ASSETS).resolve())
    for root in roots:
        candidate = root / name
        if not os.path.lexists(candidate):
            continue
        path = candidate.resolve()
        if not path.is_relative_to(root):
            raise Refused(
                f"'{name}' leads outside the event folder (a link or '..')",
                "keep images in the event folder or the project's assets/ folder",
            )
        return path
    raise Missing(
        f"no image '{name}' in the event folder or the project's {ASSETS}/ folder",
        "check the file name; paths are relative to the event folder",
    )


def read_file(path: Path) -> bytes:
    """A regular file's bytes, at most `MAX_FILE_BYTES`; a FIFO or device is never opened."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise Refused(f"'{path.name}' is not a regular file (a pipe, device or folder)")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise Refused(f"'{path.name}' is not a regular file (a pipe, device or folder)")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise Refused(f"'{path.name}' cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise Refused(
            f"'{path.name}' is larger than {MAX_FILE_BYTES // 2**20} MB",
            "300 ppi at the printed size is all print needs: export it smaller",
        )
    return data


def inspect(data: bytes) -> tuple[str, float, float, bool]:
    """(kind, width, height, grey) of a file we accept; `Refused` for anything else."""
    fmt = sniff(data[:1024])
    if fmt is None:
        raise Refused(
            "not an image booklet reads (its first bytes are no JPEG, PNG, TIFF, WebP, SVG or PDF)",
            "photos: JPEG, PNG, TIFF or WebP; logos: SVG or a one-page PDF",
        )
    if fmt in ("SVG", "PDF"):
        width, height = check_svg(data) if fmt == "SVG" else check_pdf(data)
        return fmt.lower(), width, height, False
    image = decode(data)
    return "raster", image.width, image.height, image.mode in ("L", "LA")


def decode(data: bytes) -> Image.Image:
    """A raster file decoded whole: its first frame, turned as its EXIF orientation says,
    in one of L, LA, RGB, RGBA or CMYK. Its size is checked before any pixel is decoded."""
    fmt = sniff(data[:1024])
    if fmt not in RASTER:
        raise Refused("not a JPEG, PNG, TIFF or WebP file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[fmt])
            _check_size(image.width, image.height)
            image.seek(0)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)  # not a copy of every pixel
            image = _normal_mode(image)
    except Refused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow's own check was first
        raise _bomb(0, 0, int(found.group(1)) if found else 0) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        raise Refused(
            f"the {fmt} file is truncated or corrupt ({_reason(exc)})",
            "open it in an image editor and export it again",
        ) from None
    except (MemoryError, ZeroDivisionError, OverflowError, KeyError) as exc:
        raise Refused(f"the {fmt} file cannot be decoded ({type(exc).__name__})") from None
    return image


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise Refused(f"the image claims a size of {width} × {height} pixels")
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise _bomb(width, height)


def _bomb(width: int, height: int, pixels: int = 0) -> Refused:
    size = f" of {width:,} × {height:,} pixels" if width else ""
    size = size or (f" of {pixels / 1e6:,.0f} million pixels" if pixels else "")
    return Refused(
        f"an image{size} is refused before decoding: booklet reads images of at most "
        f"{MAX_PIXELS // 1_000_000} million pixels ({MAX_SIDE:,} pixels a side) and "
        f"{MAX_FILE_BYTES // 2**20} MB",
        "a decompression bomb, or a scan far larger than print needs: scale it down",
    )


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:80]


def _normal_mode(image: Image.Image) -> Image.Image:
    """The image in a mode the print path knows: L, LA, RGB, RGBA or CMYK."""
    mode = image.mode
    if mode not in MODES:
        raise Refused(f"images in colour mode {mode} are not supported", "save it as RGB")
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I"):  # 16-bit grey: keep the top eight bits
        return image.point(lambda v: v / 256).convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA" if "transparency" in image.info or mode == "PA" else "RGB")
    if mode == "YCbCr":
        return image.convert("RGB")
    return image


def embedded_profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The colour profile the file carries, if any (bounded, and checked to parse)."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    if len(data) > MAX_PROFILE_BYTES:
        raise Refused("the image's embedded colour profile is larger than 1 MB")
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError, ValueError):
        raise Refused(
            "the image's embedded colour profile cannot be read", "save it again as sRGB"
        ) from None


def checked_bytes(picture: Picture) -> bytes:
    """The file's bytes again, as they were checked; a file changed since is refused."""
    data = read_file(Path(picture.path))
    if hashlib.blake2b(data, digest_size=16).hexdigest() != picture.digest:
        raise fail(
            "image",
            picture.loc,
            f"images[{picture.id}].file",
            f"'{picture.shown}' changed during the build",
            "build again once the file is saved",
        )
    return data


def picture_error(picture: Picture, bad: Refused) -> BookletError:
    """A file that passed its check but fails when used: an error at its line."""
    return fail("image", picture.loc, f"images[{picture.id}].file", bad.message, bad.hint)


Pictures = Mapping[str, Picture]
