"""Shared fixtures: the sample event built once per test process."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from booklet.builder.pipeline import build

# Every command a test runs is run in its own process, as written: no resident build
# process serves it (a `booklet watch` under test starts one, which would serve the tests
# after it for its idle time), and none of the user's can be reached (a folder of the
# tests' own for sockets). The tests of the resident process start their own and say so.
os.environ["BOOKLET_RESIDENT"] = "off"
os.environ["XDG_RUNTIME_DIR"] = _RUNTIME = tempfile.mkdtemp(prefix="bk-tests-")
atexit.register(shutil.rmtree, _RUNTIME, True)

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
