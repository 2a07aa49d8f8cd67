"""Turn located node trees into model objects, collecting every problem as it goes."""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from ..errors import Diagnostics, Location
from .layout import PageTemplate
from .model import Content, Guest, Photo
from .nodes import Node, suggest
from .scalars import IDENT, NUMBER, WARNINGS, Invalid, scalar
from .types import FileName, Ident, Language, Name, Url

# A scalar stands for a mapping with this one field (pages: [cover] == [{template: cover}]).
SHORTHAND: dict[type, str] = {PageTemplate: "template", Photo: "image"}

MAX_ITEMS = 2_000  # items in a list: a program of 2,000 items is already a phone book
MAX_GUESTS = 20_000  # guest lists are the longest lists an event holds
# Direction controls (embeddings, overrides, isolates) change the order in which text prints:
# a name, an id, an address or a file name may not hold them; other text is warned about.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_DIRECTION_HINT = "delete it: what prints would read differently from what is written"
_PLAIN = {Ident: "an id", Name: "a name", FileName: "a file name", Language: "a language tag"}


class Converter:
    """Converts nodes to a model type; problems go to `diags`, never raise."""

    def __init__(self, diags: Diagnostics, lang: str = "", base_file: str = ""):
        self.diags = diags
        self.lang = lang
        self.base_file = base_file  # where untranslatable fields must come from
        # Ids of entries refused (and reported), by their list or mapping ("sources"): what
        # refers to them is not reported a second time.
        self.refused: dict[str, set[str]] = {}

    def convert(self, node: Node, typ: Any, path: str) -> Any:
        try:
            return self._convert(node, typ, path)
        except Invalid as bad:
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
        if node.is_scalar:
            self._direction_controls(node, typ, path)
        value = scalar(node, typ, self.lang)
        for code, message, hint in WARNINGS[typ](value) if typ in WARNINGS else ():
            self.diags.warn(code, node.loc, path, message, hint)
        return value

    def _direction_controls(self, node: Node, typ: Any, path: str) -> None:
        found = DIRECTION_CONTROLS.search(node.value)  # type: ignore[arg-type]
        if found is None:
            return
        code = f"U+{ord(found.group()):04X} {unicodedata.name(found.group())}"
        if typ in _PLAIN or typ is Url:
            what = _PLAIN.get(typ, "an address")
            raise Invalid(f"{what} without direction controls such as {code}", _DIRECTION_HINT)
        self.diags.warn(
            "bidi-control",
            node.loc,
            path,
            f"a direction control ({code}) changes the order in which this text prints",
            _DIRECTION_HINT,
        )

    def _tuple(self, node: Node, args: tuple, path: str) -> tuple:
        if args[-1] is not Ellipsis:  # fixed-size: a CMYK colour
            return _cmyk(node)
        if node.is_scalar and not node.is_null and get_origin(args[0]) is Literal:
            node = Node([node], node.loc)  # one choice stands for a list of one
        if not node.is_seq:
            raise Invalid("a list", 'write a list: [a, b], or one "- item" per line')
        limit = MAX_GUESTS if args[0] is Guest else MAX_ITEMS
        if len(node.value) > limit:
            raise Invalid(f"at most {limit:,} items")
        out = []
        for n, item in enumerate(node.value):  # type: ignore[arg-type]
            converted = self.convert(item, args[0], item_path(path, n, item))
            if converted is _Missing:
                self.refused.setdefault(path, set()).add(_item_id(item))
            else:
                out.append(converted)
        return tuple(out)

    def _mapping(self, node: Node, value_type: Any, path: str) -> dict:
        if not node.is_map:
            raise Invalid("a mapping of id: value")
        out = {}
        own = [k for k, loc in node.key_locs.items() if loc.file == self.base_file]
        for key, value in node.value.items():  # type: ignore[union-attr]
            where = node.key_locs.get(key)
            if self.base_file and where is not None and where.file != self.base_file:
                # A translation names people and organizations by the base file's ids only.
                hint = suggest(key, own) or f"ids in the base file: {', '.join(own)}"
                self.diags.error("unknown-id", where, f"{path}.{key}", "not in the base file", hint)
                continue
            if not IDENT.match(key):
                self.diags.error(
                    "type",
                    node.key_locs.get(key, node.loc),
                    f"{path}.{key}",
                    "expected an id of lowercase letters, digits and hyphens",
                )
                continue
            if value.is_scalar and not value.is_null and value_type == tuple[Ident, ...]:
                value = Node([value], value.loc)  # a role of one person: {chair: ozturk}
            converted = self.convert(value, value_type, f"{path}.{key}")
            if converted is _Missing:
                self.refused.setdefault(path, set()).add(key)
            else:
                out[Ident(key, node.key_locs.get(key))] = converted
        return out

    def dataclass(self, node: Node, cls: type, path: str) -> Any:
        if node.is_scalar and cls in SHORTHAND and not node.is_null:
            node = Node({SHORTHAND[cls]: node}, node.loc, {SHORTHAND[cls]: node.loc})
        if not node.is_map:
            raise Invalid("a mapping")
        fields, hints = _shape(cls)
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
    ident = _item_id(item)
    return f"{path}[{ident}]" if ident else f"{path}[{index}]"


def _item_id(item: Node) -> str:
    """A list item's id as written, or "" when it has none that is an id."""
    ident = item.value.get("id") if item.is_map else None  # type: ignore[union-attr]
    if ident is not None and ident.is_scalar and IDENT.match(ident.value):  # type: ignore[arg-type]
        return ident.value  # type: ignore[return-value]
    return ""


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
    raise Invalid(f"one of {listed}", hint)


def _cmyk(node: Node) -> tuple[float, ...]:
    wanted = "a CMYK colour like [0, 60, 100, 0] (percentages)"
    if not node.is_seq or len(node.value) != 4:
        raise Invalid(wanted)
    values = []
    for item in node.value:  # type: ignore[union-attr]
        if not item.is_scalar or not NUMBER.match(item.value) or not 0 <= float(item.value) <= 100:
            raise Invalid(wanted)
        values.append(float(item.value))
    return tuple(values)


@functools.cache
def _shape(cls: type) -> tuple[dict[str, dataclasses.Field], dict[str, Any]]:
    """A dataclass's fields by their YAML key, and its resolved field types: worked out once
    a process (resolving the types compiles their names: 0.3 s for a thousand guests' rows)."""
    fields = {fl.name.replace("_", "-"): fl for fl in dataclasses.fields(cls)}
    return fields, typing.get_type_hints(cls)


# --- references between parts of the content --------------------------------------------
