"""The tutorial's commands run exactly as written, in a fresh folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def _commands() -> list[str]:
    text = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_tutorial_commands_run_as_written(tmp_path: Path):
    commands = _commands()
    assert len(commands) >= 7 and commands[0].startswith("booklet new my-ceremony")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for command in commands:
        run = subprocess.run(
            command, shell=True, cwd=project, env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, f"{command}\n{run.stderr}"
        assert "Traceback" not in run.stderr
    assert (project / "output/my-ceremony/a5-booklet.az.pdf").is_file()
    assert (project / "output/my-ceremony/preview/a5-booklet.en.p3.png").is_file()
    assert "language: az" in (project / "az-for-translator.yaml").read_text(encoding="utf-8")
