"""Typesetting a designer would sign: each language's rules, line breaking, the report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from booklet.builder.pipeline import build
from booklet.errors import Diagnostics
from booklet.language.hyphenation import hyphenator, unbreakable
from booklet.language.text import markup
from booklet.language.typography import NBSP, rules, typographic
from booklet.typeset.paragraphs import Para, Rules
from booklet.typeset.record import Record, lines_of

from .conftest import MM, ROOT, SAMPLE

RULES = ROOT / "src" / "booklet" / "language" / "rules"
N = NBSP

# --- each language's rules, from its table --------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        # Russian: a one- or two-letter preposition or conjunction never ends a line
        ("ru", "а 130 детей", f"а{N}130 детей"),
        ("ru", "В Турции", f"В{N}Турции"),
        ("ru", "выставка в фойе у входа", f"выставка в{N}фойе у{N}входа"),
        ("ru", "в международном праве", f"в{N}международном праве"),
        # initials stay with each other and with the surname
        ("ru", "имени А. А. Бакиханова", f"имени А.{N}А.{N}Бакиханова"),
        # a dash never starts a line; a number keeps its "года", "г." or unit
        ("ru", "женщины — дети", f"женщины{N}— дети"),
        ("ru", "в 1992 году и 1992 г., 30 мин", f"в{N}1992{N}году и{N}1992{N}г., 30{N}мин"),
        # particles stay with the word before them
        ("ru", "как же так", f"как{N}же так"),
        # nested quotes: „…“ inside «…»
        ("ru", "фильм «Башня «Шуша» пыток»", "фильм «Башня „Шуша“ пыток»"),
        ("ru", 'фильм "Башня "Шуша" пыток"', "фильм «Башня „Шуша“ пыток»"),
        ("uk", "в Україні", f"в{N}Україні"),
        ("be", "у Мінску", f"у{N}Мінску"),
        ("bg", "в София", f"в{N}София"),
        ("sr", "у Београду", f"у{N}Београду"),
        # apostrophes in Turkish, Azerbaijani and English
        ("tr", "Şubat'ı Türkiye'de", "Şubat’ı Türkiye’de"),
        ("az", "Azərbaycan'ın", "Azərbaycan’ın"),
        ("en", "the parents' day, it's the '90s", "the parents’ day, it’s the ’90s"),
        # … but never inside a URL, an e-mail address, an identifier or code
        ("tr", "bkz. https://example.tr/a'b ve `it's`", "bkz. https://example.tr/a'b ve `it's`"),
        ("en", "write to o'neil@example.org", "write to o'neil@example.org"),
        ("en", "the id guest_o'brien", "the id guest_o'brien"),
        # nested quotes per language
        ("en", 'the "Tower "Shusha" film" here', "the “Tower ‘Shusha’ film” here"),
        ("tr", '"İşkence "Şuşa" Kulesi"', "“İşkence ‘Şuşa’ Kulesi”"),
        ("az", '"İşgəncə "Şuşa" qülləsi"', "«İşgəncə „Şuşa“ qülləsi»"),
        # everywhere: a number keeps its %, a title keeps its name
        ("en", "50 % of them", f"50{N}% of them"),
        ("tr", "yüzde 40 %", f"yüzde 40{N}%"),
        ("en", "Prof. Dr. Kadir Ay", f"Prof.{N}Dr.{N}Kadir Ay"),
        ("az", "Prof. Dr. Emir Əliyev", f"Prof.{N}Dr.{N}Emir Əliyev"),
    ],
)
def test_each_language_sets_its_text_by_its_own_rules(lang, typed, expected):
    assert typed != expected or "'" in typed  # each case has something to set (or to keep)
    assert typographic(typed, lang) == expected


def test_english_has_no_russian_ties_and_odd_quotes_stay_as_typed():
    assert typographic("a house in a town", "en") == "a house in a town"
    assert typographic('one " only', "ru") == 'one " only'


def test_rules_are_data_a_table_per_language():
    known = {
        "quotes",
        "apostrophe",
        "no-break-after",
        "no-break-before",
        "after-numbers",
        "titles",
        "initials",
        "dashes",
        "hyphenation",
        "honorifics",
    }
    tables = sorted(RULES.glob("*.yaml"))
    assert {p.stem for p in tables} >= {"default", "ru", "uk", "be", "bg", "sr", "tr", "az", "en",
                                        "el", "ka", "hy", "he"}  # fmt: skip
    for path in tables:
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(table) <= known, path.name
        for pair in table.get("quotes", []):
            assert len(pair) == 2, path.name
    assert "в" in rules("ru").after_words and "года" in rules("ru").after_numbers
    assert rules("ru-RU") == rules("ru")  # a regional tag uses its language's table


def test_russian_hyphenation_exceptions_come_from_the_table():
    plain = __import__("pyphen").Pyphen(lang="ru_RU").inserted("предыстория")
    assert plain.startswith("пре-ды")  # what the patterns alone would do
    breaks = list(hyphenator("ru")("предыстория"))
    assert ("пред", "ыстория") in breaks
    assert all(head != "пре" for head, _ in breaks)
    assert list(hyphenator("ru")("Предыстория"))  # a sentence may begin with it


def test_names_never_break_but_a_sentence_may_begin_with_a_common_noun():
    text = (
        "Exhibitions open today. The ceremony at Celal Bayar honours Khojaly. "
        "University halls open. Бакиханова reads."  # sentences' first words, names' words
    )
    kept = unbreakable(text, ("Manisa Celal Bayar University", "А. А. Бакиханова"))
    assert {"Celal", "Bayar", "Khojaly", "University", "Бакиханова"} <= kept
    assert "Exhibitions" not in kept  # capitalised because it starts a sentence


def test_only_the_names_words_a_paragraph_holds_are_kept_with_it():
    names = tuple(f"Speaker{chr(65 + n % 26)}{chr(65 + n // 26)} Surname" for n in range(600))
    kept = unbreakable("SpeakerBA spoke. Her surname was given.", names)
    assert kept == {"SpeakerBA"}  # not 601 words a paragraph (600 speakers)
    assert "Bayar" in unbreakable("Bayar's talk, as given.", ("Celal Bayar",))
    assert unbreakable("A text without them.", names) == frozenset()
    assert "Бакиханова" in unbreakable("имени А. А. Бакиханова")  # initials end no sentence


# --- line breaking --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def serif() -> str:
    pdfmetrics.registerFont(TTFont("TestSerif", str(ROOT / "fonts/noto/NotoSerif-Regular.ttf")))
    return "TestSerif"


def setting(font, text, width, lang="en", align=TA_LEFT, size=10, **kept):
    """The lines of a paragraph set with `kept` rules (those of a `Para`)."""
    hyphens = hyphenator(lang)
    style = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
        hyphenationLang=hyphens if kept.pop("hyphenate", False) else "",
        spaceShrinkage=0.2 if align == TA_JUSTIFY else 0,
    )
    para = Para(markup(typographic(text, lang)), style)
    if kept:  # without rules: as ReportLab sets it
        if callable(style.hyphenationLang):
            kept.setdefault("hyphens", hyphens)
        para.keep(Rules(**kept))
    para.wrap(width, 10_000)
    return para, [line.text for line in lines_of(para)]


TITLE = "We have not forgotten, we will not let you forget"


def _width_where(fault, font, text, start=60, **kept) -> float:
    """A measure (points) at which `text` set without rules shows the fault."""
    for width in range(int(start), 400, 2):
        if fault(setting(font, text, width, **kept)[1]):
            return width
    raise AssertionError("no measure shows the fault")


def test_a_title_is_balanced_and_never_leaves_a_word_alone(serif):
    width = _width_where(lambda ls: ls[-1] == "forget" and len(ls) < 4, serif, TITLE, size=27)
    para, balanced = setting(serif, TITLE, width, size=27, balance=True)
    assert len(balanced[-1].split()) > 1
    widths = [pdfmetrics.stringWidth(t, serif, 27) for t in balanced]
    assert max(widths) - min(widths) < 0.35 * max(widths)
    assert para.wrap(width, 1000)[0] == width  # it still takes the measure it was given


def test_a_paragraph_never_ends_on_one_short_word(serif):
    text = "Guests are invited to visit the photo exhibition in the hall at noon today."
    width = _width_where(lambda lines: lines[-1] == "today." and len(lines) < 4, serif, text)
    _, kept = setting(serif, text, width, running=True)
    assert len(kept[-1].split()) == 2


LONG = (
    "internationalization documentation responsibilities administration "
    "telecommunications characterization commemoration representatives"
)


def _longest_run(lines: list[str]) -> int:
    run = longest = 0
    for line in lines[:-1]:
        run = run + 1 if line.endswith("-") else 0
        longest = max(longest, run)
    return longest


def test_at_most_two_hyphenated_lines_in_a_row_and_none_before_the_last(serif):
    width = _width_where(
        lambda lines: _longest_run(lines) > 2 and lines[-2].endswith("-"),
        serif,
        LONG,
        hyphenate=True,
    )
    _, kept = setting(serif, LONG, width, hyphenate=True, running=True)
    assert _longest_run(kept) <= 2
    assert not kept[-2].endswith("-")


def test_a_name_in_a_sentence_is_never_hyphenated(serif):
    text = "The commemorations were held by the Azerbaijanicommunities everywhere in spring."
    name = "Azerbaijanicommunities"
    fits = pdfmetrics.stringWidth(name, serif, 10) + 4
    width = _width_where(
        lambda lines: not any(name in line for line in lines),
        serif,
        text,
        start=fits,
        hyphenate=True,
    )
    _, guarded = setting(serif, text, width, hyphenate=True, kept=unbreakable(text))
    assert any(name in line for line in guarded)


def _findings(para) -> list[str]:
    diags = Diagnostics()
    para.rules.record = Record(diags, "test.pdf")
    para.report(para.rules.record, 1)
    para.rules.record.close()
    return [d.code for d in diags.items]


JUSTIFIED = (
    "The ceremony at Manisa Celal Bayar University is one of them, and guests may see "
    "the exhibition of photographs in the university foyer before it begins."
)


def test_a_loose_justified_line_is_found_and_a_narrow_column_is_set_ragged(serif):
    kept = unbreakable(JUSTIFIED, ("Manisa Celal Bayar University",))
    for width in range(120, 240, 4):  # a measure where even spacing cannot be had
        para, _ = setting(serif, JUSTIFIED, width, align=TA_JUSTIFY, kept=kept)
        if "typo-loose" in _findings(para):
            break
    else:
        raise AssertionError("no measure gives a loose line")
    para, _ = setting(serif, JUSTIFIED, width, align=TA_JUSTIFY, kept=kept, ragged_below=30)
    assert para.style.alignment == TA_LEFT
    assert "typo-loose" not in _findings(para)


def test_the_record_names_widows_and_orphans(serif):
    text = " ".join(["A line of running text that goes on."] * 6)
    para, lines = setting(serif, text, 200, running=True)
    para.style.allowOrphans = para.style.allowWidows = 1  # ReportLab's own control off
    first, rest = para.split(200, para.style.leading * 1.5)  # room for one line only
    assert _findings(first) == ["typo-orphan"]
    first, rest = para.split(200, para.style.leading * (len(lines) - 0.5))
    rest.wrap(200, 1000)
    assert _findings(rest) == ["typo-widow"]


# --- whole documents ------------------------------------------------------------------------


def _lines(pdf: Path, page: int) -> list[str]:
    text = PdfReader(pdf).pages[page - 1].extract_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("typo")
    build(SAMPLE, layouts=("a5-booklet", "a4-program"), langs=("en", "ru", "tr"), out_dir=out)
    return out / "commemoration"


def test_the_cover_title_and_section_titles_keep_their_words_together(sample):
    cover = _lines(sample / "a5-booklet.en.screen.pdf", 1)
    assert "forget" not in cover  # the title's last word is not alone on a line
    about = _lines(sample / "a5-booklet.en.screen.pdf", 4)
    assert "1992" not in about
    masthead = _lines(sample / "a4-program.ru.screen.pdf", 1)
    assert "забыть" not in masthead


def test_russian_pages_keep_short_words_with_the_next(sample):
    text = "\n".join("\n".join(_lines(sample / "a5-booklet.ru.screen.pdf", n)) for n in range(2, 7))
    assert not re.search(r"(^|\s)[ВвУуАаИиСсКкОо]$", text, re.MULTILINE)  # no line ends with "в"
    assert not re.search(r"^—", text, re.MULTILINE)  # no line starts with a dash
    assert "'" not in text and '"' not in text


def test_turkish_apostrophes_print_typographic(sample):
    pdf = sample / "a5-booklet.tr.screen.pdf"
    pages = range(1, len(PdfReader(pdf).pages) + 1)
    text = "\n".join(line for n in pages for line in _lines(pdf, n))
    assert "Azerbaycan’da" in text and "'" not in text


def test_a_heading_is_never_the_last_thing_on_a_page(sample):
    reader = PdfReader(sample / "a5-booklet.en.screen.pdf")
    pages = [page.extract_text() for page in reader.pages]
    (sources,) = [n for n, text in enumerate(pages) if "Sources" in text and "Azertag" in text]
    assert "[1] Azertag" in pages[sources]


def _project(tmp_path: Path, layout_edit: str) -> Path:
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    (tmp_path / "fonts").symlink_to(ROOT / "fonts")
    path = tmp_path / "layouts" / "a5-booklet.yaml"
    path.write_text(path.read_text(encoding="utf-8") + layout_edit, encoding="utf-8")
    shutil.copytree(SAMPLE, tmp_path / "content" / "ev")
    return tmp_path / "content" / "ev"


def test_the_report_lists_what_is_left_and_strict_makes_it_fatal(tmp_path, monkeypatch):
    from booklet.cli.commands import main

    monkeypatch.setenv("BOOKLET_WORKERS", "1")  # main() in this process: no forked workers

    event = _project(tmp_path, "typography: {page-fill: 0.99}\n")  # every page is too empty
    report = build(event, layouts=("a5-booklet",), langs=("en",), out_dir=tmp_path / "o")
    found = [d for d in report.diagnostics.warnings if d.code == "page-fill"]
    pages = PdfReader(tmp_path / "o/ev/a5-booklet.en.screen.pdf").pages
    notes = {n for n, page in enumerate(pages, 1) if "NOTES" in page.extract_text()}
    reported = {d.location.line for d in found}
    assert reported and not reported & {1, len(pages), *notes}  # no cover, notes, back
    assert {d.location.file for d in found} == {"a5-booklet.en.pdf"}
    about = [d for d in found if "“The night of 25–26 February 1992”" in d.message]
    first = next(n for n, page in enumerate(pages, 1) if "ABOUT THE EVENT" in page.extract_text())
    assert [d.location.line for d in about] == [first]  # the page's first text names it
    assert main(["check", str(event), "--layout", "a5-booklet", "--lang", "en"]) == 0
    assert main(["check", str(event), "--layout", "a5-booklet", "--lang", "en", "--strict"]) == 1


def test_a_program_tail_alone_on_a_page_is_balanced_or_flows_on(tmp_path):
    pages = "\n".join(["pages:", "  - cover", "  - program", "  - speakers", "  - back-cover"])
    pages += "\ntypography: {air: 0, tighten: 0}"  # no air to fill the page either
    event = _project(tmp_path, "")
    layout = tmp_path / "layouts" / "a5-booklet.yaml"
    head = layout.read_text(encoding="utf-8").split("\npages:")[0]
    layout.write_text(head + "\n" + pages + "\n", encoding="utf-8")
    report = build(event, layouts=("a5-booklet",), langs=("en",), out_dir=tmp_path / "a")
    # The program's last two items were alone on page 3 (reported as 25 % filled): the
    # program is now balanced over pages 2 and 3, the speakers on a page of their own.
    assert not [d for d in report.diagnostics.warnings if d.code == "page-fill"]
    texts = [p.extract_text() for p in PdfReader(tmp_path / "a/ev/a5-booklet.en.screen.pdf").pages]
    times = [len(re.findall(r"^\d\d:\d\d", t, re.M)) for t in texts[1:3]]
    assert times[1] >= 3 and "Speakers" in texts[3], times  # 5 + 3 items, or 6 + 2
    layout.write_text(
        head + "\n" + pages.replace("- speakers", "- {template: speakers, new-page: false}") + "\n",
        encoding="utf-8",
    )
    report = build(event, layouts=("a5-booklet",), langs=("en",), write=False)
    assert not [d for d in report.diagnostics.warnings if d.code == "page-fill"]


# --- bilingual layouts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bilingual")
    build(SAMPLE, layouts=("a4-program-bilingual",), langs=("tr", "ar"), out_dir=out)
    conference = ROOT / "content" / "conference"
    build(conference, layouts=("a4-program-bilingual",), langs=("tr",), out_dir=out)
    return out


def test_a_missing_second_language_line_stays_empty(bilingual):
    text = "\n".join(
        p.extract_text()
        for p in PdfReader(bilingual / "conference/a4-program-bilingual.tr.pdf").pages
    )
    # paper-4 has no English title: the Turkish one prints once, never as the "English" line
    assert text.count("Bakü arşivlerinde Osmanlıca belgeler") == 1
    assert "Libraries, languages and open access" in text  # a translated one prints


def test_the_bilingual_masthead_keeps_the_subtitle(bilingual):
    first = PdfReader(bilingual / "commemoration/a4-program-bilingual.tr.pdf").pages[0]
    text = " ".join(first.extract_text().split())
    assert "Unutmadık, unutturmayacağız" in text
    assert "We have not forgotten, we will not let you forget" in text
    assert "Hocalı soykırımı kurbanlarının anısına" in text  # the subtitle, kept


def test_arabic_descenders_clear_the_english_line_below(bilingual):
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(bilingual / "commemoration/a4-program-bilingual.ar.screen.pdf")[0]
    chars = page.get_textpage()
    text = chars.get_text_range()
    # the English title's line (a Latin line of an Arabic page may be read out from its end)
    start = text.index(next(line for line in text.split("\r\n") if "forgotten" in line))
    boxes = [chars.get_charbox(k, loose=False) for k in range(chars.count_chars())]
    english_top = max(box[3] for box in boxes[start : start + 11])
    above = [b for b in boxes[:start] if english_top < b[1] < english_top + 60 and b[2] > b[0]]
    assert (min(b[1] for b in above) - english_top) / MM > 1.0  # it was 0.26 mm


# --- type that survives the press ------------------------------------------------------------


def test_the_dark_front_panel_runs_past_its_fold(tmp_path):
    import pypdfium2 as pdfium

    from booklet.compose.folds import roll_fold

    build(SAMPLE, layouts=("dl-trifold",), langs=("en",), out_dir=tmp_path)
    page = pdfium.PdfDocument(tmp_path / "commemoration/dl-trifold.en.screen.pdf")[0]
    width, height = page.get_size()
    plan = roll_fold(width, height, 2 * MM)
    fold = plan.outside.panels[-1].x  # where the front panel meets the back
    scale = 4
    image = page.render(scale=scale).to_pil().convert("L")

    def ink(x: float) -> int:
        return image.getpixel((round(x * scale), round(height * scale / 2)))

    assert ink(fold + 2 * MM) < 60  # the front panel is dark
    assert ink(fold - 1 * MM) < 60  # and still dark 1 mm past the fold
    assert ink(fold - 3 * MM) > 200  # the back panel is paper


def test_the_covers_black_takes_two_plates_under_small_white_type(sample):
    from booklet.preflight.checks import preflight

    for name in ("a5-booklet.en.pdf", "a5-booklet.ru.pdf"):
        found = preflight((sample / name).read_bytes(), name)
        assert not [d for d in found if d.code in ("knockout-small-type", "small-text")]
    house = yaml.safe_load((ROOT / "layouts/house.yaml").read_text(encoding="utf-8"))
    c, m, y, k = house["palette"]["night"]
    assert k == 100 and sum(v > 0 for v in (c, m, y)) <= 1


def test_a_days_head_never_ends_a_page_alone(tmp_path):
    """ReportLab measures a head kept with what follows as if it stood at a frame's top,
    leaving out the space above it: in the conference's Turkish booklet "15 Mayıs 2027
    Cumartesi" ended page 4 and its first item began page 5. A page whose running head says
    a day goes on must not end with that day's head."""
    import pypdfium2 as pdfium

    from booklet.language.text import word

    report = build(ROOT / "content/conference", ("a5-booklet",), ("tr", "en", "ru"), tmp_path)
    carried = 0
    for lang in ("tr", "en", "ru"):
        doc = pdfium.PdfDocument(tmp_path / "conference" / f"a5-booklet.{lang}.screen.pdf")
        pages = [doc[n].get_textpage().get_text_range().splitlines() for n in range(len(doc))]
        going_on = f" · {word('continued', lang)}"
        for before, page in zip(pages, pages[1:], strict=False):
            for head in (line.strip() for line in page if line.strip().endswith(going_on)):
                day = head[: -len(going_on)]
                carried += 1
                assert day not in [line.strip() for line in before[-4:]], (lang, day)
    assert carried >= 6 and report.documents  # days do run over pages: the check is real
