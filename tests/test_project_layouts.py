"""A project's own layouts and fonts beside the bundled ones: lookup, extends, fonts, warnings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from booklet.builder.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError, Diagnostics
from booklet.read.folders import bundled_root, find_project
from booklet.read.project import layout_lineage, read_layout

from .conftest import MM, ROOT, SAMPLE

SQUARE = """\
extends: a5-booklet
description: A square booklet
trim: {width: 210mm, height: 210mm}
palette:
  accent: [100, 55, 0, 10]
"""

ORGANIZER = """\
fonts:
  organizer:
    regular: organizer/Organizer-Regular.ttf
    bold: organizer/Organizer-Bold.ttf
    italic: organizer/Organizer-Italic.ttf
    bold-italic: organizer/Organizer-BoldItalic.ttf
    fallback: sans
styles:
  title: {font: organizer}
  heading: {font: organizer}
"""


def _layout_findings(report) -> list:
    """What a build says of its layouts and fonts: not the sample's photos, which a
    210 mm square page places wider than their pixels hold at 300 ppi (`low-ppi`)."""
    return [d for d in report.diagnostics.items if d.code not in ("low-ppi", "image-ppi")]


def make_font(source: Path, target: Path, family: str, style: str) -> str:
    """A copy of a bundled face under another name (its PostScript name is returned)."""
    font = TTFont(source)
    postscript = f"{family.replace(' ', '')}-{style}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID in (3, 6):
            record.string = postscript
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return postscript


def organizer_fonts(fonts: Path) -> None:
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        source = ROOT / "fonts" / "noto" / f"NotoSans-{style}.ttf"
        make_font(source, fonts / "organizer" / f"Organizer-{style}.ttf", "Organizer Sans", style)
    shutil.copy(ROOT / "fonts" / "noto" / "OFL.txt", fonts / "organizer" / "OFL.txt")


def project(tmp_path: Path, layouts: dict[str, str], documents: str) -> Path:
    """A project folder with only a layouts/ folder (no fonts/) and the sample event in
    English; returns the event folder."""
    root = tmp_path / "proj"
    (root / "layouts").mkdir(parents=True)
    for name, text in layouts.items():
        (root / "layouts" / f"{name}.yaml").write_text(text, encoding="utf-8")
    event = root / "content" / "ev"
    shutil.copytree(SAMPLE, event)
    (event / "build.yaml").write_text(
        f"documents: [{documents}]\nlanguages: [en]\n", encoding="utf-8"
    )
    return event


def trim_mm(pdf: Path) -> tuple[float, float]:
    with pikepdf.open(pdf) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[0].TrimBox)
    return round((x1 - x0) / MM, 1), round((y1 - y0) / MM, 1)


def embedded(pdf: Path) -> set[str]:
    """The embedded fonts' names without their subset tags."""
    with pikepdf.open(pdf) as doc:
        return {
            str(font.BaseFont).split("+")[-1]
            for page in doc.pages
            for font in page.Resources.get("/Font", {}).values()
        }


@pytest.fixture(autouse=True)
def one_worker(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "1")


# --- layouts ------------------------------------------------------------------------------


def test_a_project_layouts_folder_without_fonts_adds_to_the_bundled_ones(tmp_path, monkeypatch):
    event = project(
        tmp_path, {"square": SQUARE + "imposition: {sheet: press}\n"}, "square, a5-booklet"
    )
    assert not (event.parents[1] / "fonts").exists()
    assert find_project(event).root == event.parents[1]
    monkeypatch.chdir(event.parents[1])
    report = build(event, out_dir=tmp_path / "out")
    assert [d.layout for d in report.documents] == ["square", "a5-booklet"]
    assert not _layout_findings(report)
    out = tmp_path / "out" / "ev"
    assert trim_mm(out / "square.en.pdf") == (210, 210)
    assert trim_mm(out / "a5-booklet.en.pdf") == (148, 210)  # the bundled one, untouched
    # the square booklet is the A5 booklet's pages (extends) in its own size
    with (
        pikepdf.open(out / "square.en.pdf") as square,
        pikepdf.open(out / "a5-booklet.en.pdf") as a5,
    ):
        assert len(square.pages) == len(a5.pages) == 12


def test_a_project_layout_of_the_same_name_wins_and_extends_the_bundled_one(tmp_path):
    letter = "extends: a5-booklet\ntrim: {width: 5.5in, height: 8.5in}\n"  # on Letter
    house = "extends: house\nbleed: 5mm\n"  # every bundled layout extends the house style
    event = project(tmp_path, {"a5-booklet": letter, "house": house}, "a5-booklet, a4-program")
    report = build(event, out_dir=tmp_path / "out")
    assert not _layout_findings(report)
    out = tmp_path / "out" / "ev"
    assert trim_mm(out / "a5-booklet.en.pdf") == (139.7, 215.9)
    for name in ("a5-booklet", "a4-program"):  # the bundled a4-program takes the project's house
        with pikepdf.open(out / f"{name}.en.pdf") as doc:
            bleed = float(doc.pages[0].TrimBox[0]) - float(doc.pages[0].BleedBox[0])
        assert bleed == pytest.approx(5 * MM, abs=0.01)
    layouts = tmp_path / "proj" / "layouts"
    lineage = layout_lineage(find_project(event), "a5-booklet")
    bundled = ROOT / "layouts"
    assert lineage == {
        (layouts / "a5-booklet.yaml").resolve(),
        (bundled / "a5-booklet.yaml").resolve(),
        (layouts / "house.yaml").resolve(),
        (bundled / "house.yaml").resolve(),
    }


def test_layouts_in_a_circle_and_a_missing_own_name_are_located(tmp_path, monkeypatch):
    event = project(
        tmp_path,
        {
            "a": "description: first\nextends: b\n",
            "b": "extends: a\n",
            "mine": "extends: mine\n",
            "house": "extends: a5-booklet\n",  # a5-booklet extends house: this one
        },
        "a",
    )
    monkeypatch.chdir(event.parents[1])
    proj = find_project(event)
    with pytest.raises(BookletError) as circle:
        read_layout(proj, "a", Diagnostics())
    [diag] = circle.value.diagnostics
    assert str(diag.location) == "layouts/b.yaml:1:10"
    assert diag.message == (
        "layouts extend each other in a circle: layouts/a.yaml → layouts/b.yaml → layouts/a.yaml"
    )
    with pytest.raises(BookletError) as own:
        read_layout(proj, "mine", Diagnostics())
    [diag] = own.value.diagnostics
    assert str(diag.location) == "layouts/mine.yaml:1:10"
    assert 'no layout "mine" below this one' in diag.message
    with pytest.raises(BookletError, match="in a circle: .*a5-booklet.yaml → layouts/house.yaml"):
        read_layout(proj, "a5-booklet", Diagnostics())


def test_messages_name_the_project_and_the_bundled_layouts(tmp_path, monkeypatch, capsys):
    event = project(tmp_path, {"square": SQUARE}, "sqare")
    monkeypatch.chdir(event.parents[1])
    assert main(["check", "content/ev"]) == 1
    err = capsys.readouterr().err
    assert f"no layout 'sqare' in layouts/ or {ROOT / 'layouts'}/" in err
    assert "hint: did you mean 'square'?" in err


# --- fonts --------------------------------------------------------------------------------


def test_a_project_font_is_embedded_beside_the_bundled_ones(tmp_path, monkeypatch):
    event = project(tmp_path, {"square": SQUARE + ORGANIZER}, "square")
    organizer_fonts(event.parents[1] / "fonts")
    report = build(event, out_dir=tmp_path / "out")
    names = embedded(tmp_path / "out" / "ev" / "square.en.pdf")
    assert {"OrganizerSans-Regular", "OrganizerSans-Bold"} <= names  # the project's
    assert "NotoSerif-Regular" in names  # the bundled body face
    assert [d.code for d in _layout_findings(report)] == ["office-sheet"]


def test_a_project_font_of_the_same_name_wins_and_never_stands_in_for_the_bundled_one(tmp_path):
    event = project(tmp_path, {}, "a5-booklet")
    fonts = event.parents[1] / "fonts"
    source = ROOT / "fonts" / "noto" / "NotoSerif-Regular.ttf"
    make_font(source, fonts / "noto" / "NotoSerif-Regular.ttf", "Project Serif", "Regular")
    build(event, out_dir=tmp_path / "out")
    names = embedded(tmp_path / "out" / "ev" / "a5-booklet.en.pdf")
    assert "ProjectSerif-Regular" in names and "NotoSerif-Regular" not in names
    assert "NotoSerif-Bold" in names  # the project has no bold: booklet's
    # in the same process, a build without the project's file embeds booklet's again
    plain = tmp_path / "plain"
    shutil.copytree(SAMPLE, plain)
    (plain / "build.yaml").write_text("documents: [a5-booklet]\nlanguages: [en]\n")
    build(plain, out_dir=tmp_path / "out2")
    names = embedded(tmp_path / "out2" / "plain" / "a5-booklet.en.pdf")
    assert "NotoSerif-Regular" in names and "ProjectSerif-Regular" not in names


def test_a_font_link_out_of_the_project_fonts_is_refused(tmp_path, monkeypatch, capsys):
    text = SQUARE + ORGANIZER + "imposition: {sheet: press}\n"
    event = project(tmp_path, {"square": text}, "square")
    fonts = event.parents[1] / "fonts"
    organizer_fonts(fonts)
    (fonts / "organizer" / "Organizer-Bold.ttf").unlink()
    # a link to a bundled file is still a link out of the project's fonts/
    (fonts / "organizer" / "Organizer-Bold.ttf").symlink_to(
        ROOT / "fonts" / "noto" / "NotoSans-Bold.ttf"
    )
    (fonts / "organizer" / "Organizer-Italic.ttf").unlink()
    monkeypatch.chdir(event.parents[1])
    assert main(["check", "content/ev"]) == 1
    err = capsys.readouterr().err
    # each at the line of the layout that names it
    assert (
        "layouts/square.yaml:9:11: fonts.organizer.bold: font 'organizer/Organizer-Bold.ttf' "
        "is outside the fonts folder"
    ) in err
    assert (
        "layouts/square.yaml:10:13: fonts.organizer.italic: font file "
        f"'organizer/Organizer-Italic.ttf' not found in fonts/ or {ROOT / 'fonts'}/"
    ) in err


# --- the office sheet ---------------------------------------------------------------------


def test_an_office_imposition_on_a_sheet_no_office_printer_takes_is_a_warning(
    tmp_path, monkeypatch, capsys
):
    event = project(tmp_path, {"square": SQUARE}, "square")
    monkeypatch.chdir(event.parents[1])
    assert main(["check", "content/ev"]) == 0
    err = capsys.readouterr().err
    assert (
        "layouts/square.yaml:3:1: warning[office-sheet]: imposition.sheet: two 210 × 210 mm "
        "pages make a 420 × 210 mm office sheet"
    ) in err
    assert "imposition: {sheet: press}" in err and "148 × 210 mm (A5 pages on A4)" in err
    assert main(["check", "content/ev", "--strict"]) == 1
    # cards three across: the line that asks for them
    layout = event.parents[1] / "layouts" / "square.yaml"
    layout.write_text("extends: a6-invitation\nimposition: {sheet: fit, across: 3}\n")
    (event / "build.yaml").write_text("documents: [square]\nlanguages: [en]\n")
    assert main(["check", "content/ev"]) == 0
    err = capsys.readouterr().err
    assert (
        "layouts/square.yaml:2:1: warning[office-sheet]: imposition.sheet: 3 × 2 cards of "
        "105 × 148 mm make a 315 × 296 mm office sheet"
    ) in err


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("extends: a5-booklet\n", False),  # A5 on A4
        ("extends: a5-booklet\ntrim: {width: 5.5in, height: 8.5in}\n", False),  # on Letter
        ("extends: a5-booklet\ntrim: {width: 210mm, height: 297mm}\n", False),  # A4 on A3
        (SQUARE, True),
        (SQUARE + "imposition: {sheet: press}\n", False),
        (SQUARE + "imposition: {sheet: none}\n", False),
        ("extends: a6-invitation\nimposition: {sheet: fit}\n", False),  # 2 × 2 A6 on A4
        ("extends: a6-invitation\nimposition: {sheet: fit, across: 3}\n", True),
    ],
)
def test_which_office_sheets_are_warned_about(tmp_path, text, warned):
    event = project(tmp_path, {"mine": text}, "mine")
    diags = Diagnostics()
    read_layout(find_project(event), "mine", diags)
    assert [d.code for d in diags.items] == (["office-sheet"] if warned else [])


def test_a_letter_booklet_is_centred_on_letter_paper(tmp_path):
    from booklet.read.paper import office_paper

    text = "extends: a5-booklet\ntrim: {width: 5.5in, height: 8.5in}\n"
    event = project(tmp_path, {"half-letter": text}, "half-letter")
    layout = read_layout(find_project(event), "half-letter", Diagnostics())
    assert office_paper(layout) == (792.0, 612.0)


# --- watch ----------------------------------------------------------------------------------


def test_watch_watches_the_project_and_bundled_layouts_and_fonts(tmp_path):
    from booklet.cli.watch import scope, watched_folders

    event = project(tmp_path, {"square": SQUARE}, "square, a4-program")
    (event.parents[1] / "fonts").mkdir()
    proj = find_project(event)
    root = event.parents[1]
    assert watched_folders(event, proj) == (
        event,
        root / "layouts",
        ROOT / "layouts",
        root / "fonts",
        ROOT / "fonts",
    )
    (root / "language-rules").mkdir()  # the project's own language rules: watched too
    assert watched_folders(event, proj)[-1] == root / "language-rules"
    assert scope([root / "language-rules" / "en.yaml"], event, proj) is None  # everything
    every = (("square", "a4-program"), ("en",))
    assert scope([root / "layouts" / "square.yaml"], event, proj) == (("square",), ("en",))
    # a bundled layout the project's extends: its documents
    assert scope([ROOT / "layouts" / "a5-booklet.yaml"], event, proj) == (("square",), ("en",))
    assert scope([ROOT / "layouts" / "house.yaml"], event, proj) == every
    assert scope([root / "fonts" / "Organizer-Regular.ttf"], event, proj) is None


def test_a_project_without_layouts_is_not_a_project(tmp_path):
    (tmp_path / "fonts").mkdir()
    assert find_project(tmp_path).root == bundled_root()


# --- the walkthrough in docs/layout.md --------------------------------------------------------


def _walkthrough() -> list[tuple[str, str]]:
    """The walkthrough's blocks in order: ("sh", command lines) and ("yaml", a whole file
    whose first line names it)."""
    return re.findall(r"```(sh|yaml)\n(.*?)```", _doc_section(), flags=re.S)


def test_the_walkthrough_runs_as_written(tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    download = home / "Downloads" / "source-sans"
    for style, ours in (("Regular", "Regular"), ("Bold", "Bold"), ("Italic", "It")):
        source = ROOT / "fonts" / "noto" / f"NotoSans-{style}.ttf"
        make_font(source, download / "TTF" / f"SourceSans3-{ours}.ttf", "Source Sans 3", ours)
    source = ROOT / "fonts" / "noto" / "NotoSans-BoldItalic.ttf"
    make_font(source, download / "TTF" / "SourceSans3-BoldIt.ttf", "Source Sans 3", "BoldIt")
    (download / "LICENSE.md").write_text("SIL Open Font License 1.1\n", encoding="utf-8")
    work.mkdir()
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = dict(os.environ, HOME=str(home), PATH=path, BOOKLET_WORKERS="1")
    blocks = _walkthrough()
    assert [kind for kind, _ in blocks] == ["sh", "sh", "yaml", "yaml", "sh"]
    for kind, body in blocks:
        if kind == "yaml":
            name = body.splitlines()[0].removeprefix("# ")
            (work / name).write_text(body, encoding="utf-8")
            continue
        for command in filter(str.strip, body.splitlines()):
            run = subprocess.run(
                command, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=120
            )
            assert run.returncode == 0, f"{command}\n{run.stderr}"
            assert "Traceback" not in run.stderr and "warning" not in run.stderr, run.stderr
    assert sorted(p.name for p in (work / "layouts").iterdir()) == ["square-booklet.yaml"]
    assert (work / "fonts" / "organizer" / "LICENSE.md").is_file()
    out = work / "output" / "my-conference"
    assert trim_mm(out / "square-booklet.en.pdf") == (210, 210)
    assert trim_mm(out / "a5-booklet.en.pdf") == (148, 210)
    names = embedded(out / "square-booklet.en.pdf")
    assert {"SourceSans3-Regular", "SourceSans3-Bold", "NotoSerif-Regular"} <= names
    assert "SourceSans3-Regular" not in embedded(out / "a5-booklet.en.pdf")
    assert (out / "square-booklet.en.imposed.pdf").is_file()
    assert (out / "preview" / "square-booklet.en.p2.png").is_file()
    # without the imposition line: the warning the walkthrough shows, word for word
    layout = work / "layouts" / "square-booklet.yaml"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace("imposition: {sheet: press}\n", ""), encoding="utf-8")
    run = subprocess.run(
        "booklet check my-conference", shell=True, cwd=work, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    shown = re.search(r"```text\n(layouts/square-booklet.*?)\n```", _doc_section(), flags=re.S)
    assert shown and shown.group(1) in run.stderr


def _doc_section() -> str:
    text = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    return text.split("## Your own variant in five minutes", 1)[1].split("\n## ", 1)[0]


def test_a_style_colour_left_without_its_palette_entry_names_the_layout(tmp_path, capsys):
    # found by the fuzzer: a layout whose palette lost 'ink' refused every style that
    # takes the default colour with a message naming no file
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    os.symlink(ROOT / "fonts", tmp_path / "fonts")
    shutil.copytree(SAMPLE, tmp_path / "content" / "ev")
    house = tmp_path / "layouts" / "house.yaml"
    house.write_text(house.read_text("utf-8").replace("\n  ink: ", "\n  inq: ", 1), "utf-8")
    code = main(["check", str(tmp_path / "content" / "ev"), "--layout", "a5-booklet"])
    lines = [line for line in capsys.readouterr().err.splitlines() if "no colour 'ink'" in line]
    assert code == 1 and len(lines) > 5
    assert all(re.match(r"\S*layouts/(a5-booklet|house)\.yaml(:\d+:\d+)?: ", x) for x in lines)
