"""Turn content and a layout into the limits it passes or fails before anything is composed.

Counting, not typesetting: the characters each page template would print, with every
reference counted where it prints (a source's publisher once on the sources page and once
under each fact that cites it; a speaker's name, role and organization under each of their
talks), are compared with what the layout's pages or panels can hold at its smallest type.
The capacity is generous (narrow letters, the whole text area, no headings or codes; for
panels, the smallest type at the smallest scale, and twice that), so what fails here could
never be set; what passes may still overflow, or pass the page limit, when it is set.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostics, Location
from ..read.layout import Layout
from ..read.model import ROLES, Content
from ..read.types import Ident, Text, Url
from ..read.urls import is_http

# What each page template prints, by part of the content; a template not listed here
# (a new one) is counted as printing the whole content.
PRINTS: dict[str, tuple[str, ...]] = {
    "cover": ("event",),
    "back-cover": ("event",),
    "masthead": ("event",),
    "credits": ("event",),
    "program": ("event", "days", "sessions", "program"),
    "speakers": ("people",),
    "sections": ("sections",),
    "facts": ("facts",),
    "sources": ("sources",),
}
WHOLE = ("event", "people", "days", "sessions", "program", "sections", "facts", "sources")
# A reference prints these fields of what it names, wherever it stands: a person in any
# role (speaker, chair, panelist ...) their name, role and organization.
_PERSON = ("people", ("name", "role", "affiliation"))
REFERENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    **{role: _PERSON for role in ROLES},
    "source": ("sources", ("publisher",)),
    "affiliation": ("organizations", ("name",)),
    "organizers": ("organizations", ("name",)),
    "partners": ("organizations", ("name",)),
}
EM_SHARE = 0.42  # the narrowest average letter, in ems: capacity is overstated, never under
_PARAGRAPH = re.compile(r"\n\s*\n")
PANEL_SLACK = 2.0  # a panel is refused only when its text is twice what it could hold


def max_pages() -> int:
    """The most pages one document may have (BOOKLET_MAX_PAGES overrides, e.g. for benchmarks)."""
    wanted = os.environ.get("BOOKLET_MAX_PAGES", "")
    return int(wanted) if wanted.isdigit() else 600


@dataclass
class Count:
    """Characters printed, and how often each text prints (a reference prints it again)."""

    chars: int = 0
    texts: dict[int, list] = dataclasses.field(default_factory=dict)  # id → [text, times, field]
    paragraphs: int = 0  # of prose (a `body`): each takes a line and the space after it

    def add(self, text: Text, field: str) -> None:
        self.chars += len(text)
        seen = self.texts.setdefault(id(text), [text, 0, field])
        seen[1] += 1
        if field.endswith(".body"):
            self.paragraphs += len(_PARAGRAPH.split(text.strip()))

    @property
    def top(self) -> tuple[Text | None, int, str]:
        """The text that prints the most characters, how often, and its field."""
        if not self.texts:
            return None, 0, ""
        text, times, field = max(self.texts.values(), key=lambda t: len(t[0]) * t[1])
        return text, times, field


def check_budget(content: Content, layout: Layout, name: str, diags: Diagnostics) -> None:
    """Refuse, before any work, a document whose text cannot fit: more pages than the limit,
    or a folded panel that could not hold its text at the smallest scale."""
    if layout.kind == "folded" and layout.panels is not None:
        scale = layout.fold.min_scale if layout.fold else 1.0
        panels = _panels(layout)
        capacity = 2 * page_capacity(layout, smallest=True) / len(panels) / scale**2
        for run in _runs(layout, panels):  # a run of panels the text flows through
            templates = [t for panel in run for t in panels[panel]]
            count = printed(content, templates)
            if count.chars > capacity * len(run) * PANEL_SLACK:
                where = "+".join(templates) + (" panel" if len(run) == 1 else " panels")
                _refuse_panel(count, capacity * len(run), where, name, diags)
        return
    if layout.kind == "card":
        _check_card(content, layout, name, diags)
        return
    count = printed(content, [page.template for page in layout.pages])
    body = layout.styles.body
    height = max(layout.trim.height - layout.margins.top - layout.margins.bottom, 1.0)
    per_page = max(int(height / max(body.leading + body.space_after, 1.0)), 1)
    pages = max(count.chars // max(page_capacity(layout), 1), count.paragraphs // per_page)
    if pages > max_pages():
        _refuse_pages(count, pages, name, diags)


def _check_card(content: Content, layout: Layout, name: str, diags: Diagnostics) -> None:
    """A card prints its invitation on every guest's card: text that could never fit one
    card is refused before the first of hundreds is set (the guest list's limit bounds how
    many are set)."""
    count = Count()
    _walk(getattr(content, "invitation", None), "invitation", {}, count)
    capacity = page_capacity(layout, smallest=True)
    if count.chars > capacity * PANEL_SLACK:
        _refuse_panel(count, capacity, "card", name, diags, "a card has room for a paragraph")


def check_addresses(content: Content, layout: Layout, name: str, diags: Diagnostics) -> None:
    """https only, unless the layout allows http: every address the layout prints (sources,
    the venue's map, the event's website, each guest's card)."""
    if layout.allow_http:
        return
    parts = dict.fromkeys(p for t in _templates(layout) for p in PRINTS.get(t, WHOLE))
    if layout.kind == "card":
        parts.update(dict.fromkeys(("event", "invitation")))
    for part in parts:
        for text, field, _ in _texts(getattr(content, part, None), part):
            if isinstance(text, Url) and is_http(text):
                diags.error(
                    "url",
                    text.loc,
                    field,
                    f"expected an address starting with https://, found http:// ({name} "
                    "prints https addresses only)",
                    "use the site's https:// address; if it has none, set `allow-http: true` "
                    "in the layout",
                )


def _panels(layout: Layout) -> dict[str, tuple[str, ...]]:
    """Each panel of a folded layout by name ("inside-2"), with the templates it carries."""
    assert layout.panels is not None
    return {
        f"{side}-{n}": templates
        for side in ("outside", "inside")
        for n, templates in enumerate(getattr(layout.panels, side), 1)
    }


def _runs(layout: Layout, panels: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """The panels that hold text together: the run the layout flows through, and each
    other panel alone."""
    flow = [name for name in getattr(layout.panels, "flow", ()) if name in panels]
    alone = [[name] for name in panels if name not in flow]
    return ([flow] if flow else []) + alone


def _templates(layout: Layout) -> list[str]:
    if layout.panels is not None:
        return [t for panel in (*layout.panels.outside, *layout.panels.inside) for t in panel]
    return [page.template for page in layout.pages]


def page_capacity(layout: Layout, smallest: bool = False) -> int:
    """The most characters a page's text area holds in the layout's running text (or, for
    panels that shrink to fit, in its smallest type)."""
    styles = [getattr(layout.styles, f.name) for f in dataclasses.fields(layout.styles)]
    styles = styles if smallest else [layout.styles.body]
    size = max(min(s.size for s in styles), 1.0)
    leading = max(min(s.leading for s in styles), 1.0)
    m = layout.margins
    width = max(layout.trim.width - m.inner - m.outer, 1.0)
    height = max(layout.trim.height - m.top - m.bottom, 1.0)
    return int(width / (size * EM_SHARE)) * int(height / leading + 1)


def printed(content: Content, templates: list[str] | tuple[str, ...]) -> Count:
    """What the templates print, references counted where they print."""
    parts = dict.fromkeys(p for t in templates for p in PRINTS.get(t, WHOLE))
    count = Count()
    tables = {target: _index(content, target) for target, _ in REFERENCES.values()}
    for part in parts:
        _walk(getattr(content, part, None), part, tables, count)
    return count


def _walk(value: Any, field: str, tables: dict[str, dict], count: Count) -> None:
    for text, path, reference in _texts(value, field):
        if reference is None:
            count.add(text, path)
            continue
        target, shown = REFERENCES[reference]
        entry = tables[target].get(text)
        for name in shown if entry is not None else ():
            _walk(getattr(entry, name, None), f"{target}[{text}].{name}", tables, count)


def _texts(value: Any, field: str) -> Iterator[tuple[Text, str, str | None]]:
    """Every text a value holds, with its field path and the reference it is (or None)."""
    name = field.rsplit(".", 1)[-1].split("[")[0]
    if isinstance(value, Ident):
        if name in REFERENCES:
            yield value, field, name
    elif isinstance(value, Text):
        yield value, field, None
    elif isinstance(value, tuple):
        for n, item in enumerate(value):
            sub = f"{field}[{getattr(item, 'id', n)}]"
            if isinstance(item, Ident) and name in REFERENCES:
                yield item, sub, name
            else:
                yield from _texts(item, sub)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, f"{field}.{key}")
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name), f"{field}.{f.name.replace('_', '-')}")


def _index(content: Content, target: str) -> dict[str, Any]:
    """A part's entries by id: people and organizations are mappings, sources a list."""
    table = getattr(content, target, None)
    if isinstance(table, Mapping):
        return dict(table)
    return {getattr(item, "id", None): item for item in table or ()}


def _where(count: Count) -> tuple[Location | None, str, str, str]:
    """Where the text that prints the most is, its field, how much of it, and a hint."""
    text, times, field = count.top
    if text is None:
        return None, "", "", ""
    if times > 1:
        each = f"{len(text):,} characters, printed {times:,} times"
        return text.loc, field, each, "shorten it, or cite it from fewer places"
    return text.loc, field, f"{len(text):,} characters", "shorten the text"


def _refuse_pages(count: Count, pages: int, name: str, diags: Diagnostics) -> None:
    loc, field, each, hint = _where(count)
    diags.error(
        "limit",
        loc,
        field,
        f"{name} would need at least {pages:,} pages for {count.chars:,} characters"
        + (f" in {count.paragraphs:,} paragraphs" if count.paragraphs > 1 else "")
        + f"; the limit is {max_pages():,} pages (the most of it is this text: {each})",
        f"{hint}, or split it into several documents",
    )


def _refuse_panel(
    count: Count,
    capacity: float,
    panel: str,
    name: str,
    diags: Diagnostics,
    room: str = "a folded leaflet has room for a few paragraphs a panel",
) -> None:
    loc, field, each, hint = _where(count)
    diags.error(
        "overflow",
        loc,
        field,
        f"the {panel} of {name} would print {count.chars:,} characters; "
        f"{'they hold' if panel.endswith('panels') else 'it holds'} at most about "
        f"{int(capacity):,} at the smallest scale (the most of it is this text: {each})",
        f"{hint}: {room}",
    )
