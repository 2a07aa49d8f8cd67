"""Turn the program's and the people page's blocks into flowables: entries, heads, rooms."""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.platypus import Flowable, Paragraph, Spacer

from ..compose import document as d
from ..language.text import local_digits
from .flowables import Row
from .styles import MM
from .tagging import in_language

MIN_ROOM_COLUMN = 65 * MM  # parallel rooms go side by side only when each column is this wide
TIME_COLUMN = 15 * MM
# The program's blocks: a program is balanced over its last two pages (`balance.py`).
PROGRAM_BLOCKS = (d.DayHead, d.SessionHead, d.ProgramEntry, d.Parallel, d.DayEnd)


class DayMarker(Flowable):
    """Takes no room: tells the page furniture which day the pages from here on belong to."""

    def __init__(self, running: str):
        super().__init__()
        self.running = running

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        # Read at the end of each page (`running_head`): a page whose top runs on a day's
        # program begun on an earlier page says so above its text.
        _, y = self.canv.absolutePosition(0, 0)
        days = self.canv.__dict__.setdefault("_booklet_days", [])
        days.append((self.running, self.canv.getPageNumber(), y))


def kept_with_next(parts: list) -> Iterator:
    """Each part kept with the one after it, so a head never ends a page.

    Not one KeepTogether with keepWithNext: ReportLab keeps a container with nothing
    (`_ktAllow`), so a head wrapped in one was left alone at the foot of a page."""
    for part in parts:
        part.keepWithNext = 1
        yield part


def running_at_top(canv, top: float) -> str:
    """The day a page's top runs on, when a day head of an earlier page began it."""
    days = getattr(canv, "_booklet_days", [])
    page = canv.getPageNumber()
    before = [running for running, on, _ in days if on < page]
    here = [y for _, on, y in days if on == page]
    if not before or (here and here[0] >= top - 24):  # the page begins with a day head
        return ""
    return before[-1]


class ProgramFlowables:
    """The program and people blocks of a `Typesetter` (its styles, measure, bookmarks, rows)."""

    def _programentry(self, e: d.ProgramEntry) -> Iterator:
        time, body = [self.styles.para(e.time, "time")], self.entry_body(e)
        if self.compact:  # the time and the title only, on tighter rows
            yield self._row(time, body, TIME_COLUMN, padding=(2, 3))
            return
        yield self._row(time, body, TIME_COLUMN)

    def entry_body(self, e: d.ProgramEntry) -> list:
        """Title, second-language title, speaker, people in roles, anthems, notes, details;
        compact (`program.compact`): the titles only."""
        s = self.styles
        lines = [(e.title, "item-title")]
        if e.second is not None:  # a bilingual layout: "" leaves the line empty
            lines.append((in_language(e.second, self.layout.bilingual), "note"))
        body: list = s.stacked(lines)
        if self.compact:
            return body
        if e.speaker:
            role = f"\xa0— {s.safe(e.speaker_role)}" if e.speaker_role else ""
            body.append(self.meta_line(f"<b>{s.safe(e.speaker)}</b>{role}"))
        for label, names in e.people:
            body.append(self.meta_line(f"<b>{s.safe(label)}:</b> {s.safe(names)}"))
        for n, anthem in enumerate(e.anthems, 1):
            number = local_digits(str(n), s.lang, s.layout.digits)
            body.append(s.para(f"{number}. {anthem}", "figure-label"))
        if e.description:
            body.append(s.para(e.description, "note"))
        if e.note:
            body.append(s.para(e.note, "note"))
        if e.details:
            body.append(s.para(" · ".join(e.details), "item-meta"))
        return body

    def meta_line(self, safe: str) -> Paragraph:
        """A line of the item-meta style from markup already escaped."""
        s = self.styles
        return s.markup(safe, "item-meta")

    def _dayhead(self, block: d.DayHead) -> Iterator:
        s = self.styles
        parts: list = [self.bookmark(block.title, 1), DayMarker(block.running)]
        lines = [(block.title, "heading")]
        if block.subtitle and not self.compact:
            lines.append((block.subtitle, "item-meta"))
        if block.second is not None:  # "" (not translated) leaves the line empty
            lines.append((in_language(block.second, self.layout.bilingual), "note"))
        parts += s.stacked(lines)
        parts += [Spacer(1, 2 * MM), self.accent_rule(), Spacer(1, 2 * MM)]
        yield from kept_with_next(parts)  # a day's head never ends a page

    def _dayend(self, block: d.DayEnd) -> Iterator:
        yield DayMarker("")

    def _sessionhead(self, block: d.SessionHead) -> Iterator:
        yield from kept_with_next(self.session_parts(block))

    def session_parts(self, block: d.SessionHead) -> list:
        """Time and room over the title, then who chairs it and what it is about."""
        s = self.styles
        parts: list = [Spacer(1, 3 * MM * self.air)]
        over = " · ".join(x for x in (block.time, block.room) if x)
        if over:
            parts.append(s.label(over, "kicker"))
        if self.compact:  # the time, the room and the title only
            return [*parts, s.para(block.title, "item-title"), Spacer(1, 1 * MM)]
        lines = [(block.title, "heading")]
        if block.second is not None:  # "" (not translated) leaves the line empty
            lines.append((in_language(block.second, self.layout.bilingual), "note"))
        parts += s.stacked(lines)
        for label, names in block.people:
            parts.append(self.meta_line(f"<b>{s.safe(label)}:</b> {s.safe(names)}"))
        if block.description:
            parts.append(s.para(block.description, "note"))
        return parts

    def _parallel(self, block: d.Parallel) -> Iterator:
        rooms = len(block.sessions)
        gap = 5 * MM
        column = (self.measure - gap * (rooms - 1)) / rooms
        if column < MIN_ROOM_COLUMN:  # too narrow: one room after another, each named
            for head, entries in block.sessions:
                yield from self._sessionhead(head)
                for entry in entries:
                    yield from self._programentry(entry)
            return
        yield self.room_grid(block, column, gap)

    def room_grid(self, block: d.Parallel, column: float, gap: float) -> Row:
        """The rooms side by side, a column each, read in the page's direction."""
        cells: list = []
        for head, entries in block.sessions:
            cell = self.session_parts(head)
            for entry in entries:
                cell.append(Spacer(1, 2 * MM))
                cell.append(self.styles.para(entry.time, "time"))
                cell += self.entry_body(entry)
            cells += [cell, []]
        cells, widths = cells[:-1], [w for _ in block.sessions for w in (column, gap)][:-1]
        self.tagger.columns[self.tagger.block_of(block)] = len(block.sessions)  # side by side
        if self.styles.rtl:
            cells, widths = cells[::-1], widths[::-1]
        table = Row([cells], colWidths=widths, hAlign="LEFT")
        table.setStyle(
            self.table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8 * self.air),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.palette["rule"]),
            )
        )
        return table

    def _peoplegroup(self, block: d.PeopleGroup) -> Iterator:
        yield from kept_with_next(
            [Spacer(1, 4 * MM * self.air), self.styles.label(block.label, "kicker")]
        )

    def _personentry(self, e: d.PersonEntry) -> Iterator:
        s = self.styles
        if self.compact_people:  # one line: the name and the organization
            where = e.short or e.affiliation
            line = f"<b>{s.safe(e.name)}</b>" + (f", {s.safe(where)}" if where else "")
            para = s.markup(line, "figure-label")
            yield self._row([], [para], 0, padding=(2, 3))
            return
        parts = [s.para(e.name, "item-title")]
        if e.role:
            parts.append(s.para(e.role, "figure-label"))
        if e.affiliation:
            parts.append(s.para(e.affiliation, "item-meta"))
        if e.speaks_at:
            parts.append(Spacer(1, 2))
            parts.append(s.para(e.speaks_at, "note"))
        cell, width = self.portrait_cell(e)
        yield self._row(cell, parts, width)
