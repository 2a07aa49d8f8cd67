"""Turn a scalar as written into the model value its field holds: text, id, date, length, URL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .nodes import Node
from .types import (
    Clock,
    Figure,
    FileName,
    Ident,
    Language,
    Length,
    Minutes,
    Name,
    Text,
    Url,
    UrlTemplate,
)
from .urls import url_problem, url_warnings

IDENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MINUTES = re.compile(r"^(?:(\d{1,2})\s*h)?\s*(?:(\d{1,3})\s*min)?$")
_LENGTH = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)$")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_UNIT = {"mm": 72 / 25.4, "cm": 720 / 25.4, "pt": 1.0, "in": 72.0}
MAX_LENGTH_PT = 3000.0  # about 1 m: nothing we print is bigger
MAX_WORD = 300  # letters without a space: a line cannot hold more, the typesetter would crawl
MAX_FILE_PART = 255  # bytes in one part of a path: most file systems refuse longer names
MAX_PATH = 1024  # bytes in a whole path, well under every system's limit
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,5}$")


class Invalid(Exception):
    """A value that cannot be converted; the message is "expected X"."""

    def __init__(self, expected: str, hint: str = ""):
        self.expected, self.hint = expected, hint


def scalar(node: Node, typ: Any, lang: str) -> Any:
    if not node.is_scalar:
        raise Invalid(EXPECTED.get(typ, "text"))
    text: str = node.value  # type: ignore[assignment]
    parse = PARSERS.get(typ)
    if parse is None:
        raise TypeError(f"no parser for {typ!r}")
    return parse(text, node, lang)


def _parse_text(text: str, node: Node, lang: str) -> Text:
    if node.is_null:
        raise Invalid("text")
    if any(len(word) > MAX_WORD for word in text.split()):
        raise Invalid(
            f"text with words of at most {MAX_WORD} letters", "break the text with spaces"
        )
    return Text(text, node.loc, lang)


def _parse_name(text: str, node: Node, lang: str) -> Name:
    return Name(_parse_text(text, node, lang), node.loc, lang)


def _parse_file_name(text: str, node: Node, lang: str) -> FileName:
    if node.is_null or not text.strip():
        raise Invalid("a file name")
    if any(c < " " for c in text):
        raise Invalid("a file name without line breaks or tabs")
    if len(text.encode("utf-8")) > MAX_PATH:
        raise Invalid(f"a file name of at most {MAX_PATH:,} bytes", "give the file a shorter path")
    if any(len(part.encode("utf-8")) > MAX_FILE_PART for part in text.split("/")):
        raise Invalid(
            f"a file name of at most {MAX_FILE_PART} bytes a part", "give the file a shorter name"
        )
    return FileName(text, node.loc, lang)


def _parse_language(text: str, node: Node, lang: str) -> Language:
    if not _LANGUAGE.match(text):
        raise Invalid("a language tag like en, az, en-GB or sr-Latn")
    return Language(canonical_language(text), node.loc)


def canonical_language(tag: str) -> str:
    """A BCP 47 tag in its usual case: language lower, script title, region upper (en-GB)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _parse_ident(text: str, node: Node, lang: str) -> Ident:
    if not IDENT.match(text):
        raise Invalid(
            "an id of lowercase letters, digits and hyphens", "for example: opening-speech"
        )
    return Ident(text, node.loc)


def _parse_str(text: str, node: Node, lang: str) -> str:
    return text


def _parse_date(text: str, node: Node, lang: str) -> dt.date:
    match = _DATE.match(text)
    hint = "write dates as YYYY-MM-DD, e.g. 2026-02-26"
    if not match:
        raise Invalid("a date like 2026-02-26", hint)
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise Invalid("a date that exists", "check the day and month") from None


def _parse_clock(text: str, node: Node, lang: str) -> Clock:
    match = _CLOCK.match(text)
    if not match:
        raise Invalid('a time like "14:00"', "write a 24-hour time, hours 00–23 and minutes 00–59")
    return Clock(f"{int(match.group(1)):02d}:{match.group(2)}")


def _parse_minutes(text: str, node: Node, lang: str) -> Minutes:
    match = _MINUTES.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise Invalid('a duration like "15 min"', 'write minutes as a number followed by "min"')
    hours, minutes = (int(g) if g else 0 for g in match.groups())
    return Minutes(hours * 60 + minutes)


def _parse_length(text: str, node: Node, lang: str) -> Length:
    match = _LENGTH.match(text.strip())
    if not match:
        raise Invalid('a length with a unit, like "3mm" or "12pt"')
    value = float(match.group(1)) * _UNIT[match.group(2)]
    if not 0 <= value <= MAX_LENGTH_PT:
        raise Invalid("a length between 0 and 1 m")
    return Length(round(value, 4))


def _parse_float(text: str, node: Node, lang: str) -> float:
    if not NUMBER.match(text) or not 0 <= float(text) <= 1000:
        raise Invalid("a number between 0 and 1000")
    return float(text)


def _parse_int(text: str, node: Node, lang: str) -> int:
    if not re.fullmatch(r"\d{1,4}", text):
        raise Invalid("a whole number")
    return int(text)


def _parse_bool(text: str, node: Node, lang: str) -> bool:
    if text not in ("true", "false"):
        raise Invalid("true or false")
    return text == "true"


def _parse_url(text: str, node: Node, lang: str) -> Url:
    expected, hint = url_problem(text)
    if expected:
        raise Invalid(expected, hint)
    return Url(text, node.loc, lang)


def _parse_url_template(text: str, node: Node, lang: str) -> UrlTemplate:
    """An address with {guest} in it, checked as the longest guest's address would be."""
    expected, hint = url_problem(text.replace(GUEST, "g" * 64))
    if expected:
        raise Invalid(expected, hint or "for example https://example.org/rsvp/{guest}")
    return UrlTemplate(text, node.loc, lang)


GUEST = "{guest}"


def _parse_figure(text: str, node: Node, lang: str) -> Figure:
    if not text.strip() or len(text) > 24:
        raise Invalid("a number or a short figure (at most 24 characters)")
    return Figure(text)


PARSERS = {
    Text: _parse_text,
    Name: _parse_name,
    FileName: _parse_file_name,
    Language: _parse_language,
    Ident: _parse_ident,
    str: _parse_str,
    dt.date: _parse_date,
    Clock: _parse_clock,
    Minutes: _parse_minutes,
    Length: _parse_length,
    float: _parse_float,
    int: _parse_int,
    bool: _parse_bool,
    Url: _parse_url,
    UrlTemplate: _parse_url_template,
    Figure: _parse_figure,
}
# What a valid value may still be warned about: (code, message, hint) for each.
WARNINGS = {Url: url_warnings, UrlTemplate: lambda url: url_warnings(url.replace(GUEST, "g"))}
EXPECTED = {
    dt.date: "a date like 2026-02-26",
    Clock: 'a time like "14:00"',
    Minutes: 'a duration like "15 min"',
    Length: 'a length like "3mm"',
    float: "a number",
    int: "a whole number",
    bool: "true or false",
    Url: "an address",
    Ident: "an id",
    Name: "a name",
    FileName: "a file name",
    Language: "a language tag",
}
