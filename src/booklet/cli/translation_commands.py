"""Turn `booklet i18n` into its work: status, templates, accept, PO and XLIFF export and import."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..errors import Diagnostics, Location, fail
from ..read import translations as i18n
from ..read.nodes import MAX_FILE_BYTES
from ..read.project import SAMPLE_EVENT, find_project, read_build_spec, translation_language

EXIT_OK, EXIT_ERRORS = 0, 1
FORMATS = {".po": "po", ".pot": "po", ".xlf": "xliff", ".xliff": "xliff"}


class I18nUsage(Exception):
    """The command line asks for something `i18n` cannot do (exit status 2)."""


def run_i18n(args: argparse.Namespace, event_dir: Path | None) -> int:
    event_dir = event_dir or find_project(Path.cwd()).root / SAMPLE_EVENT
    languages = _languages(event_dir)
    if args.template:
        from ..read.translation_template import template

        print(template(event_dir, args.template, languages[0]), end="")
        return EXIT_OK
    if args.accept:
        return _accept(event_dir, args)
    if args.export:
        return _export(event_dir, args, languages)
    if args.import_file:
        return _import(event_dir, args, languages)
    if args.all:
        raise I18nUsage("--all goes with --accept LANG")
    return _status(event_dir, args, languages)


def _languages(event_dir: Path) -> tuple[str, ...]:
    """The build file's languages, the base file's first."""
    spec = read_build_spec(event_dir, Diagnostics())
    return tuple(spec.languages) if spec else ("en",)


def _status(event_dir: Path, args: argparse.Namespace, languages: tuple[str, ...]) -> int:
    # a regional tag is its file's language (ar-EG: ar), and reads the base file alone when
    # it is a region of the base language (en-GB): each file is listed once
    files = [translation_language(event_dir, lang, languages[0]) for lang in languages[1:]]
    found = [i18n.status(event_dir, lang) for lang in dict.fromkeys(files) if lang]
    if args.json:
        import json

        print(json.dumps([s.as_dict() for s in found], indent=2, ensure_ascii=False))
    else:
        for s in found:
            _print_status(s)
    trouble = any(s.missing or s.stale for s in found)
    return EXIT_ERRORS if args.strict and trouble else EXIT_OK


def _print_status(s: i18n.Status) -> None:
    note = "  (no source hashes recorded: run booklet i18n --accept " + s.lang + ")"
    print(
        f"{s.lang}: {len(s.missing)} missing, {len(s.stale)} stale, {len(s.unused)} unused"
        + (note if s.unverified else "")
    )
    for leaf in s.missing:
        print(f"  missing: {leaf.path} ({leaf.loc.file}:{leaf.loc.line})")
    for entry in s.stale:
        print(f"  stale: {entry.path} ({entry.loc.file}:{entry.loc.line})")
        if entry.before is not None:
            print(f"    was: {_one_line(entry.before)}")
        print(f"    now: {_one_line(entry.source.normal)}")
        print(f"    {s.lang}: {_one_line(entry.translation.text)}")
    for leaf in s.unused:
        print(f"  unused: {leaf.path} ({leaf.loc.file}:{leaf.loc.line})")


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _accept(event_dir: Path, args: argparse.Namespace) -> int:
    from ..read.translation_files import accept

    if not (event_dir / f"event.{args.accept}.yaml").is_file():
        raise I18nUsage(f"no translation file event.{args.accept}.yaml in {event_dir}")
    count, held = accept(event_dir, args.accept, everything=args.all)
    print(f"recorded the source of {count} {args.accept} strings")
    if held:
        print(
            f"kept {len(held)} stale: their translation did not change since the source did "
            f"(update them, or add --all if they are still right):"
        )
        for entry in held:
            print(f"  stale: {entry.path} ({entry.loc.file}:{entry.loc.line})")
    return EXIT_OK


def _export(event_dir: Path, args: argparse.Namespace, languages: tuple[str, ...]) -> int:
    from ..read.translation_units import units

    lang = args.export
    if lang == languages[0]:
        raise I18nUsage(f"'{lang}' is the base file's language; export a translation")
    form = args.format or (FORMATS.get(args.output.suffix.lower()) if args.output else None)
    found = units(event_dir, lang, _room(event_dir))
    if form == "xliff":
        from ..read.xliff_files import xliff_file

        data = xliff_file(found, lang, languages[0], "event.yaml")
    else:
        from ..read.po_files import po_file

        data = po_file(found, lang, event_dir.resolve().name, _when(event_dir, lang))
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        from ..read.translation_record import write_atomically

        write_atomically(args.output, data.decode("utf-8"))
        if not args.quiet:
            print(f"wrote {args.output}: {len(found)} strings", file=sys.stderr)
    return EXIT_OK


def _room(event_dir: Path) -> dict[str, str]:
    """The length notes of the layouts the event builds: the tightest room of each field."""
    from ..compose.room import room
    from ..read.project import read_layout

    project, diags = find_project(event_dir), Diagnostics()
    spec = read_build_spec(event_dir, diags)
    notes: dict[str, str] = {}
    for name in spec.documents if spec is not None else ():
        layout = read_layout(project, name, Diagnostics())  # a broken layout: no note
        for field, note in (room(layout, name) if layout is not None else {}).items():
            notes[field] = min(notes.get(field, note), note, key=_chars_in)
    return notes


def _chars_in(note: str) -> int:
    return int(note.split("about ", 1)[1].split(" ", 1)[0])


def _when(event_dir: Path, lang: str) -> dt.datetime:
    """The catalog's date: SOURCE_DATE_EPOCH, else when the event's texts last changed."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    files = [event_dir / "event.yaml", event_dir / f"event.{lang}.yaml"]
    newest = max(int(p.stat().st_mtime) for p in files if p.is_file())
    return dt.datetime.fromtimestamp(newest, dt.UTC)


def _import(event_dir: Path, args: argparse.Namespace, languages: tuple[str, ...]) -> int:
    from ..read.translation_units import bring_back

    path: Path = args.import_file
    if not path.is_file():
        raise I18nUsage(f"'{path}' is not a file")
    data = path.read_bytes()
    shown = str(path)
    if len(data) > MAX_FILE_BYTES:
        raise fail("limit", Location(shown), "", f"file is over {MAX_FILE_BYTES:,} bytes")
    lang, brought = _read(data, shown, path.suffix.lower())
    if lang not in languages[1:]:
        raise fail(
            "i18n-file",
            Location(shown),
            "",
            f"expected a translation into one of {', '.join(languages[1:])}, found '{lang}'",
            "the file's language (PO: Language, XLIFF: trgLang) must be in build.yaml",
        )
    outcome = bring_back(event_dir, lang, brought)
    print(
        f"event.{lang}.yaml: {len(outcome.changed)} strings changed, "
        f"{outcome.recorded} recorded as translated from their source"
    )
    for changed in outcome.changed:
        print(f"  changed: {changed}")
    for skipped, why in outcome.skipped:
        print(f"  skipped: {skipped}: {why}")
    return EXIT_OK


def _read(data: bytes, shown: str, suffix: str):
    if FORMATS.get(suffix) == "xliff" or data.lstrip()[:1] == b"<":
        from ..read.xliff_files import read_xliff_file

        return read_xliff_file(data, shown)
    from ..read.po_files import read_po_file

    return read_po_file(data, shown)
