"""Load stage: YAML read as written, with a location for every value."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from booklet.errors import BookletError, Diagnostics
from booklet.read.nodes import load_yaml, overlay

from .conftest import SAMPLE


def _load(tmp_path, text: str, name: str = "e.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, tmp_path)


def test_scalars_stay_as_written(tmp_path):
    node = _load(tmp_path, "start: 14:00\ncode: 0613\nflag: NO\nwhen: 2026-02-26\n")
    assert {k: v.value for k, v in node.value.items()} == {
        "start": "14:00",
        "code": "0613",
        "flag": "NO",
        "when": "2026-02-26",
    }


def test_every_value_has_its_line_and_column(tmp_path):
    node = _load(tmp_path, "event:\n  title: Hello\n  list: [a, b]\n")
    title = node.value["event"].value["title"]
    assert (title.loc.file, title.loc.line, title.loc.column) == ("e.yaml", 2, 10)
    assert node.value["event"].value["list"].value[1].loc.column == 13


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "e.yaml:1:4: YAML anchors and aliases (&, *) are not allowed"),
        ("a: !!python/object:os.system x\n", "e.yaml:1:4: YAML tags (!!) are not allowed"),
        ("a: 1\na: 2\n", "e.yaml:2:1: a: key 'a' appears twice in this mapping"),
        ("a: 1\n---\nb: 2\n", "e.yaml:2:1: expected one YAML document, found a second one"),
        ("a: [1, 2\n", "e.yaml:1:4: YAML syntax error"),
        ("a:\n\tb: 1\n", "e.yaml:2:1: YAML syntax error"),
        ("[" * 100 + "]" * 100, "nested deeper than"),
    ],
)
def test_refused_yaml(tmp_path, text, message):
    with pytest.raises(BookletError) as caught:
        _load(tmp_path, text)
    assert message in str(caught.value)


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(BookletError) as caught:
        load_yaml(path, tmp_path)
    assert "e.yaml:2:7: expected UTF-8 text, found byte 0xE9" in str(caught.value)


def test_overlay_matches_items_by_id(tmp_path):
    base = _load(tmp_path, "items:\n  - {id: a, t: A}\n  - {id: b, t: B}\n", "base.yaml")
    tr = _load(tmp_path, "items:\n  b: {t: Bee}\n", "tr.yaml")
    diags = Diagnostics()
    merged = overlay(base, tr, "", diags)
    items = merged.value["items"].value
    assert [i.value["t"].value for i in items] == ["A", "Bee"]
    assert items[1].value["t"].loc.file == "tr.yaml"
    assert not diags.items


def test_overlay_reports_unknown_ids_and_keys(tmp_path):
    base = _load(tmp_path, "items:\n  - {id: film, t: A}\ntitle: x\n", "base.yaml")
    tr = _load(tmp_path, "items:\n  flim: {t: B}\ntitel: y\n", "tr.yaml")
    diags = Diagnostics()
    overlay(base, tr, "", diags)
    lines = [d.format() for d in diags.errors]
    # Unknown keys are left to the schema, which reports them in the translation file.
    assert lines == [
        "tr.yaml:2:3: items[flim]: no item with id 'flim' in the base file\n"
        "  hint: did you mean 'film'?",
    ]


def test_readers_remember_results_until_a_file_changes(tmp_path):
    import os
    import shutil

    from booklet.read.project import read_content

    from .conftest import SAMPLE

    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    first, again = Diagnostics(), Diagnostics()
    content = read_content(event, "tr", first)
    assert read_content(event, "tr", again) is content  # nothing changed: the same result
    assert [d.code for d in again.items] == [d.code for d in first.items]  # findings replayed
    tr = event / "event.tr.yaml"
    before = tr.stat()
    text = tr.read_text(encoding="utf-8")
    tr.write_text(text.replace("Unutmadık, unut", "Anutmadık, unut", 1), encoding="utf-8")
    # an edit of the same size within the same clock tick as the last read
    os.utime(tr, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited = read_content(event, "tr", Diagnostics())
    assert edited is not content and "Anutmadık" in str(edited.event.title)


def test_a_guest_list_is_held_plain_and_gives_back_located_guests(tmp_path):
    from booklet.errors import Location
    from booklet.read.model import Guest, GuestList
    from booklet.read.types import Ident, Text

    row = Location("guests.csv", 3, 1)
    csv_guest = Guest(Ident("g1", row), Text("Aysel Şahin", row), None, Text("A6", row))
    yaml_guest = Guest(  # each field on a line of its own, one in another language
        Ident("g2", Location("g.yaml", 4, 7)),
        Text("Emre Yılmaz", Location("g.yaml", 5, 9), "tr"),
        Text("Dr.", Location("g.yaml", 6, 14)),
        None,
    )
    guests = GuestList([csv_guest, yaml_guest])
    assert len(guests) == 2 and list(guests) == [csv_guest, yaml_guest]
    assert guests[1:] == (yaml_guest,) and guests[-1] == yaml_guest
    back = guests[1]
    assert back.name.loc == Location("g.yaml", 5, 9) and back.name.lang == "tr"
    assert back.honorific.loc == Location("g.yaml", 6, 14) and back.seat is None
    assert isinstance(guests[0].id, Ident) and guests[0].seat.loc == row
    assert not any(isinstance(v, Text) for r in guests._rows for v in r)  # held plain


def test_a_csv_guest_list_is_read_row_by_row(tmp_path):
    from booklet.errors import Location
    from booklet.read import guests as guest_list
    from booklet.read.model import GuestList

    event = tmp_path / "ev"
    event.mkdir()
    (event / "guests.csv").write_text("id,name,seat\ng1,Aysel,A1\ng2,Emre,\n", encoding="utf-8")
    from booklet.read.types import Text

    listed = Text("guests.csv", Location("event.yaml", 9, 11))
    content = type("C", (), {"invitation": type("I", (), {"guests": listed})()})()
    diags = Diagnostics()
    guests = guest_list.read_guests(event, content, diags)
    assert isinstance(guests, GuestList) and not diags.items
    assert [(g.id, g.name, g.seat) for g in guests] == [("g1", "Aysel", "A1"), ("g2", "Emre", None)]
    assert (guests[1].name.loc.line, guests[1].id.loc.file.endswith("guests.csv")) == (3, True)


def test_a_file_parsed_earlier_in_the_build_is_not_parsed_again_unless_it_changed(tmp_path):
    from booklet.read import nodes as load

    path = tmp_path / "event.yaml"
    path.write_text("title: One\n", encoding="utf-8")
    load.forget_parsed()
    first = load.load_yaml(path)
    assert load.load_yaml(path) is first  # the build file's check and the content share it
    path.write_text("title: Two, longer\n", encoding="utf-8")
    assert load.load_yaml(path).value["title"].value == "Two, longer"
    again = load.load_yaml(path)
    load.forget_parsed()  # a build starts with nothing parsed: a watch rebuild reads afresh
    assert load.load_yaml(path) is not again


# --- what a build opens -------------------------------------------------------------------------

_OPENED: list[str] | None = None


def _record_open(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fsdecode(args[0]))


def test_a_build_opens_only_the_files_the_event_names(tmp_path, monkeypatch):
    """The build file, the base file, the translations of the languages built and the guest
    list: a stray YAML file beside them, or a link to a file outside, is never opened."""
    global _OPENED
    import shutil

    from booklet.builder.pipeline import build

    event = tmp_path / "ev"
    shutil.copytree(SAMPLE, event)
    (tmp_path / "secret.yaml").write_text("secret: yes\n")
    (event / "notes.yaml").symlink_to(tmp_path / "secret.yaml")
    (event / "scratch.yaml").write_text("language: en\n")
    sys.addaudithook(_record_open)  # for the rest of the process; records only in here
    _OPENED = []
    try:
        build(event, ("a5-booklet",), ("az",), tmp_path / "out", write=False)
        opened = {Path(p).name for p in _OPENED if Path(p).parent == event}
    finally:
        _OPENED = None
    assert opened == {"build.yaml", "event.yaml", "event.az.yaml"}
