"""Turn saved edits into rebuilds: watch the event, layouts and fonts, keep the last good files."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..builder.pipeline import UsageError, build
from ..errors import BookletError, Diagnostic, Diagnostics
from ..read.layout import Layout
from ..read.project import (
    BASE_FILE,
    Project,
    find_project,
    layout_lineage,
    read_build_spec,
    read_layout,
)
from ..read.translation_record import SOURCE_TEXTS

TRANSLATION = re.compile(r"^event\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.ya?ml$")

# Pictures too (a saved photo or logo rebuilds everything); not .pdf, which a build writes.
WATCHED = (".yaml", ".yml", ".csv", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".svg")
FONT_FILES = (".ttf", ".otf", ".ttc")


EVERYWHERE = ("*", "*")  # a warning about the event itself: every build checks it again


class Seen:
    """The warnings still open after the last rebuilds, each with the documents and
    languages it came from, so that a rebuild of one language resolves only its own."""

    def __init__(self) -> None:
        self.places: dict[Diagnostic, set[tuple[str, str]]] = {}

    def update(self, report) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """The warnings this rebuild found that were not open, and those it resolved."""
        built = {(b.layout, b.lang) for b in report.documents}
        langs = {lang for _, lang in built}

        def checked(place: tuple[str, str]) -> bool:
            return place == EVERYWHERE or place in built or place[0] == "*" and place[1] in langs

        before = set(self.places)
        for places in self.places.values():
            places -= {p for p in places if checked(p)}
        found = report.diagnostics.warnings
        for diag in found:
            self.places.setdefault(diag, set()).update(report.places.get(diag, {EVERYWHERE}))
        gone = [d for d in before if not self.places[d]]
        for diag in gone:
            del self.places[diag]
        return [d for d in found if d not in before], gone


def rebuild(
    event_dir: Path,
    layouts: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path,
    say: Callable[[str], None],
    show: Callable,
    seen: Seen | None = None,
) -> bool:
    """One build; on errors the diagnostics are shown and the previous files stay. Of the
    warnings, only those that are new since the last rebuild are shown, and those resolved."""
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
    seen = seen if seen is not None else Seen()
    new, gone = seen.update(report)
    for diag in new:
        show(diag)
    for diag in gone:
        say("resolved: " + diag.format().split("\n")[0])
    took = (time.perf_counter() - started) * 1000
    counts = f"{len(new)} new warning(s), {len(gone)} resolved, {len(seen.places)} open"
    say(f"rebuilt {len(report.documents)} document(s) in {took:.0f} ms; {counts}")
    return True


def watch(
    event_dir: Path,
    layouts: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path,
    say: Callable[[str], None],
    show: Callable,
) -> None:
    """Build, then rebuild on every saved change to the event, a layout or a font, until Ctrl-C."""
    from watchfiles import watch as changes

    project = find_project(event_dir)
    seen = Seen()
    rebuild(event_dir, layouts, langs, out_dir, say, show, seen)
    folders = watched_folders(event_dir, project)
    say(f"watching {', '.join(map(str, folders))} (Ctrl-C to stop)")
    for batch in changes(*folders, debounce=120, step=40):
        saved = [Path(path) for _, path in batch if Path(path).suffix in (*WATCHED, *FONT_FILES)]
        if not saved:
            continue
        only = scope(saved, event_dir, project, layouts, langs)
        if only is None:
            rebuild(event_dir, layouts, langs, out_dir, say, show, seen)
        elif all(only):
            rebuild(event_dir, *only, out_dir, say, show, seen)
        else:
            say(f"{', '.join(p.name for p in saved)}: no document asked for uses it")


def watched_folders(event_dir: Path, project: Project) -> tuple[Path, ...]:
    """The event folder, the layouts folders (the project's and booklet's), the fonts
    folders, the project's assets/ (shared pictures) and language-rules/: a file saved in
    any of them can change the documents."""
    found = (
        *project.layout_folders,
        *project.font_folders,
        project.root / "assets",
        project.root / "language-rules",
    )
    return (event_dir, *(f for f in found if f.is_dir()))


def scope(
    saved: Iterable[Path],
    event_dir: Path,
    project: Project,
    layouts: tuple[str, ...] = (),
    langs: tuple[str, ...] = (),
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The documents and languages that saved files can change, of those asked for; None
    for all of them.

    A translation rebuilds its language, a layout the documents set with it (itself or
    extended), the guest list the cards; anything else — the base file, the build file,
    what cannot be read — everything asked for. A translator saving event.tr.yaml waits
    for the Turkish documents only."""
    diags = Diagnostics()
    try:
        spec = read_build_spec(event_dir, diags)
    except BookletError:
        spec = None
    if spec is None or diags.errors:
        return None  # the build reports what is wrong
    documents, languages = layouts or spec.documents, langs or spec.languages
    every = (tuple(documents), tuple(languages))
    wanted_layouts: set[str] = set()
    wanted_langs: set[str] = set()
    for path in saved:
        found = _scope_of(path.resolve(), event_dir.resolve(), project, every)
        if found is None:
            return None
        wanted_layouts.update(found[0])
        wanted_langs.update(found[1])
    return (
        tuple(n for n in documents if n in wanted_layouts),
        tuple(c for c in languages if c in wanted_langs),
    )


def _scope_of(
    path: Path, event_dir: Path, project: Project, every: tuple[tuple[str, ...], tuple[str, ...]]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """What one saved file can change; None: everything."""
    documents, languages = every
    if path.suffix in FONT_FILES:
        return None  # which layouts name a font file, the build works out
    if path.parent in {f.resolve() for f in project.layout_folders}:
        if not path.is_file():
            return None  # gone: a layout it hid is used again, or the build says it is missing
        users = tuple(n for n in documents if path in layout_lineage(project, n))
        return (users, languages)
    if path.parent != event_dir or path.name == BASE_FILE:
        return None
    if path.name == SOURCE_TEXTS:
        return ((), ())  # the old source texts: only the i18n report shows them
    translation = TRANSLATION.match(path.name)
    if translation:
        lang = translation.group(1)
        if any(_second_language(project, n) in (lang, None) for n in documents):
            return None  # a bilingual document of every language sets this one too
        return (documents, (lang,))
    if path.suffix == ".csv" or path.stem.startswith("guests"):
        return (tuple(n for n in documents if _kind(project, n) == "card"), languages)
    return None


def _kind(project: Project, name: str) -> str:
    layout = _layout(project, name)
    return layout.kind if layout is not None else "card"  # unreadable: rebuild it


def _second_language(project: Project, name: str) -> str | None:
    """The other language a bilingual layout sets, "" for none, None when unreadable."""
    layout = _layout(project, name)
    return str(layout.bilingual or "") if layout is not None else None


def _layout(project: Project, name: str) -> Layout | None:
    """A layout, or None where it cannot be read (the build will say why)."""
    try:
        return read_layout(project, name, Diagnostics())
    except BookletError:
        return None
