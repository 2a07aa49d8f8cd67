"""Fonts: parsed once, and only the faces a document sets; their letters kept in the cache."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import SAMPLE

# Builds the English booklet, then says which faces ReportLab parsed.
BUILD = """
import sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from booklet.builder.pipeline import build
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


def test_a_face_is_kept_by_its_content_and_a_late_failure_is_located_and_forgotten(
    tmp_path, monkeypatch
):
    import shutil

    from reportlab.pdfbase import pdfmetrics

    from booklet.errors import BookletError
    from booklet.language import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "BookletTestFace.ttf"
    shutil.copy(SAMPLE.parents[1] / "fonts" / "noto" / "NotoSans-Regular.ttf", path)
    good = path.read_bytes()
    where, field = "layouts/t.yaml", "fonts.test.regular"

    def fresh_process() -> None:  # what a new process knows: nothing parsed or registered
        monkeypatch.setattr(fonts, "_KNOWN", {})
        monkeypatch.setattr(fonts, "_WAITING", {})
        monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))
        monkeypatch.setattr(pdfmetrics, "_dynFaceNames", dict(pdfmetrics._dynFaceNames))
        pdfmetrics._fonts.pop("BookletTestFace", None)

    def corrupt() -> None:  # same size, same time: only the content tells
        stat = path.stat()
        path.write_bytes(b"\0" * len(good))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def located(error: BookletError, message: str) -> bool:  # where the layout names it
        (found,) = error.diagnostics
        return (found.location.file, found.field) == (where, field) and message in found.message

    fresh_process()
    cold = fonts._register(path, where, field)  # parsed, its letters kept
    assert ord("Ş") in cold.cmap and "BookletTestFace" in pdfmetrics._fonts
    fresh_process()
    warm = fonts._register(path, where, field)  # from the cache: waits to be parsed
    assert warm.cmap == cold.cmap and "BookletTestFace" in fonts._WAITING
    corrupt()
    fresh_process()
    with pytest.raises(BookletError) as failed:  # not the cached letters of another file
        fonts._register(path, where, field)
    assert located(failed.value, "cannot read font")
    path.write_bytes(good)  # a new time: parsed once more, then known from the cache
    for _ in range(2):
        fresh_process()
        fonts._register(path, where, field)
    assert "BookletTestFace" in fonts._WAITING  # waits to be parsed ...
    corrupt()  # ... and the file changes before a document sets a letter in it
    with pytest.raises(BookletError) as failed:  # its letters were checked in the old one
        pdfmetrics.getFont("BookletTestFace")
    assert located(failed.value, "changed during the build")
    assert "BookletTestFace" not in fonts._KNOWN  # forgotten: the next build reads it again
    path.write_bytes(good)
    assert fonts._register(path, where, field).cmap == cold.cmap
    assert pdfmetrics.getFont("BookletTestFace").face.charToGlyph
