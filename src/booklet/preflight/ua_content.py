"""Turn a page's content streams into what PDF/UA asks of them: marked content and glyphs.

The walk follows BDC/BMC/EMC nesting through the page and the form XObjects it draws and
records, for `ua`: every painting operator outside both an MCID'd sequence and an
Artifact (Matterhorn 01-005), tagged content inside an Artifact (01-004) and the reverse
(01-003), the MCIDs each stream holds, the forms with MCIDs drawn more than once (30-002),
and the character codes shown in each font (for the Unicode check, 10-001).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Name

from .content import MAX_DEPTH
from .ua_rules import valid_language

OP_LIMIT = 2_000_000  # operators a page's walk handles, its forms included

PAINT = frozenset(
    ["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Tj", "TJ", "'", '"', "INLINE IMAGE"]
)
SHOW = frozenset(["Tj", "TJ", "'", '"'])

Key = tuple[int, int]  # a stream's object number and generation: where an MCID lives


@dataclass
class Mark:
    """One open marked-content sequence: its tag, its MCID if any, whether an Artifact."""

    tag: str
    mcid: int | None
    artifact: bool


@dataclass
class Walked:
    """What the content walk of one page found."""

    untagged: int = 0  # painting operators in neither an MCID'd sequence nor an Artifact
    first_untagged: str = ""  # the first one's operator, to name in the finding
    tagged_in_artifact: int = 0  # 01-004
    artifact_in_tagged: int = 0  # 01-003
    mcids: dict[Key, set[int]] = field(default_factory=dict)  # stream → MCIDs in it
    duplicate_mcids: list[tuple[Key, int]] = field(default_factory=list)
    form_uses: Counter[Key] = field(default_factory=Counter)  # forms with MCIDs → uses
    codes: dict[Key, set[bytes]] = field(default_factory=dict)  # font → codes shown
    fonts: dict[Key, Any] = field(default_factory=dict)  # font → its dictionary
    forms: dict[Key, Any] = field(default_factory=dict)  # forms with MCIDs → the stream
    bad_langs: list[str] = field(default_factory=list)  # Lang of a sequence, not BCP 47
    ops: int = 0
    cut: bool = False  # the walk stopped at OP_LIMIT


def walk_page(page: pikepdf.Page, walked: Walked | None = None) -> Walked:
    """Walk one page's content (its forms included) and return what was found."""
    walked = walked or Walked()
    walked.ops = 0  # the limit is a page's, as the print preflight's: not the file's
    resources = page.obj.get("/Resources")
    _walk(page.obj, resources, page.obj.objgen, [], walked, 0, set())
    return walked


def _walk(
    stream: Any, resources: Any, key: Key, stack: list[Mark], walked: Walked, depth: int, active
) -> None:
    try:
        ops = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError:
        return
    font: Any = None
    for operands, operator in ops:
        walked.ops += 1
        if walked.ops > OP_LIMIT:
            walked.cut = True
            return
        op = str(operator)
        if op in ("BDC", "BMC"):
            _open(operands, op, resources, key, stack, walked)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf" and operands:
            font = _font(resources, operands[0], walked)
        elif op == "Do" and operands:
            _draw(operands[0], resources, stack, walked, depth, active)
        if op in PAINT:
            _paint(op, stack, walked)
        if op in SHOW and font is not None:
            _codes(operands, font, walked)


def _open(operands, op: str, resources: Any, key: Key, stack: list[Mark], walked: Walked) -> None:
    tag = str(operands[0]) if operands else ""
    props = operands[1] if op == "BDC" and len(operands) > 1 else None
    if isinstance(props, pikepdf.Name):  # a named property list in the resources
        named = _resource(resources, "/Properties", props)
        props = named if isinstance(named, pikepdf.Dictionary) else None
    mcid = None
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        try:
            mcid = int(props.MCID)
        except (TypeError, ValueError):
            mcid = None
    lang = props.get("/Lang") if isinstance(props, pikepdf.Dictionary) else None
    if lang is not None and not valid_language(str(lang)):
        walked.bad_langs.append(str(lang))
    artifact = tag == "/Artifact"
    inside_artifact = any(m.artifact for m in stack)
    inside_tagged = any(m.mcid is not None for m in stack)
    if mcid is not None and inside_artifact:
        walked.tagged_in_artifact += 1
    if artifact and inside_tagged:
        walked.artifact_in_tagged += 1
    if mcid is not None:
        held = walked.mcids.setdefault(key, set())
        if mcid in held:
            walked.duplicate_mcids.append((key, mcid))
        held.add(mcid)
    stack.append(Mark(tag, mcid, artifact))


def _paint(op: str, stack: list[Mark], walked: Walked) -> None:
    if any(m.artifact or m.mcid is not None for m in stack):
        return
    walked.untagged += 1
    walked.first_untagged = walked.first_untagged or op


def _draw(name: Any, resources: Any, stack: list[Mark], walked: Walked, depth: int, active):
    xobject = _resource(resources, "/XObject", name)
    if not isinstance(xobject, pikepdf.Stream):
        return
    subtype = xobject.get("/Subtype")
    if subtype == Name.Image:
        _paint("Do", stack, walked)
        return
    if subtype != Name.Form or depth >= MAX_DEPTH or xobject.objgen in active:
        return
    key = xobject.objgen
    before = len(walked.mcids.get(key, ()))
    own = xobject.get("/Resources", resources)
    active.add(key)
    try:
        _walk(xobject, own, key, list(stack), walked, depth + 1, active)
    finally:
        active.discard(key)
    if walked.mcids.get(key) or before:
        walked.form_uses[key] += 1
        walked.forms[key] = xobject


def _font(resources: Any, name: Any, walked: Walked) -> Any:
    font = _resource(resources, "/Font", name)
    if not isinstance(font, pikepdf.Dictionary):
        return None
    walked.fonts.setdefault(font.objgen, font)
    return font


def _codes(operands, font: Any, walked: Walked) -> None:
    shown = walked.codes.setdefault(font.objgen, set())
    width = 2 if font.get("/Subtype") == Name.Type0 else 1
    for operand in operands:
        parts = operand if isinstance(operand, pikepdf.Array) else [operand]
        for part in parts:
            if isinstance(part, pikepdf.String):
                raw = bytes(part)
                shown.update(raw[i : i + width] for i in range(0, len(raw), width))


def _resource(resources: Any, category: str, name: Any) -> Any:
    if not isinstance(resources, pikepdf.Dictionary):
        return None
    group = resources.get(category)
    if not isinstance(group, pikepdf.Dictionary):
        return None
    return group.get(str(name))
