"""Turn content strings into safe, localized text: sandboxed templates, formats, casing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

from ..errors import Diagnostics, Location
from ..read.nodes import load_yaml

_TURKIC = {"az", "tr", "crh", "tt", "kk"}


def upper(text: str, lang: str) -> str:
    """Capitals by the language's rules: in Azerbaijani and Turkish i → İ and ı → I; in
    Greek without accents (μάθημα → ΜΑΘΗΜΑ), with the dieresis they stood for (Μάιος →
    ΜΑΪΟΣ, ΐ → Ϊ), and the disjunctive ή (or) keeps its accent."""
    base = lang.split("-")[0]
    if base in _TURKIC:
        text = text.replace("i", "İ").replace("ı", "I")
    if base == "el":
        return greek_upper(text)
    return text.upper()


_GREEK_ACCENTS = "\u0301\u0342\u0313\u0314\u0345\u0300"  # tonos, perispomeni, breathings, iota
_DIPHTHONG_FIRST = "αεουηΑΕΟΥΗ"  # a vowel that makes a diphthong with a following ι or υ
_DISJUNCTIVE = re.compile(r"(?<![^\W\d_])ή(?![^\W\d_])")


def greek_upper(text: str) -> str:
    """Greek text in capitals as Greek typographers set them (see `upper`)."""
    text = _DISJUNCTIVE.sub("\x00", text)  # ή "or": Ή in capitals
    out: list[str] = []
    accented = False  # the letter before lost an accent
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        letter, marks = cluster[0], cluster[1:]
        if not "\u0370" <= letter <= "\u03ff" and not "\u1f00" <= letter <= "\u1fff":
            out.append(unicodedata.normalize("NFC", cluster).upper())
            accented = False
            continue
        kept = "".join(m for m in marks if m not in _GREEK_ACCENTS)
        if accented and letter in "ιυΙΥ" and "\u0308" not in kept and not marks:
            kept += "\u0308"  # Μάιος → ΜΑΪΟΣ: the two vowels are read apart
        accented = len(kept) < len(marks) and letter in _DIPHTHONG_FIRST
        out.append(unicodedata.normalize("NFC", letter.upper() + kept))
    return "".join(out).replace("\x00", "Ή")


def lower(text: str, lang: str) -> str:
    """Lower case by the language's rules: in Azerbaijani and Turkish I → ı and İ → i."""
    if lang.split("-")[0] in _TURKIC:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


@cache
def locale(lang: str) -> Locale:
    """Babel's locale for a BCP 47 tag (en-GB, ar-EG, sr-Latn); a region or script Babel
    does not know falls back to the language alone, an unknown language to English."""
    for tag in (lang, lang.split("-")[0], "en"):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale("en")


def date_text(value: dt.date, lang: str) -> str:
    """A date in the language's long form: "26 fevral 2026", "26 Şubat 2026"."""
    return format_date(value, "long", locale=locale(lang))


def full_date_text(value: dt.date, lang: str) -> str:
    """The date with its weekday, as the language writes it: "Thursday, February 26, 2026"."""
    return format_date(value, "full", locale=locale(lang))


def date_range_text(first: dt.date, last: dt.date | None, lang: str) -> str:
    """The days of an event, as the language writes a range: "May 14–15, 2027", "14–15 Mayıs
    2027", "14–15 мая 2027 г.": the day numbers joined inside the long date of one month."""
    if last is None or last == first:
        return date_text(first, lang)
    if (first.year, first.month) == (last.year, last.month):
        long = date_text(first, lang)
        day = re.compile(rf"(?<!\d){first.day}(?!\d)")
        if len(day.findall(long)) == 1:
            return day.sub(f"{first.day}–{last.day}", long)
    if first.year == last.year:
        return f"{format_skeleton('MMMMd', first, locale=locale(lang))} – {date_text(last, lang)}"
    return f"{date_text(first, lang)} – {date_text(last, lang)}"


# The zero of each decimal numbering system of CLDR a locale may name (Babel does not give
# the digits themselves); a system not here (armn, geor, grek, hebr: letters) stays Latin.
_ZEROS = {"arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "gujr": 0xAE6,
          "guru": 0xA66, "knda": 0xCE6, "khmr": 0x17E0, "laoo": 0xED0, "mlym": 0xD66,
          "mymr": 0x1040, "orya": 0xB66, "taml": 0xBE6, "telu": 0xC66, "thai": 0xE50,
          "tibt": 0xF20}  # fmt: skip


def numbering(lang: str, digits: str = "locale") -> str:
    """The numbering system a document prints with: the locale's default (arab for ar-EG,
    latn for ar), "latn" for `digits: latin`, the locale's native one for `digits: native`."""
    if digits == "latin":
        return "latn"
    found = locale(lang)
    if digits == "native":
        return str(found.other_numbering_systems.get("native", found.default_numbering_system))
    return str(found.default_numbering_system or "latn")


def with_digits(text: str, lang: str, system: str) -> str:
    """Text with its digits 0-9 in a numbering system, the separators between them its own
    (1,275 → ١٬٢٧٥ in arab); unchanged for latn or a system of letters."""
    zero = _ZEROS.get(system)
    if zero is None or not any(c.isdigit() for c in text):
        return text
    symbols = locale(lang).number_symbols.get(system, {})
    between = {",": symbols.get("group", ","), ".": symbols.get("decimal", ".")}
    text = re.sub(r"(?<=\d)[,.](?=\d)", lambda m: between[m.group()], text)
    return text.translate({ord("0") + n: zero + n for n in range(10)})


def local_digits(text: str, lang: str, digits: str = "locale") -> str:
    """Text in the digits a document of `lang` prints with (`numbering`): folios, numbers."""
    return with_digits(text, lang, numbering(lang, digits))


def number_text(value: int | float, lang: str) -> str:
    """A number with the language's digit grouping: 1,275 / 1.275 / 1 275."""
    return format_decimal(value, locale=locale(lang))


def figure_text(figure: str, lang: str) -> str:
    """A fact's figure: a whole number grouped in the language's style (1275 → 1,275), anything
    else exactly as written: 0613 keeps its zero, 25–26 its dash."""
    number = figure.isascii() and figure.isdigit() and (figure == "0" or figure[0] != "0")
    return number_text(int(figure), lang) if number else figure


def duration_text(minutes: int, lang: str) -> str:
    """A duration in the language's short form: "10 min", "10 dəq", "1 saat 30 dəq"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=locale(lang)))
    if rest or not hours:
        parts.append(format_unit(rest, "duration-minute", length="short", locale=locale(lang)))
    return " ".join(parts)


# --- the words the layout itself prints -------------------------------------------


@cache
def catalog(lang: str) -> dict[str, str]:
    """The package's message catalog for a language: a regional tag (ar-EG) falls back to
    its language (ar), and a word neither has to English."""
    words = _read_catalog("en")
    base = lang.split("-")[0]
    for tag in dict.fromkeys((base, lang)):
        if tag != "en" and re.fullmatch(r"[A-Za-z0-9-]{1,35}", tag):
            words = {**words, **_read_catalog(tag)}
    return words


@cache
def own_catalog(lang: str) -> dict[str, str]:
    """The words the package has in the language itself (its region's over its language's),
    without English: {} for a language booklet has no words for."""
    words: dict[str, str] = {}
    for tag in dict.fromkeys((lang.split("-")[0], lang)):
        if re.fullmatch(r"[A-Za-z0-9-]{1,35}", tag):
            words = {**words, **_read_catalog(tag)}
    return words


def _read_catalog(lang: str) -> dict[str, str]:
    ref = resources.files("booklet") / "locales" / f"{lang}.yaml"
    if not ref.is_file():
        return {}
    node = load_yaml(Path(str(ref)))
    return {key: value.value for key, value in node.value.items()}  # type: ignore[union-attr]


def check_words(lang: str, where: Location, diags: Diagnostics) -> None:
    """Warn that the layout's own words print in English for a language booklet has none for."""
    if lang.split("-")[0] != "en" and not own_catalog(lang):
        diags.warn(
            "locale-words",
            where,
            "language",
            f"booklet has no words for '{lang}': the layout's own words (Program, Speakers, "
            "Sources ...) print in English",
            f"add src/booklet/locales/{lang.split('-')[0]}.yaml with the keys of en.yaml",
        )


def word(key: str, lang: str) -> str:
    """One word or phrase of the layout ("Program", "Sources") in the language."""
    return catalog(lang)[key]


# --- inline markup ---------------------------------------------------------------------

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")


def escape(text: str) -> str:
    """Escape a string for ReportLab's paragraph markup: nothing in it is markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str) -> str:
    """Content text → paragraph markup: escaped, with **strong**, *emphasis* and line breaks."""
    plain = escape(text.strip())
    safe = _STRONG.sub(r"<b>\1</b>", plain)
    safe = _EMPHASIS.sub(r"<i>\1</i>", safe)
    if not _well_nested(safe):
        safe = plain  # overlapping emphasis: print the asterisks as typed
    return safe.replace("\n", "<br/>")


def _well_nested(safe: str) -> bool:
    stack: list[str] = []
    for closing, tag in re.findall(r"<(/?)([bi])>", safe):
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return False
    return not stack


def paragraphs(body: str) -> list[str]:
    """Split prose on blank lines and join each paragraph's lines with spaces."""
    blocks = re.split(r"\n\s*\n", body.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def stanzas(body: str) -> list[str]:
    """Verse split at blank lines, each stanza keeping its lines (trimmed, never joined)."""
    blocks = re.split(r"\n[ \t]*\n", body.strip())
    return ["\n".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks]
