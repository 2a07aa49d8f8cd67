"""Arabic shaping: words shaped whole across style changes, features, emphasis, copyable text."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from booklet.builder.pipeline import build
from booklet.errors import BookletError, Diagnostics
from booklet.language import fonts
from booklet.language.shaping import shape
from booklet.read.layout_checks import check_emphasis
from booklet.read.project import Project, read_layout

from .conftest import ROOT, SAMPLE

MM = 72 / 25.4
HARD = "كلمة الم**ع**لم وال**أ**رمينية مع *Khojaly Memorial (2026)* ونص booklet والرقم 1992."


def _event(tmp_path: Path, extra: str) -> Path:
    """The sample event with a paragraph added to the Arabic history section."""
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    arabic = event / "event.ar.yaml"
    text = arabic.read_text(encoding="utf-8")
    text = text.replace("      يومنا هذا.\n", f"      يومنا هذا.\n\n      {extra}\n", 1)
    arabic.write_text(text, encoding="utf-8")
    return event


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    """The Arabic A5 booklet of the sample with the hard cases added: its screen PDF, and
    what the build reported."""
    tmp = tmp_path_factory.mktemp("ar")
    report = build(_event(tmp, HARD), layouts=("a5-booklet",), langs=("ar",), out_dir=tmp / "out")
    path = tmp / "out" / "ev" / "a5-booklet.ar.screen.pdf"
    return pdfium.PdfDocument(path), report, path


def _text(pdf) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def test_lam_alef_and_joining_forms_copy_as_the_letters_typed(booklet):
    text = _text(booklet[0])
    for word in ("الأرمينية", "للاتحاد", "الآلي", "الأطفال", "عائلات"):
        assert word in text
    assert not re.search("[\ue000-\uf8ff]", text)  # no private-use joining forms


def test_every_glyph_maps_to_letters_in_the_tounicode_cmaps(booklet):
    import pikepdf

    path = booklet[2]
    stand_ins, lam_alef = 0, 0
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                targets = re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", cmap)
                stand_ins += sum(
                    re.fullmatch("E...|F[0-8]..|F[B-E]..", t) is not None for t in targets
                )
                lam_alef += sum(t in ("06440627", "06440623", "06440622") for t in targets)
    assert stand_ins == 0  # no private-use code, no presentation form: the letters typed
    assert lam_alef > 0  # a lam-alef glyph stands for both its letters, in logical order


def test_latin_words_and_digits_in_arabic_lines_extract_whole(booklet):
    text = _text(booklet[0])
    for word in ("booklet", "Khojaly", "Memorial", "1992", "366", "613"):
        assert word in text


def test_arabic_pages_have_a_running_foot(booklet):
    pdf = booklet[0]
    for n in (1, 2):  # pages 2 and 3: outer edge right, then left
        page = pdf[n]
        width, _ = page.get_size()
        foot = page.get_textpage().get_text_bounded(0, 0, width, 25 * MM)
        assert str(n + 1) in foot and "ولن ندع" in foot


def _layout(name: str = "a5-booklet"):
    diags = Diagnostics()
    layout = read_layout(Project(ROOT), name, diags)
    faces = fonts.register(layout, ROOT / "fonts", f"{name}.yaml", diags)
    return layout, faces


def _pieces(text: str, lang: str = "ar", layout=None) -> list[tuple[str, list[int], str]]:
    """The paragraph's pieces as set: font, glyph ids, and the piece's glyphs."""
    from booklet.typeset.styles import Palette, Styles

    base, faces = _layout()
    layout = layout or base
    para = Styles(layout, faces, Palette(layout), lang).para(text, "body")
    para.wrap(400, 500)
    out = []
    for word in para.frags:
        for f, s in word[1:]:
            face = pdfmetrics.getFont(f.fontName).face
            out.append((f.fontName, [face.charToGlyph[ord(c)] for c in s], f))
    return out


def _hb_ids(word: str, font_file: str) -> list[int]:
    font = hb.Font(hb.Face((ROOT / "fonts" / "noto" / font_file).read_bytes()))
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"dlig": False})
    return [info.codepoint for info in buf.glyph_infos]


def test_a_bold_letter_inside_a_word_is_shaped_with_the_whole_word():
    plain = _hb_ids("المعلم", "NotoNaskhArabic-Regular.ttf")  # visual order: م ل ع م ل ا
    bold = _hb_ids("المعلم", "NotoNaskhArabic-Bold.ttf")
    pieces = _pieces("الم**ع**لم")
    assert [p[0] for p in pieces] == [
        "NotoNaskhArabic-Regular",
        "NotoNaskhArabic-Bold",
        "NotoNaskhArabic-Regular",
    ]
    # each piece has the glyphs the whole word has there: ع in its medial form, joined
    assert pieces[0][1] == plain[3:] and pieces[2][1] == plain[:2]
    assert pieces[1][1] == bold[2:3]
    assert pieces[1][1] != _hb_ids("ع", "NotoNaskhArabic-Bold.ttf")  # not the isolated ع


def test_a_style_change_inside_lam_alef_is_dropped_and_reported(booklet):
    pieces = _pieces("ال**أ**رمينية")
    assert {p[0] for p in pieces} == {"NotoNaskhArabic-Regular"}
    ids = [i for p in pieces[::-1] for i in p[1]]
    assert ids == _hb_ids("الأرمينية", "NotoNaskhArabic-Regular.ttf")
    (warning,) = [d for d in booklet[1].diagnostics.warnings if d.code == "style-in-ligature"]
    assert "الأرمينية" in warning.message
    assert warning.location.file.endswith("event.ar.yaml") and warning.location.line > 0


def test_discretionary_ligatures_are_off_unless_the_layout_turns_them_on():
    _, faces = _layout()
    sans = faces["kufi-sans"].name  # Noto Sans Arabic
    for word, off in (("تحت", 3), ("لمح", 3), ("يم", 2)):
        glyphs, _ = shape(word, sans, 10, True)
        assert len(glyphs) == off
        glyphs, _ = shape(word, sans, 10, True, {"arabic": {"dlig": True}})
        assert len(glyphs) < off
    layout, _ = _layout()
    changed = dataclasses.replace(layout, features={"arabic": {"dlig": True}})
    from booklet.typeset.styles import Palette, Styles

    assert Styles(changed, faces, Palette(changed), "ar")["body"].features == {
        "arabic": {"dlig": True}
    }


def test_an_arabic_word_wider_than_its_column_is_an_overflow_error(tmp_path):
    event = _event(tmp_path, "نص " + "استقلاليتهمونتيجةمدمرة" * 6 + " نهاية.")
    with pytest.raises(BookletError) as failed:
        build(event, layouts=("a5-booklet",), langs=("ar",), out_dir=tmp_path / "out")
    (error,) = [d for d in failed.value.diagnostics if d.code == "overflow"]
    assert "wider than its column" in error.message and "استقلاليتهم" in error.message
    assert error.location.file.endswith("event.ar.yaml") and error.location.line > 0


def test_arabic_emphasis_is_bold_and_latin_in_it_upright():
    pieces = _pieces("نص *مهم جدا* و *Khojaly (2026)*")
    fonts_of = {p[0] for p in pieces}
    assert "NotoNaskhArabic-Bold" in fonts_of and "NotoSerif-Bold" in fonts_of
    assert not any("Italic" in name for name in fonts_of)


def test_emphasis_may_be_a_colour_or_a_slant_that_spares_digits():
    layout, _ = _layout()
    coloured = dataclasses.replace(
        layout, emphasis=dataclasses.replace(layout.emphasis, arabic="accent")
    )
    pieces = _pieces("نص *مهم*", layout=coloured)
    accent = [p for p in pieces if p[2].textColor.cmyk()[1] == pytest.approx(1.0)]
    assert accent and all(p[0] == "NotoNaskhArabic-Regular" for p in pieces)
    slanted = dataclasses.replace(
        layout, emphasis=dataclasses.replace(layout.emphasis, arabic="italic", slant_in_rtl=True)
    )
    pieces = _pieces("نص *Khojaly (2026)*", layout=slanted)
    by_font = {p[0] for p in pieces if p[0].startswith("NotoSerif")}
    assert by_font == {"NotoSerif-Italic", "NotoSerif-Regular"}  # the name slants, (2026) not


def test_left_to_right_emphasis_follows_the_latin_setting():
    layout, _ = _layout()
    assert {p[0] for p in _pieces("A *word*", "en")} == {"NotoSerif-Regular", "NotoSerif-Italic"}
    bold = dataclasses.replace(layout, emphasis=dataclasses.replace(layout.emphasis, latin="bold"))
    assert {p[0] for p in _pieces("A *word*", "en", bold)} == {
        "NotoSerif-Regular",
        "NotoSerif-Bold",
    }


def test_emphasis_must_be_italic_bold_or_a_palette_colour():
    layout, _ = _layout()
    wrong = dataclasses.replace(layout, emphasis=dataclasses.replace(layout.emphasis, arabic="red"))
    diags = Diagnostics()
    check_emphasis(wrong, None, diags)
    (error,) = diags.errors
    assert error.field == "emphasis.arabic" and "accent" in error.hint


def _card_project(tmp_path: Path) -> tuple[Path, str]:
    """A project of its own (the bundled layouts and sample, the fonts linked): its
    invitation layout, to be edited, and the event folder."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    (tmp_path / "fonts").symlink_to(ROOT / "fonts")
    shutil.copytree(SAMPLE, tmp_path / "content" / "ev")
    return tmp_path / "layouts" / "a6-invitation.yaml", str(tmp_path / "content" / "ev")


def test_a_misspelt_script_or_feature_in_features_is_said(tmp_path, capsys):
    # `features: {arbic: ...}` never applied and nothing said so
    from booklet.cli import main

    layout, event = _card_project(tmp_path)
    original = layout.read_text("utf-8")
    layout.write_text(original + "features: {arbic: {dlig: true}}\n", "utf-8")
    assert main(["check", event, "--layout", "a6-invitation", "--lang", "ar"]) == 1
    err = capsys.readouterr().err
    assert "a6-invitation.yaml:" in err and "features.arbic: no script 'arbic'" in err
    assert "did you mean 'arabic'?" in err
    layout.write_text(original + "features: {arabic: {dilg: true, ss02: true}}\n", "utf-8")
    assert main(["check", event, "--layout", "a6-invitation", "--lang", "ar"]) == 0
    err = capsys.readouterr().err
    assert "warning[feature-unknown]: features.arabic.dilg:" in err and "'dlig'" in err
    assert "features.arabic.ss02" not in err  # a numbered stylistic set is a feature


def test_an_emphasis_that_is_neither_a_weight_nor_a_colour_is_located(tmp_path, capsys):
    from booklet.cli import main

    layout, event = _card_project(tmp_path)
    text = layout.read_text("utf-8")
    layout.write_text(text + "emphasis: {arabic: bolt}\n", "utf-8")
    line = text.count("\n") + 1
    assert main(["check", event, "--layout", "a6-invitation", "--lang", "ar"]) == 1
    err = capsys.readouterr().err
    assert f"a6-invitation.yaml:{line}:20: emphasis.arabic: expected italic, bold or a" in err
    assert "found 'bolt'" in err and "the palette has accent, ink" in err
