"""Turn source texts into the record a translation keeps: hashes of the printed text, old texts.

A translation file ends with `source-hashes:`, a map from each translated path to
the hash of the source text it was made from and, after a space, the hash of the
translation itself (`event.title: 3f2a9c1e 8b0d4e77`). Hashes are taken over the
text as it prints: spaces and tabs folded, lines of prose joined (YAML wrapping
undone), so re-wrapping a paragraph or a double space changes nothing. The
texts themselves are kept beside the translations, in `translated-from.yaml`,
by hash: the report and the PO file show the old source beside the new.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import BookletError
from .nodes import Node, load_yaml

HASHES = "source-hashes"
RECORD_NOTE = (
    "# Written by `booklet i18n`: the source text each string was made from, and the\n"
    "# translation it was given for (hashes of the printed text; see translated-from.yaml).\n"
)
OLDER_NOTES = (
    "# Written by `booklet i18n --accept`: which source text each string was made from.",
)
SOURCE_TEXTS = "translated-from.yaml"
TRANSLATION_FILE = re.compile(r"^event\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.ya?ml$")
_SPACES = re.compile(r"[ \t\r\f\v]+")  # not U+00A0: a no-break space prints differently


def text_hash(text: str) -> str:
    """A short, stable hash of a text (8 hex digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def normalise(text: str, prose: bool = False) -> str:
    """The text as it prints: runs of spaces folded, lines trimmed, paragraphs kept; in
    prose (`sections[].body`) the lines of a paragraph are joined with spaces."""
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip(" ")
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    joiner = " " if prose else "\n"
    return "\n\n".join(joiner.join(lines) for lines in paragraphs if lines)


def normalise_items(items: tuple[str, ...]) -> str:
    """A list of texts (anthems) as one normalised text."""
    return " | ".join(normalise(item) for item in items)


@dataclass(frozen=True)
class Recorded:
    """What `source-hashes` says of one translated string."""

    source: str  # hash of the source text it was made from
    translation: str = ""  # hash of the translation as it was then ("": an older file)

    def __str__(self) -> str:
        return f"{self.source} {self.translation}".strip()

    @classmethod
    def parse(cls, value: str) -> Recorded:
        source, _, translation = value.strip().partition(" ")
        return cls(source, translation.strip())


def recorded_hashes(node: Node) -> dict[str, Recorded] | None:
    """The `source-hashes` map of a translation file, or None when it has none."""
    block = node.value.get(HASHES) if node.is_map else None  # type: ignore[union-attr]
    if block is None or not block.is_map:
        return None
    return {
        k: Recorded.parse(str(v.value))
        for k, v in block.value.items()  # type: ignore[union-attr]
        if v.is_scalar
    }


def made_from(recorded: Recorded | None, normal: str, raw: str) -> bool:
    """Whether a translation was made from this source text (normalised, or as written by
    files recorded before hashes were taken over the printed text)."""
    return recorded is not None and recorded.source in (text_hash(normal), text_hash(raw))


# --- the source texts translations were made from ----------------------------------------


def source_texts(event_dir: Path) -> dict[str, str]:
    """hash → the source text it was taken from, as far as the event keeps them."""
    path = event_dir / SOURCE_TEXTS
    if not path.is_file() or not path.resolve().is_relative_to(event_dir.resolve()):
        return {}
    try:
        node = load_yaml(path)
    except BookletError:
        return {}  # a damaged record only costs the old texts in the report
    if not node.is_map:
        return {}
    return {k: str(v.value) for k, v in node.value.items() if v.is_scalar}  # type: ignore[union-attr]


NOTE = (
    "# Written by booklet i18n (--accept, --import): the source texts translations were\n"
    "# made from, by the hash each translation file records in source-hashes, so that a\n"
    "# stale translation can be shown with the old and the new source. Keep it with the\n"
    "# event; booklet rewrites it.\n"
)


def keep_source_texts(event_dir: Path, new: dict[str, str]) -> None:
    """Add texts to `translated-from.yaml`; texts no translation file refers to are dropped."""
    texts = {**source_texts(event_dir), **new}
    used = set(new)
    for path in sorted(event_dir.glob("event.*.y*ml")):
        if TRANSLATION_FILE.match(path.name):
            try:
                used |= {r.source for r in (recorded_hashes(load_yaml(path)) or {}).values()}
            except BookletError:
                used |= set(texts)  # unreadable: keep everything it might refer to
    kept = {h: texts[h] for h in sorted(texts) if h in used}
    write_atomically(event_dir / SOURCE_TEXTS, NOTE + (dump_yaml(kept) if kept else ""))


def dump_yaml(data: object) -> str:
    """YAML for booklet's own records: block style, multi-line texts as literal blocks."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    literal = "\n" in value and value == value.strip() and "\t" not in value
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if literal else None)


_Dumper.add_representer(str, _text)


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that it is either the old file or the new one, never half of each."""
    staged = path.with_name(f".{path.name}.tmp")
    with open(staged, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    if path.exists():
        os.chmod(staged, path.stat().st_mode & 0o7777)
    os.replace(staged, path)
