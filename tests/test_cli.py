"""The command line: exit codes, messages on stderr, glyph coverage, check without writing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from booklet.cli import main

from .conftest import ROOT, SAMPLE


@pytest.fixture
def event(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "ev")
    return tmp_path / "ev"


def test_letter_no_font_has_stops_the_build(event, capsys):
    path = event / "event.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "subtitle: In memory", "subtitle: \U00013000 In memory"
        ),
        encoding="utf-8",
    )
    assert main(["build", str(event), "--out", "out", "--layout", "a4-program"]) == 1
    err = capsys.readouterr().err
    assert (
        "ev/event.yaml:9:13: event.subtitle: U+13000 '\U00013000' is not in any font of the layout"
        in err
    )
    assert "booklet: 1 error; nothing written" in err
    assert not (event.parent / "out").exists()


def test_check_writes_nothing(event, capsys):
    assert main(["check", str(event), "--layout", "a5-booklet"]) == 0
    assert not (event.parent / "output").exists()
    assert "a5-booklet.az: 12 pages" in capsys.readouterr().out


def test_unknown_language_is_a_usage_error(event, capsys):
    assert main(["build", str(event), "--lang", "fr"]) == 2
    assert (
        "unknown language 'fr'; the build file lists: en, az, tr, ru, ar" in capsys.readouterr().err
    )


def test_event_dir_that_is_not_a_folder(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_bad_option_exits_2_without_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "booklet", "build", "--no-such-option"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "unrecognized arguments" in run.stderr


def test_version():
    run = subprocess.run(
        [sys.executable, "-m", "booklet", "--version"], capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout.startswith("booklet ")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["build", "--help"]])
def test_commands_that_do_not_typeset_do_not_import_the_typesetter(argv):
    # Their start-up time is Python's plus argparse's: ReportLab and pikepdf cost ~0.2 s.
    code = (
        "import sys, runpy; sys.argv = ['booklet', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('booklet', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('reportlab', 'pikepdf', 'pypdfium2', 'PIL') if m in sys.modules]\n"
        "print('heavy:', heavy)"
    )
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert "heavy: []" in run.stdout, run.stdout + run.stderr


def test_a_build_without_templates_does_not_import_jinja2(tmp_path):
    # The sample has no {{ … }} in it: the template engine (~15 ms to import) stays out.
    code = (
        "import sys\nfrom pathlib import Path\nfrom booklet.builder.pipeline import build\n"
        "build(Path(sys.argv[1]), ('a5-booklet',), ('en',), Path(sys.argv[2]))\n"
        "print('jinja2' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE), str(tmp_path)], capture_output=True, text=True
    )
    assert run.stdout.strip() == "False", run.stdout + run.stderr


def test_small_qr_codes_warn(tmp_path, capsys, monkeypatch):
    from .test_compose import _project

    event = _project(tmp_path, ["cover", "sources", "back-cover"])
    layout = tmp_path / "layouts" / "a5-booklet.yaml"
    layout.write_text(
        layout.read_text(encoding="utf-8").replace("size: 20mm", "size: 12mm"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(event), "--layout", "a5-booklet", "--lang", "en"]) == 0
    assert "warning[qr-too-small]: qr.size: QR codes 12.0 mm wide" in capsys.readouterr().err
    assert main(["check", str(event), "--layout", "a5-booklet", "--lang", "en", "--strict"]) == 1


def test_misspelled_key_shows_the_line_with_a_caret(event, capsys):
    path = event / "event.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  title: We have", "  titel: We have", 1), encoding="utf-8")
    assert main(["build", str(event), "--out", "out", "--layout", "a4-program"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "ev/event.yaml:8:3: event.titel: unknown field\n"
        "  hint: did you mean 'title'?\n"
        "    8 |   titel: We have not forgotten, we will not let you forget\n"
        "      |   ^\n"
    )


def test_preflight_command_on_our_print_file_and_a_plain_reportlab_file(tmp_path, capsys):
    from reportlab.pdfgen.canvas import Canvas

    from booklet.builder.pipeline import build

    build(SAMPLE, langs=("en",), out_dir=tmp_path)
    ours = tmp_path / "commemoration" / "a5-booklet.en.pdf"
    assert main(["preflight", "--booklet", str(ours)]) == 0
    assert "preflight passed (0 errors, 0 warnings)" in capsys.readouterr().out

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.setFillColorRGB(1, 0, 0)
    canvas.drawString(100, 700, "Hello")
    canvas.save()
    assert main(["preflight", str(plain)]) == 1
    out = capsys.readouterr().out
    for problem in ("TrimBox missing", "rg", "Helvetica"):
        assert problem in out
    assert main(["preflight", "--json", str(plain)]) == 1
    assert '"passed": false' in capsys.readouterr().out


def test_building_dot_writes_into_the_event_name(event, monkeypatch, capsys):
    monkeypatch.chdir(event)
    assert main(["build", ".", "--layout", "a4-program", "--lang", "en", "--out", "out"]) == 0
    assert (event / "out" / "ev" / "a4-program.en.pdf").is_file()


def test_strict_fails_before_writing(event, capsys):
    path = event / "event.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('time: "14:16"', 'time: "14:10"'))
    args = ["build", str(event), "--layout", "a4-program", "--lang", "en", "--out", "out"]
    assert main([*args, "--strict"]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert not (event.parent / "out").exists()


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("guests.csv", "id,name,honorific,seat\n", "guests: the guest list has no guests"),
        (
            "build.yaml",
            "documents: [a6-invitation]\nlanguages: [az, en]\n",
            "must be event.yaml's own, 'en'",
        ),
        ("build.yaml", "documents: []\nlanguages: [en]\n", "documents: expected at least one"),
    ],
)
def test_inputs_an_organizer_will_give_are_located_errors(event, capsys, file, text, message):
    (event / file).write_text(text, encoding="utf-8")
    assert main(["check", str(event)]) == 1
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err


def test_i18n_reports_yaml_errors_without_a_traceback(event, capsys):
    (event / "event.az.yaml").write_text("language: az\nevent: [\n", encoding="utf-8")
    assert main(["i18n", str(event)]) == 1
    err = capsys.readouterr().err
    assert "event.az.yaml:3:1: YAML syntax error" in err and "internal error" not in err


@pytest.mark.parametrize("which", ["event_dir", "out_dir"])
def test_a_nul_in_a_path_given_to_the_api_is_a_usage_error(tmp_path, which):
    # a command line cannot carry a NUL, a caller of booklet.build can: "embedded null byte"
    # from the OS was an internal error
    import booklet
    from booklet.builder.jobs import UsageError

    paths = {"event_dir": SAMPLE, "out_dir": tmp_path / "out"}
    paths[which] = f"{paths[which]}\0x"
    with pytest.raises(UsageError, match=f"{which} .* contains a NUL character"):
        booklet.build(paths["event_dir"], ("a4-program",), ("en",), paths["out_dir"])
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_cannot_be_made_is_said_plainly(tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code = main(
        [
            "build",
            str(SAMPLE),
            "--layout",
            "a4-program",
            "--lang",
            "en",
            "--out",
            str(blocked / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    assert str(blocked / "out") in err and "can be written" in err


def test_the_command_leaves_at_once_with_everything_written_and_no_process_behind(tmp_path):
    # `booklet` ends with os._exit after main(): output flushed, no forked process behind
    command = [sys.executable, "-m", "booklet", "build", "--layout", "a5-booklet"]
    command += ["--lang", "en", "--out", str(tmp_path)]
    env = {**os.environ, "BOOKLET_WORKERS": "2"}
    # its own session, so its own process group: any process it forks is in it too
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        text=True,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    wrote = sorted(line.split("/")[-1] for line in out.splitlines() if "wrote" in line)
    assert wrote == sorted(p.name for p in (tmp_path / "commemoration").iterdir())
    assert json.loads((tmp_path / "commemoration" / "report.json").read_text())["errors"] == 0
    for _ in range(100):  # a forked worker dies with its parent
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail("a process the command started outlived it")


def test_a_reader_that_leaves_early_is_not_blamed_on_the_output_folder(
    tmp_path, monkeypatch, capsys
):
    # `booklet build | head -1`: the listing cannot be printed; the build itself is done
    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Gone())
    code = main(
        ["build", str(SAMPLE), "--layout", "a4-program", "--lang", "en"] + ["--out", str(tmp_path)]
    )
    assert code == 1
    assert "folder" not in capsys.readouterr().err
    assert (tmp_path / "commemoration" / "a4-program.en.pdf").stat().st_size > 10_000


def test_a_line_break_in_a_path_cannot_forge_a_message_line(tmp_path, capsys, monkeypatch):
    """Every part of a message is escaped on its own: a folder named with a line break and a
    made-up second message prints on one line."""
    forged = "ev\nbooklet: 0 errors; all is well"
    event = tmp_path / forged
    shutil.copytree(SAMPLE, event)
    text = (event / "event.yaml").read_text(encoding="utf-8")
    (event / "event.yaml").write_text(text.replace('start: "14:00"', 'start: "25:00"'))
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", forged, "--layout", "a5-booklet", "--lang", "en"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "ev\\x0abooklet: 0 errors; all is well/event.yaml:13:10: event.start: expected a time "
        'like "14:00", found "25:00"'
    )
    assert not any(line.startswith("booklet: 0 errors") for line in lines)
    assert main(["check", f"{forged}/nothing"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "booklet: error: EVENT_DIR 'ev\\x0abooklet: 0 errors; all is well/nothing' is not a "
        "folder\n"
    )
