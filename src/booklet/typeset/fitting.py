"""Turn a layout's limits into the tries a fitter makes: full or compact entries, scale by scale.

A panel, a run of panels or a sheet with a page limit is set at the first try that
fits: the type at 100 %, then 2.5 % smaller each time down to the layout's minimum;
with `program.compact: auto`, the same again with compact program entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..read.layout import Layout

STEP = 0.025  # each try shrinks the type by 2.5 %


def _scales(minimum: float) -> Iterator[float]:
    scale = 1.0
    while scale >= minimum - 1e-9:
        yield round(scale, 4)
        scale -= STEP


def attempts(layout: Layout, minimum: float) -> Iterator[tuple[bool, float]]:
    """Whether program entries are compact, and the type scale, for each try in turn."""
    modes = {"false": (False,), "true": (True,), "auto": (False, True)}[layout.program.compact]
    for compact in modes:
        for scale in _scales(minimum):
            yield compact, scale


@contextmanager
def trying(setter, compact: bool, scale: float):
    """The setter with its styles scaled and its program entries compact or full, for a try."""
    base, measure, was = setter.styles, setter.measure, setter.compact
    setter.styles = setter.art.styles = base.scaled(scale)
    setter.compact = compact
    try:
        yield
    finally:
        setter.styles = setter.art.styles = base
        setter.measure, setter.compact = measure, was
