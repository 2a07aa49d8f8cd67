"""Turn the program and the people in it into blocks: days, sessions, parallel rooms, entries."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..language.text import date_range_text, duration_text, full_date_text, upper
from ..read.model import ROLES, Person, ProgramItem, Session
from . import document as d
from .schedule import DaySchedule, Slot, event_days, span_text, timetable

MAIN_ROLE = "speaker"  # printed on the item's own line, with the person's role


class ProgramPages:
    """The program and people page templates of a `Composer` (its t, w, content, layout)."""

    def program(self) -> Iterator[d.Block]:
        if not self.content.program and not self.content.sessions:
            return
        if not any(p.template == "masthead" for p in self.layout.pages):
            yield self.program_heading()
        table = timetable(self.content, self.diags)
        for day in table.days:
            yield from self.day_blocks(day, table.times)
        if self.content.days:
            yield d.DayEnd()

    def program_heading(self) -> d.Heading:
        event = self.content.event
        first, last = event_days(self.content)
        if first and last and last != first:
            kicker = date_range_text(first, last, self.lang)
        else:
            kicker = full_date_text(first, self.lang) if first else ""
        meta = " · ".join(x for x in (event.start or "", self.where()) if x)
        return d.Heading(self.w("program"), kicker=kicker, meta=meta)

    def day_blocks(self, day: DaySchedule, times: dict[str, str]) -> Iterator[d.Block]:
        if day.day is not None:
            title = full_date_text(day.day.date, self.lang)
            title = upper(title[:1], self.lang) + title[1:]  # "пятница" heads a line: "Пятница"
            yield d.DayHead(
                title=title,
                subtitle=self.t(day.day.title),
                second=self.second.day_title(day.day.id) if self.second else None,
                running=f"{title} · {self.w('continued')}",
                loc=day.day.id.loc,
            )
        for group in day.groups:
            if len(group) > 1:
                yield d.Parallel(tuple(self.session_block(slot, times) for slot in group))
                continue
            yield from self.slot_blocks(group[0], times)

    def slot_blocks(self, slot: Slot, times: dict[str, str]) -> Iterator[d.Block]:
        if slot.session is not None:
            yield self.session_head(slot)
        for item in slot.items:
            yield self.program_entry(item, times.get(item.id, ""))

    def session_block(
        self, slot: Slot, times: dict[str, str]
    ) -> tuple[d.SessionHead, tuple[d.ProgramEntry, ...]]:
        entries = tuple(self.program_entry(i, times.get(i.id, "")) for i in slot.items)
        return self.session_head(slot), entries

    def session_head(self, slot: Slot) -> d.SessionHead:
        session = slot.session
        assert session is not None
        return d.SessionHead(
            time=span_text(slot),
            title=self.t(session.title, f"sessions[{session.id}].title"),
            room=self.t(session.room),
            people=self.role_lines(session.people),
            description=self.t(session.description),
            loc=session.title.loc,
            second=self.second.session_title(session.id) if self.second else None,
        )

    def day_title(self, day_id: str) -> str | None:
        """A day's own title in this composer's language (for bilingual layouts): "" when
        it is not translated, None when the day has none."""
        day = next((d for d in self.content.days if d.id == day_id), None)
        return self.t(day.title) if day is not None and day.title else None

    def session_title(self, session_id: str) -> str | None:
        """A session's title in this composer's language (for bilingual layouts)."""
        session = next((s for s in self.content.sessions if s.id == session_id), None)
        return self.t(session.title) if session is not None and session.title else None

    def program_entry(self, item: ProgramItem, time: str) -> d.ProgramEntry:
        speakers = _speakers(item)
        person = self.content.people.get(speakers[0]) if len(speakers) == 1 else None
        others = {r: ids for r, ids in item.people.items() if r != MAIN_ROLE}
        if len(speakers) > 1:
            others = {MAIN_ROLE: tuple(speakers), **others}
        details = []
        if item.duration:
            details.append(duration_text(item.duration, self.lang))
        if item.place:
            details.append(self.t(item.place))
        return d.ProgramEntry(
            time=time,
            title=self.t(item.title) or self.w(f"kind-{item.kind}"),
            speaker=self.t(person.name) if person else "",
            speaker_role=self.person_role(person) if person else "",
            details=tuple(details),
            description=self.t(item.description),
            anthems=tuple(self.t(a) for a in item.anthems),
            note=self.t(item.note),
            loc=item.title.loc if item.title else item.id.loc,  # overflow messages name it
            second=self.second.item_title(item) if self.second else None,
            people=self.role_lines(others),
        )

    def role_lines(self, by_role) -> tuple[tuple[str, str], ...]:
        """Each role with the names of its people: ("Panelists", "A, B, C")."""
        lines = []
        for role, ids in by_role.items():
            names = [self.t(self.content.people[p].name) for p in ids if p in self.content.people]
            if names:
                lines.append((self.role_label(role, len(names)), self.comma().join(names)))
        return tuple(lines)

    def role_label(self, role: str, count: int = 1) -> str:
        """A role's label from the locale (plural for several), or the content's own."""
        if role in ROLES:
            return self.w(f"roles-{role}" if count > 1 else f"role-{role}")
        label = self.content.roles.get(role)
        return self.t(label) if label else role

    def item_title(self, item: ProgramItem) -> str:
        """The program item's title in this composer's language (for bilingual layouts)."""
        twin = next((i for i in self.content.program if i.id == item.id), item)
        if twin.title:
            return self.t(twin.title)  # "" when not translated: its line stays empty
        return self.w(f"kind-{twin.kind}")

    def person_role(self, person: Person) -> str:
        parts = [self.t(person.role)]
        if person.affiliation:
            parts.append(self.org_name(person.affiliation))
        return self.comma().join(p for p in parts if p)

    # --- the people page ----------------------------------------------------------------

    def speakers(self) -> Iterator[d.Block]:
        taking_part = self.taking_part()
        if not taking_part:
            return
        # Speakers alone: "Speakers"; people in several roles: "Participants", by role.
        yield d.Heading(self.w("speakers" if len(taking_part) == 1 else "participants"))
        if self.people_order() == "alphabetical":
            everyone = dict.fromkeys(p for ids in taking_part.values() for p in ids)
            yield from self.person_entries(sorted(everyone, key=self.sort_key))
            return
        for role, ids in taking_part.items():
            if len(taking_part) > 1:
                yield d.PeopleGroup(self.role_label(role, len(ids)))
            yield from self.person_entries(ids)

    def people_order(self) -> str:
        page = next((p for p in self.layout.pages if p.template == "speakers"), None)
        return page.order if page is not None else "role"

    def taking_part(self) -> dict[str, list[str]]:
        """Everyone the program names, by role (speakers first), in the order first named;
        someone in two roles is listed under the first, with every part they take."""
        found: dict[str, list[str]] = {}
        for role, pid in self.appearances():
            if pid in self.content.people and pid not in found.setdefault(role, []):
                found[role].append(pid)
        order = [*ROLES, *self.content.roles]
        listed: set[str] = set()
        groups = {}
        for role in sorted(found, key=order.index):  # each person once, under their first role
            ids = [p for p in found[role] if p not in listed]
            listed.update(ids)
            if ids:
                groups[role] = ids
        return groups

    def appearances(self) -> Iterator[tuple[str, str]]:
        """(role, person) for every person named by an item or a session, in program order."""
        sessions = {s.id: s for s in self.content.sessions}
        seen_sessions: set[str] = set()
        for item in self.content.program:
            session = sessions.get(item.session or "")
            if session is not None and session.id not in seen_sessions:
                seen_sessions.add(session.id)
                yield from _session_people(session)
            for pid in _speakers(item):
                yield MAIN_ROLE, pid
            for role, ids in item.people.items():
                if role != MAIN_ROLE:
                    yield from ((role, pid) for pid in ids)
        for session in self.content.sessions:
            if session.id not in seen_sessions:
                yield from _session_people(session)

    def person_entries(self, ids: list[str]) -> Iterator[d.PersonEntry]:
        shown = self.prints_pictures
        portraits = shown and any(p.portrait for p in map(self.content.people.get, ids) if p)
        for pid in ids:
            person = self.content.people[pid]
            yield d.PersonEntry(
                name=self.t(person.name),
                role=self.t(person.role),
                affiliation=self.org_name(person.affiliation) if person.affiliation else "",
                speaks_at=" · ".join(self.parts_of(pid)),
                loc=person.name.loc,
                short=self.org_short(person.affiliation) if person.affiliation else "",
                portrait=self.illustration(person.portrait, self.t(person.name)) if shown else None,
                portraits=portraits,
            )

    def org_short(self, org_id: str) -> str:
        """An organization's short name where it has one (compact lists), else its name."""
        org = self.content.organizations.get(org_id)
        return self.t(org.short) if org and org.short else self.org_name(org_id)

    def parts_of(self, pid: str) -> list[str]:
        """The titles of the items and sessions a person takes part in, in program order."""
        titles = []
        for session in self.content.sessions:
            if any(pid in ids for ids in session.people.values()):
                titles.append(self.t(session.title))
        for item in self.content.program:
            if pid in _speakers(item) or any(pid in ids for ids in item.people.values()):
                titles.append(self.t(item.title) or self.w(f"kind-{item.kind}"))
        return list(dict.fromkeys(titles))

    def sort_key(self, pid: str) -> str:
        """A person's place in an alphabetical list: the sort name, else the last name."""
        person = self.content.people[pid]
        name = str(person.sort_name or person.name.split()[-1] + " " + person.name)
        folded = unicodedata.normalize("NFKD", name.casefold())
        return "".join(c for c in folded if not unicodedata.combining(c))


def _speakers(item: ProgramItem) -> list[str]:
    """The item's speakers: `speaker`, then those its `people` name as speakers."""
    found = [item.speaker] if item.speaker else []
    return list(dict.fromkeys([*found, *item.people.get(MAIN_ROLE, ())]))


def _session_people(session: Session) -> Iterator[tuple[str, str]]:
    for role, ids in session.people.items():
        yield from ((role, pid) for pid in ids)
