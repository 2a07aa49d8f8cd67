"""Turn the preflight of our own print file into work done beside the build, on the other core."""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from ..errors import Diagnostic
from ..preflight.checks import preflight
from .forks import Pending, beside, gather

SPLIT_PAGES = 128  # a longer file of our own is preflighted in two halves at once


def preflight_side_by_side(data: bytes, name: str, pages: int, booklet: bool = False) -> Any:
    """Start the preflight of our own print file beside the build: in two halves on two
    processes when the file is long; a short one is preflighted here when its findings are
    asked for. Call the result for the findings, or cancel it."""
    if pages < SPLIT_PAGES:
        return Pending(functools.partial(preflight, data, name, booklet=booklet))
    half = pages // 2
    return _Halves(
        [
            beside(lambda p=p: preflight(data, name, booklet=booklet, part=p))
            for p in ((0, half), (half, pages))
        ]
    )


class _Halves:
    """The two halves of a long preflight, started beside the build."""

    def __init__(self, parts: list) -> None:
        self.parts = parts

    def __call__(self) -> list[Diagnostic]:
        found = (f for part in gather(self.parts) for f in part)
        return sorted(found, key=lambda d: d.location.line if d.location else 0)

    def cancel(self) -> None:
        for part in self.parts:
            with contextlib.suppress(OSError):  # one that cannot be stopped stops no other
                part.cancel()
