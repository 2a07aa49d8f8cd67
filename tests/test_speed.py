"""What the fast paths keep: the same patterns, the same fonts, the same bytes as the slow ones."""

from __future__ import annotations

import dataclasses
import marshal
import re
import sys

import pytest

from booklet.read import dataclass_cache, regex_cache


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


@pytest.fixture
def methods(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as Python writes its .pyc files
    dataclass_cache.uninstall()
    assert dataclass_cache.install(tmp_path)
    yield tmp_path
    dataclass_cache.uninstall()


_POINT = """
from dataclasses import dataclass, field

@dataclass(frozen=True, order=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default=(), compare=False)
"""


def test_dataclass_methods_are_compiled_once_and_served_from_the_cache(methods):
    first = _module(_POINT)["Point"]
    made = len(dataclass_cache._state["made"])
    assert made >= 5  # __init__, __repr__, __eq__, ordering, __hash__, frozen setattr ...
    dataclass_cache.save()
    dataclass_cache.uninstall()
    assert dataclass_cache.install(methods)
    again = _module(_POINT)["Point"]
    assert dataclass_cache._state["made"] == {}  # every method came from the file
    a, b = again(1, 2, ("x",)), again(1, 2)
    assert (a == b, a < again(2), repr(a), hash(a) == hash(b)) == (
        True,
        True,
        "Point(x=1, y=2, tags=('x',))",
        True,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 3
    assert repr(first(1, 2, ("x",))) == repr(a)


def test_a_cache_of_another_python_is_not_used(methods):
    _module(_POINT)
    dataclass_cache.save()
    (path,) = methods.glob("dataclass-methods.*.marshal")
    magic, table = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((b"\0\0\r\n", table)))
    dataclass_cache.uninstall()
    assert dataclass_cache.install(methods)
    assert dataclass_cache._state["table"] == {}
    assert _module(_POINT)["Point"](4).y == 0


def test_no_cache_is_written_when_python_writes_no_bytecode(methods, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _module(_POINT)
    dataclass_cache.save()
    assert list(methods.iterdir()) == []
