"""Turn a base file and its translations into what translators need: missing, stale, unused text.

Every translatable string has a path: `event.title`, `people.aliyev.role`,
`program[film].title`. A translation file records, in `source-hashes:`, which
source text each string was made from (see translation_record.py); when the
printed source changes, the translation is stale. Names (`tr="optional"` in the
model) and strings the base file marks `translate: false` need no translation:
they print as written and are never reported missing.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from ..errors import Diagnostics, Location, display_path
from .model import Content
from .nodes import Node, load_yaml
from .translation_record import (
    HASHES,
    Recorded,
    made_from,
    normalise,
    normalise_items,
    recorded_hashes,
    source_texts,
    text_hash,
)
from .types import Figure

MARKER = "translate"  # `translate: false` in the base file: this item needs no translation


@dataclass(frozen=True)
class Leaf:
    """One translatable string (or list of strings) at its path."""

    path: str
    text: str
    loc: Location
    items: tuple[str, ...] | None = None  # a list of strings (anthems), kept as a list
    prose: bool = False  # paragraphs: a line break inside one prints as a space
    needed: bool = True  # False: a name, or marked `translate: false`
    marked: bool = False  # marked `translate: false` in the base file: not for translators
    doc: str = ""  # what the field is, for the translator

    @property
    def normal(self) -> str:
        if self.items is not None:
            return normalise_items(self.items)
        return normalise(self.text, self.prose)

    @property
    def hash(self) -> str:
        return text_hash(self.normal)


@dataclass(frozen=True)
class Stale:
    """A translation made from another source text than the current one."""

    translation: Leaf
    source: Leaf  # the current source text
    before: str | None  # the source text it was made from, when the event kept it
    recorded: bool = True  # False: the file records no source for this string at all

    @property
    def path(self) -> str:
        return self.translation.path

    @property
    def loc(self) -> Location:
        return self.translation.loc


@dataclass
class Status:
    """One language's translation compared with the base file."""

    lang: str
    file: str
    missing: list[Leaf] = field(default_factory=list)  # needed base leaves with no translation
    stale: list[Stale] = field(default_factory=list)  # translated from an older source text
    unused: list[Leaf] = field(default_factory=list)  # translated paths the base lacks
    unverified: bool = False  # the file records no source hashes at all

    def as_dict(self) -> dict[str, Any]:
        def rows(leaves: list[Leaf]) -> list[dict[str, Any]]:
            return [{"path": x.path, "line": x.loc.line, "text": x.text} for x in leaves]

        stale = [
            {**rows([s.translation])[0], "source": s.source.text, "previous-source": s.before}
            for s in self.stale
        ]
        return {
            "language": self.lang,
            "file": self.file,
            "missing": rows(self.missing),
            "stale": stale,
            "unused": rows(self.unused),
            "unverified": self.unverified,
        }


def leaves(node: Node, typ: Any = Content, path: str = "", needed: bool = True) -> Iterator[Leaf]:
    """The translatable strings of a base tree, by their paths."""
    if not (node.is_map and dataclasses.is_dataclass(typ)):
        return
    hints = typing.get_type_hints(typ)
    marker = node.value.get(MARKER)  # type: ignore[union-attr]
    for fl in dataclasses.fields(typ):
        key = fl.name.replace("_", "-")
        child = node.value.get(key)  # type: ignore[union-attr]
        if child is None or child.is_null or key == "language":
            continue
        sub = f"{path}.{key}" if path else key
        wanted = needed and not _marked_off(marker, key)
        for leaf in _field_leaves(child, hints[fl.name], sub, fl, wanted):
            if leaf.prose and _is_true(node.value.get("verse")):  # type: ignore[union-attr]
                leaf = dataclasses.replace(leaf, prose=False)  # a poem keeps its lines
            yield dataclasses.replace(leaf, marked=True) if not wanted else leaf


def _is_true(node: Node | None) -> bool:
    return node is not None and node.is_scalar and node.value == "true"


def _marked_off(marker: Node | None, key: str) -> bool:
    """Whether `translate:` says this field needs no translation (false, or {key: false})."""
    if marker is None:
        return False
    if marker.is_scalar:
        return marker.value == "false"
    own = marker.value.get(key) if marker.is_map else None  # type: ignore[union-attr]
    return own is not None and own.is_scalar and own.value == "false"


def _field_leaves(
    node: Node, typ: Any, path: str, fl: dataclasses.Field, needed: bool
) -> Iterator[Leaf]:
    inner = _unwrap(typ)
    origin = get_origin(inner)
    tr, prose, doc = fl.metadata.get("tr"), bool(fl.metadata.get("prose")), fl.metadata["doc"]
    if dataclasses.is_dataclass(inner):
        yield from leaves(node, inner, path, needed)
    elif origin in (Mapping, dict) and node.is_map and dataclasses.is_dataclass(get_args(inner)[1]):
        for key, value in node.value.items():  # type: ignore[union-attr]
            yield from leaves(value, get_args(inner)[1], f"{path}.{key}", needed)
    elif origin is tuple and dataclasses.is_dataclass(get_args(inner)[0]) and node.is_seq:
        for item in node.value:  # type: ignore[union-attr]
            ident = item.value.get("id") if item.is_map else None  # type: ignore[union-attr]
            if ident is not None and ident.is_scalar:
                yield from leaves(item, get_args(inner)[0], f"{path}[{ident.value}]", needed)
    elif tr and origin in (Mapping, dict) and node.is_map:  # labels by name: roles
        for key, value in node.value.items():  # type: ignore[union-attr]
            if value.is_scalar and not value.is_null:
                yield Leaf(
                    f"{path}.{key}", str(value.value), value.loc, None, prose, needed, doc=doc
                )
    elif tr and node.is_scalar and not _needs_none(inner, str(node.value)):
        yield Leaf(path, str(node.value), node.loc, None, prose, needed and tr is True, doc=doc)
    elif tr and node.is_seq and all(i.is_scalar for i in node.value):  # type: ignore[union-attr]
        items = tuple(str(i.value) for i in node.value)  # type: ignore[union-attr]
        yield Leaf(path, " | ".join(items), node.loc, items, prose, needed and tr is True, doc=doc)


def _needs_none(typ: Any, value: str) -> bool:
    """A figure of digits alone is printed in each language's own digits: nothing to translate."""
    return typ is Figure and value.isascii() and value.isdigit()


def _unwrap(typ: Any) -> Any:
    args = [a for a in get_args(typ) if a is not type(None)]
    return args[0] if get_origin(typ) in (typing.Union, types.UnionType) else typ


# The lists whose items a translation names by id: `program: {film: {title: ...}}`.
ID_LISTS = (
    "images",
    "days",
    "sessions",
    "program",
    "sections",
    "facts",
    "sources",
    "event.sponsors",
)


def translated(node: Node, path: str = "") -> Iterator[Leaf]:
    """The strings of a translation file, by the same paths (items keyed by id)."""
    if node.is_map:
        for key, value in node.value.items():  # type: ignore[union-attr]
            if not path and key in ("language", HASHES):
                continue
            bracket = path in ID_LISTS
            sub = f"{path}[{key}]" if bracket else (f"{path}.{key}" if path else key)
            yield from translated(value, sub)
    elif node.is_scalar and str(node.value).strip():
        yield Leaf(path, str(node.value), node.loc)
    elif node.is_seq and node.value and all(i.is_scalar for i in node.value):  # type: ignore[union-attr]
        items = tuple(str(i.value) for i in node.value)  # type: ignore[union-attr]
        yield Leaf(path, " | ".join(items), node.loc, items)


def base_leaves(event_dir: Path) -> dict[str, Leaf]:
    """The base file's translatable strings by path, in the file's order."""
    return {leaf.path: leaf for leaf in leaves(load_yaml(event_dir / "event.yaml"))}


def status(event_dir: Path, lang: str) -> Status:
    """Compare one translation file with the base file."""
    path = event_dir / f"event.{lang}.yaml"
    result = Status(lang, display_path(path))
    source = base_leaves(event_dir)
    if not path.is_file():
        result.missing = [leaf for leaf in source.values() if leaf.needed]
        return result
    tr = load_yaml(path)
    hashes = recorded_hashes(tr)
    result.unverified = hashes is None
    done = {leaf.path: leaf for leaf in translated(tr)}
    result.missing = [leaf for p, leaf in source.items() if p not in done and leaf.needed]
    result.unused = [leaf for p, leaf in done.items() if p not in source]
    if hashes is not None:
        result.stale = stale(done, source, hashes, event_dir)
    return result


@dataclass
class Work:
    """What a translator of one language works from: the source strings, the translations
    done, their recorded hashes, and the stale ones by path."""

    source: dict[str, Leaf]
    done: dict[str, Leaf]
    hashes: dict | None
    old: dict[str, Stale]


def work(event_dir: Path, lang: str) -> Work:
    """The base file's strings and the translation file's, compared."""
    source = base_leaves(event_dir)
    path = event_dir / f"event.{lang}.yaml"
    node = load_yaml(path) if path.is_file() else None
    done = {x.path: x for x in translated(node)} if node is not None else {}
    hashes = recorded_hashes(node) if node is not None else None
    old = {s.path: s for s in stale(done, source, hashes, event_dir)} if hashes else {}
    return Work(source, done, hashes, old)


def stale(
    done: dict[str, Leaf], source: dict[str, Leaf], hashes: dict[str, Recorded], event_dir: Path
) -> list[Stale]:
    """The translations whose source text is not the one they were made from."""
    found = [
        (leaf, source[p], hashes.get(p))
        for p, leaf in done.items()
        if p in source and not made_from(hashes.get(p), source[p].normal, source[p].text)
    ]
    texts = source_texts(event_dir) if found else {}
    return [
        Stale(leaf, now, texts.get(rec.source) if rec else None, rec is not None)
        for leaf, now, rec in found
    ]


def warn(event_dir: Path, lang: str, base_lang: str, diags: Diagnostics) -> None:
    """Build warnings: missing strings fall back to the base language; stale ones are flagged."""
    found = status(event_dir, lang)
    for leaf in found.missing:
        diags.warn(
            "i18n-missing",
            leaf.loc,
            leaf.path,
            f"no {lang} translation; printed in {base_lang}",
            f"add it to {found.file}",
        )
    for entry in found.stale:
        diags.warn(
            "i18n-stale",
            entry.loc,
            entry.path,
            "the source text changed since this was translated" + was(entry),
            f"update it, then run: booklet i18n --accept {lang}",
        )


def was(entry: Stale, width: int = 60) -> str:
    """', from "old" to "new"' when the old source text is known."""
    if not entry.recorded:
        return " (no record of the source text it was made from)"
    if entry.before is None:
        return ""
    return f': was "{_short(entry.before, width)}", now "{_short(entry.source.normal, width)}"'


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
