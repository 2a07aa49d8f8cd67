"""Output stage: same input gives the same bytes, wherever the project lives; the report."""

from __future__ import annotations

import json
import shutil

from booklet.pipeline import build

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
    assert set(docs) == {("a5-booklet", lang) for lang in ("en", "az", "tr")}
    for (layout, lang), doc in docs.items():
        assert doc["pages"] % 4 == 0
        assert f"{layout}.{lang}.pdf" in doc["files"]


def test_no_staging_folder_left_behind(sample_out):
    assert not [p for p in sample_out.parent.iterdir() if p.name.startswith(".")]
