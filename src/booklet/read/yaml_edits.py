"""Turn new translations into edits of a translation file's text, keeping everything else.

The file is not dumped anew: each changed string's value is replaced where it
stands, and a string the file lacks is inserted after its nearest sibling, so
the translator's comments, order, quoting and wrapping stay as they were.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field

import yaml

from .translation_record import HASHES, OLDER_NOTES, RECORD_NOTE


@dataclass
class Entry:
    """A value of the file: where its text is and how it is written."""

    kind: str  # "scalar", "map" or "seq"
    start: int  # offset of the value's first character
    end: int  # offset just after its last character
    style: str | None = None  # a scalar's style: None (plain), "'", '"', "|", ">"
    flow: bool = False  # written inside [ ] or { }
    column: int = 0  # column of the key that names it (the root: 0)
    children: list[str] = field(default_factory=list)  # a mapping's keys, in order
    child_column: int | None = None  # column of a block mapping's keys
    close: int | None = None  # a flow mapping's "}"
    key_start: int = 0  # offset of the key that names it


def entries(text: str) -> dict[tuple[str, ...], Entry]:
    """Every value of a YAML file by its key path (`("program", "film", "title")`)."""
    found: dict[tuple[str, ...], Entry] = {}
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))  # marks count characters
    next(events)
    first = next(events)
    if isinstance(first, yaml.DocumentStartEvent):
        _value(events, next(events), (), False, 0, found)
    return found


def _value(events, event, keys, flow, column, found) -> Entry:
    if isinstance(event, yaml.ScalarEvent):
        entry = Entry("scalar", event.start_mark.index, _end(event), event.style, flow, column)
    elif isinstance(event, yaml.SequenceStartEvent):
        entry = _sequence(events, event, keys, flow or bool(event.flow_style), column, found)
    else:
        entry = _mapping(events, event, keys, flow or bool(event.flow_style), column, found)
    found[keys] = entry
    return entry


def _end(event) -> int:
    """Where a scalar's own text ends: a block scalar's trailing line breaks are not its own."""
    end = event.end_mark.index
    if event.style in ("|", ">"):
        buffer = event.end_mark.buffer or ""
        while end > event.start_mark.index and buffer[end - 1] in " \n":
            end -= 1
    return end


def _sequence(events, start, keys, flow, column, found) -> Entry:
    entry = Entry("seq", start.start_mark.index, start.end_mark.index, None, flow, column)
    for n, event in enumerate(events):
        if isinstance(event, yaml.SequenceEndEvent):
            entry.end = event.end_mark.index if flow else entry.end
            return entry
        entry.end = _value(events, event, (*keys, f"#{n}"), flow, column, found).end
    raise ValueError("unterminated list")


def _mapping(events, start, keys, flow, column, found) -> Entry:
    entry = Entry("map", start.start_mark.index, start.end_mark.index, None, flow, column)
    for event in events:
        if isinstance(event, yaml.MappingEndEvent):
            if flow:
                entry.end, entry.close = event.end_mark.index, event.start_mark.index
            return entry
        key = str(event.value)
        if entry.child_column is None:
            entry.child_column = event.start_mark.column
        entry.children.append(key)
        value = _value(events, next(events), (*keys, key), flow, event.start_mark.column, found)
        value.key_start = event.start_mark.index
        entry.end = value.end
    raise ValueError("unterminated mapping")


def key_path(path: str) -> tuple[str, ...]:
    """A translation path (`program[film].title`) as the file's keys."""
    return tuple(p for p in path.replace("[", ".").replace("]", "").split(".") if p)


# --- writing values --------------------------------------------------------------------


def scalar(text: str, column: int, flow: bool, prose: bool) -> str:
    """A text as a YAML value for a key at `column`: plain or quoted on one line, a literal
    block when it has several lines (prose wrapped at 78 columns), quoted inside [ ] or { }."""
    if flow:
        return json.dumps(text, ensure_ascii=False)
    if "\n" not in text.strip("\n"):
        line = yaml.safe_dump(text.strip("\n"), allow_unicode=True, width=1_000_000)
        return line.removesuffix("\n...\n").strip()
    return _literal(text, column + 2, prose)


def _literal(text: str, indent: int, prose: bool) -> str:
    body = text.rstrip("\n")
    if prose:
        paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
        width = max(40, 78 - indent)
        wrap = textwrap.TextWrapper(width, break_long_words=False, break_on_hyphens=False)
        body = "\n\n".join(wrap.fill(p) for p in paragraphs)
    lines = body.split("\n")
    head = "|" if text.endswith("\n") else "|-"
    if lines[0].startswith(" "):
        head = head[0] + "2" + head[1:]
    pad = " " * indent
    return head + "".join("\n" + (pad + line if line.strip() else "") for line in lines)


def sequence(items: tuple[str, ...], column: int, flow: bool, first: int | None) -> str:
    """A list of texts: one `- item` a line where the file writes it so, else `[a, b]`."""
    if flow or first is None:
        listed = yaml.safe_dump(
            list(items), allow_unicode=True, default_flow_style=True, width=10**6
        )
        return listed.strip()
    pad = " " * first
    return f"\n{pad}".join("- " + scalar(i, first, False, False) for i in items)


def nested(keys: tuple[str, ...], value: str, column: int) -> str:
    """New block lines `a:\\n  b: value` at `column`, for keys the file lacks."""
    lines = [" " * (column + 2 * n) + f"{_key(k)}:" for n, k in enumerate(keys[:-1])]
    lines.append(" " * (column + 2 * (len(keys) - 1)) + f"{_key(keys[-1])}: {value}")
    return "\n".join(lines)


def flow_nested(keys: tuple[str, ...], value: str) -> str:
    """`a: {b: value}` for keys a flow mapping lacks."""
    text = f"{_key(keys[-1])}: {value}"
    for key in reversed(keys[:-1]):
        text = f"{_key(key)}: {{{text}}}"
    return text


def _key(key: str) -> str:
    dumped = yaml.safe_dump(key, width=1_000_000).removesuffix("\n...\n").strip()
    return dumped


def without_record(text: str) -> str:
    """The file's text without its `source-hashes` block and the note above it."""
    head = text.split(f"\n{HASHES}:", 1)[0].rstrip("\n")
    for note in (RECORD_NOTE.rstrip("\n"), *OLDER_NOTES):
        head = head.removesuffix(note).rstrip("\n")
    return head + "\n"
