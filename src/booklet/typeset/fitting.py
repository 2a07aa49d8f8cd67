"""Turn a layout's limits into the tries a fitter makes: full or compact entries, scale by scale.

A panel, a run of panels or a sheet with a page limit is set at the first try that
fits: the type at 100 %, then 2.5 % smaller each time down to the layout's minimum;
with `program.compact: auto`, the same again with compact program entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..read.layout import Layout

STEP = 0.025  # each try shrinks the type by 2.5 %
T = TypeVar("T")


def _scales(minimum: float) -> Iterator[float]:
    scale = 1.0
    while scale >= minimum - 1e-9:
        yield round(scale, 4)
        scale -= STEP


FULL, PROGRAM, PEOPLE = 0, 1, 2  # how compact: nothing, the program, the people page too


def modes(layout: Layout, auto: bool = True) -> tuple[int, ...]:
    """How compact each round of tries is: `auto` tries full entries first, then a compact
    program, then a compact people page as well (unless `auto` is False here)."""
    rounds = (FULL, PROGRAM, PEOPLE) if auto else (FULL,)
    return {"false": (FULL,), "true": (PROGRAM,), "auto": rounds}[layout.program.compact]


def first_fit(
    setter, minimum: float, make: Callable[[], tuple[T, bool]], auto: bool = True
) -> Try[T]:
    """The first try that fits, largest scale first, full entries first; else the last tried.

    `make()` sets the content at the setter's try and says whether it fits. After 100 %
    the smallest scale is tried: if even that does not fit, no scale between will, and
    the round is over; if it does, the scales go on down from 97.5 % (the bookmarks
    that try made are not counted, so every document names its bookmarks alike)."""
    for compact in modes(setter.layout, auto):
        scales = list(_scales(minimum))
        got = _try(setter, compact, scales[0], make)
        if got.fits or len(scales) == 1:
            if got.fits:
                return got
            continue
        marks = setter.marks
        got = _try(setter, compact, scales[-1], make)
        if not got.fits:
            continue
        setter.marks = marks
        for scale in scales[1:]:
            got = _try(setter, compact, scale, make)
            if got.fits:
                return got
    return got


@dataclass
class Try(Generic[T]):
    """What one try made, whether it fits, and how it was set."""

    result: T
    fits: bool
    compact: int  # FULL, PROGRAM or PEOPLE
    scale: float


def _try(setter, compact: int, scale: float, make: Callable[[], tuple[T, bool]]) -> Try[T]:
    with trying(setter, compact, scale):
        result, fits = make()
    return Try(result, fits, compact, scale)


@contextmanager
def trying(setter, compact: int, scale: float):
    """The setter with its styles scaled and its lists compact or full, for a try."""
    base, measure = setter.styles, setter.measure
    was = setter.compact, setter.compact_people
    setter.styles = setter.art.styles = base.scaled(scale)
    setter.compact, setter.compact_people = compact >= PROGRAM, compact >= PEOPLE
    try:
        yield
    finally:
        setter.styles = setter.art.styles = base
        setter.measure = measure
        setter.compact, setter.compact_people = was
