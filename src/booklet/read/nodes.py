"""Turn YAML files into trees of located nodes, with translation overlays merged in.

YAML is read at the event level so that every scalar stays the string it was
written as (YAML 1.1 would turn 14:00 into 840 and NO into False), and so that
anchors, aliases, tags and extra documents (alias bombs, !!python/object) are
refused before they can cost anything.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import BookletError, Diagnostics, Location, display_path, fail
from .characters import check_characters
from .file_text import MAX_FILE_BYTES, read_text  # noqa: F401 (read from here too)

MAX_DEPTH = 24
MAX_NODES = 100_000
MAX_SCALAR_CHARS = 50_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with its location: a string, a list of nodes or a str→node map."""

    value: str | list[Node] | dict[str, Node]
    loc: Location
    key_locs: dict[str, Location] = field(default_factory=dict, compare=False)
    plain: bool = False  # an unquoted scalar: '' / ~ / null mean "nothing"

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.value, str)

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")

    def kind_name(self) -> str:
        if self.is_map:
            return "a mapping"
        if self.is_seq:
            return "a list"
        if self.is_null:
            return "nothing"
        return f'"{_shorten(self.value)}"'  # type: ignore[arg-type]


def _shorten(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def load_yaml(path: Path, root: Path | None = None) -> Node:
    """Parse one YAML file into a located node tree; a file parsed earlier in the build and
    not changed since is not parsed again (the build file's check and the translations'
    each read the base file: 3 MB of YAML take 0.2 s)."""
    try:
        stat = path.stat()
        shown = display_path(path, root)  # what its messages call it
        key = (shown, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    except OSError:
        key = None  # read_text reports it
    if key is not None and key in _PARSED:
        return _PARSED[key]
    node = _parse(path, root)
    if key is not None:
        if len(_PARSED) >= 8:
            _PARSED.clear()
        _PARSED[key] = node
    return node


_PARSED: dict[tuple, Node] = {}  # node trees are never changed: overlays make new ones


def forget_parsed() -> None:
    """Drop the parsed trees (at the end of a build: the next one may see other files)."""
    _PARSED.clear()


def _parse(path: Path, root: Path | None) -> Node:
    shown = display_path(path, root)
    return parse_text(read_text(path, shown), shown)


def parse_text(text: str, shown: str) -> Node:
    """Parse YAML text into a located node tree, its locations naming `shown`."""
    builder = _Builder(shown)
    try:
        return builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, shown, builder.last_scalar) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        found = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise fail(
            "yaml", Location(shown, line, column), "", f"a control character ({found}) in the text"
        ) from None
    except yaml.YAMLError as exc:
        raise fail("yaml", Location(shown), "", f"YAML error: {exc}") from None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown: str, last) -> BookletError:
    problem = exc.problem or exc.context or "invalid YAML"
    runaway = last is not None and last.style in ('"', "'")
    if runaway and last.end_mark.line > last.start_mark.line:
        # A quote left open swallows the lines after it; the error shows up far below.
        mark = last.start_mark
        hint = "this quoted text runs over several lines: check that its closing quote is there"
        return fail(
            "yaml",
            Location(shown, mark.line + 1, mark.column + 1),
            "",
            f"YAML syntax error: {problem}",
            hint,
        )
    mark = _best_mark(exc)
    if mark is None:
        return fail("yaml", Location(shown), "", f"YAML syntax error: {problem}")
    at = text[mark.index : mark.index + 1] if mark.index is not None else ""
    hint = "indent with spaces, not tabs" if at == "\t" else _syntax_hint(problem)
    loc = Location(shown, mark.line + 1, mark.column + 1)
    return fail("yaml", loc, "", f"YAML syntax error: {problem}", hint)


def _best_mark(exc: yaml.MarkedYAMLError):
    # An unclosed quote or bracket is reported where the file ends; where it opened helps more.
    context = exc.context or ""
    if exc.context_mark and ("scanning a quoted" in context or "flow" in context):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _syntax_hint(problem: str) -> str:
    if "mapping values" in problem:
        return 'put text that contains ": " in quotes'
    if "tab" in problem or "'\\t'" in problem:
        return "indent with spaces, not tabs"
    return "check the indentation and quotes on this line and the one before"


class _Builder:
    """Builds nodes from parser events, refusing what content must never use."""

    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0
        self.last_scalar: yaml.ScalarEvent | None = None  # for errors after a runaway quote

    def loc(self, event: yaml.Event) -> Location:
        mark = event.start_mark
        return Location(self.shown, mark.line + 1, mark.column + 1)

    def build(self, events) -> Node:
        events = iter(events)
        next(events)  # StreamStart
        first = next(events)
        if isinstance(first, yaml.StreamEndEvent):
            return Node({}, Location(self.shown, 1, 1))
        root = self.node(events, next(events), 0)
        next(events)  # DocumentEnd
        extra = next(events)
        if not isinstance(extra, yaml.StreamEndEvent):
            raise fail(
                "yaml", self.loc(extra), "", "expected one YAML document, found a second one"
            )
        return root

    def refuse(self, event: yaml.Event, what: str) -> BookletError:
        return fail(
            "yaml",
            self.loc(event),
            "",
            f"YAML {what} are not allowed in booklet files",
            "write the value out in full",
        )

    def node(self, events, event: yaml.Event, depth: int, path: str = "") -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise fail(
                "limit", self.loc(event), path, f"more than {MAX_NODES:,} values in one file"
            )
        if depth > MAX_DEPTH:
            raise fail("limit", self.loc(event), path, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise self.refuse(event, "anchors and aliases (&, *)")
        if getattr(event, "tag", None) and not _implicit(event):
            raise self.refuse(event, "tags (!!)")
        if isinstance(event, yaml.ScalarEvent):
            self.last_scalar = event
            check_characters(event.value, self.loc(event), path)
            if len(event.value) > MAX_SCALAR_CHARS:
                raise fail(
                    "limit",
                    self.loc(event),
                    path,
                    f"expected text of at most {MAX_SCALAR_CHARS:,} characters, "
                    f"found {len(event.value):,}",
                )
            return Node(event.value, self.loc(event), plain=not event.style)  # libyaml: ''
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(events, event, depth, path)
        return self.mapping(events, event, depth, path)

    def sequence(self, events, start: yaml.Event, depth: int, path: str) -> Node:
        items: list[Node] = []
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                return Node(items, self.loc(start))
            items.append(self.node(events, event, depth + 1, f"{path}[{len(items)}]"))
        raise fail("yaml", self.loc(start), "", "unterminated list")

    def mapping(self, events, start: yaml.Event, depth: int, path: str) -> Node:
        values: dict[str, Node] = {}
        key_locs: dict[str, Location] = {}
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                return Node(values, self.loc(start), key_locs)
            key = self.node(events, event, depth + 1)
            if not key.is_scalar:
                raise fail(
                    "yaml", key.loc, "", "expected a plain name as key, found " + key.kind_name()
                )
            name = key.value
            sub = f"{path}.{name}" if path else str(name)
            if name in values:
                raise fail(
                    "duplicate-key",
                    key.loc,
                    sub,
                    f"key '{name}' appears twice in this mapping",
                    f"the first one is on line {key_locs[name].line}; keep one",
                )
            values[name] = self.node(events, next(events), depth + 1, sub)  # type: ignore[index]
            key_locs[name] = key.loc  # type: ignore[index]
            if name == "id" and path.endswith("]"):  # an item is named by its id, as the
                path = _by_id(path, values[name])  # schema names it: program[opening]
        raise fail("yaml", self.loc(start), "", "unterminated mapping")


def _by_id(path: str, ident: Node) -> str:
    if not ident.is_scalar or not _ID.match(ident.value):  # type: ignore[arg-type]
        return path
    return path[: path.rindex("[")] + f"[{ident.value}]"


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _implicit(event: yaml.Event) -> bool:
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return any(implicit)
    return bool(implicit) or event.tag in ("!", None)


# --- translation overlays -------------------------------------------------------


def suggest(name: str, choices: list[str]) -> str:
    """A "did you mean" hint for a misspelled name, or "".

    Only a near miss is suggested: a few letters typed wrong, left out, doubled or swapped
    (a quarter of the name at most). Names that merely share a part, such as "session-1" and
    "registration-1", are different names, and suggesting one for the other misleads."""
    limit = max(1, len(name) // 4)
    scored = sorted(
        (_typos(name, c, limit), c) for c in choices if abs(len(c) - len(name)) <= limit
    )
    if scored and scored[0][0] <= limit:
        return f"did you mean '{scored[0][1]}'?"
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.85)
    return f"did you mean '{close[0]}'?" if close else ""


def _typos(a: str, b: str, limit: int) -> int:
    """Letters typed wrong between a and b (edits, a swap of neighbours counting once);
    anything over `limit` is reported as limit + 1, without finishing the count."""
    if len(a) > 64 or len(b) > 64:
        return limit + 1  # ids are at most 64 letters; longer text is no misspelled name
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def overlay(base: Node, tr: Node, path: str, diags: Diagnostics) -> Node:
    """Lay a translation tree over the base: same paths, list items matched by id."""
    if base.is_map and tr.is_map:
        return _overlay_map(base, tr, path, diags)
    if base.is_seq and _has_ids(base) and tr.is_map:
        return _overlay_items(base, tr, path, diags)
    if base.is_scalar and tr.is_scalar and not tr.value.strip():  # type: ignore[union-attr]
        return base  # an empty translation prints the source text
    if base.is_seq and tr.is_seq and not tr.value:
        return base  # an empty list, likewise
    if base.is_seq and tr.is_seq and not _has_ids(base) or base.is_scalar and tr.is_scalar:
        return tr
    if base.is_scalar and base.is_null:
        return tr
    expected = "a mapping from id to fields" if base.is_seq else base.kind_name()
    if base.is_scalar:
        expected = "text"
    diags.error(
        "i18n-shape",
        tr.loc,
        path,
        f"expected {expected} as in the base file, found {tr.kind_name()}",
        f"the base file has this field on line {base.loc.line}",
    )
    return base


def _overlay_map(base: Node, tr: Node, path: str, diags: Diagnostics) -> Node:
    merged = dict(base.value)  # type: ignore[arg-type]
    key_locs = dict(base.key_locs)
    for key, value in tr.value.items():  # type: ignore[union-attr]
        sub = f"{path}.{key}" if path else key
        if key not in merged:
            # The schema judges it, located in the translation: a typo there is reported there.
            merged[key], key_locs[key] = value, tr.key_locs.get(key, tr.loc)
            continue
        merged[key] = overlay(merged[key], value, sub, diags)
    return Node(merged, base.loc, key_locs, base.plain)


def _has_ids(node: Node) -> bool:
    return any(i.is_map and "id" in i.value for i in node.value)  # type: ignore[union-attr, operator]


def _overlay_items(base: Node, tr: Node, path: str, diags: Diagnostics) -> Node:
    by_id = {
        item.value["id"].value: n  # type: ignore[index, union-attr]
        for n, item in enumerate(base.value)  # type: ignore[arg-type]
        if item.is_map and "id" in item.value and item.value["id"].is_scalar  # type: ignore[operator, index]
    }
    items = list(base.value)  # type: ignore[arg-type]
    for key, value in tr.value.items():  # type: ignore[union-attr]
        if key not in by_id:
            diags.error(
                "unknown-id",
                tr.key_locs.get(key, tr.loc),
                f"{path}[{key}]",
                f"no item with id '{key}' in the base file",
                suggest(key, list(by_id)) or f"ids in {path}: {', '.join(by_id)}",
            )
            continue
        n = by_id[key]
        items[n] = overlay(items[n], value, f"{path}[{key}]", diags)
    return Node(items, base.loc, base.key_locs)


def merge(base: Node, child: Node) -> Node:
    """Deep-merge a layout over the one it extends: mappings merge, anything else is replaced."""
    if not (base.is_map and child.is_map):
        return child
    merged = dict(base.value)  # type: ignore[arg-type]
    key_locs = {**base.key_locs, **child.key_locs}
    for key, value in child.value.items():  # type: ignore[union-attr]
        merged[key] = merge(merged[key], value) if key in merged else value
    return Node(merged, child.loc, key_locs, child.plain)
