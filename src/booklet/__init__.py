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


class _RtlFinder:
    """ReportLab sets right-to-left paragraphs only if it can import `rlbidi`, which is
    not on the package registries: our python-bidi adapter's `log2vis` stands in for it,
    imported when ReportLab asks (a command that sets no text never imports it)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None):
        if name != "rlbidi":
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, _RtlFinder)

    @staticmethod
    def create_module(spec: object) -> None:
        return None  # a plain module

    @staticmethod
    def exec_module(module) -> None:
        from .language.bidi import log2vis

        module.log2vis = log2vis


if not any(finder is _RtlFinder for finder in sys.meta_path):
    sys.meta_path.insert(0, _RtlFinder)


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
