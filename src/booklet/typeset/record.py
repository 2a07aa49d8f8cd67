"""Turn what ReportLab laid out into typography findings: stranded words, widows, ladders, pages.

The typesetter's paragraphs tell the record their lines as they are drawn (ReportLab's
`blPara` after wrapping, not the PDF read back), the doc template how full each page's
frame is. Each finding is a warning with a stable code naming the document, the
language, the page and the text; `--strict` makes them fatal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..errors import Diagnostics, Location

CODES = {
    "typo-stranded": "a word alone on the last line of a title, heading or paragraph",
    "typo-widow": "a paragraph's last line alone at the top of a page",
    "typo-orphan": "a paragraph's first line alone at the foot of a page",
    "typo-ladder": "more hyphenated lines in a row than the layout allows",
    "typo-hyphen-last": "a paragraph's last word broken across its last two lines",
    "typo-loose": "a justified line whose word spaces are over 1.5 times the normal",
    "page-fill": "a page of running text less than 40 % filled",
    "style-in-ligature": "a style change inside a ligature (lam-alef), dropped",
}
HINTS = {
    "typo-stranded": "reword the text, or let the style balance its lines (typography.balance)",
    "typo-widow": "shorten or lengthen the paragraph by a line",
    "typo-orphan": "shorten or lengthen the paragraph by a line",
    "typo-ladder": "reword the lines, or allow more (typography.max-hyphens)",
    "typo-hyphen-last": "reword the paragraph's last line",
    "typo-loose": "set the style ragged (typography.ragged-below) or reword the line",
    "page-fill": "let the section share a page (pages: new-page: false), or add content",
    "style-in-ligature": "move the ** or * to the start or end of the word",
    "overflow": "shorten the word, or make the layout's type smaller or its column wider",
}
PER_CODE = 20  # findings of one code listed per document; the rest are counted


@dataclass(frozen=True)
class Line:
    """One laid-out line: its text, its words, and how much its spaces were stretched."""

    text: str
    words: int
    stretch: float  # the word space over the normal one (1.0: not stretched)
    hard_break: bool  # ended by a <br/>, not by the measure
    gaps: float = 0.0  # the width of the line's word spaces as set (before stretching)
    extra: float = 0.0  # the width the line is stretched by to the measure
    tracking: float = 0.0  # letter spacing that takes part of the stretch (points)

    def tracked(self, most: float, even: float = 1.25) -> Line:
        """The line with letter spacing of up to `most` points taking what its word spaces
        would stretch past `even` times the normal."""
        letters = len(self.text) - 1
        if self.stretch <= even or letters <= 0 or most <= 0:
            return self
        spacing = min(most, (self.extra - (even - 1) * self.gaps) / letters)
        extra = self.extra - spacing * letters
        return replace(self, stretch=1.0 + extra / self.gaps, extra=extra, tracking=spacing)

    @property
    def hyphenated(self) -> bool:
        return self.text.rstrip().endswith(("-", "\xad"))


def lines_of(paragraph, widen: float = 0.0) -> list[Line]:
    """The lines ReportLab broke a wrapped paragraph into; `widen`: as if justified that
    much wider than they were broken."""
    para = getattr(paragraph, "blPara", None)
    if para is None:
        return []
    style = paragraph.style
    space = stringWidth(" ", style.fontName, style.fontSize) or 1.0
    return [_line(line, space, widen) for line in para.lines]


def _line(line, space: float, widen: float = 0.0) -> Line:
    if isinstance(line, tuple):  # one style throughout: (unused width, words)
        extra, words = line
        text = " ".join(str(w) for w in words)
        hard = False
    else:
        extra = getattr(line, "extraSpace", 0.0)
        text = "".join(getattr(w, "text", "") for w in line.words)
        hard = bool(getattr(line, "lineBreak", False))
    count = len(text.split())
    gaps = count - 1
    extra += widen
    stretch = 1.0 + extra / (gaps * space) if gaps > 0 and extra > 0 else 1.0
    return Line(text.strip(), count, stretch, hard, gaps * space, extra)


class Record:
    """Where a document's typography findings go: warnings, at most `PER_CODE` a code."""

    def __init__(self, diags: Diagnostics, file: str, loose: float = 1.5):
        self.diags, self.file, self.loose = diags, file, loose
        self.counts: Counter[str] = Counter()
        self.pending: list[tuple[str, int, str, str]] = []  # what the setting found so far
        self.located: dict[tuple[str, str], Location | None] = {}  # (code, message) → source
        self.first: dict[int, str] = {}  # the first text drawn on each page
        self.openings = 0  # page titles that open their page (a chapter starts a page)

    def clear(self) -> None:
        """Forget what an earlier setting found (a try that is set again)."""
        self.pending.clear()
        self.located.clear()
        self.first.clear()
        self.openings = 0

    def seen(self, page: int, text: str) -> None:
        self.first.setdefault(page, text)

    def fills(self, kinds: list[str], fills: list[float], first: int, least: float) -> None:
        """A page of running text filled less than `least` (covers and notes aside)."""
        for page, (kind, fill) in enumerate(zip(kinds, fills, strict=False), first):
            if kind.startswith(("body", "plain")) and fill < least:
                text = quoted(self.first.get(page, ""))
                self.note("page-fill", page, "", f"the page is {fill:.0%} filled ({text} …)")

    def note(self, code: str, page: int, role: str, message: str) -> None:
        self.pending.append((code, page, role, message))

    def at_source(self, code: str, loc: Location | None, message: str) -> None:
        """A finding about the text where it was written (file:line), not about a page:
        a style dropped inside a ligature (a warning), a word wider than its column (an
        `overflow` error)."""
        self.located.setdefault((code, message), loc)

    def close(self) -> None:
        """Report what the setting kept found: at most `PER_CODE` of a code one by one, and
        how many more."""
        for code, page, role, message in self.pending:
            self.counts[code] += 1
            if self.counts[code] <= PER_CODE:
                self.diags.warn(code, Location(self.file, page), role, message, HINTS[code])
        self.pending.clear()
        for (code, message), loc in self.located.items():
            report = self.diags.error if code == "overflow" else self.diags.warn
            report(code, loc or Location(self.file), "", message, HINTS[code])
        self.located.clear()
        for code, count in sorted(self.counts.items()):
            if count > PER_CODE:
                more = f"{count - PER_CODE} more like the above"
                self.diags.warn(code, Location(self.file), "", more, HINTS[code])


def quoted(text: str, width: int = 48) -> str:
    """Text for a message: one line, shortened, in quotes."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= width else text[: width - 1] + '…'}”"
