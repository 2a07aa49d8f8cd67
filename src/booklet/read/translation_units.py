"""Turn a translation into units for translators' tools, and units brought back into edits.

A unit is one string as a PO entry or an XLIFF unit carries it: its path, the
source as it prints, the translation, its state and notes for the translator.
A list of texts (anthems) becomes one unit per entry, `path[1]`, `path[2]`.
Bringing units back changes only the strings whose printed text changed, and
records the source each was translated from: the one the file showed the
translator, so a source changed since the export stays stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import Location
from .nodes import load_yaml
from .translation_files import Change, save, translation_hash
from .translation_record import Recorded, normalise, normalise_items, recorded_hashes, text_hash
from .translations import Leaf, base_leaves, translated, work

State = Literal["new", "translated", "stale"]
_ENTRY = re.compile(r"^(.*)\[(\d+)\]$")


@dataclass(frozen=True)
class Unit:
    path: str
    source: str  # as it prints: spaces folded, prose lines joined
    target: str  # the translation, likewise ("" when there is none)
    state: State
    loc: Location  # of the source text
    previous: str | None = None  # the source a stale translation was made from
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brought:
    """A unit as it comes back from the translator's tool."""

    path: str
    source: str  # the source text the file showed
    target: str
    done: bool  # not fuzzy / a final state: the translator stands by it
    items: tuple[str, ...] | None = None  # a list's entries, joined from `path[n]` units
    source_items: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What an import did."""

    changed: list[str] = field(default_factory=list)
    recorded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def units(event_dir: Path, lang: str, limits: dict[str, str] | None = None) -> list[Unit]:
    """Every string a translator of `lang` may work on, in the base file's order."""
    state = work(event_dir, lang)
    source, done, old = state.source, state.done, state.old
    found: list[Unit] = []
    for leaf in source.values():
        if leaf.marked and leaf.path not in done:
            continue  # the base file says it needs no translation
        mine, was = done.get(leaf.path), old.get(leaf.path)
        state: State = "new" if mine is None else "stale" if was else "translated"
        notes = _notes(leaf, (limits or {}).get(leaf.path))
        previous = was.before if was else None
        found += _split(leaf, mine, state, previous, notes)
    return found


def _split(leaf: Leaf, mine: Leaf | None, state: State, previous, notes) -> list[Unit]:
    if leaf.items is None:
        target = normalise(mine.text, leaf.prose) if mine else ""
        return [Unit(leaf.path, leaf.normal, target, state, leaf.loc, previous, notes)]
    theirs = mine.items or () if mine else ()
    old = previous.split(" | ") if previous else []
    count = len(leaf.items)
    return [
        Unit(
            f"{leaf.path}[{n + 1}]",
            normalise(item),
            normalise(theirs[n]) if n < len(theirs) else "",
            state,
            leaf.loc,
            old[n] if n < len(old) else None,
            (*notes, f"Entry {n + 1} of {count} of a list: translate every entry."),
        )
        for n, item in enumerate(leaf.items)
    ]


def _notes(leaf: Leaf, limit: str | None) -> tuple[str, ...]:
    notes = [leaf.doc]
    if not leaf.needed:
        notes.append("A name: translate it only if your language writes it otherwise.")
    if leaf.prose:
        notes.append("Paragraphs are separated by a blank line.")
    if "{{" in leaf.text:
        notes.append("Keep each {{ ... }} as it is: booklet fills it in.")
    if "*" in leaf.text:
        notes.append("**bold** and *italic*: keep the marks around the same words.")
    if limit:
        notes.append(limit)
    return tuple(n for n in notes if n)


def bring_back(event_dir: Path, lang: str, brought: list[Brought]) -> Outcome:
    """Write the translations that changed into event.LANG.yaml, and their sources."""
    source = base_leaves(event_dir)
    path = event_dir / f"event.{lang}.yaml"
    node = load_yaml(path) if path.is_file() else None
    done = {x.path: x for x in translated(node)} if node is not None else {}
    record = dict(recorded_hashes(node) or {}) if node is not None else {}
    outcome, changes, texts = Outcome(), [], {}
    for unit in _joined(brought, source, outcome):
        now = source[unit.path]
        mine = translation_hash(unit.target, unit.items, now)
        theirs = done.get(unit.path)
        if theirs is None or translation_hash(theirs.text, theirs.items, now) != mine:
            changes.append(Change(unit.path, unit.target.strip(), unit.items))
            outcome.changed.append(unit.path)
        if unit.done:
            normal = (
                normalise_items(unit.source_items)
                if unit.items is not None
                else normalise(unit.source, now.prose)
            )
            record[unit.path] = Recorded(text_hash(normal), mine)
            texts[text_hash(normal)] = normal
            outcome.recorded += 1
    if changes or texts:
        save(event_dir, lang, changes, record, texts)
    return outcome


def _joined(brought: list[Brought], source: dict[str, Leaf], outcome: Outcome) -> list[Brought]:
    """Units by path, the entries of a list (`path[1]`, `path[2]`) joined into one."""
    lists: dict[str, dict[int, Brought]] = {}
    found = []
    for unit in brought:
        entry = _ENTRY.match(unit.path)
        if entry and entry.group(1) in source and source[entry.group(1)].items is not None:
            lists.setdefault(entry.group(1), {})[int(entry.group(2))] = unit
        elif unit.path not in source or source[unit.path].items is not None:
            outcome.skipped.append((unit.path, "no such string in event.yaml"))
        elif unit.target.strip():
            found.append(unit)
    for path, entries in lists.items():
        count = len(source[path].items or ())
        parts = [entries.get(n) for n in range(1, count + 1)]
        if any(p is None or not p.target.strip() for p in parts):
            if any(p is not None and p.target.strip() for p in parts):
                outcome.skipped.append((path, f"a list: translate all {count} entries"))
            continue
        items = tuple(p.target.strip() for p in parts)  # type: ignore[union-attr]
        sources = tuple(p.source for p in parts)  # type: ignore[union-attr]
        done = all(p.done for p in parts)  # type: ignore[union-attr]
        found.append(Brought(path, " | ".join(sources), " | ".join(items), done, items, sources))
    order = list(source)
    return sorted(found, key=lambda u: order.index(u.path))
