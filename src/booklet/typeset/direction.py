"""Turn things set side by side into the reading order: right to left in such a language."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def reading_order(items: list[T], setter) -> list[T]:
    """Columns, grid cells or panels left to right as a left-to-right reader meets them,
    mirrored for a right-to-left document (unless its layout says `mirror: false`)."""
    return items[::-1] if setter.styles.rtl and setter.layout.mirror else items
