"""Turn the command line's words into a parsed namespace: every command, its options and help."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from .resident import IDLE_SECONDS


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="booklet", description="Print-ready event programs and booklets from YAML."
    )
    top.add_argument("--version", action="version", version=f"booklet {__version__}")
    _common(top, suppress=False)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = _event_command(commands, "build", "build every document × language of an event")
    build.add_argument(
        "--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (output/)"
    )
    build.add_argument("--proof", action="store_true", help="previews show trim, bleed, safe area")
    build.add_argument(
        "--per-guest",
        action="store_true",
        help="invitation cards: also one PDF per guest, in LAYOUT.LANG.guests/",
    )
    build.add_argument(
        "--archive",
        action="store_true",
        help="also write each screen PDF's PDF/A-2 archival copy, LAYOUT.LANG.archive.pdf",
    )
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="write every document that builds; report the others and exit 1",
    )
    _event_command(commands, "check", "check an event like a build does, writing nothing")
    _preflight_command(commands)
    _new_command(commands)
    _schema_command(commands)
    _preview_command(commands)
    _i18n_command(commands)
    watch = _event_command(commands, "watch", "build, then rebuild on every save")
    watch.add_argument("--out", type=Path, default=Path("output"), metavar="DIR")
    _serve_command(commands)
    return top


def _serve_command(commands) -> None:
    text = "keep a warm build process that build, check and preview hand their work to"
    cmd = commands.add_parser("serve", help=text, description=text)
    cmd.add_argument(
        "--idle-timeout",
        type=float,
        default=IDLE_SECONDS,
        metavar="SECONDS",
        help=f"exit after this long without a request ({IDLE_SECONDS:g})",
    )
    _common(cmd)


def _common(cmd: argparse.ArgumentParser, suppress: bool = True) -> None:
    default = argparse.SUPPRESS if suppress else False
    cmd.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    cmd.add_argument("-q", "--quiet", action="store_true", default=default, help="errors only")
    cmd.add_argument("-v", "--verbose", action="store_true", default=default, help="say more")


def _event_command(commands, name: str, text: str) -> argparse.ArgumentParser:
    cmd = commands.add_parser(name, help=text, description=text)
    cmd.add_argument(
        "event_dir",
        nargs="?",
        type=Path,
        metavar="EVENT_DIR",
        help="event folder (default: the bundled sample content/commemoration)",
    )
    cmd.add_argument("--layout", action="append", default=[], metavar="NAME", help="repeatable")
    cmd.add_argument("--lang", action="append", default=[], metavar="CODE", help="repeatable")
    cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    cmd.add_argument("--json", action="store_true", help="print the build report as JSON")
    _common(cmd)
    return cmd


def _preflight_command(commands) -> None:
    text = "check PDF files as a print shop's preflight would (any PDF, ours or not)"
    cmd = commands.add_parser("preflight", help=text, description=text)
    cmd.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf")
    cmd.add_argument("--booklet", action="store_true", help="page count must be a multiple of 4")
    cmd.add_argument(
        "--ua",
        action="store_true",
        help="check the PDF/UA-1 (Matterhorn) conditions a machine can check, not print ones",
    )
    cmd.add_argument(
        "--pdfa", action="store_true", help="check what a PDF/A-2 archival copy claims, not print"
    )
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    _common(cmd)


def _new_command(commands) -> None:
    text = "start a new event folder from a template; it builds as it is"
    cmd = commands.add_parser("new", help=text, description=text)
    cmd.add_argument("target", type=Path, metavar="DIR")
    cmd.add_argument(
        "--template", default="commemoration", help="commemoration, conference, concert"
    )
    cmd.add_argument("--lang", default="en", help="languages, base first: az,tr,en")
    _common(cmd)


def _schema_command(commands) -> None:
    text = "print the JSON Schema of a kind of file, for editors and CI"
    cmd = commands.add_parser("schema", help=text, description=text)
    cmd.add_argument(
        "kind",
        nargs="?",
        default="content",
        choices=("content", "translation", "layout", "build", "language-rules"),
    )
    _common(cmd)


def _preview_command(commands) -> None:
    text = "render chosen pages larger as PNG files, optionally with proof overlays"
    cmd = _event_command(commands, "preview", text)
    cmd.add_argument("--pages", default="", help="e.g. 1,3-4 (default: all)")
    cmd.add_argument("--dpi", type=int, default=110, choices=range(36, 601), metavar="36–600")
    cmd.add_argument("--proof", action="store_true", help="draw trim, bleed, safe area and folds")
    cmd.add_argument("--out", type=Path, default=Path("output"), metavar="DIR")


def _i18n_command(commands) -> None:
    text = (
        "show each translation's missing, stale and unused strings; write translator files; "
        "export and import PO and XLIFF"
    )
    cmd = commands.add_parser("i18n", help=text, description=text)
    cmd.add_argument("event_dir", nargs="?", type=Path, metavar="EVENT_DIR")
    either = cmd.add_mutually_exclusive_group()
    either.add_argument("--template", metavar="LANG", help="print a translator's YAML file")
    either.add_argument(
        "--accept", metavar="LANG", help="record LANG's new and changed strings as up to date"
    )
    either.add_argument("--export", metavar="LANG", help="write LANG's strings as PO or XLIFF")
    either.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="bring a translated PO or XLIFF file back into event.LANG.yaml",
    )
    cmd.add_argument(
        "--all", action="store_true", help="--accept: also stale strings whose text is unchanged"
    )
    cmd.add_argument("--format", choices=("po", "xliff"), help="--export: po (default) or xliff")
    cmd.add_argument("-o", "--output", type=Path, metavar="FILE", help="--export: write to FILE")
    cmd.add_argument("--strict", action="store_true", help="exit 1 if anything is missing or stale")
    cmd.add_argument("--json", action="store_true", help="print the status as JSON")
    _common(cmd)
