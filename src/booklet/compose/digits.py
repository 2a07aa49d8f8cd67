"""Turn a composed document's digits into the numbering system its language or layout asks for."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..language.text import numbering, with_digits
from ..language.typography import protected_spans
from . import document as d

# Fields that are not printed as text, or are printed as typed: links, ids, a seat ("A1"),
# names of layouts, templates and styles, the second language's own text.
_AS_TYPED = frozenset(
    ("url", "map_url", "guest", "seat", "lang", "name", "style", "side", "template", "second")
)
_PRINTED_NAMES = (d.Logo, d.Venue, d.PersonEntry)  # their `name` is printed text


def in_digits(document: d.Document) -> d.Document:
    """The document with the digits of its printed text in its numbering system (ar-EG:
    ٢٦ فبراير ٢٠٢٦); URLs, e-mail addresses and `code` in a text keep theirs."""
    system = numbering(document.lang, document.layout.digits)
    if system == "latn":
        return document
    blocks = tuple(_converted(block, document.lang, system) for block in document.blocks)
    return dataclasses.replace(
        document,
        title=_text(document.title, document.lang, system),
        running_foot=_text(document.running_foot, document.lang, system),
        blocks=blocks,
    )


def _converted(value: Any, lang: str, system: str) -> Any:
    if isinstance(value, str):
        return _text(value, lang, system)
    if isinstance(value, tuple):
        return tuple(_converted(item, lang, system) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    if type(value).__module__ != d.__name__:  # a picture, a layout: not the document's text
        return value
    changes = {}
    for fld in dataclasses.fields(value):
        if fld.name in _AS_TYPED and not (fld.name == "name" and isinstance(value, _PRINTED_NAMES)):
            continue
        changes[fld.name] = _converted(getattr(value, fld.name), lang, system)
    return dataclasses.replace(value, **changes)


def _text(text: str, lang: str, system: str) -> str:
    out, at = [], 0
    for start, end in protected_spans(text):
        out += [with_digits(text[at:start], lang, system), text[start:end]]
        at = end
    out.append(with_digits(text[at:], lang, system))
    return "".join(out)
