"""Turn the letters behind shaped glyphs into ToUnicode entries, so copying gives the text typed.

Arabic joining forms and ligatures have no code point of their own: ReportLab draws them
under private-use codes, and its ToUnicode CMap maps those codes to themselves, so a
copied "الأرمينية" lost its lam-alef ("ارمينية"). language/shaping.py notes the letters
each such code stands for (a joining form its letter, lam-alef both letters in logical
order); each font subset's CMap maps the code to them instead.
"""

from __future__ import annotations


def utf16(text: str) -> str:
    """A bfchar destination: the text in UTF-16BE, as hex digits."""
    return text.encode("utf-16-be").hex().upper()


def install() -> None:
    """Write in each subset's ToUnicode CMap the letters a private-use code stands for (once)."""
    from reportlab.pdfbase import ttfonts

    from ..language.shaping import LETTERS

    if getattr(ttfonts, "_booklet_letters", False):
        return
    make = ttfonts.makeToUnicodeCMap

    def to_unicode(fontname: str, subset) -> str:
        # The subset's name is "AAAAAA+" and the face's PostScript name.
        letters = LETTERS.get(fontname.split("+", 1)[-1].encode("latin-1", "replace"), {})
        cmap = make(fontname, subset)
        for i, code in enumerate(subset):
            if code in letters:
                cmap = cmap.replace(
                    f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{utf16(letters[code])}>"
                )
        return cmap

    ttfonts.makeToUnicodeCMap = to_unicode
    ttfonts._booklet_letters = True
