"""Print-ready event programs, booklets and brochures from YAML.

The pipeline is the folder tree, each package a stage that imports only the ones before it:
read → language → compose → typeset → prepress → preflight → impose → output → builder → cli
(`errors.py` is the one module every stage uses, `exports.py` how a package names its
public names). See docs/architecture.md.
"""

from __future__ import annotations

import sys

__version__ = "0.1.0"

__all__ = ["__version__", "build"]


from .language import bidi as _rtl

# ReportLab sets right-to-left paragraphs only if it can import `rlbidi`, which is
# not on the package registries: our python-bidi adapter stands in for it.
sys.modules.setdefault("rlbidi", _rtl)


def build(
    event_dir=None, layouts=(), langs=(), out_dir=None, write=True, per_guest=False, archive=False
):
    """Build an event's documents; see booklet.builder.pipeline.build. Returns the report."""
    from pathlib import Path

    from .builder.pipeline import build as _build

    event = Path(event_dir) if event_dir is not None else None
    out = Path(out_dir) if out_dir is not None else None
    return _build(
        event, tuple(layouts), tuple(langs), out, write, per_guest=per_guest, archive=archive
    )
