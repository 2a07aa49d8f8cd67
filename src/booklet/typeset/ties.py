"""Turn the last two words of a paragraph into one that no line break parts (a no-break space)."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl


def tie_words(words: list, most: float) -> bool:
    """Join ReportLab's last two words ([width, (frag, text), …] each) with a no-break
    space, if the first is followed by a space and both fit in `most` points."""
    if len(words) < 2 or not isinstance(words[-2], rl._HSFrag):
        return False
    first, last = words[-2], words[-1]
    if not isinstance(last, list) or not last[1:] or not first[1:]:
        return False
    frag = first[-1][0]
    width = first[0] + stringWidth("\xa0", frag.fontName, frag.fontSize) + last[0]
    breaks = any(hasattr(f, "cbDefn") or getattr(f, "lineBreak", 0) for f, _ in last[1:])
    if width > most or breaks:
        return False
    words[-2:] = [last.__class__([width, *first[1:], (frag, "\xa0"), *last[1:]])]
    return True


def tie_last_space(frags: list) -> bool:
    """Turn the space before the last word of the fragments into a no-break space."""
    seen_word = False
    for frag in reversed(frags):
        text = getattr(frag, "text", "")
        for i in range(len(text) - 1, -1, -1):
            if text[i] == " " and seen_word:
                frag.text = text[:i] + "\xa0" + text[i + 1 :]
                return True
            if not text[i].isspace():
                seen_word = True
    return False
