"""The whole-build fuzzer (bench/fuzz.py), 500 inputs with a fixed seed: each builds or is refused.

Bounded by count, never by time: the inputs are the same on every run, built in-process
with `write=False`, one layout and one language (a translation, so that the base file, the
translation and the build file are all read and mutated). `python bench/fuzz.py --n 20000`
is the long run; its figures are in bench/README.md.
"""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT

INPUTS = 500
SEED = 19


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("booklet_bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_500_fuzzed_inputs_each_build_or_are_refused():
    fuzz = _fuzz_module()
    fuzzer = fuzz.Fuzzer(SEED, layouts=("a4-program",), langs=("az",))
    try:
        outcome = fuzzer.run(INPUTS, hang=None)
    finally:
        fuzzer.close()
    counts = outcome.counts
    assert counts["inputs"] == INPUTS
    crashes = "\n\n".join(f"{label}:\n{trace}" for label, trace, _ in outcome.crashes[:3])
    assert counts["crashed"] == 0, f"{counts['crashed']} uncaught exceptions:\n{crashes}"
    assert not outcome.unlocated, "\n".join(outcome.unlocated[:5])  # every message names its file
    # The mutations reach both ends: builds that succeed and refusals of many kinds.
    assert counts["built"] >= INPUTS // 10 and counts["refused"] >= INPUTS // 10, counts
    assert len(outcome.codes) >= 8, outcome.codes


def test_the_hostile_values_reach_the_reader_as_written(tmp_path):
    """Each value the fuzzer puts in a file is read back as exactly that text, or refused
    for the character it holds: the mutations test the build, not the fuzzer's quoting."""
    from booklet.errors import BookletError
    from booklet.read.nodes import load_yaml

    fuzz = _fuzz_module()
    path = tmp_path / "v.yaml"
    read, refused = 0, 0
    for value in fuzz.VALUES:
        path.write_text(f"k: {fuzz.yaml_quoted(value)}\n", encoding="utf-8", errors="surrogatepass")
        try:
            assert load_yaml(path, tmp_path).value["k"].value == value
            read += 1
        except BookletError as exc:
            assert exc.diagnostics[0].code in ("control", "yaml"), exc
            refused += 1
    assert read > 40 and refused >= 8
