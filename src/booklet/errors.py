"""Turn problems found anywhere in the pipeline into located, printable diagnostics."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a source file; line and column count from 1 (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if not self.column:  # a page of a PDF, or a line without a column
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem: what, where, and how to fix it."""

    severity: Severity
    code: str
    location: Location | None
    field: str
    message: str
    hint: str = ""

    def format(self) -> str:
        # Each part is made printable on its own: a line break in a path, a field or a
        # message is shown as \x0a and can never forge a second message line.
        where = f"{printable(str(self.location))}: " if self.location else ""
        what = f"{printable(self.field)}: " if self.field else ""
        label = "" if self.severity == "error" else f"warning[{self.code}]: "
        text = f"{where}{label}{what}{printable(self.message)}"
        if self.hint:
            text += f"\n  hint: {printable(self.hint)}"
        return text

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity,
            "code": self.code,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Diagnostics:
    """Collects every problem of a run so all are reported together."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(
        self, code: str, loc: Location | None, fld: str, message: str, hint: str = ""
    ) -> None:
        self.add(Diagnostic("error", code, loc, fld, message, hint))

    def warn(self, code: str, loc: Location | None, fld: str, message: str, hint: str = "") -> None:
        self.add(Diagnostic("warning", code, loc, fld, message, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        # The base file is read once per language, and a template is expanded wherever its
        # text prints: report each problem once. The keys reported are kept in a set beside
        # the list (a thousand guests' warnings were each compared with all before them),
        # made again from the list if it was changed other than here.
        known = self.__dict__.get("_known")
        if known is None or known[0] is not self.items or len(known[1]) != len(self.items):
            known = self.__dict__["_known"] = (self.items, {_key(d) for d in self.items})
        key = _key(diagnostic)
        if key not in known[1]:
            known[1].add(key)
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BookletError(self.errors)


def _key(d: Diagnostic) -> tuple:
    field = "" if d.code == "template" else d.field
    return (d.severity, d.code, d.location, field, d.message)


class BookletError(Exception):
    """Raised with the collected diagnostics when input or output is wrong."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


def fail(code: str, loc: Location | None, fld: str, message: str, hint: str = "") -> BookletError:
    """Build a one-diagnostic error to raise."""
    return BookletError([Diagnostic("error", code, loc, fld, message, hint)])


def printable(text: str) -> str:
    """Text safe for a terminal: control and direction characters shown as escapes."""
    return "".join(
        c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co") else _escape(c)
        for c in text
    )


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def excerpt(location: Location | None) -> str:
    """The source line of a location with a caret under its column, or "" when unknown."""
    if location is None or location.line < 1 or location.column < 1:
        return ""  # PDFs (preflight) locate by page, with no column
    try:
        with open(location.file, encoding="utf-8-sig", errors="replace") as handle:
            text = next(
                (line for number, line in enumerate(handle, 1) if number == location.line), None
            )
    except OSError:
        return ""
    if text is None:
        return ""
    text = text.rstrip("\n").replace("\t", " ")
    column = max(location.column - 1, 0)
    start = max(0, column - 60)  # a window around the column, however long the line
    shown = ("…" if start else "") + printable(text[start : start + 120])
    offset = column - start + (1 if start else 0)
    gutter = f"{location.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * offset + "^"
    return f"{gutter}{shown}\n{caret}"


CONTENT_PARTS = (
    "event",
    "images",
    "organizations",
    "people",
    "days",
    "sessions",
    "program",
    "sections",
    "facts",
    "sources",
)


def docs_link(diag: Diagnostic) -> str:
    """Where the docs explain the field a diagnostic is about."""
    loc = diag.location
    if loc is None or not diag.field or not loc.file.endswith((".yaml", ".yml", ".csv")):
        return ""
    root = diag.field.split(".")[0].split("[")[0]
    if "layouts" in loc.file.replace("\\", "/").split("/")[:-1]:
        return f"  docs: docs/layout.md#{root}"
    if root in (*CONTENT_PARTS, "invitation", "guests"):
        return f"  docs: docs/content.md#{root}"
    return ""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should read it: relative to the working folder when inside it."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
