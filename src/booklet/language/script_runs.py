"""Turn markup into runs of the face that sets each script: own, Latin or fallback faces."""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from collections.abc import Callable

from ..read.layout import Layout
from .bidi import script_of
from .fonts import Face, face_name
from .text import markup
from .typography import typographic

# Hebrew to NKo and Samaritan, the Arabic presentation forms, and the right-to-left
# scripts of the supplementary planes: one search, in C, for every paragraph.
RTL_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff]")


def is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "AN", "NSM")


_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", flags=re.S)
_INLINE = re.compile(r"<(/?)([bi])>")
# (bold, italic, letters) → the face for a run inside <b>, <i>; `letters`: the run has letters
# (digits and brackets alone are never slanted in right-to-left text).
Emphasis = Callable[[bool, bool, bool], Face]
OWN, LATIN = "own", "latin"  # the faces of right-to-left text: the style's own, its fallback


def latin_runs(safe: str, own: Face, latin: Face, emphasised: Emphasis | None = None) -> str:
    """In right-to-left markup, wrap the runs `script_faces` gives the Latin face in it.

    A run may end inside a word ("Məmmədova،" is a Latin name, then an Arabic comma):
    language/bidi.py shapes each run of one font and one direction on its own. Inside <b> and <i>
    a run takes `emphasised(bold, italic)`, the Latin face's bold or italic.
    """
    tokens = _TOKEN.findall(safe)
    # A tag is no letter; an entity is the one it stands for.
    chars = [None if t.startswith("<") else html.unescape(t)[:1] for t in tokens]
    faces = script_faces(chars, own.cmap, latin.cmap)
    out: list[str] = []
    run: list[str] = []
    inline = [0, 0]
    for token, face in zip(tokens, faces, strict=True):
        if face == LATIN:
            run.append(token)
            continue
        _wrap(out, run, latin, emphasised, inline)
        _follow(token, inline)
        out.append(token)
    _wrap(out, run, latin, emphasised, inline)
    return "".join(out)


def _follow(token: str, inline: list[int]) -> None:
    """Count the <b> and <i> open around the tokens that follow (markup writes only those)."""
    tag = _INLINE.fullmatch(token)
    if tag:
        inline["bi".index(tag.group(2))] += -1 if tag.group(1) else 1


def _wrap(
    out: list[str], run: list[str], face: Face, emphasised: Emphasis | None, inline: list[int]
) -> None:
    """Close a run of the other face: that face, or its bold or italic inside <b> or <i>
    (a run of digits and brackets alone: as `emphasised` sets those)."""
    if not run:
        return
    letters = any(html.unescape(token)[:1].isalpha() for token in run)
    if emphasised is not None and (inline[0] > 0 or inline[1] > 0 or not letters):
        face = emphasised(inline[0] > 0, inline[1] > 0, letters)
    out.append(f'<font face="{face.name}">{"".join(run)}</font>')
    run.clear()


def script_faces(
    chars: list[str | None], own: frozenset[int], latin: frozenset[int]
) -> list[str | None]:
    """Which face sets each character of right-to-left text: OWN, LATIN, or None (spaces, tags).

    Right-to-left letters and Arabic digits: the style's own face; Latin letters and digits:
    the Latin face; punctuation goes with the nearest letter of its word (the colon after an
    Arabic word stays Arabic, the full stop of "Dr." is Latin, a lone "·" is Latin); each
    falls to the other face if its own lacks it. A mark stays with its letter, whatever the
    faces have: it is shaped onto it.
    """
    kinds = [_kind(c) for c in chars]
    faces: list[str | None] = []
    for i, (char, kind) in enumerate(zip(chars, kinds, strict=True)):
        if char is None or kind is None:
            faces.append(None)
        elif kind == "mark":
            faces.append(_letter_face(kinds, faces, i))
        else:
            strong = kind if kind != "neutral" else _nearest_strong(kinds, i)
            face = OWN if strong == "rtl" else LATIN
            other = LATIN if face == OWN else OWN
            cmaps = {OWN: own, LATIN: latin}
            if ord(char) not in cmaps[face] and ord(char) in cmaps[other]:
                face = other
            faces.append(face)
    return faces


def _kind(char: str | None) -> str | None:
    """rtl, ltr, neutral, mark; "tag" for markup; None for a space, which ends a word."""
    if char is None:
        return "tag"
    if char.isspace() and char != "\xa0":
        return None
    bidi = unicodedata.bidirectional(char)
    if bidi in ("NSM", "BN") or unicodedata.category(char) in ("Mn", "Me"):
        return "mark"
    if bidi in ("R", "AL", "AN"):
        return "rtl"
    return "ltr" if bidi in ("L", "EN") else "neutral"


def _letter_face(kinds: list[str | None], faces: list[str | None], i: int) -> str:
    """The face of the character a mark sits on: the one before it in its word."""
    for j in range(i - 1, -1, -1):
        if kinds[j] is None:
            break
        if faces[j] is not None:
            return faces[j]
    return OWN


def _nearest_strong(kinds: list[str | None], i: int) -> str:
    """The kind of the nearest letter or digit in the same word, looking back first."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(kinds) and kinds[j] is not None:
            if kinds[j] in ("rtl", "ltr"):
                return kinds[j]
            j += step
    return "ltr"


def unprintable(safe: str, own: frozenset[int], latin: frozenset[int]) -> list[str]:
    """The characters of right-to-left markup that would print as empty boxes when set as
    `latin_runs` sets them: each must be in the face that shapes its run (a mark is shaped
    with its letter, so a face lacking it prints a box even where the other face has it)."""
    tokens = _TOKEN.findall(safe)
    chars = [None if t.startswith("<") else html.unescape(t)[:1] for t in tokens]
    faces = script_faces(chars, own, latin)
    cmaps = {OWN: own, LATIN: latin}
    lacking = [c for c, f in zip(chars, faces, strict=True) if c and f and ord(c) not in cmaps[f]]
    return list(dict.fromkeys(lacking))


def boxes_in(text: str, layout: Layout, lang: str, faces: dict[str, Face]) -> dict[str, list[str]]:
    """Characters a right-to-left document would print as empty boxes though some font of the
    layout has them (see `unprintable`), each with the font files that would set them.

    Only a mark can: any other letter goes to whichever face has it. The text is read as
    it is set, after its quotes and its **strong** and *emphasis* markup."""
    if text.isascii() or not any(_kind(c) == "mark" for c in text):
        return {}
    safe = markup(typographic(text, lang))
    found: dict[str, list[str]] = {}
    for face, latin in _face_pairs(layout, lang, faces):
        for char in unprintable(safe, face.cmap, latin.cmap):
            names = found.setdefault(char, [])
            if face.path.name not in names:
                names.append(face.path.name)
    return found


def _face_pairs(layout: Layout, lang: str, faces: dict[str, Face]) -> list[tuple[Face, Face]]:
    """Each (own face, Latin face) pair the styles of a right-to-left document set text with."""
    swap = layout.scripts.get(script_of(lang), {})
    pairs: dict[tuple[str, str], tuple[Face, Face]] = {}
    for field in dataclasses.fields(layout.styles):
        spec = getattr(layout.styles, field.name)
        family = swap.get(spec.font, spec.font)
        face = faces.get(face_name(family, spec.bold, spec.italic))
        fallback = layout.fonts[family].fallback if family in layout.fonts else None
        latin = faces.get(face_name(fallback, spec.bold, spec.italic)) if fallback else None
        if face is not None and latin is not None:
            pairs.setdefault((face.name, latin.name), (face, latin))
    return list(pairs.values())


def fallback_runs(
    safe: str, cmap: frozenset[int], fallback: Face, emphasised: Emphasis | None = None
) -> str:
    """Wrap runs of letters outside `cmap` but inside the fallback face in <font face=...>
    (inside <b> and <i>: `emphasised(bold, italic)`, the fallback's bold or italic).

    `safe` is already paragraph markup: tags and entities pass through untouched.
    """
    if all(ord(c) in cmap for c in set(safe)):
        return safe  # the usual case: the primary face has every letter, nothing to wrap
    out: list[str] = []
    run: list[str] = []
    inline = [0, 0]
    for token in _TOKEN.findall(safe):
        foreign = len(token) == 1 and ord(token) not in cmap and ord(token) in fallback.cmap
        if foreign or (run and token == " "):
            run.append(token)
        else:
            _wrap(out, run, fallback, emphasised, inline)
            _follow(token, inline)
            out.append(token)
    _wrap(out, run, fallback, emphasised, inline)
    return "".join(out)
