"""Shared fixtures: the sample event built once per test process."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.pipeline import build

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
