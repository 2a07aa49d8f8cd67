"""Turn a PDF's pages into contact-sheet thumbnails, each rendered once for what it draws.

A rebuild after an edit mostly makes pages that draw exactly what they drew before: a page
is known by a digest of everything it draws with (its boxes, its content streams, and the
fonts, pictures and forms they use, followed to the last byte), and its thumbnail is
rendered again only when that digest is new. Rendering the sample booklet's pages was a
fifth of a warm rebuild, most of it the photo pages. The contact sheet's thumbnails are
also kept in the cache folder by that digest (marshal: the pixels, deflated), so a new
process renders only the pages that changed: 12 pages took ~75 ms of a cold build.
"""

from __future__ import annotations

import hashlib
import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

from ..read.cache import content_file, keep, read_cached

KEPT_PAGES = 64  # thumbnails kept in a process (~190 kB each): a few documents' worth
# What a page dictionary points at that is not what it draws: its place in the page tree,
# its structure and the pages its links lead to.
NOT_DRAWN = {"/Parent", "/StructParents", "/P", "/Dest", "/B", "/Metadata"}

_kept: dict[bytes, Image.Image] = {}


def thumbnails(
    pdf: bytes, count: int, render: Callable[[pdfium.PdfPage], Image.Image], kind: str = ""
) -> list:
    """The first `count` pages of `pdf`, each as `render` makes it (or made it before);
    with a `kind` (what names `render`'s way of drawing), kept across runs too."""
    try:  # a page drawn another way (another `kind`) is another thumbnail
        keys = [hashlib.sha256(f"{kind}|".encode() + k).digest() for k in page_keys(pdf, count)]
    except RecursionError:  # forms nested past Python's depth (a logo file's): no keeping
        keys, kind = [os.urandom(16) for _ in range(min(count, _pages(pdf)))], ""
    missing = [n for n, key in enumerate(keys) if key not in _kept and not _loaded(key, kind)]
    if missing:
        doc = pdfium.PdfDocument(pdf)
        try:
            for n in missing:
                _kept[keys[n]] = render(doc[n])
                _store(keys[n], kind, _kept[keys[n]])
        finally:
            doc.close()
    found = [_kept[key] for key in keys]
    for key in keys:  # the ones used last are kept longest
        _kept[key] = _kept.pop(key)
    while len(_kept) > KEPT_PAGES:
        del _kept[next(iter(_kept))]
    return found


def _stored(key: bytes, kind: str) -> Path | None:
    # pdfium's build: another version may draw a page otherwise
    return content_file("thumb", f"{kind}|{key.hex()}|{pdfium.version.PDFIUM_INFO}")


def _loaded(key: bytes, kind: str) -> bool:
    """Whether a thumbnail an earlier run rendered was put in `_kept`."""
    kept = read_cached(_stored(key, kind)) if kind else None
    if not (isinstance(kept, tuple) and len(kept) == 4):
        return False
    mode, width, height, data = kept
    try:
        _kept[key] = Image.frombytes(mode, (width, height), zlib.decompress(data))
    except (TypeError, ValueError, zlib.error):
        return False
    return True


def _store(key: bytes, kind: str, image: Image.Image) -> None:
    if kind:  # the pixels as drawn, deflated fast (a photo page's ~190 kB to ~60)
        keep(_stored(key, kind), (image.mode, image.width, image.height, _deflated(image)))


def _deflated(image: Image.Image) -> bytes:
    return zlib.compress(image.tobytes(), 1)


def _pages(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def page_keys(pdf: bytes, count: int) -> list[bytes]:
    """A digest of what each of the first `count` pages draws."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        seen: dict[tuple[int, int], bytes] = {}
        return [_digest(page.obj, seen, top=True) for page in list(doc.pages)[:count]]


def _digest(obj: object, seen: dict, top: bool = False) -> bytes:
    """The digest of an object and all it refers to (a page other than `top`: by number)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        key = obj.objgen
        if key not in seen:
            seen[key] = b"cycle"  # a loop back here hashes as a mark, not forever
            seen[key] = _content(obj, seen, top)
        return seen[key]
    return _content(obj, seen, top)


def _content(obj: object, seen: dict, top: bool) -> bytes:
    digest = hashlib.sha256()
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        if obj.get("/Type") == pikepdf.Name.Page and not top:
            return repr(obj.objgen).encode()  # another page: not drawn on this one
        if isinstance(obj, pikepdf.Stream):
            digest.update(b"stream" + obj.read_raw_bytes())
        names = obj.keys()  # noqa: SIM118 (a stream iterates as bytes, not names)
        for name in sorted(k for k in names if k not in NOT_DRAWN and k != "/Length"):
            digest.update(name.encode() + _digest(obj[name], seen))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            digest.update(b"[" + _digest(item, seen))
    else:
        digest.update(repr(obj).encode())
    return digest.digest()
