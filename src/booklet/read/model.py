"""Define the content and layout types that the schema fills and the later stages read.

Field metadata is the single source of truth for the file formats: `doc` is the
field's description, `tr` marks text a translation file may replace. YAML keys
are the field names with "-" for "_".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from ..errors import Location


class Text(str):
    """A content string that remembers the file, line and column it came from."""

    loc: Location
    lang: str

    def __new__(cls, value: str, loc: Location | None = None, lang: str = "") -> Text:
        obj = super().__new__(cls, value)
        # Filled in one step, the attribute dictionary is sized for two entries (184 bytes,
        # not 304): a 10,000-guest list holds ~40,000 of them.
        obj.__dict__.update(loc=loc or Location(""), lang=lang)
        return obj

    def __reduce__(self):  # keep the location across processes
        return (Text, (str(self), self.loc, self.lang))


class Ident(Text):
    """A reference name: lowercase letters, digits and hyphens (e.g. "opening-speech")."""


class Url(str):
    """An http(s) address."""


class Length(float):
    """A length in PostScript points, written with a unit: "3mm", "12pt", "0.5in", "1cm"."""


class Clock(str):
    """A time of day written "HH:MM" (24-hour)."""


class Minutes(int):
    """A duration written "15 min", "1 h" or "1 h 30 min"."""


class Figure(str):
    """A fact's figure: a whole number (printed in the locale's style) or text as written."""


def f(doc: str, default: Any = ..., *, tr: bool = False) -> Any:
    """Declare a model field with its documentation and translatability."""
    meta = {"doc": doc, "tr": tr}
    if default is ...:
        return field(metadata=meta)
    if isinstance(default, (list, dict)):
        return field(default_factory=type(default), metadata=meta)
    return field(default=default, metadata=meta)


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


# --- layout ----------------------------------------------------------------------

Cmyk = tuple[float, float, float, float]
LayoutKind = Literal["booklet", "sheet", "folded", "card"]
PageKind = Literal[
    "cover",
    "masthead",
    "program",
    "speakers",
    "sections",
    "facts",
    "sources",
    "credits",
    "back-cover",
]


@dataclass(frozen=True)
class Trim:
    width: Length = f("Trimmed page width.")
    height: Length = f("Trimmed page height.")


@dataclass(frozen=True)
class Margins:
    inner: Length = f("Margin at the spine.")
    outer: Length = f("Margin at the fore-edge.")
    top: Length = f("Top margin.")
    bottom: Length = f("Bottom margin (the folio sits in it).")


@dataclass(frozen=True)
class Marks:
    crop: bool = f("Crop marks in line with the trim, outside the bleed.", True)
    registration: bool = f("Registration targets at the middle of each side.", False)
    color_bar: bool = f("A bar of CMYK patches in the bottom slug.", False)
    slug_line: bool = f("A line of job information in the bottom slug.", False)
    offset: Length = f("Gap between the trim and a mark (at least the bleed).", Length(8.504))
    length: Length = f("Length of a crop mark.", Length(14.173))


@dataclass(frozen=True)
class FontFamily:
    regular: str = f("Font file under fonts/.")
    bold: str = f("Bold font file.")
    italic: str = f("Italic font file.")
    bold_italic: str = f("Bold italic font file.")
    fallback: Ident | None = f(
        "A family for letters this one lacks (e.g. Arabic in a Latin text).", None
    )


@dataclass(frozen=True)
class TextStyle:
    font: Ident = f("A family from `fonts`.")
    size: float = f("Size in points.")
    leading: float = f("Baseline distance in points.")
    bold: bool = f("Bold weight.", False)
    italic: bool = f("Italic.", False)
    color: Ident = f("A colour from `palette`.", Ident("ink"))
    tracking: float = f("Letter spacing in points.", 0.0)
    upper: bool = f("Set in capitals (language-aware).", False)
    align: Literal["left", "center", "right", "justify"] = f("Alignment.", "left")
    space_before: float = f("Space above in points.", 0.0)
    space_after: float = f("Space below in points.", 0.0)


@dataclass(frozen=True)
class Styles:
    body: TextStyle = f("Running text.")
    lead: TextStyle = f("First paragraph of a section.")
    title: TextStyle = f("Page title (Program, Speakers, ...).")
    kicker: TextStyle = f("Small label above a title.")
    heading: TextStyle = f("Section heading.")
    item_title: TextStyle = f("Program item title.")
    item_meta: TextStyle = f("Speaker, role, duration, place.")
    time: TextStyle = f("Time column of the program.")
    note: TextStyle = f("Notes and instructions.")
    figure: TextStyle = f("A fact's figure.")
    figure_label: TextStyle = f("What a figure counts.")
    reference: TextStyle = f("Source references and URLs.")
    folio: TextStyle = f("Page number and running foot.")
    card_title: TextStyle = f("Event title on an invitation card.")
    card_salutation: TextStyle = f("The guest's salutation on a card.")
    cover_kicker: TextStyle = f("Label at the top of the cover.")
    cover_title: TextStyle = f("Title on the cover.")
    cover_subtitle: TextStyle = f("Subtitle on the cover.")
    cover_meta: TextStyle = f("Date and place on the cover.")


@dataclass(frozen=True)
class PageTemplate:
    template: PageKind = f("Which page template.")
    new_page: bool = f("Start on a new page.", True)


@dataclass(frozen=True)
class Imposition:
    sheet: Literal["none", "fit", "press"] = f(
        "none: no imposed file; fit: two trimmed pages fill the sheet (A5 on A4, for office "
        "printers); press: trim, bleed and marks on a larger press sheet.",
        "fit",
    )
    caliper: Length = f("Paper thickness; each sheet further in creeps this much.", Length(0.0))
    binding: Literal["left", "right"] = f("Spine side: right for right-to-left booklets.", "left")
    duplex: Literal["short-edge", "long-edge"] = f("How the printer turns the sheet.", "short-edge")
    across: int = f("Cards: how many across the sheet (step and repeat).", 2)
    down: int = f("Cards: how many down the sheet.", 2)


@dataclass(frozen=True)
class Fold:
    kind: Literal["bi-fold", "tri-fold"] = f("One fold in the middle, or a roll fold in thirds.")
    fold_in_shorter: Length = f(
        "How much narrower the panel that folds in is (roll fold, 1–3 mm).", Length(5.669)
    )
    min_scale: float = f("The smallest type scale a panel may shrink to before it fails.", 0.85)


@dataclass(frozen=True)
class Panels:
    outside: tuple[tuple[PageKind, ...], ...] = f(
        "The outside panels, left to right: a template, or a list of templates one under another."
    )
    inside: tuple[tuple[PageKind, ...], ...] = f("The inside panels, left to right, likewise.")


@dataclass(frozen=True)
class Qr:
    size: Length = f("Printed size including the quiet zone (at least 15 mm).", Length(51.02))
    quiet_zone: int = f("Quiet zone in modules (4 by the standard).", 4)


@dataclass(frozen=True)
class Layout:
    kind: LayoutKind = f("Document kind.")
    trim: Trim = f("Trimmed page size.")
    margins: Margins = f("Page margins.")
    palette: Mapping[Ident, Cmyk] = f("Colours as [C, M, Y, K] percentages; needs ink, paper.")
    fonts: Mapping[Ident, FontFamily] = f("Font families by name.")
    styles: Styles = f("Type styles.")
    pages: tuple[PageTemplate, ...] = f("The page sequence (booklet, sheet).", ())
    bleed: Length = f("Bleed on every side.", Length(8.504))
    marks: Marks = f("Printer's marks.", Marks())
    qr: Qr = f("QR codes for sources.", Qr())
    imposition: Imposition = f("Printer spreads for saddle stitching.", Imposition())
    padding: Literal["blank", "notes"] = f("What fills pages up to a multiple of 4.", "notes")
    description: str = f("What this layout is for.", "")
    fold: Fold | None = f("The fold of a folded product.", None)
    panels: Panels | None = f("What each panel of a folded product carries.", None)
    extends: str = f("A layout in layouts/ whose settings this one starts from.", "")
    bilingual: Ident | None = f(
        "A second language printed under the first (program titles, the title), e.g. en.", None
    )
    scripts: Mapping[Ident, Mapping[Ident, Ident]] = f(
        "Per script (arabic), which family replaces which, for documents in such a language.", {}
    )
