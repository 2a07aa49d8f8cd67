"""Turn paragraph markup into paragraphs that keep the line-breaking rules and report their lines.

A `Para` is a ReportLab paragraph that, each time it is wrapped, sets its lines again
until they keep the rules: a title's lines balanced (the narrowest measure that keeps
its line count), no word alone on a paragraph's last line (the last two words tied),
no more hyphenated lines in a row than allowed and no hyphen before the last line (the
word that breaks them is not broken), justified text ragged in a narrow column. When it
is drawn it tells the `Record` what is still wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl

from ..language.hyphenation import Pairs, guarded
from .fragments import setup
from .line_hooks import TRACKED
from .record import Line, Record, lines_of, quoted
from .tagging import keep_tags
from .ties import tie_last_space, tie_words

BALANCE_STEPS = 9  # halvings of the measure: within 0.2 % of the narrowest width that fits
SETTLE_TRIES = 6  # settings of a paragraph's lines before it is drawn as it stands
EVEN_STEPS = 16  # justified text is also broken up to 16 × 0.4 % narrower for even spaces
EVEN_STEP = 0.004
MM = 72 / 25.4


@dataclass
class Rules:
    """What a paragraph keeps, from the layout's typography settings and its style."""

    record: Record | None = None
    balance: bool = False  # titles, headings, labels: lines of similar length
    running: bool = False  # running text: the last line, ladders, hyphens
    verse: bool = False  # lines kept as written: no tie across them
    max_hyphens: int = 2
    last_line: int = 8  # a last line of one word has at least this many characters
    ragged_below: float = 0.0  # justified text is ragged in a measure under this many ems
    tracking: float = 0.0  # a loose justified line may be letter-spaced this much (of an em)
    hyphen_zone: float = 0.0  # ragged text breaks a word only if the line ends this far short
    hyphens: Pairs | None = None  # the language's breaks, before names are kept whole
    kept: frozenset[str] = frozenset()  # words never broken
    refused: set[str] = field(default_factory=set)  # words whose breaks made trouble


class Para(Paragraph):
    """A paragraph that keeps the line-breaking rules (`Rules`) and reports its lines."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, **kw):
        super().__init__(text, style, bulletText, frags, caseSensitive, **kw)
        self.rules = Rules()
        self.plain = ""  # the text as written, for messages
        self.part = "whole"  # or the first, a middle or the rest of a split paragraph
        self.tied = False
        self.best: dict[float, float] = {}  # available width → balanced width
        self.evened: dict[float, float] = {}  # available width → width the lines break at
        self.slack = 0.0
        self.wrapped: dict[tuple, tuple] = {}  # (width, style, tied, refused) → the setting

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: N803 (ReportLab's)
        setup(self, text, style, bulletText, frags, cleaner)  # parsed once for all settings

    def keep(self, rules: Rules) -> Para:
        self.rules = rules
        if rules.hyphens is not None:
            self.guard()
        return self

    # --- setting the lines ---------------------------------------------------------------

    def wrap(self, availWidth, availHeight):
        # Frames, splits and keeps wrap a paragraph at one width several times (half of all
        # wraps of a booklet): the lines as last set at that width, style and ties are kept.
        self.ragged(availWidth)
        key = (availWidth, id(self.style), self.tied, len(self.rules.refused))
        kept = self.wrapped.get(key)
        if kept is not None:
            size, self.blPara, self.width, self.height, self.slack = kept
            return size
        size = self.set_lines(availWidth, availHeight)
        key = (availWidth, id(self.style), self.tied, len(self.rules.refused))
        self.wrapped[key] = (size, self.blPara, self.width, self.height, self.slack)
        return size

    def set_lines(self, availWidth, availHeight):
        """Break the lines at a width, until they keep the rules."""
        if self.rules.balance and self.style.alignment != TA_JUSTIFY:
            return self.balanced(availWidth, availHeight)
        self.slack = 0.0
        narrower = self.evened.get(availWidth)
        if narrower is not None:
            return self.stretched(availWidth, narrower, availHeight)
        size = super().wrap(availWidth, availHeight)
        if self.rules.running or self.rules.hyphens is not None:
            size = self.settle(availWidth, availHeight, size)
        if self.style.alignment == TA_JUSTIFY and self.rules.record is not None:
            size = self.even_out(availWidth, availHeight, size)
        return size

    def even_out(self, width: float, height: float, size):
        """Justified lines whose spaces stretch too far are broken again a little narrower
        (and stretched to the measure) where that gives the most even spaces."""
        best = (self.cost(width, 0.0), width)
        if best[0][:2] == (0, 1.0) or best[0][1] <= self.rules.record.loose:
            return size
        for step in range(1, EVEN_STEPS + 1):
            narrower = width * (1 - EVEN_STEP * step)
            super().wrap(narrower, height)
            best = min(best, (self.cost(width, width - narrower), narrower))
        self.evened[width] = best[1]
        return self.stretched(width, best[1], height)

    def cost(self, width: float, widen: float) -> tuple[int, float, float]:
        """How a setting of the lines looks: its breaks that break a rule, its loosest
        justified line, the sum of its squared stretches."""
        lines = lines_of(self, widen)
        stretches = [line.stretch for _, line in self.justified(lines)] or [1.0]
        rules = len(self.bad_breaks(lines)) + self.short_last(lines)
        return (rules, round(max(stretches), 2), sum((s - 1) ** 2 for s in stretches))

    def justified(self, lines: list[Line]) -> list[tuple[int, Line]]:
        """The lines stretched to the measure (by number), each letter-spaced as far as
        it may."""
        most = self.rules.tracking * self.style.fontSize
        shown = lines if self.part in ("first", "middle") else lines[:-1]
        return [(n, line.tracked(most)) for n, line in enumerate(shown) if not line.hard_break]

    def stretched(self, width: float, narrower: float, height: float):
        """The lines broken at `narrower`, justified to `width`."""
        _, tall = super().wrap(narrower, height)
        widen = width - narrower
        para = self.blPara
        para.lines = [
            (line[0] + widen, line[1]) if isinstance(line, tuple) else _widened(line, widen)
            for line in para.lines
        ]
        self.width = width
        return width, tall

    def ragged(self, width: float) -> None:
        """Justified text in a measure too narrow for even spaces is set ragged."""
        style = self.style
        if style.alignment == TA_JUSTIFY and width < self.rules.ragged_below * style.fontSize:
            start = TA_RIGHT if style.wordWrap == "RTL" else TA_LEFT
            self.style = ParagraphStyle(
                f"{style.name}-ragged", parent=style, alignment=start, spaceShrinkage=0
            )

    def balanced(self, width: float, height: float):
        """Lines of similar length: the narrowest measure that keeps the line count."""
        best = self.best.get(width)
        if best is None:
            super().wrap(width, height)
            count, best = len(self.blPara.lines), width
            low = max(width * 0.3, min(self.minWidth(), width))
            for _ in range(BALANCE_STEPS if count > 1 else 0):
                middle = (low + best) / 2
                super().wrap(middle, height)
                if len(self.blPara.lines) <= count:
                    best = middle
                else:
                    low = middle
            self.best[width] = best
        _, tall = super().wrap(best, height)
        self.slack = width - best
        self.width = best
        return width, tall

    def drawOn(self, canvas, x, y, _sW=0):
        shift = {TA_CENTER: 0.5, TA_RIGHT: 1.0}.get(self.style.alignment, 0.0) * self.slack
        super().drawOn(canvas, x + shift, y, _sW)

    def settle(self, width: float, height: float, size):
        """Set the lines again until no break makes a ladder or a lone last word."""
        for _ in range(SETTLE_TRIES):
            lines = lines_of(self)
            bad = self.bad_breaks(lines)
            if bad:
                self.rules.refused.update(bad)
                self.guard()
            elif not (self.short_last(lines) and self.tie(width)):
                break
            size = super().wrap(width, height)
        return size

    def ends_here(self) -> bool:
        return self.part in ("whole", "rest")

    def bad_breaks(self, lines: list[Line]) -> set[str]:
        """The words whose breaks make one hyphen too many in a row, end the paragraph, or
        (in ragged text) are not needed: the line is long enough without them."""
        bad, run = set(), 0
        for n, line in enumerate(lines[:-1]):
            run = run + 1 if line.hyphenated else 0
            last = n == len(lines) - 2 and self.ends_here() and self.rules.running
            if line.hyphenated and (run > self.rules.max_hyphens or last or self.needless(line)):
                bad.add(_broken_word(line, lines[n + 1]))
        return bad - {""}

    def needless(self, line: Line) -> bool:
        """A ragged line that would end within the hyphenation zone without its broken word."""
        style, zone = self.style, self.rules.hyphen_zone
        if style.alignment == TA_JUSTIFY or not zone:
            return False
        kept = " ".join(line.text.split()[:-1])
        return stringWidth(kept, style.fontName, style.fontSize) >= self.width * (1 - zone)

    def guard(self) -> None:
        rules = self.rules
        if rules.hyphens is None:
            return
        hyphens = guarded(rules.hyphens, rules.kept, frozenset(rules.refused))
        self.style = ParagraphStyle(self.style.name, parent=self.style, hyphenationLang=hyphens)

    def short_last(self, lines: list[Line]) -> bool:
        if len(lines) < 2 or not self.ends_here() or not self.rules.running:
            return False
        last = lines[-1]
        lone = last.words == 1 and len(last.text) < self.rules.last_line and self.slight(last)
        return lone and not (self.rules.verse and lines[-2].hard_break)

    def slight(self, line: Line) -> bool:
        """A line that fills less than half the measure (in a narrow column a word of
        seven letters may fill the line: it is not left alone)."""
        style = self.style
        return stringWidth(line.text, style.fontName, style.fontSize) < 0.5 * (self.width or 1)

    def tie(self, width: float) -> bool:
        """Tie the last two words with a no-break space, once, if together they fit a line."""
        style = self.style
        if self.tied:
            return False
        self.tied = True
        if rl._processed_frags(self.frags):  # ReportLab keeps its words once it has them
            return tie_words(self.frags, 0.9 * width)
        words = " ".join(getattr(f, "text", "") for f in self.frags).split()
        pair = " ".join(words[-2:])
        if len(words) < 2 or stringWidth(pair, style.fontName, style.fontSize) > 0.9 * width:
            return False
        return tie_last_space(self.frags)

    # --- splitting and drawing -----------------------------------------------------------

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        self.wrapped = {}  # the parts are placed, not this
        if len(parts) == 2:
            first, rest = parts
            first.part = "first" if self.part in ("whole", "first") else "middle"
            rest.part = "rest"
            for part in parts:
                part.rules, part.tied, part.plain = self.rules, self.tied, self.plain
                part.booklet_loc = getattr(self, "booklet_loc", None)
                part.shaping_notes = getattr(self, "shaping_notes", {})
            keep_tags(parts, self)
        return parts

    in_dummy = True  # a dummy skips its lines but keeps what it reports (overprint.Dummy)

    def draw(self):
        self.wrapped = {}  # drawn: not wrapped again, and a kept paragraph keeps no lines
        if not getattr(self.canv, "dummy", False):
            self.draw_lines()
        if self.rules.record is not None:
            page = self.canv.getPageNumber()
            if _role(self.style.name) not in ("time", "folio", "kicker"):
                self.rules.record.seen(page, self.plain)
            self.report(self.rules.record, page)
            self.report_shaping(self.rules.record)

    def draw_lines(self) -> None:
        spaced = self.letter_spaced()
        TRACKED.update(spaced)
        try:
            super().draw()
        finally:
            for key in spaced:
                TRACKED.pop(key, None)

    def report_shaping(self, record: Record) -> None:
        """What shaping found where the text was written: a style dropped inside a
        ligature, and (right to left, where words are never broken) a word wider than its
        column."""
        loc = getattr(self, "booklet_loc", None)
        for message, code in getattr(self, "shaping_notes", {}).items():
            record.at_source(code, loc, message)
        if self.style.wordWrap != "RTL" or getattr(self.blPara, "kind", 0) != 1:
            return
        for line in self.blPara.lines:
            if getattr(line, "wordCount", 0) == 1 and line.extraSpace < -0.5:
                word = quoted(getattr(self.frags[getattr(line, "sFW", 0)], "logical", ""))
                room = self.width / MM
                message = f"the word {word} is wider than its column ({room:.0f} mm)"
                record.at_source("overflow", loc, message)

    def letter_spaced(self) -> dict[int, float]:
        """The loose justified lines to letter-space as they are drawn: id → points."""
        if self.style.alignment != TA_JUSTIFY or not self.rules.tracking:
            return {}
        if self.style.wordWrap == "RTL" or getattr(self.style, "bidiLevel", None) == 0:
            return {}  # joined letters are never spaced apart
        raw, lines = self.blPara.lines, lines_of(self)
        made = {}
        for n, line in self.justified(lines):
            if line.tracking > 0:
                made[id(raw[n][1] if isinstance(raw[n], tuple) else raw[n])] = line.tracking
        return made

    def report(self, record: Record, page: int) -> None:
        """Tell the record what is still wrong with the lines as they are drawn."""
        lines, role = lines_of(self), _role(self.style.name)
        text = quoted(self.plain or " ".join(line.text for line in lines))
        if len(lines) == 1 and self.part in ("first", "middle"):
            record.note("typo-orphan", page, role, f"{text}: one line alone at the page's foot")
        if len(lines) == 1 and self.part == "rest":
            record.note("typo-widow", page, role, f"{text}: its last line alone on the page")
        self.report_breaks(record, page, role, text, lines)
        self.report_stretch(record, page, role, lines)

    def report_breaks(self, record: Record, page: int, role: str, text: str, lines: list) -> None:
        run = longest = 0
        for line in lines[:-1]:
            run = run + 1 if line.hyphenated else 0
            longest = max(longest, run)
        if longest > self.rules.max_hyphens:
            record.note("typo-ladder", page, role, f"{text}: {longest} hyphenated lines in a row")
        if len(lines) < 2 or not self.ends_here():
            return
        if lines[-2].hyphenated and self.rules.running:
            record.note("typo-hyphen-last", page, role, f"{text}: its last word is broken")
        if self.stranded(lines):
            record.note(
                "typo-stranded", page, role, f"{text}: “{lines[-1].text}” alone on its line"
            )

    def stranded(self, lines: list[Line]) -> bool:
        """A word alone on the last line: short, or in a title well short of the line above."""
        last, above = lines[-1], lines[-2]
        if last.words != 1 or above.hard_break or not (self.rules.balance or self.rules.running):
            return False
        short = max(self.rules.last_line, len(above.text) // 2 if self.rules.balance else 0)
        return len(last.text) < short and self.slight(last)

    def report_stretch(self, record: Record, page: int, role: str, lines: list[Line]) -> None:
        if self.style.alignment != TA_JUSTIFY:
            return
        loose = [
            (line.stretch, n + 1)
            for n, line in self.justified(lines)
            if line.stretch > record.loose
        ]
        if loose:
            stretch, n = max(loose)
            text = quoted(self.plain or lines[n - 1].text)
            message = f"{text}: line {n}, word spaces {stretch:.1f} times the normal"
            record.note("typo-loose", page, role, message)


def _widened(line, widen: float):
    line.extraSpace = getattr(line, "extraSpace", 0.0) + widen
    return line


def _role(name: str) -> str:
    """The layout style a paragraph style was made from ("body" for "body-ragged")."""
    for suffix in ("-ragged", "-ltr", "-bidi"):
        name = name.replace(suffix, "")
    return name


def _broken_word(line: Line, after: Line) -> str:
    """The word a hyphenated line breaks, as the hyphenator is asked about it."""
    head = line.text.split()[-1].rstrip("-\xad") if line.text.split() else ""
    tail = after.text.split()[0] if after.text.split() else ""
    word = rl._hy_sfx_pat.sub("", rl._hy_pfx_pat.sub("", head + tail))
    return word
