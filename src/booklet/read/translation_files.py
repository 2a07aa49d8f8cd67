"""Turn accepted and imported translations into the translation file, written atomically.

`save()` edits the file's text in place (yaml_edits.py), rewrites only its
`source-hashes` block, checks by reading the result back that exactly the
intended strings changed, keeps the source texts in `translated-from.yaml`, and
replaces the file in one step. `accept()` is `booklet i18n --accept`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Location, display_path, fail
from .nodes import parse_text, read_text
from .translation_record import (
    HASHES,
    RECORD_NOTE,
    Recorded,
    dump_yaml,
    keep_source_texts,
    made_from,
    normalise,
    normalise_items,
    recorded_hashes,
    text_hash,
    write_atomically,
)
from .translations import Leaf, Stale, base_leaves, translated
from .yaml_edits import (
    Entry,
    entries,
    flow_nested,
    key_path,
    nested,
    scalar,
    sequence,
    without_record,
)


@dataclass(frozen=True)
class Change:
    """A new translation for one path: a text, or a list of texts."""

    path: str
    text: str
    items: tuple[str, ...] | None = None


def translation_hash(text: str, items: tuple[str, ...] | None, source: Leaf) -> str:
    """The hash a record keeps of a translation: its printed text."""
    if items is not None:
        return text_hash(normalise_items(items))
    return text_hash(normalise(text, source.prose))


def save(
    event_dir: Path,
    lang: str,
    changes: list[Change],
    record: dict[str, Recorded],
    texts: dict[str, str],
) -> None:
    """Write the translation file with `changes` made and `record` as its source hashes."""
    path = event_dir / f"event.{lang}.yaml"
    shown = display_path(path)
    old = read_text(path, shown) if path.is_file() else f"language: {lang}\n"
    source = base_leaves(event_dir)
    body = apply(without_record(old), changes, source, shown)
    block = dump_yaml({HASHES: {p: str(record[p]) for p in source if p in record}})
    new = body + ("\n" + RECORD_NOTE + block if record else "")
    _check(old, new, changes, source, shown)
    if texts:
        keep_source_texts(event_dir, texts)
    write_atomically(path, new)


def _check(old: str, new: str, changes: list[Change], source: dict[str, Leaf], shown: str):
    """Read the new text back: exactly the changed strings differ, or nothing is written."""
    before = {x.path: x for x in translated(parse_text(old, shown))}
    after = {x.path: x for x in translated(parse_text(new, shown))}
    wanted = {c.path: c for c in changes}
    for path in before.keys() | after.keys() | wanted.keys():
        if path in wanted:
            ok = path in after and _same(after[path], wanted[path], source.get(path))
        else:
            ok = (before.get(path) and before[path].text) == (after.get(path) and after[path].text)
        if not ok:
            raise fail(
                "i18n-edit",
                Location(shown),
                path,
                "could not write this string into the file without changing others",
                "nothing was written; put the string in by hand, or report the file",
            )


def _same(leaf: Leaf, change: Change, source: Leaf | None) -> bool:
    if change.items is not None:
        return leaf.items == change.items
    prose = source is not None and source.prose
    return normalise(leaf.text, prose) == normalise(change.text, prose)


def apply(text: str, changes: list[Change], source: dict[str, Leaf], shown: str) -> str:
    """The file's text with each change made where it belongs (from the end backwards)."""
    try:
        found = entries(text)
    except yaml.MarkedYAMLError as exc:  # the editor reads with the pure-Python parser
        mark = exc.problem_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        hint = 'quote the text on this line, e.g. {title: "Why?"}'
        raise fail(
            "yaml", where, "", f"cannot edit this file in place: {exc.problem}", hint
        ) from None
    order = {key_path(p): n for n, p in enumerate(source)}
    edits: list[tuple[int, int, int, str]] = []  # (start, end, rank, new text)
    missing: dict[tuple[str, ...], dict] = {}
    for change in changes:
        keys = key_path(change.path)
        prose = change.path in source and source[change.path].prose
        if keys in found:
            edits.append(_replace(text, found[keys], change, prose, shown))
        else:
            _plan_insert(found, keys, change, prose, missing, shown)
    for parent, tree in missing.items():
        edits += _inserts(text, found, parent, tree, order)
    for start, end, _, new in sorted(edits, key=lambda e: (e[0], e[2]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _replace(text: str, entry: Entry, change: Change, prose: bool, shown: str):
    if change.items is not None and entry.kind == "seq":
        first = None if entry.flow else entry.start - (text.rfind("\n", 0, entry.start) + 1)
        return (entry.start, entry.end, 0, sequence(change.items, entry.column, entry.flow, first))
    if entry.kind != "scalar" or change.items is not None:
        raise fail("i18n-edit", Location(shown), change.path, "expected text here, found more")
    new = change.text
    if entry.style == "|" and text[entry.start : entry.start + 2] != "|-":
        new = new.rstrip("\n") + "\n"  # keep the block's "|" as it was
    return (entry.start, entry.end, 0, scalar(new, entry.column, entry.flow, prose))


def _plan_insert(found, keys, change: Change, prose: bool, missing: dict, shown: str) -> None:
    """Note where a new string goes: under its deepest mapping that the file has."""
    depth = len(keys) - 1
    while depth > 0 and keys[:depth] not in found:
        depth -= 1
    parent = keys[:depth]
    if parent not in found or found[parent].kind != "map":
        raise fail("i18n-edit", Location(shown), change.path, "expected a mapping above it")
    tree = missing.setdefault(parent, {})
    for key in keys[depth:-1]:
        tree = tree.setdefault(key, {})
    tree[keys[-1]] = (change, prose)


def _inserts(text: str, found: dict, parent: tuple, tree: dict, order: dict) -> list:
    entry: Entry = found[parent]
    keys = sorted(tree, key=lambda k: _rank(order, (*parent, k)))
    if entry.flow:
        at = entry.close if entry.close is not None else entry.end
        new = ", ".join(_flow(k, tree[k]) for k in keys)
        return [(at, at, 0, (", " if entry.children else "") + new)]
    column = entry.child_column if entry.child_column is not None else 0
    edits = []
    for key in keys:
        rank = _rank(order, (*parent, key))
        at = _after_sibling(text, found, parent, rank, order)
        edits.append((at, at, rank, _block(key, tree[key], column) + "\n"))
    return edits


def _rank(order: dict, keys: tuple) -> int:
    """Where a key comes in the base file (its first string's place)."""
    if keys == ("language",):
        return -1  # the file's first line stays first
    ranks = [n for path, n in order.items() if path[: len(keys)] == keys]
    return min(ranks) if ranks else len(order)


def _after_sibling(text: str, found: dict, parent: tuple, rank: int, order: dict) -> int:
    """Where a new key goes: on the line after the last key that comes before it in the
    base file, else above the first key (and the comments over it)."""
    entry = found[parent]
    before = [k for k in entry.children if _rank(order, (*parent, k)) < rank]
    if before:
        cut = text.find("\n", found[(*parent, before[-1])].end)
        return len(text) if cut < 0 else cut + 1
    if not entry.children:
        return len(text)
    return _above_comments(text, found[(*parent, entry.children[0])].key_start)


def _above_comments(text: str, offset: int) -> int:
    """The start of the line holding `offset`, moved up over the comment lines above it."""
    line = text.rfind("\n", 0, offset) + 1
    while line > 0:
        above = text.rfind("\n", 0, line - 1) + 1
        if not text[above:line].lstrip().startswith("#"):
            break
        line = above
    return line


def _block(key: str, sub, column: int) -> str:
    if isinstance(sub, tuple):
        change, prose = sub
        return nested((key,), _leaf_value(change, column, False, prose), column)
    lines = [nested((key,), "", column).rstrip()]
    lines += [_block(k, v, column + 2) for k, v in sub.items()]
    return "\n".join(lines)


def _flow(key: str, sub) -> str:
    if isinstance(sub, tuple):
        return flow_nested((key,), _leaf_value(sub[0], 0, True, sub[1]))
    inner = ", ".join(_flow(k, v) for k, v in sub.items())
    return flow_nested((key,), "{" + inner + "}")


def _leaf_value(change: Change, column: int, flow: bool, prose: bool) -> str:
    if change.items is not None:
        return sequence(change.items, column, True, None)
    return scalar(change.text, column, flow, prose)


# --- booklet i18n --accept ---------------------------------------------------------------


def accept(event_dir: Path, lang: str, everything: bool = False) -> tuple[int, list[Stale]]:
    """Record the current source of every string translated (or changed) since its record;
    a stale string whose translation did not change stays stale unless `everything`.
    Returns how many strings were recorded and the stale ones held back."""
    path = event_dir / f"event.{lang}.yaml"
    node = parse_text(read_text(path, display_path(path)), display_path(path))
    source = base_leaves(event_dir)
    hashes = recorded_hashes(node) or {}
    record: dict[str, Recorded] = {}
    texts: dict[str, str] = {}
    held: list[Stale] = []
    for leaf in translated(node):
        now = source.get(leaf.path)
        if now is None:
            continue  # unused: nothing to record
        rec = hashes.get(leaf.path)
        mine = translation_hash(leaf.text, leaf.items, now)
        fresh = made_from(rec, now.normal, now.text)
        changed = rec is None or (rec.translation not in ("", mine))
        if fresh or changed or everything:
            record[leaf.path], texts[now.hash] = Recorded(now.hash, mine), now.normal
        else:
            record[leaf.path] = rec  # type: ignore[assignment]
            held.append(Stale(leaf, now, None))
    save(event_dir, lang, [], record, texts)
    return len(record) - len(held), held
