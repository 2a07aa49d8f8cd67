"""Text stage: casing, locale formats, escaping and the template sandbox."""

from __future__ import annotations

import datetime as dt

import pytest

from booklet.errors import Diagnostics, Location
from booklet.language.templates import expand
from booklet.language.text import (
    date_text,
    duration_text,
    figure_text,
    lower,
    markup,
    paragraphs,
    upper,
    word,
)
from booklet.read.types import Text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("istiqlal", "az", "İSTİQLAL"),
        ("ılıca", "tr", "ILICA"),
        ("istanbul", "en", "ISTANBUL"),
        ("Xocalı", "az", "XOCALI"),
    ],
)
def test_upper_follows_the_language(text, lang, expected):
    assert upper(text, lang) == expected


def test_lower_follows_the_language():
    assert lower("İSTİQLAL IŞIQ", "az") == "istiqlal ışıq"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("az", "17 sentyabr 2026"), ("tr", "17 Eylül 2026"), ("ru", "17 сентября 2026")],
)
def test_dates_in_the_language(lang, expected):
    assert date_text(dt.date(2026, 9, 17), lang).startswith(expected)


@pytest.mark.parametrize(
    ("minutes", "lang", "expected"),
    [(10, "en", "10 min"), (10, "az", "10 dəq"), (90, "tr", "1 sa. 30 dk."), (60, "en", "1 hr")],
)
def test_durations(minutes, lang, expected):
    assert duration_text(minutes, lang) == expected


@pytest.mark.parametrize(
    ("figure", "lang", "expected"),
    [
        ("1275", "en", "1,275"),
        ("1275", "tr", "1.275"),
        ("613", "az", "613"),
        ("25–26", "en", "25–26"),
        ("0613", "en", "0613"),
        ("007", "tr", "007"),
        ("0", "en", "0"),
        ("1275", "en-GB", "1,275"),
        ("1275", "ar-EG", "1,275"),
    ],
)
def test_figures(figure, lang, expected):
    assert figure_text(figure, lang) == expected


def test_markup_escapes_everything_but_our_subset():
    hostile = '<font color="x">a</font> & <img src="/etc/passwd"/> **bold** *it*'
    assert markup(hostile) == (
        '&lt;font color="x"&gt;a&lt;/font&gt; &amp; &lt;img src="/etc/passwd"/&gt; '
        "<b>bold</b> <i>it</i>"
    )


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("one\ntwo\n\n  three\n") == ["one two", "three"]


def test_catalog_words_fall_back_to_english():
    assert word("program", "az") == "Proqram"
    assert word("program", "xx") == "Program"


def _expand(source: str, lang: str = "en"):
    diags = Diagnostics()
    text = Text(source, Location("event.yaml", 3, 10), lang)
    context = {"event": {"date": dt.date(2026, 2, 26), "title": "T"}}
    return expand(text, context, diags, "event.subtitle"), diags


def test_templates_format_dates_in_the_language():
    out, diags = _expand("On {{ event.date | date }}", "tr")
    assert out == "On 26 Şubat 2026" and not diags.items
    assert out.loc == Location("event.yaml", 3, 10)


@pytest.mark.parametrize(
    "source",
    [
        "{{ event.__class__.__mro__ }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% include '/etc/passwd' %}",
        "{{ nothing.here }}",
    ],
)
def test_templates_cannot_reach_outside(source):
    out, diags = _expand(source)
    assert out == source  # left as written
    assert [d.code for d in diags.errors] == ["template"]
    assert diags.errors[0].location == Location("event.yaml", 3, 10)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("unutturmayacağız", "unut-tur-ma-ya-ca-ğız"),
        ("soykırımı", "soy-kı-rı-mı"),
        ("xatirəsinə", "xa-ti-rə-si-nə"),
        ("öğretmen", "öğ-ret-men"),
    ],
)
def test_turkic_words_break_between_syllables(word, expected):
    from booklet.language.hyphenation import syllable_breaks

    breaks = syllable_breaks(word)
    parts = [word[i:j] for i, j in zip([0, *breaks], [*breaks, len(word)], strict=True)]
    assert "-".join(parts) == expected


def test_names_are_never_hyphenated():
    from booklet.language.hyphenation import guarded, hyphenator, unbreakable

    text = (
        "Ceremonies in Khojaly. Commemorations are held. Bu gün Hocalı anılıyor. "
        "University students attend."  # a sentence's first word, but a name's
    )
    kept = unbreakable(text, ("Manisa Celal Bayar University",))
    assert list(guarded(hyphenator("tr"), kept)("Hocalı")) == []  # a name inside a sentence
    assert list(guarded(hyphenator("en"), kept)("Khojaly")) == []
    assert list(guarded(hyphenator("en"), kept)("University")) == []  # from the content's names
    assert list(guarded(hyphenator("en"), kept)("Commemorations"))  # a sentence's first word
    assert ("kurbanları", "nın") in list(hyphenator("tr")("kurbanlarının"))
    assert hyphenator("ar") is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "the film “Tower”"), ("az", "the film «Tower»"), ("ru", "the film «Tower»")],
)
def test_quotation_marks_follow_the_language(lang, expected):
    from booklet.language.typography import smart_quotes

    assert smart_quotes('the film "Tower"', lang) == expected
    assert smart_quotes('one " only', lang) == 'one " only'


WORDS = ["information", "commemoration", "exhibition", "documentary", "international"]


def _fresh_hyphenator(monkeypatch, cache_home):
    import pyphen

    from booklet.language.hyphenation import hyphenator

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenator.cache_clear()
    return hyphenator("en")


def test_hyphenation_patterns_are_kept_and_read_back_the_same(tmp_path, monkeypatch):
    import pyphen

    parsed = pyphen.Pyphen(lang="en_US", cache=False)
    expected = [list(parsed.iterate(word)) for word in WORDS]
    first = _fresh_hyphenator(monkeypatch, tmp_path)
    (kept,) = (tmp_path / "booklet").glob("hyphenation-hyph_en_US-*.marshal")
    again = _fresh_hyphenator(monkeypatch, tmp_path)  # from the kept file this time
    assert [list(first(w)) for w in WORDS] == [list(again(w)) for w in WORDS] == expected
    import marshal

    for damage in (b"\xe3 not marshal data", marshal.dumps({"ab": ("x", "y")})):
        kept.write_bytes(damage)  # unreadable, or readable but not patterns: parsed again
        damaged = _fresh_hyphenator(monkeypatch, tmp_path)
        assert [list(damaged(w)) for w in WORDS] == expected
    kept.unlink()
    kept.mkdir()  # a cache that cannot be written leaves nothing behind
    _fresh_hyphenator(monkeypatch, tmp_path)
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    monkeypatch.undo()
    from booklet.language.hyphenation import hyphenator

    hyphenator.cache_clear()
