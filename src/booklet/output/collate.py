"""Turn the parts of a long file into one PDF written as they come, holding only offsets.

qpdf joins files by holding every object of every page until the joined file is saved:
~35 KB a page, 350 MB for ten thousand cards. A collator writes each part's objects
at once, numbered after those already written, and keeps only their offsets, so
qpdf (pikepdf) holds one part at a time. The syntax of every object is qpdf's own
(`unparse`); the collator renumbers its references, packs small objects into object
streams and writes the file's frame (header, page tree, catalog, cross-reference
stream).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable
from typing import BinaryIO

import pikepdf
from pikepdf import Name

from ..prepress.files import pdf_fonts, retag_fonts
from .outline import Entry, tree_nodes, write_outline
from .staging import Spooled

# qpdf writes a literal string with every parenthesis in it escaped, so one match takes
# a whole string and no text inside it is read as a reference; names and hex strings
# cannot hold "n g R".
_REFERENCE = re.compile(rb"\((?:[^\\()]|\\.)*\)|(\d+) (\d+) R")
ZLIB_LEVEL = 6  # what qpdf uses when it compresses a stream on save
PACKED = 100  # objects to an object stream, as qpdf packs them
_INHERITED = (Name.Resources, Name.MediaBox, Name.CropBox, Name.Rotate)
DOCUMENT_KEYS = (
    Name.Lang,
    Name.OutputIntents,
    Name.Metadata,
    Name.PageMode,
    Name.PageLayout,
    Name.ViewerPreferences,
)


class Collator:
    """A PDF written to `handle` object by object; pages are added part after part.

    Objects other than streams are packed a hundred to a compressed object stream, as
    qpdf packs them on save; the cross-reference table is a stream too (PDF 1.5)."""

    def __init__(self, handle: BinaryIO, version: str = "1.6"):
        self.handle = handle
        # Where each object is, as the cross-reference stream says it: (1, offset, 0) in
        # the file, (2, object stream, index) packed; (0, 0, 0): not written yet. Three
        # arrays, not a list of tuples: ten thousand cards are ~100,000 objects a file.
        self.kinds, self.places, self.subs = array("B", [0]), array("Q", [0]), array("H", [65535])
        self.packed: list[tuple[int, bytes]] = []
        self.position = 0
        self.digest = hashlib.md5(usedforsecurity=False)  # the file ID: its own bytes
        self.pages: list[int] = []
        self.catalog: dict[str, bytes] = {}  # extra catalog entries: name → syntax
        self.info = 0
        self.outline: list[Entry] = []  # bookmarks of every part, in order
        self.ident = b""  # the first half of the trailer ID: the XMP's document ID (pdfx)
        self._write(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
        self.root, self.tree = self.reserve(), self.reserve()

    def reserve(self) -> int:
        """A number for an object written later."""
        self.kinds.append(0)
        self.places.append(0)
        self.subs.append(0)
        return len(self.kinds) - 1

    def _enter(self, number: int, kind: int, place: int, sub: int = 0) -> None:
        self.kinds[number], self.places[number], self.subs[number] = kind, place, sub

    def put(self, number: int, body: bytes, stream: bytes | None = None) -> int:
        """Write object `number`: `body` is its syntax (a stream's dictionary, with `stream`)."""
        if stream is None:
            self.packed.append((number, body))
            if len(self.packed) >= PACKED:
                self._pack()
            return number
        self._enter(number, 1, self.position)
        self._write(b"%d 0 obj\n%s\nstream\n" % (number, body))
        self._write(stream)
        self._write(b"\nendstream\nendobj\n")
        return number

    def new(self, body: bytes, stream: bytes | None = None) -> int:
        """Write a new object; its number."""
        if stream is not None:  # `body` is the stream's dictionary, less its length
            body = body.removesuffix(b">>") + b"/Length %d >>" % len(stream)
        return self.put(self.reserve(), body, stream)

    def part(self, pdf: pikepdf.Pdf) -> Copier:
        """A copier of objects from `pdf`, one part of the file."""
        return Copier(self, pdf)

    def close(self) -> None:
        """Write the page tree, the outline, the catalog and the cross-reference stream."""
        if self.outline:
            self.catalog["Outlines"] = b"%d 0 R" % write_outline(self, self.outline)
        kids = b" ".join(b"%d 0 R" % n for n in self.pages)
        self.put(self.tree, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), kids))
        extra = b"".join(b"/%s %s " % (k.encode(), v) for k, v in sorted(self.catalog.items()))
        self.put(self.root, b"<< /Type /Catalog /Pages %d 0 R %s>>" % (self.tree, extra))
        waiting = {number for number, _ in self.packed}
        for number, kind in enumerate(self.kinds[1:], 1):
            if kind == 0 and number not in waiting:
                self.put(number, b"null")  # reserved, never written: still a valid object
        self._pack()
        number, start = self.reserve(), self.position
        self._enter(number, 1, start)
        wide = 4 if start < 1 << 32 else 8  # bytes for an offset: files over 4 GiB get 8
        row = struct.Struct(">BIH" if wide == 4 else ">BQH")
        rows = zip(self.kinds, self.places, self.subs, strict=True)
        table = zlib.compress(b"".join(row.pack(*entry) for entry in rows), ZLIB_LEVEL)
        instance = self.digest.hexdigest().encode()
        ident = self.ident.hex().encode() or instance
        info = b" /Info %d 0 R" % self.info if self.info else b""
        head = (
            b"<< /Type /XRef /Size %d /W [ 1 %d 2 ] /Root %d 0 R%s /ID [ <%s> <%s> ]"
            b" /Filter /FlateDecode /Length %d >>"
        ) % (len(self.kinds), wide, self.root, info, ident, instance, len(table))
        self._write(b"%d 0 obj\n%s\nstream\n" % (number, head))
        self._write(table)
        self._write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)

    def _pack(self) -> None:
        """Write the objects waiting as one object stream."""
        if not self.packed:
            return
        heads, at = [], 0
        for number, body in self.packed:
            heads.append(b"%d %d" % (number, at))
            at += len(body) + 1
        head = b" ".join(heads) + b"\n"
        data = zlib.compress(head + b"\n".join(body for _, body in self.packed), ZLIB_LEVEL)
        own = self.reserve()
        for index, (number, _) in enumerate(self.packed):
            self._enter(number, 2, own, index)
        count, self.packed = len(self.packed), []
        self.put(
            own,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
            % (count, len(head), len(data)),
            data,
        )

    def _write(self, data: bytes) -> None:
        self.handle.write(data)
        self.digest.update(data)
        self.position += len(data)


class Copier:
    """Copies objects of one source PDF into a collator, each once, references renumbered."""

    def __init__(self, collator: Collator, pdf: pikepdf.Pdf):
        self.out, self.pdf = collator, pdf
        self.numbers: dict[tuple[int, int], int] = {}
        self.todo: list[tuple[int, int]] = []
        # The source's page tree is not copied: its pages hang from the collator's.
        for node in tree_nodes(pdf.Root.Pages):
            self.numbers[node.objgen] = collator.tree

    def add_page(self, page: pikepdf.Page | pikepdf.Dictionary) -> int:
        """Copy a page of the source (with all it uses) as the file's next page."""
        obj = page.obj if isinstance(page, pikepdf.Page) else page
        for key in _INHERITED:  # what the page inherits from the source's tree goes along
            value = _inherited(obj, key)
            if value is not None and key not in obj:
                obj[key] = value
        number = self.copy(obj)
        self.out.pages.append(number)
        return number

    def copy(self, obj: pikepdf.Object) -> int:
        """The number in the collator of an indirect object of the source, written with
        everything it refers to."""
        number = self._number(obj.objgen)
        self._drain()
        return number

    def syntax(self, obj: pikepdf.Object) -> bytes:
        """A value of the source as it is written in the collator: a reference, or direct."""
        if obj.is_indirect:
            return b"%d 0 R" % self.copy(obj)
        body = self._renumber(obj.unparse(resolved=True))
        self._drain()
        return body

    def keep_document_keys(self, keys: Iterable[Name] = DOCUMENT_KEYS) -> None:
        """Carry the source's language, output intent, XMP and document info into the file."""
        for key in keys:
            if key in self.pdf.Root:
                self.out.catalog[str(key)[1:]] = self.syntax(self.pdf.Root[key])
        if Name.Info in self.pdf.trailer:
            info = self.pdf.trailer.Info
            self.out.info = self.copy(info if info.is_indirect else self.pdf.make_indirect(info))
        with contextlib.suppress(AttributeError, IndexError, KeyError, TypeError):
            self.out.ident = bytes(self.pdf.trailer.ID[0])  # what the XMP names the document

    def alias(self, obj: pikepdf.Object, number: int) -> None:
        """Refer to an object the collator already holds wherever the source refers to `obj`."""
        self.numbers[obj.objgen] = number

    def _number(self, objgen: tuple[int, int]) -> int:
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.out.reserve()
            self.todo.append(objgen)
        return number

    def _renumber(self, syntax: bytes) -> bytes:
        def renumbered(found: re.Match) -> bytes:
            if found.group(1) is None:
                return found.group(0)  # a string: left as it is
            return b"%d 0 R" % self._number((int(found.group(1)), int(found.group(2))))

        return _REFERENCE.sub(renumbered, syntax)

    def _stream_dict(self, entries: pikepdf.Dictionary, length: int) -> bytes:
        # The length is written direct: a Length object of its own is not copied.
        entries = pikepdf.Dictionary(entries)  # a copy: a stream's own may not lose Length
        if Name.Length in entries:  # a stream made in this run has none yet
            del entries.Length
        return self._renumber(entries.unparse(resolved=True)).removesuffix(b">>") + (
            b"/Length %d >>" % length
        )

    def _drain(self) -> None:
        while self.todo:
            objgen = self.todo.pop()
            obj = self.pdf.get_object(objgen)
            number = self.numbers[objgen]
            if isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                if Name.Filter not in obj.stream_dict and obj.get("/Type") != Name.Metadata:
                    # made here (a form of a page): deflated, as qpdf does; XMP stays
                    # plain text for the packet scanners of preflight tools
                    obj.write(zlib.compress(raw, ZLIB_LEVEL), filter=Name.FlateDecode)
                    raw = obj.read_raw_bytes()
                self.out.put(number, self._stream_dict(obj.stream_dict, len(raw)), raw)
            else:
                self.out.put(number, self._renumber(obj.unparse(resolved=True)))


# --- fonts the parts share ------------------------------------------------------------------

_ANY_TAG = re.compile(rb"/[A-Z]{6}\+")
# A font's /Name is its resource name in the file that made it (PDF 1.0; obsolete since):
# ReportLab numbers its fonts in the order a document first sets them, which differs
# from part to part of a long document.
_OLD_NAME = re.compile(rb"/Name /[^\s/<>\[\]()]+")


class SharedFonts:
    """The fonts already written into a collator, by what they are (`font_digest`).

    A later part's font that is the same as an earlier one (every batch of cards sets
    the same subsets when `typeset` presets their letters) is referred to, not copied:
    the file holds each subset once. A font that differs gets a tag of its own
    (`retag_fonts`), so no two different subsets share a name."""

    def __init__(self) -> None:
        self.known: dict[bytes, int] = {}
        self.fresh: list[tuple[pikepdf.Object, bytes]] = []

    def admit(self, pdf: pikepdf.Pdf, copier: Copier, part: int) -> None:
        """Point `copier` at the fonts already written; retag the new ones of a later part."""
        self.fresh = []
        for font in pdf_fonts(pdf):
            digest = font_digest(pdf, font, {})
            if digest in self.known:
                copier.alias(font, self.known[digest])
            else:
                self.fresh.append((font, digest))
        if part:
            retag_fonts(pdf, f"batch {part + 1}", [font for font, _ in self.fresh])

    def learn(self, copier: Copier) -> None:
        """Remember where the part's new fonts went, once its pages are copied."""
        for font, digest in self.fresh:
            number = copier.numbers.get(font.objgen)
            if number is not None:
                self.known.setdefault(digest, number)
        self.fresh = []


def font_digest(pdf: pikepdf.Pdf, obj: pikepdf.Object, memo: dict[tuple[int, int], bytes]) -> bytes:
    """A digest of an object and everything it refers to, subset tags left out: two fonts
    with the same digest draw the same glyphs with the same codes."""
    if obj.objgen in memo:
        return memo[obj.objgen]
    memo[obj.objgen] = b""  # a cycle reads as empty; fonts have none
    stream = isinstance(obj, pikepdf.Stream)
    syntax = (obj.stream_dict if stream else obj).unparse(resolved=True)
    refers: list[tuple[int, int]] = []

    def placeholder(found: re.Match) -> bytes:
        if found.group(1) is None:
            return found.group(0)  # a string
        refers.append((int(found.group(1)), int(found.group(2))))
        return b"R"  # the source's own numbers differ from part to part

    sha = hashlib.sha256(
        _OLD_NAME.sub(b"", _ANY_TAG.sub(b"/+", _REFERENCE.sub(placeholder, syntax)))
    )
    sha.update(b"stream" + obj.read_raw_bytes() if stream else b"")
    for objgen in refers:
        target = pdf.get_object(objgen)
        sha.update(font_digest(pdf, target, memo) if target.is_indirect else b"null")
    memo[obj.objgen] = sha.digest()
    return memo[obj.objgen]


# --- the pages of several files, collated ----------------------------------------------------


def collate_pages(
    collator: Collator,
    sources: Iterable[bytes | Spooled],
    first: Callable[[pikepdf.Pdf], None] | None = None,
    each: Callable[[pikepdf.Pdf, int], None] | None = None,
) -> None:
    """Every page of the sources, in order (`Pages`, for sources that all exist now)."""
    pages = Pages(collator, first, each)
    for source in sources:
        pages.add(source)


class Pages:
    """Every page of the sources, in the order they are added, the first source giving the
    document's keys.

    Every part embeds its own font subsets under ReportLab's tags (AAAAAA+…): a later
    part's are written once if an earlier part has the same, else renamed so that no two
    different subsets share a name in the file (`SharedFonts`).
    `first(pdf)` amends the first source before it is copied; `each(pdf, page)` sees
    every source, renamed, with the number its first page has in the file."""

    def __init__(
        self,
        collator: Collator,
        first: Callable[[pikepdf.Pdf], None] | None = None,
        each: Callable[[pikepdf.Pdf, int], None] | None = None,
    ):
        self.collator, self.first, self.each, self.parts = collator, first, each, 0
        self.fonts = SharedFonts()

    def add(self, source: bytes | Spooled) -> None:
        """Copy every page of `source` after those already added."""
        n, self.parts = self.parts, self.parts + 1
        with open_part(source) as pdf:
            copier = self.collator.part(pdf)
            self.fonts.admit(pdf, copier, n)
            if n == 0 and self.first is not None:
                self.first(pdf)
            if self.each is not None:
                self.each(pdf, len(self.collator.pages) + 1)
            for page in pdf.pages:
                copier.add_page(page)
            if n == 0:
                copier.keep_document_keys()
            self.fonts.learn(copier)


# --- the outline of several parts ------------------------------------------------------------


def _inherited(page: pikepdf.Object, key: Name) -> pikepdf.Object | None:
    node = page
    for _ in range(32):  # a page tree deeper than that is not ours
        if key in node:
            return node[key]
        node = node.get("/Parent")
        if not isinstance(node, pikepdf.Dictionary):
            return None
    return None


def open_part(source: bytes | Spooled) -> pikepdf.Pdf:
    """A built file opened with qpdf: a spooled one from its file, which qpdf reads as it
    needs (not copied into memory first)."""
    if isinstance(source, Spooled):
        return pikepdf.open(source.path)
    return pikepdf.open(io.BytesIO(source))


def read(source: bytes | Spooled) -> bytes:
    """The bytes of a built file, held or spooled."""
    return source.read_bytes() if isinstance(source, Spooled) else source
