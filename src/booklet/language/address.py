"""Turn a guest and a card's language into its salutation, and honorifics of other languages."""

from __future__ import annotations

import re
from functools import cache

from ..read.model import Guest
from ..read.types import Text
from .text import catalog, locale, own_catalog
from .typography import languages_with_rules, rules

GENDERS = ("female", "male")


def honorific(guest: Guest, lang: str) -> str:
    """The title before the guest's name in a language: its own (honorific-ru), else the
    one for every language, else none."""
    return str(printed_honorific(guest, lang)[1] or "")


def printed_honorific(guest: Guest, lang: str) -> tuple[str, Text | None]:
    """The field and the text of the title a card in `lang` prints (the others print not)."""
    own = guest.honorifics
    for tag in (lang.lower(), lang.split("-")[0].lower()):
        if tag in own:
            return f"honorifics.{tag}", own[tag]
    return "honorific", guest.honorific


def printed_texts(guest: Guest, lang: str) -> list[tuple[str, Text]]:
    """What a card in `lang` prints of a guest, by field: name, title, seat."""
    field, title = printed_honorific(guest, lang)
    found = [("name", guest.name), (field, title), ("seat", guest.seat)]
    return [(name, text) for name, text in found if text is not None]


def salutation(guest: Guest, lang: str) -> str:
    """The card's salutation with the grammar the language needs: Уважаемая for a woman and
    Уважаемый for a man in Russian, a form without gender where the guest's is not given;
    Hörmətli, Sayın, Dear before the name in languages without gendered forms."""
    key = f"dear-{guest.gender}" if guest.gender in GENDERS else "dear"
    template = own_catalog(lang).get(key) or catalog(lang)["dear"]
    title = honorific(guest, lang)
    if title.casefold() in template.casefold().split():
        title = ""  # "Sayın" in a Turkish card: the salutation says it already
    return template.format(name=" ".join(x for x in (title, str(guest.name)) if x))


def foreign_honorifics(guest: Guest, lang: str) -> list[tuple[str, str]]:
    """The words of the guest's name and honorific, as a card in `lang` prints them, that are
    honorifics of another language and not of this one: [("Sayın", "tr")]."""
    mine = {w.casefold() for w in rules(lang).honorifics}
    words = re.split(r"\s+", f"{honorific(guest, lang)} {guest.name}".strip())
    found = []
    for word in words:
        other = _honorific_languages().get(word.casefold().rstrip(","), ())
        if other and word.casefold() not in mine and lang.split("-")[0] not in other:
            found.append((word, other[0]))
    return found


@cache
def _honorific_languages() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for lang in languages_with_rules():
        for word in rules(lang).honorifics:
            table[word.casefold()] = (*table.get(word.casefold(), ()), lang)
    return table


def language_name(lang: str, shown_in: str = "en") -> str:
    """A language's name in English, for messages: "Turkish"."""
    return locale(lang).get_display_name(shown_in) or lang
