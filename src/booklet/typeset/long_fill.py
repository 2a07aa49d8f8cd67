"""Turn a long document's plain setting into the air that fills its pages, in a few tries.

A short booklet is set again with more air, step by step, until its notes pages are gone
(`document_pdf._filled`). A document set in parts (hundreds of pages) cannot afford a
dozen settings of the whole, and 2.5 % more leading moves its end by pages, not lines.
So its pages are counted once as set plainly; if that leaves notes pages or a nearly
empty page, the share of text to add (or take away) is worked out from the last page's
fill and tried directly, at most `LONG_TRIES` more settings (typeset only: no print
file, no preflight); the best is the air the document is then built with.
"""

from __future__ import annotations

from ..compose import document as d
from ..errors import Diagnostics
from ..language.fonts import Face
from .document_pdf import Typeset, _cost, _empty_page, typeset_parts

LONG_TRIES = 4  # settings of the whole after the first, at most
PER_TARGET = 2  # of them aimed at one page count
FULL = 0.7  # the last page of text the more air aims at: this full (of a page)


def long_air(document: d.Document, faces: dict[str, Face], pages: int) -> float:
    """The air a document set in parts of `pages` pages is built with: 0 unless a
    little more (or less) removes notes pages or nearly empty pages, costing no page
    title the top of its page. Each try aims the text's length at a page to end on:
    filling every notes page, then one fewer, then back to the multiple of four below,
    from how far the tries before moved the text."""
    found, said = counted(document, faces, 0.0, pages)
    if said.errors or not (found.padding or _empty_page(said)):
        return 0.0
    best, left = (_cost(found, said), 0.0), LONG_TRIES
    tried = [(0.0, _length(found))]
    for target, most in _targets(document, found):
        for _ in range(PER_TARGET):
            air = round(_next(tried, target), 4)
            if not left or best[0] == (0, 0) or not 0 < abs(air) <= most:
                break
            if any(abs(air - a) < 1e-4 for a, _ in tried):
                break  # aimed where a try already was
            left -= 1
            aired, told = counted(document, faces, air, pages)
            tried.append((air, _length(aired)))
            if not told.errors and aired.openings >= found.openings:
                best = min(best, (_cost(aired, told), air), key=lambda b: b[0])
    return best[1]


def counted(
    document: d.Document, faces: dict[str, Face], air: float, pages: int
) -> tuple[Typeset, Diagnostics]:
    """The document typeset in parts with `air`: its pages' kinds and fills, the page
    titles that open a page, and what the setting found (the PDFs are not kept)."""
    said, whole = Diagnostics(), Typeset(b"")
    for part in typeset_parts(document, faces, said, pages, air):
        whole.page_kinds += part.page_kinds
        whole.fills += part.fills
        whole.openings += part.openings
    return whole, said


def _body(found: Typeset) -> list[float]:
    pairs = zip(found.page_kinds, found.fills, strict=False)
    return [fill for kind, fill in pairs if kind.startswith(("body", "plain"))]


def _length(found: Typeset) -> float:
    """How long the text runs, in pages: the full pages and the last one's fill."""
    body = _body(found)
    return len(body) - 1 + body[-1] if body else 0.0


def _targets(document: d.Document, found: Typeset) -> list[tuple[float, float]]:
    """(length to aim at, the most air or tightening allowed), the likelier first: on to
    fill every notes page, or all but one ..., or back to empty the last page (and those
    after it up to a multiple of four); a booklet tries more air first, a sheet less."""
    typo, pages = document.layout.typography, len(_body(found))
    more = [(pages + k - 1 + FULL, typo.air) for k in range(found.padding, 0, -1)]
    lose = (4 - found.padding) if found.padding else 1
    less = [(pages - lose - 1 + 0.9, typo.tighten)] if pages > lose else []
    return more + less if document.layout.kind == "booklet" else less + more


def _next(tried: list[tuple[float, float]], target: float) -> float:
    """The air at which the text's length should reach `target`: on the line through the
    plain setting and the try that came nearest the target (proportional at first)."""
    (a0, l0), *others = tried
    near = [(a, length) for a, length in others if abs(length - l0) > 1e-6]
    if not near:
        return target / l0 - 1 if l0 else 0.0
    a1, l1 = min(near, key=lambda t: abs(t[1] - target))
    return a0 + (target - l0) * (a1 - a0) / (l1 - l0)
