"""Turn the model's dataclasses into JSON Schema, so editors complete and check the YAML files.

The model is the single source: every property's description is the field's
`doc`. Editors read YAML 1.2, so a figure may be a number and a date is a
string; booklet itself reads every value as written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from .layout import Layout, PageTemplate
from .model import BuildSpec, Content, Photo
from .schema import translatable_fields
from .types import (
    Clock,
    Figure,
    FileName,
    Ident,
    Language,
    Length,
    Minutes,
    Name,
    Text,
    Url,
    UrlTemplate,
)

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_ID = "^[a-z0-9][a-z0-9_-]{0,63}$"
_SCALARS: dict[Any, dict[str, Any]] = {
    Text: {"type": "string"},
    Name: {"type": "string"},
    FileName: {"type": "string"},
    Language: {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,5}$"},
    str: {"type": "string"},
    Ident: {"type": "string", "pattern": _ID},
    Url: {"type": "string", "pattern": "^https?://"},
    UrlTemplate: {"type": "string", "pattern": "^https?://"},
    Clock: {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"},
    Minutes: {"type": "string", "pattern": "^([0-9]{1,2} ?h)? ?([0-9]{1,3} ?min)?$"},
    Length: {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)? ?(mm|cm|pt|in)$"},
    dt.date: {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    Figure: {"type": ["string", "integer"]},
    float: {"type": "number"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
}
SHORTHAND = {PageTemplate: "template", Photo: "image"}


def json_schema(
    kind: Literal["content", "translation", "layout", "build", "language-rules"],
) -> dict[str, Any]:
    """The JSON Schema of one kind of file."""
    if kind == "language-rules":
        from .language_rules import rules_schema

        return {"$schema": SCHEMA, "title": f"booklet {kind} file", **rules_schema()}
    root = {"content": Content, "translation": Content, "layout": Layout, "build": BuildSpec}[kind]
    schema = _Walker(partial=kind == "translation", optional=kind == "layout").object(root)
    if kind == "translation":  # written by `booklet i18n --accept`: path → source hash
        hashes = {"type": "object", "additionalProperties": {"type": "string"}}
        schema["properties"]["source-hashes"] = hashes
    return {"$schema": SCHEMA, "title": f"booklet {kind} file", **schema}


class _Walker:
    """Walks type hints; `partial` makes every field optional and id-lists mappings by id."""

    def __init__(self, partial: bool, optional: bool):
        # Layouts may extend another layout, so no field of theirs is required on its own.
        self.partial, self.optional = partial, optional

    def of(self, typ: Any) -> dict[str, Any]:
        origin = get_origin(typ)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in get_args(typ) if a is not type(None)][0]
            return {"anyOf": [self.of(inner), {"type": "null"}]}
        if origin is Literal:  # "true" and "false" are what YAML editors read as booleans
            words = {"true": True, "false": False}
            return {"enum": [words.get(v, v) for v in get_args(typ)]}
        if origin is tuple:
            return self.sequence(get_args(typ))
        if origin in (Mapping, dict):
            return {
                "type": "object",
                "propertyNames": {"pattern": _ID},
                "additionalProperties": self.of(get_args(typ)[1]),
            }
        if dataclasses.is_dataclass(typ):
            return self.object(typ)
        return dict(_SCALARS[typ])

    def sequence(self, args: tuple) -> dict[str, Any]:
        if args[-1] is not Ellipsis:  # a CMYK colour
            number = {"type": "number", "minimum": 0, "maximum": 100}
            return {"type": "array", "items": number, "minItems": 4, "maxItems": 4}
        item = args[0]
        if self.partial and dataclasses.is_dataclass(item) and _has_id(item):
            return {
                "type": "object",
                "propertyNames": {"pattern": _ID},
                "additionalProperties": self.object(item),
            }
        schema: dict[str, Any] = {"type": "array", "items": self.of(item)}
        if get_origin(item) is Literal:
            return {"anyOf": [schema, self.of(item)]}  # one choice stands for a list of one
        return schema

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties, required = {}, []
        for fl in dataclasses.fields(cls):
            key = fl.name.replace("_", "-")
            prop = self.of(hints[fl.name])
            prop["description"] = fl.metadata.get("doc", "")
            properties[key] = prop
            if _required(fl) and not (self.partial or self.optional):
                required.append(key)
        own = translatable_fields(cls)
        if own and not self.partial:
            properties["translate"] = _marker(own)
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            schema["required"] = required
        if cls in SHORTHAND:
            return {"anyOf": [schema, properties[SHORTHAND[cls]]]}
        return schema


def _marker(own: list[str]) -> dict[str, Any]:
    """`translate: false`, or `{field: false}`: what of an item needs no translation."""
    fields = {key: {"type": "boolean"} for key in own}
    each = {"type": "object", "properties": fields, "additionalProperties": False}
    return {
        "anyOf": [{"type": "boolean"}, each],
        "description": "false: nothing here needs translating (it prints as written in "
        "every language); or {field: false} for some fields.",
    }


def _has_id(cls: type) -> bool:
    return any(fl.name == "id" for fl in dataclasses.fields(cls))


def _required(fl: dataclasses.Field) -> bool:
    return fl.default is dataclasses.MISSING and fl.default_factory is dataclasses.MISSING
