"""Turn a bundled template and a list of languages into a new event folder that builds as is."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import yaml

from ..read.json_schema import json_schema
from ..read.nodes import Node, load_yaml, suggest
from ..read.translation_files import accept
from ..read.translations import leaves

DOCUMENTS = ("a5-booklet", "dl-trifold", "a5-bifold", "a4-program", "a6-invitation")


class ScaffoldError(Exception):
    """The command line asks for something `new` cannot make (exit status 2)."""


def templates() -> list[str]:
    root = resources.files("booklet") / "templates"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def template_languages(name: str) -> list[str]:
    folder = resources.files("booklet") / "templates" / name
    return sorted(p.name.split(".")[1] for p in folder.iterdir() if p.name.startswith("event."))


def new_event(target: Path, template: str, langs: list[str]) -> list[Path]:
    """Write a new event folder from `template`; the first language is the base file's."""
    _check(target, template, langs)
    folder = Path(str(resources.files("booklet") / "templates" / template))
    base, others = langs[0], langs[1:]
    target.mkdir(parents=True, exist_ok=True)
    written = [_write_base(target, folder / f"event.{base}.yaml")]
    base_node = load_yaml(folder / f"event.{base}.yaml")
    for lang in others:
        source = folder / f"event.{lang}.yaml"
        written.append(_write_translation(target, lang, base_node, source))
        if source.is_file():
            accept(target, lang)  # the template's translations match its source
    shutil.copy(folder / "guests.csv", target / "guests.csv")
    written += [target / "guests.csv", _write_build(target, langs), *_write_schemas(target)]
    return written


def _check(target: Path, template: str, langs: list[str]) -> None:
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"'{target}' is a file; choose a new folder")
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"'{target}' exists and is not empty; choose a new folder")
    names = templates()
    if template not in names:
        hint = suggest(template, names)
        raise ScaffoldError(
            f"unknown template '{template}'; choose one of: {', '.join(names)}"
            + (f" ({hint})" if hint else "")
        )
    known = template_languages(template)
    if not langs or langs[0] not in known:
        raise ScaffoldError(
            f"the first language is the base file's and must be one of: {', '.join(known)}"
        )
    for lang in langs:
        if not lang.isascii() or not lang.replace("-", "").isalpha() or len(lang) > 8:
            raise ScaffoldError(f"'{lang}' is not a language code like az, tr or en")


MODELINE = "# yaml-language-server: $schema={schema}\n"


def _write_base(target: Path, source: Path) -> Path:
    text = source.read_text(encoding="utf-8")
    path = target / "event.yaml"
    path.write_text(MODELINE.format(schema="content.schema.json") + text, encoding="utf-8")
    return path


def _write_translation(target: Path, lang: str, base: Node, source: Path) -> Path:
    """Only the strings that differ from the base: the translator's overlay."""
    header = MODELINE.format(schema="translation.schema.json") + (
        f"# {lang} translation: only translated text, at the same paths as event.yaml.\n"
        "# Anything missing here falls back to event.yaml. Reference: docs/content.md\n"
    )
    data: dict = {"language": lang}
    if source.is_file():
        data.update(_translation(load_yaml(source)))
        data["language"] = lang
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    path = target / f"event.{lang}.yaml"
    path.write_text(header + body, encoding="utf-8")
    return path


def _translation(other: Node) -> dict:
    """Every translatable string of a full file in another language, as an overlay."""
    data: dict = {}
    for leaf in leaves(other):
        node = _at(other, leaf.path)
        if node is None:
            continue
        keys = leaf.path.replace("[", ".").replace("]", "").split(".")
        target = data
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = _plain(node)
    return data


def _at(node: Node, path: str) -> Node | None:
    """The node at a translation path such as `program[film].title`."""
    for part in path.replace("]", "").split("."):
        name, _, ident = part.partition("[")
        node = node.value.get(name) if node.is_map else None  # type: ignore[union-attr]
        if node is not None and ident:
            node = next((i for i in node.value if i.value["id"].value == ident), None)  # type: ignore[union-attr, index]
        if node is None:
            return None
    return node


def _plain(node: Node) -> object:
    if node.is_scalar:
        return node.value
    if node.is_seq:
        return [_plain(i) for i in node.value]  # type: ignore[union-attr]
    return {k: _plain(v) for k, v in node.value.items()}  # type: ignore[union-attr]


def _write_build(target: Path, langs: list[str]) -> Path:
    path = target / "build.yaml"
    path.write_text(
        "# What `booklet build` makes: every document (a layout from layouts/) in every\n"
        "# language. The first language is the one event.yaml is written in.\n"
        f"documents: [{', '.join(DOCUMENTS)}]\n"
        f"languages: [{', '.join(langs)}]\n",
        encoding="utf-8",
    )
    return path


def _write_schemas(target: Path) -> list[Path]:
    written = []
    for kind in ("content", "translation"):
        path = target / f"{kind}.schema.json"
        path.write_text(json.dumps(json_schema(kind), indent=1, ensure_ascii=False) + "\n")
        written.append(path)
    return written
