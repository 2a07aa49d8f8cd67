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
    from booklet.read.cache import read_cached

    (path,) = folder.glob("patterns-*.marshal")
    return read_cached(path)


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


def _pdf_with(font) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(font.fontName, 11)
    canvas.drawString(72, 720, "Xocalı, 26 fevral 1992 — Şuşa, Gəncə, İzmir «ölkə»")
    canvas.save()
    return out.getvalue()


def test_a_face_put_back_from_the_cache_sets_the_same_bytes(tmp_path, monkeypatch):
    import hashlib

    from reportlab.pdfbase.ttfonts import TTFont

    from booklet.language import face_cache

    from .conftest import ROOT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = ROOT / "fonts" / "noto" / "NotoSerif-Italic.ttf"
    data = path.read_bytes()
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    assert face_cache.load("CacheTest", path, data, digest) is None  # nothing kept yet
    parsed = TTFont("CacheTest", str(path))
    face_cache.store(parsed, path, digest)
    back = face_cache.load("CacheTest", path, data, digest)
    assert back is not None and back.face is not parsed.face
    same = {k for k, v in vars(parsed.face).items() if k != "_pdfScale" and vars(back.face)[k] == v}
    assert same == set(vars(parsed.face)) - {"_pdfScale"}
    assert back.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    assert _pdf_with(back) == _pdf_with(parsed)
    # another file's content is another key: nothing is put back for it
    assert face_cache.load("CacheTest", path, data, "0" * 32) is None


def _written(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "commemoration").iterdir())}


def test_a_start_from_the_caches_writes_the_same_files_as_a_start_without(tmp_path, monkeypatch):
    import os
    import subprocess

    from booklet.builder.pipeline import build

    from .conftest import ROOT

    sample = ROOT / "content" / "commemoration"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.update(PYTHONPYCACHEPREFIX=str(tmp_path / "pyc"), PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    outputs = {}
    for run in ("fills", "uses"):  # the first start fills the caches, the second reads them
        out = tmp_path / run
        argv = ["build", str(sample), "--layout", "a5-booklet", "--lang", "en", "--out", str(out)]
        subprocess.run([sys.executable, "-m", "booklet", *argv], env=env, check=True)
        outputs[run] = _written(out)
    kept = {p.name.split("-")[0] for p in (tmp_path / "cache" / "booklet").iterdir()}
    assert {"patterns", "face", "picture", "svg", "thumb"} <= kept
    assert list((tmp_path / "pyc").rglob("dataclass-methods.*.marshal"))
    monkeypatch.setenv("BOOKLET_WORKERS", "1")  # serial, in this process, no caches
    build(sample, ("a5-booklet",), ("en",), tmp_path / "plain")
    plain = _written(tmp_path / "plain")
    assert outputs["fills"] == outputs["uses"] == plain
    assert {n.rsplit(".", 1)[-1] for n in plain} == {"pdf", "png", "json"}


def test_the_cache_folder_is_kept_under_its_limit_oldest_first(tmp_path, monkeypatch):
    import os

    from booklet.read import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "CACHE_LIMIT", 10_000)
    kept = []
    for n in range(12):  # 1,000 bytes and a little each: the limit is passed at the 10th
        source = tmp_path / f"picture{n}.png"
        source.write_bytes(b"x")
        stored = cache.cache_file("picture", source, "1")
        cache.keep(stored, b"p" * 1000)
        os.utime(stored, ns=(n * 10**9, n * 10**9))  # kept in this order
        kept.append(stored)
    left = sorted((tmp_path / "cache" / "booklet").iterdir())
    assert sum(p.stat().st_size for p in left) <= 10_000
    assert kept[-1].exists() and not kept[0].exists()  # the newest stays, the oldest went
    assert cache.read_cached(kept[-1]) == b"p" * 1000


def _logo_pdf(drawing) -> bytes:
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    renderPDF.draw(drawing, canvas, 10, 10)
    canvas.save()
    return out.getvalue()


def _converted(data: bytes):
    import io

    from svglib.svglib import svg2rlg

    from booklet.typeset.colour import as_cmyk

    return svg2rlg(io.BytesIO(data), resolve_entities=False, color_converter=as_cmyk)


def test_an_svg_logo_is_converted_once_and_drawn_alike_from_what_was_kept(tmp_path, monkeypatch):
    from booklet.typeset import vector_cache

    from .conftest import ROOT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    logos = sorted((ROOT / "content").glob("*/pictures/*.svg"))
    assert len(logos) >= 10
    for n, path in enumerate(logos):
        digest = f"{n:032x}"
        assert vector_cache.load(str(path), digest) is None  # nothing kept yet
        made = _converted(path.read_bytes())
        vector_cache.store(str(path), digest, made)
        back = vector_cache.load(str(path), digest)
        assert back is not None and back is not made
        assert _logo_pdf(back) == _logo_pdf(made), path.name
        assert vector_cache.load(str(path), "f" * 32) is None  # another content, another key
    kept = list((tmp_path / "booklet").glob("svg-*.marshal"))
    assert len(kept) == len(logos)
    kept[0].write_bytes(kept[0].read_bytes()[:40])  # a torn file: converted again
    back = [vector_cache.load(str(p), f"{n:032x}") for n, p in enumerate(logos)]
    assert sum(b is None for b in back) == 1


def _logo(path):
    import hashlib

    from booklet.errors import Location
    from booklet.read.pictures import Picture

    digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return Picture("logo", str(path), path.name, digest, "svg", 40, 20, Location(path.name))


def _counted_conversions(monkeypatch) -> list[int]:
    import svglib.svglib

    from booklet.typeset import vector

    calls, real = [0], svglib.svglib.svg2rlg

    def counted(*args, **kw):
        calls[0] += 1
        return real(*args, **kw)

    monkeypatch.setattr(svglib.svglib, "svg2rlg", counted)
    vector._drawing.cache_clear()
    return calls


def test_a_logo_is_drawn_from_what_an_earlier_process_kept(tmp_path, monkeypatch):
    from booklet.typeset import vector

    from .conftest import ROOT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls = _counted_conversions(monkeypatch)
    logo = _logo(ROOT / "content" / "commemoration" / "pictures" / "logo-tadef.svg")
    first = _logo_pdf(vector.drawing(logo))
    vector._drawing.cache_clear()  # as a new process
    again = vector.drawing(logo)
    assert calls[0] == 1 and again is not None  # converted once, then read back
    assert _logo_pdf(again) == first
    vector._drawing.cache_clear()


def test_a_logo_with_a_gradient_is_not_kept_and_still_drawn(tmp_path, monkeypatch):
    from booklet.typeset import vector, vector_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    svg = tmp_path / "gradient.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/>'
        '<stop offset="1" stop-color="#00c"/></linearGradient></defs>'
        '<rect width="40" height="20" fill="url(#g)"/></svg>'
    )
    with pytest.raises(vector_cache.Unkept):
        vector_cache._flat(_converted(svg.read_bytes()))  # svglib draws it itself
    calls = _counted_conversions(monkeypatch)
    drawn = [vector.drawing(_logo(svg))]
    vector._drawing.cache_clear()  # as a new process: converted again
    drawn.append(vector.drawing(_logo(svg)))
    assert calls[0] == 2 and not list(tmp_path.rglob("svg-*"))
    assert all(d is not None for d in drawn)
    assert _logo_pdf(drawn[0]) == _logo_pdf(drawn[1]) == _logo_pdf(_converted(svg.read_bytes()))
    vector._drawing.cache_clear()


def test_a_kept_file_with_a_flipped_byte_is_worked_out_again(tmp_path):
    """A damaged cache file that still unmarshals changed a logo's printed geometry without
    a word: each file carries a digest of what it holds, and one that does not match is
    no file at all."""
    from booklet.read.cache import keep, read_cached

    stored = tmp_path / "svg-logo.marshal"
    value = [1000, 2000, 3000]  # a path's coordinates
    keep(stored, value)
    assert read_cached(stored) == value
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0x01  # the last number's high byte: still marshal data, another number
    assert marshal.loads(bytes(data[16:])) != value
    stored.write_bytes(bytes(data))
    assert read_cached(stored) is None
    stored.write_bytes(marshal.dumps(value))  # a file of before: no digest, not taken
    assert read_cached(stored) is None
