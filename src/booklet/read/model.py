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

from .types import (
    Clock,
    Figure,
    FileName,
    Ident,
    Language,
    Minutes,
    Name,
    Text,
    Url,
    UrlTemplate,
    f,
)

# --- content ---------------------------------------------------------------------

ItemKind = Literal[
    "exhibition",
    "anthems",
    "silence",
    "speech",
    "keynote",
    "talk",
    "panel",
    "report",
    "film",
    "music",
    "break",
    "meal",
    "reception",
    "custom",
]
# Roles a person takes in an item or a session; the layout prints their labels from the
# locale (`role-<name>`). A content file may name others in `roles`, with their labels.
ROLES = ("speaker", "panelist", "chair", "moderator", "performer", "respondent")
People = Mapping[Ident, tuple[Ident, ...]]  # role → ids from `people`, in the order printed


@dataclass(frozen=True)
class Image:
    id: Ident = f(
        "A unique name for the image; sections, items, people and organizations refer to it."
    )
    file: Text = f(
        "The file, in the event folder or the project's assets/ folder: a JPEG, PNG, TIFF or "
        "WebP photo, or an SVG or one-page PDF logo."
    )
    alt: Text | None = f(
        "What the image shows, for readers who cannot see it (the screen PDF carries it); "
        "by default the caption.",
        None,
        tr=True,
    )
    caption: Text | None = f("A line printed under the image.", None, tr=True)
    credit: Text | None = f(
        "Who made the image and under which licence, printed small after the caption: "
        "'Photo: A. Name, CC BY 4.0'.",
        None,
        tr=True,
    )
    focus: tuple[float, ...] = f(
        "The point a cropped frame keeps in view, as [x, y] fractions of the width and "
        "height from the top left: [0.5, 0.3] keeps a face near the top.",
        (),
    )


@dataclass(frozen=True)
class Photo:
    image: Ident = f("Id from `images`.")
    bleed: bool = f(
        "Run the photo to the trim and into the bleed (full-bleed); false keeps it within "
        "the margins with its caption under it (full-page).",
        True,
    )


@dataclass(frozen=True)
class Contact:
    email: Text | None = f("E-mail address for questions.", None)
    phone: Text | None = f("Phone number, as printed.", None)
    website: Url | None = f("The event's web page.", None)


@dataclass(frozen=True)
class SponsorTier:
    id: Ident = f("A unique name for the tier; translations refer to it.")
    label: Text = f("The tier's heading: Main partner, Partners, Media partners ...", tr=True)
    organizations: tuple[Ident, ...] = f("Ids from `organizations`, in the order printed.")


@dataclass(frozen=True)
class Event:
    title: Text = f("The event's title, as on the cover.", tr=True)
    subtitle: Text | None = f("A line under the title.", None, tr=True)
    date: dt.date | None = f("The (first) day, written 2026-02-26.", None)
    end_date: dt.date | None = f("The last day of an event of several days.", None)
    start: Clock | None = f('Start time, "14:00".', None)
    venue: Text | None = f("Where it takes place.", None, tr=True)
    address: Text | None = f(
        "The venue's postal address; each line is printed as a line of its own.", None, tr=True
    )
    map: Url | None = f("A link to a map of the venue; printed as a QR code.", None)
    city: Text | None = f("City.", None, tr=True)
    country: Text | None = f("Country.", None, tr=True)
    contact: Contact | None = f("How to reach the organizers.", None)
    organizers: tuple[Ident, ...] = f("Ids from `organizations` who organize the event.", ())
    partners: tuple[Ident, ...] = f("Ids from `organizations` who support it.", ())
    sponsors: tuple[SponsorTier, ...] = f("Sponsors in tiers, the first tier first.", ())
    venue_map: Ident | None = f(
        "Id from `images`: a map or floor plan of the venue, printed on the venue page.", None
    )
    cover_photo: Ident | None = f(
        "Id from `images`: the photo across the top of a folded product's front panel, "
        "into the bleed, its credit printed under it.",
        None,
    )


@dataclass(frozen=True)
class Organization:
    name: Name = f("Full name.", tr=True)
    short: Name | None = f("Short name or acronym.", None, tr="optional")
    website: Url | None = f("Web page.", None)
    logo: Ident | None = f(
        "Id from `images`: the logo, printed in the logo strip of the back cover and the "
        "invitation (SVG or PDF keeps it sharp).",
        None,
    )


@dataclass(frozen=True)
class Person:
    name: Name = f("Name as printed, with any academic title.", tr="optional")
    role: Text | None = f("Role or position.", None, tr=True)
    affiliation: Ident | None = f("Id of their organization in `organizations`.", None)
    sort_name: Text | None = f(
        "The name as sorted in alphabetical lists, e.g. 'Yıldırım, İrfan Murat'; "
        "by default the last word of the name.",
        None,
    )
    website: Url | None = f("Web page.", None)
    portrait: Ident | None = f("Id from `images`: a portrait, printed on the people page.", None)


@dataclass(frozen=True)
class Day:
    id: Ident = f("A unique name for the day; items and sessions refer to it.")
    date: dt.date = f("The day, written 2027-05-14.")
    title: Text | None = f("A title for the day, e.g. 'Opening day'.", None, tr=True)


@dataclass(frozen=True)
class Session:
    id: Ident = f("A unique name for the session; items refer to it.")
    title: Text = f("The session's title.", tr=True)
    day: Ident | None = f("Id from `days`; needed when the event has several days.", None)
    time: Clock | None = f('Start time, "09:30".', None)
    end: Clock | None = f('End time, "11:00".', None)
    room: Text | None = f(
        "Room or track. Sessions of one day at the same time in different rooms run in parallel.",
        None,
        tr=True,
    )
    people: People = f(
        "People by role: {chair: [id, ...], moderator: [id]}; roles as in program items.", {}
    )
    description: Text | None = f("One or two sentences.", None, tr=True)


@dataclass(frozen=True)
class ProgramItem:
    id: Ident = f("A unique name for the item; translations refer to it.")
    kind: ItemKind = f("What the item is.")
    title: Text | None = f("Title; a default from the kind is used when empty.", None, tr=True)
    time: Clock | None = f('Start time, "14:00".', None)
    duration: Minutes | None = f('Length, "15 min".', None)
    place: Text | None = f("Where in the venue.", None, tr=True)
    speaker: Ident | None = f(
        "Id from `people` (speech, report): short for people: {speaker: [id]}.", None
    )
    people: People = f(
        "People by role: {speaker: [id], panelist: [id, id], moderator: [id]}. Roles: "
        "speaker, panelist, chair, moderator, performer, respondent, or one from `roles`.",
        {},
    )
    session: Ident | None = f("Id from `sessions`: the session the item belongs to.", None)
    day: Ident | None = f("Id from `days`, for an item outside any session (a break).", None)
    anthems: tuple[Text, ...] = f("Anthems in the order played (anthems).", (), tr=True)
    note: Text | None = f("A short instruction, e.g. 'Please stand.'", None, tr=True)
    description: Text | None = f("One or two sentences.", None, tr=True)
    photos: tuple[Ident, ...] = f(
        "Ids from `images`: the photos of the item's photo page (an exhibition).", ()
    )


@dataclass(frozen=True)
class Section:
    id: Ident = f("A unique name for the section.")
    title: Text = f("Heading.", tr=True)
    body: Text = f("Prose; paragraphs separated by a blank line.", tr=True, prose=True)
    verse: bool = f("Keep each line as written: a poem, song lyrics.", False)
    figures: tuple[Ident, ...] = f(
        "Ids from `images`, set in the text after the first paragraph, each with its caption.",
        (),
    )
    photo: Photo | None = f(
        "A photo on a page of its own before the section: an id from `images`, or "
        "{image: id, bleed: false} to keep it within the margins.",
        None,
    )


@dataclass(frozen=True)
class Fact:
    id: Ident = f("A unique name for the fact.")
    figure: Figure = f(
        "The figure: 613, or text like '25–26' or '%40' (a translation may write it its "
        "own way: '40 %').",
        tr=True,
    )
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
    url: UrlTemplate = f(
        "Each guest's RSVP or check-in address; {guest} is replaced by the guest's id, "
        "e.g. https://example.org/rsvp/{guest}."
    )
    qr_label: Text | None = f("A line beside the QR code, e.g. 'Scan to reply'.", None, tr=True)
    guests: FileName = f(
        "The guest list in the event folder: a .yaml or .csv file.", FileName("guests.csv")
    )


@dataclass(frozen=True)
class Guest:
    id: Ident = f("A unique id; it goes into the guest's own URL.")
    name: Name = f("The guest's name as printed.")
    honorific: Text | None = f("Title before the name: Prof. Dr., Mr, Ms ...", None)
    seat: Text | None = f("Seat or table, printed on the card.", None)
    gender: Literal["female", "male", "neutral"] | None = f(
        "How the salutation addresses the guest: Уважаемая (female), Уважаемый (male); "
        "neutral or none: a form without gender.",
        None,
    )
    honorifics: Mapping[Ident, Text] = f(
        "The title before the name in one language, by language tag in lower case: "
        "{ru: Г-н, en: Mr}; it replaces `honorific` in cards of that language.",
        {},
    )


# A guest as held: (location, language, id, name, honorific, seat) when its fields share
# one place (a CSV row), else each field as (text, location, language) or None; then its
# gender and its honorifics as ((language, text, location), ...).
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
    extra = (guest.gender, tuple((k, str(v), v.loc) for k, v in guest.honorifics.items()))
    places = {(f.loc, f.lang) for f in fields if f is not None}
    if len(places) == 1:
        loc, lang = places.pop()
        return (loc, lang, *(None if f is None else str(f) for f in fields), *extra)
    return (*(None if f is None else (str(f), f.loc, f.lang) for f in fields), *extra)


def _guest(row: _Row) -> Guest:
    *row, gender, honorifics = row
    if len(row) == 6:
        loc, lang, *values = row
        ident, name, honorific, seat = (None if v is None else (v, loc, lang) for v in values)
    else:
        ident, name, honorific, seat = row
        lang = name[2]
    return Guest(
        Ident(*ident),
        Text(*name),
        None if honorific is None else Text(*honorific),
        None if seat is None else Text(*seat),
        gender,
        {key: Text(text, where, lang) for key, text, where in honorifics},
    )


@dataclass(frozen=True)
class Content:
    event: Event = f("The event itself.")
    language: Language = f(
        "Language of this file: en, az, tr, ru, en-GB, ...", Language("en"), tr=True
    )
    images: tuple[Image, ...] = f("Photos, logos, portraits and maps, each with its file.", ())
    organizations: Mapping[Ident, Organization] = f("Organizations by id.", {})
    people: Mapping[Ident, Person] = f("People by id.", {})
    days: tuple[Day, ...] = f("The days of an event of several days, in order.", ())
    sessions: tuple[Session, ...] = f("Sessions, in order; parallel ones share a time.", ())
    program: tuple[ProgramItem, ...] = f("The order of proceedings.", ())
    roles: Mapping[Ident, Text] = f(
        "Labels of roles of your own, by name: {discussant: Discussant}.", {}, tr=True
    )
    sections: tuple[Section, ...] = f("Prose sections.", ())
    facts: tuple[Fact, ...] = f("Facts and figures.", ())
    sources: tuple[Source, ...] = f("Sources; each gets a QR code.", ())
    invitation: Invitation | None = f("Invitation cards for the guests.", None)


@dataclass(frozen=True)
class BuildSpec:
    documents: tuple[Ident, ...] = f("Layout names from layouts/ to build.")
    languages: tuple[Language, ...] = f("Languages to build; the base file's comes first.")
    archive: bool = f(
        "Also write each screen PDF's PDF/A-2 archival copy (like `build --archive`).", False
    )
