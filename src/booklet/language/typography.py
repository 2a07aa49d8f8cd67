"""Turn content strings into text set by their language's rules: quotes, apostrophes, ties.

The rules are data, a table per language in `language/rules/<lang>.yaml` laid over
`default.yaml`, each with the project's own table over it (`use_project_rules`, read and
checked by `read/language_rules.py`); this module only knows the kinds of rule. Every
string the typesetter prints passes through `typographic()` once, before it becomes
paragraph markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from ..read.nodes import Node, load_yaml

NBSP = "\xa0"
LISTS = (
    "no-break-after",
    "no-break-before",
    "after-numbers",
    "titles",
    "hyphenation",
    "honorifics",
)

# What is never touched: URLs, e-mail addresses, `code` and identifiers (snake_case, a=b).
_PROTECTED = re.compile(
    r"`[^`]*`|[a-z][a-z0-9+.-]*://\S+|www\.\S+|\S+@[\w-]+\.[\w.-]+|\S*[_=]\S*",
    re.IGNORECASE,
)
_QUOTE_MARKS = '"“”«»„'
_OPENS_BEFORE = "([{—–-/‘«„“\xa0"  # a quote after these (or a space) opens


@dataclass(frozen=True)
class Rules:
    """One language's typographic rules, read from its table."""

    outer: str  # the quotation marks, open and close
    inner: str  # inside a quotation
    apostrophe: str
    after_words: tuple[str, ...]
    before_words: tuple[str, ...]
    after_numbers: tuple[str, ...]
    titles: tuple[str, ...]
    initials: bool
    dashes: str
    hyphenation: tuple[str, ...]
    honorifics: tuple[str, ...] = ()  # words of address only this language uses: Sayın, г-н


def _table(lang: str) -> dict[str, object]:
    ref = resources.files("booklet") / "language" / "rules" / f"{lang}.yaml"
    if not ref.is_file():
        return {}
    return _plain(load_yaml(Path(str(ref))))  # type: ignore[return-value]


def _plain(node: Node) -> object:
    if isinstance(node.value, dict):
        return {key: _plain(value) for key, value in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(value) for value in node.value]
    return "" if node.is_null else node.value


_PROJECT: dict[str, dict[str, object]] = {}  # the project's own tables, by language
FORGET: list[Callable[[], None]] = []  # caches built from the rules, cleared when they change


def use_project_rules(tables: Mapping[str, Mapping[str, object]]) -> None:
    """Lay the project's own tables ("ru", or "default" for every language) over booklet's
    from now on; nothing changes if they are the ones already in use."""
    wanted = {lang: dict(table) for lang, table in tables.items()}
    if wanted == _PROJECT:
        return
    _PROJECT.clear()
    _PROJECT.update(wanted)
    for forget in (rules.cache_clear, _patterns.cache_clear, *FORGET):
        forget()


def _lay(table: dict[str, object], layer: Mapping[str, object]) -> None:
    """Lay a table over another: lists are joined unless the layer `replace`s them."""
    replaced = layer.get("replace", ())
    for key, value in layer.items():
        if key == "replace":
            continue
        joined = key in LISTS and isinstance(value, list) and key not in replaced  # type: ignore[operator]
        table[key] = [*table.get(key, []), *value] if joined else value  # type: ignore[misc]


@cache
def rules(lang: str) -> Rules:
    """The rules of a language (its base: "ru" for "ru-RU"), over those of every language:
    booklet's default table, the project's, booklet's for the language, the project's."""
    base = lang.split("-")[0]
    table = _table("default")
    for layer in (_PROJECT.get("default", {}), _table(base), _PROJECT.get(base, {})):
        _lay(table, layer)
    outer, inner = table["quotes"]  # type: ignore[misc]
    return Rules(
        outer=outer,
        inner=inner,
        apostrophe=str(table["apostrophe"]),
        after_words=tuple(table["no-break-after"]),  # type: ignore[arg-type]
        before_words=tuple(table["no-break-before"]),  # type: ignore[arg-type]
        after_numbers=tuple(table["after-numbers"]),  # type: ignore[arg-type]
        titles=tuple(table["titles"]),  # type: ignore[arg-type]
        initials=table["initials"] == "true",
        dashes=str(table["dashes"]),
        hyphenation=tuple(table["hyphenation"]),  # type: ignore[arg-type]
        honorifics=tuple(table.get("honorifics", ())),  # type: ignore[arg-type]
    )


def languages_with_rules() -> tuple[str, ...]:
    """Every language that has a table of its own."""
    folder = resources.files("booklet") / "language" / "rules"
    names = (entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    return tuple(sorted(n.removesuffix(".yaml") for n in names if n != "default.yaml"))


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where a text holds what is printed as typed: URLs, e-mail addresses, `code`, ids."""
    return [m.span() for m in _PROTECTED.finditer(text)]


def marks(lang: str) -> str:
    """Every character the rules of `lang` may put into a text (for font subsets)."""
    r = rules(lang)
    return r.outer + r.inner + r.apostrophe + "‘’" + NBSP


@lru_cache(maxsize=2048)
def typographic(text: str, lang: str) -> str:
    """The text with its language's quotation marks, apostrophes and no-break spaces;
    URLs, e-mail addresses, `code` and identifiers in it are left as typed.

    Kept for the process: a booklet's page-fill search sets every paragraph up to nine
    times, and a warm process sets the unchanged ones again after each edit."""
    if not text:
        return text
    r = rules(lang)
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    text = _quotes(text, r, spans)
    out, at = [], 0
    for start, end in spans:
        out += [_rules(text[at:start], lang), text[start:end]]
        at = end
    out.append(_rules(text[at:], lang))
    return "".join(out)


FORGET.append(typographic.cache_clear)  # the rules it applies changed


def smart_quotes(text: str, lang: str) -> str:
    """Straight and typed quotation marks as the language writes them, by depth."""
    return _quotes(text, rules(lang), [])


# --- quotation marks ------------------------------------------------------------------------


def _quotes(text: str, r: Rules, spans: list[tuple[int, int]]) -> str:
    """Each quotation mark as the language writes it at its depth: «…„…“…» in Russian,
    “…‘…’…” in English. Marks that do not pair up are left as typed."""
    if not any(c in _QUOTE_MARKS for c in text):
        return text
    protected = {i for start, end in spans for i in range(start, end)}
    depth, chars = 0, list(text)
    for i, char in enumerate(text):
        if char not in _QUOTE_MARKS or i in protected:
            continue
        if _opens(text, i):
            depth += 1
            chars[i] = (r.outer if depth % 2 else r.inner)[0]
        else:
            if depth == 0:
                return text
            chars[i] = (r.outer if depth % 2 else r.inner)[1]
            depth -= 1
    return "".join(chars) if depth == 0 else text


def _opens(text: str, i: int) -> bool:
    char = text[i]
    if char in "«„":
        return True
    if char == "»":
        return False
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENS_BEFORE) and not after.isspace()


# --- apostrophes and no-break spaces -------------------------------------------------------


def _rules(text: str, lang: str) -> str:
    if not text.strip():
        return text
    for pattern, replacement in _patterns(lang):
        text = pattern.sub(replacement, text)
    return text


def _either(words: tuple[str, ...]) -> str:
    """A regular expression matching any of the words, the longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns(lang: str) -> list[tuple[re.Pattern, object]]:
    r, made = rules(lang), []
    if r.apostrophe:
        made.append((re.compile(r"(?<=\w)'"), r.apostrophe))  # Türkiye'de, parents'
        made.append((re.compile(r"(?<!\w)'(?=\d\d(?!\d))"), r.apostrophe))  # '90s
        if r.inner == "‘’":  # 'a word' quoted with straight single quotes
            made.append((re.compile(r"(?<![\w'])'(?=\w)"), "‘"))
    if r.titles:
        made.append((re.compile(rf"(?<![\w.])({_either(r.titles)})[ ]+(?=\w)"), rf"\1{NBSP}"))
    if r.initials:
        made.append((re.compile(r"(?<![\w.])([^\W\d_]\.)[ ]+(?=[^\W\d_])"), _initial))
    if r.after_words:
        words = _either(r.after_words)
        made.append((re.compile(rf"(?<![\w-])({words})[ ]+(?=\S)", re.IGNORECASE), rf"\1{NBSP}"))
    if r.before_words:
        words = _either(r.before_words)
        made.append((re.compile(rf"(?<=\w)[ ]+(?=({words})(?![\w-]))"), NBSP))
    if r.after_numbers:
        units = _either(r.after_numbers)
        made.append((re.compile(rf"(?<=\d)[ ]+(?=({units})(?![\w]))"), NBSP))
    if r.dashes:
        made.append((re.compile(rf"(?<=\S)[ ]+(?=[{re.escape(r.dashes)}](\s|$))"), NBSP))
    return made


def _initial(match: re.Match) -> str:
    """An initial ("А.") tied to what follows, if it is a capital and so is the next letter."""
    end, text = match.end(), match.string
    if match.group(1)[0].isupper() and end < len(text) and text[end].isupper():
        return match.group(1) + NBSP
    return match.group(0)
