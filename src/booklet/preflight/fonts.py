"""Turn a PDF's font resources into findings: every font embedded and subset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Name

from ..errors import Diagnostics, Location
from .content import (
    MAX_DEPTH,
    Page,
    inherited,
)

SUBSET = re.compile(r"^[A-Z]{6}\+")


FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

BASE14 = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
        ("Symbol", ("",)),
        ("ZapfDingbats", ("",)),
    )
    for style in styles
)


def check_fonts(
    pdf: pikepdf.Pdf, pages: list[Page], out: Diagnostics, shown: set | None = None
) -> None:
    """Every font reachable from a page: embedded, and subset; each reported once.

    `shown`: the fonts (object numbers) some text of the file is shown in, if the pages'
    content was walked: a font only declared (ReportLab's Helvetica on a page without
    text) prints nothing and needs no embedding."""
    reported: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()  # resources shared by pages are walked once per file
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        resources = inherited(pdf_page.obj, "/Resources")
        for path, font in _fonts(resources, page.path, 0, seen):
            key = font.objgen
            if key != (0, 0) and key in reported:
                continue
            reported.add(key)
            unused = shown is not None and key != (0, 0) and key not in shown
            _check_font(font, page.loc, path, out, unused)


def _fonts(resources: Any, path: str, depth: int, seen: set) -> Iterator[tuple[str, Any]]:
    """(field path, font) for the fonts of a resource dictionary, its forms, patterns, Type3s."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_DEPTH:
        return
    if resources.objgen != (0, 0):
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    for key, font in _items(resources.get("/Font")):
        yield f"{path}.Font[{key}]", font
        if font.get("/Subtype") == Name.Type3:
            yield from _fonts(font.get("/Resources"), f"{path}.Font[{key}]", depth + 1, seen)
    for category in ("/XObject", "/Pattern"):
        for key, obj in _items(resources.get(category)):
            sub = f"{path}.{category[1:]}[{key}]"
            yield from _fonts(obj.get("/Resources"), sub, depth + 1, seen)


def _items(group: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(group, pikepdf.Dictionary):
        for key, value in group.items():
            if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
                yield key.lstrip("/"), value


def _check_font(
    font: Any, loc: Location, path: str, out: Diagnostics, unused: bool = False
) -> None:
    if font.get("/Subtype") == Name.Type3:
        return  # drawn by its own glyph procedures: nothing to embed
    face = font
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            face = descendants[0]
    name = str(face.get("/BaseFont", font.get("/BaseFont", "/unnamed")))[1:]
    descriptor = face.get("/FontDescriptor")
    embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in FONT_FILES
    )
    if not embedded and unused:
        return  # declared but never shown: nothing of it prints
    if not embedded:
        base14 = SUBSET.sub("", name) in BASE14
        what = " (a base-14 font: the printer substitutes its own)" if base14 else ""
        hint = "embed every font; in ReportLab register a TTFont and set initialFontName to it"
        out.error("font-embedded", loc, path, f"font {name} is not embedded{what}", hint)
    elif not SUBSET.match(name):
        out.warn(
            "font-subset",
            loc,
            path,
            f"font {name} is embedded whole, not as a subset",
            "subset fonts (a name like ABCDEF+Font) so the file carries only the glyphs used",
        )
