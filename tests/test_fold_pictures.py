"""Pictures on folded products and the program sheet: the cover photo across the front
panel into the bleed, the logo strip on the back panel and on the A4 program's credits,
read back from the print file as placed images (position, colour space, resolution)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from booklet.builder.pipeline import build
from booklet.errors import Diagnostics
from booklet.read.project import Project, read_layout
from booklet.typeset.panels import fold_plan

from .conftest import ROOT

MM = 72 / 25.4
EVENT = """\
language: en
event:
  title: Pictures on a fold
  date: 2026-03-01
  venue: The Hall
  organizers: [org, other]
  sponsors:
    - id: main
      label: Main sponsor
      organizations: [sponsor]
  {cover}
organizations:
  org: {{name: An Organization, logo: logo-org}}
  other: {{name: Another Organization, logo: logo-other}}
  sponsor: {{name: A Sponsor, logo: logo-sponsor}}
images:
  - id: dusk
    file: dusk.jpg
    credit: "Photo: A. Photographer, CC BY 4.0"
    alt: Hills at dusk
  - {{id: logo-org, file: logo-org.png}}
  - {{id: logo-other, file: logo-other.png}}
  - {{id: logo-sponsor, file: logo-sponsor.png}}
program:
  - {{id: one, kind: custom, time: "10:00", title: Opening, duration: 10 min}}
  - {{id: two, kind: custom, title: Address, duration: 20 min}}
sections:
  - id: about
    title: About
    body: A paragraph about the event.
"""


def event(tmp_path: Path, documents: str, cover: bool = True, size=(2000, 1300)) -> Path:
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "build.yaml").write_text(f"documents: [{documents}]\nlanguages: [en]\n")
    (folder / "event.yaml").write_text(EVENT.format(cover="cover-photo: dusk" if cover else ""))
    photo = Image.new("RGB", size)
    photo.putdata(
        [(90 + x % 120, 60 + y % 90, 120) for y in range(size[1]) for x in range(size[0])]
    )
    photo.save(folder / "dusk.jpg", quality=90)
    for n, name in enumerate(("org", "other", "sponsor")):
        Image.new("RGB", (600, 300), (200, 40 * n, 60)).save(folder / f"logo-{name}.png")
    return folder


def placed(pdf: pikepdf.Pdf, page: int) -> list[dict]:
    """Every image drawn on a page: its rectangle in page space (through forms), its colour
    space and its pixel size."""
    found: list[dict] = []
    _walk(pdf.pages[page].obj, pdf.pages[page].Resources, (1, 0, 0, 1, 0, 0), found)
    return found


def _mul(m, n):
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _walk(stream, resources, ctm, found) -> None:
    stack = []
    for operands, op in pikepdf.parse_content_stream(stream):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            xobj = resources.XObject[operands[0]]
            if xobj.Subtype == "/Form":
                matrix = tuple(float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                _walk(xobj, xobj.get("/Resources", resources), _mul(matrix, ctm), found)
            elif xobj.Subtype == "/Image":
                a, b, c, d, e, f = ctm
                xs, ys = (e, e + a, e + c, e + a + c), (f, f + b, f + d, f + b + d)
                found.append(
                    {
                        "box": (min(xs), min(ys), max(xs), max(ys)),
                        "space": str(xobj.ColorSpace),
                        "pixels": (int(xobj.Width), int(xobj.Height)),
                    }
                )


def sheet(pdf: pikepdf.Pdf) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in pdf.pages[0].TrimBox)  # type: ignore[return-value]


@pytest.mark.parametrize("layout", ["dl-trifold", "a5-bifold"])
def test_the_cover_photo_runs_across_the_front_panel_into_the_bleed(tmp_path, layout):
    report = build(event(tmp_path, layout), (layout,), ("en",), write=False)
    files = report.documents[0].files
    plan = fold_plan(read_layout(Project(ROOT), layout, Diagnostics()))
    front = plan.outside.panels[-1]  # the cover: the outside's last panel
    with pikepdf.open(io.BytesIO(files[f"{layout}.en.pdf"])) as pdf:
        x0, y0, x1, y1 = sheet(pdf)
        photos = [p for p in placed(pdf, 0) if p["box"][3] - p["box"][1] > 40 * MM]
    assert len(photos) == 1
    left, bottom, right, top = photos[0]["box"]
    assert top == pytest.approx(y1 + 3 * MM, abs=0.05)  # into the top bleed
    assert right == pytest.approx(x1 + 3 * MM, abs=0.05)  # and the sheet edge's bleed
    assert left == pytest.approx(x0 + front.x - 1.5 * MM, abs=0.05)  # 1.5 mm past the fold
    assert y0 + (y1 - y0) * 0.5 < bottom < y1 - 50 * MM  # across the panel's top
    assert photos[0]["space"] in ("/DeviceCMYK", "/ICCBased") or "CMYK" in photos[0]["space"]
    # 2000 px across at most 157 mm: over 300 ppi, so no warning
    assert not [d for d in report.diagnostics.items if d.code in ("low-ppi", "too-low-ppi")]
    screen = files[f"{layout}.en.screen.pdf"]
    with pikepdf.open(io.BytesIO(screen)) as pdf:
        spaces = {p["space"] for p in placed(pdf, 0)}
    assert any("RGB" in s or "ICC" in s for s in spaces)  # the screen file keeps sRGB


def test_a_small_cover_photo_warns_for_its_resolution(tmp_path):
    report = build(
        event(tmp_path, "dl-trifold", size=(900, 640)), ("dl-trifold",), ("en",), write=False
    )
    low = [d for d in report.diagnostics.items if d.code == "low-ppi"]
    assert low and "dusk.jpg" in low[0].message and low[0].location.line > 0


def test_without_a_cover_photo_the_front_panel_has_no_image(tmp_path):
    report = build(
        event(tmp_path, "dl-trifold", cover=False), ("dl-trifold",), ("en",), write=False
    )
    with pikepdf.open(io.BytesIO(report.documents[0].files["dl-trifold.en.pdf"])) as pdf:
        front = fold_plan(read_layout(Project(ROOT), "dl-trifold", Diagnostics())).outside.panels[
            -1
        ]
        x0 = sheet(pdf)[0]
        assert not [p for p in placed(pdf, 0) if p["box"][2] > x0 + front.x + 5 * MM]


def test_the_back_panel_carries_the_logo_strip_organizers_then_sponsors(tmp_path):
    report = build(event(tmp_path, "dl-trifold"), ("dl-trifold",), ("en",), write=False)
    plan = fold_plan(read_layout(Project(ROOT), "dl-trifold", Diagnostics()))
    back = plan.outside.panels[1]
    with pikepdf.open(io.BytesIO(report.documents[0].files["dl-trifold.en.pdf"])) as pdf:
        x0, y0, _, _ = sheet(pdf)
        logos = [p for p in placed(pdf, 0) if p["box"][3] - p["box"][1] < 20 * MM]
    assert len(logos) == 3
    for logo in logos:
        left, _, right, _ = logo["box"]
        assert x0 + back.x <= left and right <= x0 + back.x + back.width  # on the back panel
        assert logo["space"] == "/DeviceCMYK"
    # organizers first, the sponsor's tier under or after them
    org, other, sponsor = logos
    assert org["box"][0] < other["box"][0]
    assert sponsor["box"][3] <= org["box"][1] + 0.01 or sponsor["box"][0] > other["box"][2]


def test_the_a4_program_credits_are_a_logo_strip_under_the_program(tmp_path):
    report = build(event(tmp_path, "a4-program"), ("a4-program",), ("en",), write=False)
    files = report.documents[0].files
    with pikepdf.open(io.BytesIO(files["a4-program.en.pdf"])) as pdf:
        logos = [p for p in placed(pdf, 0) if p["box"][3] - p["box"][1] < 20 * MM]
    assert len(logos) == 3
    assert all(p["space"] == "/DeviceCMYK" for p in logos)
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(files["a4-program.en.pdf"])[0]
    text = page.get_textpage()
    address = text.search("Address").get_next()
    assert address is not None
    _, _, _, program_bottom = text.get_charbox(address[0])
    assert max(p["box"][3] for p in logos) < program_bottom  # under the program's last item
