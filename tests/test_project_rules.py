"""A project's own language rules (`language-rules/<lang>.yaml`) over booklet's: laid over,
joined or replaced, checked with located errors, and printed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from booklet.builder.pipeline import build
from booklet.cli import main
from booklet.errors import Diagnostics
from booklet.language.hyphenation import hyphenator
from booklet.language.typography import NBSP, rules, typographic, use_project_rules
from booklet.read.language_rules import read_language_rules

from .conftest import SAMPLE


@pytest.fixture(autouse=True)
def bundled_rules_after():
    yield
    use_project_rules({})  # the next test sees booklet's own rules again


def project(tmp_path: Path, files: dict[str, str], documents: str = "a6-invitation") -> Path:
    """A project folder (its layouts/ empty) with the sample event in English and the
    given files in language-rules/; returns the event folder."""
    root = tmp_path / "proj"
    (root / "layouts").mkdir(parents=True)
    (root / "language-rules").mkdir()
    for name, text in files.items():
        (root / "language-rules" / name).write_text(text, encoding="utf-8")
    event = root / "content" / "ev"
    shutil.copytree(SAMPLE, event)
    (event / "build.yaml").write_text(f"documents: [{documents}]\nlanguages: [en]\n", "utf-8")
    return event


def screen_text(pdf: Path) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "".join(doc[n].get_textpage().get_text_range() for n in range(len(doc)))


def test_a_project_table_replaces_quotes_and_extends_the_lists(tmp_path):
    rules_file = 'quotes: ["«»", "‹›"]\nno-break-after: [of]\n'
    event = project(tmp_path, {"en.yaml": rules_file})
    build(event, langs=("en",), out_dir=tmp_path / "out")
    text = screen_text(tmp_path / "out/ev/a6-invitation.en.screen.pdf")
    assert "«Tower of Torture – Shusha Prison»" in " ".join(text.split())
    assert "“Tower" not in text
    assert typographic("a film of the year", "en") == f"a film of{NBSP}the year"  # joined
    assert "Prof." in rules("en").titles  # booklet's lists are kept, the project's joined


def test_without_the_project_folder_booklets_rules_come_back(tmp_path):
    use_project_rules({"en": {"quotes": ["«»", "‹›"]}})
    assert typographic('"a"', "en") == "«a»"
    use_project_rules({})
    assert typographic('"a"', "en") == "“a”"


def test_replace_drops_the_bundled_list_and_default_applies_to_every_language():
    use_project_rules(
        {
            "ru": {"no-break-after": ["к"], "replace": ["no-break-after"]},
            "default": {"titles": ["Sn."]},
        }
    )
    assert rules("ru").after_words == ("к",)
    assert typographic("в Баку к морю", "ru") == f"в Баку к{NBSP}морю"
    assert typographic("Sn. Yılmaz", "tr") == f"Sn.{NBSP}Yılmaz"


def test_a_project_hyphenation_exception_is_used():
    use_project_rules({"en": {"hyphenation": ["com-memo-ration"]}})
    assert list(hyphenator("en")("commemoration")) == [("commemo", "ration"), ("com", "memoration")]


BAD = """\
quotes: ["«»"]
apostroph: "’"
no-break-after: [в, "две слова"]
initials: maybe
hyphenation: [пред-ыстория, предыстория]
replace: [title]
"""


def test_bad_keys_and_values_are_located_errors(tmp_path):
    root = tmp_path / "proj"
    (root / "language-rules").mkdir(parents=True)
    (root / "language-rules" / "ru.yaml").write_text(BAD, encoding="utf-8")
    (root / "language-rules" / "russian.yaml").write_text("quotes: []\n", encoding="utf-8")
    diags = Diagnostics()
    read_language_rules(root, diags)
    found = {(d.location.line, d.field): d for d in diags.errors}
    assert set(found) == {
        (1, "quotes"),
        (2, "apostroph"),
        (3, "no-break-after[1]"),
        (4, "initials"),
        (5, "hyphenation[1]"),
        (6, "replace[0]"),
        (0, ""),
    }
    assert "did you mean 'apostrophe'?" in found[(2, "apostroph")].hint
    assert "did you mean 'titles'?" in found[(6, "replace[0]")].hint
    assert "expected true or false, found 'maybe'" in found[(4, "initials")].message
    assert found[(1, "quotes")].location.file.endswith("language-rules/ru.yaml")
    assert "russian.yaml" in found[(0, "")].message


def test_a_build_with_a_bad_rules_file_exits_1_and_names_the_line(tmp_path, capsys):
    event = project(tmp_path, {"en.yaml": "titels: [Sn.]\n"})
    code = main(["build", str(event), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "language-rules/en.yaml:1:1" in err and "did you mean 'titles'?" in err
    assert "Traceback" not in err


def test_the_rules_files_json_schema_takes_a_good_file_and_refuses_a_bad_key(capsys):
    import json

    import jsonschema
    import yaml

    assert main(["schema", "language-rules"]) == 0
    schema = json.loads(capsys.readouterr().out)
    text = 'quotes: ["«»", "„“"]\ninitials: true\nreplace: [titles]\ntitles: [Sn.]\n'
    good = yaml.safe_load(text)
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError, match="titels"):
        jsonschema.validate({"titels": ["Sn."]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"replace": ["quotes"]}, schema)  # quotes is not a list of words
