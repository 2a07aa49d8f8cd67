"""Turn saved edits into rebuilds: watch the event and the layouts, keep the last good files."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .errors import BookletError
from .pipeline import UsageError, build
from .project import find_project

WATCHED = (".yaml", ".yml", ".csv")


def rebuild(
    event_dir: Path,
    layouts: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path,
    say: Callable[[str], None],
    show: Callable,
) -> bool:
    """One build; on errors the diagnostics are shown and the previous files stay."""
    started = time.perf_counter()
    try:
        report = build(event_dir, layouts, langs, out_dir)
    except BookletError as exc:
        for diag in exc.diagnostics:
            show(diag)
        say(f"{len(exc.diagnostics)} error(s); kept the last good files")
        return False
    except UsageError as exc:
        say(f"error: {exc}")
        return False
    for diag in report.diagnostics.warnings:
        show(diag)
    took = (time.perf_counter() - started) * 1000
    say(f"rebuilt {len(report.documents)} document(s) in {took:.0f} ms")
    return True


def watch(
    event_dir: Path,
    layouts: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path,
    say: Callable[[str], None],
    show: Callable,
) -> None:
    """Build, then rebuild on every saved change to the event or the layouts, until Ctrl-C."""
    from watchfiles import watch as changes

    project = find_project(event_dir)
    rebuild(event_dir, layouts, langs, out_dir, say, show)
    say(f"watching {event_dir} and {project.layouts} (Ctrl-C to stop)")
    for batch in changes(event_dir, project.layouts, debounce=120, step=40):
        if any(Path(path).suffix in WATCHED for _, path in batch):
            rebuild(event_dir, layouts, langs, out_dir, say, show)
