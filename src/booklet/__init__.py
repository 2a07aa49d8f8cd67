"""Print-ready event programs, booklets and brochures from YAML."""

from __future__ import annotations

import sys

from . import rtl as _rtl

__version__ = "0.1.0"

__all__ = ["__version__", "build"]

# ReportLab sets right-to-left paragraphs only if it can import `rlbidi`, which is
# not on the package registries: our python-bidi adapter stands in for it.
sys.modules.setdefault("rlbidi", _rtl)


def build(event_dir=None, layouts=(), langs=(), out_dir=None, write=True, per_guest=False):
    """Build an event's documents; see booklet.pipeline.build. Returns the report."""
    from pathlib import Path

    from .pipeline import build as _build

    event = Path(event_dir) if event_dir is not None else None
    out = Path(out_dir) if out_dir is not None else None
    return _build(event, tuple(layouts), tuple(langs), out, write, per_guest=per_guest)
