"""Language tags and the scripts of the region: read from built PDFs and from the pure stages.

en-GB dates, ar-EG digits, Greek capitals and quotes, Georgian, Armenian, Hebrew and Greek
sample translations, one missing-glyph error per letter and file, the locale's words.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from booklet.builder.pipeline import build
from booklet.cli.commands import main
from booklet.compose.composer import compose
from booklet.errors import BookletError, Diagnostics
from booklet.language.text import date_text, greek_upper, numbering, upper, with_digits
from booklet.language.typography import typographic
from booklet.read.project import find_project, read_content, read_layout

from .conftest import SAMPLE

NEW = ("el", "ka", "hy", "he")
LAYOUTS = ("a5-booklet", "dl-trifold", "a5-bifold", "a4-program", "a4-program-bilingual",
           "a6-invitation")  # fmt: skip
# A letter of each new language's script, and the script's block.
SCRIPT = {
    "el": "[\u0370-\u03ff]",
    "ka": "[\u10a0-\u10ff\u1c90-\u1cbf]",
    "hy": "[\u0530-\u058f]",
    "he": "[\u0590-\u05ff]",
}


def text_of(pdf: Path) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))


def _event(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "ev")
    return tmp_path / "ev"


# --- language tags -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regional(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("regional")
    report = build(SAMPLE, layouts=("a4-program", "a5-booklet"), langs=("en-GB", "ar-EG", "ar"),
                   out_dir=out)  # fmt: skip
    # ar-EG reads event.ar.yaml, en-GB the base file: nothing is missing in either
    assert [d for d in report.diagnostics.warnings if d.code.startswith("i18n")] == []
    return out / "commemoration"


def test_en_gb_prints_the_british_date(regional: Path):
    text = text_of(regional / "a4-program.en-GB.screen.pdf")
    assert "26 FEBRUARY 2026" in text.upper() and "February 26, 2026" not in text
    assert "We have not forgotten" in text  # read from the base file, written in en


def test_ar_eg_prints_arabic_indic_digits_from_its_locale(regional: Path):
    egypt = text_of(regional / "a4-program.ar-EG.screen.pdf")
    assert "٢٦ فبراير ٢٠٢٦" in egypt and "١٤:٠٠" in egypt and "١٣:٣٠" in egypt
    assert "2026" not in egypt and "14:00" not in egypt
    assert "مانيسا" in egypt  # event.ar.yaml stands in for the missing event.ar-EG.yaml
    booklet = pdfium.PdfDocument(regional / "a5-booklet.ar-EG.screen.pdf")
    program = booklet[1].get_textpage().get_text_range()
    assert re.search(r"(^|\s)٢(\s|$)", program)  # the folio
    assert "١. أذربيجان" in program.replace(".١", "١.")  # the anthems' numbers
    plain = text_of(regional / "a4-program.ar.screen.pdf")
    assert "26 فبراير 2026" in plain and "14:00" in plain and "٢" not in plain


def test_the_layouts_digits_option_chooses_them(tmp_path):
    diags = Diagnostics()
    content = read_content(SAMPLE, "ar", diags)
    layout = read_layout(find_project(SAMPLE), "a4-program", diags)
    assert content is not None and layout is not None
    native = compose(content, dataclasses.replace(layout, digits="native"), "x", "ar", diags)
    latin = compose(content, dataclasses.replace(layout, digits="latin"), "x", "ar-EG", diags)
    assert "١٤:٠٠" in repr(native.blocks) and "14:00" not in repr(native.blocks)
    assert "14:00" in repr(latin.blocks) and "١٤" not in repr(latin.blocks)
    # links keep their digits: the RSVP address, the sources' addresses
    assert all(re.fullmatch(r"[\x00-\x7f]*", u) for u in re.findall(r"url='([^']*)'", repr(native)))


def test_digits_of_each_numbering_system():
    assert numbering("ar-EG", "locale") == "arab" and numbering("ar", "locale") == "latn"
    assert numbering("ar", "native") == "arab" and numbering("ar-EG", "latin") == "latn"
    assert numbering("fa", "locale") == "arabext" and numbering("el", "native") == "latn"
    assert with_digits("1,275 · 3.5 · 14:00", "ar-EG", "arab") == "١٬٢٧٥ · ٣٫٥ · ١٤:٠٠"
    assert with_digits("1,275", "fa", "arabext") == "۱٬۲۷۵"
    assert with_digits("2026", "he", "hebr") == "2026"  # a system of letters: left Latin


def test_regional_tags_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["build", str(SAMPLE), "--layout", "a4-program", "--lang", "en-gb", "--out",
                 str(out), "-q"])  # fmt: skip
    assert code == 0 and (out / "commemoration" / "a4-program.en-GB.pdf").is_file()
    assert main(["build", str(SAMPLE), "--lang", "xx-YY", "--out", str(out), "-q"]) == 2
    assert "unknown language 'xx-YY'" in capsys.readouterr().err


def test_dates_of_regional_tags():
    import datetime as dt

    day = dt.date(2026, 2, 26)
    assert date_text(day, "en-GB") == "26 February 2026"
    assert date_text(day, "en") == "February 26, 2026"


# --- Greek ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lower", "capitals"),
    [
        ("Πρόγραμμα", "ΠΡΟΓΡΑΜΜΑ"),
        ("Πέμπτη 26 Φεβρουαρίου", "ΠΕΜΠΤΗ 26 ΦΕΒΡΟΥΑΡΙΟΥ"),
        ("Μάιος", "ΜΑΪΟΣ"),  # the accent stood for two vowels read apart: a dieresis
        ("ρολόι", "ΡΟΛΟΪ"),
        ("άυλος", "ΑΫΛΟΣ"),
        ("αύριο", "ΑΥΡΙΟ"),  # a diphthong accented on its second vowel: none
        ("ΐ ΰ", "Ϊ Ϋ"),  # the dieresis stays, the accent goes
        ("διϋλιστήριο", "ΔΙΫΛΙΣΤΗΡΙΟ"),
        ("αυτό ή εκείνο", "ΑΥΤΟ Ή ΕΚΕΙΝΟ"),  # the disjunctive ή keeps its accent
    ],
)
def test_greek_capitals_drop_their_accents(lower: str, capitals: str):
    assert greek_upper(lower) == capitals == upper(lower, "el")


def test_the_bundled_faces_cover_modern_greek():
    from fontTools.ttLib import TTFont

    from .conftest import ROOT

    # every letter of monotonic Greek, with tonos and dieresis, the Greek question mark and
    # ano teleia, the final sigma, and what the rules print: «» “” ’ and the no-break space
    greek = [c for c in range(0x386, 0x3CF) if chr(c).isalpha()] + [0x37E, 0x387]
    greek += [ord(c) for c in "«»“”’\xa0"]
    for face in ("Serif", "Sans"):
        for style in ("Regular", "Bold", "Italic", "BoldItalic"):
            cmap = TTFont(ROOT / "fonts" / "noto" / f"Noto{face}-{style}.ttf").getBestCmap()
            missing = [f"U+{c:04X}" for c in greek if c not in cmap]
            assert missing == [], f"Noto{face}-{style}"


def test_greek_running_text_may_break_by_greek_patterns():
    from booklet.language.hyphenation import hyphenator

    greek = hyphenator("el")
    assert greek is not None
    assert ("βα", "σανιστηρίων") in list(greek("βασανιστηρίων"))
    assert hyphenator("ka") is None  # no patterns for Georgian: its words never break


def test_greek_quotes():
    text = 'η ταινία "Ο πύργος "Σούσα""'
    # the article never ends a line: tied to its noun by a no-break space
    assert typographic(text, "el") == "η\xa0ταινία «Ο\xa0πύργος “Σούσα”»"


# --- the four new translations -----------------------------------------------------------


@pytest.fixture(scope="module")
def new_languages(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("scripts")
    report = build(SAMPLE, langs=NEW, out_dir=out)
    return out / "commemoration", report


def test_georgian_armenian_hebrew_and_greek_build_every_layout(new_languages):
    folder, report = new_languages
    assert not report.diagnostics.errors
    assert len(report.documents) == len(LAYOUTS) * len(NEW) == 24
    screens = sorted(folder.glob("*.screen.pdf"))
    assert len(screens) == 24 and len(list(folder.glob("*.png"))) == 24
    for lang in NEW:
        for layout in LAYOUTS:
            text = text_of(folder / f"{layout}.{lang}.screen.pdf")
            letters = re.findall(SCRIPT[lang], text)
            assert len(letters) > 100, f"{layout}.{lang}: {len(letters)} letters of its script"
            assert "\ufffd" not in text and "\x01" not in text


def drawn_in(pdf: Path) -> dict[str, set[str]]:
    """The characters of a PDF by the font (file name) they are drawn with."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    found: dict[str, set[str]] = {}
    for page in pdfium.PdfDocument(pdf):
        text = page.get_textpage()
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if not char or char.isspace() or pdfium_c.FPDFText_IsGenerated(text.raw, i):
                continue
            if char == "\ufffe":  # pdfium's name for a hyphen at a line's end
                char = "-"
            size = pdfium_c.FPDFText_GetFontInfo(text.raw, i, None, 0, None)
            name = ctypes.create_string_buffer(size)
            pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, size, None)
            found.setdefault(name.value.decode().split("+")[-1], set()).add(char)
    return found


def test_no_letter_is_drawn_in_a_face_that_lacks_it(new_languages):
    # A face draws nothing for a letter it lacks (a Georgian face has no digits): every
    # character must be drawn in a face that has it, the dates of the kickers too.
    from fontTools.ttLib import TTFont

    from .conftest import ROOT

    folder, _ = new_languages
    cmaps: dict[str, set[int]] = {}
    for lang in NEW:
        for layout in LAYOUTS:
            for face, chars in drawn_in(folder / f"{layout}.{lang}.screen.pdf").items():
                if face not in cmaps:
                    cmaps[face] = set(TTFont(ROOT / "fonts" / "noto" / f"{face}.ttf").getBestCmap())
                lacking = {c for c in chars if ord(c) not in cmaps[face] and len(c) == 1}
                assert not lacking, f"{layout}.{lang}: {face} lacks {sorted(lacking)}"
        # a letter a face lacks is not drawn at all: the card's kicker and its day line
        # both print the date and the time
        card = pdfium.PdfDocument(folder / f"a6-invitation.{lang}.screen.pdf")[0]
        text = card.get_textpage().get_text_range()
        assert text.count("2026") == 2 and text.count("14:00") == 2, f"{lang}: {text[:80]!r}"
        # and the booklet's folios: page 2 is numbered
        page = pdfium.PdfDocument(folder / f"a5-booklet.{lang}.screen.pdf")[1]
        assert re.search(r"(^|\s)2(\s|$)", page.get_textpage().get_text_range()), lang


def test_greek_pages_print_capitals_without_accents_and_greek_quotes(new_languages):
    folder, _ = new_languages
    booklet = text_of(folder / "a5-booklet.el.screen.pdf")
    assert "ΠΕΜΠΤΗ 26 ΦΕΒΡΟΥΑΡΙΟΥ 2026" in booklet and "ΠΈΜΠΤΗ" not in booklet
    assert "Πρόγραμμα" in booklet and "Program" not in booklet  # the layout's own words
    card = text_of(folder / "a6-invitation.el.screen.pdf").replace("\ufffe\r\n", "")
    card = re.sub(r"\s+", " ", card)  # lines joined, a word broken at a line's end too
    assert "«Ο πύργος των βασανιστηρίων – Η φυλακή της Σούσα»" in card
    assert "“" not in card


def test_hebrew_is_set_right_to_left(new_languages):
    folder, _ = new_languages
    pdf = pdfium.PdfDocument(folder / "a4-program.he.screen.pdf")
    page = pdf[0].get_textpage()
    width = pdf[0].get_width()
    hit = page.search("תוכנית").get_next()
    assert hit is not None
    left, _, right, _ = page.get_charbox(hit[0])
    assert left > width / 2  # the heading sits on the right
    import pikepdf

    with pikepdf.open(folder / "a5-booklet.he.screen.pdf") as screen:
        assert screen.Root.ViewerPreferences.Direction == "/R2L" and str(screen.Root.Lang) == "he"


def test_the_hebrew_trifold_opens_like_a_hebrew_brochure(new_languages):
    folder, _ = new_languages
    doc = pdfium.PdfDocument(folder / "dl-trifold.he.screen.pdf")
    width = doc[0].get_width()

    def x_of(page: int, needle: str) -> float:
        text = doc[page].get_textpage()
        hit = text.search(needle).get_next()
        assert hit is not None, needle
        return text.get_charbox(hit[0])[0]

    # outside: the front (its start time) on the left, the flap (the facts) on the right
    assert x_of(0, "14:00") < width / 3 < 2 * width / 3 < x_of(0, "613")
    # inside, read from the right: history (the night of 1992) | program | speakers
    assert x_of(1, "1992") > 2 * width / 3 > x_of(1, "13:30") > width / 3


def test_each_language_has_the_layouts_words(new_languages):
    folder, report = new_languages
    assert not [d for d in report.diagnostics.warnings if d.code == "locale-words"]
    assert "პროგრამა" in text_of(folder / "a5-booklet.ka.screen.pdf")
    assert "Ծրագիր" in text_of(folder / "a5-booklet.hy.screen.pdf")


# --- one missing glyph, one error --------------------------------------------------------


def test_a_missing_letter_is_reported_once_per_file_with_its_count(tmp_path):
    event = _event(tmp_path)
    base = event / "event.yaml"
    text = base.read_text(encoding="utf-8")
    text = text.replace("subtitle: In memory of the victims of the Khojaly genocide",
                        "subtitle: ხოჯალის გენოციდის მსხვერპლთა ხსოვნას")  # fmt: skip
    text = text.replace("title: A minute of silence", "title: წუთიერი დუმილი ხოჯალი")
    text = text.replace("title: Why we remember", "title: რატომ ვიხსენებთ")
    base.write_text(text, encoding="utf-8")
    with pytest.raises(BookletError) as failed:
        build(event, layouts=("a4-program",), langs=("en",), write=False)
    errors = [d for d in failed.value.diagnostics if d.code == "missing-glyph"]
    georgian = "ხოჯალის გენოციდის მსხვერპლთა ხსოვნას" + "წუთიერი დუმილი ხოჯალი" + "რატომ ვიხსენებთ"
    letters = set(georgian) - {" "}
    assert len(errors) == len(letters)  # 24 errors, not one per letter per field
    by_letter = {re.search(r"'(.)'", e.message).group(1): e for e in errors}
    assert set(by_letter) == letters
    kho = by_letter["ხ"]  # first in the subtitle; 5 times in the three strings
    assert kho.location.line == text[: text.index("ხოჯალის")].count("\n") + 1
    assert "(in this file 5 times in 3 strings)" in kho.message
    assert "times" not in by_letter["ბ"].message  # once, in one string: no count


# --- salutations and honorifics ------------------------------------------------------------


def _guest(name: str, honorific: str = "", gender: str | None = None, **own: str):
    from booklet.read.model import Guest
    from booklet.read.types import Ident, Text

    titles = {lang: Text(title) for lang, title in own.items()}
    return Guest(Ident("g1"), Text(name), Text(honorific) if honorific else None, None, gender,
                 titles)  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "gender", "expected"),
    [
        ("ru", "female", "Уважаемая Анна Петрова!"),
        ("ru", "male", "Уважаемый Анна Петрова!"),
        ("ru", None, "Здравствуйте, Анна Петрова!"),
        ("ru", "neutral", "Здравствуйте, Анна Петрова!"),
        ("en", "female", "Dear Анна Петрова,"),
        ("az", "male", "Hörmətli Анна Петрова,"),
        ("tr", "female", "Sayın Анна Петрова,"),
        ("el", "female", "Αξιότιμη κυρία Анна Петрова,"),
        ("el", "male", "Αξιότιμε κύριε Анна Петрова,"),
        ("el", None, "Προς Анна Петрова,"),
        ("ka", "female", "პატივცემულო ქალბატონო Анна Петрова,"),
        ("ka", None, "პატივცემულო Анна Петрова,"),
        ("hy", "male", "Հարգելի պարոն Анна Петрова,"),
        ("hy", None, "Հարգելի Анна Петрова,"),
        ("he", "female", "Анна Петрова הנכבדה,"),
        ("he", "male", "Анна Петрова הנכבד,"),
        ("he", None, "לכבוד Анна Петрова,"),
        ("ar", "female", "حضرة Анна Петрова المحترمة،"),
        ("ar", None, "حضرة Анна Петрова"),
        ("ru-RU", "female", "Уважаемая Анна Петрова!"),  # a region: its language's words
    ],
)
def test_salutations_follow_the_language_and_the_guests_gender(lang, gender, expected):
    from booklet.language.address import salutation

    assert salutation(_guest("Анна Петрова", gender=gender), lang) == expected


def test_a_guests_title_in_the_cards_language():
    from booklet.language.address import salutation

    guest = _guest("Kemal Demir", "Av.", "male", ru="г-н", en="Mr")
    assert salutation(guest, "ru") == "Уважаемый г-н Kemal Demir!"
    assert salutation(guest, "en-GB") == "Dear Mr Kemal Demir,"
    assert salutation(guest, "tr") == "Sayın Av. Kemal Demir,"
    assert salutation(_guest("Ahmet Çelebi", "Sayın"), "tr") == "Sayın Ahmet Çelebi,"


def test_the_sample_cards_address_each_guest(sample_out):
    russian = text_of(sample_out / "a6-invitation.ru.screen.pdf")
    assert "(-ая)" not in russian
    assert "Уважаемая Dr. Aysel Məmmədova!" in russian
    assert "Уважаемый г-н Kemal Demir!" in russian
    english = text_of(sample_out / "a6-invitation.en.screen.pdf")
    assert "Dear Assoc. Prof. Dr. Zeynep Kaya," in english and "Doç." not in english


def test_an_honorific_of_another_language_is_a_warning(tmp_path):
    event = _event(tmp_path)
    (event / "guests.csv").write_text(
        "id,name,honorific,seat,gender\n"
        "g1,Ahmet Çelebi,Sayın,A1,male\n"
        "g2,Sergey Ivanovich Petrov,Başkonsolos Yardımcısı,A2,male\n",
        encoding="utf-8",
    )
    report = build(event, layouts=("a6-invitation",), langs=("en", "ru", "tr"), write=False)
    found = [d for d in report.diagnostics.warnings if d.code == "guest-honorific"]
    shown = sorted((d.location.line, d.message) for d in found)
    assert shown == [
        (2, "'Sayın' is a Turkish honorific, printed on a card in English"),
        (2, "'Sayın' is a Turkish honorific, printed on a card in Russian"),
        (3, "'Başkonsolos' is a Turkish honorific, printed on a card in English"),
        (3, "'Başkonsolos' is a Turkish honorific, printed on a card in Russian"),
        (3, "'Yardımcısı' is a Turkish honorific, printed on a card in English"),
        (3, "'Yardımcısı' is a Turkish honorific, printed on a card in Russian"),
    ]
    assert all(d.location.file.endswith("guests.csv") for d in found)
    assert all("honorific-" in d.hint for d in found)


def test_an_honorific_column_of_an_unknown_language_is_refused_at_its_column(tmp_path):
    # `honorific-xx` was read and never printed, and nothing said so
    from booklet.errors import BookletError

    event = _event(tmp_path)
    (event / "guests.csv").write_text(
        "id,name,honorific-xx,gender\ng1,Ahmet Çelebi,Sayın,male\n", encoding="utf-8"
    )
    with pytest.raises(BookletError) as refused:
        build(event, layouts=("a6-invitation",), langs=("ru",), write=False)
    (found,) = refused.value.diagnostics
    assert (found.location.line, found.location.column) == (1, 9)
    assert found.message == "unknown language code 'xx' in the column honorific-xx"


# --- the layout's own words ------------------------------------------------------------------


def test_every_language_with_rules_has_every_word_of_the_layout():
    from booklet.language.text import own_catalog
    from booklet.language.typography import languages_with_rules

    english = set(own_catalog("en"))
    for lang in languages_with_rules():
        words = own_catalog(lang)
        assert english <= set(words), f"{lang}: {sorted(english - set(words))}"
        assert all("{name}" in words[k] for k in words if k.startswith("dear")), lang


def test_a_language_without_words_prints_english_with_a_warning(tmp_path):
    event = _event(tmp_path)
    (event / "event.nl.yaml").write_text(
        "language: nl\nevent:\n  title: We zijn het niet vergeten\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    report = build(event, layouts=("a4-program",), langs=("nl",), out_dir=out)
    (warning,) = [d for d in report.diagnostics.warnings if d.code == "locale-words"]
    assert warning.location.file.endswith("event.nl.yaml")
    assert "print in English" in warning.message
    text = text_of(out / "ev" / "a4-program.nl.screen.pdf")
    assert "PROGRAM" in text.upper() and "We zijn het niet vergeten" in text
    assert "DONDERDAG 26 FEBRUARI 2026" in text.upper()  # Babel's dates are Dutch all the same
    (event / "event.de.yaml").write_text("language: de\n", encoding="utf-8")
    german = build(event, layouts=("a4-program",), langs=("de-AT",), write=False)
    assert not [d for d in german.diagnostics.warnings if d.code == "locale-words"]


def test_a_build_file_may_list_regional_tags(tmp_path, capsys):
    event = _event(tmp_path)
    spec = event / "build.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(re.sub(r"languages: .*", "languages: [en, en-GB, ar-EG, ar]", text), "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(event), "--layout", "a4-program", "--out", str(out), "-q"]) == 0
    built = {p.name for p in (out / "ev").glob("*.screen.pdf")}
    assert built == {f"a4-program.{lang}.screen.pdf" for lang in ("ar", "ar-EG", "en", "en-GB")}
    capsys.readouterr()
    # booklet i18n lists each translation file once: ar-EG reads ar's, en-GB the base file
    assert main(["i18n", str(event)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "ar: 0 missing, 0 stale, 0 unused"
