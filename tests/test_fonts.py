"""Fonts: parsed once, and only the faces a document sets; their letters kept in the cache."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import SAMPLE

# Builds the English booklet, then says which faces ReportLab parsed.
BUILD = """
import sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from booklet.pipeline import build
build(Path(sys.argv[1]), ("a5-booklet",), ("en",), Path(sys.argv[2]))
print(" ".join(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("Noto"))))
"""


def _build(tmp_path, cache, out: str) -> tuple[list[str], dict[str, bytes]]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), BOOKLET_WORKERS="1")
    run = subprocess.run(
        [sys.executable, "-c", BUILD, str(SAMPLE), str(tmp_path / out)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    folder = tmp_path / out / "commemoration"
    return run.stdout.split(), {p.name: p.read_bytes() for p in folder.iterdir()}


def test_only_the_faces_a_document_sets_are_parsed_and_the_output_is_the_same(tmp_path):
    cache = tmp_path / "cache"
    parsed_cold, cold = _build(tmp_path, cache, "cold")  # every face parsed, letters kept
    assert len(list((cache / "booklet").glob("letters-Noto*.marshal"))) == 12
    assert "NotoNaskhArabic-Regular" in parsed_cold
    parsed_warm, warm = _build(tmp_path, cache, "warm")
    # English sets no Arabic and no bold italic: those faces are never parsed
    assert parsed_warm and not any("Arabic" in n or "BoldItalic" in n for n in parsed_warm)
    # and bold and italic inside a paragraph still find their family's faces
    assert warm == cold
