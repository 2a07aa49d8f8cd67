"""Turn a project's own language rule files (`language-rules/<lang>.yaml`) into checked tables.

A project may lay its own table over booklet's for a language (`ru.yaml`) or for every
language (`default.yaml`): its lists are joined to the bundled ones, unless the file names
them under `replace`; its other values replace the bundled ones. Each file is checked like
the other project files: an unknown key, a value of the wrong kind, a file named after no
language are located errors. The tables are plain data: the language layer applies them.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Diagnostics, Location, display_path
from .nodes import Node, load_yaml, suggest

FOLDER = "language-rules"
WORDS = ("no-break-after", "no-break-before", "after-numbers", "titles")
LISTS = (*WORDS, "hyphenation")
KEYS = ("quotes", "apostrophe", *LISTS, "initials", "dashes", "replace")
_TAG = re.compile(r"[a-z]{2,3}")
_HYPHENATED = re.compile(r"[^\W\d_]+(-[^\W\d_]+)+")
Table = dict[str, object]


def read_language_rules(root: Path, diags: Diagnostics) -> dict[str, Table]:
    """The project's tables by language ("default" for every language), checked; {} when
    the project has no `language-rules/` folder."""
    folder = root / FOLDER
    if not folder.is_dir():
        return {}
    tables = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        where = Location(display_path(path))
        if path.stem != "default" and not _TAG.fullmatch(path.stem):
            diags.error(
                "language-rules",
                where,
                "",
                f"expected a file named after a language, like ru.yaml, found '{path.name}'",
                "name it after the language's code (ru, tr, en …) or default.yaml for all",
            )
            continue
        table = _table(load_yaml(path), diags)
        if table is not None:
            tables[path.stem] = table
    return tables


def _table(node: Node, diags: Diagnostics) -> Table | None:
    if not node.is_map:
        diags.error("language-rules", node.loc, "", f"expected a mapping, found {node.kind_name()}")
        return None
    table: Table = {}
    for key, value in node.value.items():  # type: ignore[union-attr]
        if key not in KEYS:
            hint = suggest(key, list(KEYS)) or "the keys are " + ", ".join(KEYS)
            loc = node.key_locs.get(key, value.loc)
            diags.error("unknown-key", loc, key, f"unknown key '{key}'", hint)
            continue
        checked = _CHECKS[key](value, key, diags)
        if checked is not None:
            table[key] = checked
    return table


def _wrong(diags: Diagnostics, node: Node, key: str, expected: str, hint: str = "") -> None:
    found = f"'{node.value}'" if node.is_scalar and not node.is_null else node.kind_name()
    diags.error("language-rules", node.loc, key, f"expected {expected}, found {found}", hint)


def _strings(node: Node, key: str, diags: Diagnostics) -> list[str] | None:
    if not node.is_seq:
        _wrong(diags, node, key, "a list of words")
        return None
    out = []
    for n, item in enumerate(node.value):  # type: ignore[arg-type]
        if not item.is_scalar or item.is_null or not str(item.value).strip():
            _wrong(diags, item, f"{key}[{n}]", "a word")
        elif " " in str(item.value).strip():
            _wrong(diags, item, f"{key}[{n}]", "one word, without spaces")
        else:
            out.append(str(item.value).strip())
    return out


def _quotes(node: Node, key: str, diags: Diagnostics) -> list[str] | None:
    pairs = node.value if node.is_seq else []
    if len(pairs) != 2 or any(not p.is_scalar or len(str(p.value)) != 2 for p in pairs):
        _wrong(diags, node, key, 'two pairs of marks, outer then inner, like ["«»", "„“"]')
        return None
    return [str(p.value) for p in pairs]  # type: ignore[union-attr]


def _apostrophe(node: Node, key: str, diags: Diagnostics) -> str | None:
    if not node.is_scalar or len(str(node.value)) > 1:
        _wrong(diags, node, key, 'one character, like "’", or "" to leave apostrophes straight')
        return None
    return "" if node.is_null else str(node.value)


def _initials(node: Node, key: str, diags: Diagnostics) -> str | None:
    if node.value not in ("true", "false"):
        _wrong(diags, node, key, "true or false")
        return None
    return str(node.value)


def _dashes(node: Node, key: str, diags: Diagnostics) -> str | None:
    if not node.is_scalar or any(c.isalnum() or c.isspace() for c in str(node.value)):
        _wrong(diags, node, key, 'dash characters, like "—–"')
        return None
    return "" if node.is_null else str(node.value)


def _hyphenation(node: Node, key: str, diags: Diagnostics) -> list[str] | None:
    words = _strings(node, key, diags)
    if words is None:
        return None
    items = node.value  # type: ignore[assignment]
    kept = []
    for n, word in enumerate(words):
        if _HYPHENATED.fullmatch(word):
            kept.append(word)
        else:
            item = next((i for i in items if str(i.value).strip() == word), node)  # type: ignore[union-attr]
            _wrong(diags, item, f"{key}[{n}]", "a word with its breaks, like pred-ys-to-ri-ya")
    return kept


def _replace(node: Node, key: str, diags: Diagnostics) -> list[str] | None:
    names = _strings(node, key, diags)
    if names is None:
        return None
    for n, name in enumerate(names):
        if name not in LISTS:
            item = node.value[n]  # type: ignore[index]
            hint = suggest(name, list(LISTS)) or "lists: " + ", ".join(LISTS)
            _wrong(diags, item, f"{key}[{n}]", "the name of a list of the table", hint)
    return [name for name in names if name in LISTS]


_CHECKS = {
    "quotes": _quotes,
    "apostrophe": _apostrophe,
    **dict.fromkeys(WORDS, _strings),
    "hyphenation": _hyphenation,
    "initials": _initials,
    "dashes": _dashes,
    "replace": _replace,
}


def rules_schema() -> dict[str, object]:
    """The JSON Schema of a project's rules file, for editors: the keys checked above."""
    words = {"type": "array", "items": {"type": "string", "pattern": "^\\S+$"}}
    pair = {"type": "string", "minLength": 2, "maxLength": 2}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "quotes": {"type": "array", "items": pair, "minItems": 2, "maxItems": 2},
            "apostrophe": {"type": "string", "maxLength": 1},
            **dict.fromkeys(WORDS, words),
            "hyphenation": {"type": "array", "items": {"type": "string", "pattern": "-"}},
            "initials": {"type": "boolean"},
            "dashes": {"type": "string"},
            "replace": {"type": "array", "items": {"enum": list(LISTS)}},
        },
    }
