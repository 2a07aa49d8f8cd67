"""The archival copy: `build --archive` writes a PDF/A-2u (or, tagged, 2a) copy of each
screen file, and `preflight --pdfa` checks each claim it makes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name, String

from booklet import build
from booklet.cli.commands import main
from booklet.preflight.pdfa import check_pdfa
from booklet.preflight.ua import check_ua
from booklet.preflight.ua_content import Walked, walk_page
from booklet.preflight.ua_fonts import embedded
from booklet.prepress.archive import archive_file, srgb_profile
from booklet.prepress.xmp import read_xmp

from .test_ua_check import saved, tagged

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "commemoration"


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    build(SAMPLE, ["a5-booklet", "dl-trifold"], ["en", "ar"], out, archive=True)
    return out / "commemoration"


def pdfa_codes(data: bytes) -> set[str]:
    return {d.code for d in check_pdfa(data, "t.pdf")}


def _text(data: bytes, page: int) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        return doc[page].get_textpage().get_text_range()
    finally:
        doc.close()


@pytest.mark.parametrize("stem", ["a5-booklet.en", "a5-booklet.ar", "dl-trifold.en"])
def test_the_archive_copy_of_a_sample_screen_pdf(archived, stem):
    screen = (archived / f"{stem}.screen.pdf").read_bytes()
    data = (archived / f"{stem}.archive.pdf").read_bytes()
    pdf = pikepdf.open(io.BytesIO(data))
    assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == Name.GTS_PDFA1
    icc = intent.DestOutputProfile
    assert icc.N == 3 and icc.read_bytes() == srgb_profile()
    assert icc.read_bytes()[16:20] == b"RGB " and icc.read_bytes()[36:40] == b"acsp"
    assert icc.read_bytes()[8] in (2, 4)  # an ICC version PDF/A-2 knows
    assert pdf.check_pdf_syntax() == [] and pdf.pdf_version == "1.7"
    xmp = read_xmp(pdf)
    # The screen file is tagged (PDF/UA-1): its copy is PDF/A-2a, and keeps the UA claim.
    assert xmp.values["pdfaid:part"] == "2" and xmp.values["pdfaid:conformance"] == "A"
    assert xmp.values.get("pdfuaid:part") == "1" and "/StructTreeRoot" in pdf.Root
    assert xmp.title == str(pdf.docinfo.Title) and xmp.title
    assert "/Filter" not in pdf.Root.Metadata  # the packet can be read without a PDF parser
    walked = Walked()
    for page in pdf.pages:
        walk_page(page, walked)
        assert "/DefaultCMYK" in page.obj.Resources.ColorSpace
        for annot in page.obj.get("/Annots", ()):
            assert annot.F == 4
    assert walked.fonts and all(embedded(font) for font in walked.fonts.values())
    assert pdfa_codes(data) == set()
    # the same pages and the same text as the screen file
    source = pikepdf.open(io.BytesIO(screen))
    assert len(pdf.pages) == len(source.pages)
    assert _text(data, 1) == _text(screen, 1) and _text(data, 1).strip()
    # the screen file itself claims nothing: the checks see it
    assert {"pdfa-intent", "pdfa-xmp"} <= pdfa_codes(screen)


def test_the_archive_copy_is_the_same_bytes_every_time(archived):
    screen = (archived / "a5-booklet.en.screen.pdf").read_bytes()
    assert (
        archive_file(screen)
        == archive_file(screen)
        == (archived / "a5-booklet.en.archive.pdf").read_bytes()
    )


def test_the_srgb_profile_carries_no_clock():
    """Little CMS stamps the time into the header (bytes 24-35): the copy fixes it, so
    files built in different processes, on different days, hold the same profile."""
    assert srgb_profile()[24:36] == bytes.fromhex("07d000010001000000000000")
    assert srgb_profile()[84:100] == bytes(16)  # profile ID "not computed": no checksum


def test_no_archive_copy_unless_asked(tmp_path):
    build(SAMPLE, ["a4-program"], ["en"], tmp_path)
    assert not list((tmp_path / "commemoration").glob("*.archive.pdf"))


def test_a_tagged_screen_file_gets_a_pdf_a_2a_copy_that_stays_pdf_ua():
    data = archive_file(saved(tagged()))
    pdf = pikepdf.open(io.BytesIO(data))
    xmp = read_xmp(pdf)
    assert xmp.values["pdfaid:conformance"] == "A"
    assert xmp.values["pdfuaid:part"] == "1"
    assert b"pdfaExtension:schemas" in pdf.Root.Metadata.read_bytes()
    assert pdfa_codes(data) == set()
    assert {d.code for d in check_ua(data, "t.pdf") if d.severity == "error"} == set()


def test_javascript_actions_and_embedded_files_are_left_out():
    pdf = tagged()
    script = Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.alert(1)"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    tree = Dictionary(Names=Array([String("x"), pdf.make_indirect(script)]))
    pdf.Root.Names = Dictionary(JavaScript=tree, EmbeddedFiles=Dictionary(Names=Array()))
    pdf.pages[0].obj.AA = Dictionary(O=pdf.make_indirect(script))
    launch = Dictionary(S=Name.Launch, F=String("calc.exe"))
    pdf.pages[0].obj.Annots[0].A = launch
    data = saved(pdf)
    assert "pdfa-action" in pdfa_codes(data)
    copy = archive_file(data)
    assert pdfa_codes(copy) == set()
    opened = pikepdf.open(io.BytesIO(copy))
    names = opened.Root.Names
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names


def test_an_encrypted_screen_file_gives_an_unencrypted_copy():
    data = saved(tagged(), encryption=pikepdf.Encryption(owner="o", user="", R=6))
    assert "pdfa-encrypt" in pdfa_codes(data)
    copy = archive_file(data)
    assert not pikepdf.open(io.BytesIO(copy)).is_encrypted
    assert pdfa_codes(copy) == set()


def _copy() -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(archive_file(saved(tagged(CMYK)))))


CMYK = b"""/Artifact BMC 0 0 0 1 K 10 20 m 200 20 l S EMC
/H1 <</MCID 0>> BDC BT 0 0 0 1 k /F1 14 Tf 10 280 Td (Title) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 10 Tf 10 260 Td (Some text.) Tj ET EMC
/Figure <</MCID 2>> BDC q 20 0 0 20 10 220 cm /Im0 Do Q EMC
/Link <</MCID 3>> BDC BT /F1 10 Tf 10 200 Td (A link) Tj ET EMC
/Lbl <</MCID 4>> BDC BT /F1 10 Tf 10 180 Td (1.) Tj ET EMC
/LBody <</MCID 5>> BDC BT /F1 10 Tf 30 180 Td (Item) Tj ET EMC
/TD <</MCID 6>> BDC BT /F1 10 Tf 10 160 Td (Cell) Tj ET EMC
"""


def _metadata_part(pdf):
    raw = pdf.Root.Metadata.read_bytes().replace(b"<pdfaid:part>2<", b"<pdfaid:part>1<")
    pdf.Root.Metadata.write(raw)


def _title(pdf):
    pdf.docinfo.Title = "Another title"


def _annotation(pdf):
    pdf.pages[0].obj.Annots[0].F = 2


def _no_default_cmyk(pdf):
    del pdf.pages[0].obj.Resources.ColorSpace.DefaultCMYK


def _cmyk_group(pdf):
    pdf.pages[0].obj.Group = Dictionary(S=Name.Transparency, CS=Name.DeviceCMYK)


def _interpolate(pdf):
    pdf.pages[0].obj.Resources.XObject.Im0.Interpolate = True


def _font(pdf):
    del pdf.pages[0].obj.Resources.Font.F1.FontDescriptor.FontFile2


def _untagged(pdf):
    del pdf.Root.StructTreeRoot


def _intent(pdf):
    del pdf.Root.OutputIntents


BROKEN = {
    "no output intent": (_intent, "pdfa-intent"),
    "pdfaid:part 1": (_metadata_part, "pdfa-xmp"),
    "Info Title and dc:title differ": (_title, "pdfa-xmp"),
    "a hidden annotation": (_annotation, "pdfa-annotation"),
    "DeviceCMYK without DefaultCMYK": (_no_default_cmyk, "pdfa-colour"),
    "a transparency group in DeviceCMYK": (_cmyk_group, "pdfa-colour"),
    "Interpolate": (_interpolate, "pdfa-image"),
    "a font not embedded": (_font, "pdfa-font"),
    "conformance A untagged": (_untagged, "pdfa-tagged"),
}


def test_the_cmyk_copy_passes_before_it_is_broken():
    assert pdfa_codes(saved(_copy())) == set()


@pytest.mark.parametrize("change, code", BROKEN.values(), ids=BROKEN.keys())
def test_each_pdfa_claim_is_checked(change, code):
    pdf = _copy()
    change(pdf)
    assert pdfa_codes(saved(pdf)) == {code}


def test_cards_set_in_batches_get_their_copy_too(tmp_path, monkeypatch):
    import booklet.builder.card_batches
    import booklet.builder.pipeline

    monkeypatch.setattr(booklet.builder.pipeline, "CARDS_AT_ONCE", 2)
    monkeypatch.setattr(booklet.builder.card_batches, "CARDS_PER_BATCH", 2)
    build(SAMPLE, ["a6-invitation"], ["en"], tmp_path, archive=True)
    folder = tmp_path / "commemoration"
    copy = (folder / "a6-invitation.en.archive.pdf").read_bytes()
    screen = (folder / "a6-invitation.en.screen.pdf").read_bytes()
    assert pdfa_codes(copy) == set()
    assert len(pikepdf.open(io.BytesIO(copy)).pages) == len(pikepdf.open(io.BytesIO(screen)).pages)


def test_build_file_and_command_line(tmp_path, capsys):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    spec = event / "build.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "archive: true\n", encoding="utf-8")
    build(event, ["a4-program"], ["en"], tmp_path / "out")
    made = tmp_path / "out" / "ev" / "a4-program.en.archive.pdf"
    assert pdfa_codes(made.read_bytes()) == set()
    out = tmp_path / "cli"
    args = ["build", str(SAMPLE), "--layout", "a4-program", "--lang", "az", "--out", str(out)]
    assert main([*args, "--archive", "-q"]) == 0
    copy = out / "commemoration" / "a4-program.az.archive.pdf"
    assert main(["preflight", "--pdfa", str(copy)]) == 0
    assert "preflight passed" in capsys.readouterr().out
    screen = out / "commemoration" / "a4-program.az.screen.pdf"
    assert main(["preflight", "--pdfa", str(screen)]) == 1
