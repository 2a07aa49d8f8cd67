"""Turn converted content into the problems types cannot catch: unique ids, references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import Diagnostics, Location
from .model import ROLES
from .nodes import suggest

_NEEDS = {
    "speech": "speaker",
    "report": "speaker",
    "anthems": "anthems",
    "film": "title",
    "custom": "title",
}


def check_content(content: Any, diags: Diagnostics, refused: Any = None) -> None:
    """Check what types alone cannot: unique ids and references that point somewhere.

    `refused` holds, by part, the ids of entries already refused: a reference to one of
    those is not reported again."""
    for name in ("images", "days", "sessions", "program", "sections", "facts", "sources"):
        unique_ids(getattr(content, name), name, diags)
    unique_ids(content.event.sponsors, "event.sponsors", diags)
    refused = refused or {}
    orgs = _Known(content.organizations, refused.get("organizations", ()))
    people = _Known(content.people, refused.get("people", ()))
    sources = _Known({s.id for s in content.sources}, refused.get("sources", ()))
    for key in ("organizers", "partners"):
        for org in getattr(content.event, key):
            _ref(org, orgs, f"event.{key}", "organizations", content.event.title.loc, diags)
    for tier in content.event.sponsors:
        for org in tier.organizations:
            where = f"event.sponsors[{tier.id}].organizations"
            _ref(org, orgs, where, "organizations", tier.label.loc, diags)
    _check_dates(content, diags)
    check_image_refs(content, diags)
    check_schedule(content, diags, refused)
    for pid, person in content.people.items():
        if person.affiliation:
            _ref(
                person.affiliation,
                orgs,
                f"people.{pid}.affiliation",
                "organizations",
                person.name.loc,
                diags,
            )
    for item in content.program:
        loc = _item_loc(item)
        if item.speaker:
            _ref(item.speaker, people, f"program[{item.id}].speaker", "people", loc, diags)
        _check_people(item.people, f"program[{item.id}].people", loc, content, diags, people)
        need = _NEEDS.get(item.kind)
        if need == "speaker" and item.people.get("speaker"):
            continue
        if need and not getattr(item, need):
            diags.error(
                "missing", loc, f"program[{item.id}].{need}", f"a {item.kind} item needs '{need}'"
            )
    for fact in content.facts:
        if fact.source:
            _ref(fact.source, sources, f"facts[{fact.id}].source", "sources", fact.label.loc, diags)


def check_image_refs(content: Any, diags: Diagnostics) -> None:
    """Every image a part names is in `images`; each focus is a point of the picture."""
    images = {image.id: image for image in content.images}
    for image in content.images:
        if image.focus and (len(image.focus) != 2 or not all(0 <= v <= 1 for v in image.focus)):
            diags.error(
                "type",
                image.file.loc,
                f"images[{image.id}].focus",
                f"expected [x, y] with each between 0 and 1, found {list(image.focus)}",
                "[0.5, 0.5] is the middle; [0.5, 0.25] halfway between the middle and the top",
            )
    for field, ident, loc in _image_uses(content):
        _ref(ident, images, field, "images", loc, diags)


def _image_uses(content: Any) -> Iterator[tuple[str, Any, Any]]:
    """(field, image id, location) for every place the content names an image."""
    event = content.event
    if event.venue_map:
        yield "event.venue-map", event.venue_map, event.title.loc
    if event.cover_photo:
        yield "event.cover-photo", event.cover_photo, event.title.loc
    for oid, org in content.organizations.items():
        if org.logo:
            yield f"organizations.{oid}.logo", org.logo, org.name.loc
    for pid, person in content.people.items():
        if person.portrait:
            yield f"people.{pid}.portrait", person.portrait, person.name.loc
    for item in content.program:
        yield from ((f"program[{item.id}].photos", i, item.id.loc) for i in item.photos)
    for section in content.sections:
        path = f"sections[{section.id}]"
        yield from ((f"{path}.figures", i, section.title.loc) for i in section.figures)
        if section.photo is not None:
            yield f"{path}.photo", section.photo.image, section.title.loc


def _check_people(
    by_role: Any,
    path: str,
    loc: Location | None,
    content: Any,
    diags: Diagnostics,
    people: Any = None,
) -> None:
    """Each role is one we know or one the content names in `roles`; each person exists."""
    roles = (*ROLES, *content.roles)
    for role, ids in by_role.items():
        if role not in roles:
            hint = suggest(role, list(roles)) or f"add '{role}' to roles, with its label"
            diags.error(
                "reference", role.loc or loc, f"{path}.{role}", f"unknown role '{role}'", hint
            )
        for pid in ids:
            _ref(pid, people or content.people, f"{path}.{role}", "people", loc, diags)


def _check_dates(content: Any, diags: Diagnostics) -> None:
    event = content.event
    if event.end_date and event.date and event.end_date < event.date:
        diags.error(
            "type",
            event.title.loc,
            "event.end-date",
            f"the last day {event.end_date} is before the first {event.date}",
            "end-date is the event's last day; date its first",
        )


def check_schedule(content: Any, diags: Diagnostics, refused: Any = None) -> None:
    """Sessions name a day when there are several; items name a session or a day."""
    refused = refused or {}
    days = _Known({d.id: d for d in content.days}, refused.get("days", ()))
    sessions = _Known({s.id: s for s in content.sessions}, refused.get("sessions", ()))
    people = _Known(content.people, refused.get("people", ()))
    for session in content.sessions:
        path = f"sessions[{session.id}]"
        where = session.title.loc
        _check_people(session.people, f"{path}.people", where, content, diags, people)
        if session.day:
            _ref(session.day, days, f"{path}.day", "days", session.title.loc, diags)
        elif len(days) > 1:
            diags.error(
                "missing",
                session.title.loc,
                f"{path}.day",
                "a session needs its day",
                f"the event has {len(days)} days: name one of {', '.join(days)}",
            )
    for item in content.program:
        path, loc = f"program[{item.id}]", _item_loc(item) or item.id.loc
        if item.session:
            _ref(item.session, sessions, f"{path}.session", "sessions", loc, diags)
        if item.day:
            _ref(item.day, days, f"{path}.day", "days", loc, diags)
        if not item.session and not item.day and len(days) > 1:
            diags.error(
                "missing",
                loc,
                f"{path}.day",
                "an item of an event of several days needs its session or its day",
                "add session: <id> or day: <id>",
            )


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_loc(item: Any) -> Location | None:
    for name in ("title", "description", "note", "place"):
        value = getattr(item, name)
        if value is not None:
            return value.loc
    return getattr(item.id, "loc", None)  # an item with nothing but its id and kind


def unique_ids(items: tuple, name: str, diags: Diagnostics) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            diags.error(
                "duplicate-id",
                item.id.loc,
                f"{name}[{item.id}].id",
                f"id '{item.id}' is used twice",
            )
        seen.add(item.id)


class _Known:
    """The ids a part holds, and those of its entries that were refused (and reported)."""

    def __init__(self, ids: Any, refused: Any):
        self.ids, self.refused = ids, refused

    def __contains__(self, key: object) -> bool:
        return key in self.ids or key in self.refused

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _ref(
    key: str, table: Any, field: str, where: str, loc: Location | None, diags: Diagnostics
) -> None:
    loc = getattr(key, "loc", None) or loc
    if key not in table:
        hint = suggest(key, list(table)) or f"add '{key}' to {where}"
        diags.error("reference", loc, field, f"'{key}' is not in {where}", hint)
