"""Arabic text with Latin in it: the order of words on the page, the spaces, the faces."""

from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from booklet.builder.pipeline import build
from booklet.errors import Diagnostics
from booklet.language import fonts
from booklet.language.bidi import embedding_levels, visual_order
from booklet.language.fonts import Face
from booklet.language.script_runs import LATIN, OWN, boxes_in, latin_runs, script_faces, unprintable
from booklet.read.project import Project, read_layout

from .conftest import ROOT, SAMPLE

GUESTS = [
    ("g1", "Aysel Məmmədova", "Dr."),  # a Latin run of three words
    ("g2", "Hüseynova، Leyla", ""),  # an Arabic comma stuck to a Latin surname
    ("g3", "Aysel Məmmədova Hüseynova Əliyeva Bəylərbəyova Qızı Nəzakət Sevinc", "Prof."),
]
# The invitation, with Latin runs inside Arabic sentences.
TEXT = "ندعوكم إلى عرض فيلم Tower of Torture في جامعة Celal Bayar، ثم معرض الصور."


@pytest.fixture(scope="module")
def cards(tmp_path_factory) -> pdfium.PdfDocument:
    """The Arabic invitation cards of the sample event, for the guests above."""
    root = tmp_path_factory.mktemp("bidi")
    event = root / "ev"
    shutil.copytree(SAMPLE, event)
    rows = "".join(f"{gid},{name},{title},A{n}\n" for n, (gid, name, title) in enumerate(GUESTS))
    (event / "guests.csv").write_text("id,name,honorific,seat\n" + rows, encoding="utf-8")
    path = event / "event.ar.yaml"
    yaml = path.read_text(encoding="utf-8")
    start = yaml.index("invitation:\n  text: >-\n")
    end = yaml.index("  qr-label:", start)
    path.write_text(yaml[:start] + f"invitation:\n  text: {TEXT}\n" + yaml[end:], encoding="utf-8")
    report = build(event, layouts=("a6-invitation",), langs=("ar",), out_dir=root / "out")
    assert not report.diagnostics.errors
    return pdfium.PdfDocument(root / "out/ev/a6-invitation.ar.pdf")


class Word:
    """Where a word was drawn: its box on the page, its baseline and the faces of its letters."""

    def __init__(self, glyphs: list[tuple]):
        self.left, self.right = glyphs[0][1], glyphs[-1][2]
        self.baseline = glyphs[0][3]
        self.fonts = {g[4] for g in glyphs}
        self.glyphs = glyphs


def _font(page, index: int) -> str:
    size = pdfium_c.FPDFText_GetFontInfo(page.raw, index, None, 0, None)
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(page.raw, index, name, size, None)
    return name.value.decode()


def lines(doc, n: int) -> list[list[tuple]]:
    """Page `n`'s glyphs line by line from the top, each line from left to right, as drawn:
    (char, left, right, baseline, font) — not pdfium's guess at the reading order."""
    page = doc[n].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    rows: dict[float, list[tuple]] = {}
    for i in range(page.count_chars()):
        char = page.get_text_range(i, 1)
        if pdfium_c.FPDFText_IsGenerated(page.raw, i) or char.isspace():
            continue
        pdfium_c.FPDFText_GetCharOrigin(page.raw, i, ctypes.byref(x), ctypes.byref(y))
        left, _, right, _ = page.get_charbox(i)
        baseline = round(y.value, 1)
        rows.setdefault(baseline, []).append((char, left, right, baseline, _font(page, i)))
    return [sorted(rows[b], key=lambda g: g[1]) for b in sorted(rows, reverse=True)]


def words(doc, n: int, *wanted: str) -> list[Word]:
    """Where each word was first drawn on page `n`: a Latin word's letters stand left to
    right, an Arabic word's right to left (take words without lam-alef or marks)."""
    found = []
    for word in wanted:
        rtl = any("\u0600" <= c <= "\u06ff" and c != "،" for c in word)
        drawn = word[::-1] if rtl else word
        for line in lines(doc, n):
            at = "".join(g[0] for g in line).find(drawn)
            if at >= 0:
                found.append(Word(line[at : at + len(drawn)]))
                break
        else:
            raise AssertionError(f"{word!r} not drawn on page {n}")
    return found


def left_to_right(*ws: Word) -> bool:
    return all(a.right <= b.left for a, b in zip(ws, ws[1:], strict=False))


def spaced(*ws: Word, gap: float = 1.5) -> bool:
    """A space (at least `gap` points) between each word and the next, in visual order."""
    return all(b.left - a.right >= gap for a, b in zip(ws, ws[1:], strict=False))


def arabic(font: str) -> bool:
    return "Arabic" in font


def test_a_latin_name_keeps_its_word_order_and_spaces_in_an_arabic_salutation(cards):
    dr, aysel, surname, dear = words(cards, 0, "Dr.", "Aysel", "Məmmədova", "حضرة")
    assert len({w.baseline for w in (dr, aysel, surname, dear)}) == 1  # one line
    # "حضرة" is typed first, so it stands rightmost; the Latin run reads left to right
    assert left_to_right(dr, aysel, surname, dear)
    assert spaced(dr, aysel, surname, dear)  # no two words collide at a font switch


def test_an_arabic_comma_stuck_to_a_latin_surname_prints_each_in_its_face(cards):
    surname, name, dear = words(cards, 1, "Hüseynova،", "Leyla", "حضرة")
    # "Hüseynova، Leyla" is a Latin run (the comma between two Latin words goes with them)
    assert left_to_right(surname, name, dear) and spaced(surname, name, dear)
    *letters, comma = surname.glyphs
    # no Latin letter shaped in an Arabic face, where it would print as an empty box
    assert not any(arabic(g[4]) for g in letters + name.glyphs)
    assert arabic(comma[4]) and all(arabic(font) for font in dear.fonts)


def test_a_long_latin_name_still_wraps_and_keeps_its_order_on_each_line(cards):
    names = GUESTS[2][1].split()
    *latin, dear = words(cards, 2, "Prof.", *names, "حضرة")
    baselines = sorted({w.baseline for w in latin}, reverse=True)
    assert len(baselines) >= 2  # broken at the spaces of the Latin run, as any text is
    # the first line starts at the right with "حضرة"; the name goes on in typed order
    first = [w for w in latin if w.baseline == baselines[0]]
    assert dear.baseline == baselines[0] and left_to_right(*first, dear) and spaced(first[-1], dear)
    assert [w.baseline for w in latin] == sorted((w.baseline for w in latin), reverse=True)
    for baseline in baselines:
        on_line = [w for w in latin if w.baseline == baseline]
        assert left_to_right(*on_line) and spaced(*on_line)


def test_mixed_sentences_read_right_to_left_with_latin_runs_left_to_right(cards):
    invite, to, show, film, tower, of, torture, in_ = words(
        cards, 0, "ندعوكم", "إلى", "عرض", "فيلم", "Tower", "of", "Torture", "في"
    )
    assert len({w.baseline for w in (invite, to, show, film, tower, of, torture, in_)}) == 1
    # Arabic words: the first typed stands rightmost
    assert left_to_right(film, show, to, invite) and spaced(film, show, to, invite)
    # the Latin title reads left to right, between the Arabic words around it
    assert left_to_right(in_, tower, of, torture, film) and spaced(tower, of, torture, film)
    celal, bayar, university = words(cards, 0, "Celal", "Bayar", "جامعة")
    assert left_to_right(celal, bayar, university) and spaced(celal, bayar, university)


def test_latin_runs_split_words_where_the_script_changes():
    own = frozenset(map(ord, "حضرة،:«» "))
    latin = frozenset(map(ord, "HüseynovaLeylDr.:«» "))
    text = "حضرة Dr. Hüseynova، Leyla «حضرة»: Leyla:"
    marked = latin_runs(text, Face("a", Path(), own), Face("L", Path(), latin))
    assert marked == (
        'حضرة <font face="L">Dr.</font> <font face="L">Hüseynova</font>، '
        '<font face="L">Leyla</font> «حضرة»: <font face="L">Leyla:</font>'
    )
    # punctuation goes with the letters it touches, a mark with its letter
    assert script_faces(list("ة\u0301x"), own, latin | {0x301}) == [OWN, OWN, LATIN]


def test_a_mark_the_arabic_face_lacks_is_refused_even_if_the_latin_face_has_it():
    own = frozenset(map(ord, "حضرة "))
    latin = frozenset(map(ord, "Leyla ")) | {0x301}
    assert unprintable("حضرة\u0301 Leyla", own, latin) == ["\u0301"]
    assert unprintable("حضرةLeyla", own, latin) == []  # a Latin tail is set in the Latin face


def test_the_layouts_arabic_faces_lack_a_mark_their_latin_fallback_has():
    # what the build's glyph check can ask (glyphs.check_glyphs, for right-to-left documents)
    diags = Diagnostics()
    layout = read_layout(Project(ROOT), "a6-invitation", diags)
    faces = fonts.register(layout, ROOT / "fonts", "a6-invitation.yaml", diags)
    gaps = boxes_in("حضرة\u0301 Dr. Hüseynova، Leyla", layout, "ar", faces)
    assert list(gaps) == ["\u0301"] and "NotoNaskhArabic-Regular.ttf" in gaps["\u0301"]
    assert boxes_in("حضرة Dr. Hüseynova، Leyla", layout, "ar", faces) == {}
    # read as it is set: after **strong** markup the mark still sits on an Arabic letter
    assert list(boxes_in("يشرّفنا **حضوركم**\u0301 الكريم", layout, "ar", faces)) == ["\u0301"]


def test_bidi_levels_and_visual_order_follow_uax9():
    text = "حضرة Dr. Aysel، ثم"
    levels = embedding_levels(text, 1)
    assert levels[:5] == [1] * 5 and set(levels[5:14]) == {2} and set(levels[14:]) == {1}
    # L2 on units: Arabic, space, Latin, space, Latin, comma, space, Arabic
    assert visual_order([1, 1, 2, 2, 2, 1, 1, 1]) == [7, 6, 5, 2, 3, 4, 1, 0]


def _arabic_event(tmp_path: Path, guests: str) -> Path:
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    (event / "guests.csv").write_text("id,name,honorific,seat\n" + guests, encoding="utf-8")
    return event


def test_a_mark_its_letters_arabic_face_lacks_fails_the_build(tmp_path):
    from booklet.errors import BookletError

    event = _arabic_event(tmp_path, "g1,حضرة\u0301 Leyla,,A1\n")
    with pytest.raises(BookletError) as failed:
        build(event, layouts=("a6-invitation",), langs=("ar",), out_dir=tmp_path / "out")
    (error,) = [d for d in failed.value.diagnostics if d.code == "missing-glyph"]
    assert "U+0301" in error.message and "which set the letter it belongs to" in error.message
    assert error.location.file.endswith("guests.csv") and error.location.line == 2


def test_arabic_lists_use_the_arabic_comma(sample_out):
    text = " ".join(
        page.get_textpage().get_text_range()
        for page in pdfium.PdfDocument(sample_out / "a4-program.ar.pdf")
    )
    assert "، " in text and "بايار, " not in text


def _set(tmp_path: Path, lang: str, text: str) -> list[list[tuple]]:
    """The lines of a paragraph in the invitation's body style (justified), 120 pt wide
    from x = 20: glyphs as `lines` gives them."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from booklet.typeset.styles import Palette, Styles

    diags = Diagnostics()
    layout = read_layout(Project(ROOT), "a6-invitation", diags)
    faces = fonts.register(layout, ROOT / "fonts", "a6-invitation.yaml", diags)
    styles = Styles(layout, faces, Palette(layout), lang)
    path = tmp_path / f"{lang}.pdf"
    doc = BaseDocTemplate(str(path), pagesize=(160, 240), invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(20, 20, 120, 200, 0, 0, 0, 0)])])
    doc.build([styles.para(text, "body")])
    return lines(pdfium.PdfDocument(path), 0)


def _baselines(tmp_path: Path, lang: str, text: str) -> list[float]:
    return sorted({g[3] for row in _set(tmp_path, lang, text) for g in row}, reverse=True)


def test_blank_lines_in_arabic_paragraphs_keep_their_height(tmp_path):
    assert _baselines(tmp_path, "ar", "ا\n\nب") == _baselines(tmp_path, "en", "a\n\nb")
    assert len(_baselines(tmp_path, "ar", "نص\n\n\nنص Latin")) == 2
    top, bottom = _baselines(tmp_path, "ar", "نص\n\n\nنص Latin")
    assert top - bottom == pytest.approx(3 * (top - _baselines(tmp_path, "ar", "ا\nب")[1]))


def test_a_justified_arabic_line_ended_by_a_break_stands_at_the_right(tmp_path):
    first, second = _set(tmp_path, "ar", "قصير\nكلمة أخرى")
    assert first[-1][2] == pytest.approx(second[-1][2], abs=0.5)  # flush right, both
    assert first[0][1] > 80  # not stretched, not at the left


def test_arabic_quoted_in_a_left_to_right_document_reads_right_to_left(tmp_path):
    (line,) = _set(tmp_path, "en", "By أحمد علي, chair.")
    arabic = [g for g in line if "\u0600" <= g[0] <= "\u06ff"]
    # left to right on the page: the last word typed first, each word's letters reversed
    assert "".join(g[0] for g in arabic) == "يلعدمحأ"
    assert all("Naskh" in g[4] for g in arabic)
    assert "".join(g[0] for g in line if g[0].isascii()) == "By,chair."
    chars = [g[0] for g in line]
    assert chars.index("y") < chars.index("ي") and chars.index("أ") < chars.index(",")


def test_a_kicker_quoting_arabic_in_a_left_to_right_document_is_not_letter_spaced():
    from reportlab.platypus import Paragraph

    from booklet.typeset.styles import Palette, Styles

    diags = Diagnostics()
    layout = read_layout(Project(ROOT), "a5-booklet", diags)
    faces = fonts.register(layout, ROOT / "fonts", "a5-booklet.yaml", diags)
    styles = Styles(layout, faces, Palette(layout), "en")
    assert isinstance(styles.label("Khojaly · خوجالي", "kicker"), Paragraph)
    assert not isinstance(styles.label("Khojaly", "kicker"), Paragraph)


def test_a_run_in_the_other_face_keeps_its_bold_and_italic(tmp_path):
    # a <font face> inside <b> would set the run in the regular face
    (line,) = _set(tmp_path, "en", "A **bold خوجالي** here.")
    arabic = [g for g in line if "\u0600" <= g[0] <= "\u06ff"]
    assert arabic and all("NotoNaskhArabic-Bold" in g[4] for g in arabic)
    (line,) = _set(tmp_path, "ar", "حضرة **Dr. Aysel** و *Leyla*")
    faces = {g[0]: g[4] for g in line if g[0].isascii()}
    # Arabic *emphasis* is bold (layout emphasis.arabic), and a Latin name in it upright
    assert "NotoSerif-Bold" in faces["A"] and "NotoSerif-Bold" in faces["L"]
