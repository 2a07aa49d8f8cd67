"""Shared fixtures: the sample event built once per test process."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.builder.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "commemoration"
LANGS = ("en", "az", "tr")
MM = 72 / 25.4


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory) -> Path:
    """The output folder of one full build of the sample event."""
    out = tmp_path_factory.mktemp("out")
    build(SAMPLE, out_dir=out)
    return out / "commemoration"


def font_programs(pdf) -> dict[str, set[bytes]]:
    """Every embedded TrueType program of a PDF, by the font name it is embedded under."""
    import pikepdf

    programs: dict[str, set[bytes]] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            programs.setdefault(str(obj.FontName), set()).add(obj.FontFile2.read_bytes())
    return programs


def guest_rows(event) -> list[list[str]]:
    """The rows of an event's guests.csv: id, name, honorific, seat (the first four columns;
    gender and the honorifics per language follow)."""
    text = (event / "guests.csv").read_text(encoding="utf-8")
    return [line.split(",")[:4] for line in text.splitlines()[1:]]
