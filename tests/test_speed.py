"""What the fast paths keep: the same patterns, the same fonts, the same bytes as the slow ones."""

from __future__ import annotations

import marshal
import re

import pytest

from booklet.read import regex_cache


@pytest.fixture
def patterns(tmp_path):
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(tmp_path)
    yield tmp_path
    regex_cache.uninstall()
    re.purge()


def _module(source: str) -> dict:
    """Run `source` as a module body, as an import does."""
    scope: dict = {}
    exec(compile(source, "<module>", "exec"), scope)
    return scope


def _stored(folder) -> dict:
    (path,) = folder.glob("patterns-*.marshal")
    return marshal.loads(path.read_bytes())


def test_a_pattern_compiled_at_import_is_kept_and_served_again(patterns):
    source = "import re\nP = re.compile(r'(?P<word>[a-zəğış]+)-(\\d+)', re.I)"
    first = _module(source)["P"]
    regex_cache.save()
    kept = _stored(patterns)
    assert [key[0] for key in kept] == [first.pattern]
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(patterns)
    kept[(first.pattern, re.I.value)] = (re.I.value, [0], 0, {}, ())  # what it would serve
    regex_cache._state["table"].update(kept)
    again = _module(source)["P"]
    # a damaged entry is compiled anew, never served: the pattern works as Python's own
    assert again.match("Şəki-42").groupdict() == {"word": "Şəki"}
    assert again.groups == first.groups and again.flags == first.flags


def test_the_served_pattern_matches_as_the_compiled_one(patterns):
    source = "import re\nQ = re.compile(r'^[\\w.]+@(?P<host>[\\w-]+)\\.(az|tr)$')"
    compiled = _module(source)["Q"]
    regex_cache.save()
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(patterns)
    served = _module(source)["Q"]
    assert regex_cache._state["dirty"] is False  # found in the file, not compiled
    for text in ("ad@posta.az", "x.y@bilgi-net.tr", "nope@host.com"):
        assert bool(served.match(text)) == bool(compiled.match(text))
    assert served.match("ad@posta.az").group("host") == "posta"
    assert served.groupindex == compiled.groupindex


def test_a_pattern_compiled_while_building_is_not_kept(patterns):
    def from_content(name: str):
        return re.compile(re.escape(name) + r"\s+\d+")

    assert from_content("Aysel Məmmədova").match("Aysel Məmmədova 12")
    regex_cache.save()
    assert list(patterns.glob("patterns-*.marshal")) == []
