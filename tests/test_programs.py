"""Real programs: days, sessions, parallel rooms and people in roles, read from the pages.

The bundled conference (`content/conference`: two days, Turkish with Russian and English)
is built once; the tests read its pages' text and where it stands. Smaller events written
in a temporary folder check the schedule's times, warnings and messages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from booklet.builder.pipeline import build
from booklet.errors import BookletError

from .conftest import ROOT, SAMPLE

CONFERENCE = ROOT / "content" / "conference"
LANGS = ("tr", "ru", "en")
DAY_ONE = {
    "tr": "14 Mayıs 2027 Cuma",
    "ru": "Пятница, 14 мая 2027 г.",
    "en": "Friday, May 14, 2027",
}
DAY_TWO = {
    "tr": "15 Mayıs 2027 Cumartesi",
    "ru": "Суббота, 15 мая 2027 г.",
    "en": "Saturday, May 15, 2027",
}
RANGE = {"tr": "14–15 Mayıs 2027", "ru": "14–15 мая 2027 г.", "en": "May 14–15, 2027"}


@pytest.fixture(scope="module")
def conference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("conference")
    build(CONFERENCE, layouts=("a5-booklet", "a4-program"), langs=LANGS, out_dir=out)
    return out / "conference"


def pages(pdf: Path) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf)]


def flat(text: str) -> str:
    return " ".join(text.split())


def find(pdf: Path, needle: str) -> list[tuple[int, float, float]]:
    """Every place `needle` is printed: (page index, x, top) of its first letter."""
    found = []
    for n, page in enumerate(pdfium.PdfDocument(pdf)):
        text = page.get_textpage()
        search = text.search(needle)
        while (hit := search.get_next()) is not None:
            left, _, _, top = text.get_charbox(hit[0])
            found.append((n, left, top))
    return found


def highest(pdf: Path, n: int) -> float:
    """The top of the highest letter on page n."""
    text = pdfium.PdfDocument(pdf)[n].get_textpage()
    return max(text.get_charbox(i)[3] for i in range(text.count_chars()))


# --- the bundled conference -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_both_days_have_a_head_with_weekday_and_date(conference: Path, lang: str):
    text = flat(" ".join(pages(conference / f"a5-booklet.{lang}.pdf")))
    assert DAY_ONE[lang] in text
    assert DAY_TWO[lang] in text
    assert text.index(DAY_ONE[lang]) < text.index(DAY_TWO[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_and_back_cover_print_the_date_range(conference: Path, lang: str):
    text = pages(conference / f"a5-booklet.{lang}.pdf")
    assert RANGE[lang] in flat(text[0])
    assert RANGE[lang] in flat(text[-1])


def test_a_day_over_several_pages_says_continued_at_their_top(conference: Path):
    text = pages(conference / "a5-booklet.tr.pdf")
    continued = [n for n, t in enumerate(text) if "Cuma · devamı" in flat(t)]
    assert continued, "no page says the first day goes on"
    heads = find(conference / "a5-booklet.tr.pdf", "Cuma · devamı")
    for n in continued:
        assert DAY_ONE["tr"] not in flat(text[n]).replace("Cuma · devamı", "")
        top = next(t for page, _, t in heads if page == n)
        assert top >= highest(conference / "a5-booklet.tr.pdf", n) - 0.5, "above the text"


def test_sessions_show_time_room_and_chair(conference: Path):
    text = flat(" ".join(pages(conference / "a5-booklet.en.pdf")))
    assert "10:45–12:15 · HALL A" in text
    assert "Panel I: Digital archives and manuscripts" in text
    assert "Chair: Doç. Dr. Ahmet Yılmaz" in text  # names are not translated
    assert "Panelists: Dr. Sarah Collins, Dr. Rəşad Quliyev, Dr. Günel Rzayeva" in text


def test_parallel_rooms_stand_side_by_side_on_the_a4_program(conference: Path):
    pdf = conference / "a4-program.en.pdf"
    (a_page, a_x, a_top), (b_page, b_x, b_top) = (
        find(pdf, "Panel I: Digital archives")[0],
        find(pdf, "Panel II: Oral history")[0],
    )
    assert a_page == b_page and abs(a_top - b_top) < 1, "the two rooms start on one line"
    assert b_x - a_x > 60 * 72 / 25.4, "Hall B's column stands right of Hall A's"


def test_parallel_rooms_follow_one_another_on_an_a5_page(conference: Path):
    pdf = conference / "a5-booklet.en.pdf"
    a, b = find(pdf, "Panel I: Digital archives")[0], find(pdf, "Panel II: Oral history")[0]
    assert abs(a[1] - b[1]) < 1, "both at the start of the text column"
    assert (a[0], -a[2]) < (b[0], -b[2]), "Hall A's session first, then Hall B's"
    text = flat(" ".join(pages(pdf)))
    assert "10:45–12:15 · HALL B" in text


def test_the_people_page_lists_everyone_once_by_their_first_role(conference: Path):
    text = pages(conference / "a5-booklet.tr.pdf")
    start = next(n for n, t in enumerate(text) if "Katılımcılar" in t)  # not "Speakers" only
    people = flat(" ".join(text[start:]))
    groups = ["KONUŞMACILAR", "PANELİST", "OTURUM BAŞKANI", "SANATÇI"]  # one each: singular
    places = [people.index(g) for g in groups]  # in Turkish capitals: "Panelistler" keeps its dot
    assert places == sorted(places)
    assert people.index("Prof. Dr. Zeynep Karaca") > places[1]  # a panelist who gives no talk
    assert people.index("Prof. Dr. Sergey Ivanov") > places[2]  # chairs and responds
    assert people.count("Dr. Günel Rzayeva") == 1  # speaker and panelist: listed once
    assert "Avrupa Dijital Beşeri Bilimler Ağı" in people  # each with their affiliation


def test_the_back_cover_prints_sponsors_in_tiers_and_the_address(conference: Path):
    back = pages(conference / "a5-booklet.ru.pdf")[-1]
    # the logo strip: organizers, then each tier under its label (the names are the logos)
    labels = ("ОРГАНИЗАТОРЫ", "ГЕНЕРАЛЬНЫЙ СПОНСОР", "ПРИ ПОДДЕРЖКЕ")
    assert [back.index(label) for label in labels] == sorted(back.index(x) for x in labels)
    assert "35100 Борнова, Измир" in back  # the address keeps its lines
    assert "sempozyum@example.org" in back


# --- smaller events -------------------------------------------------------------------------


def event(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "ev"
    shutil.copytree(SAMPLE, folder)
    data = yaml.safe_load((folder / "event.yaml").read_text(encoding="utf-8"))
    edit(data)
    (folder / "event.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    (folder / "build.yaml").write_text("documents: [a5-booklet]\nlanguages: [en]\n", "utf-8")
    for extra in folder.glob("event.*.yaml"):
        extra.unlink()
    return folder


def two_rooms(data: dict) -> None:
    data["days"] = [{"id": "d1", "date": "2026-02-26"}, {"id": "d2", "date": "2026-02-27"}]
    data["sessions"] = [
        {"id": "a", "day": "d1", "title": "Room A talks", "time": "10:00", "room": "A"},
        {"id": "b", "day": "d1", "title": "Room B talks", "time": "10:00", "room": "B"},
        {"id": "c", "day": "d2", "title": "Day two", "time": "09:00", "room": "A"},
    ]
    data["program"] = [
        {"id": "a1", "kind": "talk", "session": "a", "duration": "30 min", "title": "A one"},
        {"id": "a2", "kind": "talk", "session": "a", "duration": "30 min", "title": "A two"},
        {"id": "b1", "kind": "talk", "session": "b", "duration": "45 min", "title": "B one"},
        {"id": "lunch", "kind": "meal", "day": "d1", "duration": "1 h"},
        {"id": "c1", "kind": "talk", "session": "c", "duration": "1 h", "title": "Two one"},
    ]


def test_each_room_keeps_its_own_clock_and_the_next_slot_waits_for_the_last(tmp_path):
    from booklet.compose.schedule import timetable
    from booklet.errors import Diagnostics
    from booklet.read.project import read_content

    diags = Diagnostics()
    content = read_content(event(tmp_path, two_rooms), "en", diags)
    table = timetable(content, diags)
    times = table.times
    assert (times["a1"], times["a2"], times["b1"]) == ("10:00", "10:30", "10:00")
    assert times["lunch"] == "11:00", "after the longer room (A ends 11:00, B at 10:45)"
    assert times["c1"] == "09:00", "day two starts on its own clock"
    assert [len(g) for g in table.days[0].groups] == [2, 1], "rooms A and B in one group"
    assert not diags.warnings


def test_a_session_that_starts_before_the_one_before_ends_is_a_warning(tmp_path):
    def overlap(data: dict) -> None:
        two_rooms(data)
        data["sessions"][2].update(day="d1", time="11:30", room="C")  # during lunch

    out = tmp_path / "out"
    report = build(event(tmp_path, overlap), out_dir=out, write=False)
    warned = [d for d in report.diagnostics.warnings if d.code == "program-time"]
    assert [d.field for d in warned] == ["sessions[c].time"]
    assert "starts at 11:30, before 'lunch' ends at 12:00" in warned[0].message


def test_an_item_of_a_two_day_event_must_say_its_day(tmp_path):
    def lost(data: dict) -> None:
        two_rooms(data)
        del data["program"][3]["day"]

    with pytest.raises(BookletError) as caught:
        build(event(tmp_path, lost), out_dir=tmp_path / "out", write=False)
    text = "\n".join(d.format() for d in caught.value.diagnostics)
    assert (
        "program[lunch].day: an item of an event of several days needs its session or its day"
        in text
    )
    assert "event.yaml:" in text


def test_an_unknown_role_is_an_error_with_a_suggestion(tmp_path):
    def typo(data: dict) -> None:
        two_rooms(data)
        data["program"][0]["people"] = {"panellist": ["ay"]}

    with pytest.raises(BookletError) as caught:
        build(event(tmp_path, typo), out_dir=tmp_path / "out", write=False)
    found = [d for d in caught.value.diagnostics if "unknown role" in d.message]
    assert found and found[0].field == "program[a1].people.panellist"
    assert "panelist" in found[0].hint


def test_alphabetical_people_page_sorts_by_sort_name(tmp_path):
    def roles(data: dict) -> None:
        data["people"]["ay"]["sort-name"] = (
            "Aa, Kadir"  # first, though program order puts him second
        )
        data["program"][5]["people"] = {"respondent": ["yildirim"]}

    folder = event(tmp_path, roles)
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "abc.yaml").write_text(
        "extends: a5-booklet\npages: [cover, program, {template: speakers, order: alphabetical},"
        " back-cover]\n",
        "utf-8",
    )
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    for layout in (ROOT / "layouts").glob("*.yaml"):
        if not (layouts / layout.name).exists():
            shutil.copy(layout, layouts / layout.name)
    (folder / "build.yaml").write_text("documents: [abc]\nlanguages: [en]\n", "utf-8")
    build(folder, out_dir=tmp_path / "out")
    text = flat(" ".join(pages(tmp_path / "out" / "ev" / "abc.en.pdf")))
    people = text[text.index("Speakers") :]
    names = ["Prof. Dr. Kadir Ay", "Prof. Dr. Emir Aliyev", "Şentürk Hoşgül"]
    assert [people.index(n) for n in names] == sorted(people.index(n) for n in names)


def test_verse_keeps_its_lines(tmp_path):
    def poem(data: dict) -> None:
        data["sections"].append(
            {"id": "poem", "title": "A poem", "verse": True, "body": "First line\nsecond line\n"}
        )

    out = tmp_path / "out"
    build(event(tmp_path, poem), out_dir=out)
    pdf = out / "ev" / "a5-booklet.en.pdf"
    (p1, x1, y1), (p2, x2, y2) = find(pdf, "First line")[0], find(pdf, "second line")[0]
    assert p1 == p2 and abs(x1 - x2) < 1 and y1 - y2 > 5, "the second line under the first"


@pytest.mark.parametrize(
    ("typed", "choices", "hint"),
    [
        ("session-1", ["registration-1", "opening"], ""),  # shares a part: another name
        ("speach", ["speech", "report"], "did you mean 'speech'?"),
        ("titel", ["title", "subtitle"], "did you mean 'title'?"),
        ("panellist", ["panelist", "chair"], "did you mean 'panelist'?"),
        ("day-3", ["day-1", "day-2"], "did you mean 'day-1'?"),
    ],
)
def test_did_you_mean_suggests_near_misses_only(typed, choices, hint):
    from booklet.read.nodes import suggest

    assert suggest(typed, choices) == hint


def test_the_venue_map_is_a_qr_code_on_the_back_cover_that_decodes(conference: Path):
    import zxingcpp

    doc = pdfium.PdfDocument(conference / "a5-booklet.tr.pdf")
    image = doc[len(doc) - 1].render(scale=300 / 72).to_pil()
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    event = yaml.safe_load((CONFERENCE / "event.yaml").read_text(encoding="utf-8"))
    assert codes == [event["event"]["map"]]


def test_the_bifold_sets_its_sources_as_a_grid_of_codes_that_decode(tmp_path):
    """Where room is short (a program of 42 items on the A5 bi-fold: the conference's own
    now goes on an A4 bi-fold) the sources are a grid of codes with their numbers."""
    import zxingcpp

    from .test_long_programs import long_program

    event = long_program(tmp_path, count=42)
    out = tmp_path / "out"
    build(event, layouts=("a5-bifold",), langs=("en",), out_dir=out)
    doc = pdfium.PdfDocument(out / "ev" / "a5-bifold.en.pdf")
    image = doc[1].render(scale=300 / 72).to_pil()  # the inside: program, then the sources
    codes = sorted(r.text for r in zxingcpp.read_barcodes(image))
    content = yaml.safe_load((event / "event.yaml").read_text(encoding="utf-8"))
    assert codes == sorted(s["url"] for s in content["sources"])
    hits = find(out / "ev" / "a5-bifold.en.pdf", "[")
    tops = {round(t) for page, _, t in hits if page == 1}
    assert len(tops) == 1, "the numbered publishers stand in one row under the codes"
