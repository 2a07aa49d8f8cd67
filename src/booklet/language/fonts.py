"""Turn the layout's font files into registered ReportLab fonts that know their letters."""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..errors import BookletError, Diagnostics, Location, fail
from ..read.cache import cache_file, keep, read_cached
from ..read.folders import shown_folder
from ..read.layout import Layout
from . import face_cache
from .font_checks import check_font, licence_warning

FACES = ("regular", "bold", "italic", "bold_italic")


def _stable_private(self: TTFont, name: str, gid: int, advance: float) -> int:
    """A private-use code for a shaped glyph with no Unicode (Arabic joining forms), from its id.

    ReportLab hands these codes out in the order glyphs are first met in the process,
    so a document's bytes would depend on what was built before it; the glyph id does not.
    """
    face = self.face
    uchar = 0xE000 + gid
    while face.charToGlyph.get(uchar, gid) != gid:
        uchar += 1
    if uchar not in face.charToGlyph:
        face.charToGlyph[uchar] = gid
        face.glyphToChar.setdefault(gid, []).append(uchar)
        face.charWidths[uchar] = advance
    return uchar


TTFont._TTFont__addPrivate = _stable_private  # type: ignore[attr-defined]
MAX_FONT_BYTES = 30_000_000


@dataclass(frozen=True)
class Face:
    """One registered font: its ReportLab name and the code points it has glyphs for."""

    name: str
    path: Path
    cmap: frozenset[int]


def face_name(family: str, bold: bool = False, italic: bool = False) -> str:
    """The ReportLab name of a family's face, e.g. "serif-bold-italic"."""
    return family + ("-bold" if bold else "") + ("-italic" if italic else "")


def register(
    layout: Layout, folders: Path | Sequence[Path], where: str, diags: Diagnostics
) -> dict[str, Face]:
    """Register every face of every family of the layout, keyed "serif", "serif-bold", ...

    `folders`: where font files are looked up, in order (the project's fonts/, then
    booklet's); the first that has a file wins. A face from any folder but the last is
    registered under a name of its own content, so that a project's file never stands in
    for booklet's file of the same name, nor booklet's for it."""
    folders = (folders,) if isinstance(folders, Path) else tuple(folders)
    registered: dict[str, Face] = {}
    for family, spec in layout.fonts.items():
        faces: dict[tuple[bool, bool], Face] = {}
        for face in FACES:
            field = f"fonts.{family}.{face.replace('_', '-')}"
            named = getattr(spec, face)
            loc = getattr(named, "loc", None)  # where the layout names the file
            loc = loc if loc is not None and loc.file else Location(where)
            found = _load(named, folders, loc, field, diags)
            if found is None:
                continue
            path, own = found
            key = ("bold" in face, "italic" in face)
            try:
                faces[key] = _register(path, loc, field, own, diags)
            except BookletError as exc:  # every face's problem is reported, not the first
                for problem in exc.diagnostics:
                    diags.add(problem)
                continue
            registered[face_name(family, *key)] = faces[key]
        if len(faces) == len(FACES):
            _map_family(faces)
    return registered


def _load(
    relative: str, folders: tuple[Path, ...], loc: Location, field: str, diags: Diagnostics
) -> tuple[Path, bool] | None:
    """The font file a layout names and whether it is the project's own: the first folder
    that has it, never a file outside the folder it was found in (a path with `..`, an
    absolute path or a link out is refused, not looked for in the next folder)."""
    for n, folder in enumerate(folders):
        try:
            path = (folder / relative).resolve()
            inside = path.is_relative_to(folder.resolve())
            size = path.stat().st_size if inside and path.is_file() else -1
        except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a long name
            reason = getattr(exc, "strerror", None) or "a loop of links"
            diags.error("font", loc, field, f"font file '{relative}' cannot be opened: {reason}")
            return None
        if not inside:
            diags.error("path", loc, field, f"font '{relative}' is outside the fonts folder")
            return None
        if size >= 0:
            if size > MAX_FONT_BYTES:
                diags.error("font", loc, field, f"font file '{relative}' is too large")
                return None
            return path, n < len(folders) - 1
    shown = " or ".join(f"{shown_folder(f)}/" for f in folders)
    diags.error("font", loc, field, f"font file '{relative}' not found in {shown}")
    return None


@dataclass(frozen=True)
class _Waiting:
    """A face whose letters are known but which is not parsed yet: where the layout names
    it, and a digest of the file its letters came from."""

    path: Path
    where: Location
    field: str
    digest: str


# ReportLab parses a waiting face when a document first sets a letter in it
# (`_parse_when_asked`).
_WAITING: dict[str, _Waiting] = {}
# The letters and the licence (OS/2 fsType) of each face, as first found.
_KNOWN: dict[str, tuple[frozenset[int], int]] = {}
CHECKS = "checked-2"  # cached letters are of a file that passed these checks


def _register(
    path: Path,
    where: Location,
    field: str = "",
    own: bool = False,
    diags: Diagnostics | None = None,
) -> Face:
    # Fonts are parsed once per process, named after their file, and shared by every
    # document; a face no document sets is never parsed (12 faces hold ~18 MB parsed).
    # A project's own face is named after its content too, read at every build: one
    # changed while `booklet watch` runs is registered anew.
    name, data = path.stem, None
    if own:
        data = _content(path, where, field)
        name = f"{path.stem}~{hashlib.blake2b(data, digest_size=6).hexdigest()}"
    if name not in _KNOWN:
        data = data if data is not None else _content(path, where, field)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        # Kept by the file's content: only a file that was checked and parsed before is
        # left unparsed.
        stored = cache_file("letters", path, f"{reportlab.Version}|{CHECKS}|{digest}")
        found = read_cached(stored)
        if _letters_and_licence(found):
            _WAITING[name] = _Waiting(path, where, field, digest)
        else:
            fs_type = check_font(data, shown_font(path), where, field)
            face = _parse(name, path, data, digest, where, field).face
            found = (frozenset(face.charToGlyph), fs_type)
            keep(stored, found)
        _KNOWN[name] = found
    letters, fs_type = _KNOWN[name]
    warning = licence_warning(fs_type)
    if warning and diags is not None:
        hint = "check that the licence allows the use you make of the PDF files"
        diags.warn("font-licence", where, field, f"font '{shown_font(path)}' {warning}", hint)
    return Face(name, path, letters)


def _letters_and_licence(found: object) -> bool:
    """Whether a cache file holds what `_register` keeps: (frozenset of ints, int)."""
    if type(found) is not tuple or len(found) != 2:
        return False
    letters, fs_type = found
    return (
        type(letters) is frozenset and type(fs_type) is int and all(type(c) is int for c in letters)
    )


def shown_font(path: Path) -> str:
    """A font file as messages name it: its folder and name (noto/NotoSans-Regular.ttf)."""
    return f"{path.parent.name}/{path.name}"


def _content(path: Path, where: Location, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        message = f"cannot read font '{shown_font(path)}': {exc.strerror}"
        raise fail("font", where, field, message) from None


def _parse(
    name: str, path: Path, data: bytes, digest: str, where: Location, field: str = ""
) -> TTFont:
    """Parse and register a face from the bytes its letters were read from (or put back
    what parsing them made last time, `face_cache`); a file ReportLab cannot read is a
    located error."""
    font = face_cache.load(name, path, data, digest)
    if font is None:
        source = io.BytesIO(data)
        source.name = str(path)  # ReportLab names the embedded font program after it
        try:
            font = TTFont(name, source)
        except (
            TTFError,
            OSError,
            ValueError,
            KeyError,
            IndexError,
            AssertionError,
            struct.error,
        ) as exc:
            message = f"cannot read font '{shown_font(path)}': {exc}"
            raise fail("font", where, field, message) from None
        face_cache.store(font, path, digest)
    pdfmetrics.registerFont(font)
    _remap_families()
    return font


def _parse_when_asked(name: str) -> Any:
    # ReportLab's getFont calls this for a name it has not registered.
    waiting = _WAITING.get(name)
    if waiting is None:
        return _find_font(name)
    try:
        data = _content(waiting.path, waiting.where, waiting.field)
        if hashlib.blake2b(data, digest_size=16).hexdigest() != waiting.digest:
            # Its letters were checked in another file: draw none from this one.
            shown = shown_font(waiting.path)
            hint = "build again"
            raise fail(
                "font",
                waiting.where,
                waiting.field,
                f"font '{shown}' changed during the build",
                hint,
            )
        font = _parse(name, waiting.path, data, waiting.digest, waiting.where, waiting.field)
    except BookletError:
        _WAITING.pop(name, None)
        _KNOWN.pop(name, None)  # forgotten: the next build reads the file again
        raise
    _WAITING.pop(name, None)
    return font


_find_font = pdfmetrics.findFontAndRegister
pdfmetrics.findFontAndRegister = _parse_when_asked


_FAMILIES: dict[tuple[str, int, int], str] = {}  # (family, bold, italic) → face, as mapped


def _map_family(faces: dict[tuple[bool, bool], Face]) -> None:
    # Lets <b> and <i> in a paragraph set in the regular face pick the family's other faces.
    family = faces[(False, False)].name
    for (bold, italic), face in faces.items():
        _FAMILIES[(family, int(bold), int(italic))] = face.name
        addMapping(family, int(bold), int(italic), face.name)


def _remap_families() -> None:
    # ReportLab's registerFont maps a face's bold and italic to the face itself: a face
    # parsed after its family was mapped would lose the family's bold and italic.
    for (family, bold, italic), face in _FAMILIES.items():
        addMapping(family, bold, italic, face)
