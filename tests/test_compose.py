"""Page sequence: padding to a multiple of four with the back cover last."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.builder.pipeline import build

from .conftest import ROOT, SAMPLE


def _project(tmp_path: Path, pages: list[str], padding: str = "notes") -> Path:
    """A project with the sample event and an a5-booklet layout with another page sequence."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    (tmp_path / "fonts").symlink_to(ROOT / "fonts")
    layout = (ROOT / "layouts" / "a5-booklet.yaml").read_text(encoding="utf-8")
    head = layout.split("\npages:")[0]
    head = head.replace("padding: notes", f"padding: {padding}")
    body = "\npages:\n" + "".join(f"  - {p}\n" for p in pages)
    (tmp_path / "layouts" / "a5-booklet.yaml").write_text(head + body, encoding="utf-8")
    shutil.copytree(SAMPLE, tmp_path / "content" / "ev")
    return tmp_path / "content" / "ev"


@pytest.mark.parametrize(
    ("pages", "notes"),
    [
        (["cover", "speakers", "back-cover"], 1),  # 3 pages → 1 notes page
        (["cover", "speakers", "facts", "back-cover"], 0),  # 4 pages → none
        (["cover", "facts", "speakers", "sources", "back-cover"], 3),  # 5 → 3
    ],
)
def test_padding_goes_before_the_back_cover(tmp_path, pages, notes):
    event = _project(tmp_path, pages)
    build(event, layouts=("a5-booklet",), langs=("en",), out_dir=tmp_path / "out")
    texts = [
        p.extract_text() for p in PdfReader(tmp_path / "out/ev/a5-booklet.en.screen.pdf").pages
    ]
    assert len(texts) % 4 == 0
    assert "ORGANIZED BY" in texts[-1].upper()
    padded = texts[len(texts) - 1 - notes : -1]
    assert all("NOTES" in t.upper() for t in padded), texts
    assert "NOTES" not in texts[len(texts) - 2 - notes].upper()


def test_blank_padding_pages_are_empty(tmp_path):
    event = _project(tmp_path, ["cover", "speakers", "back-cover"], padding="blank")
    build(event, layouts=("a5-booklet",), langs=("en",), out_dir=tmp_path / "out")
    texts = [
        p.extract_text() for p in PdfReader(tmp_path / "out/ev/a5-booklet.en.screen.pdf").pages
    ]
    assert len(texts) == 4 and texts[2].strip() == ""


def test_a_booklet_without_back_cover_is_padded_at_the_end(tmp_path):
    event = _project(tmp_path, ["cover", "speakers", "facts"])
    build(event, layouts=("a5-booklet",), langs=("en",), out_dir=tmp_path / "out")
    pdf = tmp_path / "out/ev/a5-booklet.en.screen.pdf"
    texts = [p.extract_text() for p in PdfReader(pdf).pages]
    assert len(texts) == 4 and "NOTES" in texts[-1].upper()
