"""Output stage: same input gives the same bytes, wherever the project lives; the report."""

from __future__ import annotations

import json
import shutil

import pytest

from booklet.builder.pipeline import build

from .conftest import ROOT, SAMPLE


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_input_same_bytes_even_in_another_folder(tmp_path, sample_out):
    copy = tmp_path / "elsewhere" / "project"
    (copy / "content").mkdir(parents=True)
    shutil.copytree(ROOT / "layouts", copy / "layouts")
    shutil.copytree(ROOT / "fonts", copy / "fonts")
    shutil.copytree(SAMPLE, copy / "content" / "commemoration")
    build(copy / "content" / "commemoration", out_dir=tmp_path / "out")
    again = _files(tmp_path / "out" / "commemoration")
    first = _files(sample_out)
    assert again.keys() == first.keys()
    for name in first:
        assert again[name] == first[name], f"{name} differs"


def test_report_lists_documents_pages_and_files(sample_out):
    report = json.loads((sample_out / "report.json").read_text(encoding="utf-8"))
    assert report["event"] == "commemoration"
    assert report["errors"] == 0
    docs = {(d["layout"], d["lang"]): d for d in report["documents"]}
    layouts = {
        "a5-booklet",
        "dl-trifold",
        "a5-bifold",
        "a4-program",
        "a4-program-bilingual",
        "a6-invitation",
    }
    assert set(docs) == {
        (layout, lang) for layout in layouts for lang in ("en", "az", "tr", "ru", "ar")
    }
    for (layout, lang), doc in docs.items():
        assert doc["pages"] % 4 == 0 or layout != "a5-booklet"
        assert f"{layout}.{lang}.pdf" in doc["files"]
        assert (
            doc["preflight"]["passed"] is True
            and doc["preflight"]["file"] == f"{layout}.{lang}.pdf"
        )


def test_no_staging_folder_left_behind(sample_out):
    assert not [p for p in sample_out.parent.iterdir() if p.name.startswith(".")]


def test_reportlab_settings_from_the_environment_do_not_change_the_output(tmp_path, sample_out):
    import os
    import subprocess
    import sys

    env = dict(os.environ, RL_invariant="0", RL_trustedHosts="*", RL_pageCompression="0")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "booklet",
            "build",
            str(SAMPLE),
            "--lang",
            "en",
            "--out",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    built = tmp_path / "commemoration" / "a5-booklet.en.pdf"
    assert built.read_bytes() == (sample_out / "a5-booklet.en.pdf").read_bytes()


def test_sigterm_mid_build_leaves_previous_files_untouched(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    event = tmp_path / "commemoration"
    shutil.copytree(SAMPLE, event)
    out = tmp_path / "out"
    build(event, out_dir=out)
    before = _files(out / "commemoration")
    base = event / "event.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("In memory", "Remembering"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "booklet", "build", str(event), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.7)  # past the imports, inside typesetting
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    # 130: our handler unwound the build; -15: the signal came before Python reached main()
    assert proc.returncode in (130, -15), err
    if proc.returncode == 130:
        assert "previous output left untouched" in err
    assert _files(out / "commemoration") == before
    assert [p.name for p in out.iterdir()] == ["commemoration"]  # no staging folder left


def test_a_rebuild_removes_files_the_document_no_longer_makes(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    shutil.copytree(SAMPLE, project / "content" / "ev")
    out = tmp_path / "out"
    build(project / "content" / "ev", layouts=("a5-booklet",), langs=("en",), out_dir=out)
    assert (out / "ev" / "a5-booklet.en.imposed.pdf").is_file()
    layout = project / "layouts" / "a5-booklet.yaml"
    text = layout.read_text(encoding="utf-8").replace("sheet: fit", "sheet: none")
    layout.write_text(text, encoding="utf-8")
    build(project / "content" / "ev", layouts=("a5-booklet",), langs=("en",), out_dir=out)
    assert not (out / "ev" / "a5-booklet.en.imposed.pdf").exists()
    assert (out / "ev" / "a5-booklet.en.pdf").is_file()


def test_report_is_the_same_from_any_working_folder(tmp_path, monkeypatch):
    event = tmp_path / "p" / "ev"
    shutil.copytree(SAMPLE, event)
    path = event / "event.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('time: "14:16"', 'time: "14:10"'))
    reports = []
    for cwd in (tmp_path, event):
        monkeypatch.chdir(cwd)
        build(event, layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "out")
        reports.append((tmp_path / "out/ev/report.json").read_bytes())
    assert reports[0] == reports[1]
    assert b'"file": "ev/event.yaml"' in reports[0]  # the warning, located from the event's folder


def test_contact_sheet_png_holds_the_pixels_it_was_given():
    import io
    import zlib

    from PIL import Image, ImageDraw

    from booklet.output.staging import png

    image = Image.new("RGB", (37, 11), (236, 236, 233))  # odd width: rows not word-aligned
    ImageDraw.Draw(image).rectangle((3, 2, 30, 8), fill=(200, 16, 46))
    image.putpixel((36, 10), (1, 2, 3))
    data = png(image)
    decoded = Image.open(io.BytesIO(data))
    decoded.load()  # Pillow checks every chunk's CRC and the deflate stream
    assert decoded.mode == "RGB" and decoded.size == (37, 11)
    assert decoded.tobytes() == image.tobytes()
    # every row starts with filter type 0: the scanlines are the image's bytes as they are
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    rows = zlib.decompress(idat)
    assert all(rows[y * (1 + 37 * 3)] == 0 for y in range(11))


def test_contact_sheet_png_of_an_image_with_alpha_is_its_rgb():
    import io

    from PIL import Image

    from booklet.output.staging import png

    image = Image.new("RGBA", (5, 3), (10, 20, 30, 128))
    decoded = Image.open(io.BytesIO(png(image)))
    decoded.load()
    assert decoded.mode == "RGB" and decoded.tobytes() == image.convert("RGB").tobytes()
