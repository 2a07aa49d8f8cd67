"""Turn the picture slots of a typeset PDF into pictures: press CMYK for print, sRGB for screens.

Each slot (`typeset/pictures.py`) names a checked file and the part of it its frame shows.
A raster picture is decoded again (the file must be the one checked), cropped, scaled down
to `PRINT_PPI` at its placed size (`SCREEN_PPI` for screens), flattened on paper white,
and converted: for print through the output intent's profile (photos with the layout's
intent, logos, maps and portraits relative colorimetric with black-point compensation;
grey stays one channel, or goes to a neutral four-colour grey), for screens to sRGB. Only
the pixels are written: EXIF, GPS and every other metadata of the file stay behind. Photos
are JPEG (CMYK JPEGs as Adobe writes them, inverted, with the Decode array that says so),
logos and maps lossless. A one-page PDF logo becomes a form XObject. The screen file's
pictures carry their alt text in a marked-content property list, ready for tagging.
"""

from __future__ import annotations

import functools
import io
import json
import zlib
from typing import Any

import pikepdf
from pikepdf import Name
from PIL import Image

from ..errors import Location
from ..read.cache import content_file, keep, read_cached
from ..read.layout import Pictures
from ..read.pictures import Picture, checked_bytes, decode, embedded_profile, picture_error
from ..read.vectors import Refused
from ..typeset.colour import (
    PERCEPTUAL,
    RELATIVE,
    converter_version,
    srgb_bytes,
    to_press,
    to_screen,
)
from ..typeset.pictures import SLOT_PREFIX, SLOT_RECORD

PRINT_PPI = 450  # above this at the placed size, pixels only cost bytes
SCREEN_PPI = 200
PHOTO_ROLES = ("photo",)  # the roles whose pixels go as JPEG, with the layout's intent
JPEG_QUALITY = 90
PICTURES_KEPT = 1  # what `_made` makes: a new number when it makes other bytes
INVERTED = [1, 0, 1, 0, 1, 0, 1, 0]  # Adobe CMYK JPEGs store their inks inverted


def fill_slots(pdf: pikepdf.Pdf, screen: bool, options: Pictures | None = None) -> int:
    """Put each slot's picture in it; the number of slots filled."""
    options = options or Pictures()
    done: set[tuple[int, int]] = set()
    shared: dict[str, Any] = {}
    for page in pdf.pages:
        _walk(pdf, page.obj.get("/Resources"), screen, options, done, shared, 0)
    return len(done)


def _walk(pdf, resources, screen: bool, options: Pictures, done: set, shared: dict, depth: int):
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary) or depth > 8:
        return
    for name, form in xobjects.items():
        if form.get("/Subtype") != Name.Form or form.objgen in done:
            continue
        if str(name).startswith(f"/FormXob.{SLOT_PREFIX}"):
            done.add(form.objgen)
            _fill(pdf, form, screen, options, shared)
        else:
            _walk(pdf, form.get("/Resources"), screen, options, done, shared, depth + 1)


def slot_record(form: pikepdf.Stream) -> dict[str, Any] | None:
    """What a slot holds, from its one line."""
    for line in form.read_bytes().decode("latin-1").splitlines():
        if line.startswith(SLOT_RECORD):
            return json.loads(line[len(SLOT_RECORD) :])
    return None


def _fill(pdf, form, screen: bool, options: Pictures, shared: dict) -> None:
    record = slot_record(form)
    if record is None:
        return
    if record["kind"] == "pdf":
        body, resources = _pdf_logo(pdf, record)
    else:
        body, resources = _raster(pdf, record, screen, options, shared)
    if screen and record.get("alt"):
        props = pikepdf.Dictionary(Alt=pikepdf.String(record["alt"]))
        if record.get("lang"):
            props.Lang = pikepdf.String(record["lang"])
        resources.Properties = pikepdf.Dictionary(BookletAlt=props)
        body = b"/Figure /BookletAlt BDC\n" + body + b"\nEMC"
    form.write(body)
    form.Resources = resources


def _picture(record: dict[str, Any]) -> Picture:
    file, line, column = record["loc"]
    width, height = record["box"]
    return Picture(
        record["id"],
        record["path"],
        record["shown"],
        record["digest"],
        record["kind"],
        width,
        height,
        Location(file, line, column),
    )


def _raster(pdf, record, screen: bool, options: Pictures, shared: dict):
    key = (
        record["path"],
        record["digest"],
        tuple(record["crop"]),
        tuple(record["size"]),
        record["role"],
        screen,
        # the screen file's image takes neither (`_converted`): one key for any layout's
        "" if screen else options.intent,
        "" if screen else options.grey,
    )
    data, fields = _prepared(key, _picture(record))
    image = pikepdf.Stream(pdf, data)
    image.Type, image.Subtype = Name.XObject, Name.Image
    for name, value in fields.items():
        image[name] = _pdf_value(pdf, name, value, shared)
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(BookletImage=image))
    return b"q 1 0 0 1 0 0 cm /BookletImage Do Q", resources


def _pdf_value(pdf, name: str, value: Any, shared: dict) -> Any:
    if name == "/ColorSpace" and value == "sRGB":
        if "srgb" not in shared:
            profile = pdf.make_stream(srgb_bytes(), N=3, Alternate=Name.DeviceRGB)
            shared["srgb"] = pikepdf.Array([Name.ICCBased, profile])
        return shared["srgb"]
    if isinstance(value, str):
        return Name(value)
    if isinstance(value, list):
        return pikepdf.Array(value)
    return value


@functools.lru_cache(maxsize=64)
def _prepared(key: tuple, picture: Picture) -> tuple[bytes, dict[str, Any]]:
    """A slot's image: its bytes and its dictionary's entries, made once a process and
    kept in the user's cache folder for the next (decoding, colour conversion, resizing
    and encoding were ~1.1 s of a cold build of the sample booklet). The image the other
    file needs is made from the same decode (`_made`): the screen file, made after the
    print file, decoded each photo again."""
    stored = _stored(key)
    found = read_cached(stored)
    made = _made_also.pop(key, None)  # made beside the other file's image, or not needed
    if _well_formed(found):
        return found[0], dict(found[1])
    made = made or _made(key, picture)
    keep(stored, (made[0], tuple(made[1].items())))
    return made


# The other file's image of a slot made with the one asked for (the print file's with the
# screen file's, or the other way), from the same decoded pixels: taken when it is asked.
_made_also: dict[tuple, tuple[bytes, dict[str, Any]]] = {}


def _kept_already(key: tuple) -> bool:
    """Whether the cache folder holds a prepared image (a folder that cannot be looked
    into holds none)."""
    stored = _stored(key)
    try:
        return stored is not None and stored.is_file()
    except OSError:
        return False


def forget_decoded() -> None:
    """Let go of the images made for the other file and not asked for yet (a build that
    ended early); what was asked for stays in `_prepared` and the cache folder."""
    _made_also.clear()


def _stored(key: tuple):
    """Where a prepared picture is kept: by everything the result depends on — the file's
    digest (not its path: the same photo in a copied event folder is not made again), the
    slot, and Pillow's and LittleCMS's versions."""
    version = f"{PICTURES_KEPT}|{converter_version()}|{JPEG_QUALITY}|{key[1:]!r}"
    return content_file("picture", version)


def _well_formed(found: object) -> bool:
    """Whether a cache file holds what `_prepared` keeps: (bytes, ((name, value), ...))."""
    if type(found) is not tuple or len(found) != 2 or type(found[0]) is not bytes:
        return False
    fields = found[1]
    return type(fields) is tuple and all(
        type(f) is tuple and len(f) == 2 and type(f[0]) is str for f in fields
    )


def _made(key: tuple, picture: Picture) -> tuple[bytes, dict[str, Any]]:
    """The slot's image for the file `key` asks for, and the other file's from the same
    decoded pixels (kept in `_made_also` unless the cache folder holds it already).

    The whole decoded picture (a 12-megapixel photo: 36 MB) is let go once both parts
    are cut from it, before their colours are converted: a cold build held four decoded
    pictures beside the conversions, ~100 MB more at its peak."""
    path, digest, crop, size, role, screen, intent, grey = key
    # The screen file is made after the print file: a print image makes its screen one.
    other = (path, digest, crop, size, role, True, "", "")
    also = not screen and other not in _made_also and not _kept_already(other)
    image, own = _decoded(picture)
    ppi = {True: SCREEN_PPI, False: PRINT_PPI}
    parts = {
        s: _cropped(image, crop, size, ppi[s])
        for s in ((screen, not screen) if also else (screen,))
    }
    del image  # only the parts from here on
    made = {}
    for on_screen in list(parts):
        part = _flattened(parts.pop(on_screen))
        made[on_screen] = _converted(part, own, role, on_screen, intent, grey)
    if also:
        _made_also[other] = made[not screen]
    return made[screen]


def _converted(image: Image.Image, own, role: str, screen: bool, intent: str, grey: str):
    photo = role in PHOTO_ROLES or role == "portrait"
    if image.mode == "L" and (screen or grey == "black"):
        pass  # grey stays one channel: DeviceGray, the black plate alone in print
    elif screen:
        image = to_screen(image, own)
    else:
        chosen = PERCEPTUAL if role in PHOTO_ROLES and intent == "perceptual" else RELATIVE
        image = to_press(image.convert("RGB") if image.mode == "L" else image, chosen, own)
    return _encoded(image, photo, screen)


def _decoded(picture: Picture) -> tuple[Image.Image, Any]:
    try:
        image = decode(checked_bytes(picture))
        return image, embedded_profile(image)
    except Refused as bad:
        raise picture_error(picture, bad) from None


def _cropped(image: Image.Image, crop, size, ppi: int) -> Image.Image:
    """The part the frame shows, scaled down to `ppi` at its placed size (never up)."""
    left, top, right, bottom = crop
    box = (
        round(left * image.width),
        round(top * image.height),
        max(round(right * image.width), round(left * image.width) + 1),
        max(round(bottom * image.height), round(top * image.height) + 1),
    )
    part = image.crop(box) if box != (0, 0, image.width, image.height) else image
    most = (max(1, round(size[0] / 72 * ppi)), max(1, round(size[1] / 72 * ppi)))
    if part.width > most[0] and part.height > most[1]:
        part = part.resize(most, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return part


def _flattened(image: Image.Image) -> Image.Image:
    """Transparency laid on paper white: a print file has no use for an alpha channel."""
    if image.mode not in ("LA", "RGBA"):
        return image
    base = Image.new(image.mode[:-1], image.size, 255 if image.mode == "LA" else (255,) * 3)
    base.paste(image, mask=image.getchannel("A"))
    return base


def _encoded(image: Image.Image, photo: bool, screen: bool) -> tuple[bytes, dict[str, Any]]:
    mode = image.mode
    space = {"L": "/DeviceGray", "CMYK": "/DeviceCMYK"}.get(mode, "sRGB")
    fields: dict[str, Any] = {
        "/Width": image.width,
        "/Height": image.height,
        "/BitsPerComponent": 8,
        "/ColorSpace": space,
    }
    if photo:
        out = io.BytesIO()
        image.save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0 if not screen else 2
        )
        fields["/Filter"] = "/DCTDecode"
        if mode == "CMYK":
            fields["/Decode"] = INVERTED
        return out.getvalue(), fields
    fields["/Filter"] = "/FlateDecode"
    return zlib.compress(image.tobytes(), 9), fields


def _pdf_logo(pdf, record):
    """A one-page PDF logo as a form XObject, its trim box mapped on the slot's unit square."""
    picture = _picture(record)
    try:
        data = checked_bytes(picture)
        source = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        raise picture_error(picture, Refused("the PDF cannot be read")) from None
    page = source.pages[0]
    x0, y0, x1, y1 = (float(v) for v in page.trimbox)
    logo = pdf.copy_foreign(page.as_form_xobject())
    w, h = x1 - x0, y1 - y0
    matrix = f"{1 / w:.8f} 0 0 {1 / h:.8f} {-x0 / w:.8f} {-y0 / h:.8f} cm"
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(BookletLogo=logo))
    return f"q {matrix} /BookletLogo Do Q".encode(), resources
