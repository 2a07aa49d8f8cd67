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

# Entries of a list, and the word that names the list.
LISTS = {
    d.ProgramEntry: "program",
    d.PersonEntry: "speakers",
    d.SourceEntry: "sources",
    d.FactGrid: "facts",
}
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
        elif type(block) in LISTS:
            self.current = word(LISTS[type(block)], self.lang)
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
    return f"{part} · {word('continued', lang)}"  # as a day's running head: "Friday · continued"


# What an overflow message counts, by kind of block: singular, plural.
NOUNS = {
    d.ProgramEntry: ("program item", "program items"),
    d.PersonEntry: ("speaker", "speakers"),
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
        if type(block) in NOUNS:
            counts[type(block)] = counts.get(type(block), 0) + 1
    return ", ".join(f"{n} {NOUNS[kind][n != 1]}" for kind, n in counts.items())


def block_loc(block: d.Block):
    """Where in the content a block comes from: a table of facts, from its first fact."""
    if isinstance(block, d.FactGrid):
        return block.cells[0].loc if block.cells else None
    return getattr(block, "loc", None)
