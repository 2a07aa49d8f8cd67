"""Define the located scalar types of the content and layout files: text, ids, lengths, times."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from ..errors import Location


class Text(str):
    """A content string that remembers the file, line and column it came from."""

    loc: Location
    lang: str

    def __new__(cls, value: str, loc: Location | None = None, lang: str = "") -> Text:
        obj = super().__new__(cls, value)
        # Filled in one step, the attribute dictionary is sized for two entries (184 bytes,
        # not 304): a 10,000-guest list holds ~40,000 of them.
        obj.__dict__.update(loc=loc or Location(""), lang=lang)
        return obj

    def __reduce__(self):  # keep the location across processes
        return (Text, (str(self), self.loc, self.lang))


class Ident(Text):
    """A reference name: lowercase letters, digits and hyphens (e.g. "opening-speech")."""


# The kinds of string the schema reads more strictly than text are subclasses of it, so that a
# rule about one kind is one line in the schema, not one per field.


class Name(Text):
    """A name as printed (of a person, an organization, a guest): no direction controls."""


class FileName(Text):
    """A file named in content or a layout: a relative path, each part at most 255 bytes."""


class Language(Text):
    """A BCP 47 language tag: en, az, en-GB, ar-EG, pt-BR, sr-Latn."""


class Url(Text):
    """An http(s) address, as written (read/urls.py gives its link and printed forms)."""


class UrlTemplate(Url):
    """An address in which {guest} stands for each guest's id."""


class Length(float):
    """A length in PostScript points, written with a unit: "3mm", "12pt", "0.5in", "1cm"."""


class Clock(str):
    """A time of day written "HH:MM" (24-hour)."""


class Minutes(int):
    """A duration written "15 min", "1 h" or "1 h 30 min"."""


class Figure(str):
    """A fact's figure: a whole number (printed in the locale's style) or text as written."""


def f(doc: str, default: Any = ..., *, tr: bool | str = False, prose: bool = False) -> Any:
    """Declare a model field with its documentation and translatability.

    `tr=True`: a translation should replace it (missing when it does not); `tr="optional"`:
    it may (a name prints as written when no translation is given). `prose`: paragraphs,
    whose single line breaks print as spaces."""
    meta = {"doc": doc, "tr": tr, "prose": prose}
    if default is ...:
        return field(metadata=meta)
    if isinstance(default, (list, dict)):
        return field(default_factory=type(default), metadata=meta)
    return field(default=default, metadata=meta)
