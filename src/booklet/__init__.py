"""Print-ready event programs, booklets and brochures from YAML."""

from __future__ import annotations

import sys

from . import rtl as _rtl

__version__ = "0.1.0"

__all__ = ["__version__", "build"]

# ReportLab sets right-to-left paragraphs only if it can import `rlbidi`, which is
# not on the package registries: our python-bidi adapter stands in for it.
sys.modules.setdefault("rlbidi", _rtl)


def build(event_dir=None, layouts=(), langs=(), out_dir=None, write=True):
    """Build an event's documents; see booklet.pipeline.build. Returns the report."""
    from .pipeline import build as _build

    return _build(event_dir, tuple(layouts), tuple(langs), out_dir, write)
