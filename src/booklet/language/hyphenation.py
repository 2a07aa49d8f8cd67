"""Turn words into the places they may break: patterns, Turkic syllables, exceptions, never names.

`hyphenator(lang)` breaks any word of the language (pyphen's patterns, or the syllable
rule of Turkish and Azerbaijani), a word of the language's exception list (its rules
table's `hyphenation`) only where the list says. `unbreakable(text, names)` says which
words of a paragraph must never break: the names of people and places the content
gives, words in capitals inside a sentence (names too) and abbreviations; a capitalised
word that starts a sentence is a common noun and may break. `guarded()` joins the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..read.cache import cache_file, keep, read_cached
from .typography import FORGET, NBSP, rules, typographic

Pairs = Callable[[str], Iterable[tuple[str, str]]]

_TURKIC_VOWELS = set("aeıioöuüəâîûAEIİOÖUÜƏÂÎÛ")
MAX_HYPHENATED = 40  # longer "words" are codes or garbage: never try every break in them
PYPHEN_LANGUAGES = {
    "en": "en_US",
    "ru": "ru_RU",
    "uk": "uk_UA",
    "bg": "bg_BG",
    "be": "be_BY",
    "sr": "sr",
    "de": "de_DE",
    "fr": "fr",
    "es": "es",
    "el": "el_GR",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?…:]['\"’”»“)\]]*$")
_ABBREVIATION = re.compile(r"^[^\W\d_]{1,5}\.$")  # "А.", "Dr.", "Prof.": no sentence ends there


def syllable_breaks(word: str) -> list[int]:
    """Where a Turkish or Azerbaijani word may break: before the last consonant before a vowel.

    Both languages hyphenate by syllable and their syllables follow one rule (a
    syllable starts with at most one consonant), so this covers native words;
    no public hyphenation patterns exist for Azerbaijani.
    """
    vowels = [i for i, c in enumerate(word) if c in _TURKIC_VOWELS]
    breaks = []
    for first, second in zip(vowels, vowels[1:], strict=False):
        cut = second - 1 if second - first > 1 else second
        if 2 <= cut <= len(word) - 2:
            breaks.append(cut)
    return breaks


def _turkic_pairs(word: str) -> Iterator[tuple[str, str]]:
    return ((word[:i], word[i:]) for i in reversed(syllable_breaks(word)))


@cache
def exceptions(lang: str) -> dict[str, tuple[int, ...]]:
    """The language's words whose breaks its table gives: lower case → break offsets."""
    made = {}
    for written in rules(lang).hyphenation:
        parts = written.split("-")
        offsets = [sum(len(p) for p in parts[:i]) for i in range(1, len(parts))]
        made["".join(parts).lower()] = tuple(offsets)
    return made


@cache
def hyphenator(lang: str) -> Pairs | None:
    """Word → (head, tail) pairs, longest head first; None for a language not hyphenated."""
    base = lang.split("-")[0]
    if base in ("tr", "az"):
        breaks: Pairs = _turkic_pairs
    elif base in PYPHEN_LANGUAGES:
        breaks = _pyphen(PYPHEN_LANGUAGES[base]).iterate
    else:
        return None
    listed = exceptions(base)

    def pairs(word: str) -> Iterable[tuple[str, str]]:
        if not word.isalpha() or len(word) > MAX_HYPHENATED:
            return ()  # codes, numbers and absurd words are never broken
        offsets = listed.get(word.lower())
        if offsets is not None:
            return [(word[:i], word[i:]) for i in reversed(offsets)]
        return breaks(word)

    return pairs


FORGET.extend((exceptions.cache_clear, hyphenator.cache_clear))  # a project's rules changed


@lru_cache(maxsize=2048)  # set again by each page-fill try
def unbreakable(text: str, names: tuple[str, ...] = ()) -> frozenset[str]:
    """The words of `text` that must not break: the words of the names given that it holds,
    capitalised words inside a sentence (names of people and places), words in capitals
    (abbreviations).

    Only the names' words the text holds as words of letters are kept (none other is ever
    asked about: `guarded` breaks words of letters alone): a paragraph of a conference
    with 1,000 speakers kept every one of their names, ~15 MB for a part of 64 pages."""
    named = _name_words(names)
    kept = {w for w in _LETTERS.findall(text) if w in named} if named else set()
    previous = ""
    for match in re.finditer(r"\S+", text):
        token = match.group()
        for word in _WORD.findall(token):
            starts = not previous or (
                bool(_SENTENCE_END.search(previous)) and not _abbreviation(previous)
            )
            if (word[:1].isupper() and not starts) or (len(word) > 1 and word.isupper()):
                kept.add(word)
        previous = token
    return frozenset(kept)


@lru_cache(maxsize=16)
def _name_words(names: tuple[str, ...]) -> frozenset[str]:
    """The words of letters of the names (a document's are the same for all its paragraphs)."""
    return frozenset(w for name in names for w in _WORD.findall(name) if w.isalpha())


def forget_texts() -> None:
    """Empty the caches of what was worked out from paragraphs' texts (their typography and
    the words they keep whole): for a long document set in parts, whose paragraphs are
    each set once, they only hold memory."""
    unbreakable.cache_clear()
    typographic.cache_clear()


def _abbreviation(token: str) -> bool:
    return bool(_ABBREVIATION.match(token)) and token[0].isupper()


def guarded(pairs: Pairs, kept: frozenset[str], refused: frozenset[str] = frozenset()) -> Pairs:
    """A hyphenator that never breaks the words `kept` or `refused`; a word tied to the one
    before by a no-break space ("в\xa0международном") breaks in its last part only."""

    def guard(word: str) -> Iterable[tuple[str, str]]:
        head, tie, last = word.rpartition(NBSP)
        if not last.isalpha() or last in kept or word in refused or last in refused:
            return ()
        return [(head + tie + h, t) for h, t in pairs(last)]

    return guard


def _pyphen(lang: str):
    """pyphen's dictionary for `lang`, its parsed patterns kept in the user's cache folder:
    pyphen parses en_US in ~80 ms at every start; reading the patterns back takes ~3."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    stored = cache_file("hyphenation", Path(path), pyphen.__version__)
    fresh = stored is not None and path not in pyphen.hdcache
    patterns = _read_patterns(stored) if fresh else None
    if patterns:
        hyph = pyphen.HyphDict.__new__(pyphen.HyphDict)  # what HyphDict(path) would hold
        hyph.patterns, hyph.cache, hyph.maxlen = patterns, {}, max(map(len, patterns))
        pyphen.hdcache[path] = hyph
    dictionary = pyphen.Pyphen(lang=lang)
    if fresh and not patterns:
        keep(stored, dictionary.hd.patterns)  # marshal refuses the rare odd patterns
    return dictionary


def _read_patterns(stored: Path | None) -> dict | None:
    """The patterns kept in `stored`, or None if it is missing or not what we wrote."""
    patterns = read_cached(stored)
    if type(patterns) is not dict or not all(map(_pattern, patterns.items())):
        return None  # marshal data only, no code is run; and only what pyphen parses
    return patterns


def _pattern(item: Any) -> bool:
    """A pattern as pyphen holds it: letters → (offset, the digits from there)."""
    key, value = item
    if type(key) is not str or type(value) is not tuple or len(value) != 2:
        return False
    start, values = value
    return type(start) is int and type(values) is tuple and all(type(v) is int for v in values)
