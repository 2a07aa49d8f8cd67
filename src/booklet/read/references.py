"""Turn converted content into the problems types cannot catch: unique ids, references."""

from __future__ import annotations

from typing import Any

from ..errors import Diagnostics, Location
from .nodes import suggest
from .schema import URL_PATTERN
from .types import Text

_NEEDS = {
    "speech": "speaker",
    "report": "speaker",
    "anthems": "anthems",
    "film": "title",
    "custom": "title",
}


def check_content(content: Any, diags: Diagnostics) -> None:
    """Check what types alone cannot: unique ids and references that point somewhere."""
    for name in ("program", "sections", "facts", "sources"):
        unique_ids(getattr(content, name), name, diags)
    orgs, people = content.organizations, content.people
    sources = {s.id for s in content.sources}
    for key in ("organizers", "partners"):
        for org in getattr(content.event, key):
            _ref(org, orgs, f"event.{key}", "organizations", content.event.title.loc, diags)
    for pid, person in people.items():
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
        need = _NEEDS.get(item.kind)
        if need and not getattr(item, need):
            diags.error(
                "missing", loc, f"program[{item.id}].{need}", f"a {item.kind} item needs '{need}'"
            )
    if content.invitation is not None:
        _check_invitation_url(content.invitation.url, diags)
    for fact in content.facts:
        if fact.source:
            _ref(fact.source, sources, f"facts[{fact.id}].source", "sources", fact.label.loc, diags)


def _check_invitation_url(url: Text, diags: Diagnostics) -> None:
    """The guest URL template must give an http(s) address short enough for a QR code."""
    sample = str(url).replace("{guest}", "guest-id")
    if len(url) > 400 or not URL_PATTERN.match(sample):
        diags.error(
            "type",
            url.loc,
            "invitation.url",
            "expected an address starting with https:// (at most 400 characters), "
            f"found {_shorten(str(url))!r}",
            "for example https://example.org/rsvp/{guest}",
        )


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_loc(item: Any) -> Location | None:
    for name in ("title", "description", "note", "place"):
        value = getattr(item, name)
        if value is not None:
            return value.loc
    return None


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


def _ref(
    key: str, table: Any, field: str, where: str, loc: Location | None, diags: Diagnostics
) -> None:
    loc = getattr(key, "loc", None) or loc
    if key not in table:
        hint = suggest(key, list(table)) or f"add '{key}' to {where}"
        diags.error("reference", loc, field, f"'{key}' is not in {where}", hint)
