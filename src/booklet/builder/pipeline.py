"""Turn an event folder and its build file into every document × language, stage by stage."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..compose.budget import check_addresses, check_budget
from ..compose.composer import compose
from ..errors import BookletError, Diagnostics, Location, display_path
from ..language import fonts
from ..language.coverage import check_glyphs
from ..language.text import check_words
from ..language.typography import use_project_rules
from ..output.staging import (
    Spooled,
    report_json,
    spool_folder,
    write_outputs,
)
from ..prepress.files import print_file, screen_file
from ..prepress.pdfx import build_date
from ..prepress.pictures import forget_decoded
from ..prepress.tagged import tag
from ..read.guests import read_guests
from ..read.language_rules import read_language_rules
from ..read.layout import Layout
from ..read.model import Guest
from ..read.nodes import forget_parsed, suggest
from ..read.pictures import read_pictures
from ..read.project import (
    SAMPLE_EVENT,
    check_layouts_exist,
    find_project,
    read_build_spec,
    read_content,
    read_layout,
    translation_language,
    translation_names,
)
from ..read.scalars import canonical_language
from ..read.translations import warn as i18n_warnings
from ..typeset.document_pdf import typeset
from ..typeset.fragments import forget_fragments
from .document_parts import parted
from .finish import finish, guest_files, page_folds, page_marks
from .jobs import Built, Job, Report, UsageError, add_findings
from .preflight_beside import preflight_side_by_side

# --- the build -------------------------------------------------------------------------------


def build(
    event_dir: Path | None = None,
    layouts: tuple[str, ...] = (),
    langs: tuple[str, ...] = (),
    out_dir: Path | None = None,
    write: bool = True,
    proof: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    strict: bool = False,
    per_guest: bool = False,
    keep_going: bool = False,
    archive: bool = False,
) -> Report:
    """Build every document × language the event lists; raise BookletError on any error.

    `per_guest` also writes each invitation card as a PDF of its own, named by guest id.
    `archive` (or `archive: true` in the build file) also writes each screen file's PDF/A-2
    copy, LAYOUT.LANG.archive.pdf.
    `keep_going`: a document with errors is left out (`Report.failed`) and the others are
    written; BookletError only when none is left, or for errors outside the documents."""
    forget_parsed()  # a file parsed by an earlier build in this process is read again
    try:
        return _build(
            event_dir,
            layouts,
            langs,
            out_dir,
            write,
            proof,
            progress,
            strict,
            per_guest,
            keep_going,
            archive,
        )
    finally:
        forget_parsed()
        forget_decoded()  # an image made for a file this build did not make
        forget_fragments()  # a face replaced under a warm process keeps its name


def _build(
    event_dir: Path | None,
    layouts: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path | None,
    write: bool,
    proof: bool,
    progress: Callable[[int, int, str], None] | None,
    strict: bool,
    per_guest: bool,
    keep_going: bool = False,
    archive: bool = False,
) -> Report:
    _check_paths(event_dir=event_dir, out_dir=out_dir)
    project = find_project(Path(event_dir or Path.cwd()))
    event_dir = Path(os.path.normpath(event_dir or project.root / SAMPLE_EVENT))
    if not event_dir.resolve().name:
        raise UsageError("EVENT_DIR must be an event folder, not the file system's root")
    # "." or "..": the output folder is named after the folder itself, not the path as typed
    name = event_dir.resolve().name
    diags = Diagnostics()
    spec = read_build_spec(event_dir, diags)
    diags.raise_if_errors()
    assert spec is not None
    chosen_layouts = _choose(layouts, spec.documents, "layout")
    asked = _tags(langs, spec.languages)
    extra = tuple(t for t in asked if _buildable(t, spec.languages, event_dir))
    chosen_langs = _choose(asked, spec.languages + extra, "language")
    check_layouts_exist(project, chosen_layouts, event_dir)
    contents = {lang: read_content(event_dir, lang, diags) for lang in chosen_langs}
    for lang in chosen_langs:
        files = [n for n in translation_names(lang) if (event_dir / n).is_file()]
        check_words(lang, Location(display_path(event_dir / (files or ["event.yaml"])[0])), diags)
    base_lang = spec.languages[0]
    places: dict = {}
    for lang in chosen_langs:
        source = translation_language(event_dir, lang, base_lang)
        if source and not diags.errors:
            found = Diagnostics()
            i18n_warnings(event_dir, source, base_lang, found)
            for diagnostic in found.items:
                diags.add(diagnostic)
                places.setdefault(diagnostic, set()).add(("*", lang))
    loaded = {name: read_layout(project, name, diags) for name in chosen_layouts}
    rules = read_language_rules(project.root, diags)
    diags.raise_if_errors()
    use_project_rules(rules)
    pictures = read_pictures(event_dir, project.root, contents[chosen_langs[0]], proof, diags)
    diags.raise_if_errors()
    guests: Sequence[Guest] = ()
    if any(layout.kind == "card" for layout in loaded.values()):
        guests = read_guests(event_dir, next(iter(contents.values())), diags)
        diags.raise_if_errors()
    loaded = {name: _second_language(layout, spec.languages) for name, layout in loaded.items()}
    seconds = {
        layout.bilingual: read_content(event_dir, layout.bilingual, diags)
        for layout in loaded.values()
        if layout.bilingual and layout.bilingual not in contents
    }
    for second in seconds:
        if second != base_lang and not diags.errors:
            i18n_warnings(event_dir, second, base_lang, diags)  # its missing strings print empty
    diags.raise_if_errors()
    others = {**contents, **seconds}
    jobs = [
        Job(
            content,
            layout,
            name,
            lang,
            project.font_folders,
            project.show(project.layout_file(name)),
            guests,
            proof,
            others.get(layout.bilingual) if layout.bilingual and layout.bilingual != lang else None,
            marker(event_dir, base_lang, lang) if proof else ("", ""),
            per_guest,
            pictures=pictures,
            archive=archive or spec.archive,
            second_base=marker(event_dir, base_lang, layout.bilingual or base_lang)[0],
            rules=rules,
        )
        for name, layout in loaded.items()
        for lang, content in contents.items()
    ]
    for job in jobs:  # counted, not set: text that cannot fit is refused before any work
        check_budget(job.content, job.layout, f"{job.name}.{job.lang}", diags)
        check_addresses(job.content, job.layout, job.name, diags)
    diags.raise_if_errors()
    out = Path(out_dir or "output")
    made = not out.exists()
    # Long guest lists and long documents write their files there as they make them
    # (renamed into place at the end), not into memory; any build may be one.
    spool = spool_folder(out) if write else None
    try:
        jobs = [dataclasses.replace(job, spool=spool) for job in jobs] if spool else jobs
        report = Report(name, [], diags, root=event_dir.resolve().parent, places=places)
        before = list(diags.warnings)  # found before any document was built
        forget_parsed()  # every file is read: the node trees go before the documents are set
        for built, found in run_jobs(jobs, progress):
            failed = keep_going and failing(found, strict)
            (report.failed if failed else report.documents).append(built)
            for diagnostic in found:
                diags.add(diagnostic)
                places.setdefault(diagnostic, set()).add((built.layout, built.lang))
        if not keep_going:
            diags.raise_if_errors()
        elif not report.documents:  # every document failed: nothing to write
            raise BookletError(diags.errors or diags.warnings)
        if strict and (before if keep_going else diags.warnings):
            raise BookletError(diags.warnings)  # --strict: warnings stop the build before writing
        if write:
            files = {f"{name}/{k}": v for b in report.documents for k, v in b.files.items()}
            files[f"{name}/report.json"] = report_json(report.as_dict())
            # A document that failed leaves no file of an earlier build behind.
            mine = tuple(f"{name}/{b.layout}.{b.lang}" for b in report.documents + report.failed)
            report.written = write_outputs(files, out, mine)
            _spooled_written(report, out / name)
    finally:
        if spool is not None:  # what a failed build spooled goes; the last good output stays
            shutil.rmtree(spool, ignore_errors=True)
            if made and not any(out.iterdir()):
                out.rmdir()  # a failed first build leaves no empty output folder
    return report


def failing(found: list, strict: bool) -> bool:
    """Whether a document's own findings keep it from being written."""
    return any(d.severity == "error" or strict for d in found)


def _spooled_written(report: Report, folder: Path) -> None:
    """Spooled files now live where they were written: the report says so."""
    for built in report.documents:
        for name, data in built.files.items():
            if isinstance(data, Spooled):
                built.files[name] = Spooled(folder / name)


def marker(event_dir: Path, base_lang: str, lang: str) -> tuple[str, str]:
    """In proof builds, text that fell back to the base language is flagged: "[EN] Title"."""
    if lang == base_lang:
        return ("", "")
    return (display_path(event_dir / "event.yaml"), f"[{base_lang.upper()}] ")


CARDS_AT_ONCE = 400  # longer guest lists are set in batches (card_batches.py)


def workers(jobs: int) -> int:
    """How many processes to build in: all cores for several documents, 1 where fork is missing."""
    wanted = os.environ.get("BOOKLET_WORKERS", "")
    cores = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    count = max(1, min(cores, jobs))
    if count > 1:
        import multiprocessing  # only for several documents: ~10 ms of a cold start

        if "fork" not in multiprocessing.get_all_start_methods():
            return 1
    return count


def run_jobs(jobs: list[Job], progress=None) -> list[tuple[Built, list]]:
    """Build the jobs, in parallel worker processes when there are several; results in order."""
    count = workers(len(jobs))
    if count == 1:
        results = []
        for n, job in enumerate(jobs, 1):
            results.append(run_job(job))
            if progress:
                progress(n, len(jobs), f"{job.name}.{job.lang}")
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {pool.submit(run_job, job): n for n, job in enumerate(jobs)}
        results: list = [None] * len(jobs)
        for done, future in enumerate(as_completed(futures), 1):
            n = futures[future]
            results[n] = future.result()
            if progress:
                progress(done, len(jobs), f"{jobs[n].name}.{jobs[n].lang}")
    return results


def run_job(job: Job) -> tuple[Built, list]:
    """Register the fonts, check the letters, then build one document; never raises for input."""
    diags = Diagnostics()
    use_project_rules(job.rules)
    faces = fonts.register(job.layout, job.font_folders, job.layout_file, diags)
    if not diags.errors:
        check_glyphs(job.content, job.layout, job.lang, faces, diags, job.guests)
    if diags.errors:
        return Built(job.name, job.lang, 0), diags.items
    return build_one(job, faces, diags), diags.items


def _check_paths(**paths: Path | str | None) -> None:
    """A NUL cannot be in a file name: refused as a usage error, not an OS exception (a
    command line cannot carry one, a caller of the API can)."""
    for name, path in paths.items():
        if path is not None and "\0" in os.fspath(path):
            raise UsageError(f"{name} {os.fspath(path)!r} contains a NUL character")


def build_one(job: Job, faces: dict[str, fonts.Face], diags: Diagnostics) -> Built:
    """Compose, typeset and finish one document in one language."""
    if job.layout.kind == "card" and len(job.guests) > CARDS_AT_ONCE:
        from .card_batches import build_cards  # a long guest list: in batches, on every core

        return build_cards(job, faces, diags)
    content, layout, name, lang = job.content, job.layout, job.name, job.lang
    document = compose(
        content,
        layout,
        name,
        lang,
        diags,
        job.guests,
        job.second,
        job.untranslated,
        job.pictures,
        job.second_base,
    )
    places = {**document.places, "layout": Location(job.layout_file)}
    document = dataclasses.replace(document, places=places)
    if parted(document):
        from .long_document import build_parts  # a long document: set in parts beside its finishing

        return build_parts(job, faces, diags, document)
    result = typeset(document, faces, diags)
    built = Built(
        name, lang, len(result.page_kinds), folds=page_folds(layout, len(result.page_kinds), lang)
    )
    if diags.errors:
        return built
    job_info = (document.title, lang, build_date(content.event.date))
    printed = print_file(result.pdf, layout, page_marks(document, built.pages, faces), job_info)
    shown = f"{name}.{lang}.pdf"
    # Preflight reads only the print file: on a spare core it runs beside the rest,
    # started before the screen file is made.
    findings = preflight_side_by_side(printed, shown, built.pages, layout.kind == "booklet")
    try:
        plain = screen_file(result.pdf)
        screen = tag(plain, result.tags) if result.tags is not None else plain
        finish(built, job, printed, screen, faces, spreads_from=plain)
        if layout.kind == "card" and job.per_guest:
            built.files.update(guest_files(plain, job, job.guests, result.tags))
    except BaseException:
        findings.cancel()  # a failed or interrupted build does not wait for its preflight
        raise
    built.preflight = add_findings(shown, findings(), diags)
    return built


def _second_language(layout: Layout, languages: tuple[str, ...]) -> Layout:
    """A layout's second language as the event spells it: `bilingual: en` is the event's
    en-GB when the event has no plain en."""
    wanted = layout.bilingual
    if not wanted or wanted in languages:
        return layout
    same = [lang for lang in languages if lang.split("-")[0] == wanted.split("-")[0]]
    return dataclasses.replace(layout, bilingual=same[0]) if same else layout


def _tags(asked: tuple[str, ...], listed: tuple[str, ...]) -> tuple[str, ...]:
    """The languages asked for on the command line as the build file spells them (en-gb is
    its en-GB), else in the usual case of a BCP 47 tag."""
    known = {lang.lower(): lang for lang in listed}
    return tuple(known.get(name.lower(), canonical_language(name)) for name in asked)


def _buildable(tag: str, listed: tuple[str, ...], event_dir: Path) -> bool:
    """Whether a language the build file does not list can be built all the same: a region of
    a listed language (en-GB, ar-EG) or a language with its own translation file (ka)."""
    if tag in listed:
        return False
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    found = any((event_dir / name).is_file() for name in translation_names(tag))
    return found or tag.split("-")[0] in {lang.split("-")[0] for lang in listed}


def _choose(asked: tuple[str, ...], listed: tuple[str, ...], what: str) -> tuple[str, ...]:
    for name in asked:
        if name not in listed:
            hint = suggest(name, list(listed))
            raise UsageError(
                f"unknown {what} '{name}'; the build file lists: {', '.join(listed)}"
                + (f" ({hint})" if hint else "")
            )
    return tuple(asked) or tuple(listed)
