"""Properties of the pure stages, checked with hypothesis: loader, overlay, markup, imposition."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from booklet.errors import BookletError, Diagnostics, Location
from booklet.impose.plan import padded_order, plan_saddle
from booklet.language.text import markup
from booklet.read.nodes import MAX_DEPTH, MAX_NODES, MAX_SCALAR_CHARS, Node, load_yaml, overlay

from .conftest import ROOT

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _work() -> Path:
    return Path(tempfile.mkdtemp(prefix="booklet-properties-"))


@pytest.fixture(scope="module", autouse=True)
def _remove_work_folder():
    yield
    if _work.cache_info().currsize:
        shutil.rmtree(_work(), ignore_errors=True)


# --- the loader ----------------------------------------------------------------------------

# Pieces of YAML, so that random text is often nearly valid and reaches deep into the parser.
YAML_PIECES = [
    "a", "b", "id", "title", ": ", ":", "- ", "-", "\n", "  ", "    ", "[", "]", "{", "}",
    ", ", "'", '"', "#", "&x ", "*x", "!!str ", "!!python/object:os.system ", "|", ">",
    "---", "...", "? ", "~", "null", "14:00", "0613", "NO", "2026-02-26", "\t", "\\", "%YAML",
    "\ufeff", "é", "ə", "\x00", "\x1b", "\u202e", "{{ x }}",
]  # fmt: skip


def _load(data: bytes) -> Node:
    path = _work() / "prop.yaml"
    path.write_bytes(data)
    return load_yaml(path, _work())


def _check_tree(node: Node, depth: int = 0) -> int:
    """Walk a loaded tree, checking the limits; returns the number of nodes."""
    assert isinstance(node, Node) and isinstance(node.loc, Location)
    assert depth <= MAX_DEPTH + 1
    if node.is_scalar:
        assert len(node.value) <= MAX_SCALAR_CHARS
        return 1
    children = node.value.values() if node.is_map else node.value
    if node.is_map:
        assert all(isinstance(k, str) for k in node.value)
    return 1 + sum(_check_tree(child, depth + 1) for child in children)


def _load_or_refuse(data: bytes) -> None:
    try:
        tree = _load(data)
    except BookletError as exc:
        assert exc.diagnostics and all(d.severity == "error" for d in exc.diagnostics)
        return
    assert _check_tree(tree) <= MAX_NODES


@FAST
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=60).map("".join))
@example("a: &x [1]\nb: *x\n")
@example("[" * 200)
@example("a: 1\na: 2\n")
def test_yaml_like_text_loads_or_is_refused_never_crashes(text):
    _load_or_refuse(text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.text(max_size=200))
def test_any_text_loads_or_is_refused(text):
    _load_or_refuse(text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=200))
@example(b"\xff\xfea\x00:\x00")
@example(b"a: caf\xe9\n")
def test_any_bytes_load_or_are_refused(data):
    _load_or_refuse(data)


# Plain scalars as people write them: times, codes, words, dates, "NO", "yes", "~" ...
PLAIN = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._/+=()~-]{0,30}", fullmatch=True).filter(
    lambda s: s == s.strip() and " #" not in s
)


@FAST
@given(PLAIN)
@example("14:00")
@example("0613")
@example("NO")
@example("2026-02-26")
@example("1e3")
@example("0x1F")
@example(".inf")
@example("null")
def test_plain_scalars_stay_as_written(value):
    node = _load(f"k: {value}\n".encode())
    scalar = node.value["k"]
    assert scalar.value == value
    assert (scalar.loc.line, scalar.loc.column) == (1, 4)


ESCAPED = "\u2028\u2029\ufeff\ufffe\uffff"  # line breaks to YAML, a BOM, non-characters


def _double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: escapes for everything YAML would fold or refuse."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0xA0 or char in ESCAPED or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@FAST
@given(st.text(alphabet=st.characters(), max_size=80))
@example("tab\tand\nline feed")
@example("a\x00b")
@example("\r\n")
@example("\x85")
@example("\udc80")
def test_quoted_scalars_round_trip_exactly_or_name_the_control_character(value):
    """Every character but the refused ones comes back as written; the first refused one is
    named by its code point, at the scalar, with the field it is in."""
    refused = REFUSED.search(value)
    try:
        node = _load(f"k: {_double_quoted(value)}\n".encode())
    except BookletError as exc:
        assert refused is not None, exc
        [diag] = exc.diagnostics
        if any("\ud800" <= c <= "\udfff" for c in value):  # libyaml refuses the escape itself
            assert diag.message.endswith("found invalid Unicode character escape code")
            return
        assert (diag.code, diag.field) == ("control", "k")
        assert (diag.location.line, diag.location.column) == (1, 4)
        assert f"(U+{ord(refused.group()):04X}" in diag.message
        return
    assert refused is None
    assert node.value["k"].value == value


# --- the overlay merge ---------------------------------------------------------------------

LOC = Location("base.yaml", 1, 1)
TR = Location("tr.yaml", 1, 1)
KEYS = st.sampled_from(["a", "b", "c", "title", "body"])
IDS = st.sampled_from(["x", "y", "z", "w"])


def _scalar(loc: Location):
    return st.text(alphabet="abcé ~", max_size=4).map(lambda v: Node(v, loc, plain=True))


def _map(loc: Location, keys, values):
    return st.dictionaries(keys, values, max_size=3).map(
        lambda d: Node(d, loc, {k: loc for k in d})
    )


def _tree(loc: Location, depth: int = 3, top: bool = False):
    """A base tree: scalars, mappings, plain lists and lists of items with ids."""
    leaf = _scalar(loc)
    if depth == 0:
        return leaf
    sub = _tree(loc, depth - 1)
    mapping = _map(loc, KEYS, sub)
    if top:
        return mapping
    plain_list = st.lists(sub, max_size=3).map(lambda items: Node(items, loc))
    item = st.tuples(IDS, st.dictionaries(KEYS, sub, max_size=2)).map(
        lambda p: Node({"id": Node(p[0], loc, plain=True), **p[1]}, loc, {"id": loc})
    )
    items = st.lists(item, min_size=1, max_size=4).map(lambda xs: Node(xs, loc))
    return st.one_of(leaf, mapping, plain_list, items)


def _translation(depth: int = 3, top: bool = False):
    """A translation: like a base tree, but id lists are maps from id to fields."""
    leaf = _scalar(TR)
    if depth == 0:
        return leaf
    sub = _translation(depth - 1)
    mapping = _map(TR, st.one_of(KEYS, IDS), sub)
    if top:
        return mapping
    return st.one_of(leaf, mapping, st.lists(sub, max_size=2).map(lambda xs: Node(xs, TR)))


BASES = _tree(LOC, top=True)
TRANSLATIONS = _translation(top=True)


def _ids(node: Node) -> list:
    """The ids of the id lists reachable through mappings and items, with their paths.

    A list without ids is replaced whole by its translation (by design: anthems), so the
    id lists inside one are not counted.
    """
    found = []
    if node.is_map:
        for key, child in node.value.items():
            found += [(f"{key}.{p}", i) for p, i in _ids(child)]
    elif node.is_seq and any(item.is_map and "id" in item.value for item in node.value):
        for n, item in enumerate(node.value):
            if item.is_map and "id" in item.value:
                found.append(("", item.value["id"].value))
            found += [(f"[{n}].{p}", i) for p, i in _ids(item)]
    return found


@FAST
@given(BASES)
def test_overlaying_an_empty_translation_returns_the_base(base):
    diags = Diagnostics()
    assert overlay(base, Node({}, TR), "", diags) == base
    assert not diags.items


@FAST
@given(BASES, TRANSLATIONS)
def test_overlay_keeps_every_base_id_in_order(base, tr):
    merged = overlay(base, tr, "", Diagnostics())
    base_ids = _ids(base)
    assert [i for i in _ids(merged) if i in base_ids] == base_ids


@FAST
@given(BASES, TRANSLATIONS)
def test_overlay_is_idempotent(base, tr):
    once = overlay(base, tr, "", Diagnostics())
    assert overlay(once, tr, "", Diagnostics()) == once


def test_overlay_survives_an_id_that_is_not_text():
    item = Node({"id": Node([Node("a", LOC)], LOC)}, LOC, {"id": LOC})
    base = Node({"program": Node([item], LOC)}, LOC, {"program": LOC})
    tr = Node({"program": Node({"a": Node("t", TR)}, TR, {"a": TR})}, TR, {"program": TR})
    overlay(base, tr, "", Diagnostics())


# --- the schema ---------------------------------------------------------------------------

# Keys of the content model and values that each field type refuses or warns about.
CONTENT_KEYS = st.sampled_from(
    [
        "event", "title", "subtitle", "date", "start", "organizers", "organizations", "name",
        "short", "people", "role", "affiliation", "program", "id", "kind", "speaker",
        "duration", "facts", "figure", "label", "source", "sources", "publisher", "url",
        "invitation", "text", "guests", "language", "sections", "body", "anthems", "x",
    ]
)  # fmt: skip
HOSTILE = st.sampled_from(
    [
        "", "~", "a", "ok", "speech", "0613", "14:00", "15 min", "2026-02-30", "en-gb",
        "sr-Latn", "x-klingon", "https://example.org/", "http://example.org/",
        "https://u:p@example.org/", "https://xn--pple-43d.com/", "https://exa mple.org/",
        "a\u202eb", "\u2066", "ـ\u2066", "ب \u00ad", "x" * 301, "../x.csv", "a b " * 70,
        "{{ event.title }}", "{{ event.title * 3 }}", "s", "p", "o", "{guest}",
    ]
)  # fmt: skip


def _content_tree(depth: int = 3):
    leaf = HOSTILE.map(lambda v: Node(v, LOC, plain=True))
    if depth == 0:
        return leaf
    sub = _content_tree(depth - 1)
    return st.one_of(
        leaf,
        st.dictionaries(CONTENT_KEYS, sub, max_size=4).map(
            lambda d: Node(d, LOC, {k: LOC for k in d})
        ),
        st.lists(sub, max_size=3).map(lambda items: Node(items, LOC)),
    )


@FAST
@given(st.dictionaries(CONTENT_KEYS, _content_tree(), max_size=6))
def test_any_tree_converts_to_content_or_is_reported_never_raises(values):
    """Whatever the tree, the schema and the reference check only report: every problem is
    a located diagnostic, and a result is a Content or nothing."""
    from booklet.read.model import Content
    from booklet.read.references import check_content
    from booklet.read.schema import Converter

    diags = Diagnostics()
    converter = Converter(diags, "en")
    content = converter.convert(Node(values, LOC, {k: LOC for k in values}), Content, "")
    if isinstance(content, Content):
        check_content(content, diags, converter.refused)
    else:
        assert diags.errors
    assert all(d.location is not None and d.location.file for d in diags.items)
    assert all(d.code for d in diags.items)


# --- the markup converter --------------------------------------------------------------------

ALLOWED_TAGS = re.compile(r"<b>|</b>|<i>|</i>|<br/>")
ENTITY = re.compile(r"&(amp|lt|gt);")
MARKUP_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("**  *\n<>&;/\"'=abé"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)


@FAST
@given(MARKUP_TEXT)
@example('<font color="red">x</font><img src="/etc/passwd"/><br/>&amp;')
@example("**strong** and *emphasis*")
def test_markup_makes_only_our_tags_and_entities(text):
    out = markup(text)
    bare = ALLOWED_TAGS.sub("", out)
    assert "<" not in bare and ">" not in bare
    assert "&" not in ENTITY.sub("", bare)


@FAST
@given(MARKUP_TEXT)
def test_markup_keeps_the_text(text):
    out = markup(text)
    plain = ALLOWED_TAGS.sub("", out).replace("&lt;", "<").replace("&gt;", ">")
    plain = plain.replace("&amp;", "&")
    assert plain.replace("*", "") == text.strip().replace("\n", "").replace("*", "")


def _serif() -> str:
    faces = {
        (0, 0): "NotoSerif-Regular",
        (1, 0): "NotoSerif-Bold",
        (0, 1): "NotoSerif-Italic",
        (1, 1): "NotoSerif-BoldItalic",
    }
    for name in faces.values():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(ROOT / "fonts" / "noto" / f"{name}.ttf")))
    for (bold, italic), name in faces.items():
        addMapping("NotoSerif-Regular", bold, italic, name)
    return "NotoSerif-Regular"


class MismatchedTags(Exception):
    """ReportLab refused our markup because its tags do not nest."""


@FAST
@given(MARKUP_TEXT)
@example("***both***")
@example("**a *b** c*")
def test_markup_always_parses_as_a_reportlab_paragraph(text):
    style = ParagraphStyle("p", fontName=_serif(), fontSize=9, leading=12)
    try:
        Paragraph(markup(text), style).wrap(300, 10_000)
    except ValueError as exc:
        if "instead of expected" in str(exc):
            raise MismatchedTags(markup(text)) from exc
        raise


# --- the imposition plan -------------------------------------------------------------------------

PAGES = st.integers(min_value=1, max_value=200)
BINDING = st.sampled_from(["left", "right"])
DUPLEX = st.sampled_from(["short-edge", "long-edge"])


@FAST
@given(PAGES)
def test_padded_order_is_a_multiple_of_four_with_the_back_cover_last(pages):
    order = padded_order(pages)
    assert len(order) % 4 == 0 and len(order) - pages < 4
    assert sorted(p for p in order if p is not None) == list(range(1, pages + 1))
    assert order[0] == 1
    if pages > 1:
        assert order[-1] == pages
        assert list(order[: pages - 1]) == list(range(1, pages))


@FAST
@given(PAGES, BINDING, DUPLEX, st.floats(min_value=0, max_value=1, allow_nan=False))
def test_saddle_plan_places_every_page_once(pages, binding, duplex, caliper):
    order = padded_order(pages)
    sheets = plan_saddle(pages, binding=binding, caliper=caliper, duplex=duplex)
    assert len(sheets) == len(order) // 4
    assert [s.number for s in sheets] == list(range(1, len(sheets) + 1))
    slots = [slot for s in sheets for side in (s.front, s.back) for slot in side.slots]
    placed = Counter(slot.page for slot in slots)
    assert placed == Counter(order)
    assert all(placed[p] == 1 for p in range(1, pages + 1))
    for k, sheet in enumerate(sheets):
        assert sheet.front.front and not sheet.back.front
        assert all(slot.creep == pytest.approx(k * caliper) for slot in sheet.front.slots)
        assert {slot.rotation for slot in sheet.back.slots} == (
            {180} if duplex == "long-edge" else {0}
        )


@FAST
@given(PAGES, BINDING, DUPLEX)
def test_saddle_sides_pair_pages_that_face_across_the_fold(pages, binding, duplex):
    order = padded_order(pages)
    last = len(order) - 1
    for k, sheet in enumerate(plan_saddle(pages, binding=binding, duplex=duplex)):
        for n, side in ((2 * k, sheet.front), (2 * k + 1, sheet.back)):
            # Sheet k's front carries reader positions 2k and its mirror, the back 2k + 1.
            assert Counter(side.pages) == Counter((order[n], order[last - n]))


@FAST
@given(st.integers(min_value=2, max_value=200), BINDING)
def test_the_back_cover_is_on_the_outer_sheet_beside_the_front_cover(pages, binding):
    outer = plan_saddle(pages, binding=binding)[0].front.pages
    assert outer == ((pages, 1) if binding == "left" else (1, pages))
