"""The document family: tri-fold, bi-fold, hall program and invitation cards from one event."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml
import zxingcpp
from pypdf import PdfReader

from booklet.builder.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError

from .conftest import LANGS, MM, ROOT, SAMPLE, font_programs, guest_rows

SIZES = {
    "dl-trifold": ((297, 210), 2),
    "a5-bifold": ((297, 210), 2),
    "a4-program": ((210, 297), 1),
    "a6-invitation": ((105, 148), 6),
}


@pytest.mark.parametrize("layout", sorted(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_trim_size_pages_boxes_and_fonts(sample_out, layout, lang):
    (width, height), pages = SIZES[layout]
    pdf = pikepdf.open(sample_out / f"{layout}.{lang}.pdf")
    assert len(pdf.pages) == pages
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.TrimBox)
        assert (x1 - x0, y1 - y0) == pytest.approx((width * MM, height * MM), abs=0.01)
        bx0, by0, bx1, by1 = (float(v) for v in page.BleedBox)
        assert (x0 - bx0, bx1 - x1) == pytest.approx((3 * MM, 3 * MM), abs=0.01)
        for font in page.Resources.Font.values():
            assert "+" in str(font.BaseFont)
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor


def test_every_layout_is_built_by_a_sample_event_and_each_builds_its_list(tmp_path):
    """Each bundled event builds every document its build.yaml lists, and between them
    they build every shipped layout. (The conference lists the A4 folds: its two days
    do not fit the DL tri-fold or the A5 bi-fold at 6 pt, see test_long_programs.)"""
    layouts = sorted(p.stem for p in (ROOT / "layouts").glob("*.yaml") if p.stem != "house")
    events = [p.parent for p in (ROOT / "content").glob("*/build.yaml")]
    assert events and len(layouts) >= 5
    made = set()
    for event in events:
        listed = yaml.safe_load((event / "build.yaml").read_text(encoding="utf-8"))
        report = build(event, out_dir=tmp_path / "out")
        built = {(d.layout, d.lang) for d in report.documents}
        assert built == {(n, lang) for n in listed["documents"] for lang in listed["languages"]}
        made |= {layout for layout, _ in built}
    assert made == set(layouts)


def test_trifold_panels_hold_what_the_layout_says(sample_out):
    doc = pdfium.PdfDocument(sample_out / "dl-trifold.en.screen.pdf")
    outside, inside = doc[0], doc[1]
    width, height = outside.get_size()
    third = width / 3

    def panel(page, n):
        return page.get_textpage().get_text_bounded(n * third, 0, (n + 1) * third, height)

    assert "613" in panel(outside, 0)  # flap: the facts
    assert "Organized by".upper() in panel(outside, 1).upper() and "azertag.az" in panel(outside, 1)
    assert "In memory of the victims" in panel(outside, 2)  # front
    assert "Khankandi" in panel(inside, 0)
    assert "14:56" in panel(inside, 1) and "Tower of Torture" in panel(inside, 1)
    assert "Kadir Ay" in panel(inside, 2)


def test_every_invitation_carries_its_guest_and_their_own_code(sample_out):
    doc = pdfium.PdfDocument(sample_out / "a6-invitation.tr.pdf")
    guests = guest_rows(SAMPLE)
    urls = set()
    for page, (gid, name, honorific, seat) in zip(doc, guests, strict=True):
        text = page.get_textpage().get_text_range()
        assert name in text and f"Sayın {honorific} {name}".replace("  ", " ") in text
        assert f"Koltuk {seat}" in text
        image = page.render(scale=300 / 72).to_pil().convert("RGB")
        codes = [r.text for r in zxingcpp.read_barcodes(image)]
        assert codes == [f"https://example.org/rsvp/{gid}"]
        urls.add(codes[0])
    assert len(urls) == len(guests)


def _event(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "ev")
    return tmp_path / "ev"


def _longer_history(event: Path, times: int) -> None:
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    para = "      Every year in February, Azerbaijan and communities around the world\n"
    extra = "".join(
        f"\n      Added paragraph {n}. " + "Words to make the text longer. " * 12 + "\n"
        for n in range(times)
    )
    path.write_text(text.replace(para, extra.lstrip("\n") + "\n" + para, 1), encoding="utf-8")


def test_long_panel_text_shrinks_within_the_limit(tmp_path):
    event = _event(tmp_path)
    _longer_history(event, 1)
    build(event, layouts=("dl-trifold",), langs=("en",), out_dir=tmp_path / "out")
    doc = pdfium.PdfDocument(tmp_path / "out/ev/dl-trifold.en.screen.pdf")
    text = doc[1].get_textpage().get_text_range()
    assert "Added paragraph 0" in text and "entrance" in text  # nothing cut


def test_too_long_panel_text_fails_with_location_and_amount(tmp_path, monkeypatch, capsys):
    event = _event(tmp_path)
    _longer_history(event, 30)
    monkeypatch.chdir(tmp_path)
    status = main(["build", "ev", "--layout", "dl-trifold", "--lang", "en", "--out", "out"])
    err = capsys.readouterr().err
    assert status == 1
    assert "ev/event.yaml:" in err
    # the history flows on through the program's panels, so the run as a whole overflows
    assert "dl-trifold.en, inside panels 1–3: the content does not fit:" in err
    assert "mm left over (17 paragraphs, 2 titles, 8 program items, 4 people, " in err
    assert "the first is paragraph 16 of the text here" in err
    assert "even with type at 85%, compact program entries and a compact people list\n" in err
    assert not (tmp_path / "out").exists()


def test_program_times_are_computed_from_start_and_durations(tmp_path):
    event = _event(tmp_path)
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    for clock in ("14:06", "14:16", "14:26", "14:41", "14:56"):
        text = text.replace(f'    time: "{clock}"\n', "")
    path.write_text(text, encoding="utf-8")
    build(event, layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "out")
    page = PdfReader(tmp_path / "out/ev/a4-program.en.screen.pdf").pages[0].extract_text()
    for clock in ("14:06", "14:16", "14:26", "14:41", "14:56"):
        assert clock in page


def test_overlapping_times_warn(tmp_path, monkeypatch, capsys):
    event = _event(tmp_path)
    path = event / "event.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('time: "14:16"', 'time: "14:10"'), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "ev", "--layout", "a4-program", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert (
        "warning[program-time]: program[vice-rector].time: "
        "starts at 14:10, before 'opening' ends at 14:16" in err
    )
    assert main(["check", "ev", "--layout", "a4-program", "--lang", "en", "--strict"]) == 1


def test_layout_extends_the_house_style(tmp_path):
    from booklet.errors import Diagnostics
    from booklet.read.project import Project, read_layout

    layout = read_layout(Project(ROOT), "a4-program", Diagnostics())
    assert layout.styles.title.size == 30  # its own
    assert layout.styles.title.color == "ink"  # from the house style
    assert layout.palette["accent"] == (5, 100, 85, 25)


def test_extends_cycle_and_unknown_parent_are_located(tmp_path):
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "a.yaml").write_text("extends: b\n", encoding="utf-8")
    (tmp_path / "layouts" / "b.yaml").write_text("extends: a\n", encoding="utf-8")
    (tmp_path / "layouts" / "c.yaml").write_text("extends: hous\n", encoding="utf-8")
    from booklet.errors import Diagnostics
    from booklet.read.project import Project, read_layout

    with pytest.raises(BookletError, match="extend each other in a circle"):
        read_layout(Project(tmp_path), "a", Diagnostics())
    with pytest.raises(BookletError, match="no layout"):
        read_layout(Project(tmp_path), "c", Diagnostics())


def test_the_folded_trifold_shows_the_cover_and_opens_on_the_flap(sample_out, tmp_path):
    """Fold the printed sheet as the fold model says and look at it: a folding dummy in pixels."""
    from booklet.compose.folds import roll_fold
    from booklet.errors import Diagnostics
    from booklet.read.project import Project, read_layout

    layout = read_layout(Project(ROOT), "dl-trifold", Diagnostics())
    plan = roll_fold(layout.trim.width, layout.trim.height, layout.fold.fold_in_shorter)
    doc = pdfium.PdfDocument(sample_out / "dl-trifold.en.screen.pdf")
    scale = 2
    outside = doc[0].render(scale=scale).to_pil().convert("RGB")
    front = plan.panel(1)
    folded = outside.crop(
        (round(front.x * scale), 0, round((front.x + front.width) * scale), outside.height)
    )
    folded.save(tmp_path / "folded-front.png")
    # closed, the brochure shows the cover: the event's photo across the top, then the
    # dark panel with the title; no paper shows anywhere on it
    below = range(round(folded.height * 0.4), folded.height, 8)
    dark = sum(
        1 for x in range(0, folded.width, 8) for y in below if sum(folded.getpixel((x, y))) < 150
    )
    assert dark / (len(range(0, folded.width, 8)) * len(below)) > 0.8
    pixels = [folded.getpixel((x, y)) for x in range(0, folded.width, 8) for y in range(0, 300, 8)]
    white = [p for p in pixels if min(p) > 235]  # paper, or the sun in the photo
    assert len(white) < len(pixels) * 0.1, "paper shows on the cover"
    title = doc[0].get_textpage().get_text_bounded(front.x, 0, front.x + front.width, plan.height)
    assert "forgotten" in title
    # opening the cover shows the flap (the facts) on the right, next to the inside cover
    flap = plan.panel(2)
    text = doc[0].get_textpage().get_text_bounded(flap.x, 0, flap.x + flap.width, plan.height)
    assert "613" in text


def test_cards_are_imposed_four_up_in_cut_and_stack_order_with_a_sheet_slug(sample_out):
    doc = pdfium.PdfDocument(sample_out / "a6-invitation.en.imposed.pdf")
    assert len(doc) == 2  # six cards, four places a sheet
    first = doc[0].get_textpage().get_text_range()
    assert "a6-invitation · en · sheet 1 of 2, front" in first
    # cut and stack: sheet 1 holds cards 1, 3 and 5 (pile 1 on pile 2 on pile 3 …)
    names = ["Aysel Məmmədova", "Leyla Hüseynova", "Orxan Əliyev"]
    assert all(name in first for name in names)
    assert "Mehmet Yılmaz" in doc[1].get_textpage().get_text_range()


def test_a_panel_left_blank_warns(tmp_path):
    event = _event(tmp_path)
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("facts:"), text.index("# The article cites")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    report = build(event, layouts=("dl-trifold",), langs=("en",), write=False)
    warnings = [d for d in report.diagnostics.warnings if d.code == "empty-panel"]
    assert [d.field for d in warnings] == ["outside panel 1"]


def test_cards_store_what_every_card_shares_once(sample_out):
    # The band with the title, the invitation text, the QR label and the printer's marks are
    # one form each, used by every card: a thousand cards do not carry them a thousand times.
    pdf = pikepdf.open(sample_out / "a6-invitation.en.pdf")
    used = [{str(k): v.objgen for k, v in page.Resources.XObject.items()} for page in pdf.pages[1:]]
    shared = set.intersection(*(set(u.items()) for u in used))
    assert {name for name, _ in shared} >= {
        "/FormXob.BookletPart1",
        "/FormXob.BookletPart2",
        "/FormXob.BookletPart3",
        "/BookletMarks",
    }
    # ... while each card still reads as a whole card
    for page in pdfium.PdfDocument(sample_out / "a6-invitation.en.pdf"):
        text = page.get_textpage().get_text_range()
        assert "We have not forgotten" in text and "Scan to confirm" in text


def test_per_guest_writes_each_card_as_a_file_of_its_own(tmp_path):
    event = _event(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(event), "--layout", "a6-invitation", "--lang", "az",
                 "--per-guest", "--out", str(out), "-q"]) == 0  # fmt: skip
    guests = guest_rows(event)
    folder = out / "ev" / "a6-invitation.az.guests"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{g[0]}.pdf" for g in guests)
    for gid, name, _honorific, seat in guests:
        pdf = pikepdf.open(folder / f"{gid}.pdf")
        assert len(pdf.pages) == 1 and str(pdf.Root.Lang) == "az"
        page = pdfium.PdfDocument(folder / f"{gid}.pdf")[0]
        text = page.get_textpage().get_text_range()
        assert name in text and seat in text
        image = page.render(scale=300 / 72).to_pil().convert("RGB")
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [
            f"https://example.org/rsvp/{gid}"
        ]
    # a guest taken off the list loses their card on the next build
    csv = event / "guests.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert main(["build", str(event), "--layout", "a6-invitation", "--lang", "az",
                 "--per-guest", "--out", str(out), "-q"]) == 0  # fmt: skip
    assert f"{guests[-1][0]}.pdf" not in {p.name for p in folder.iterdir()}
    assert len(list(folder.iterdir())) == len(guests) - 1
    # a build without --per-guest leaves the guests' cards as they are
    assert main(["build", str(event), "--layout", "a6-invitation", "--lang", "az",
                 "--out", str(out), "-q"]) == 0  # fmt: skip
    assert len(list(folder.iterdir())) == len(guests) - 1


def _batched_cards(tmp_path, monkeypatch, workers: str) -> Path:
    import booklet.builder.card_batches
    import booklet.builder.pipeline

    monkeypatch.setattr(booklet.builder.pipeline, "CARDS_AT_ONCE", 2)
    monkeypatch.setattr(
        booklet.builder.card_batches, "CARDS_PER_BATCH", 2
    )  # the six guests: three batches
    monkeypatch.setenv("BOOKLET_WORKERS", workers)
    out = tmp_path / workers
    build(SAMPLE, layouts=("a6-invitation",), langs=("az",), out_dir=out, per_guest=True)
    return out / "commemoration"


def test_a_long_guest_list_is_set_in_batches_and_joined(tmp_path, monkeypatch):
    from booklet.preflight.checks import preflight

    folder = _batched_cards(tmp_path, monkeypatch, "2")
    guests = guest_rows(SAMPLE)
    printed = folder / "a6-invitation.az.pdf"
    doc = pdfium.PdfDocument(printed)
    assert len(doc) == len(guests)
    for n, (page, (gid, name, _honorific, seat)) in enumerate(zip(doc, guests, strict=True), 1):
        text = page.get_textpage().get_text_range()
        assert name in text and seat in text and f"a6-invitation · az · {n}/6" in text
        image = page.render(scale=300 / 72).to_pil().convert("RGB")
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [
            f"https://example.org/rsvp/{gid}"
        ]
    pdf = pikepdf.open(printed)
    assert "/OutputIntents" in pdf.Root and str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
    # every batch embeds its own subsets: no two different font programs share a name
    programs = font_programs(pdf)
    assert len(programs) > 5 and all(len(p) == 1 for p in programs.values())
    assert [d for d in preflight(printed.read_bytes(), "x") if d.severity == "error"] == []
    assert len(list((folder / "a6-invitation.az.guests").iterdir())) == len(guests)


def test_batches_built_in_parallel_and_serially_give_the_same_bytes(tmp_path, monkeypatch):
    files = {}
    for workers in ("1", "2"):
        folder = _batched_cards(tmp_path, monkeypatch, workers)
        files[workers] = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert files["1"] == files["2"]


def test_arabic_cards_print_each_guests_latin_name(sample_out):
    # A Latin name set in the Arabic face (an Arabic comma stuck to it made it one word)
    # prints as empty boxes; every word of every name must come out as letters.
    doc = pdfium.PdfDocument(sample_out / "a6-invitation.ar.pdf")
    guests = guest_rows(SAMPLE)
    for page, (_gid, name, _honorific, _seat) in zip(doc, guests, strict=True):
        text = page.get_textpage().get_text_range()
        assert "\x01" not in text and all(word in text for word in name.split())


def _card_foot(path: Path) -> tuple[tuple[float, float], list[float], float]:
    """A screen card's QR code (its link's left and right), the left edges of the logos' and
    labels' objects beside it, and the page's width."""
    doc = pdfium.PdfDocument(path)
    page = doc[0]
    width, _ = page.get_size()
    with pikepdf.open(path) as pdf:
        (link,) = [a for a in pdf.pages[0].get("/Annots", []) if a.get("/A") is not None]
        left, bottom, right, top = (float(v) for v in link.Rect)
    beside = [
        obj.get_bounds()[0]
        for obj in page.get_objects(max_depth=1)
        if obj.get_bounds()[1] < top
        and obj.get_bounds()[3] > bottom  # at the code's height
        and not (obj.get_bounds()[0] >= left - 1 and obj.get_bounds()[2] <= right + 1)  # not it
    ]
    return (left, right), beside, width


def test_an_arabic_cards_foot_is_mirrored(sample_out):
    """Right to left, the QR code stands at the left and the logos and labels at its right,
    as the Arabic booklet mirrors its logo rows; left to right, the other way round."""
    (left, right), beside, width = _card_foot(sample_out / "a6-invitation.ar.screen.pdf")
    assert right < width / 2 and beside and min(beside) > right  # it stood at the right
    (left, right), beside, width = _card_foot(sample_out / "a6-invitation.en.screen.pdf")
    assert left > width / 2 and beside and max(beside) < left
