"""Define what a build passes between its stages: jobs, built documents and the report."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostics
from ..output.staging import Spooled
from ..preflight.checks import report as preflight_report
from ..read.layout import Layout
from ..read.model import Content, Guest
from ..read.pictures import Picture


class UsageError(Exception):
    """The command line names something that does not exist (exit status 2)."""


@dataclass
class Built:
    """One document in one language, built."""

    layout: str
    lang: str
    pages: int
    files: dict[str, bytes | Spooled] = field(default_factory=dict)
    folds: list[tuple[float, ...]] | None = None  # fold lines of each page, folded products
    preflight: dict[str, Any] = field(default_factory=dict)  # the print file's preflight


@dataclass
class Report:
    """What a build did and found."""

    event: str
    documents: list[Built]
    diagnostics: Diagnostics
    written: list[Path] = field(default_factory=list)
    root: Path | None = None  # report paths are relative to this, not to the working folder
    # where each warning came from: (layout, lang) of a document, ("*", lang) of a language;
    # a warning not listed is the event's own (watch prints only what a rebuild changed)
    places: dict[Any, set[tuple[str, str]]] = field(default_factory=dict)
    failed: list[Built] = field(default_factory=list)  # --keep-going: documents not written

    def relative(self, diagnostic: Any) -> dict[str, Any]:
        row = diagnostic.as_dict()
        file = row.get("file")
        if self.root is not None and file and Path(file).is_file():
            row["file"] = os.path.relpath(Path(file).resolve(), self.root)
        return row

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "documents": [
                {
                    "layout": b.layout,
                    "lang": b.lang,
                    "pages": b.pages,
                    "files": sorted(b.files),
                    "preflight": b.preflight,
                }
                for b in self.documents
            ],
            "failed": [{"layout": b.layout, "lang": b.lang} for b in self.failed],
            "diagnostics": [self.relative(d) for d in self.diagnostics.items],
            "errors": len(self.diagnostics.errors),
            "warnings": len(self.diagnostics.warnings),
        }


@dataclass(frozen=True)
class Job:
    """One document in one language: everything a worker process needs to build it."""

    content: Content
    layout: Layout
    name: str
    lang: str
    font_folders: tuple[Path, ...]  # the project's fonts/, then booklet's
    layout_file: str
    guests: Sequence[Guest] = ()
    proof: bool = False
    second: Content | None = None  # the other language of a bilingual layout
    untranslated: tuple[str, str] = ("", "")  # proof builds: (base file, marker) for fallbacks
    per_guest: bool = False  # cards: also one screen PDF per guest, to send
    spool: Path | None = None  # long batches write their files here as they go, not in memory
    pictures: Mapping[str, Picture] = field(default_factory=dict)  # the event's images, checked
    second_base: str = ""  # the base file, whose strings the second language has not translated
    archive: bool = False  # also the screen file's PDF/A-2 copy, LAYOUT.LANG.archive.pdf
    rules: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # language-rules/


def add_findings(shown: str, findings: list, diags: Diagnostics) -> dict:
    """Preflight of what we are about to write: its errors fail the build, warnings are
    reported; returns the file's preflight report."""
    for finding in findings:
        diags.add(finding)
    return preflight_report(shown, findings)
