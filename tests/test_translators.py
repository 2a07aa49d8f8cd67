"""Translators in their own tools: PO and XLIFF round trips, staleness of the printed text,
templates that keep stale strings stale, fields that need no translation, watch's output."""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from booklet.builder.pipeline import build
from booklet.cli import main

from .conftest import ROOT, SAMPLE

polib = pytest.importorskip("polib")
XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
OASIS_SCHEMA = ROOT / "tests/data/xliff/oasis/xliff_core_2.0.xsd"


@pytest.fixture
def event(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "ev")
    return tmp_path / "ev"


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _booklet_text(event, out, lang="az"):
    build(event, layouts=("a5-booklet",), langs=(lang,), out_dir=out)
    reader = PdfReader(out / event.name / f"a5-booklet.{lang}.screen.pdf")
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


EDITS = {
    "program[film].title": (
        "İşgəncə qülləsi – Şuşa həbsxanası",
        "Şuşa həbsxanası: işgəncə qülləsi",
    ),
    "program[opening].title": ("Açılış nitqi", "Açılış sözü"),
}


def test_po_round_trip_changes_exactly_the_two_edited_strings(event, tmp_path, capsys):
    before_pdf = _booklet_text(event, tmp_path / "before")
    before_yaml = (event / "event.az.yaml").read_text(encoding="utf-8")
    assert main(["i18n", "ev", "--export", "az", "--format", "po", "-o", "az.po"]) == 0
    catalog = polib.pofile("az.po")
    assert len(catalog) == 73 and catalog.percent_translated() == 100
    for entry in catalog:  # as Poedit would: two strings retyped, the file saved
        if entry.msgctxt in EDITS:
            assert entry.msgstr == EDITS[entry.msgctxt][0]
            entry.msgstr = EDITS[entry.msgctxt][1]
    catalog.save("az.po")
    capsys.readouterr()
    assert main(["i18n", "ev", "--import", "az.po"]) == 0
    out = capsys.readouterr().out
    assert "event.az.yaml: 2 strings changed" in out
    after_yaml = (event / "event.az.yaml").read_text(encoding="utf-8")
    changed = _changed_lines(before_yaml, after_yaml)
    # the two values, and the two hashes recording which translation each source was given
    assert len(changed) == 8, changed
    assert "+    title: 'Şuşa həbsxanası: işgəncə qülləsi'" in changed
    assert "+    title: Açılış sözü" in changed
    assert sum(line.startswith("+  program[") for line in changed) == 2
    assert after_yaml.startswith("# Azerbaijani translation of the commemoration")  # comments
    expected = before_pdf
    for old, new in EDITS.values():
        assert old in expected
        expected = expected.replace(old, new)
    assert _booklet_text(event, tmp_path / "after") == expected
    main(["i18n", "ev"])
    assert "az: 0 missing, 0 stale, 0 unused" in capsys.readouterr().out


def _xliff_checks(data: bytes) -> None:
    """Valid against the OASIS XLIFF core schema (tests/data/xliff/oasis/), and the
    constraints no schema states: unique unit ids, trgLang where there are targets,
    subState only with state."""
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(OASIS_SCHEMA)))
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    ns = {"x": XLIFF}
    assert doc.get("version") == "2.1" and doc.tag == f"{{{XLIFF}}}xliff"
    ids = doc.xpath("//x:unit/@id", namespaces=ns)
    assert len(ids) == len(set(ids))
    if doc.xpath("//x:target", namespaces=ns):
        assert doc.get("trgLang")
    for segment in doc.xpath("//x:segment[@subState]", namespaces=ns):
        assert segment.get("state")
    for segment in doc.xpath("//x:segment[@state!='initial']", namespaces=ns):
        assert segment.find(f"{{{XLIFF}}}target") is not None


def test_xliff_round_trip_validated_against_the_core_schema(event, tmp_path, capsys):
    etree = pytest.importorskip("lxml.etree")
    before_pdf = _booklet_text(event, tmp_path / "before")
    assert main(["i18n", "ev", "--export", "az", "-o", "az.xlf"]) == 0
    data = (tmp_path / "az.xlf").read_bytes()
    _xliff_checks(data)
    doc = etree.fromstring(data)
    for unit in doc.iter(f"{{{XLIFF}}}unit"):  # as a CAT tool would: two targets retyped
        if unit.get("name") in EDITS:
            target = unit.find(f".//{{{XLIFF}}}target")
            assert target.text == EDITS[unit.get("name")][0]
            target.text = EDITS[unit.get("name")][1]
    (tmp_path / "az.xlf").write_bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
    capsys.readouterr()
    assert main(["i18n", "ev", "--import", "az.xlf"]) == 0
    assert "2 strings changed" in capsys.readouterr().out
    expected = before_pdf
    for old, new in EDITS.values():
        expected = expected.replace(old, new)
    assert _booklet_text(event, tmp_path / "after") == expected
    # a schema that refuses what XLIFF 2.1 refuses: a 1.2 state
    bad = data.replace(b'state="translated"', b'state="needs-review-translation"', 1)
    schema = etree.XMLSchema(etree.parse(str(OASIS_SCHEMA)))
    assert not schema.validate(etree.fromstring(bad))


def test_rewrapping_a_source_line_makes_nothing_stale(event, capsys):
    path = event / "event.yaml"
    _edit(path, "with\n      the direct support", "with the\n      direct  support")
    _edit(path, "title: Opening address", "title: Opening   address ")
    _edit(path, "description: >-\n      In memory", "description: >-\n      In\n      memory")
    assert main(["i18n", "ev", "--strict"]) == 0
    assert capsys.readouterr().out.count(" 0 stale") == 4
    # a changed word is a change, shown with the text it was translated from
    _edit(path, "lost their lives", "were killed")
    assert main(["i18n", "ev"]) == 0
    out = capsys.readouterr().out
    assert "az: 0 missing, 1 stale, 0 unused" in out
    assert "    was: On the night of 25 to 26 February 1992" in out
    assert "    now: On the night" in out and "    az: 1992-ci il fevralın" in out
    assert main(["i18n", "ev", "--json"]) == 0
    stale = json.loads(capsys.readouterr().out)[0]["stale"][0]
    assert "children, lost their lives." in stale["previous-source"]
    assert "children, were killed." in stale["source"]
    assert "\n\nThe result was devastating." in stale["source"]  # paragraphs, lines joined


def test_a_template_then_accept_cannot_accept_a_stale_string(event, capsys):
    _edit(event / "event.yaml", "title: A minute of silence", "title: One minute of silence")
    assert main(["i18n", "ev", "--template", "az"]) == 0
    filled = capsys.readouterr().out
    assert "STALE: translated from an older source text:" in filled
    assert "\n  history:\n    # The night of" in filled
    assert "    body: |\n      1992-ci il fevralın 25-dən" in filled  # a block, not "…\\n\\n…"
    assert "source-hashes:" in filled and "leave empty" not in filled
    data = yaml.safe_load(filled)
    assert data["program"]["silence"]["title"] == "Bir dəqiqəlik sükut"
    # the translator sends it back as it is: it replaces the translation, then --accept
    (event / "event.az.yaml").write_text(filled, encoding="utf-8")
    assert main(["i18n", "ev", "--accept", "az"]) == 0
    assert "kept 1 stale" in capsys.readouterr().out
    main(["i18n", "ev"])
    assert "az: 0 missing, 1 stale, 0 unused" in capsys.readouterr().out
    # once the translator updates it, --accept takes it
    _edit(event / "event.az.yaml", "title: Bir dəqiqəlik sükut", "title: Bir dəqiqəlik sükut!")
    assert main(["i18n", "ev", "--accept", "az"]) == 0
    main(["i18n", "ev"])
    assert "az: 0 missing, 0 stale, 0 unused" in capsys.readouterr().out
    assert main(["build", "ev", "--layout", "a4-program", "--lang", "az", "-q"]) == 0


def test_stale_strings_are_fuzzy_with_their_previous_source(event, capsys):
    _edit(event / "event.yaml", "title: A minute of silence", "title: One minute of silence")
    assert main(["i18n", "ev", "--export", "az", "-o", "az.po"]) == 0
    text = (event.parent / "az.po").read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid "A minute of silence"\nmsgctxt "program[silence].title"\n'
        'msgid "One minute of silence"\nmsgstr "Bir dəqiqəlik sükut"\n'
    ) in text
    assert "#. Title; a default from the kind is used when empty." in text
    assert "#: ev/event.yaml:" in text
    # brought back still fuzzy: it stays stale
    assert main(["i18n", "ev", "--import", "az.po"]) == 0
    main(["i18n", "ev"])
    assert "az: 0 missing, 1 stale, 0 unused" in capsys.readouterr().out
    # the translator clears "fuzzy" (the translation is right): it is up to date
    catalog = polib.pofile(str(event.parent / "az.po"))
    catalog.find("One minute of silence", msgctxt="program[silence].title").flags.clear()
    catalog.save()
    assert main(["i18n", "ev", "--import", "az.po"]) == 0
    main(["i18n", "ev"])
    assert "az: 0 missing, 0 stale, 0 unused" in capsys.readouterr().out


def test_a_source_changed_after_the_export_stays_stale_after_the_import(event, capsys):
    assert main(["i18n", "ev", "--export", "tr", "-o", "tr.xlf"]) == 0
    _edit(event / "event.yaml", "title: A minute of silence", "title: One minute of silence")
    assert main(["i18n", "ev", "--import", "tr.xlf"]) == 0  # every unit "translated"
    main(["i18n", "ev"])
    assert "tr: 0 missing, 1 stale, 0 unused" in capsys.readouterr().out


def test_the_exported_po_passes_msgfmt_check(event):
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed (apt-get install gettext)")
    _edit(event / "event.yaml", "title: A minute of silence", "title: 100% of a minute")
    _edit(event / "event.tr.yaml", "    title: Bir dakikalık saygı duruşu\n", "")
    for lang in ("az", "tr", "ru", "ar"):
        assert main(["i18n", "ev", "--export", lang, "-o", f"{lang}.po"]) == 0
        run = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", f"{lang}.po"],
            cwd=event.parent,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0 and "error" not in run.stderr, run.stderr


def _room(catalog, context: str) -> int:
    entry = next(e for e in catalog if e.msgctxt == context)
    found = re.search(r"Room: about (\d+) characters", " ".join(entry.comment.split()))
    assert found, entry.comment
    return int(found.group(1))


def _card_check(event, capsys, title: str, text: str) -> tuple[int, str]:
    data = (SAMPLE / "event.yaml").read_text(encoding="utf-8")
    data = data.replace(
        "title: We have not forgotten, we will not let you forget", f"title: {title}"
    )
    data = re.sub(r"invitation:\n  text: >-\n(    .*\n)+", f"invitation:\n  text: {text}\n", data)
    (event / "event.yaml").write_text(data, encoding="utf-8")
    code = main(["check", "ev", "--layout", "a6-invitation", "--lang", "en"])
    return code, capsys.readouterr().err


def test_po_notes_give_the_room_a_card_leaves_and_a_text_that_long_fits(event, capsys):
    assert main(["i18n", "ev", "--export", "ru", "-o", "ru.po"]) == 0
    catalog = polib.pofile(str(event.parent / "ru.po"))
    title, text = _room(catalog, "event.title"), _room(catalog, "invitation.text")
    assert 50 <= title < text < 1000
    noted = [e.msgctxt for e in catalog if "Room:" in e.comment]
    assert sorted(noted) == ["event.title", "invitation.text"]  # only where a layout holds it
    words = "remember the victims of the town and honour their memory today " * 40
    prose = "We are honoured to invite you to the ceremony of remembrance. " * 40
    # the stated room is on the safe side: a text that long fits, one 40 % longer does not
    assert _card_check(event, capsys, words[:title].strip(), prose[:text].strip())[0] == 0
    code, err = _card_check(event, capsys, words[:title].strip(), prose[: text * 7 // 5].strip())
    assert code == 1 and "invitation.text: the card text would need" in err


def test_the_exported_po_compiles_with_babel(event):
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    _edit(event / "event.yaml", "title: A minute of silence", "title: 100% of {a} minute")
    assert main(["i18n", "ev", "--export", "ru", "-o", "ru.po"]) == 0
    data = (event.parent / "ru.po").read_bytes()
    assert b"python-format" not in data and b"python-brace-format" not in data  # no formats
    catalog = read_po(io.BytesIO(data), abort_invalid=True)
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=True)
    assert len(mo.getvalue()) > 1000
    assert str(catalog.locale) == "ru" and len(catalog) == 73


def test_names_and_what_is_marked_translate_false_are_never_missing(event, capsys):
    for name in ("Şentürk Hoşgül", "Prof. Dr. Kadir Ay"):
        _edit(event / "event.az.yaml", f"    name: {name}\n", "")
    _edit(event / "event.az.yaml", "    short: TADEF\n", "")
    base = event / "event.yaml"
    _edit(base, "  bar-academy:\n", "  bar-academy:\n    translate: false\n")
    _edit(
        event / "event.az.yaml", "  bar-academy:\n    name: Azərbaycan Vəkillər Akademiyası\n", ""
    )
    _edit(base, "  - id: film\n", "  - id: film\n    translate: {description: false}\n")
    _edit(event / "event.az.yaml", "    description: Sənədli film.\n", "")
    assert main(["i18n", "ev", "--strict"]) == 0
    assert "az: 0 missing, 0 stale, 0 unused" in capsys.readouterr().out
    report = build(event, layouts=("a4-program",), langs=("az",), out_dir=event.parent / "o")
    assert not [d for d in report.diagnostics.warnings if d.code == "i18n-missing"]
    # what is marked needs no translation is not offered to translators; names are
    assert main(["i18n", "ev", "--export", "az", "-o", "az.po"]) == 0
    contexts = {e.msgctxt for e in polib.pofile(str(event.parent / "az.po"))}
    assert "people.ay.name" in contexts and "organizations.bar-academy.name" not in contexts
    assert "program[film].description" not in contexts and "program[film].title" in contexts


def test_translate_markers_are_checked(event, capsys):
    _edit(event / "event.yaml", "  bar-academy:\n", "  bar-academy:\n    translate: {nme: false}\n")
    _edit(event / "event.tr.yaml", "  tadef:\n", "  tadef:\n    translate: false\n")
    assert main(["check", "ev", "--layout", "a4-program", "--lang", "tr"]) == 1
    err = capsys.readouterr().err
    assert "organizations.bar-academy.translate: expected false, or a mapping like" in err
    assert "hint: translatable fields here: name, short" in err
    assert "event.tr.yaml:" in err and "tadef.translate: not for translation files" in err


def test_an_import_inserts_new_strings_in_the_base_order(event, tmp_path, capsys):
    path = event / "event.az.yaml"
    _edit(path, "    place: Universitetin foyesi\n", "")
    _edit(path, "  anthems:\n    anthems:\n      - Azərbaycan\n      - Türkiyə\n", "  anthems:\n")
    before = path.read_text(encoding="utf-8")
    assert main(["i18n", "ev", "--export", "az", "-o", "az.po"]) == 0
    catalog = polib.pofile("az.po")
    fill = {
        "program[exhibition].place": "Foye",
        "program[anthems].anthems[1]": "Azərbaycan",
        "program[anthems].anthems[2]": "Türkiyə",
    }
    for entry in catalog:
        if entry.msgctxt in fill:
            assert entry.msgstr == ""
            entry.msgstr = fill[entry.msgctxt]
    catalog.save("az.po")
    assert main(["i18n", "ev", "--import", "az.po"]) == 0
    after = path.read_text(encoding="utf-8")
    assert (
        "    title: Xocalı soyqırımına dair fotosərgi\n    place: Foye\n    description:" in after
    )
    assert "  anthems:\n    anthems: [Azərbaycan, Türkiyə]\n    note:" in after
    hashes = re.compile(r"^[+-]  [a-z]")  # the record at the end: two more strings
    added = [line for line in _changed_lines(before, after) if not hashes.match(line)]
    assert added == ["+    place: Foye", "+    anthems: [Azərbaycan, Türkiyə]"]
    capsys.readouterr()
    main(["i18n", "ev", "--strict"])
    assert "az: 0 missing, 0 stale" in capsys.readouterr().out


def test_xliff_with_a_document_type_or_entity_is_refused(event, capsys):
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" '
        b'trgLang="az"><file id="f"><unit id="u"><segment><source>&b;</source></segment>'
        b"</unit></file></xliff>"
    )
    (event.parent / "bomb.xlf").write_bytes(bomb)
    before = (event / "event.az.yaml").read_bytes()
    assert main(["i18n", "ev", "--import", "bomb.xlf"]) == 1
    err = capsys.readouterr().err
    assert "bomb.xlf:2: expected XLIFF, found a document type declaration" in err
    assert (event / "event.az.yaml").read_bytes() == before


def test_an_import_in_a_language_the_event_lacks_is_refused(event, capsys):
    assert main(["i18n", "ev", "--export", "az", "-o", "az.po"]) == 0
    text = (event.parent / "az.po").read_text(encoding="utf-8")
    (event.parent / "de.po").write_text(text.replace("Language: az", "Language: de"), "utf-8")
    assert main(["i18n", "ev", "--import", "de.po"]) == 1
    assert "expected a translation into one of az, tr, ru, ar, found 'de'" in (
        capsys.readouterr().err
    )
    assert main(["i18n", "ev", "--export", "en"]) == 2


def test_watch_prints_only_new_and_resolved_warnings(event, tmp_path):
    from booklet.cli.watch import Seen, rebuild

    said, shown = [], []
    seen = Seen()

    def again(langs=("az", "tr")):
        said.clear(), shown.clear()
        rebuild(event, ("a4-program",), langs, tmp_path / "out", said.append, shown.append, seen)

    _edit(event / "event.tr.yaml", "    title: Bir dakikalık saygı duruşu\n", "")
    _edit(event / "event.az.yaml", "    title: Bir dəqiqəlik sükut\n", "")
    again()
    assert sorted(d.message for d in shown) == [
        "no az translation; printed in en",
        "no tr translation; printed in en",
    ]
    again()  # nothing changed: nothing to say but the summary
    assert shown == [] and said[-1].endswith("0 new warning(s), 0 resolved, 2 open")
    _edit(event / "event.tr.yaml", "  silence:\n", "  silence:\n    title: Saygı duruşu\n")
    again(("tr",))  # the Turkish rebuild resolves the Turkish warning, not the other
    assert shown == [] and len(said) == 2
    assert said[0].startswith("resolved: ev/event.yaml:") and "no tr translation" in said[0]
    assert said[1].endswith("0 new warning(s), 1 resolved, 1 open")


def test_a_poem_keeps_its_lines_prose_does_not():
    from booklet.read.nodes import parse_text
    from booklet.read.translations import leaves

    def body_hash(verse: bool, body: str) -> str:
        text = f"sections:\n  - id: s\n    title: T\n    verse: {str(verse).lower()}\n"
        text += "    body: |\n" + "".join(f"      {line}\n" for line in body.split("\n"))
        return {x.path: x.hash for x in leaves(parse_text(text, "x"))}["sections[s].body"]

    assert body_hash(False, "one two\nthree") == body_hash(False, "one\ntwo  three")
    assert body_hash(True, "one two\nthree") != body_hash(True, "one\ntwo three")
    assert body_hash(True, "one  two\nthree") == body_hash(True, "one two\nthree")


def test_a_file_the_editor_cannot_read_is_a_located_error_not_a_traceback(event, capsys):
    # libyaml reads `{title: Why?}`; the pure-Python parser the in-place editor uses does not
    path = event / "event.az.yaml"
    _edit(path, "    title: Azərbaycan Dövlət İnformasiya Agentliyi", "    x: {title: Nə?}")
    before = path.read_bytes()
    status = main(["i18n", str(event), "--accept", "az"])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err and "internal error" not in err
    assert "event.az.yaml:" in err and "cannot edit this file in place" in err
    assert path.read_bytes() == before
