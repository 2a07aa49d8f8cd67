"""Fonts: parsed once, and only the faces a document sets; their letters kept in the cache."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

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
    # the 24 faces of house.yaml: Latin, Arabic, Georgian, Armenian, Hebrew
    assert len(list((cache / "booklet").glob("letters-Noto*.marshal"))) == 24
    assert "NotoNaskhArabic-Regular" in parsed_cold
    parsed_warm, warm = _build(tmp_path, cache, "warm")
    # English sets no Arabic, Georgian, Armenian or Hebrew and no bold italic: those faces
    # are never parsed
    other = ("Arabic", "Georgian", "Armenian", "Hebrew", "BoldItalic")
    assert parsed_warm and not any(word in n for n in parsed_warm for word in other)
    # and bold and italic inside a paragraph still find their family's faces
    assert warm == cold


def test_a_face_is_kept_by_its_content_and_a_late_failure_is_located_and_forgotten(
    tmp_path, monkeypatch
):
    import shutil

    from reportlab.pdfbase import pdfmetrics

    from booklet.errors import BookletError, Location
    from booklet.language import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "BookletTestFace.ttf"
    shutil.copy(SAMPLE.parents[1] / "fonts" / "noto" / "NotoSans-Regular.ttf", path)
    good = path.read_bytes()
    where, field = Location("layouts/t.yaml", 3, 14), "fonts.test.regular"

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
        return (found.location, found.field) == (where, field) and message in found.message

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


# --- fonts are checked when a layout names them ----------------------------------------------


def _font_project(tmp_path: Path, name: str, edit) -> Path:
    """A project whose layout `t` sets its sans regular face in fonts/test/<name>.ttf, a copy
    of Noto Sans changed by `edit(bytearray, tables)`; returns the project folder."""
    import shutil

    from fontTools.ttLib import TTFont

    project = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    shutil.copytree(ROOT / "fonts", project / "fonts")
    data = (ROOT / "fonts" / "noto" / "NotoSans-Regular.ttf").read_bytes()
    font = TTFont(io.BytesIO(data))
    tables = {tag: (entry.offset, entry.length) for tag, entry in font.reader.tables.items()}
    changed = bytearray(data)
    edit(changed, tables)
    (project / "fonts" / "test").mkdir()
    (project / "fonts" / "test" / f"{name}.ttf").write_bytes(bytes(changed))
    (project / "layouts" / "t.yaml").write_text(
        f"extends: a5-booklet\nfonts:\n  sans:\n    regular: test/{name}.ttf\n"
    )
    event = project / "content" / "ev"
    shutil.copytree(SAMPLE, event)
    (event / "build.yaml").write_text("documents: [t]\nlanguages: [en]\n")
    return project


def _check(project: Path, monkeypatch, capsys) -> tuple[int, str]:
    from booklet.cli import main

    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    capsys.readouterr()
    return main(["check", "content/ev"]), capsys.readouterr().err


def _fs_type(value: int):
    def edit(data: bytearray, tables: dict) -> None:
        offset, _ = tables["OS/2"]
        data[offset + 8 : offset + 10] = struct.pack(">H", value)

    return edit


def _truncate(data: bytearray, tables: dict) -> None:
    del data[60_000:]


def _zero_loca(data: bytearray, tables: dict) -> None:
    offset, length = tables["loca"]
    data[offset : offset + length] = bytes(length)


WHERE = "layouts/t.yaml:4:14: fonts.sans.regular: "


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "BookletTruncated",
            _truncate,
            "font 'test/BookletTruncated.ttf' is damaged: its 'hmtx' table does not parse",
        ),
        (
            "BookletZeroLoca",
            _zero_loca,
            "font 'test/BookletZeroLoca.ttf' is damaged: U+0021, U+0022, U+0023, U+0024, U+0025 "
            "and 2,524 more would print blank (no outline)",
        ),
        (
            "BookletRestricted",
            _fs_type(0x0002),
            "the licence of font 'test/BookletRestricted.ttf' forbids embedding it "
            "(OS/2 fsType 0x0002)",
        ),
        (
            "BookletBitmapOnly",
            _fs_type(0x0200),
            "the licence of font 'test/BookletBitmapOnly.ttf' forbids embedding it "
            "(OS/2 fsType 0x0200)",
        ),
    ],
)
def test_a_font_that_cannot_be_used_is_refused_where_the_layout_names_it(
    tmp_path, monkeypatch, capsys, name, edit, message
):
    status, err = _check(_font_project(tmp_path, name, edit), monkeypatch, capsys)
    assert status == 1
    assert WHERE + message + "\n  hint: " in err, err
    assert "internal error" not in err and "fontTools" not in err and "glyf" not in err


def test_a_font_licensed_for_preview_and_print_is_embedded_with_a_warning(
    tmp_path, monkeypatch, capsys
):
    project = _font_project(tmp_path, "BookletPreviewPrint", _fs_type(0x0004))
    status, err = _check(project, monkeypatch, capsys)
    assert status == 0, err
    assert (
        "layouts/t.yaml:4:14: warning[font-licence]: fonts.sans.regular: font "
        "'test/BookletPreviewPrint.ttf' may only be embedded for preview and print "
        "(OS/2 fsType 0x0004)"
    ) in err
