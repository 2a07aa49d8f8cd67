"""Turn a PDF's structure tree into its elements in order and the findings PDF/UA has on them.

`read_tree` walks StructTreeRoot depth first (cycles and more than `NODE_LIMIT` nodes cut
the walk), maps each type through the RoleMap (02-001, 02-003, 02-004) and records which
element holds each MCID and each annotation (OBJR). `check_elements` then checks what the
elements say: Figure Alt (13-004), headings (14-001/002/003/007), tables (09-004) and
their header cells (15-003), lists (09-005) and each element's Lang (11-001).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from .ua_content import Key
from .ua_rules import Findings, valid_language

NODE_LIMIT = 500_000
STANDARD_TYPES = (  # ISO 32000-1 14.8.4
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1"
    " H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note"
    " Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
)
STANDARD = frozenset(STANDARD_TYPES.split())
ALLOWED = {  # ISO 32000-1 Tables 336 and 337: which kids each may hold (elements only)
    "Table": ("09-004", {"TR", "THead", "TBody", "TFoot", "Caption"}),
    "THead": ("09-004", {"TR"}),
    "TBody": ("09-004", {"TR"}),
    "TFoot": ("09-004", {"TR"}),
    "TR": ("09-004", {"TH", "TD"}),
    "L": ("09-005", {"LI", "Caption", "L"}),
    "LI": ("09-005", {"Lbl", "LBody"}),
}
PARENTS = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"}, "LI": {"L"}}


@dataclass
class Element:
    """A structure element: its standard type, its own type, where it is, its kids."""

    obj: pikepdf.Dictionary
    kind: str
    raw: str
    path: str
    page: int
    parent: Element | None = None
    kids: list[Element] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # kids of each type so far


@dataclass
class Tree:
    """The elements in document order, and who holds each MCID and annotation."""

    elements: list[Element] = field(default_factory=list)
    mcids: dict[tuple[Key, int], Element] = field(default_factory=dict)
    objrs: dict[Key, Element] = field(default_factory=dict)
    held: dict[Any, set[int]] = field(default_factory=dict)  # stream → MCIDs the tree names
    counts: Counter[str] = field(default_factory=Counter)  # top-level elements of each type
    cut: bool = False


def read_tree(root: pikepdf.Dictionary, pages: dict[Key, int], found: Findings) -> Tree:
    """Walk the structure tree under `root` (StructTreeRoot); `pages`: page key → number."""
    tree = Tree()
    roles = _RoleMap(root.get("/RoleMap"), found)
    seen: set[Key] = set()
    todo: list[tuple[Any, Element | None, Any, str]] = [
        (kid, None, None, "StructTreeRoot") for kid in reversed(_kids(root))
    ]
    while todo:
        node, parent, page, path = todo.pop()
        if len(seen) > NODE_LIMIT:
            tree.cut = True
            break
        if isinstance(node, int):
            _hold(tree, (page, node), parent)
        elif isinstance(node, pikepdf.Dictionary):
            kind = str(node.get("/Type", ""))
            if kind == "/MCR":
                _marked_reference(tree, node, page, parent)
            elif kind == "/OBJR":
                _object_reference(tree, node, parent)
            elif "/S" in node and node.objgen not in seen:
                if node.objgen != (0, 0):
                    seen.add(node.objgen)
                todo.extend(_element(tree, node, parent, page, path, pages, roles))
    return tree


def _element(tree: Tree, node, parent, page, path: str, pages, roles) -> list:
    raw = str(node.get("/S"))[1:]
    own = node.get("/Pg")
    page = own.objgen if isinstance(own, pikepdf.Dictionary) else page
    counts = parent.counts if parent else tree.counts
    index = counts[raw]
    counts[raw] += 1
    where = f"{path}/{raw}[{index}]" if parent else f"StructTreeRoot/{raw}[{index}]"
    element = Element(node, roles.resolve(raw, where), raw, where, pages.get(page, 0), parent)
    tree.elements.append(element)
    if parent:
        parent.kids.append(element)
    return [(kid, element, page, where) for kid in reversed(_kids(node))]


def _kids(node: pikepdf.Dictionary) -> list:
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return [int(k) if isinstance(k, int) else k for k in items]


def _hold(tree: Tree, key: tuple[Any, int], parent: Element | None) -> None:
    if parent is not None and key[0] is not None:
        tree.mcids.setdefault(key, parent)
        tree.held.setdefault(key[0], set()).add(key[1])


def _marked_reference(tree: Tree, node, page, parent) -> None:
    stream, own = node.get("/Stm"), node.get("/Pg")
    where = stream if isinstance(stream, pikepdf.Stream) else own
    key = where.objgen if isinstance(where, pikepdf.Object) else page
    if isinstance(node.get("/MCID"), int):
        _hold(tree, (key, int(node.MCID)), parent)


def _object_reference(tree: Tree, node, parent) -> None:
    target = node.get("/Obj")
    if isinstance(target, pikepdf.Dictionary) and parent is not None:
        tree.objrs.setdefault(target.objgen, parent)


class _RoleMap:
    """The RoleMap, each type resolved once; its faults reported once."""

    def __init__(self, mapping: Any, found: Findings):
        self.map = mapping if isinstance(mapping, pikepdf.Dictionary) else pikepdf.Dictionary()
        self.found, self.known = found, {}

    def resolve(self, raw: str, path: str) -> str:
        if raw not in self.known:
            self.known[raw] = self._follow(raw, path)
        return self.known[raw]

    def _follow(self, raw: str, path: str) -> str:
        if raw in STANDARD and f"/{raw}" in self.map:
            self.found.fail("02-004", 0, f"RoleMap/{raw}", f"the standard type {raw} is remapped")
        chain, kind = [raw], raw
        while kind not in STANDARD:
            target = self.map.get(f"/{kind}")
            if not isinstance(target, pikepdf.Name):
                what = f"'{raw}' is not a standard structure type and is not role-mapped to one"
                self.found.fail("02-001", 0, path, what, "map it in the RoleMap to P, Span, Sect…")
                return raw
            kind = str(target)[1:]
            if kind in chain:
                loop = " → ".join([*chain, kind])
                self.found.fail("02-003", 0, f"RoleMap/{raw}", f"circular role mapping {loop}")
                return raw
            chain.append(kind)
        return kind


# --- what the elements say ----------------------------------------------------------------


def check_elements(tree: Tree, found: Findings) -> None:
    """Figure Alt, heading levels, table and list nesting, each element's Lang."""
    headers: dict[int, bool] = {}  # a table's id: whether its cells name their headers
    for element in tree.elements:
        _check_alt(element, found)
        _check_nesting(element, found)
        _check_scope(element, headers, found)
        lang = element.obj.get("/Lang")
        if lang is not None and not valid_language(str(lang)):
            found.fail("11-001", element.page, element.path, f"Lang '{lang}' is not BCP 47")
    check_headings(tree.elements, found)


def _check_alt(element: Element, found: Findings) -> None:
    if element.kind != "Figure":
        return
    if any(str(element.obj.get(k, "")).strip() for k in ("/Alt", "/ActualText")):
        return
    found.fail(
        "13-004",
        element.page,
        element.path,
        "a Figure has neither Alt nor ActualText",
        "give every image its alt text (docs/accessibility.md)",
    )


def _check_scope(element: Element, headers: dict[int, bool], found: Findings) -> None:
    """A TH says what it heads (a Scope attribute), unless its table's cells name their
    headers (Headers and IDs)."""
    if element.kind != "TH" or attribute(element.obj, "/Scope") is not None:
        return
    table = element.parent
    while table is not None and table.kind != "Table":
        table = table.parent
    if table is not None and id(table) not in headers:
        headers[id(table)] = _names_headers(table)
    if table is None or not headers[id(table)]:
        what = "a TH has no Scope and its table's cells have no Headers"
        found.fail("15-003", element.page, element.path, what, "give each TH a Scope")


def _names_headers(table: Element) -> bool:
    todo = list(table.kids)
    while todo:
        cell = todo.pop()
        if cell.kind in ("TD", "TH") and attribute(cell.obj, "/Headers") is not None:
            return True
        todo.extend(cell.kids)
    return False


def attribute(obj: pikepdf.Dictionary, key: str) -> Any:
    """An element's attribute (in its A dictionary, or one of an array of them)."""
    owners = obj.get("/A")
    for owner in owners if isinstance(owners, pikepdf.Array) else [owners]:
        if isinstance(owner, pikepdf.Dictionary) and key in owner:
            return owner[key]
    return None


def _check_nesting(element: Element, found: Findings) -> None:
    rule = ALLOWED.get(element.kind)
    if rule:
        checkpoint, allowed = rule
        for kid in element.kids:
            if kid.kind not in allowed:
                what = f"{element.kind} holds {kid.kind}; allowed: {', '.join(sorted(allowed))}"
                found.fail(checkpoint, kid.page, kid.path, what)
    parents = PARENTS.get(element.kind)
    if parents and (element.parent is None or element.parent.kind not in parents):
        checkpoint = "09-005" if element.kind == "LI" else "09-004"
        above = element.parent.kind if element.parent else "StructTreeRoot"
        what = f"{element.kind} inside {above}; it belongs in {' or '.join(sorted(parents))}"
        found.fail(checkpoint, element.page, element.path, what)


def check_headings(elements: list[Element], found: Findings) -> None:
    """At least one heading; numbered ones start at H1 and skip no level going down."""
    heads = [e for e in elements if e.kind == "H" or (e.kind[:1] == "H" and e.kind[1:].isdigit())]
    if not heads:
        found.fail("14-001", 0, "StructTreeRoot", "the document has no heading (H1–H6)")
        return
    numbered = [e for e in heads if e.kind != "H"]
    if numbered and len(numbered) != len(heads):
        found.fail("14-007", heads[0].page, heads[0].path, "H and H1–H6 are both used")
    if numbered and numbered[0].kind != "H1":
        first = numbered[0]
        found.fail("14-002", first.page, first.path, f"the first heading is {first.kind}, not H1")
    level = 0
    for head in numbered:
        now = int(head.kind[1:])
        if now > level + 1 and level:
            what = f"{head.kind} follows H{level}: level {level + 1} is skipped"
            found.fail("14-003", head.page, head.path, what)
        level = now
