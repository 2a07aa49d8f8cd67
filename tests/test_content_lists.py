"""The lists that name the content's parts stay in step with the content model: a part added
to `Content` is found by the translation paths and by the docs links of error messages."""

from __future__ import annotations

import dataclasses
import typing

from booklet.errors import CONTENT_PARTS
from booklet.read import model
from booklet.read.translations import ID_LISTS

from .conftest import ROOT


def _id_lists(cls: type, prefix: str = "") -> set[str]:
    """The paths of every tuple of items with an `id` in a content type, one level down."""
    found = set()
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        args = typing.get_args(hint)
        item = args[0] if typing.get_origin(hint) is tuple and args else None
        if dataclasses.is_dataclass(item) and "id" in {f.name for f in dataclasses.fields(item)}:
            found.add(prefix + field.name)
        elif dataclasses.is_dataclass(hint) and not prefix:
            found |= _id_lists(hint, f"{field.name}.")
    return found


def test_translations_address_every_list_of_items_with_ids_by_their_ids():
    assert set(ID_LISTS) == _id_lists(model.Content)


def test_every_part_of_the_content_but_its_language_roles_and_invitation_has_a_docs_link():
    parts = {f.name for f in dataclasses.fields(model.Content)}
    assert set(CONTENT_PARTS) == parts - {"language", "roles", "invitation"}
    docs = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    for part in (*CONTENT_PARTS, "invitation", "guests"):
        assert f"\n## {part}\n" in docs or f"\n### {part}\n" in docs, part
