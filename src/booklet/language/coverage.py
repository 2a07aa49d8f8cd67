"""Turn content and a layout's faces into the letters that would not print, before typesetting."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostics, Location
from ..read.layout import Layout
from ..read.model import Content, GuestList
from ..read.types import Text
from . import fonts
from .address import printed_texts
from .bidi import is_rtl, script_of
from .script_runs import boxes_in


@dataclass
class _Gap:
    """A letter that would not print in one file: where it is first, how often it occurs."""

    loc: Location
    path: str
    what: str
    times: int = 0
    strings: int = 0


def check_glyphs(
    content: Content,
    layout: Layout,
    lang: str,
    faces: dict[str, fonts.Face],
    diags: Diagnostics,
    guests: tuple = (),
) -> None:
    """Every letter of every content string must print in every style: in its face or fallback.

    A letter that does not is reported once per file, where it first occurs, with the number
    of times and strings it occurs in there (a Georgian file in Latin fonts: one error per
    letter, not one per letter per field)."""
    coverage = glyph_coverage(layout, lang, faces)
    # Letters every face prints: most strings hold nothing else and need no closer look.
    everywhere = {chr(code) for code in set.intersection(*coverage.values())} if coverage else set()
    gaps: dict[tuple[str, str], _Gap] = {}
    printed = [
        (text, f"guests[{guest.id}].{name}")
        for guest in guests
        for name, text in printed_texts(guest, lang)
    ]
    for text, path in [*_texts(content, ""), *printed]:
        for char, what in _lacking(text, coverage, everywhere, layout, lang, faces):
            gap = gaps.setdefault((text.loc.file, char), _Gap(text.loc, path, what))
            gap.times += text.count(char)
            gap.strings += 1
    for (_, char), gap in gaps.items():
        where = f"U+{ord(char):04X} {char!r} is not in {gap.what}"
        if gap.strings > 1 or gap.times > 1:
            where += (
                f" (in this file {_count(gap.times, 'time')} in {_count(gap.strings, 'string')})"
            )
        hint = "use another character or add a font that has it to the layout"
        diags.error("missing-glyph", gap.loc, gap.path, where, hint)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'s' if n != 1 else ''}"


def _lacking(text: Text, coverage: dict[str, set[int]], everywhere: set[str], *setting: Any):
    """Each letter of a text that would not print, with the fonts that lack it."""
    lacking: dict[str, list[str]] = {}
    rest = set(text).difference(everywhere)
    for name, cmap in coverage.items() if any(not c.isspace() for c in rest) else ():
        for char in dict.fromkeys(text):
            if ord(char) not in cmap and not char.isspace():
                lacking.setdefault(char, []).append(name)
    for char, names in lacking.items():
        yield char, "any font of the layout" if len(names) == len(coverage) else ", ".join(names)
    layout, lang, faces = setting
    # Right to left, a mark is shaped with its letter, in that letter's face only.
    gaps = boxes_in(text, layout, lang, faces) if is_rtl(lang) else {}
    for char, names in gaps.items():
        if char not in lacking:
            yield char, f"{', '.join(names)}, which set the letter it belongs to"


def glyph_coverage(layout: Layout, lang: str, faces: dict[str, fonts.Face]) -> dict[str, set[int]]:
    """For each face the document's styles use: the letters it or its fallback can print."""
    swap = layout.scripts.get(script_of(lang), {})
    coverage: dict[str, set[int]] = {}
    for fld in dataclasses.fields(layout.styles):
        spec = getattr(layout.styles, fld.name)
        family = swap.get(spec.font, spec.font)
        face = faces.get(fonts.face_name(family, spec.bold, spec.italic))
        if face is None:
            continue
        cmap = set(face.cmap)
        fallback = layout.fonts[family].fallback if family in layout.fonts else None
        if fallback:
            other = faces.get(fonts.face_name(fallback, spec.bold, spec.italic))
            cmap |= other.cmap if other else set()
        coverage[face.path.name] = cmap
    return coverage


def _texts(value: Any, path: str):
    if isinstance(value, Text):
        yield value, path
    elif dataclasses.is_dataclass(value):
        for fld in dataclasses.fields(value):
            yield from _texts(getattr(value, fld.name), f"{path}.{fld.name}".lstrip("."))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, (tuple, GuestList)):
        for n, item in enumerate(value):
            yield from _texts(item, f"{path}[{getattr(item, 'id', n)}]")
