"""Translation workflow: missing, stale and unused strings; fallbacks; locale formats in print."""

from __future__ import annotations

import shutil

import pytest
import yaml
from pypdf import PdfReader

from booklet.builder.pipeline import build
from booklet.cli import main

from .conftest import SAMPLE


@pytest.fixture
def event(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "ev")
    return tmp_path / "ev"


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_i18n_lists_every_language_with_counts(event, capsys):
    assert main(["i18n", "ev"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "az: 0 missing, 0 stale, 0 unused",
        "tr: 0 missing, 0 stale, 0 unused",
        "ru: 0 missing, 0 stale, 0 unused",
        "ar: 0 missing, 0 stale, 0 unused",
    ]


def test_a_changed_source_makes_its_translations_stale(event, capsys):
    _edit(event / "event.yaml", "title: A minute of silence", "title: One minute of silence")
    assert main(["i18n", "ev"]) == 0
    out = capsys.readouterr().out
    assert "az: 0 missing, 1 stale, 0 unused" in out
    assert "  stale: program[silence].title (ev/event.az.yaml:" in out
    assert main(["i18n", "ev", "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", "ev", "--layout", "a4-program", "--lang", "tr"]) == 0
    err = capsys.readouterr().err
    assert "warning[i18n-stale]: program[silence].title: the source text changed" in err
    assert 'was "A minute of silence", now "One minute of silence"' in err
    # --accept records new and changed translations; this one did not change: it stays stale
    assert main(["i18n", "ev", "--accept", "tr"]) == 0
    assert "kept 1 stale" in capsys.readouterr().out
    main(["i18n", "ev"])
    assert "tr: 0 missing, 1 stale, 0 unused" in capsys.readouterr().out
    # --all: the translator checked it, the Turkish is still right
    assert main(["i18n", "ev", "--accept", "tr", "--all"]) == 0
    capsys.readouterr()
    main(["i18n", "ev"])
    assert "tr: 0 missing, 0 stale, 0 unused" in capsys.readouterr().out


def test_a_removed_translation_is_missing_and_falls_back(event, capsys, tmp_path):
    _edit(event / "event.tr.yaml", "    title: Bir dakikalık saygı duruşu\n", "")
    assert main(["i18n", "ev"]) == 0
    assert "  missing: program[silence].title (ev/event.yaml:" in capsys.readouterr().out
    report = build(event, layouts=("a4-program",), langs=("tr",), out_dir=tmp_path / "out")
    warnings = [d for d in report.diagnostics.warnings if d.code == "i18n-missing"]
    assert [d.field for d in warnings] == ["program[silence].title"]
    page = PdfReader(tmp_path / "out/ev/a4-program.tr.screen.pdf").pages[0].extract_text()
    assert "A minute of silence" in page  # the English source, printed as the fallback


def test_template_shows_every_source_string_beside_its_translation(event, capsys):
    assert main(["i18n", "ev", "--template", "tr"]) == 0
    out = capsys.readouterr().out
    data = yaml.safe_load(out)
    assert data["language"] == "tr" and data["program"]["film"]["title"].startswith("İşkence")
    assert "    # Tower of Torture – Shusha Prison\n    title:" in out
    assert main(["i18n", "ev", "--template", "fr"]) == 0
    empty = yaml.safe_load(capsys.readouterr().out)
    assert empty["event"]["title"] == ""


def test_empty_translations_print_the_source(event, tmp_path):
    _edit(event / "event.az.yaml", "title: Unutmadıq, unutdurmayacağıq", 'title: ""')
    build(event, layouts=("a4-program",), langs=("az",), out_dir=tmp_path / "out")
    page = PdfReader(tmp_path / "out/ev/a4-program.az.screen.pdf").pages[0].extract_text()
    assert "We have not forgotten" in page


def test_dates_and_russian_text_in_print(event, tmp_path):
    _edit(event / "event.yaml", "date: 2026-02-26", "date: 2026-09-17")
    build(event, layouts=("a5-booklet",), out_dir=tmp_path / "out")
    expected = {"az": "sentyabr", "tr": "Eylül", "ru": "сентября", "en": "September"}
    for lang, month in expected.items():
        reader = PdfReader(tmp_path / f"out/ev/a5-booklet.{lang}.screen.pdf")
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert f"17 {month}" in text or f"{month} 17" in text, lang
    ru = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "out/ev/a5-booklet.ru.pdf").pages)
    assert "Ходжалы" in ru


def test_arabic_prints_right_to_left_with_joined_letters(tmp_path):
    import pikepdf
    import pypdfium2 as pdfium

    build(SAMPLE, layouts=("a5-booklet",), langs=("ar",), out_dir=tmp_path)
    folder = tmp_path / "commemoration"
    doc = pdfium.PdfDocument(folder / "a5-booklet.ar.screen.pdf")
    lines = doc[1].get_textpage().get_text_range().splitlines()
    # the exhibition's title, as typed: pdfium reads a right-to-left line from its right end,
    # so a line set in visual order comes back as typed (test_bidi_mix checks the geometry)
    assert "معرض صور عن إبادة خوجالي الجماعية" in lines
    # the Arabic faces are embedded; Latin letters (the times) fall back to Noto Sans
    pdf = pikepdf.open(folder / "a5-booklet.ar.pdf")
    names = {str(f.BaseFont).split("+")[-1] for p in pdf.pages for f in p.Resources.Font.values()}
    assert {"NotoNaskhArabic-Regular", "NotoSansArabic-Bold"} <= names
    # bound on the right: the cover (page 1) is the left half of the outer sheet's front
    imposed = pdfium.PdfDocument(folder / "a5-booklet.ar.imposed.pdf")
    width, height = imposed[0].get_size()
    page = imposed[0].get_textpage()
    left = page.get_text_bounded(0, 0, width / 2, height)
    right = page.get_text_bounded(width / 2, 0, width, height)
    assert "تركيا" in left and "تركيا" not in right  # the cover's kicker, "Manisa · Türkiye"


def test_letters_no_font_has_are_refused_but_fallbacks_are_used(tmp_path):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("venue: Manisa", "venue: جامعة Manisa", 1), encoding="utf-8")
    build(event, layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "out")
    page = PdfReader(tmp_path / "out/ev/a4-program.en.screen.pdf").pages[0].extract_text()
    assert "Manisa" in page


def test_bilingual_program_prints_english_under_each_title(tmp_path):
    build(SAMPLE, layouts=("a4-program-bilingual",), langs=("tr", "en"), out_dir=tmp_path)
    folder = tmp_path / "commemoration"
    tr = PdfReader(folder / "a4-program-bilingual.tr.screen.pdf").pages[0].extract_text()
    lines = tr.splitlines()
    film = next(i for i, line in enumerate(lines) if "İşkence Kulesi" in line)
    assert "Tower of Torture" in lines[film + 1]  # the English title right under the Turkish
    assert "We have not forgotten" in tr
    en = PdfReader(folder / "a4-program-bilingual.en.screen.pdf").pages[0].extract_text()
    assert en.count("Tower of Torture") == 1  # an English copy is not doubled


def test_proof_builds_flag_text_that_fell_back(event, tmp_path):
    _edit(event / "event.tr.yaml", "    title: Bir dakikalık saygı duruşu\n", "")
    build(event, layouts=("a4-program",), langs=("tr",), out_dir=tmp_path / "proof", proof=True)
    build(event, layouts=("a4-program",), langs=("tr",), out_dir=tmp_path / "plain")
    proof = PdfReader(tmp_path / "proof/ev/a4-program.tr.screen.pdf").pages[0].extract_text()
    plain = PdfReader(tmp_path / "plain/ev/a4-program.tr.screen.pdf").pages[0].extract_text()
    assert "[EN] A minute of silence" in proof
    assert "[EN]" not in plain and "A minute of silence" in plain
    assert proof.count("[EN]") == 1  # only the string that fell back


def test_every_arabic_word_of_our_own_strings_prints_in_the_arabic_faces():
    # Punctuation stuck to an Arabic word is set in the Arabic face (it would fall back to the
    # Latin face, but looks out of place there): our own strings use what that face has.
    import re
    import unicodedata

    from fontTools.ttLib import TTFont

    from .conftest import ROOT

    faces = [
        set(TTFont(ROOT / "fonts/noto" / name).getBestCmap())
        for name in (
            "NotoNaskhArabic-Regular.ttf",
            "NotoNaskhArabic-Bold.ttf",
            "NotoSansArabic-Regular.ttf",
            "NotoSansArabic-Bold.ttf",
        )
    ]
    strings = yaml.safe_load((ROOT / "src/booklet/locales/ar.yaml").read_text(encoding="utf-8"))
    lacking = [
        (key, word, char)
        for key, text in strings.items()
        if isinstance(text, str)
        for word in re.sub(r"\{[^}]*\}", " ", text).split()
        if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)
        for char in word
        if any(ord(char) not in cmap for cmap in faces)
    ]
    assert lacking == []
    # A value filled in (a guest's Latin name) stands alone: punctuation stuck to it would go
    # with the value's script (test_bidi_mix shows that it prints, but it reads oddly).
    glued = [
        key
        for key, text in strings.items()
        if isinstance(text, str) and re.search(r"\S\{[^}]*\}|\{[^}]*\}\S", text)
    ]
    assert glued == []
