"""Print-ready event programs, booklets and brochures from YAML."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build"]


def build(event_dir=None, layouts=(), langs=(), out_dir=None, write=True):
    """Build an event's documents; see booklet.pipeline.build. Returns the report."""
    from .pipeline import build as _build

    return _build(event_dir, tuple(layouts), tuple(langs), out_dir, write)
