"""Turn any PDF into the findings of the machine-checkable PDF/UA-1 (Matterhorn) conditions.

`check_ua(data, name)` reports, each as an error with its Matterhorn checkpoint (`ua_rules`):
the catalog (MarkInfo, StructTreeRoot, Lang, DisplayDocTitle), the XMP (pdfuaid:part 1,
dc:title), encryption, each page's Tabs, its content walked for untagged painting
(`ua_content`), the structure tree (`ua_tree`), the MCIDs against the ParentTree, the
annotations, and the fonts (`ua_fonts`). A finding is located like any preflight finding:
*line* is the page (0 for the whole file), *field* what is wrong.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Name

from ..errors import Diagnostic, Diagnostics, Location
from ..prepress.xmp import read_xmp
from .page import unreadable
from .ua_content import Key, Walked, walk_page
from .ua_fonts import embedded, unmapped
from .ua_rules import Findings, valid_language
from .ua_tree import Tree, check_elements, read_tree

NOT_IN_TREE = frozenset(["/Popup", "/PrinterMark"])  # annotations PDF/UA leaves untagged
PARENT_LIMIT = 200_000  # nodes of a ParentTree read at most


def check_ua(data: bytes, name: str) -> list[Diagnostic]:
    """Every machine-checkable PDF/UA-1 finding for the PDF `data`."""
    out = Diagnostics()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        out.error("ua-26-002", Location(name), "Encrypt", "Matterhorn 26-002: needs a password")
        return out.items
    except (pikepdf.PdfError, ValueError) as exc:
        out.error("pdf", Location(name), "", unreadable(exc))
        return out.items
    with pdf:
        check_document(pdf, Findings(name, out))
    return sorted(out.items, key=lambda d: (d.location.line if d.location else 0, d.code))


def check_document(pdf: pikepdf.Pdf, found: Findings) -> None:
    """The PDF/UA findings of an open document."""
    _check_encryption(pdf, found)
    _check_catalog(pdf, found)
    _check_metadata(pdf, found)
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
    root = pdf.Root.get("/StructTreeRoot")
    tree = Tree()
    if isinstance(root, pikepdf.Dictionary):
        tree = read_tree(root, numbers, found)
        check_elements(tree, found)
    parents = _number_tree(root.get("/ParentTree") if root is not None else None)
    walked = Walked()
    for number, page in enumerate(pdf.pages, 1):
        _check_page(page, number, walked, tree, parents, found)
    _check_forms(walked, tree, parents, found)
    _check_fonts(walked, found)


# --- the document ---------------------------------------------------------------------------


def _check_encryption(pdf: pikepdf.Pdf, found: Findings) -> None:
    crypt = pdf.trailer.get("/Encrypt")
    if not pdf.is_encrypted and not isinstance(crypt, pikepdf.Dictionary):
        return
    p = crypt.get("/P") if isinstance(crypt, pikepdf.Dictionary) else None
    if not isinstance(p, int):
        found.fail("26-001", 0, "Encrypt", "the file is encrypted and its Encrypt has no P")
    elif not int(p) & 512:
        what = "the encryption forbids extracting text for accessibility (P bit 10 is off)"
        found.fail("26-002", 0, "Encrypt.P", what, "allow accessibility, or do not encrypt")


def _check_catalog(pdf: pikepdf.Pdf, found: Findings) -> None:
    root = pdf.Root
    mark = root.get("/MarkInfo")
    if not isinstance(mark, pikepdf.Dictionary) or mark.get("/Marked") is not True:
        found.fail("marked", 0, "MarkInfo.Marked", "the catalog's MarkInfo has no Marked true")
    elif mark.get("/Suspects") is True:
        found.fail("01-007", 0, "MarkInfo.Suspects", "MarkInfo has Suspects true")
    if not isinstance(root.get("/StructTreeRoot"), pikepdf.Dictionary):
        hint = "a tagged PDF has a structure tree; the file is not tagged"
        found.fail("structure", 0, "StructTreeRoot", "the catalog has no StructTreeRoot", hint)
    lang = root.get("/Lang")
    if lang is None or not str(lang).strip():
        found.fail("11-001", 0, "Lang", "the catalog has no Lang: the language is not given")
    elif not valid_language(str(lang)):
        found.fail("11-001", 0, "Lang", f"Lang '{lang}' is not a BCP 47 language tag")
    prefs = root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if isinstance(prefs, pikepdf.Dictionary) else None
    if shown is None:
        found.fail("07-001", 0, "ViewerPreferences", "no DisplayDocTitle in ViewerPreferences")
    elif shown is not True:
        found.fail("07-002", 0, "ViewerPreferences.DisplayDocTitle", "DisplayDocTitle is false")


def _check_metadata(pdf: pikepdf.Pdf, found: Findings) -> None:
    xmp = read_xmp(pdf)
    if xmp is None or not xmp.readable:
        what = "the catalog has no XMP metadata" if xmp is None else "the XMP cannot be parsed"
        found.fail("06-001", 0, "Metadata", what)
        return
    part = xmp.values.get("pdfuaid:part")
    if part != "1":
        what = "pdfuaid:part is missing" if part is None else f"pdfuaid:part is {part}, not 1"
        found.fail("06-002", 0, "Metadata", f"{what}: the file does not claim PDF/UA-1")
    if not xmp.title:
        found.fail("06-003", 0, "Metadata", "the XMP has no dc:title")


# --- pages, their content and annotations ---------------------------------------------------


def _check_page(page: pikepdf.Page, number: int, walked: Walked, tree, parents, found) -> None:
    before = (walked.untagged, walked.tagged_in_artifact, walked.artifact_in_tagged)
    walked.first_untagged = ""
    walk_page(page, walked)
    path = f"page[{number}]"
    untagged = walked.untagged - before[0]
    if untagged:
        what = f"{untagged} painting operators ('{walked.first_untagged}' first) are in"
        what += " neither a marked-content sequence with an MCID nor an Artifact"
        found.fail("01-005", number, f"{path}.Contents", what)
    if walked.tagged_in_artifact - before[1]:
        found.fail("01-004", number, f"{path}.Contents", "tagged content inside an Artifact")
    if walked.artifact_in_tagged - before[2]:
        found.fail("01-003", number, f"{path}.Contents", "an Artifact inside tagged content")
    for lang in walked.bad_langs[:3]:
        what = f"a marked-content sequence has Lang '{lang}', not a BCP 47 tag"
        found.fail("11-001", number, f"{path}.Contents", what)
    walked.bad_langs.clear()
    if walked.cut:
        found.fail("limit", number, path, "the page has too many operators to check them all")
        walked.cut = False
    key = page.obj.objgen
    for stream, mcid in walked.duplicate_mcids:
        if stream == key:
            found.fail("parent-tree", number, f"{path}.Contents", f"MCID {mcid} is used twice")
    walked.duplicate_mcids.clear()
    own = walked.mcids.get(key, set())
    _check_parent_tree(key, page.obj, own, tree, parents, (number, path), found)
    _check_annotations(page, number, tree, parents, found)


def _check_parent_tree(key: Key, holder, own: set[int], tree, parents, where, found) -> None:
    """The MCIDs of one stream against its ParentTree array and the tree's references."""
    number, path = where
    held = tree.held.get(key, set())
    for mcid in sorted(own - held):
        found.fail("01-005", number, path, f"MCID {mcid} is in no structure element")
    for mcid in sorted(held - own):
        found.fail("parent-tree", number, path, f"the structure tree names MCID {mcid}, not here")
    index = holder.get("/StructParents")
    if not own:
        return
    if not isinstance(index, int):
        found.fail("parent-tree", number, f"{path}.StructParents", "MCIDs but no StructParents")
        return
    entry = parents.get(int(index))
    listed = list(entry) if isinstance(entry, pikepdf.Array) else []
    for mcid in sorted(own):
        if mcid >= len(listed) or not isinstance(listed[mcid], pikepdf.Dictionary):
            what = f"MCID {mcid} has no structure element in the ParentTree"
            found.fail("parent-tree", number, f"{path}.StructParents", what)
    extra = [i for i, e in enumerate(listed) if isinstance(e, pikepdf.Dictionary) and i not in own]
    if extra:
        what = f"the ParentTree lists MCIDs {extra[:5]} the content does not have"
        found.fail("parent-tree", number, f"{path}.StructParents", what)


def _check_annotations(page: pikepdf.Page, number: int, tree: Tree, parents, found) -> None:
    annots = page.obj.get("/Annots")
    annots = [a for a in annots if isinstance(a, pikepdf.Dictionary)] if annots else []
    path = f"page[{number}]"
    tabs = page.obj.get("/Tabs")
    if annots and tabs is None:
        found.fail("28-008", number, f"{path}.Tabs", "a page with annotations has no Tabs")
    elif annots and tabs != Name.S:
        found.fail("28-009", number, f"{path}.Tabs", f"Tabs is {tabs}, not /S")
    elif not annots and tabs != Name.S:
        found.warn("tabs", number, f"{path}.Tabs", "Tabs is not /S (no annotation needs it yet)")
    for n, annot in enumerate(annots):
        _check_annotation(annot, (number, f"{path}.Annots[{n}]"), tree, parents, found)


def _check_annotation(annot, where, tree: Tree, parents, found) -> None:
    number, path = where
    subtype = annot.get("/Subtype")
    if subtype in NOT_IN_TREE:
        return
    holder = tree.objrs.get(annot.objgen)
    index = annot.get("/StructParent")
    listed = parents.get(int(index)) if isinstance(index, int) else None
    # the ParentTree must name the very element whose OBJR holds the annotation
    agreed = holder is not None and isinstance(listed, pikepdf.Dictionary)
    agreed = agreed and listed.objgen == holder.obj.objgen
    if subtype == Name.Link:
        if not str(annot.get("/Contents", "")).strip():
            found.fail("28-012", number, path, "a Link annotation has no Contents")
        if index is None:
            found.fail("28-011", number, path, "a Link annotation has no StructParent")
        elif not (agreed and holder.kind == "Link"):
            found.fail("28-011", number, path, "a Link annotation is in no Link element (OBJR)")
        return
    if not agreed:
        what = f"a {str(subtype)[1:]} annotation is not in the structure tree (StructParent, OBJR)"
        found.fail("28-002", number, path, what)


def _check_forms(walked: Walked, tree: Tree, parents, found: Findings) -> None:
    """Forms with MCIDs: drawn once (30-002), their MCIDs in the tree and ParentTree."""
    for key, form in walked.forms.items():
        path = f"XObject[{key[0]} {key[1]} R]"
        uses = walked.form_uses[key]
        if uses > 1:
            found.fail("30-002", 0, path, f"a form with MCIDs is drawn {uses} times")
        own = walked.mcids.get(key, set())
        _check_parent_tree(key, form, own, tree, parents, (0, path), found)


def _check_fonts(walked: Walked, found: Findings) -> None:
    for key, font in walked.fonts.items():
        field = f"Font[{str(font.get('/BaseFont', key))[1:]}]"
        if not embedded(font):
            found.fail("31-009", 0, field, "the font is not embedded", "embed every font used")
        codes = walked.codes.get(key)
        missing = unmapped(font, codes) if codes else []
        if missing:
            shown = ", ".join(c.hex() for c in missing[:8])
            what = f"{len(missing)} character codes map to no Unicode ({shown})"
            found.fail("10-001", 0, field, what, "give the font a ToUnicode CMap")


def _number_tree(node: Any) -> dict[int, Any]:
    """A number tree's entries (ParentTree), read breadth first, cycles and size bounded."""
    entries: dict[int, Any] = {}
    todo, seen = [node], set()
    while todo and len(seen) < PARENT_LIMIT:
        node = todo.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        if node.objgen != (0, 0):
            seen.add(node.objgen)
        nums = node.get("/Nums")
        if isinstance(nums, pikepdf.Array):
            items = list(nums)
            for k, v in zip(items[0::2], items[1::2], strict=False):
                if isinstance(k, int):
                    entries.setdefault(int(k), v)
        kids = node.get("/Kids")
        todo.extend(kids if isinstance(kids, pikepdf.Array) else [])
    return entries
