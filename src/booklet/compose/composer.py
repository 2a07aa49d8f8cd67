"""Turn content and a layout into a document: the blocks of each page template, in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import Diagnostics
from ..language.bidi import script_of
from ..language.text import (
    duration_text,
    expand,
    figure_text,
    full_date_text,
    paragraphs,
    word,
)
from ..read.layout import Layout, PageTemplate
from ..read.model import Content, Person, ProgramItem
from ..read.types import Text
from . import document as d


class Composer:
    """Builds the blocks of one document in one language."""

    def __init__(
        self,
        content: Content,
        layout: Layout,
        lang: str,
        diags: Diagnostics,
        second: Content | None = None,
    ):
        self.content = content
        self.layout = layout
        self.lang = lang
        self.diags = diags
        self.context = {"event": content.event}
        # A bilingual layout prints the same event in a second language under the first.
        self.second = Composer(second, layout, second.language, diags) if second else None
        self.untranslated: tuple[str, str] = ("", "")  # (base file, marker) in proof builds

    def t(self, text: Text | None, field: str = "") -> str:
        """A content string with its templates expanded; "" for nothing."""
        if text is None:
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
        event = self.content.event
        parts = []
        if event.date:
            parts.append(full_date_text(event.date, self.lang))
        if event.start:
            parts.append(event.start)
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
        )

    def program(self) -> Iterator[d.Block]:
        if not self.content.program:
            return
        event = self.content.event
        kicker = full_date_text(event.date, self.lang) if event.date else ""
        meta = " · ".join(x for x in (event.start or "", self.where()) if x)
        if not any(p.template == "masthead" for p in self.layout.pages):
            yield d.Heading(self.w("program"), kicker=kicker, meta=meta)
        times = program_times(self.content, self.diags)
        for item in self.content.program:
            yield self.program_entry(item, times.get(item.id, ""))

    def program_entry(self, item: ProgramItem, time: str) -> d.ProgramEntry:
        person = self.content.people.get(item.speaker) if item.speaker else None
        details = []
        if item.duration:
            details.append(duration_text(item.duration, self.lang))
        if item.place:
            details.append(self.t(item.place))
        title = self.t(item.title) or self.w(f"kind-{item.kind}")
        return d.ProgramEntry(
            time=time,
            title=title,
            speaker=self.t(person.name) if person else "",
            speaker_role=self.person_role(person) if person else "",
            details=tuple(details),
            description=self.t(item.description),
            anthems=tuple(self.t(a) for a in item.anthems),
            note=self.t(item.note),
            loc=item.title.loc if item.title else None,
            second=self.second.item_title(item) if self.second else "",
        )

    def item_title(self, item: ProgramItem) -> str:
        """The program item's title in this composer's language (for bilingual layouts)."""
        twin = next((i for i in self.content.program if i.id == item.id), item)
        return self.t(twin.title) or self.w(f"kind-{twin.kind}")

    def person_role(self, person: Person) -> str:
        parts = [self.t(person.role)]
        if person.affiliation:
            parts.append(self.org_name(person.affiliation))
        return self.comma().join(p for p in parts if p)

    def speakers(self) -> Iterator[d.Block]:
        spoken = [i for i in self.content.program if i.speaker in self.content.people]
        if not spoken:
            return
        yield d.Heading(self.w("speakers"))
        seen: set[str] = set()
        for item in spoken:
            if item.speaker in seen:
                continue
            seen.add(item.speaker)
            person = self.content.people[item.speaker]
            talks = [
                self.t(i.title) or self.w(f"kind-{i.kind}")
                for i in spoken
                if i.speaker == item.speaker
            ]
            yield d.PersonEntry(
                name=self.t(person.name),
                role=self.t(person.role),
                affiliation=self.org_name(person.affiliation) if person.affiliation else "",
                speaks_at=" · ".join(talks),
                loc=person.name.loc,
            )

    def sections(self) -> Iterator[d.Block]:
        for n, section in enumerate(self.content.sections):
            if n == 0:
                yield d.Heading(
                    self.t(section.title), kicker=self.w("about"), loc=section.title.loc
                )
            else:
                yield d.SectionHeading(self.t(section.title), loc=section.title.loc)
            body = expand(section.body, self.context, self.diags, f"sections[{section.id}].body")
            for k, para in enumerate(paragraphs(body)):
                style = "lead" if k == 0 and n == 0 else "body"
                yield d.Prose(para, style, section.body.loc)

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
        for n, source in enumerate(self.content.sources, 1):
            yield d.SourceEntry(
                n,
                self.t(source.publisher),
                str(source.url),
                self.t(source.title),
                source.publisher.loc,
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
        )

    def masthead(self) -> Iterator[d.Block]:
        event = self.content.event
        kicker = " · ".join(x for x in (self.w("program"), self.when()) if x)
        subtitle = self.t(event.subtitle, "event.subtitle")
        if self.second:
            subtitle = self.second.t(self.second.content.event.title)  # the title, in the other
        yield d.Masthead(
            kicker=kicker,
            title=self.t(event.title, "event.title"),
            subtitle=subtitle,
            meta=self.where(),
        )

    def credits(self) -> Iterator[d.Block]:
        event = self.content.event
        groups = tuple(
            (self.w(key), tuple(self.org_name(o) for o in ids))
            for key, ids in (("organized-by", event.organizers), ("partners", event.partners))
            if ids
        )
        if groups:
            yield d.Credits(groups)

    def cards(self, guests: tuple) -> Iterator[d.Block]:
        """One invitation card per guest, each on its own page."""
        invitation = self.content.invitation
        event = self.content.event
        for n, guest in enumerate(guests):
            if n:
                yield d.NewPage()
            who = " ".join(str(x) for x in (guest.honorific, guest.name) if x)
            yield d.Card(
                kicker=self.when(),
                title=self.t(event.title, "event.title"),
                salutation=self.w("dear").format(name=who),
                text=self.t(invitation.text, "invitation.text"),
                when=self.when(),
                where=self.where(),
                seat=self.w("seat").format(seat=guest.seat) if guest.seat else "",
                url=str(invitation.url).replace("{guest}", str(guest.id)),
                qr_label=self.t(invitation.qr_label),
                guest=str(guest.id),
                loc=guest.name.loc,
            )

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
) -> d.Document:
    """Lay out `content` in language `lang` as `layout` says: pages, panels or cards."""
    composer = Composer(content, layout, lang, diags, second)
    composer.untranslated = untranslated
    if layout.kind == "folded":
        blocks = _panels(composer, layout)
    elif layout.kind == "card":
        blocks = list(composer.cards(guests))
    else:
        blocks = _pages(composer, layout)
    event = content.event
    return d.Document(
        name=name,
        lang=lang,
        title=composer.t(event.title),
        subject=composer.t(event.subtitle),
        author=", ".join(composer.org_name(o) for o in event.organizers),
        running_foot=composer.t(event.title),
        layout=layout,
        blocks=tuple(blocks),
    )


def _pages(composer: Composer, layout: Layout) -> list[d.Block]:
    blocks: list[d.Block] = []
    for page in layout.pages:
        made = list(composer.templates()[page.template]())
        if made and _starts_page(page, blocks):
            blocks.append(d.NewPage())
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


def program_times(content: Content, diags: Diagnostics) -> dict[str, str]:
    """Each item's start: as given, else the end of the one before (from the event's start).

    Warns when a given time is earlier than the end of the item before it.
    """
    times: dict[str, str] = {}
    clock = _minutes(content.event.start) if content.event.start else None
    previous = None
    for item in content.program:
        if item.time:
            given = _minutes(item.time)
            if clock is not None and previous is not None and given < clock:
                diags.warn(
                    "program-time",
                    item.id.loc,
                    f"program[{item.id}].time",
                    f"starts at {item.time}, before '{previous}' ends at {_clock(clock)}",
                    "check the times and durations of the two items",
                )
            clock = given
        if clock is not None:
            times[item.id] = _clock(clock)
            clock = clock + item.duration if item.duration is not None else None
        previous = item.id
    return times


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _starts_page(page: PageTemplate, blocks: list[d.Block]) -> bool:
    # The cover opens the document and is a page of its own; the back cover starts its own page.
    if not blocks or page.template == "back-cover":
        return False
    return page.new_page or isinstance(blocks[-1], d.Cover)
