"""Turn a base file and a translation into a translator's file: every source text above its key.

The template is itself a translation file: multi-line texts are block scalars,
stale strings are marked with the source they were made from, and the recorded
`source-hashes` come along, so that a template filled in and run through
`booklet i18n --accept` keeps every string the translator did not touch stale.
"""

from __future__ import annotations

from pathlib import Path

from .translation_record import HASHES, RECORD_NOTE, dump_yaml
from .translations import Leaf, work
from .yaml_edits import key_path, scalar, sequence


def header(lang: str, base_lang: str) -> list[str]:
    return [
        f"# The {lang} translation of event.yaml, from `booklet i18n --template {lang}`.",
        "# Above each key is its source text; write the translation as the key's value.",
        f'# A value left empty ("") is not translated yet: it prints in {base_lang} and is',
        "# reported missing (a name left empty prints as written, and is not). STALE marks",
        "# a translation whose source changed since it was made: update it. Keep the",
        "# source-hashes at the end as they are. Save this as event.LANG.yaml beside",
        f"# event.yaml, then run: booklet i18n --accept {lang}",
    ]


def template(event_dir: Path, lang: str, base_lang: str = "en") -> str:
    """A translator's file for `lang`, with what the current translation holds filled in."""
    state = work(event_dir, lang)
    source, done, hashes, old = state.source, state.done, state.hashes, state.old
    lines = [*header(lang, base_lang), f"language: {lang}"]
    opened: tuple[str, ...] = ()
    for leaf in source.values():
        if leaf.marked and leaf.path not in done:
            continue  # the base file says it needs no translation
        keys = key_path(leaf.path)
        keep = _shared(opened, keys[:-1])
        lines += ["  " * n + f"{key}:" for n, key in enumerate(keys[:-1]) if n >= keep]
        opened = keys[:-1]
        pad = "  " * (len(keys) - 1)
        lines += [pad + "# " + line if line else pad + "#" for line in _notes(leaf, old)]
        lines.append(f"{pad}{keys[-1]}: {_value(leaf, done.get(leaf.path), len(pad))}")
    text = "\n".join(lines) + "\n"
    kept = {p: str(hashes[p]) for p in source if hashes and p in hashes and p in done}
    return text + ("\n" + RECORD_NOTE + dump_yaml({HASHES: kept}) if kept else "")


def _notes(leaf: Leaf, old: dict) -> list[str]:
    notes = leaf.text.splitlines() or [""]
    if not leaf.needed:
        notes.append("(needs no translation: left empty, it prints as written)")
    entry = old.get(leaf.path)
    if entry is not None and entry.before is not None:
        notes += ["STALE: translated from an older source text:"] + entry.before.splitlines()
    elif entry is not None:
        notes.append("STALE: the source text changed since this was translated")
    return notes


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many leading keys two key paths have in common."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _value(source: Leaf, translation: Leaf | None, column: int) -> str:
    """The translation as YAML: text (a literal block when it has lines), a flow list."""
    if source.items is not None:
        return sequence(translation.items or (), column, True, None) if translation else "[]"
    if translation is None:
        return '""'
    return scalar(translation.text, column, False, source.prose)
