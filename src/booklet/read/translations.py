"""Turn a base file and its translations into what translators need: missing, stale, unused text.

Every translatable string has a path: `event.title`, `people.aliyev.role`,
`program[film].title`. A translation file may end with `source-hashes:`, a map
from path to a short hash of the source text it was translated from; when the
source changes, the hash no longer matches and the translation is stale.
`booklet i18n --accept LANG` records the current hashes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml

from ..errors import Diagnostics, Location, display_path
from .model import Content
from .nodes import Node, load_yaml
from .types import Figure

HASHES = "source-hashes"


def text_hash(text: str) -> str:
    """A short, stable hash of a source string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Leaf:
    path: str
    text: str
    loc: Location
    items: tuple[str, ...] | None = None  # a list of strings (anthems), kept as a list


@dataclass
class Status:
    """One language's translation compared with the base file."""

    lang: str
    file: str
    missing: list[Leaf] = field(default_factory=list)  # base leaves with no translation
    stale: list[Leaf] = field(default_factory=list)  # translated from an older source text
    unused: list[Leaf] = field(default_factory=list)  # translated paths the base lacks
    unverified: bool = False  # the file records no source hashes at all

    def as_dict(self) -> dict[str, Any]:
        def rows(leaves: list[Leaf]) -> list[dict[str, Any]]:
            return [{"path": x.path, "line": x.loc.line, "text": x.text} for x in leaves]

        return {
            "language": self.lang,
            "file": self.file,
            "missing": rows(self.missing),
            "stale": rows(self.stale),
            "unused": rows(self.unused),
            "unverified": self.unverified,
        }


def leaves(node: Node, typ: Any = Content, path: str = "") -> Iterator[Leaf]:
    """The translatable strings of a base tree, by their paths."""
    if not (node.is_map and dataclasses.is_dataclass(typ)):
        return
    hints = typing.get_type_hints(typ)
    for fl in dataclasses.fields(typ):
        key = fl.name.replace("_", "-")
        child = node.value.get(key)  # type: ignore[union-attr]
        if child is None or child.is_null or key == "language":
            continue
        sub = f"{path}.{key}" if path else key
        yield from _field_leaves(child, hints[fl.name], sub, bool(fl.metadata.get("tr")))


def _field_leaves(node: Node, typ: Any, path: str, tr: bool) -> Iterator[Leaf]:
    inner = _unwrap(typ)
    origin = get_origin(inner)
    if dataclasses.is_dataclass(inner):
        yield from leaves(node, inner, path)
    elif origin in (Mapping, dict) and node.is_map:
        for key, value in node.value.items():  # type: ignore[union-attr]
            yield from leaves(value, get_args(inner)[1], f"{path}.{key}")
    elif origin is tuple and dataclasses.is_dataclass(get_args(inner)[0]) and node.is_seq:
        for item in node.value:  # type: ignore[union-attr]
            ident = item.value.get("id") if item.is_map else None  # type: ignore[union-attr]
            if ident is not None and ident.is_scalar:
                yield from leaves(item, get_args(inner)[0], f"{path}[{ident.value}]")
    elif tr and node.is_scalar and not _needs_none(inner, str(node.value)):
        yield Leaf(path, str(node.value), node.loc)
    elif tr and node.is_seq and all(i.is_scalar for i in node.value):  # type: ignore[union-attr]
        items = tuple(str(i.value) for i in node.value)  # type: ignore[union-attr]
        yield Leaf(path, " | ".join(items), node.loc, items)


def _needs_none(typ: Any, value: str) -> bool:
    """A figure of digits alone is printed in each language's own digits: nothing to translate."""
    return typ is Figure and value.isascii() and value.isdigit()


def _unwrap(typ: Any) -> Any:
    args = [a for a in get_args(typ) if a is not type(None)]
    return args[0] if get_origin(typ) in (typing.Union, types.UnionType) else typ


# The lists whose items a translation names by id: `program: {film: {title: ...}}`.
ID_LISTS = ("days", "sessions", "program", "sections", "facts", "sources", "event.sponsors")


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
    elif node.is_seq and all(i.is_scalar for i in node.value):  # type: ignore[union-attr]
        items = tuple(str(i.value) for i in node.value)  # type: ignore[union-attr]
        yield Leaf(path, " | ".join(items), node.loc, items)


def recorded_hashes(node: Node) -> dict[str, str] | None:
    """The `source-hashes` map of a translation file, or None when it has none."""
    block = node.value.get(HASHES) if node.is_map else None  # type: ignore[union-attr]
    if block is None or not block.is_map:
        return None
    return {k: str(v.value) for k, v in block.value.items() if v.is_scalar}  # type: ignore[union-attr]


def status(event_dir: Path, lang: str) -> Status:
    """Compare one translation file with the base file."""
    base = load_yaml(event_dir / "event.yaml")
    path = event_dir / f"event.{lang}.yaml"
    result = Status(lang, display_path(path))
    source = {leaf.path: leaf for leaf in leaves(base)}
    if not path.is_file():
        result.missing = list(source.values())
        return result
    tr = load_yaml(path)
    hashes = recorded_hashes(tr)
    result.unverified = hashes is None
    done = {leaf.path: leaf for leaf in translated(tr)}
    result.missing = [leaf for p, leaf in source.items() if p not in done]
    result.unused = [leaf for p, leaf in done.items() if p not in source]
    if hashes is not None:
        result.stale = [
            leaf
            for p, leaf in done.items()
            if p in source and hashes.get(p) != text_hash(source[p].text)
        ]
    return result


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
    for leaf in found.stale:
        diags.warn(
            "i18n-stale",
            leaf.loc,
            leaf.path,
            "the source text changed since this was translated",
            f"update it, then run: booklet i18n --accept {lang}",
        )


def accept(event_dir: Path, lang: str) -> int:
    """Record the current source hashes of every translated string; returns how many."""
    path = event_dir / f"event.{lang}.yaml"
    base = {leaf.path: leaf for leaf in leaves(load_yaml(event_dir / "event.yaml"))}
    done = [leaf.path for leaf in translated(load_yaml(path)) if leaf.path in base]
    hashes = {p: text_hash(base[p].text) for p in sorted(done)}
    text = path.read_text(encoding="utf-8")
    head = text.split(f"\n{HASHES}:", 1)[0].split(f"\n{NOTE}", 1)[0].rstrip("\n")
    block = yaml.safe_dump({HASHES: hashes}, allow_unicode=True, sort_keys=False, width=200)
    staged = path.with_name(f".{path.name}.tmp")
    staged.write_text(head + "\n\n" + NOTE + "\n" + block, encoding="utf-8")
    os.replace(staged, path)  # the translator's file is never left half written
    return len(hashes)


NOTE = "# Written by `booklet i18n --accept`: which source text each string was made from."


def template(event_dir: Path, lang: str) -> str:
    """A translator's file: every source string as a comment beside its current translation."""
    base = list(leaves(load_yaml(event_dir / "event.yaml")))
    path = event_dir / f"event.{lang}.yaml"
    done = {x.path: x for x in translated(load_yaml(path))} if path.is_file() else {}
    lines = [
        f"# {lang} translation of event.yaml. Fill in the empty strings; leave a string empty",
        "# to print the source text. Then run: booklet i18n --accept " + lang,
        f"language: {lang}",
    ]
    opened: list[str] = []
    for leaf in base:
        parts = _split(leaf.path)
        keep = _shared(opened, parts[:-1])
        lines += [
            "  " * depth + f"{part}:" for depth, part in enumerate(parts[:-1]) if depth >= keep
        ]
        opened = parts[:-1]
        indent = "  " * (len(parts) - 1)
        lines += [f"{indent}# {line}" for line in leaf.text.splitlines() or [""]]
        lines.append(f"{indent}{parts[-1]}: {_value(leaf, done.get(leaf.path))}")
    return "\n".join(lines) + "\n"


def _shared(a: list[str], b: list[str]) -> int:
    """How many leading parts two key paths have in common."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _value(source: Leaf, translation: Leaf | None) -> str:
    """The translation as YAML: a string, or a flow list for lists (empty: not yet done)."""
    if source.items is not None:
        items = list(translation.items or ()) if translation else []
        return yaml.safe_dump(
            items, allow_unicode=True, default_flow_style=True, width=10_000
        ).strip()
    return _quote(translation.text if translation else "")


def _split(path: str) -> list[str]:
    return [p for p in path.replace("[", ".").replace("]", "").split(".") if p]


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()
