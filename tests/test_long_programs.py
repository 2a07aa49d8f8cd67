"""Real programs on folded products and sheets: panels that flow, compact entries, located
overflow, --keep-going, and numbered sheets with a continued head."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from booklet.builder.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError, Diagnostics
from booklet.read.project import Project, read_layout
from booklet.typeset.panels import fold_plan

from .conftest import ROOT, SAMPLE

KINDS = ["custom", "music", "speech", "custom", "film", "report", "custom"]
PEOPLE = ["khoshgul", "ay", "aliyev", "yildirim"]
LONG = (7, 13, 22)


def long_program(folder: Path, count: int = 30, long_titles: tuple[int, ...] = LONG) -> Path:
    """A copy of the sample event with a program of `count` items: a few long titles, a few
    speakers; the translations keep the base file's program."""
    event = folder / "ev"
    shutil.copytree(SAMPLE, event)
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("program:\n"), text.index("sections:\n")
    items = [_item(n, n in long_titles) for n in range(1, count + 1)]
    path.write_text(text[:start] + "program:\n" + "".join(items) + "\n" + text[end:], "utf-8")
    for translation in event.glob("event.*.yaml"):
        lines = translation.read_text(encoding="utf-8")
        if "\nprogram:" in lines:
            begin = lines.index("\nprogram:") + 1
            after = re.search(r"\n[a-z]", lines[begin:])
            rest = lines[begin + after.start() + 1 :] if after else ""
            translation.write_text(lines[:begin] + rest, encoding="utf-8")
    return event


def _item(n: int, long: bool) -> str:
    kind = KINDS[n % 7]
    title = f"Item {n:02d} " + (
        "a much longer title that runs over several lines of a narrow panel"
        if long
        else "title of the talk"
    )
    clock = f"{9 + n * 10 // 60:02d}:{n * 10 % 60:02d}"
    item = f'  - id: item-{n}\n    kind: {kind}\n    time: "{clock}"\n    duration: 10 min\n'
    item += f"    title: {title}\n"
    if kind in ("speech", "report"):
        item += f"    speaker: {PEOPLE[n % 4]}\n"
    if n % 5 == 0:
        item += "    description: A sentence describing the item in a few words.\n"
    return item


def title_line(event: Path, n: int) -> int:
    """The line of item n's title in the event file."""
    lines = (event / "event.yaml").read_text(encoding="utf-8").splitlines()
    return next(
        i for i, line in enumerate(lines, 1) if line.strip().startswith(f"title: Item {n:02d}")
    )


def panel_texts(pdf: Path, layout: str, side: int) -> list[str]:
    """The text of each panel of one side of a folded product, left to right."""
    plan = fold_plan(read_layout(Project(ROOT), layout, Diagnostics()))
    panels = (plan.outside, plan.inside)[side].panels
    page = pdfium.PdfDocument(pdf)[side]
    text = page.get_textpage()
    return [text.get_text_bounded(p.x, 0, p.x + p.width, plan.height) for p in panels]


def positions(texts: list[str], count: int) -> list[tuple[int, int]]:
    """(panel, offset) of each item's title, in program order."""
    found = []
    for n in range(1, count + 1):
        where = [(k, t.find(f"Item {n:02d}")) for k, t in enumerate(texts) if f"Item {n:02d}" in t]
        assert len(where) == 1, f"Item {n:02d} is printed {len(where)} times"
        found.append(where[0])
    return found


@pytest.mark.parametrize(("layout", "run"), [("dl-trifold", (1, 2)), ("a5-bifold", (0, 1))])
def test_a_thirty_item_program_flows_from_panel_to_panel_in_order(tmp_path, layout, run):
    event = long_program(tmp_path)
    build(event, layouts=(layout,), langs=("en",), out_dir=tmp_path / "out")
    texts = panel_texts(tmp_path / f"out/ev/{layout}.en.screen.pdf", layout, 1)
    first, second = run
    # what the panel carries of its own comes after the program that flowed onto it
    own = "Speakers" if layout == "dl-trifold" else "Sources"
    assert texts[second].index("Item 30") < texts[second].index(own)
    texts[second] = texts[second].split(own)[0]
    found = positions(texts, 30)
    assert found == sorted(found)  # all thirty, once each, in program order, panel after panel
    panels = [k for k, _ in found]
    assert panels[0] == first and panels[-1] == second
    assert 2 <= panels.count(second) <= 28  # it flowed, and no entry is left alone
    assert texts[second].startswith("PROGRAM · CONTINUED")


def test_compact_entries_are_the_time_and_the_title(tmp_path):
    event = long_program(tmp_path)
    build(event, layouts=("dl-trifold",), langs=("en",), out_dir=tmp_path / "out")
    texts = panel_texts(tmp_path / "out/ev/dl-trifold.en.screen.pdf", "dl-trifold", 1)
    program = texts[1] + texts[2].split("Speakers")[0]
    assert "12:30" in program and "Item 21" in program
    assert "10 min" not in program and "A sentence describing" not in program
    assert "Kadir Ay" in texts[2].split("Speakers")[1]  # the speakers panel keeps them


def test_a_program_that_still_does_not_fit_names_the_first_item_left_over(tmp_path, capsys):
    event = long_program(tmp_path, 80)
    status = main(
        [
            "build",
            str(event),
            "--layout",
            "dl-trifold",
            "--lang",
            "en",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1 and not (tmp_path / "o").exists()
    where = re.search(r"ev/event\.yaml:(\d+):\d+: dl-trifold\.en, inside panels 1–3: ", err)
    assert where, err
    first = next(n for n in range(1, 81) if title_line(event, n) == int(where.group(1)))
    amount = re.search(
        r"the content does not fit: ([\d.]+) mm left over \((\d+) program items", err
    )
    assert amount and float(amount.group(1)) > 10
    assert int(amount.group(2)) == 80 - first + 1  # that item and every one after it
    assert "the first from here), even with type at 85%, compact program entries" in err


def test_an_item_too_long_for_any_panel_alone_is_located(tmp_path, capsys):
    """Without a flow run, the panel's first item that does not fit is named."""
    event = long_program(tmp_path, 30)
    project = _project(tmp_path, event, "a5-bifold", lambda y: y.replace("  flow: [", "  # ["))
    status = main(["build", str(project / "ev"), "--layout", "a5-bifold", "--lang", "en"])
    err = capsys.readouterr().err
    assert status == 1
    assert "a5-bifold.en, inside panel 1: the content does not fit:" in err
    assert "let the panel flow on to the next (panels.flow)" in err


def _project(tmp_path: Path, event: Path, name: str, change) -> Path:
    """A project beside the event: the bundled layouts, one of them changed, and the fonts."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    path = project / "layouts" / f"{name}.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.move(event, project / "ev")
    return project


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        ("[inside-1, inside-3]", "expected panels side by side, found inside-1, inside-3"),
        ("[inside-2]", "expected a run of two or more panels"),
        ("[outside-1, outside-2]", "text cannot flow through outside-1"),
        ("[inside-3, inside-2]", "expected panels side by side, found inside-3, inside-2"),
    ],
)
def test_a_flow_run_is_side_by_side_inside_panels(tmp_path, capsys, flow, message):
    event = long_program(tmp_path, 8)
    project = _project(
        tmp_path,
        event,
        "dl-trifold",
        lambda y: y.replace("flow: [inside-1, inside-2, inside-3]", f"flow: {flow}"),
    )
    status = main(["check", str(project / "ev"), "--layout", "dl-trifold", "--lang", "en"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"dl-trifold.yaml: panels.flow: {message}" in err


def test_no_text_flows_onto_the_cover(tmp_path, capsys):
    event = long_program(tmp_path, 8)

    def change(yaml: str) -> str:
        yaml = yaml.replace(
            "inside: [sections, program, speakers]", "inside: [sections, program, cover]"
        )
        return yaml.replace(
            "outside: [facts, [credits, sources], cover]", "outside: [facts, credits, speakers]"
        )

    project = _project(tmp_path, event, "dl-trifold", change)
    assert main(["check", str(project / "ev"), "--layout", "dl-trifold", "--lang", "en"]) == 1
    assert (
        "panels.flow: inside-3 carries the cover: no text flows onto it" in capsys.readouterr().err
    )


def _too_long_history(event: Path) -> None:
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    para = "      Every year in February, Azerbaijan and communities around the world\n"
    extra = "".join(
        f"      Added paragraph {n}. " + "Words to make the text longer. " * 12 + "\n\n"
        for n in range(24)
    )
    path.write_text(text.replace(para, extra + para, 1), encoding="utf-8")


def test_keep_going_writes_what_fits_reports_the_rest_and_exits_1(tmp_path, capsys):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    out = tmp_path / "out"
    args = ["build", str(event), "--layout", "dl-trifold", "--layout", "a4-program"]
    args += ["--lang", "en", "--lang", "tr", "--out", str(out)]
    assert main(args) == 0
    stale = out / "ev" / "dl-trifold.en.pdf"
    assert stale.is_file()
    _too_long_history(event)
    capsys.readouterr()
    assert main(args) == 1  # all or nothing: the last good output stays
    assert "nothing written" in capsys.readouterr().err and stale.is_file()
    assert main([*args, "--keep-going"]) == 1
    err = capsys.readouterr().err
    assert "dl-trifold.en, inside panels 1–3: the content does not fit" in err
    assert "booklet: 1 error; 1 of 4 documents not written: dl-trifold.en" in err
    assert not stale.exists()  # a document that failed leaves no earlier file behind
    for name in ("a4-program.en", "a4-program.tr", "dl-trifold.tr"):
        assert len(pikepdf.open(out / "ev" / f"{name}.pdf").pages) >= 1
    text = pdfium.PdfDocument(out / "ev" / "a4-program.en.screen.pdf")[0].get_textpage()
    assert "Added paragraph" not in text.get_text_range() and "14:56" in text.get_text_range()
    report = json.loads((out / "ev" / "report.json").read_text(encoding="utf-8"))
    assert report["failed"] == [{"layout": "dl-trifold", "lang": "en"}]
    assert report["errors"] == 1 and len(report["documents"]) == 3


def test_keep_going_with_every_document_failing_writes_nothing(tmp_path):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    _too_long_history(event)
    with pytest.raises(BookletError, match="does not fit"):
        build(event, ("dl-trifold",), ("en",), tmp_path / "out", keep_going=True)
    assert not (tmp_path / "out").exists()


def test_a_long_sheet_has_numbered_pages_and_a_continued_head(tmp_path):
    event = long_program(tmp_path)
    build(event, layouts=("a4-program",), langs=("en", "ru", "ar"), out_dir=tmp_path / "out")
    heads = {"en": "Program · continued", "ru": "Программа · продолжение", "ar": "تابع"}
    for lang, head in heads.items():
        doc = pdfium.PdfDocument(tmp_path / f"out/ev/a4-program.{lang}.screen.pdf")
        total = len(doc)
        assert total >= 2
        for number, page in enumerate(doc, 1):
            width, height = page.get_size()
            text = page.get_textpage()
            top = text.get_text_bounded(0, height - 22 * 72 / 25.4, width, height)
            assert f"{number}/{total}" in seen_left_to_right(text, 0, 20 * 72 / 25.4)
            assert (head in top) == (number > 1)
        lines = [
            set(line.split())
            for page in doc
            for line in page.get_textpage().get_text_range().splitlines()
        ]
        # each title on a line of its own (a Latin line of an Arabic page may be read out
        # from its right: the words, not their order, are compared)
        assert all(any({"Item", f"{n:02d}"} <= line for line in lines) for n in range(1, 31))


def seen_left_to_right(text, bottom: float, top: float) -> str:
    """The letters in a band of the page as they are seen, left to right, without spaces."""
    letters = []
    for i in range(text.count_chars()):
        left, low, _, high = text.get_charbox(i)
        if bottom <= low and high <= top:
            letters.append((left, text.get_text_range(i, 1)))
    return re.sub(r"\s", "", "".join(c for _, c in sorted(letters)))


def test_a_sheet_limited_to_one_page_shrinks_then_fails_where_it_runs_over(tmp_path, capsys):
    def one_page(yaml: str) -> str:
        return yaml + "sheet: {pages: 1, min-scale: 0.8}\nprogram: {compact: auto}\n"

    event = long_program(tmp_path, 14)
    project = _project(tmp_path, event, "a4-program", one_page)
    out = tmp_path / "out"
    build(project / "ev", layouts=("a4-program",), langs=("en",), out_dir=out)
    assert len(pdfium.PdfDocument(out / "ev" / "a4-program.en.pdf")) == 1
    shutil.rmtree(project / "ev")
    long_program(project, 40)
    status = main(["build", str(project / "ev"), "--layout", "a4-program", "--lang", "en"])
    err = capsys.readouterr().err
    assert status == 1
    where = re.search(
        r"ev/event\.yaml:(\d+):\d+: a4-program\.en: the content does not fit on 1 page: ", err
    )
    assert where, err
    first = next(n for n in range(1, 41) if title_line(project / "ev", n) == int(where.group(1)))
    assert f"({40 - first + 1} program items, 1 list of organizers, the first from here)" in err
    assert "even with type at 80% and compact program entries" in err


def test_a_layout_can_ask_for_a_compact_program(tmp_path):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    project = _project(tmp_path, event, "a4-program", lambda y: y + "program: {compact: true}\n")
    build(project / "ev", layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "out")
    text = pdfium.PdfDocument(tmp_path / "out/ev/a4-program.en.screen.pdf")[0].get_textpage()
    page = text.get_text_range()
    assert "14:26" in page and "The Khojaly genocide in international law" in page
    assert "Emir Aliyev" not in page and "15 min" not in page and "Please stand" not in page


# --- never under 6 pt ------------------------------------------------------------------------


def test_a_spacer_one_point_wide_takes_its_height_in_a_panel():
    """Platypus stacks a Spacer(1, h) at its height; the run's measure counts it as well,
    or a run 'fits' that the frame then shrinks under 6 pt to hold."""
    import io

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Spacer
    from reportlab.platypus.flowables import _listWrapOn

    from booklet.typeset.panel_flow import Measure

    flows = [Spacer(1, 20), Spacer(100, 10), Spacer(1, 0)]
    measure = Measure(Canvas(io.BytesIO()), 200)
    for flow in flows:
        measure.add(flow)
    assert measure.used == _listWrapOn(flows, 200, Canvas(io.BytesIO()))[1] == 30


def _smallest_text(pdf: Path) -> list:
    from booklet.preflight.checks import preflight

    return [d for d in preflight(pdf.read_bytes(), pdf.name) if d.code == "small-text"]


def test_a_program_too_long_for_a_fold_fails_located_instead_of_shrinking_under_6_pt(
    tmp_path, capsys
):
    """The conference's 30 items on a DL tri-fold: the panels once shrank the Russian text
    to 4.9 pt to hold them (a `small-text` warning, exit 0); now the build says where the
    content runs over, and writes nothing."""
    conference = tmp_path / "conference"
    shutil.copytree(ROOT / "content" / "conference", conference)
    (conference / "build.yaml").write_text("documents: [dl-trifold]\nlanguages: [tr, ru]\n")
    code = main(
        [
            "build",
            str(conference),
            "--layout",
            "dl-trifold",
            "--lang",
            "ru",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "dl-trifold.ru, inside panels 1–3: the content does not fit" in err
    assert "event.ru.yaml:" in err  # located at the first item left over
    assert "small-text" not in err
    assert not (tmp_path / "out/conference/dl-trifold.ru.pdf").exists()


@pytest.mark.parametrize("layout", ["a4-trifold", "a4-bifold"])
def test_the_conference_folds_fit_at_6_pt_or_more_in_every_language(tmp_path, layout):
    conference = ROOT / "content" / "conference"
    listed = (conference / "build.yaml").read_text(encoding="utf-8")
    assert layout in listed and "dl-trifold" not in listed and "a5-bifold" not in listed
    build(conference, layouts=(layout,), langs=("tr", "ru", "en"), out_dir=tmp_path)
    for lang in ("tr", "ru", "en"):
        pdf = tmp_path / "conference" / f"{layout}.{lang}.pdf"
        assert _smallest_text(pdf) == []
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) == 2
