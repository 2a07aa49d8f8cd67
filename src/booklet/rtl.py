"""Turn logical-order text into visual order with python-bidi, as ReportLab's `rlbidi` hook expects.

ReportLab lays out right-to-left paragraphs only when a module named `rlbidi`
can be imported; that package is not on the registries, so booklet registers
this module under its name. It implements `log2vis` (the Unicode bidi
algorithm, reporting where each visual character came from) on top of
python-bidi's pure-Python implementation.
"""

from __future__ import annotations

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "ckb", "ug"})
ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ckb", "ug"})


def is_rtl(lang: str) -> bool:
    """Whether a language is written right to left."""
    return lang.split("-")[0] in RTL_LANGUAGES


def script_of(lang: str) -> str:
    """The script a language needs fonts for, where it is not Latin, Cyrillic or Greek."""
    return "arabic" if lang.split("-")[0] in ARABIC_SCRIPT else ""


def log2vis(
    text: str,
    base_direction: str | None = None,
    clean: bool = True,
    positions_V_to_L: list[int] | None = None,
    **_: object,
) -> str:
    """The visual order of `text`; `positions_V_to_L` gets each visual char's logical index."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    level = {"RTL": 1, "LTR": 0}.get((base_direction or "").upper(), uba.get_base_level(text))
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    uba.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)
