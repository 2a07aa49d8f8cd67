"""Docs: every model field has a row in the reference tables, so docs and model cannot drift."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest

from booklet.read.layout import (
    Emphasis,
    Fold,
    FontFamily,
    Frame,
    Imposition,
    Layout,
    LayoutKind,
    Margins,
    Marks,
    PageKind,
    PageTemplate,
    Panels,
    Pictures,
    ProgramLayout,
    Qr,
    Sheet,
    Styles,
    TextStyle,
    Trim,
    Typography,
)
from booklet.read.model import (
    BuildSpec,
    Contact,
    Content,
    Day,
    Event,
    Fact,
    Guest,
    Image,
    Invitation,
    ItemKind,
    Organization,
    Person,
    Photo,
    ProgramItem,
    Section,
    Session,
    Source,
    SponsorTier,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
CONTENT_MD = DOCS / "content.md"
LAYOUT_MD = DOCS / "layout.md"

CONTENT_TYPES = (
    Content,
    Event,
    Contact,
    SponsorTier,
    Day,
    Session,
    Organization,
    Person,
    ProgramItem,
    Section,
    Session,
    Fact,
    Source,
    SponsorTier,
    Invitation,
    Guest,
    BuildSpec,
    Image,
    Photo,
)
LAYOUT_TYPES = (
    Layout,
    Trim,
    Margins,
    Marks,
    FontFamily,
    TextStyle,
    Styles,
    PageTemplate,
    Qr,
    Imposition,
    Fold,
    Panels,
    ProgramLayout,
    Sheet,
    Pictures,
    Frame,
    Typography,
    Emphasis,
)
CASES = [(cls, CONTENT_MD) for cls in CONTENT_TYPES] + [(cls, LAYOUT_MD) for cls in LAYOUT_TYPES]
HEADER = ["key", "type", "required", "translatable", "description"]


def yaml_key(fld: dataclasses.Field) -> str:
    return fld.name.replace("_", "-")


def field_tables(doc: Path) -> list[dict[str, dict[str, str]]]:
    """Every `| key | type | required | translatable | description |` table: key → column → cell."""
    tables: list[dict[str, dict[str, str]]] = []
    rows: list[list[str]] = []
    for line in [*doc.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if rows and [c.lower() for c in rows[0]] == HEADER:
            table = {}
            for cells in rows[2:]:  # after the header and the |---| line
                key = cells[0].strip("`")
                assert key not in table, f"{doc.name}: `{key}` has two rows in one table"
                table[key] = dict(zip(HEADER, cells, strict=False))
            tables.append(table)
        rows = []
    return tables


def required(fld: dataclasses.Field) -> bool:
    return fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING


def inner_types(tp: Any) -> list[Any]:
    """The types a field's value is made of: Optional, tuple and Mapping unwrapped."""
    origin = get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for a in get_args(tp) if a is not type(None) for t in inner_types(a)]
    if origin is tuple:
        return [t for a in get_args(tp) if a is not Ellipsis for t in inner_types(a)]
    if origin in (Mapping, dict):
        return inner_types(get_args(tp)[1])
    return [tp]


def holds_translatable(tp: Any) -> bool:
    """Whether a value of this type contains fields a translation may replace."""
    for t in inner_types(tp):
        if dataclasses.is_dataclass(t):
            hints = typing.get_type_hints(t)
            if any(
                f.metadata.get("tr") or holds_translatable(hints[f.name])
                for f in dataclasses.fields(t)
            ):
                return True
    return False


def literal_choices(tp: Any) -> tuple[str, ...]:
    return tuple(c for t in inner_types(tp) if get_origin(t) is Literal for c in get_args(t))


def table_for(cls: type, doc: Path) -> dict[str, dict[str, str]]:
    keys = {yaml_key(f) for f in dataclasses.fields(cls)}
    found = [t for t in field_tables(doc) if set(t) == keys]
    assert found, (
        f"{doc.name} has no table listing exactly the fields of {cls.__name__}: {sorted(keys)}"
    )
    return found[0]


@pytest.mark.parametrize(("cls", "doc"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_every_field_has_a_row(cls: type, doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for fld in dataclasses.fields(cls):
        assert f"| `{yaml_key(fld)}` |" in text, (
            f"{doc.name}: no row for {cls.__name__}.{yaml_key(fld)}"
        )
    table_for(cls, doc)


@pytest.mark.parametrize(("cls", "doc"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_rows_match_the_model(cls: type, doc: Path) -> None:
    table = table_for(cls, doc)
    hints = typing.get_type_hints(cls)
    for fld in dataclasses.fields(cls):
        key, tp = yaml_key(fld), hints[fld.name]
        row = table[key]
        where = f"{doc.name}: {cls.__name__}.{key}"
        assert row["type"] and row["description"], f"{where}: empty type or description"
        assert row["required"].startswith("yes") == required(fld), (
            f"{where}: required is '{row['required']}'"
        )
        if fld.metadata.get("tr"):
            expected = "yes"
        elif holds_translatable(tp):
            expected = "in part"
        else:
            expected = "no"
        assert row["translatable"] == expected, f"{where}: translatable should be '{expected}'"
        for choice in literal_choices(tp):
            assert f"`{choice}`" in row["type"] + row["description"], (
                f"{where}: choice '{choice}' not listed"
            )


@pytest.mark.parametrize(
    ("literal", "doc"),
    [(ItemKind, CONTENT_MD), (LayoutKind, LAYOUT_MD), (PageKind, LAYOUT_MD)],
    ids=["ItemKind", "LayoutKind", "PageKind"],
)
def test_every_kind_is_described(literal: Any, doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for value in get_args(literal):
        assert f"| `{value}` |" in text, f"{doc.name}: no row describing `{value}`"


def reachable(cls: type) -> set[type]:
    """The dataclasses a file format is made of: `cls` and every dataclass inside its fields."""
    found, todo = set(), [cls]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        hints = typing.get_type_hints(current)
        todo += [
            t
            for f in dataclasses.fields(current)
            for t in inner_types(hints[f.name])
            if dataclasses.is_dataclass(t)
        ]
    return found


@pytest.mark.parametrize(
    ("root", "listed"),
    [(Content, CONTENT_TYPES), (BuildSpec, CONTENT_TYPES), (Layout, LAYOUT_TYPES)],
    ids=["Content", "BuildSpec", "Layout"],
)
def test_every_model_type_is_checked(root: type, listed: tuple[type, ...]) -> None:
    missing = sorted(c.__name__ for c in reachable(root) - set(listed))
    assert not missing, f"add {missing} to the types this test checks"
