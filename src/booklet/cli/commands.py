"""Turn argv into a command: print diagnostics, exit with the contract's status, no traceback."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ..errors import BookletError, printable
from .arguments import parser

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class Usage(Exception):
    """The command line is wrong: exit status 2."""


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so staging folders are removed and old files stay.
    raise KeyboardInterrupt


def console() -> None:
    """The `booklet` command: `main()`, then out without taking the interpreter apart.

    By then every file is written and synced and every message printed; freeing the
    build's objects one by one at exit took ~70 ms of a 0.5 s build. What modules
    compile as they are imported comes from caches: the regular expressions
    (`read.regex_cache`, 60-90 ms of a cold build) and the dataclasses' methods
    (`read.dataclass_cache`, ~35 ms). A build, check or preview is handed to the
    resident build process when one runs (`handoff`)."""
    from .handoff import hand_off

    code = hand_off(sys.argv[1:])
    if code is None:
        code = _in_process()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            code = code or EXIT_ERRORS
    os._exit(code)


def _in_process() -> int:
    from ..read import dataclass_cache, regex_cache

    regex_cache.install()
    dataclass_cache.install()
    code = main()
    regex_cache.save()
    dataclass_cache.save()
    return code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except Usage as exc:
        print(f"booklet: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except BookletError as exc:
        for diag in exc.diagnostics:
            show(diag)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("booklet: interrupted; previous output left untouched", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `booklet build | head`: the reader left; the build is done
        return EXIT_ERRORS
    except OSError as exc:  # the system refused a file: an output folder that cannot be made
        if args.debug:
            raise
        where = f": {printable(str(exc.filename))}" if exc.filename else ""
        print(f"booklet: {printable(str(exc.strerror or exc))}{where}", file=sys.stderr)
        print("  hint: check that the folder exists and can be written", file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"booklet: internal error: {exc.__class__.__name__}: {printable(str(exc))}",
            file=sys.stderr,
        )
        print("  hint: run again with --debug and report the traceback", file=sys.stderr)
        return EXIT_ERRORS


def show(diag, quiet: bool = False) -> None:
    """A diagnostic with its source line, caret and a pointer to the docs."""
    from ..errors import docs_link, excerpt

    if quiet and diag.severity != "error":
        return
    print(diag.format(), file=sys.stderr)
    for extra in (excerpt(diag.location), docs_link(diag)):
        if extra:
            print(extra, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    handlers = {
        "preflight": run_preflight,
        "new": run_new,
        "schema": run_schema,
        "preview": run_preview,
        "watch": run_watch,
        "serve": run_serve,
        "i18n": run_i18n,
    }
    return handlers.get(args.command, run_build)(args)


def run_preflight(args: argparse.Namespace) -> int:
    from ..preflight.checks import as_json, format_findings, preflight

    results = {}
    for path in args.files:
        if not path.is_file():
            raise Usage(f"'{path}' is not a file")
        results[str(path)] = _preflight_checks(args, path, preflight)
    if args.json:
        print(as_json(results))
    else:
        for name, findings in results.items():
            print(format_findings(findings, name))
    failed = any(d.severity == "error" for found in results.values() for d in found)
    return EXIT_ERRORS if failed else EXIT_OK


def _preflight_checks(args: argparse.Namespace, path: Path, preflight) -> list:
    """The print checks, or those asked for: --ua (PDF/UA-1), --pdfa (PDF/A-2), or both."""
    data = path.read_bytes()
    if not (args.ua or args.pdfa):
        return preflight(data, str(path), booklet=args.booklet)
    found = []
    if args.ua:
        from ..preflight.ua import check_ua

        found += check_ua(data, str(path))
    if args.pdfa and not any(d.code == "pdf" for d in found):  # unreadable: said once
        from ..preflight.pdfa import check_pdfa

        found += check_pdfa(data, str(path))
    if args.booklet and not any(d.code == "pdf" for d in found):  # asked for with them too
        import io

        import pikepdf

        from ..preflight.checks import page_count_rule

        with pikepdf.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
        found += page_count_rule(count, True, str(path))
    return found


def _event_dir(args: argparse.Namespace) -> Path | None:
    out = getattr(args, "out", None)
    if out is not None and out.exists() and not out.is_dir():
        raise Usage(f"--out '{out}' is not a folder")
    if args.event_dir is None:
        return None
    if not args.event_dir.is_dir():
        raise Usage(f"EVENT_DIR '{args.event_dir}' is not a folder")
    # "content/ev/sub/.." is the folder "content/ev": its name names the output folder.
    return Path(os.path.normpath(args.event_dir))


def _build(args: argparse.Namespace, write: bool):
    """Run a build; on errors show them and return None."""
    from ..builder.pipeline import UsageError, build
    from ..errors import BookletError

    try:
        return build(
            _event_dir(args),
            tuple(args.layout),
            tuple(args.lang),
            getattr(args, "out", None),
            write=write,
            proof=getattr(args, "proof", False),
            progress=_progress(args),
            strict=getattr(args, "strict", False),
            per_guest=getattr(args, "per_guest", False),
            keep_going=getattr(args, "keep_going", False),
            archive=getattr(args, "archive", False),
        )
    except UsageError as exc:
        raise Usage(str(exc)) from None
    except BookletError as exc:
        for diag in exc.diagnostics:
            show(diag)
        count = len(exc.diagnostics)
        plural = "s" if count != 1 else ""
        what = "problem" if all(d.severity == "warning" for d in exc.diagnostics) else "error"
        print(f"booklet: {count} {what}{plural}; nothing written", file=sys.stderr)
        return None


def _progress(args: argparse.Namespace):
    """A one-line progress display on a terminal, plain lines with -v, nothing otherwise."""
    if args.quiet or args.json:
        return None
    if sys.stderr.isatty():
        return lambda done, total, name: print(
            f"\r[{done}/{total}] {name:<40}", end="" if done < total else "\n", file=sys.stderr
        )
    if args.verbose:
        return lambda done, total, name: print(f"built {name} ({done}/{total})", file=sys.stderr)
    return None


def run_build(args: argparse.Namespace) -> int:
    report = _build(args, write=args.command == "build")
    if report is None:
        return EXIT_ERRORS
    for diag in report.diagnostics.items:  # errors only of documents left out (--keep-going)
        show(diag, args.quiet)
    if args.json:
        import json

        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif not args.quiet:
        for built in report.documents:
            print(f"{built.layout}.{built.lang}: {built.pages} pages")
        for line in _written(report.written):
            print(printable(line))
    if report.failed:
        names = ", ".join(f"{b.layout}.{b.lang}" for b in report.failed)
        count = len(report.diagnostics.errors)
        print(
            f"booklet: {count} error{'s' if count != 1 else ''}; {len(report.failed)} of "
            f"{len(report.failed) + len(report.documents)} documents not written: {names}",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    if args.strict and report.diagnostics.warnings:
        return EXIT_ERRORS
    return EXIT_OK


def _written(paths: list[Path]) -> list[str]:
    """One line per file written; a folder of per-guest cards is one line."""
    folders: dict[Path, int] = {}
    lines = []
    for path in paths:
        if path.parent.name.endswith(".guests"):
            if path.parent not in folders:
                lines.append(path.parent)
            folders[path.parent] = folders.get(path.parent, 0) + 1
        else:
            lines.append(path)
    return [f"wrote {folders[p]} files in {p}/" if p in folders else f"wrote {p}" for p in lines]


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_event

    langs = [code.strip() for code in args.lang.split(",") if code.strip()]
    try:
        written = new_event(args.target, args.template, langs)
    except ScaffoldError as exc:
        raise Usage(str(exc)) from None
    if not args.quiet:
        for path in written:
            print(f"wrote {path}")
        print(f"next: booklet build {args.target}")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    import json

    from ..read.json_schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=1, ensure_ascii=False))
    return EXIT_OK


def run_preview(args: argparse.Namespace) -> int:
    from ..output.preview import parse_pages, render_pages

    report = _build(args, write=False)
    if report is None:
        return EXIT_ERRORS
    out = args.out / report.event / "preview"
    files = {}
    for built in report.documents:
        try:
            pages = parse_pages(args.pages, built.pages)
        except ValueError as exc:
            raise Usage(str(exc)) from None
        data = built.files[f"{built.layout}.{built.lang}.pdf"]
        images = render_pages(data, pages, args.dpi, args.proof, built.folds)
        for number, png in zip(pages, images, strict=True):
            files[f"{built.layout}.{built.lang}.p{number}.png"] = png
    from ..output.staging import write_outputs

    for path in write_outputs(files, out):
        if not args.quiet:
            print(f"wrote {path}")
    return EXIT_OK


def run_watch(args: argparse.Namespace) -> int:
    from .watch import watch

    event_dir = _event_dir(args)
    from ..read.project import SAMPLE_EVENT, find_project

    if event_dir is None:
        event_dir = find_project(Path.cwd()).root / SAMPLE_EVENT
    from .serve import start_beside

    start_beside(_say)
    watch(
        event_dir,
        tuple(args.layout),
        tuple(args.lang),
        args.out,
        _say,
        lambda diag: show(diag, args.quiet),
    )
    return EXIT_OK


def _say(text: str) -> None:
    print(f"booklet: {printable(text)}", file=sys.stderr, flush=True)


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.idle_timeout, (lambda text: None) if args.quiet else _say, main)


def run_i18n(args: argparse.Namespace) -> int:
    from .translation_commands import I18nUsage, run_i18n

    try:
        return run_i18n(args, _event_dir(args))
    except I18nUsage as exc:
        raise Usage(str(exc)) from None
