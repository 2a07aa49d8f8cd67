"""Daily use: JSON Schema, previews, watch mode, parallel builds, quiet and JSON output."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from PIL import Image

from booklet.cli import main
from booklet.read.json_schema import json_schema

from .conftest import ROOT, SAMPLE


def _yaml12(path):
    """Load YAML as an editor would (YAML 1.2): dates stay strings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return walk(data)


def test_schema_validates_every_sample_file():
    content = json_schema("content")
    translation = json_schema("translation")
    jsonschema.validate(_yaml12(SAMPLE / "event.yaml"), content)
    for path in SAMPLE.glob("event.*.yaml"):
        jsonschema.validate(_yaml12(path), translation)
    jsonschema.validate(_yaml12(SAMPLE / "build.yaml"), json_schema("build"))
    for path in (ROOT / "layouts").glob("*.yaml"):
        jsonschema.validate(_yaml12(path), json_schema("layout"))


def test_schema_rejects_an_unknown_key():
    data = _yaml12(SAMPLE / "event.yaml")
    data["event"]["titel"] = data["event"].pop("title")
    with pytest.raises(jsonschema.ValidationError, match="titel"):
        jsonschema.validate(data, json_schema("content"))


def test_schema_command_prints_json(capsys):
    assert main(["schema", "layout"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "booklet layout file" and "trim" in schema["properties"]


def test_preview_renders_chosen_pages_with_proof_guides(tmp_path, capsys):
    args = ["preview", str(SAMPLE), "--layout", "a5-booklet", "--lang", "az"]
    assert main([*args, "--pages", "1,3-4", "--dpi", "50", "--proof", "--out", str(tmp_path)]) == 0
    folder = tmp_path / "commemoration" / "preview"
    assert sorted(p.name for p in folder.iterdir()) == [
        "a5-booklet.az.p1.png",
        "a5-booklet.az.p3.png",
        "a5-booklet.az.p4.png",
    ]
    image = Image.open(folder / "a5-booklet.az.p3.png").convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)}
    assert (0, 160, 220) in colours and (230, 0, 126) in colours  # trim and bleed lines
    assert main([*args, "--pages", "13", "--out", str(tmp_path)]) == 2
    assert "pages 13 are not within 1–12" in capsys.readouterr().err


def test_parallel_and_serial_builds_give_the_same_bytes(tmp_path, monkeypatch):
    from booklet.builder.pipeline import build

    outputs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("BOOKLET_WORKERS", workers)
        out = tmp_path / workers
        build(SAMPLE, layouts=("a5-booklet", "dl-trifold"), langs=("en", "tr"), out_dir=out)
        outputs[workers] = {p.name: p.read_bytes() for p in (out / "commemoration").iterdir()}
    assert outputs["1"] == outputs["2"]


def test_json_report_and_quiet(capsys):
    assert main(["check", str(SAMPLE), "--layout", "a4-program", "--lang", "en", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"][0]["layout"] == "a4-program" and report["errors"] == 0
    assert main(["check", str(SAMPLE), "--layout", "a4-program", "--lang", "en", "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_errors_point_at_the_docs(tmp_path, monkeypatch, capsys):
    shutil.copytree(SAMPLE, tmp_path / "ev")
    path = tmp_path / "ev" / "event.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("duration: 10 min", "duration: ten", 1)
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "ev", "--layout", "a4-program"]) == 1
    assert "  docs: docs/content.md#program" in capsys.readouterr().err


def _saved_until(path: Path, text: str, predicate) -> bool:
    """Save `text` to `path` until the watcher has acted on it (`predicate`): it says
    "watching" just before its file watcher starts, so the first save may come too soon."""
    for _ in range(36):
        path.write_text(text, encoding="utf-8")
        if _wait_for(predicate, 5):
            return True
    return False


def _wait_for(predicate, seconds: float) -> bool:
    # A bound against a watch that hangs, not a speed check: a rebuild takes ~1 s alone and
    # a few on a loaded CI machine; 180 s is never reached unless something is broken.
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_watch_rebuilds_on_save_and_keeps_the_last_good_file(tmp_path):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    out = tmp_path / "out"
    pdf = out / "ev" / "a4-program.en.pdf"
    env = dict(os.environ, BOOKLET_WORKERS="1")
    command = [sys.executable, "-m", "booklet", "watch", str(event), "--layout", "a4-program"]
    log = tmp_path / "watch.log"
    with log.open("w") as said:
        proc = subprocess.Popen(
            [*command, "--lang", "en", "--out", str(out)],
            stdout=said,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    try:
        assert _wait_for(lambda: "watching" in log.read_text(), 180), "no first build"
        first = pdf.read_bytes()
        base = event / "event.yaml"
        text = base.read_text(encoding="utf-8")
        edited = text.replace("Photo exhibition on", "Photographs of")
        assert _saved_until(base, edited, lambda: pdf.read_bytes() != first), "no rebuild"
        second = pdf.read_bytes()
        broken = text.replace("date: 2026-02-26", "date: 2026-02-30")
        kept = _saved_until(base, broken, lambda: "kept the last good files" in log.read_text())
        assert kept and pdf.read_bytes() == second  # the broken edit kept the last good file
    finally:
        proc.terminate()
        proc.wait(timeout=180)
    assert 'found "2026-02-30"' in log.read_text()


@pytest.mark.parametrize("template", ["commemoration", "conference", "concert"])
def test_every_template_makes_an_event_that_builds(tmp_path, template, capsys):
    target = tmp_path / "event"
    assert main(["new", str(target), "--template", template, "--lang", "tr,az,en"]) == 0
    first = (target / "event.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=content.schema.json"
    assert main(["build", str(target), "--out", str(tmp_path / "out"), "-q"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err
    built = sorted(p.name for p in (tmp_path / "out/event").glob("*.pdf"))
    assert "a5-booklet.tr.pdf" in built and "a6-invitation.en.pdf" in built
    assert (tmp_path / "out/event/a5-booklet.tr.png").is_file()


def test_new_refuses_a_used_folder_and_unknown_templates(tmp_path, capsys):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    assert main(["new", str(tmp_path / "used")]) == 2
    assert main(["new", str(tmp_path / "fresh"), "--template", "concrt"]) == 2
    assert "did you mean 'concert'?" in capsys.readouterr().err


def _project_copy(tmp_path):
    """An event in a project folder of its own, with the bundled layouts and fonts."""
    from booklet.read.project import Project

    root = tmp_path / "proj"
    for name in ("layouts", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(SAMPLE, root / "ev")
    return root / "ev", Project(root)


def test_a_saved_file_rebuilds_only_what_it_can_change(tmp_path):
    from booklet.cli.watch import scope
    from booklet.errors import Diagnostics
    from booklet.read.project import read_build_spec

    event, project = _project_copy(tmp_path)
    spec = read_build_spec(event, Diagnostics())
    docs, langs = tuple(spec.documents), tuple(spec.languages)
    layouts = project.layouts
    assert scope([event / "event.tr.yaml"], event, project) == (docs, ("tr",))
    assert scope([layouts / "a5-booklet.yaml"], event, project) == (("a5-booklet",), langs)
    assert scope([event / "guests.csv"], event, project) == (("a6-invitation",), langs)
    assert scope([layouts / "house.yaml"], event, project) == (docs, langs)  # all extend it
    for everything in (event / "event.yaml", event / "build.yaml", event / "notes.txt"):
        assert scope([everything], event, project) is None
    # two saves at once: what either can change
    both = scope([event / "event.tr.yaml", layouts / "a5-booklet.yaml"], event, project)
    assert both == (docs, langs)
    # what was asked for bounds it: a Turkish save while watching English changes nothing
    assert scope([event / "event.tr.yaml"], event, project, (), ("en",)) == (docs, ())
    # a layout the build lists cannot be read: its documents are rebuilt (the build says why)
    (layouts / "a6-invitation.yaml").write_text("kind: [\n", encoding="utf-8")
    assert scope([event / "guests.csv"], event, project) == (("a6-invitation",), langs)
    assert scope([event / "event.tr.yaml"], event, project) is None
    # a project layout is gone: the bundled one it hid is used again, so everything is rebuilt
    (layouts / "a6-invitation.yaml").unlink()
    assert scope([layouts / "a6-invitation.yaml"], event, project) is None
    (event / "build.yaml").unlink()  # no build file: everything, and the build says why
    assert scope([event / "event.tr.yaml"], event, project) is None


def test_watch_rebuilds_only_the_language_of_a_saved_translation(tmp_path):
    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    out = tmp_path / "out"
    english, turkish = out / "ev" / "a4-program.en.pdf", out / "ev" / "a4-program.tr.pdf"
    env = dict(os.environ, BOOKLET_WORKERS="1")
    command = [sys.executable, "-m", "booklet", "watch", str(event), "--layout", "a4-program"]
    log = tmp_path / "watch.log"
    with log.open("w") as said:
        proc = subprocess.Popen(
            [*command, "--lang", "en", "--lang", "tr", "--out", str(out)],
            stdout=said,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    try:
        assert _wait_for(lambda: "watching" in log.read_text(), 180), "no first build"
        before = english.stat().st_mtime_ns, turkish.read_bytes()
        path = event / "event.tr.yaml"
        text = path.read_text(encoding="utf-8")
        edited = text.replace("venue: Manisa Celal Bayar", "venue: Celal Bayar", 1)
        assert edited != text
        rebuilt = _saved_until(path, edited, lambda: "rebuilt 1 document(s)" in log.read_text())
        assert rebuilt and turkish.read_bytes() != before[1], "no rebuild"
        assert english.stat().st_mtime_ns == before[0]  # English was not rebuilt
    finally:
        proc.terminate()
        proc.wait(timeout=180)
