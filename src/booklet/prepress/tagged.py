"""Turn a screen file and the typesetter's leaves into a tagged PDF (PDF/UA-1): marked pages,
the structure tree in reading order, languages, link and figure alternates, XMP.

The typesetter recorded each page's content with its marks (`typeset/tagging.py`); here
those streams replace the pages' own, and the leaves become the structure tree: one
element per leaf, grouped by the document block it came from (a program entry is a list
item with its time as the label, a grid of facts a table) and ordered as the document
reads, not as it was drawn (a tri-fold: cover, flap, inside panels, back).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zlib
from itertools import groupby

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..language.bidi import is_rtl
from ..typeset.tagging import Leaf, Tags
from .files import save
from .pdfx import escape
from .xmp_packet import packet

LISTS = {"ProgramEntry": "program", "PersonEntry": "people", "SourceEntry": "sources"}
# A grid of facts is set as a table for its layout, but it is no data table (no header
# row or column is printed, and none should be made up): a list of facts, as a reader hears it.
FACTS = ("FactGrid",)


MARK = rb"/\w+ <</MCID \d+>> BDC|/Artifact (?:BMC|<<[^\n]*>> BDC)|EMC "  # ours, a line each
MARKED_LINE = re.compile(rb"^(?:" + MARK + rb")\n", re.MULTILINE)


def tag(screen: bytes, tags: Tags) -> bytes:
    """The screen file, tagged; unchanged if its pages are not those the record was made
    from (a marked stream without its marks must be the page's own, byte for byte)."""
    pdf = pikepdf.open(io.BytesIO(screen))
    return save(pdf) if tagged(pdf, tags) else screen


def tagged(pdf: pikepdf.Pdf, tags: Tags) -> bool:
    """Tag an open screen file in place, as `tag` does; False (and `pdf` untouched) if its
    pages are not those the record was made from."""
    if len(pdf.pages) != len(tags.streams):
        return False
    pages = list(zip(pdf.pages, packed(tags).streams, strict=True))
    if not all(_same(page, zlib.decompress(stream)) for page, stream in pages):
        return False
    for page, stream in pages:
        page.obj.Contents = pdf.make_stream(stream, Filter=Name.FlateDecode)
        page.obj.Tabs = Name.S
    tree = Tree(pdf, tags)
    tree.build()
    _catalog(pdf, tags.lang)
    return True


def packed(tags: Tags) -> Tags:
    """The tags with their pages' streams deflated, as the screen file will hold them: a long
    document's parts are kept so until it is whole (1,616 pages: ~30 MB less held)."""
    if tags.packed:
        return tags
    streams = [zlib.compress(stream) for stream in tags.streams]
    return dataclasses.replace(tags, streams=streams, packed=True)


def _same(page: pikepdf.Page, stream: bytes) -> bool:
    """Whether `stream` is the page's content with marks put in, and nothing else changed."""
    contents = page.obj.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return False
    return unmarked(stream) == contents.read_bytes()


def unmarked(stream: bytes) -> bytes:
    """A marked stream's lines but those of our marks, joined as they were: one pass of one
    expression over the stream, not one a line (a QR code is hundreds of lines)."""
    kept = MARKED_LINE.sub(b"", stream + b"\n")
    return kept[:-1]


def joined(parts: list[Tags]) -> Tags:
    """The tags of a document set in parts, as of one file: pages numbered on, and a
    paragraph split between two parts one leaf."""
    leaves: dict[tuple[int, int], Leaf] = {}
    streams: list[bytes] = []
    for part in parts:
        first = len(streams)
        for leaf in part.leaves:
            moved = dataclasses.replace(
                leaf,
                parts=[(first + p, mcid) for p, mcid in leaf.parts],
                links=[(first + p, n, url) for p, n, url in leaf.links],
            )
            known = leaves.setdefault((leaf.block, leaf.key), moved)
            if known is not moved:
                known.parts += moved.parts
                known.links += moved.links
        streams += packed(part).streams  # as the first part's, whatever the others were
    # What the typesetter learned as it made a part's flowables (a grid's columns) is in
    # that part's record and those after it.
    columns = {k: v for part in parts for k, v in part.columns.items()}
    order = {k: v for part in parts for k, v in part.order.items()}
    leaves_of = list(leaves.values())
    first = parts[0]
    return dataclasses.replace(
        first, leaves=leaves_of, streams=streams, columns=columns, order=order, packed=True
    )


def decked(batches: list[Tags]) -> Tags:
    """The tags of a card deck set in batches, as of one file: each batch is a document of
    its own whose blocks are numbered from zero, so its blocks are numbered on after the
    batches before it (and read after them), and its pages too."""
    kinds: tuple[str, ...] = ()
    moved: list[Tags] = []
    for n, batch in enumerate(batches):
        first = len(kinds)
        kinds += batch.kinds
        order = {first + b: (n, *batch.order.get(b, (0, b))) for b in range(len(batch.kinds))}
        leaves = [dataclasses.replace(leaf, block=first + leaf.block) for leaf in batch.leaves]
        columns = {first + b: c for b, c in batch.columns.items()}
        moved.append(dataclasses.replace(batch, leaves=leaves, order=order, columns=columns))
    return dataclasses.replace(joined(moved), kinds=kinds)


def page_tags(tags: Tags) -> list[Tags]:
    """The tags of each page, as the tags of a file of that page alone (a guest's card):
    one pass over the leaves, not one a page (125 cards: 15,000 leaves looked at, not 1)."""
    leaves: list[list[Leaf]] = [[] for _ in tags.streams]
    for leaf in tags.leaves:
        for page in dict.fromkeys(p for p, _ in leaf.parts):
            if 0 <= page < len(leaves):
                leaves[page].append(_on_page(leaf, page))
    return [
        dataclasses.replace(tags, leaves=own, streams=[stream])
        for own, stream in zip(leaves, tags.streams, strict=True)
    ]


def _on_page(leaf: Leaf, page: int) -> Leaf:
    return dataclasses.replace(
        leaf,
        parts=[(0, mcid) for p, mcid in leaf.parts if p == page],
        links=[(0, n, url) for p, n, url in leaf.links if p == page],
    )


class Tree:
    """The structure tree of one file, built from its leaves."""

    def __init__(self, pdf: pikepdf.Pdf, tags: Tags):
        self.pdf, self.tags = pdf, tags
        self.pages = list(pdf.pages)
        self.mcids: dict[int, dict[int, pikepdf.Object]] = {}  # page → MCID → element
        self.links: list[pikepdf.Object] = []  # (annotation key order) Link elements

    def build(self) -> None:
        root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = self.element("Document", root)
        document.Lang = pikepdf.String(self.tags.lang)
        root.K = Array([document])
        for kind, run in groupby(self.ordered(), key=self.family):
            self.add_run(document, kind, list(run))
        root.ParentTree = self.parent_tree()
        root.ParentTreeNextKey = len(self.pages) + len(self.links)
        self.pdf.Root.StructTreeRoot = root

    def ordered(self) -> list[Leaf]:
        order, drawn = self.tags.order, {id(leaf): n for n, leaf in enumerate(self.tags.leaves)}
        return sorted(
            self.tags.leaves,
            key=lambda leaf: (order.get(leaf.block, (0, leaf.block)), leaf.block, drawn[id(leaf)]),
        )

    def family(self, leaf: Leaf) -> str:
        kind = self.tags.kinds[leaf.block]
        if kind in ("Parallel", "Credits"):
            return f"{kind.lower()}{leaf.block}"
        return LISTS.get(kind) or (f"facts{leaf.block}" if kind in FACTS else f"b{leaf.block}")

    def add_run(self, parent, family: str, leaves: list[Leaf]) -> None:
        """A run of leaves of one block, or of blocks that together make a list or table."""
        if family in LISTS.values():
            self.add_list(parent, leaves)
        elif family.startswith("facts"):
            self.add_facts(parent, leaves)
        elif family.startswith("parallel"):
            self.add_parallel(parent, leaves)
        elif family.startswith("credits"):  # label, names; label, names: rows of groups
            for group in self.right_to_left(_groups(leaves), leaves[0].block):
                for leaf in group:
                    self.add_leaf(parent, leaf)
        else:
            for leaf in leaves:
                self.add_leaf(parent, leaf)

    def add_list(self, parent, leaves: list[Leaf]) -> None:
        """Blocks in a row that are entries: L, an LI each, its time the Lbl, the rest LBody."""
        lst = self.element("L", parent)
        for _, entry in groupby(leaves, key=lambda leaf: leaf.block):
            item = self.element("LI", lst)
            entry = list(entry)
            labels = [leaf for leaf in entry if leaf.role == "Lbl"]
            for leaf in labels:
                self.add_leaf(item, leaf)
            body = self.element("LBody", item)
            for leaf in entry:
                if leaf.role != "Lbl":
                    self.add_leaf(body, leaf)

    def add_parallel(self, parent, leaves: list[Leaf]) -> None:
        """Sessions at one time: each its head, then its entries as a list (a time starts an
        item). Side by side in a right-to-left document they are drawn from the left: the
        sessions read from the right."""
        for session in self.right_to_left(_groups(leaves), leaves[0].block):
            lst = item = None
            for leaf in session:
                if leaf.style == "time":
                    lst = lst or self.element("L", parent)
                    item = self.element("LI", lst)
                    self.add_leaf(item, leaf, "Lbl")
                    item = self.element("LBody", item)
                else:
                    self.add_leaf(item if item is not None else parent, leaf)

    def right_to_left(self, groups: list[list[Leaf]], block: int) -> list[list[Leaf]]:
        """Groups set side by side, `columns` a row, in reading order: a right-to-left row
        is drawn from its left end."""
        per_row = self.tags.columns.get(block, 0)
        if not per_row or not is_rtl(self.tags.lang):
            return groups
        rows = [groups[n : n + per_row][::-1] for n in range(0, len(groups), per_row)]
        return [group for row in rows for group in row]

    def add_facts(self, parent, leaves: list[Leaf]) -> None:
        """A grid of facts as a list: an LI from each figure to the next, the figure its Lbl,
        its label and source the LBody. The first (the large one) is a row of its own, then
        rows of the grid's columns, each read from its right in a right-to-left document."""
        columns = max(1, self.tags.columns.get(leaves[0].block, 1))
        cells: list[list[Leaf]] = []
        for leaf in leaves:
            if not cells or leaf.style == "figure":
                cells.append([])
            cells[-1].append(leaf)
        rows = [cells[:1]] + [cells[n : n + columns] for n in range(1, len(cells), columns)]
        lst = self.element("L", parent)
        for row in rows:
            for cell in row[::-1] if is_rtl(self.tags.lang) else row:
                item = self.element("LI", lst)
                figure = cell[0].style == "figure"
                if figure:
                    self.add_leaf(item, cell[0], "Lbl")
                body = self.element("LBody", item)
                for leaf in cell[1:] if figure else cell:
                    self.add_leaf(body, leaf)

    def add_leaf(self, parent, leaf: Leaf, role: str = "") -> None:
        role = role or self.role(leaf)
        elem = self.element(role, parent)
        kids = Array()
        for page, mcid in leaf.parts:
            kids.append(Dictionary(Type=Name.MCR, Pg=self.pages[page].obj, MCID=mcid))
            self.mcids.setdefault(page, {})[mcid] = elem
        elem.Pg = self.pages[leaf.parts[0][0]].obj
        if leaf.lang and leaf.lang.split("-")[0] != self.tags.lang.split("-")[0]:
            elem.Lang = pikepdf.String(leaf.lang)
        if leaf.role == "Figure":
            elem.Alt = pikepdf.String(leaf.alt or "Picture")
            if leaf.bbox is not None:
                box = Array([round(v, 2) for v in leaf.bbox])
                elem.A = Dictionary(O=Name.Layout, BBox=box, Placement=Name.Block)
        for page, index, _ in leaf.links:
            kids.append(self.link(elem, page, index))
        elem.K = kids

    def role(self, leaf: Leaf) -> str:
        """A leaf's structure type in its place: a label only in a list, a session's title
        a level under its day's."""
        kind = self.tags.kinds[leaf.block]
        if leaf.role == "Lbl" and kind not in LISTS:
            return "P"
        if (
            leaf.role == "H2"
            and kind in ("SessionHead", "Parallel")  # sessions side by side too
            and "DayHead" in self.tags.kinds[: leaf.block]
        ):
            return "H3"
        return leaf.role

    def link(self, parent, page: int, index: int) -> pikepdf.Object:
        """A Link element for the page's `index`th annotation, which names it back."""
        annots = self.pages[page].obj.get("/Annots")
        annot = annots[index]
        elem = self.element("Link", parent)
        elem.Pg = self.pages[page].obj
        elem.K = Array([Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.pages[page].obj)])
        uri = str(annot.get("/A", {}).get("/URI", ""))
        annot.Contents = pikepdf.String(f"Link: {uri}" if uri else "Link")
        annot.StructParent = len(self.pages) + len(self.links)
        self.links.append(elem)
        return elem

    def element(self, role: str, parent) -> pikepdf.Object:
        elem = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role)))
        elem.P = parent
        if parent.get("/Type") == Name.StructElem:
            kids = parent.get("/K")
            if kids is None:
                parent.K = Array([elem])
            else:
                kids.append(elem)
        return elem

    def parent_tree(self) -> pikepdf.Object:
        nums = Array()
        for n, page in enumerate(self.pages):
            page.obj.StructParents = n
            marked = self.mcids.get(n, {})
            nums.append(n)
            nums.append(self.pdf.make_indirect(Array([marked[k] for k in sorted(marked)])))
        for n, elem in enumerate(self.links):
            nums.append(len(self.pages) + n)
            nums.append(elem)
        return self.pdf.make_indirect(Dictionary(Nums=nums))


def _groups(leaves: list[Leaf]) -> list[list[Leaf]]:
    """Leaves in groups that each open with a label (a session's time and room, a credit's
    "Organized by") or with a heading that has none."""
    groups: list[list[Leaf]] = []
    for leaf in leaves:
        after_label = bool(groups) and groups[-1][-1].style == "kicker"
        if not groups or leaf.style == "kicker" or (leaf.role == "H2" and not after_label):
            groups.append([])
        groups[-1].append(leaf)
    return groups


def _catalog(pdf: pikepdf.Pdf, lang: str) -> None:
    """Marked, its language, its title shown, and XMP that claims PDF/UA-1."""
    root = pdf.Root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = pikepdf.String(lang)
    prefs = root.get("/ViewerPreferences") or Dictionary()
    prefs.DisplayDocTitle = True
    root.ViewerPreferences = prefs
    xmp = _xmp({key: str(value) for key, value in pdf.docinfo.items()}, lang)
    root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)


def _xmp(info: dict[str, str], lang: str) -> str:
    """XMP that says what the document info says (title, author, subject, tool, dates)."""
    t, language = escape(info.get("/Title", "")), escape(lang or "x-default")
    author, subject = escape(info.get("/Author", "")), escape(info.get("/Subject", ""))
    made = _iso(info.get("/CreationDate", ""))
    changed = _iso(info.get("/ModDate", "")) or made
    dates = (
        f"   <xmp:CreateDate>{made}</xmp:CreateDate>\n"
        f"   <xmp:ModifyDate>{changed}</xmp:ModifyDate>\n"
        if made
        else ""
    )
    properties = f"""   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
    </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
{dates}   <xmp:CreatorTool>{escape(info.get("/Creator", "booklet"))}</xmp:CreatorTool>
   <pdf:Producer>{escape(info.get("/Producer", "booklet"))}</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
"""
    return packet(("dc", "xmp", "pdf", "pdfuaid"), properties)


def _iso(stamp: str) -> str:
    """A PDF date (D:20260226000000+00'00') as XMP writes it (2026-02-26T00:00:00+00:00)."""
    found = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)|Z)?", stamp)
    if not found:
        return ""
    y, mo, d, h, mi, s, sign, zh, zm = found.groups()
    zone = f"{sign}{zh}:{zm}" if sign else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"
