"""Turn located node trees into model objects, collecting every problem as it goes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from ..errors import Diagnostics, Location
from .layout import PageTemplate
from .model import Content, Guest
from .nodes import Node, suggest
from .types import Clock, Figure, Ident, Length, Minutes, Text, Url

# A scalar stands for a mapping with this one field (pages: [cover] == [{template: cover}]).
SHORTHAND: dict[type, str] = {PageTemplate: "template"}

_IDENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MINUTES = re.compile(r"^(?:(\d{1,2})\s*h)?\s*(?:(\d{1,3})\s*min)?$")
_LENGTH = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"'{}|\\^`]+$")
_UNIT = {"mm": 72 / 25.4, "cm": 720 / 25.4, "pt": 1.0, "in": 72.0}
MAX_LENGTH_PT = 3000.0  # about 1 m: nothing we print is bigger
MAX_ITEMS = 2_000  # items in a list: a program of 2,000 items is already a phone book
MAX_GUESTS = 20_000  # guest lists are the longest lists an event holds
MAX_WORD = 300  # letters without a space: a line cannot hold more, the typesetter would crawl


class _Invalid(Exception):
    """A value that cannot be converted; the message is "expected X"."""

    def __init__(self, expected: str, hint: str = ""):
        self.expected, self.hint = expected, hint


class Converter:
    """Converts nodes to a model type; problems go to `diags`, never raise."""

    def __init__(self, diags: Diagnostics, lang: str = "", base_file: str = ""):
        self.diags = diags
        self.lang = lang
        self.base_file = base_file  # where untranslatable fields must come from

    def convert(self, node: Node, typ: Any, path: str) -> Any:
        try:
            return self._convert(node, typ, path)
        except _Invalid as bad:
            self.diags.error(
                "type",
                node.loc,
                path,
                f"expected {bad.expected}, found {node.kind_name()}",
                bad.hint,
            )
            return _Missing

    def _convert(self, node: Node, typ: Any, path: str) -> Any:
        origin = get_origin(typ)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in get_args(typ) if a is not type(None)][0]
            return None if node.is_null else self._convert(node, inner, path)
        if origin is Literal:
            return _literal(node, get_args(typ))
        if origin is tuple:
            return self._tuple(node, get_args(typ), path)
        if origin in (Mapping, dict):
            return self._mapping(node, get_args(typ)[1], path)
        if dataclasses.is_dataclass(typ):
            return self.dataclass(node, typ, path)
        return _scalar(node, typ, self.lang)

    def _tuple(self, node: Node, args: tuple, path: str) -> tuple:
        if args[-1] is not Ellipsis:  # fixed-size: a CMYK colour
            return _cmyk(node)
        if node.is_scalar and not node.is_null and get_origin(args[0]) is Literal:
            node = Node([node], node.loc)  # one choice stands for a list of one
        if not node.is_seq:
            raise _Invalid("a list", 'write a list: [a, b], or one "- item" per line')
        limit = MAX_GUESTS if args[0] is Guest else MAX_ITEMS
        if len(node.value) > limit:
            raise _Invalid(f"at most {limit:,} items")
        out = [
            self.convert(item, args[0], item_path(path, n, item))
            for n, item in enumerate(node.value)
        ]
        return tuple(x for x in out if x is not _Missing)

    def _mapping(self, node: Node, value_type: Any, path: str) -> dict:
        if not node.is_map:
            raise _Invalid("a mapping of id: value")
        out = {}
        own = [k for k, loc in node.key_locs.items() if loc.file == self.base_file]
        for key, value in node.value.items():  # type: ignore[union-attr]
            where = node.key_locs.get(key)
            if self.base_file and where is not None and where.file != self.base_file:
                # A translation names people and organizations by the base file's ids only.
                hint = suggest(key, own) or f"ids in the base file: {', '.join(own)}"
                self.diags.error("unknown-id", where, f"{path}.{key}", "not in the base file", hint)
                continue
            if not _IDENT.match(key):
                self.diags.error(
                    "type",
                    node.key_locs.get(key, node.loc),
                    f"{path}.{key}",
                    "expected an id of lowercase letters, digits and hyphens",
                )
                continue
            if value.is_scalar and not value.is_null and value_type == tuple[Ident, ...]:
                value = Node([value], value.loc)  # a role of one person: {chair: ozturk}
            out[Ident(key, node.key_locs.get(key))] = self.convert(
                value, value_type, f"{path}.{key}"
            )
        return out

    def dataclass(self, node: Node, cls: type, path: str) -> Any:
        if node.is_scalar and cls in SHORTHAND and not node.is_null:
            node = Node({SHORTHAND[cls]: node}, node.loc, {SHORTHAND[cls]: node.loc})
        if not node.is_map:
            raise _Invalid("a mapping")
        fields = {fl.name.replace("_", "-"): fl for fl in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        node = self._translate_marker(node, cls, path)
        self._unknown_keys(node, fields, path)
        for key, fl in fields.items():
            sub = f"{path}.{key}" if path else key
            child = node.value.get(key)  # type: ignore[union-attr]
            if child is None or (child.is_null and _required(fl)):
                if _required(fl):
                    self.diags.error("missing", node.loc, sub, f"required field '{key}' is missing")
                continue
            self._check_translatable(child, fl, sub)
            value = self.convert(child, hints[fl.name], sub)
            if value is not _Missing:
                values[fl.name] = value
        if any(_required(fl) and fl.name not in values for fl in fields.values()):
            return _Missing
        return cls(**values)

    def _translate_marker(self, node: Node, cls: type, path: str) -> Node:
        """Check and take out `translate:` (false, or {field: false}), which says what of
        an item needs no translation; the translation tools read it from the nodes."""
        marker = node.value.get(MARKER)  # type: ignore[union-attr]
        own = translatable_fields(cls)
        if marker is None or not own:
            return node
        sub = f"{path}.{MARKER}" if path else MARKER
        if self.base_file and marker.loc.file != self.base_file:
            hint = f"set it in {self.base_file}: it says what needs no translation"
            self.diags.error("i18n-field", marker.loc, sub, "not for translation files", hint)
        elif not _marker_ok(marker, own):
            self.diags.error(
                "type",
                marker.loc,
                sub,
                f"expected false, or a mapping like {{{own[0]}: false}}, found "
                + marker.kind_name(),
                "translatable fields here: " + ", ".join(own),
            )
        values = {k: v for k, v in node.value.items() if k != MARKER}  # type: ignore[union-attr]
        return Node(values, node.loc, node.key_locs, node.plain)

    def _unknown_keys(self, node: Node, fields: dict, path: str) -> None:
        for key in node.value:  # type: ignore[union-attr]
            if key not in fields:
                hint = suggest(key, list(fields)) or "known fields: " + ", ".join(fields)
                self.diags.error(
                    "unknown-key",
                    node.key_locs.get(key, node.loc),
                    f"{path}.{key}" if path else key,
                    "unknown field",
                    hint,
                )

    def _check_translatable(self, node: Node, fl: dataclasses.Field, path: str) -> None:
        if not self.base_file or fl.metadata.get("tr") or node.is_map:
            return
        if node.is_seq and any(item.is_map for item in node.value):  # type: ignore[union-attr]
            return  # items are checked field by field
        stray = _first_foreign(node, self.base_file)
        if stray:
            self.diags.error(
                "i18n-field",
                stray,
                path,
                "this field is not translatable",
                f"set it in {self.base_file}; a translation holds only text",
            )


MARKER = "translate"  # `translate: false` on an item of the base file


def translatable_fields(cls: type) -> list[str]:
    """The keys of a content item a translation may replace (for `translate:`)."""
    if cls is Content:
        return []  # the file as a whole: mark its items
    return [
        fl.name.replace("_", "-")
        for fl in dataclasses.fields(cls)
        if fl.metadata.get("tr") and fl.name != "language"
    ]


def _marker_ok(marker: Node, own: list[str]) -> bool:
    if marker.is_scalar:
        return marker.value in ("false", "true")
    return marker.is_map and all(
        key in own and value.is_scalar and value.value in ("false", "true")
        for key, value in marker.value.items()  # type: ignore[union-attr]
    )


class _MissingType:
    def __repr__(self) -> str:
        return "<missing>"


_Missing: Any = _MissingType()


def item_path(path: str, index: int, item: Node) -> str:
    """A list item's field path: by its id where it has one (program[opening]), else by index."""
    ident = item.value.get("id") if item.is_map else None  # type: ignore[union-attr]
    if ident is not None and ident.is_scalar and _IDENT.match(ident.value):  # type: ignore[arg-type]
        return f"{path}[{ident.value}]"
    return f"{path}[{index}]"


def _required(fl: dataclasses.Field) -> bool:
    return fl.default is dataclasses.MISSING and fl.default_factory is dataclasses.MISSING


def _first_foreign(node: Node, base_file: str) -> Location | None:
    if node.loc.file != base_file:
        return node.loc
    children = node.value.values() if node.is_map else node.value if node.is_seq else []
    for child in children:  # type: ignore[union-attr]
        found = _first_foreign(child, base_file)
        if found:
            return found
    return None


def _literal(node: Node, choices: tuple) -> Any:
    if node.is_scalar and node.value in choices:
        return node.value
    listed = ", ".join(choices)
    hint = suggest(node.value, list(choices)) if node.is_scalar else ""  # type: ignore[arg-type]
    raise _Invalid(f"one of {listed}", hint)


def _cmyk(node: Node) -> tuple[float, ...]:
    wanted = "a CMYK colour like [0, 60, 100, 0] (percentages)"
    if not node.is_seq or len(node.value) != 4:
        raise _Invalid(wanted)
    values = []
    for item in node.value:  # type: ignore[union-attr]
        if not item.is_scalar or not _NUMBER.match(item.value) or not 0 <= float(item.value) <= 100:
            raise _Invalid(wanted)
        values.append(float(item.value))
    return tuple(values)


def _scalar(node: Node, typ: Any, lang: str) -> Any:
    if not node.is_scalar:
        raise _Invalid(_EXPECTED.get(typ, "text"))
    text: str = node.value  # type: ignore[assignment]
    parse = _PARSERS.get(typ)
    if parse is None:
        raise TypeError(f"no parser for {typ!r}")
    return parse(text, node, lang)


def _parse_text(text: str, node: Node, lang: str) -> Text:
    if node.is_null:
        raise _Invalid("text")
    if any(len(word) > MAX_WORD for word in text.split()):
        raise _Invalid(
            f"text with words of at most {MAX_WORD} letters", "break the text with spaces"
        )
    return Text(text, node.loc, lang)


def _parse_ident(text: str, node: Node, lang: str) -> Ident:
    if not _IDENT.match(text):
        raise _Invalid(
            "an id of lowercase letters, digits and hyphens", "for example: opening-speech"
        )
    return Ident(text, node.loc)


def _parse_str(text: str, node: Node, lang: str) -> str:
    return text


def _parse_date(text: str, node: Node, lang: str) -> dt.date:
    match = _DATE.match(text)
    hint = "write dates as YYYY-MM-DD, e.g. 2026-02-26"
    if not match:
        raise _Invalid("a date like 2026-02-26", hint)
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise _Invalid("a date that exists", "check the day and month") from None


def _parse_clock(text: str, node: Node, lang: str) -> Clock:
    match = _CLOCK.match(text)
    if not match:
        raise _Invalid('a time like "14:00"', "write a 24-hour time, hours 00–23 and minutes 00–59")
    return Clock(f"{int(match.group(1)):02d}:{match.group(2)}")


def _parse_minutes(text: str, node: Node, lang: str) -> Minutes:
    match = _MINUTES.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise _Invalid('a duration like "15 min"', 'write minutes as a number followed by "min"')
    hours, minutes = (int(g) if g else 0 for g in match.groups())
    return Minutes(hours * 60 + minutes)


def _parse_length(text: str, node: Node, lang: str) -> Length:
    match = _LENGTH.match(text.strip())
    if not match:
        raise _Invalid('a length with a unit, like "3mm" or "12pt"')
    value = float(match.group(1)) * _UNIT[match.group(2)]
    if not 0 <= value <= MAX_LENGTH_PT:
        raise _Invalid("a length between 0 and 1 m")
    return Length(round(value, 4))


def _parse_float(text: str, node: Node, lang: str) -> float:
    if not _NUMBER.match(text) or not 0 <= float(text) <= 1000:
        raise _Invalid("a number between 0 and 1000")
    return float(text)


def _parse_int(text: str, node: Node, lang: str) -> int:
    if not re.fullmatch(r"\d{1,4}", text):
        raise _Invalid("a whole number")
    return int(text)


def _parse_bool(text: str, node: Node, lang: str) -> bool:
    if text not in ("true", "false"):
        raise _Invalid("true or false")
    return text == "true"


def _parse_url(text: str, node: Node, lang: str) -> Url:
    if len(text) > 500 or not URL_PATTERN.match(text):
        raise _Invalid("an address starting with https:// or http://")
    return Url(text)


def _parse_figure(text: str, node: Node, lang: str) -> Figure:
    if not text.strip() or len(text) > 24:
        raise _Invalid("a number or a short figure (at most 24 characters)")
    return Figure(text)


_PARSERS = {
    Text: _parse_text,
    Ident: _parse_ident,
    str: _parse_str,
    dt.date: _parse_date,
    Clock: _parse_clock,
    Minutes: _parse_minutes,
    Length: _parse_length,
    float: _parse_float,
    int: _parse_int,
    bool: _parse_bool,
    Url: _parse_url,
    Figure: _parse_figure,
}
_EXPECTED = {
    dt.date: "a date like 2026-02-26",
    Clock: 'a time like "14:00"',
    Minutes: 'a duration like "15 min"',
    Length: 'a length like "3mm"',
    float: "a number",
    int: "a whole number",
    bool: "true or false",
    Url: "an address",
    Ident: "an id",
}


# --- references between parts of the content --------------------------------------------
