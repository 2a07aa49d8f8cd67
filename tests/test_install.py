"""A wheel, installed the ordinary way (not editable), builds the sample from its own files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pikepdf
import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out, tree = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, tree / name)
    for name in ("src", "layouts", "fonts", "content/commemoration"):  # a build writes there
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:  # pip fetches setuptools for an isolated build
        pytest.skip(f"no wheel could be built here: {built.stderr.strip()[-300:]}")
    (path,) = out.glob("booklet-*.whl")
    return path


def test_the_wheel_carries_the_layouts_fonts_licence_and_sample(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    share = [n.split("/data/share/booklet/", 1)[1] for n in names if "/data/share/booklet/" in n]
    layouts = {p.name for p in (ROOT / "layouts").glob("*.yaml")}
    fonts = {p.name for p in (ROOT / "fonts" / "noto").iterdir()}
    assert {n.removeprefix("layouts/") for n in share if n.startswith("layouts/")} == layouts
    assert {n.removeprefix("fonts/noto/") for n in share if n.startswith("fonts/")} == fonts
    assert "fonts/noto/OFL.txt" in share and "content/commemoration/event.yaml" in share


def test_an_installed_wheel_builds_the_sample_outside_any_project(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    # The dependencies come from this environment; booklet itself only from the wheel.
    site = Path(sysconfig.get_path("purelib"))
    lib = next((venv / "lib").glob("python3*/site-packages"))
    (lib / "deps.pth").write_text(f"{site}\n", encoding="utf-8")
    work = tmp_path / "elsewhere"  # no layouts/ or fonts/ here or above
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    run = subprocess.run(
        [
            str(python),
            "-m",
            "booklet",
            "build",
            "--layout",
            "a6-invitation",
            "--lang",
            "en",
            "--out",
            str(work / "out"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    where = subprocess.run(
        [str(python), "-c", "import booklet, sys; print(booklet.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert str(venv) in where.stdout  # not the source tree
    printed = pikepdf.open(work / "out" / "commemoration" / "a6-invitation.en.pdf")
    assert len(printed.pages) == 6
