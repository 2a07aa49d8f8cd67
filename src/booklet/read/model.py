"""Define the content types the schema fills: event, people, program, sections, facts, guests.

Field metadata is the single source of truth for the file formats: `doc` is the
field's description, `tr` marks text a translation file may replace. YAML keys
are the field names with "-" for "_".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

from .types import Clock, Figure, Ident, Minutes, Text, Url, f

# --- content ---------------------------------------------------------------------

ItemKind = Literal[
    "exhibition",
    "anthems",
    "silence",
    "speech",
    "report",
    "film",
    "music",
    "reception",
    "custom",
]


@dataclass(frozen=True)
class Event:
    title: Text = f("The event's title, as on the cover.", tr=True)
    subtitle: Text | None = f("A line under the title.", None, tr=True)
    date: dt.date | None = f("The day, written 2026-02-26.", None)
    start: Clock | None = f('Start time, "14:00".', None)
    venue: Text | None = f("Where it takes place.", None, tr=True)
    city: Text | None = f("City.", None, tr=True)
    country: Text | None = f("Country.", None, tr=True)
    organizers: tuple[Ident, ...] = f("Ids from `organizations` who organize the event.", ())
    partners: tuple[Ident, ...] = f("Ids from `organizations` who support it.", ())


@dataclass(frozen=True)
class Organization:
    name: Text = f("Full name.", tr=True)
    short: Text | None = f("Short name or acronym.", None, tr=True)


@dataclass(frozen=True)
class Person:
    name: Text = f("Name as printed, with any academic title.", tr=True)
    role: Text | None = f("Role or position.", None, tr=True)
    affiliation: Ident | None = f("Id of their organization in `organizations`.", None)


@dataclass(frozen=True)
class ProgramItem:
    id: Ident = f("A unique name for the item; translations refer to it.")
    kind: ItemKind = f("What the item is.")
    title: Text | None = f("Title; a default from the kind is used when empty.", None, tr=True)
    time: Clock | None = f('Start time, "14:00".', None)
    duration: Minutes | None = f('Length, "15 min".', None)
    place: Text | None = f("Where in the venue.", None, tr=True)
    speaker: Ident | None = f("Id from `people` (speech, report).", None)
    anthems: tuple[Text, ...] = f("Anthems in the order played (anthems).", (), tr=True)
    note: Text | None = f("A short instruction, e.g. 'Please stand.'", None, tr=True)
    description: Text | None = f("One or two sentences.", None, tr=True)


@dataclass(frozen=True)
class Section:
    id: Ident = f("A unique name for the section.")
    title: Text = f("Heading.", tr=True)
    body: Text = f("Prose; paragraphs separated by a blank line.", tr=True)


@dataclass(frozen=True)
class Fact:
    id: Ident = f("A unique name for the fact.")
    figure: Figure = f("The figure: 613, or text like '25–26'.")
    label: Text = f("What the figure counts.", tr=True)
    source: Ident | None = f("Id from `sources`.", None)


@dataclass(frozen=True)
class Source:
    id: Ident = f("A unique name for the source.")
    publisher: Text = f("Who published it.", tr=True)
    url: Url = f("Address; printed as a QR code.")
    title: Text | None = f("Title of the work or page.", None, tr=True)


@dataclass(frozen=True)
class Invitation:
    text: Text = f("The invitation, after the salutation.", tr=True)
    url: Text = f(
        "Each guest's RSVP or check-in address; {guest} is replaced by the guest's id, "
        "e.g. https://example.org/rsvp/{guest}."
    )
    qr_label: Text | None = f("A line beside the QR code, e.g. 'Scan to reply'.", None, tr=True)
    guests: Text = f(
        "The guest list in the event folder: a .yaml or .csv file.", Text("guests.csv")
    )


@dataclass(frozen=True)
class Guest:
    id: Ident = f("A unique id; it goes into the guest's own URL.")
    name: Text = f("The guest's name as printed.")
    honorific: Text | None = f("Title before the name: Prof. Dr., Mr, Ms ...", None)
    seat: Text | None = f("Seat or table, printed on the card.", None)


# A guest as held: (location, language, id, name, honorific, seat) when its fields share
# one place (a CSV row), else each field as (text, location, language) or None.
_Row = tuple[Any, ...]


class GuestList(Sequence[Guest]):
    """A checked guest list, held as plain strings: each `Guest` (its fields located
    `Text`, as read) is made when it is asked for.

    A `Text` carries a dictionary of its own (~250 bytes): 10,000 guests held as Guests
    take ~13 MB in the build process, shared by every batch it forks; held here, ~4 MB."""

    def __init__(self, guests: Iterable[Guest]):
        self._rows = tuple(map(_row, guests))

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Guest: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Guest, ...]: ...

    def __getitem__(self, index: int | slice) -> Guest | tuple[Guest, ...]:
        if isinstance(index, slice):
            return tuple(_guest(row) for row in self._rows[index])
        return _guest(self._rows[index])

    def __iter__(self) -> Iterator[Guest]:
        return map(_guest, self._rows)


def _row(guest: Guest) -> _Row:
    fields = (guest.id, guest.name, guest.honorific, guest.seat)
    places = {(f.loc, f.lang) for f in fields if f is not None}
    if len(places) == 1:
        loc, lang = places.pop()
        return (loc, lang, *(None if f is None else str(f) for f in fields))
    return tuple(None if f is None else (str(f), f.loc, f.lang) for f in fields)


def _guest(row: _Row) -> Guest:
    if len(row) == 6:
        loc, lang, *values = row
        ident, name, honorific, seat = (None if v is None else (v, loc, lang) for v in values)
    else:
        ident, name, honorific, seat = row
    return Guest(
        Ident(*ident),
        Text(*name),
        None if honorific is None else Text(*honorific),
        None if seat is None else Text(*seat),
    )


@dataclass(frozen=True)
class Content:
    event: Event = f("The event itself.")
    language: Ident = f("Language code of this file: en, az, tr, ru, ...", Ident("en"), tr=True)
    organizations: Mapping[Ident, Organization] = f("Organizations by id.", {})
    people: Mapping[Ident, Person] = f("People by id.", {})
    program: tuple[ProgramItem, ...] = f("The order of proceedings.", ())
    sections: tuple[Section, ...] = f("Prose sections.", ())
    facts: tuple[Fact, ...] = f("Facts and figures.", ())
    sources: tuple[Source, ...] = f("Sources; each gets a QR code.", ())
    invitation: Invitation | None = f("Invitation cards for the guests.", None)


@dataclass(frozen=True)
class BuildSpec:
    documents: tuple[Ident, ...] = f("Layout names from layouts/ to build.")
    languages: tuple[Ident, ...] = f("Languages to build; the base file's comes first.")
