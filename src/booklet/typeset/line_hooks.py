"""Turn ReportLab's line breaking into ours: words of every alphabet hyphenated, lines spaced.

ReportLab hyphenates only words of Latin and basic Cyrillic letters (no ə, no ё), none
tied to the next by a no-break space, none in «…» or „…“; and it justifies with word
spaces alone. `install()` widens its patterns and letter-spaces the justified lines a
`Para` names in `TRACKED` while it draws them.
"""

from __future__ import annotations

import re

from reportlab.platypus import paragraph as rl

TRACKED: dict[int, float] = {}  # the lines being drawn that are letter-spaced: id → points


def install() -> None:
    """Let ReportLab hyphenate words of any alphabet (it knows Latin and basic Cyrillic
    only: no ə, no ё), words tied by a no-break space, and words in «…» and „…“; and
    letter-space the justified lines `TRACKED` names."""
    if getattr(rl, "_booklet_lines", False):
        return
    letters = r"[^\W\d_]"
    rl._hy_letters_pat = re.compile(rf"^(?:\S+\xa0)*{letters}+$")
    rl._hy_pfx_pat = re.compile("^['\"([{\xbf\u2018\u201a\u201c\u201e«‹]+")
    rl._hy_sfx_pat = re.compile("[]'\")}?!.,;:\u2019\u201b\u201c\u201d\u201f»›…]+$")
    simple, mixed = rl._justifyDrawParaLine, rl._justifyDrawParaLineX

    def justify(tx, offset, extraspace, words, last=0):
        spacing = TRACKED.get(id(words), 0.0)
        if not spacing or last:
            return simple(tx, offset, extraspace, words, last)
        taken = spacing * (len(" ".join(words)) - 1)
        tx.setCharSpace(spacing)
        try:
            return simple(tx, offset, extraspace - taken, words, last)
        finally:
            tx.setCharSpace(0)

    def justify_mixed(tx, offset, line, last=0):
        spacing = TRACKED.get(id(line), 0.0)
        if not spacing or last:
            return mixed(tx, offset, line, last)
        taken = spacing * (len("".join(getattr(w, "text", "") for w in line.words)) - 1)
        line.extraSpace -= taken
        tx.setCharSpace(spacing)
        try:
            return mixed(tx, offset, line, last)
        finally:
            tx.setCharSpace(0)
            line.extraSpace += taken

    rl._justifyDrawParaLine, rl._justifyDrawParaLineX = justify, justify_mixed
    rl._booklet_lines = True


install()


install()
