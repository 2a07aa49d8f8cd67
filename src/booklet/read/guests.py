"""Turn an event's guest list (CSV or YAML, inside the event folder) into checked guests."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import Diagnostics, Location, display_path, fail
from .characters import check_characters
from .model import Content, Guest, GuestList
from .nodes import Node, load_yaml, read_text
from .project import BASE_FILE
from .references import unique_ids
from .schema import MAX_GUESTS, Converter, item_path


def read_guests(event_dir: Path, content: Content, diags: Diagnostics) -> Sequence[Guest]:
    """The guest list the invitation names: a CSV or YAML file inside the event folder."""
    invitation = content.invitation
    base = display_path(event_dir / BASE_FILE)
    if invitation is None:
        diags.error(
            "missing",
            Location(base),
            "invitation",
            "invitation cards need an `invitation` part in the event",
            "add invitation: {text: ..., url: ..., guests: guests.csv}",
        )
        return ()
    loc = getattr(invitation.guests, "loc", None)
    if loc is None or not loc.file:
        loc = getattr(invitation.text, "loc", None)  # the default file name has no line
    path = inside(event_dir, invitation.guests, loc, diags)
    if path is None:
        return ()
    if path.suffix == ".csv":
        # Row by row: the rows' nodes and Guests go as soon as each is held in the list,
        # so a long list never holds them all at once.
        guests = GuestList(_csv_guests(path, Converter(diags)))
    else:
        converted = Converter(diags).convert(load_yaml(path), tuple[Guest, ...], "guests")
        if not isinstance(converted, tuple):
            return ()
        guests = GuestList(converted)
    unique_ids(guests, "guests", diags)
    if not guests:
        diags.error(
            "missing",
            Location(display_path(path)),
            "guests",
            "the guest list has no guests",
            "one row per guest under the header id,name,honorific,seat",
        )
    return guests


def inside(folder: Path, relative: str, loc: Location | None, diags: Diagnostics) -> Path | None:
    """A path named in content, only if it stays inside `folder` and is a regular file."""
    if not relative or Path(relative).is_absolute():
        diags.error(
            "path", loc, "invitation.guests", f"'{relative}' must be a file in the event folder"
        )
        return None
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()):
        diags.error("path", loc, "invitation.guests", f"'{relative}' is outside the event folder")
        return None
    if path.suffix not in (".csv", ".yaml", ".yml"):
        diags.error("path", loc, "invitation.guests", f"'{relative}' is not a .csv or .yaml file")
        return None
    if not path.is_file():
        what = "is not a regular file" if path.exists() else "is not in the event folder"
        diags.error("path", loc, "invitation.guests", f"the guest list '{relative}' {what}")
        return None
    return path


def _csv_guests(path: Path, converter: Converter) -> Iterator[Guest]:
    """The guests of a CSV guest list, each row converted as it is read; a list longer
    than MAX_GUESTS is reported, and read no further."""
    shown = display_path(path)
    rows = csv.reader(io.StringIO(read_text(path, shown)))
    try:
        for n, row in enumerate(_csv_rows(rows, shown)):
            if n == MAX_GUESTS:  # as the converter says it of a list too long
                where = Location(shown, 1, 1)
                too_many = f"expected at most {MAX_GUESTS:,} items, found a list"
                converter.diags.error("type", where, "guests", too_many)
                return
            guest = converter.convert(row, Guest, item_path("guests", n, row))
            if isinstance(guest, Guest):
                yield guest
    except csv.Error as exc:
        raise fail(
            "csv", Location(shown, rows.line_num, 1), "guests", f"not valid CSV: {exc}"
        ) from None


GUEST_COLUMNS = ("id", "name", "honorific", "seat", "gender")
# A column of the honorific in one language: honorific-ru, honorific-en-gb.
HONORIFIC_COLUMN = re.compile(r"honorific-([a-z]{2,3}(?:-[a-z0-9]{2,8})*)")


def _csv_header(header: list[str], shown: str) -> list[str]:
    """The column names, checked once: spreadsheets add blank columns, capitals, semicolons."""
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    loc = Location(shown, 1, 1)
    if len(names) == 1 and ";" in names[0]:
        raise fail(
            "csv",
            loc,
            "guests",
            "the columns are separated by semicolons",
            "save the list as “CSV UTF-8 (comma delimited)”",
        )
    unknown = [n for n in names if n not in GUEST_COLUMNS and not HONORIFIC_COLUMN.fullmatch(n)]
    if unknown or "id" not in names or "name" not in names:
        raise fail(
            "csv",
            loc,
            "guests",
            f"expected the columns {', '.join(GUEST_COLUMNS)} or honorific-LANG (id and name "
            "required), "
            f"found {', '.join(names) or 'none'}",
        )
    start = 1  # the column's first character on the header line, for the caret
    for cell, name in zip(header, names, strict=False):
        if HONORIFIC_COLUMN.fullmatch(name):
            _check_column_language(name, Location(shown, 1, start))
        start += len(cell) + 1
    return names


def _check_column_language(name: str, loc: Location) -> None:
    """honorific-LANG names a language Babel knows: a column of an unknown one would
    never print, and nothing would say so."""
    from babel import Locale, UnknownLocaleError

    lang = name.removeprefix("honorific-")
    try:
        Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        raise fail(
            "csv",
            loc,
            "guests",
            f"unknown language code '{lang}' in the column {name}",
            "name the column after a language of the event: honorific-ru, honorific-en-gb",
        ) from None


def _csv_rows(rows, shown: str) -> Iterator[Node]:
    """One located mapping per row, keyed by the header."""
    header = _csv_header(next(rows, []), shown)
    number = 0  # as the converter counts them: rows with something in them
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        loc = Location(shown, rows.line_num, 1)
        row = row[: len(header)] if not any(c.strip() for c in row[len(header) :]) else row
        if len(row) != len(header):
            raise fail("csv", loc, "guests", f"expected {len(header)} columns, found {len(row)}")
        values = {k: Node(v.strip(), loc, plain=True) for k, v in zip(header, row, strict=True)}
        node = Node(values, loc, {k: loc for k in values})
        for key, value in values.items():
            check_characters(value.value, loc, f"{item_path('guests', number, node)}.{key}")
        node = _by_language(values, loc)
        number += 1
        yield node


def _by_language(values: dict[str, Node], loc: Location) -> Node:
    """A row's honorific-LANG cells as the guest's `honorifics` mapping; empty cells dropped
    (an empty gender too: unknown)."""
    own = {}
    for key in [k for k in values if HONORIFIC_COLUMN.fullmatch(k)]:
        cell = values.pop(key)
        if cell.value:
            own[key.removeprefix("honorific-")] = cell
    if "gender" in values and not values["gender"].value:
        del values["gender"]
    if own:
        values["honorifics"] = Node(own, loc, {k: loc for k in own})
    return Node(values, loc, {k: loc for k in values})
