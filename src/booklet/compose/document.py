"""Define what goes on the pages, in order, as plain data that knows no ReportLab types.

Strings here are plain text (never markup); the typesetter escapes them. Blocks
that come from content keep the location of their source for messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import Location
from ..read.layout import Layout
from ..read.pictures import Picture


@dataclass(frozen=True)
class Illustration:
    """A checked picture with its words in the document's language."""

    picture: Picture
    alt: str = ""
    caption: str = ""
    credit: str = ""
    focus: tuple[float, float] = (
        0.5,
        0.5,
    )  # what a cropped frame keeps in view (x, y from top left)


@dataclass(frozen=True)
class Figure:
    """A picture in the text flow, its caption and credit under it."""

    picture: Illustration


@dataclass(frozen=True)
class PhotoPage:
    """A photo on a page of its own: to the trim and into the bleed, or within the margins."""

    picture: Illustration
    bleed: bool = True


@dataclass(frozen=True)
class Gallery:
    """A program item's photo page (an exhibition): its title, then its photos."""

    kicker: str
    title: str
    description: str
    pictures: tuple[Illustration, ...]
    loc: Location | None = None


@dataclass(frozen=True)
class Venue:
    """Where the event is: the venue, its address, its map and the map's link."""

    title: str
    name: str
    lines: tuple[str, ...]
    map: Illustration | None = None
    map_url: str = ""
    map_label: str = ""


@dataclass(frozen=True)
class Logo:
    """An organization in a logo strip: its logo, or its name where it has none."""

    name: str
    picture: Illustration | None = None


LogoGroups = tuple[tuple[str, tuple[Logo, ...]], ...]  # (label, logos): organizers, tiers


@dataclass(frozen=True)
class Heading:
    """A page title with an optional kicker above and a meta line below."""

    title: str
    kicker: str = ""
    meta: str = ""
    loc: Location | None = None


@dataclass(frozen=True)
class SectionHeading:
    text: str
    loc: Location | None = None


@dataclass(frozen=True)
class Prose:
    """One paragraph of running text; `style` names a layout style."""

    text: str
    style: str = "body"
    loc: Location | None = None
    lines: bool = False  # verse: each line of `text` is printed as a line of its own


@dataclass(frozen=True)
class ProgramEntry:
    time: str
    title: str
    speaker: str = ""
    speaker_role: str = ""
    details: tuple[str, ...] = ()  # duration, place: the small line
    description: str = ""
    anthems: tuple[str, ...] = ()
    note: str = ""
    loc: Location | None = None
    second: str | None = None  # the title in a bilingual layout's second language ("": missing)
    people: tuple[tuple[str, str], ...] = ()  # (role label, names): panelists, moderator ...


@dataclass(frozen=True)
class DayHead:
    """The head of one day of the program: its weekday and date, and its own title."""

    title: str  # "Friday, May 14, 2027"
    subtitle: str = ""  # the day's title, e.g. "Opening day"
    running: str = ""  # the running head of the day's later pages: "Friday, May 14 · continued"
    loc: Location | None = None
    second: str | None = None  # the day's title in a bilingual layout's second language


@dataclass(frozen=True)
class DayEnd:
    """The program's days end here: later pages carry no "continued" running head."""


@dataclass(frozen=True)
class SessionHead:
    """A session's head: its time, title, room and the people who chair it."""

    time: str
    title: str
    room: str = ""
    people: tuple[tuple[str, str], ...] = ()  # (role label, names): chair, moderator
    description: str = ""
    loc: Location | None = None
    second: str | None = None  # the title in a bilingual layout's second language ("": missing)


@dataclass(frozen=True)
class Parallel:
    """Sessions at one time in different rooms: side by side where the page is wide enough,
    else one after another, each with its room."""

    sessions: tuple[tuple[SessionHead, tuple[ProgramEntry, ...]], ...]


@dataclass(frozen=True)
class PeopleGroup:
    """A group head on the people page: the role its people take (Speakers, Panelists)."""

    label: str


@dataclass(frozen=True)
class PersonEntry:
    name: str
    role: str = ""
    affiliation: str = ""
    speaks_at: str = ""
    loc: Location | None = None
    short: str = ""  # the organization's short name, for the compact people list
    portrait: Illustration | None = None
    portraits: bool = False  # some entry of the page has one: leave room for it


@dataclass(frozen=True)
class FactCell:
    figure: str
    label: str
    source: str = ""
    loc: Location | None = None


@dataclass(frozen=True)
class FactGrid:
    cells: tuple[FactCell, ...]


@dataclass(frozen=True)
class SourceEntry:
    number: int
    publisher: str
    url: str
    title: str = ""
    loc: Location | None = None


@dataclass(frozen=True)
class SourceList:
    """The sources, numbered: a row each, or a grid of codes where room is short."""

    entries: tuple[SourceEntry, ...]

    @property
    def loc(self) -> Location | None:
        return self.entries[0].loc if self.entries else None


@dataclass(frozen=True)
class Cover:
    kicker: str
    title: str
    subtitle: str
    when: str
    where: str
    organizers: tuple[str, ...]
    photo: Illustration | None = None  # a folded product's cover photo (`cover-photo`)


@dataclass(frozen=True)
class BackCover:
    title: str
    organizers_label: str
    organizers: tuple[str, ...]
    partners_label: str
    partners: tuple[str, ...]
    when: str
    sponsors: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tier label, names), in order
    contact: tuple[str, ...] = ()  # address lines, then e-mail · phone · website
    map_url: str = ""  # the venue's map, printed as a QR code beside the address
    map_label: str = ""
    logos: LogoGroups = ()  # the logo strip at the foot, when any organization has a logo


@dataclass(frozen=True)
class Masthead:
    """The title block at the top of a one-sheet program."""

    kicker: str
    title: str
    subtitle: str
    meta: str
    second: str | None = None  # the title in a bilingual layout's second language ("": missing)


@dataclass(frozen=True)
class Credits:
    """Groups of names under a label each: organizers, partners."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]
    logos: LogoGroups = ()  # the same as a logo strip, when any organization has a logo


@dataclass(frozen=True)
class Card:
    """One personalized invitation card."""

    kicker: str
    title: str
    salutation: str
    text: str
    when: str
    where: str
    seat: str
    url: str
    qr_label: str
    guest: str  # the guest's id, for messages
    loc: Location | None = None
    logos: tuple[Logo, ...] = ()  # organizers, then sponsors by tier


@dataclass(frozen=True)
class PanelStart:
    """The blocks after this go on one panel of a folded product."""

    side: str  # outside, inside
    index: int  # left to right
    template: str


@dataclass(frozen=True)
class NewPage:
    """Start the next block on a fresh page (`share`: unless this one is nearly empty)."""

    share: bool = False


@dataclass(frozen=True)
class Padding:
    """Pages inserted here bring the count to a multiple of four (before the back cover)."""

    label: str  # "Notes" when the layout asks for notes pages, else ""
    back_cover_follows: bool = True  # the page after the padding counts too


Block = (
    Masthead
    | Credits
    | Card
    | PanelStart
    | Heading
    | SectionHeading
    | Prose
    | ProgramEntry
    | DayHead
    | DayEnd
    | SessionHead
    | Parallel
    | PeopleGroup
    | PersonEntry
    | FactGrid
    | Figure
    | PhotoPage
    | Gallery
    | Venue
    | SourceEntry
    | SourceList
    | Cover
    | BackCover
    | NewPage
    | Padding
)


@dataclass(frozen=True)
class Document:
    """A whole document in one language, ready to typeset."""

    name: str  # layout name, e.g. "a5-booklet"
    lang: str
    title: str
    subject: str
    author: str
    running_foot: str
    layout: Layout
    blocks: tuple[Block, ...]
    # Letters every font's subsets start with, in this order, used or not: the batches of
    # one card file then embed the same subsets, which the collated file holds once.
    glyphs: str = ""
    # Where the fields a whole page prints were written ("event.title" → its line; "" → the
    # content file): a message about the page points there.
    places: Mapping[str, Location] = field(default_factory=dict)
    # Names of people, organizations and places: never hyphenated where they print.
    names: tuple[str, ...] = ()
