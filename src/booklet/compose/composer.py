"""Turn content and a layout into a document: the blocks of each page template, in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ..errors import Diagnostics, Location
from ..language.address import foreign_honorifics, language_name, salutation
from ..language.bidi import script_of
from ..language.templates import expand
from ..language.text import (
    date_range_text,
    figure_text,
    full_date_text,
    paragraphs,
    stanzas,
    word,
)
from ..read.layout import Layout, PageTemplate
from ..read.model import Content
from ..read.pictures import Picture
from ..read.types import Text
from . import document as d
from .digits import in_digits
from .pictures import PicturePages
from .program import ProgramPages
from .schedule import event_days


class Composer(ProgramPages, PicturePages):
    """Builds the blocks of one document in one language."""

    def __init__(
        self,
        content: Content,
        layout: Layout,
        lang: str,
        diags: Diagnostics,
        second: Content | None = None,
        pictures: Mapping[str, Picture] | None = None,
    ):
        self.content = content
        self.pictures = pictures or {}
        self.layout = layout
        self.lang = lang
        self.diags = diags
        self.context = {"event": content.event}
        # A bilingual layout prints the same event in a second language under the first.
        self.second = Composer(second, layout, second.language, diags) if second else None
        self.untranslated: tuple[str, str] = ("", "")  # (base file, marker) in proof builds
        self.fallback = ""  # a file whose strings are not in this language: they print empty

    def t(self, text: Text | None, field: str = "") -> str:
        """A content string with its templates expanded; "" for nothing."""
        if text is None or (self.fallback and text.loc.file == self.fallback):
            return ""
        shown = str(expand(text, self.context, self.diags, field))
        source, marker = self.untranslated
        if marker and text.loc.file == source and shown:
            return marker + shown  # proof builds flag text that fell back to the base language
        return shown

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def comma(self) -> str:
        """The comma between list items: Arabic script has its own (،)."""
        return "، " if script_of(self.lang) == "arabic" else ", "

    def org_name(self, org_id: str) -> str:
        org = self.content.organizations.get(org_id)
        return self.t(org.name) if org else org_id

    def when(self) -> str:
        """The event's day with its weekday and start, or the range of its days."""
        first, last = event_days(self.content)
        if first and last and last != first:
            return date_range_text(first, last, self.lang)
        parts = [full_date_text(first, self.lang)] if first else []
        if self.content.event.start:
            parts.append(self.content.event.start)
        return " · ".join(parts)

    def where(self) -> str:
        event = self.content.event
        return self.comma().join(self.t(x) for x in (event.venue, event.city) if x)

    # --- page templates -----------------------------------------------------------------

    def cover(self) -> Iterator[d.Block]:
        event = self.content.event
        yield d.Cover(
            kicker=" · ".join(self.t(x) for x in (event.city, event.country) if x),
            title=self.t(event.title, "event.title"),
            subtitle=self.t(event.subtitle, "event.subtitle"),
            when=self.when(),
            where=self.where(),
            organizers=tuple(self.org_name(o) for o in event.organizers),
            photo=self.cover_photo(),
        )

    def sections(self) -> Iterator[d.Block]:
        for n, section in enumerate(self.content.sections):
            yield from self.section_photo(section)
            if n == 0:
                yield d.Heading(
                    self.t(section.title), kicker=self.w("about"), loc=section.title.loc
                )
            else:
                yield d.SectionHeading(self.t(section.title), loc=section.title.loc)
            body = expand(section.body, self.context, self.diags, f"sections[{section.id}].body")
            for k, para in enumerate(stanzas(body) if section.verse else paragraphs(body)):
                style = "lead" if k == 0 and n == 0 else "body"
                yield d.Prose(para, style, section.body.loc, lines=section.verse)
                if k == 0:
                    yield from self.section_figures(section)

    def facts(self) -> Iterator[d.Block]:
        if not self.content.facts:
            return
        numbers = self.source_numbers()
        yield d.Heading(self.w("facts"), kicker=self.t(self.content.event.subtitle))
        cells = []
        for fact in self.content.facts:
            source = self.source_label(fact.source, numbers)
            cells.append(
                d.FactCell(
                    figure_text(fact.figure, self.lang), self.t(fact.label), source, fact.label.loc
                )
            )
        yield d.FactGrid(tuple(cells))

    def source_numbers(self) -> dict[str, int]:
        return {s.id: n for n, s in enumerate(self.content.sources, 1)}

    def source_label(self, source_id: str | None, numbers: dict[str, int]) -> str:
        if not source_id or source_id not in numbers:
            return ""
        source = next(s for s in self.content.sources if s.id == source_id)
        return f"{self.w('source')}: {self.t(source.publisher)} [{numbers[source_id]}]"

    def sources(self) -> Iterator[d.Block]:
        if not self.content.sources:
            return
        yield d.Heading(self.w("sources"), meta=self.w("sources-intro"))
        yield d.SourceList(
            tuple(
                d.SourceEntry(n, self.t(s.publisher), str(s.url), self.t(s.title), s.publisher.loc)
                for n, s in enumerate(self.content.sources, 1)
            )
        )

    def back_cover(self) -> Iterator[d.Block]:
        event = self.content.event
        if self.layout.kind == "booklet":
            yield d.Padding(self.w("notes") if self.layout.padding == "notes" else "")
        yield d.BackCover(
            title=self.t(event.title),
            organizers_label=self.w("organized-by"),
            organizers=tuple(self.org_name(o) for o in event.organizers),
            partners_label=self.w("partners"),
            partners=tuple(self.org_name(o) for o in event.partners),
            when=" · ".join(x for x in (self.when(), self.where()) if x),
            sponsors=self.sponsor_groups(),
            contact=self.contact_lines(),
            map_url=str(event.map or ""),
            map_label=self.w("map") if event.map else "",
            logos=self.logo_groups(),
        )

    def sponsor_groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each sponsor tier with its names, the first tier first."""
        return tuple(
            (self.t(tier.label), tuple(self.org_name(o) for o in tier.organizations))
            for tier in self.content.event.sponsors
            if tier.organizations
        )

    def contact_lines(self) -> tuple[str, ...]:
        """The venue's address, a line each as written, then how to reach the organizers."""
        event = self.content.event
        lines = [line.strip() for line in self.t(event.address).splitlines() if line.strip()]
        contact = event.contact
        if contact is not None:  # a line each: a "·" left at a line's end reads as a typo
            lines += [self.t(contact.email), self.t(contact.phone)]
            if contact.website:
                lines.append(str(contact.website).split("://", 1)[-1].rstrip("/"))
        return tuple(line for line in lines if line)

    def masthead(self) -> Iterator[d.Block]:
        event = self.content.event
        kicker = " · ".join(x for x in (self.w("program"), self.when()) if x)
        yield d.Masthead(
            kicker=kicker,
            title=self.t(event.title, "event.title"),
            subtitle=self.t(event.subtitle, "event.subtitle"),
            meta=self.where(),
            second=self.second.t(self.second.content.event.title) if self.second else None,
        )

    def credits(self) -> Iterator[d.Block]:
        event = self.content.event
        groups = (
            tuple(
                (self.w(key), tuple(self.org_name(o) for o in ids))
                for key, ids in (("organized-by", event.organizers), ("partners", event.partners))
                if ids
            )
            + self.sponsor_groups()
        )
        if groups:
            yield d.Credits(groups, self.logo_groups())

    def cards(self, guests: tuple) -> Iterator[d.Block]:
        """One invitation card per guest, each on its own page."""
        invitation = self.content.invitation
        event = self.content.event
        logos = self.card_logos()
        for n, guest in enumerate(guests):
            if n:
                yield d.NewPage()
            self.check_address(guest)
            yield d.Card(
                kicker=self.when(),
                title=self.t(event.title, "event.title"),
                salutation=salutation(guest, self.lang),
                text=self.t(invitation.text, "invitation.text"),
                when=self.when(),
                where=self.where(),
                seat=self.w("seat").format(seat=guest.seat) if guest.seat else "",
                url=str(invitation.url).replace("{guest}", str(guest.id)),
                qr_label=self.t(invitation.qr_label),
                guest=str(guest.id),
                loc=guest.name.loc,
                logos=logos,
            )

    def check_address(self, guest) -> None:
        """Warn of a word of address of another language in the name a card prints."""
        for found, other in foreign_honorifics(guest, self.lang):
            self.diags.warn(
                "guest-honorific",
                guest.name.loc,
                f"guests[{guest.id}]",
                f"'{found}' is a {language_name(other)} honorific, printed on a card in "
                f"{language_name(self.lang)}",
                f"give the guest a title in this language (a column honorific-{self.lang.lower()}"
                " in the guest list), or take the word out of the name",
            )

    def names(self) -> tuple[str, ...]:
        """The names of people, organizations and places the content gives: none breaks."""
        event, content = self.content.event, self.content
        named = [event.venue, event.city, event.country]
        named += [p.name for p in content.people.values()]
        named += [o.name for o in content.organizations.values()]
        named += [o.short for o in content.organizations.values()]
        return tuple(dict.fromkeys(self.t(n) for n in named if n))

    def templates(self) -> dict[str, Callable[[], Iterator[d.Block]]]:
        return {
            "cover": self.cover,
            "masthead": self.masthead,
            "credits": self.credits,
            "program": self.program,
            "speakers": self.speakers,
            "sections": self.sections,
            "facts": self.facts,
            "sources": self.sources,
            "photos": self.photos,
            "venue": self.venue,
            "back-cover": self.back_cover,
        }


def compose(
    content: Content,
    layout: Layout,
    name: str,
    lang: str,
    diags: Diagnostics,
    guests: tuple = (),
    second: Content | None = None,
    untranslated: tuple[str, str] = ("", ""),
    pictures: Mapping[str, Picture] | None = None,
    second_base: str = "",
) -> d.Document:
    """Lay out `content` in language `lang` as `layout` says: pages, panels or cards.

    `second_base` is the base file when a bilingual layout's second language is not the
    base's: what that language has not translated prints as an empty line."""
    composer = Composer(content, layout, lang, diags, second, pictures)
    composer.untranslated = untranslated
    if composer.second:
        composer.second.fallback = second_base
    if layout.kind == "folded":
        blocks = _panels(composer, layout)
    elif layout.kind == "card":
        blocks = list(composer.cards(guests))
    else:
        blocks = _pages(composer, layout)
    event = content.event
    return in_digits(
        d.Document(
            name=name,
            lang=lang,
            title=composer.t(event.title),
            subject=composer.t(event.subtitle),
            author=", ".join(composer.org_name(o) for o in event.organizers),
            running_foot=composer.t(event.title),
            layout=layout,
            blocks=tuple(blocks),
            places=_places(content),
            names=composer.names(),
        )
    )


def _places(content: Content) -> dict[str, Location]:
    """Where the fields a whole page prints were written, for messages about the page."""
    event, invitation = content.event, content.invitation
    found = {
        "": Location(event.title.loc.file),
        "event.title": event.title.loc,
        "event.subtitle": event.subtitle.loc if event.subtitle else None,
        "event.organizers": event.organizers[0].loc if event.organizers else None,
        "invitation.text": invitation.text.loc if invitation else None,
    }
    return {key: loc for key, loc in found.items() if loc is not None}


def _pages(composer: Composer, layout: Layout) -> list[d.Block]:
    blocks: list[d.Block] = []
    for page in layout.pages:
        made = list(composer.templates()[page.template]())
        if made and _starts_page(page, blocks, made):
            blocks.append(d.NewPage(page.share and not isinstance(blocks[-1], d.Cover)))
        blocks.extend(made)
    if layout.kind == "booklet" and not any(isinstance(b, d.Padding) for b in blocks):
        label = composer.w("notes") if layout.padding == "notes" else ""
        blocks.append(d.Padding(label, back_cover_follows=False))
    return blocks


def _panels(composer: Composer, layout: Layout) -> list[d.Block]:
    blocks: list[d.Block] = []
    assert layout.panels is not None
    for side in ("outside", "inside"):
        for index, templates in enumerate(getattr(layout.panels, side)):
            blocks.append(d.PanelStart(side, index, "+".join(templates)))
            for template in templates:
                made = composer.templates()[template]()
                blocks.extend(b for b in made if not isinstance(b, d.Padding))
    return blocks


def _starts_page(page: PageTemplate, blocks: list[d.Block], made: list[d.Block]) -> bool:
    # The cover opens the document and is a page of its own; the back cover starts its own
    # page, and so does a photo page.
    if not blocks or page.template == "back-cover" or isinstance(made[0], d.PhotoPage):
        return False
    return page.new_page or isinstance(blocks[-1], d.Cover)
