"""Turn document blocks into the parts a running head names, tagged on their flowables.

A part is what a running head names when it continues on a later page or panel:
"Program", "Speakers", a section's title. The first flowable a block draws carries
the block (`booklet_block`), its part (`booklet_part`) and whether it opens a part
(`booklet_opens`), so a page can tell what it continues and where each item landed.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.platypus import KeepTogether

from ..compose import document as d
from ..language.text import word

# The word that names the part each kind of block belongs to.
PARTS = {
    d.ProgramEntry: "program",
    d.DayHead: "program",
    d.SessionHead: "program",
    d.Parallel: "program",
    d.DayEnd: "program",
    d.PersonEntry: "speakers",
    d.PeopleGroup: "speakers",
    d.SourceEntry: "sources",
    d.SourceList: "sources",
    d.FactGrid: "facts",
}
ENTRIES = (d.ProgramEntry, d.PersonEntry, d.SourceEntry, d.SourceList)  # a list's items
OPENS = (d.Heading, d.SectionHeading, d.Masthead, d.Credits, d.Cover, d.BackCover, d.Card)


class Parts:
    """Follows the blocks of one document in order: the part each belongs to."""

    def __init__(self, lang: str):
        self.lang = lang
        self.current: str | None = None

    def of(self, block: d.Block) -> str | None:
        """The part `block` belongs to; a heading or a list starts its own."""
        if isinstance(block, d.Heading):
            self.current = block.title
        elif isinstance(block, d.SectionHeading):
            self.current = block.text
        elif type(block) in PARTS:
            self.current = word(PARTS[type(block)], self.lang)
        elif isinstance(block, OPENS):
            self.current = None
        return self.current

    def tag(self, block: d.Block, flows: Iterator) -> Iterator:
        """The block's flowables, the first one drawn carrying the block and its part."""
        part, first = self.of(block), True
        for flow in flows:
            if first:
                leaf = first_drawn(flow)
                leaf.booklet_block, leaf.booklet_part = block, part
                leaf.booklet_opens = isinstance(block, OPENS)
                first = False
            yield flow


def first_drawn(flow):
    """The flowable that is drawn first of `flow`: a group is drawn as its content."""
    while isinstance(flow, KeepTogether) and flow._content:
        flow = flow._content[0]
    return flow


def continued(lang: str, part: str) -> str:
    """The running head of a page or panel that goes on with `part`."""
    return f"{part} · {word('continued', lang)}"  # as a day's: "Friday, May 14 · continued"


# What an overflow message counts, by kind of block: singular, plural.
NOUNS = {
    d.ProgramEntry: ("program item", "program items"),
    d.SessionHead: ("session", "sessions"),
    d.DayHead: ("day", "days"),
    d.PersonEntry: ("person", "people"),
    d.SourceEntry: ("source", "sources"),
    d.Prose: ("paragraph", "paragraphs"),
    d.FactGrid: ("table of facts", "tables of facts"),
    d.Heading: ("title", "titles"),
    d.SectionHeading: ("heading", "headings"),
    d.Credits: ("list of organizers", "lists of organizers"),
    d.Masthead: ("masthead", "mastheads"),
}


def left_over(blocks: list[d.Block]) -> str:
    """What a list of blocks holds, counted by kind: "7 program items, 1 title"."""
    counts: dict[type, int] = {}
    for block in blocks:
        for kind, n in _counted(block):
            counts[kind] = counts.get(kind, 0) + n
    return ", ".join(f"{n} {NOUNS[kind][n != 1]}" for kind, n in counts.items())


def _counted(block: d.Block) -> list[tuple[type, int]]:
    if isinstance(block, d.Parallel):  # its sessions and their items
        entries = sum(len(entries) for _, entries in block.sessions)
        return [(d.SessionHead, len(block.sessions)), (d.ProgramEntry, entries)]
    if isinstance(block, d.SourceList):
        return [(d.SourceEntry, len(block.entries))]
    return [(type(block), 1)] if type(block) in NOUNS else []


def block_loc(block: d.Block):
    """Where in the content a block comes from: a table of facts, from its first fact."""
    if isinstance(block, d.FactGrid):
        return block.cells[0].loc if block.cells else None
    if isinstance(block, d.Parallel):
        return next((head.loc for head, _ in block.sessions if head.loc), None)
    return getattr(block, "loc", None)


def tried(scale: float, level: int, blocks) -> str:
    """What an overflow message says was tried: "type at 85%, compact program entries and
    a compact people list" (only what the blocks hold)."""
    said = [f"type at {scale:.0%}"]
    if level >= 1 and any(isinstance(b, d.ProgramEntry | d.Parallel) for b in blocks):
        said.append("compact program entries")
    if level >= 2 and any(isinstance(b, d.PersonEntry) for b in blocks):
        said.append("a compact people list")
    return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
