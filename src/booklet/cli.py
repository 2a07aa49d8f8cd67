"""Turn argv into a build or check: print diagnostics, exit with the contract's status."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="booklet", description="Print-ready event programs and booklets from YAML."
    )
    top.add_argument("--version", action="version", version=f"booklet {__version__}")
    top.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _event_command(commands, "build", "build every document × language of an event")
    _event_command(commands, "check", "check an event like a build does, writing nothing")
    _preflight_command(commands)
    return top


def _debug_flag(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )


def _event_command(commands, name: str, text: str) -> None:
    cmd = commands.add_parser(name, help=text, description=text)
    cmd.add_argument(
        "event_dir",
        nargs="?",
        type=Path,
        metavar="EVENT_DIR",
        help="event folder (default: the bundled sample content/commemoration)",
    )
    cmd.add_argument(
        "--layout",
        action="append",
        default=[],
        metavar="NAME",
        help="only this layout (repeatable)",
    )
    cmd.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="CODE",
        help="only this language (repeatable)",
    )
    cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _debug_flag(cmd)
    if name == "build":
        cmd.add_argument(
            "--out",
            type=Path,
            default=Path("output"),
            metavar="DIR",
            help="output folder (output/)",
        )


def _preflight_command(commands) -> None:
    text = "check PDF files as a print shop's preflight would (any PDF, ours or not)"
    cmd = commands.add_parser("preflight", help=text, description=text)
    cmd.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf")
    cmd.add_argument(
        "--booklet", action="store_true", help="the page count must be a multiple of four"
    )
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    _debug_flag(cmd)


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so staging folders are removed and old files stay.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("booklet: interrupted; previous output left untouched", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"booklet: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        print("  hint: run again with --debug and report the traceback", file=sys.stderr)
        return EXIT_ERRORS


def _show(diag) -> None:
    from .errors import excerpt

    print(diag.format(), file=sys.stderr)
    source = excerpt(diag.location)
    if source:
        print(source, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.command == "preflight":
        return run_preflight(args)
    return run_build(args)


def run_preflight(args: argparse.Namespace) -> int:
    from .preflight import as_json, format_findings, preflight

    results = {}
    for path in args.files:
        if not path.is_file():
            print(f"booklet: error: '{path}' is not a file", file=sys.stderr)
            return EXIT_USAGE
        results[str(path)] = preflight(path.read_bytes(), str(path), booklet=args.booklet)
    if args.json:
        print(as_json(results))
    else:
        for name, findings in results.items():
            print(format_findings(findings, name))
    failed = any(d.severity == "error" for found in results.values() for d in found)
    return EXIT_ERRORS if failed else EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from .errors import BookletError
    from .pipeline import UsageError, build

    if args.event_dir is not None and not args.event_dir.is_dir():
        print(f"booklet: error: EVENT_DIR '{args.event_dir}' is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = build(
            args.event_dir,
            tuple(args.layout),
            tuple(args.lang),
            getattr(args, "out", None),
            write=args.command == "build",
        )
    except UsageError as exc:
        print(f"booklet: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BookletError as exc:
        for diag in exc.diagnostics:
            _show(diag)
        count = len(exc.diagnostics)
        print(
            f"booklet: {count} error{'s' if count != 1 else ''}; nothing written", file=sys.stderr
        )
        return EXIT_ERRORS
    for diag in report.diagnostics.warnings:
        _show(diag)
    for built in report.documents:
        print(f"{built.layout}.{built.lang}: {built.pages} pages")
    for path in report.written:
        print(f"wrote {path}")
    if args.strict and report.diagnostics.warnings:
        return EXIT_ERRORS
    return EXIT_OK
