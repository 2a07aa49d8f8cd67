"""`booklet preflight --ua`: each PDF/UA condition on a small tagged PDF made by hand.

`tagged()` makes a PDF that passes every condition: a heading, a paragraph, a figure with
Alt, a list, a table and a link (annotation in a Link element), an artifact, an embedded
font with a standard encoding, XMP with pdfuaid:part 1. Each test breaks one condition and
expects exactly that finding's code.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from booklet.cli.commands import main
from booklet.preflight.ua import check_ua
from booklet.preflight.ua_fonts import cmap_codes
from booklet.preflight.ua_rules import valid_language
from booklet.prepress.xmp import parse_xmp

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "noto" / "NotoSans-Regular.ttf"

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   {title}
   {part}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
TITLE = '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">A test</rdf:li></rdf:Alt></dc:title>'
PART = "<pdfuaid:part>1</pdfuaid:part>"

# MCIDs: 0 H1, 1 P, 2 Figure, 3 Link text, 4 Lbl, 5 LBody, 6 TD; the rule is an Artifact
CONTENT = b"""/Artifact BMC 0 0 0 RG 10 20 m 200 20 l S EMC
/H1 <</MCID 0>> BDC BT /F1 14 Tf 10 280 Td (Title) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 10 Tf 10 260 Td (Some text.) Tj ET EMC
/Figure <</MCID 2>> BDC q 20 0 0 20 10 220 cm /Im0 Do Q EMC
/Link <</MCID 3>> BDC BT /F1 10 Tf 10 200 Td (A link) Tj ET EMC
/Lbl <</MCID 4>> BDC BT /F1 10 Tf 10 180 Td (1.) Tj ET EMC
/LBody <</MCID 5>> BDC BT /F1 10 Tf 30 180 Td (Item) Tj ET EMC
/TD <</MCID 6>> BDC BT /F1 10 Tf 10 160 Td (Cell) Tj ET EMC
"""


def _font(pdf: pikepdf.Pdf) -> Dictionary:
    program = pdf.make_stream(FONT.read_bytes())
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/NotoSans-Regular"),
        Flags=32,
        FontBBox=[-600, -300, 2800, 1100],
        ItalicAngle=0,
        Ascent=1069,
        Descent=-293,
        CapHeight=714,
        StemV=80,
        FontFile2=program,
    )
    return Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        BaseFont=Name("/NotoSans-Regular"),
        FirstChar=32,
        LastChar=126,
        Widths=[500] * 95,
        Encoding=Name.WinAnsiEncoding,
        FontDescriptor=pdf.make_indirect(descriptor),
    )


def _element(pdf, kind: str, parent, page, kids, **extra) -> Dictionary:
    node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind), P=parent))
    node.Pg = page
    node.K = kids
    for key, value in extra.items():
        node[Name("/" + key)] = value
    return node


def tagged(content: bytes = CONTENT) -> pikepdf.Pdf:
    """A small PDF that passes every condition `check_ua` checks."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0].obj
    image = pdf.make_stream(b"\x80\x80\x80", Type=Name.XObject, Subtype=Name.Image)
    image.Width, image.Height, image.BitsPerComponent = 1, 1, 8
    image.ColorSpace = Name.DeviceRGB
    page.Resources = Dictionary(
        Font=Dictionary(F1=pdf.make_indirect(_font(pdf))), XObject=Dictionary(Im0=image)
    )
    page.Contents = pdf.make_stream(content)
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    doc = _element(pdf, "Document", root, page, Array())
    link = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[10, 195, 60, 210],
            Border=[0, 0, 0],
            Contents=String("Link to example.org"),
            A=Dictionary(S=Name.URI, URI=String("https://example.org/")),
            StructParent=1,
        )
    )
    page.Annots = Array([link])
    page.Tabs = Name.S
    page.StructParents = 0
    h1 = _element(pdf, "H1", doc, page, 0)
    p = _element(pdf, "P", doc, page, 1)
    fig = _element(pdf, "Figure", doc, page, 2, Alt=String("A grey square"))
    objr = Dictionary(Type=Name.OBJR, Obj=link, Pg=page)
    anchor = _element(pdf, "Link", doc, page, Array([3, objr]))
    lst = _element(pdf, "L", doc, page, Array())
    item = _element(pdf, "LI", lst, page, Array())
    lbl = _element(pdf, "Lbl", item, page, 4)
    body = _element(pdf, "LBody", item, page, 5)
    item.K = Array([lbl, body])
    lst.K = Array([item])
    table = _element(pdf, "Table", doc, page, Array())
    row = _element(pdf, "TR", table, page, Array())
    cell = _element(pdf, "TD", row, page, 6)
    row.K = Array([cell])
    table.K = Array([row])
    doc.K = Array([h1, p, fig, anchor, lst, table])
    root.K = doc
    marks = Array([h1, p, fig, anchor, lbl, body, cell])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, marks, 1, anchor])))
    root.ParentTreeNextKey = 2
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en")
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    metadata(pdf)
    return pdf


def metadata(pdf: pikepdf.Pdf, title: str = TITLE, part: str = PART) -> None:
    packet = XMP.format(title=title, part=part).encode()
    pdf.Root.Metadata = pdf.make_stream(packet, Type=Name.Metadata, Subtype=Name.XML)


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def codes(pdf: pikepdf.Pdf | bytes, severity: str = "error") -> set[str]:
    data = pdf if isinstance(pdf, bytes) else saved(pdf)
    return {d.code for d in check_ua(data, "t.pdf") if d.severity == severity}


def _struct(pdf: pikepdf.Pdf, kind: str) -> Dictionary:
    """The first structure element of this type (document order)."""
    todo = [pdf.Root.StructTreeRoot.K]
    while todo:
        node = todo.pop(0)
        if isinstance(node, Dictionary) and node.get("/S") == Name("/" + kind):
            return node
        kids = node.get("/K") if isinstance(node, Dictionary) else None
        todo.extend(kids if isinstance(kids, Array) else [kids] if kids is not None else [])
    raise KeyError(kind)


def test_the_hand_made_tagged_pdf_passes_every_condition():
    pdf = tagged()
    assert codes(pdf) == set()
    assert codes(pdf, "warning") == set()


def _rename(kind: str, new: str):
    def change(pdf):
        _struct(pdf, kind).S = Name("/" + new)

    return change


def _content(old: bytes, new: bytes):
    def change(pdf):
        data = pdf.pages[0].obj.Contents.read_bytes()
        assert old in data
        pdf.pages[0].obj.Contents.write(data.replace(old, new))

    return change


def _del(where, key: str):
    def change(pdf):
        del where(pdf)[key]

    return change


def _set(where, key: str, value):
    def change(pdf):
        where(pdf)[key] = value() if callable(value) else value

    return change


def _page(pdf):
    return pdf.pages[0].obj


def _link(pdf):
    return pdf.pages[0].obj.Annots[0]


def _role_map(mapping: dict[str, str]):
    def change(pdf):
        pdf.Root.StructTreeRoot.RoleMap = Dictionary(
            {f"/{k}": Name(f"/{v}") for k, v in mapping.items()}
        )

    return change


def _parent_tree_entry(index: int, value):
    def change(pdf):
        marks = pdf.Root.StructTreeRoot.ParentTree.Nums[1]
        while len(marks) <= index:
            marks.append(None)
        marks[index] = value(pdf) if callable(value) else value

    return change


def _second_annotation(pdf):
    note = Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=[0, 0, 10, 10], Contents="x")
    pdf.pages[0].obj.Annots.append(pdf.make_indirect(note))


def _stray_mcid(pdf):
    _content(b"/TD", b"/P <</MCID 9>> BDC BT /F1 9 Tf 5 5 Td (x) Tj ET EMC\n/TD")(pdf)
    _parent_tree_entry(9, lambda pdf: _struct(pdf, "P"))(pdf)


def _link_in_a_paragraph(pdf):
    anchor, p = _struct(pdf, "Link"), _struct(pdf, "P")
    objr = anchor.K[1]
    anchor.K = Array([3])
    p.K = Array([1, objr])
    pdf.Root.StructTreeRoot.ParentTree.Nums[3] = p


def pdf_set_parent(pdf, element):
    pdf.Root.StructTreeRoot.ParentTree.Nums[3] = element


def _unmapped_glyph(pdf):
    font = pdf.pages[0].obj.Resources.Font.F1
    font.Encoding = Dictionary(Type=Name.Encoding, Differences=Array([84, Name("/g123")]))


CONDITIONS = {
    "no MarkInfo": (_del(lambda p: p.Root, "/MarkInfo"), {"ua-marked"}),
    "Suspects true": (
        _set(lambda p: p.Root, "/MarkInfo", lambda: Dictionary(Marked=True, Suspects=True)),
        {"ua-01-007"},
    ),
    "no Lang": (_del(lambda p: p.Root, "/Lang"), {"ua-11-001"}),
    "Lang not BCP 47": (_set(lambda p: p.Root, "/Lang", String("English!")), {"ua-11-001"}),
    "element Lang not BCP 47": (
        _set(lambda p: _struct(p, "P"), "/Lang", String("en_US")),
        {"ua-11-001"},
    ),
    "span Lang not BCP 47": (
        _content(b"/P <</MCID 1>>", b"/P <</MCID 1 /Lang (az_AZ)>>"),
        {"ua-11-001"},
    ),
    "no DisplayDocTitle": (
        _set(lambda p: p.Root, "/ViewerPreferences", lambda: Dictionary()),
        {"ua-07-001"},
    ),
    "DisplayDocTitle false": (
        _set(lambda p: p.Root, "/ViewerPreferences", lambda: Dictionary(DisplayDocTitle=False)),
        {"ua-07-002"},
    ),
    "no XMP": (_del(lambda p: p.Root, "/Metadata"), {"ua-06-001"}),
    "no pdfuaid:part": (lambda p: metadata(p, part=""), {"ua-06-002"}),
    "pdfuaid:part 2": (lambda p: metadata(p, part="<pdfuaid:part>2</pdfuaid:part>"), {"ua-06-002"}),
    "no dc:title": (lambda p: metadata(p, title=""), {"ua-06-003"}),
    "no Tabs on a page with a link": (_del(_page, "/Tabs"), {"ua-28-008"}),
    "Tabs R": (_set(_page, "/Tabs", Name.R), {"ua-28-009"}),
    "untagged painting": (_content(b"/TD", b"0 0 5 5 re f\n/TD"), {"ua-01-005"}),
    "untagged image": (_content(b"/TD", b"q /Im0 Do Q\n/TD"), {"ua-01-005"}),
    "MCID in no element": (_stray_mcid, {"ua-01-005"}),
    "tagged inside an Artifact": (
        _content(b"/P <</MCID 1>> BDC", b"/Artifact BMC /P <</MCID 1>> BDC"),
        {"ua-01-004"},
    ),
    "Artifact inside tagged content": (
        _content(b"(Some text.) Tj ET", b"(Some text.) Tj ET /Artifact BMC 0 0 1 1 re f EMC"),
        {"ua-01-003"},
    ),
    "MCID missing from the ParentTree": (_parent_tree_entry(1, None), {"ua-parent-tree"}),
    "ParentTree names an MCID the page lacks": (
        _parent_tree_entry(8, lambda pdf: _struct(pdf, "P")),
        {"ua-parent-tree"},
    ),
    "no StructParents": (_del(_page, "/StructParents"), {"ua-parent-tree"}),
    "non-standard type": (_rename("P", "Para"), {"ua-02-001"}),
    "circular role map": (
        lambda p: (_rename("P", "Para")(p), _role_map({"Para": "Body", "Body": "Para"})(p)),
        {"ua-02-003"},
    ),
    "standard type remapped": (_role_map({"P": "Span"}), {"ua-02-004"}),
    "Figure without Alt": (_del(lambda p: _struct(p, "Figure"), "/Alt"), {"ua-13-004"}),
    "no heading": (_rename("H1", "P"), {"ua-14-001"}),
    "first heading H2": (_rename("H1", "H2"), {"ua-14-002"}),
    "H and H1 mixed": (
        lambda p: _struct(p, "Document").K.append(
            _element(p, "H", _struct(p, "Document"), _page(p), Array())
        ),
        {"ua-14-007"},
    ),
    "heading level skipped": (
        lambda p: _struct(p, "Document").K.append(
            _element(p, "H3", _struct(p, "Document"), _page(p), Array())
        ),
        {"ua-14-003"},
    ),
    "Link without Contents": (_del(_link, "/Contents"), {"ua-28-012"}),
    "Link without StructParent": (_del(_link, "/StructParent"), {"ua-28-011"}),
    "Link in a P, not a Link element": (_link_in_a_paragraph, {"ua-28-011"}),
    "StructParent names another element": (
        lambda p: pdf_set_parent(p, _struct(p, "Figure")),
        {"ua-28-011"},
    ),
    "other annotation not in the tree": (_second_annotation, {"ua-28-002"}),
    "font not embedded": (
        _del(lambda p: p.pages[0].obj.Resources.Font.F1.FontDescriptor, "/FontFile2"),
        {"ua-31-009"},
    ),
    "glyph with no Unicode": (_unmapped_glyph, {"ua-10-001"}),
    "TR holds a P": (_rename("TD", "P"), {"ua-09-004"}),
    "TD outside a TR": (_rename("TR", "Div"), {"ua-09-004"}),
    "TH without Scope": (_rename("TD", "TH"), {"ua-15-003"}),
    "LI holds a P": (_rename("Lbl", "P"), {"ua-09-005"}),
    "LI outside an L": (_rename("L", "Div"), {"ua-09-005"}),
}


@pytest.mark.parametrize("change, expected", CONDITIONS.values(), ids=CONDITIONS.keys())
def test_each_condition_fails_alone(change, expected):
    pdf = tagged()
    change(pdf)
    assert codes(pdf) == expected


def test_no_structure_tree_is_reported_and_its_consequences_named():
    pdf = tagged()
    del pdf.Root.StructTreeRoot
    found = codes(pdf)
    assert "ua-structure" in found
    # without a tree, no MCID is in an element and the link is in no Link element
    assert found <= {"ua-structure", "ua-01-005", "ua-28-011", "ua-parent-tree"}


def test_a_role_mapped_type_a_glyph_list_name_and_actual_text_pass():
    pdf = tagged()
    _rename("P", "Para")(pdf)
    _role_map({"Para": "P"})(pdf)
    _content(b"/P <</MCID 1>>", b"/P <</MCID 1 /Lang (ar-EG)>>")(pdf)
    fig = _struct(pdf, "Figure")
    del fig.Alt
    fig.ActualText = String("A grey square")
    font = pdf.pages[0].obj.Resources.Font.F1
    font.Encoding = Dictionary(Type=Name.Encoding, Differences=Array([84, Name("/T")]))
    assert codes(pdf) == set()


def test_a_page_without_annotations_and_without_tabs_is_a_warning():
    pdf = tagged()
    del pdf.pages[0].obj.Tabs
    del pdf.pages[0].obj.Annots
    _del(lambda p: _struct(p, "Link"), "/K")(pdf)
    _struct(pdf, "Link").K = 3
    del pdf.Root.StructTreeRoot.ParentTree.Nums[2:4]
    assert codes(pdf) == set()
    assert codes(pdf, "warning") == {"ua-tabs"}


def test_encryption_that_blocks_assistive_technology():
    pdf = tagged()
    readable = pikepdf.Encryption(owner="owner", user="", R=6)
    plain = saved(pdf, encryption=readable, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert codes(plain) == set()  # encrypted, text open to assistive technology
    # qpdf always allows accessibility (PDF 2.0 ignores the bit): clear bit 10 by hand
    assert plain.count(b"/P -1028") == 1
    locked = plain.replace(b"/P -1028", b"/P -1540")
    assert codes(locked) == {"ua-26-002"}


def test_xmp_properties_as_attributes_and_a_hostile_packet():
    xmp = parse_xmp(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description pdfuaid:part="1" '
        b'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"/></rdf:RDF></x:xmpmeta>'
    )
    assert xmp.values["pdfuaid:part"] == "1"
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>'
    assert not parse_xmp(bomb).readable


def test_to_unicode_cmaps_and_language_tags():
    cmap = b"""begincmap 2 beginbfchar <0003> <0041> <0004> <0042> endbfchar
    1 beginbfrange <0010> <0020> <0061> endbfrange 1 beginbfrange <0030> <0031> [<0062> <0063>]
    endbfrange endcmap"""
    wanted = {b"\x00\x03", b"\x00\x05", b"\x00\x15", b"\x00\x31", b"\x00\x32"}
    assert cmap_codes(cmap, wanted) == {b"\x00\x03", b"\x00\x15", b"\x00\x31"}
    for tag in ("en", "az-Latn-AZ", "sr-Cyrl", "ar-EG", "zh-Hant-TW", "x-private", "de-CH-1996"):
        assert valid_language(tag), tag
    for tag in ("", "en_US", "English!", "e", "en--us", "123"):
        assert not valid_language(tag), tag


def test_painting_inside_a_form_inherits_the_mcid_around_its_do():
    pdf = tagged()
    form = pdf.make_stream(b"0 0 5 5 re f", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 5, 5])
    pdf.pages[0].obj.Resources.XObject.Fm0 = form
    _content(b"/Im0 Do Q EMC", b"/Im0 Do Q /Fm0 Do EMC")(pdf)
    assert codes(pdf) == set()
    _content(b"/TD", b"/Fm0 Do\n/TD")(pdf)
    assert codes(pdf) == {"ua-01-005"}


def test_the_command_line(tmp_path, capsys):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(saved(tagged()))
    broken = tagged()
    del broken.Root.MarkInfo
    bad.write_bytes(saved(broken))
    assert main(["preflight", "--ua", str(good)]) == 0
    assert "preflight passed (0 errors, 0 warnings)" in capsys.readouterr().out
    assert main(["preflight", "--ua", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "MarkInfo.Marked: ISO 14289-1 7.1" in out and "preflight failed (1 error" in out
    assert main(["preflight", "--ua", "--json", str(bad)]) == 1
    assert '"code": "ua-marked"' in capsys.readouterr().out
    # --booklet is the page-count rule with --ua (and --pdfa) too: it was dropped
    pages = len(pikepdf.open(good).pages)
    assert pages % 4
    assert main(["preflight", "--ua", "--booklet", str(good)]) == 1
    assert f"a booklet needs a multiple of 4 pages, found {pages}" in capsys.readouterr().out
    # a file that is no PDF: why, without the name of our in-memory buffer
    text = tmp_path / "notes.txt"
    text.write_text("not a PDF")
    for checks in (["--ua"], ["--pdfa"], []):
        assert main(["preflight", *checks, str(text)]) == 1
        out = capsys.readouterr().out
        assert "notes.txt: not a readable PDF: " in out and "object at 0x" not in out


def sample_files(event: str) -> list[str]:
    """Every screen file the event's build.yaml asks for: each document in each language."""
    import yaml

    spec = yaml.safe_load((ROOT / "content" / event / "build.yaml").read_text(encoding="utf-8"))
    return [f"{d}.{lang}.screen.pdf" for d in spec["documents"] for lang in spec["languages"]]


@pytest.fixture(scope="module")
def sample_screens(sample_out, tmp_path_factory):
    """Both events: the commemoration built once a session (conftest), the conference here."""
    from booklet import build

    out = tmp_path_factory.mktemp("ua-samples")
    build(ROOT / "content" / "conference", out_dir=out)
    return {"commemoration": sample_out, "conference": out / "conference"}


def test_sample_screen_pdfs_pass_ua(sample_screens):
    failed = {}
    names = [(event, name) for event in sample_screens for name in sample_files(event)]
    assert len(names) >= 48  # the commemoration: 6 documents × 5 languages; the conference 6 × 3
    for event, name in names:
        path = sample_screens[event] / name
        errors = [d for d in check_ua(path.read_bytes(), path.name) if d.severity == "error"]
        if errors:
            failed[f"{event}/{name}"] = sorted({d.code for d in errors})
    assert not failed, failed


def test_hostile_structures_end_in_bounded_time():
    """Cycles in the structure tree, the ParentTree and the RoleMap, a form that draws
    itself, 20,000 kids of one element, a broken XMP packet: findings, no exception."""
    pdf = tagged()
    doc = _struct(pdf, "Document")
    p = _struct(pdf, "P")
    p.K = Array([1, doc, p])  # an element holding its parent and itself
    root = pdf.Root.StructTreeRoot
    root.ParentTree.Kids = Array([root.ParentTree])  # a number tree holding itself
    root.RoleMap = Dictionary(A=Name.B, B=Name.A)
    form = pdf.make_stream(b"/Fm0 Do", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1])
    form.Resources = Dictionary(XObject=Dictionary(Fm0=form))
    pdf.pages[0].obj.Resources.XObject.Fm0 = form
    _content(b"/TD", b"/Artifact BMC /Fm0 Do EMC\n/TD")(pdf)
    div = _element(pdf, "Div", doc, _page(pdf), Array())
    div.K = Array([Dictionary(Type=Name.StructElem, S=Name.Span, P=div) for _ in range(20_000)])
    doc.K.append(div)
    pdf.Root.Metadata = pdf.make_stream(b"<x:xmpmeta><unclosed>")
    found = codes(saved(pdf, fix_metadata_version=False))  # pikepdf would mend the packet
    assert found == {"ua-06-001"}


def test_an_element_count_of_one_type_names_each_element():
    pdf = tagged()
    doc = _struct(pdf, "Document")
    for _ in range(3):
        doc.K.append(_element(pdf, "Figure", doc, _page(pdf), Array()))
    data = saved(pdf)
    fields = [d.field for d in check_ua(data, "t.pdf") if d.code == "ua-13-004"]
    assert fields == [f"StructTreeRoot/Document[0]/Figure[{n}]" for n in (1, 2, 3)]


def _form_with_mcid(pdf, uses: int) -> None:
    """The paragraph's text moved into a form XObject, referenced by an MCR with Stm."""
    form = pdf.make_stream(
        b"/P <</MCID 0>> BDC BT /F1 10 Tf 10 260 Td (Some text.) Tj ET EMC",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 300, 300],
        Resources=Dictionary(Font=pdf.pages[0].obj.Resources.Font),
        StructParents=2,
    )
    pdf.pages[0].obj.Resources.XObject.Fm1 = form
    draw = b"/Fm1 Do " * uses
    _content(b"/P <</MCID 1>> BDC BT /F1 10 Tf 10 260 Td (Some text.) Tj ET EMC", draw)(pdf)
    p = _struct(pdf, "P")
    p.K = Dictionary(Type=Name.MCR, MCID=0, Stm=form, Pg=_page(pdf))
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums[1][1] = None  # the page's MCID 1 is gone
    nums.extend([2, Array([p])])
    pdf.Root.StructTreeRoot.ParentTreeNextKey = 3


def test_mcids_inside_a_form_xobject():
    pdf = tagged()
    _form_with_mcid(pdf, 1)
    assert codes(pdf) == set()
    twice = tagged()
    _form_with_mcid(twice, 2)
    assert codes(twice) == {"ua-30-002"}
    unlisted = tagged()
    _form_with_mcid(unlisted, 1)
    del unlisted.pages[0].obj.Resources.XObject.Fm1.StructParents
    assert codes(unlisted) == {"ua-parent-tree"}


def test_a_page_too_long_to_walk_is_reported(monkeypatch):
    from booklet.preflight import ua_content

    monkeypatch.setattr(ua_content, "OP_LIMIT", 10)
    assert "ua-limit" in codes(tagged())


def test_the_operator_limit_is_each_pages_not_the_files(monkeypatch):
    """A deck of a thousand cards has millions of operators, each page a few thousand."""
    from booklet.preflight import ua_content

    pdf = tagged()
    page = pdf.pages[0]
    one = ua_content.walk_page(page).ops
    monkeypatch.setattr(ua_content, "OP_LIMIT", one + 1)
    walked = ua_content.Walked()
    for _ in range(3):
        ua_content.walk_page(page, walked)
    assert not walked.cut and one > 3


def test_ua_and_pdfa_together_on_the_command_line(tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(saved(tagged()))
    assert main(["preflight", "--ua", "--pdfa", "--json", str(good)]) == 1
    out = capsys.readouterr().out
    assert '"ua-' not in out and '"code": "pdfa-intent"' in out


def test_a_file_that_is_no_pdf_is_one_finding(tmp_path, capsys):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    assert main(["preflight", "--ua", "--pdfa", str(junk)]) == 1
    out = capsys.readouterr().out
    assert out.count("not a readable PDF") == 1 and "(1 error, 0 warnings)" in out


def test_a_th_with_a_scope_or_a_table_with_headers_passes():
    scoped = tagged()
    _rename("TD", "TH")(scoped)
    _struct(scoped, "TH").A = Array(
        [Dictionary(O=Name.Layout), Dictionary(O=Name.Table, Scope=Name.Column)]
    )
    assert codes(scoped) == set()
    headed = tagged()
    _rename("TD", "TH")(headed)
    _struct(headed, "TH").A = Dictionary(O=Name.Table, Headers=Array([String("h1")]))
    assert codes(headed) == set()
