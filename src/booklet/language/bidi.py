"""Turn logical-order text into visual order: whole lines of shaped right-to-left paragraphs.

ReportLab (5.1) sets a shaped right-to-left paragraph without the Unicode bidi
algorithm: it shapes each word with HarfBuzz, breaks lines, then only reverses
the style fragments of each line. Words sharing a fragment stayed in typed
order (every Arabic sentence read backwards), a Latin name split over several
fragments was reversed word by word, the space at a font switch went to the
line's end, and a word of two fonts was shaped with the first one (boxes).
`install` replaces that with the algorithm of UAX #9: levels are resolved on
the whole paragraph, every run of one fragment and one level is shaped in the
direction of its level, lines are broken by ReportLab as before, and each line
is drawn in visual order (rule L2) with its spaces where they belong.

`log2vis` is the `rlbidi` hook ReportLab's unshaped path imports (a module of
that name is not on the registries, so booklet registers this one under it).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .shaping import Features, ligature_splits, shape

if TYPE_CHECKING:
    from collections.abc import Callable

# ReportLab is imported where it is used: `import booklet` (and `booklet --version`)
# registers this module as `rlbidi` without paying for ReportLab's import.

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "ckb", "ug"})
ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ckb", "ug"})
OBJECT = "\ufffc"  # stands for an inline image or anchor in the paragraph's text (class ON)
BREAK = "\u2028"  # stands for a <br/> (class WS)


def is_rtl(lang: str) -> bool:
    """Whether a language is written right to left."""
    return lang.split("-")[0] in RTL_LANGUAGES


# Languages written in a script that needs fonts of its own (the layout's `scripts:`).
OWN_SCRIPT = {"he": "hebrew", "yi": "hebrew", "ka": "georgian", "hy": "armenian"}


def script_of(lang: str) -> str:
    """The script a language needs fonts for, where it is not Latin, Cyrillic or Greek."""
    base = lang.split("-")[0]
    return "arabic" if base in ARABIC_SCRIPT else OWN_SCRIPT.get(base, "")


# --- the algorithm, on plain text ---------------------------------------------------------


# python-bidi's algorithm predates the isolates (Unicode 6.3) and fails on them: each is read
# as the embedding that comes closest (LRI and FSI → LRE, RLI → RLE, PDI → PDF).
_AS_EMBEDDINGS = str.maketrans({0x2066: 0x202A, 0x2067: 0x202B, 0x2068: 0x202A, 0x2069: 0x202C})


def _resolved(text: str, base_level: int | None) -> dict:
    """python-bidi's storage after rules X1–I2; each char keeps its index in `text`."""
    from bidi import algorithm as uba

    text = text.translate(_AS_EMBEDDINGS)
    storage = uba.get_empty_storage()
    level = uba.get_base_level(text) if base_level is None else base_level
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level % 2]
    uba.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return storage


def embedding_levels(text: str, base_level: int) -> list[int]:
    """The resolved bidi level of every character of a paragraph (UAX #9, X1–I2)."""
    storage = _resolved(text, base_level)
    levels: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    # Characters rule X9 removes (joiners, embedding marks) go with what precedes them.
    out, last = [], base_level
    for level in levels:
        last = last if level is None else level
        out.append(last)
    return out


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of a line's items from left to right, given their levels (UAX #9, L2)."""
    order = list(range(len(levels)))
    if not order:
        return order
    for level in range(max(levels), (min(levels) | 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def log2vis(
    text: str,
    base_direction: str | None = None,
    clean: bool = True,
    positions_V_to_L: list[int] | None = None,
    **_: object,
) -> str:
    """The visual order of `text`; `positions_V_to_L` gets each visual char's logical index."""
    from bidi import algorithm as uba

    level = {"RTL": 1, "LTR": 0}.get((base_direction or "").upper())
    storage = _resolved(text, level)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)


# --- ReportLab's words and lines --------------------------------------------------------------
# A ReportLab "fragword" is [width, (frag, text), ...]: one word, split where the style changes;
# its class says whether a space follows (_HSFrag). The lines keep the index (sFW) of their
# first word in Paragraph.frags.


def _pieces(word: list) -> list[tuple[Any, str]]:
    return word[1:]


def _is_break(word: list) -> bool:
    from reportlab.platypus.paragraph import _FK_BREAK

    return any(getattr(f, "_fkind", None) == _FK_BREAK for f, _ in _pieces(word))


def _spaced(word: list) -> bool:
    from reportlab.platypus.paragraph import _HSFrag

    return isinstance(word, _HSFrag)


def _logical_text(words: Sequence[list]) -> tuple[str, list[list[int]], list[int]]:
    """The paragraph as typed; where each piece of each word starts; where each space is."""
    parts: list[str] = []
    starts: list[list[int]] = []
    spaces: list[int] = []
    at = 0
    for word in words:
        starts.append([])
        for f, text in _pieces(word):
            starts[-1].append(at)
            stand_in = text or (
                BREAK if _is_break(word) else OBJECT if hasattr(f, "cbDefn") else ""
            )
            parts.append(stand_in)
            at += len(stand_in)
        spaces.append(at if _spaced(word) else -1)
        if _spaced(word):
            parts.append(" ")
            at += 1
    return "".join(parts), starts, spaces


def shape_words(
    words: Sequence[list],
    base_level: int,
    features: Features | None = None,
    notes: Callable[[str, str], None] | None = None,
) -> list[list]:
    """Shape a paragraph's words run by run, each run of one fragment and one bidi level in
    its level's direction, with the paragraph around it as context (a bold letter inside a
    word joins to its neighbours); every word remembers the level of each piece and of its
    space. A style change inside a ligature is dropped: `notes(code, message)` hears of it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import makeShapedFragWord

    text, starts, spaces = _logical_text(words)
    levels = embedding_levels(text, base_level)
    shaped = []
    for word, word_starts, space in zip(words, starts, spaces, strict=True):
        pieces, piece_levels = [], []
        width = word[0] - sum(
            pdfmetrics.stringWidth(s, f.fontName, f.fontSize)
            for f, s in _pieces(word)
            if s and not hasattr(f, "cbDefn")
        )
        for (f, s), at in _one_style_ligatures(word, word_starts, text, levels, features, notes):
            if not s or hasattr(f, "cbDefn"):
                pieces.append((f, s))
                piece_levels.append(levels[at] if at < len(levels) else base_level)
                continue
            for a, b in _runs(levels[at : at + len(s)]):
                rtl, span = levels[at + a] % 2 == 1, (at + a, at + b)
                glyphs, advance = shape(text, f.fontName, f.fontSize, rtl, features, span)
                pieces.append((f, glyphs))
                piece_levels.append(levels[at + a])
                width += advance
        new = makeShapedFragWord(word)([width, *pieces])
        new.levels = piece_levels
        new.space_level = levels[space] if space >= 0 else base_level
        new.logical = text[word_starts[0] : space] if word_starts and space >= 0 else ""
        if word_starts and space < 0:
            ends = [at + len(s) for (_, s), at in zip(_pieces(word), word_starts, strict=True)]
            new.logical = text[word_starts[0] : max(ends)]
        shaped.append(new)
    return shaped


def _one_style_ligatures(word, starts, text, levels, features, notes) -> list[tuple[tuple, int]]:
    """The word's pieces with where each starts; a piece whose style starts inside a
    ligature (lam and a bold alef) joins the piece before it, in that piece's style."""
    pieces = list(zip(_pieces(word), starts, strict=True))
    texts = [(f, s, at) for (f, s), at in pieces if s and not hasattr(f, "cbDefn")]
    if len(texts) < 2 or not any(levels[at] % 2 for _, _, at in texts):
        return pieces
    first, last = texts[0][2], texts[-1][2] + len(texts[-1][1])
    f = next(f for f, _, at in texts if levels[at] % 2)  # the right-to-left run's face
    whole = text[first:last]
    # Only a change of style inside a right-to-left run can split a ligature: where the
    # script changes too (a Latin name, an Arabic comma), the two sides are shaped apart.
    inner = [
        at - first for _, _, at in texts[1:] if levels[at - 1] == levels[at] and levels[at] % 2
    ]
    splits = ligature_splits(whole, inner, f.fontName, f.fontSize, True, features)
    if not splits:
        return pieces
    if notes is not None:
        notes(
            "style-in-ligature",
            f"“{whole}”: a style change falls inside a ligature; the word is set in one style",
        )
    merged: list[tuple[tuple, int]] = []
    for (f, s), at in pieces:
        if merged and at - first in splits and s:
            (pf, ps), pat = merged[-1]
            merged[-1] = ((pf, ps + s), pat)
        else:
            merged.append(((f, s), at))
    return merged


def _runs(levels: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of each stretch of equal levels."""
    runs, start = [], 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            runs.append((start, i))
            start = i
    return runs


def visual_line(words: Sequence[list], base_level: int) -> list:
    """A line's words as ReportLab fragments from left to right, spaces between them.

    The space after a word takes the font of the word's last piece, as ReportLab measured it.
    """
    units: list[tuple[int, Any, str]] = []
    space: tuple[int, Any, str] | None = None
    for word in words:
        if _is_break(word):
            continue
        if space is not None:
            units.append(space)
        pieces = _pieces(word)
        levels = getattr(word, "levels", None)
        if levels is None or len(levels) != len(pieces):
            levels = [_level_of(s, base_level) for _, s in pieces]
        units += [(level, f, s) for level, (f, s) in zip(levels, pieces, strict=True)]
        text = [f for f, _ in pieces if not hasattr(f, "cbDefn")]
        space = None
        if _spaced(word) and text:
            space = (getattr(word, "space_level", base_level), text[-1], " ")
    if not units:  # a blank line: its break still gives it its height
        breaks = [f for word in words for f, _ in _pieces(word)]
        return [breaks[0].clone(text="")] if breaks else []
    frags: list = []
    sources: list = []
    for index in visual_order([level for level, _, _ in units]):
        _, f, s = units[index]
        if sources and sources[-1] is f and not hasattr(f, "cbDefn"):
            frags[-1].text = frags[-1].text + s  # one run of text per fragment: fewer operators
        else:
            frags.append(f.clone(text=s))
            sources.append(f)
    return frags


def _level_of(glyphs: str, base_level: int) -> int:
    """A guess for pieces ReportLab made itself (a long word split): Arabic glyphs or not."""
    rtl = any(
        unicodedata.bidirectional(c) in ("R", "AL") or 0xE000 <= ord(c) <= 0xF8FF for c in glyphs
    )
    odd = base_level % 2 == 1
    return base_level if rtl == odd else base_level + 1


def _shaped_rtl(paragraph: Any) -> bool:
    return _bidi_level(paragraph) == 1


def _bidi_level(paragraph: Any) -> int | None:
    """The base level this module lays a paragraph out at: 1 for a shaped right-to-left
    style, 0 for a left-to-right one marked `bidiLevel = 0` (it quotes Arabic); None:
    ReportLab's own layout."""
    from reportlab.pdfbase import pdfmetrics

    style = paragraph.style
    if not style.shaping or not pdfmetrics.getFont(style.fontName).shapable:
        return None
    if style.wordWrap == "RTL":
        return 1
    return 0 if getattr(style, "bidiLevel", None) == 0 else None


def install() -> None:
    """Give ReportLab's Paragraph the bidi line layout above: for shaped right-to-left
    styles, and for left-to-right ones that quote right-to-left text (`bidiLevel = 0`).

    Called once ReportLab's paragraph module may be imported: it looks for `rlbidi` (this
    module) when first imported, so this module must not import it at its own import.
    """
    from reportlab.platypus import paragraph as rl

    if getattr(rl.Paragraph, "_booklet_bidi", False):
        return
    break_lines, draw_para = rl.Paragraph.breakLines, rl.Paragraph.drawPara

    def bidi_break_lines(self, width):
        level = _bidi_level(self)
        if level is not None and self.frags and not rl._processed_frags(self.frags):
            first = width[0] if isinstance(width, list | tuple) else width
            features = getattr(self.style, "features", None)
            notes = self.__dict__.setdefault("shaping_notes", {})
            words = rl._getFragWords(self.frags, first)
            self.frags = shape_words(words, level, features, lambda c, m: notes.setdefault(m, c))
        return break_lines(self, width)

    def bidi_draw_para(self, debug=0):
        blpara, words = self.blPara, self.frags
        lines, level = blpara.lines, _bidi_level(self)
        if blpara.kind != 1 or level is None or any(not hasattr(n, "sFW") for n in lines):
            return draw_para(self, debug)
        ends = [line.sFW for line in lines[1:]] + [len(words)]
        drawn = []
        for line, end in zip(lines, ends, strict=True):
            line = copy.copy(line)
            # ReportLab reverses each right-to-left line's fragments before drawing: those
            # are handed over reversed.
            visual = visual_line(words[line.sFW : end], level)
            line.words = visual[::-1] if level == 1 else visual
            drawn.append(line)
        blpara.lines = drawn
        try:
            return draw_para(self, debug)
        finally:
            blpara.lines = lines

    def justify_rtl(tx, offset, line, last=0):
        # A line a <br/> ends is not stretched: right to left, it stands at the right.
        ends = last or getattr(line, "lineBreak", False)
        return (rl._rightDrawParaLineX if ends else rl._justifyDrawParaLineX)(
            tx, offset, line, last
        )

    from reportlab.pdfbase.ttfonts import ShapedStr

    shape_frag_word = rl.shapeFragWord

    def shape_once(word, *args, **kwargs):
        # Words shaped above and split again by ReportLab (at a soft hyphen) hold shaped
        # strings in plain lists; HarfBuzz refuses to shape those a second time.
        if any(isinstance(s, ShapedStr) for _, s in word[1:]):
            return word
        return shape_frag_word(word, *args, **kwargs)

    rl.shapeFragWord = shape_once
    rl.Paragraph.breakLines, rl.Paragraph.drawPara = bidi_break_lines, bidi_draw_para
    rl._justifyDrawParaLineXRTL = justify_rtl  # drawPara looks it up when it draws
    rl.Paragraph._booklet_bidi = True
