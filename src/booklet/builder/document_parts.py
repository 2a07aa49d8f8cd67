"""Turn a long flowing document into parts of pages, and the letters the parts share.

A flowing document (a booklet, a sheet) with a long story is typeset in parts of
`PART_PAGES` pages, one after another beside the process that finishes them
(`long_document`). Every part's font subsets start with the same letters, so the collated
file holds each subset once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..compose import document as d
from ..compose.document import Document
from ..errors import Location
from ..language.text import upper
from ..language.typography import marks

PART_PAGES = 64  # pages to a part: fewer make more files to subset fonts for and collate
PARTED_WEIGHT = 750_000  # characters of content, about 280 A5 pages: set in parts
# Beyond the page limit's worth of text (600 A5 pages; raised only for benchmarks), the
# aimed settings that fill the last pages (`long_fill`) would cost more whole settings of
# a document where a notes page at the end matters least: it is set once, with no air.
FILL_WEIGHT = 1_600_000
BLOCK_WEIGHT = 200  # what a block's frame (rules, padding, a QR code) counts as text
FLOWING = ("booklet", "sheet")  # the kinds whose pages flow; cards and folds have their own


def parted(document: Document) -> bool:
    """Whether a document is set in parts: a flowing one with a long story."""
    return document.layout.kind in FLOWING and _weight(document.blocks) >= PARTED_WEIGHT


def filled(document: Document) -> bool:
    """Whether a document set in parts gets the aimed settings that fill its last pages."""
    return _weight(document.blocks) <= FILL_WEIGHT


def _weight(blocks: tuple[d.Block, ...]) -> int:
    return sum(_block_weight(block) for block in blocks)


def _block_weight(block: d.Block) -> int:
    return BLOCK_WEIGHT + sum(len(text) for text in _texts(block))


def _texts(value: object) -> Iterator[str]:
    """Every string of a block, nested ones (fact cells, credits) too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, (type, Location)):
        for fld in dataclasses.fields(value):  # a location names a file: not printed text
            yield from _texts(getattr(value, fld.name))


def document_glyphs(document: Document) -> str:
    """The letters past ASCII the document may set, in code order: every part's subsets
    start with them (`Document.glyphs`), so the parts embed the same subsets and the
    collated file holds each once. Capitals too: some styles set their text in them."""
    letters: set[str] = set(marks(document.lang) + "–—…·")
    for text in (document.running_foot, *(t for b in document.blocks for t in _texts(b))):
        letters.update(text)
    letters.update(upper("".join(letters), document.lang))
    return "".join(sorted(c for c in letters if ord(c) > 127))
