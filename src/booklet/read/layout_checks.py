"""Turn a layout's sizes, kind, fold, panels and sheet settings into diagnostics."""

from __future__ import annotations

from ..errors import Diagnostics, Location
from .layout import FLOWING, Layout

MM = 72 / 25.4

PANEL_COUNT = {"bi-fold": 2, "tri-fold": 3}


def check_geometry(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """Sizes that are each fine alone but absurd together: no room for text, giant codes."""
    w, h, m = layout.trim.width, layout.trim.height, layout.margins
    if min(w, h) < 20 * MM:
        diags.error("geometry", where, "trim", "expected a trim of at least 20 × 20 mm")
        return
    if w - m.inner - m.outer < 15 * MM or h - m.top - m.bottom < 15 * MM:
        diags.error(
            "geometry",
            where,
            "margins",
            "the margins leave less than 15 mm for text",
            "make the margins smaller than the page",
        )
    if layout.qr.size > min(w, h) / 2:
        diags.error("geometry", where, "qr.size", "expected QR codes at most half the page wide")
    if layout.imposition.caliper > 1 * MM:
        diags.error(
            "geometry",
            where,
            "imposition.caliper",
            "expected a paper thickness under 1 mm",
            "80 g/m² office paper is about 0.1mm",
        )
    if layout.bleed > 10 * MM:
        diags.error("geometry", where, "bleed", "expected a bleed of at most 10 mm")


def check_emphasis(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """Each script's emphasis is italic, bold, or a colour of the palette."""
    for script in ("latin", "arabic"):
        shown = getattr(layout.emphasis, script)
        if shown not in ("italic", "bold") and shown not in layout.palette:
            diags.error(
                "emphasis",
                _at(shown, where),
                f"emphasis.{script}",
                f"expected italic, bold or a colour of the palette, found {shown!r}",
                f"the palette has {', '.join(sorted(layout.palette))}",
            )


def check_kind(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """What each kind of document needs besides its fields."""
    check_geometry(layout, where, diags)
    check_emphasis(layout, where, diags)
    if layout.kind in ("booklet", "sheet") and not layout.pages:
        diags.error("missing", where, "pages", f"a {layout.kind} needs a page sequence")
    if layout.kind == "sheet":
        check_sheet(layout, where, diags)
    if layout.kind != "folded":
        return
    if layout.fold is None or layout.panels is None:
        diags.error("missing", where, "fold", "a folded layout needs `fold` and `panels`")
        return
    if layout.fold.kind == "tri-fold" and layout.fold.fold_in_shorter >= layout.trim.width / 6:
        diags.error(
            "fold",
            where,
            "fold.fold-in-shorter",
            "the folding-in panel can be at most a sixth of the sheet narrower",
            "1–3 mm is usual",
        )
    if not 0.3 <= layout.fold.min_scale <= 1:
        diags.error("fold", where, "fold.min-scale", "expected a scale between 0.3 and 1")
    count = PANEL_COUNT[layout.fold.kind]
    for side in ("outside", "inside"):
        found = len(getattr(layout.panels, side))
        if found != count:
            diags.error(
                "panels",
                where,
                f"panels.{side}",
                f"a {layout.fold.kind} has {count} panels a side, found {found}",
            )
    check_flow(layout, where, diags)


def check_flow(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """A flow run: two or more side-by-side inside panels, left to right, none a cover."""
    assert layout.fold is not None and layout.panels is not None
    run, allowed = layout.panels.flow, FLOWING[layout.fold.kind]
    if not run:
        return
    hint = f"a {layout.fold.kind} can flow through {', '.join(allowed)}, left to right"
    if len(run) < 2:
        diags.error("panels", where, "panels.flow", "expected a run of two or more panels", hint)
    elif any(name not in allowed for name in run):
        wrong = next(name for name in run if name not in allowed)
        diags.error("panels", where, "panels.flow", f"text cannot flow through {wrong}", hint)
    elif list(run) != list(allowed[allowed.index(run[0]) : allowed.index(run[0]) + len(run)]):
        diags.error(
            "panels",
            where,
            "panels.flow",
            f"expected panels side by side, found {', '.join(run)}",
            hint,
        )
    for name in run:
        side, _, number = name.partition("-")
        templates = getattr(layout.panels, side)
        if int(number) <= len(templates) and "cover" in templates[int(number) - 1]:
            diags.error(
                "panels",
                where,
                "panels.flow",
                f"{name} carries the cover: no text flows onto it",
                "leave that panel out of the run",
            )


def check_sheet(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """A sheet's page limit and the scale it may shrink to."""
    if not 0.3 <= layout.sheet.min_scale <= 1:
        diags.error("sheet", where, "sheet.min-scale", "expected a scale between 0.3 and 1")
    if layout.sheet.pages < 0:
        diags.error("sheet", where, "sheet.pages", "expected 0 (any) or a number of pages")


FEATURE_SCRIPTS = ("all", "latin", "arabic", "hebrew", "greek", "cyrillic")
# OpenType's registered features a layout is likely to set (and the numbered stylistic
# sets and character variants): another tag is most often a typo ("dilg" for "dlig").
_REGISTERED = (
    "aalt abvf abvm abvs afrc akhn blwf blws c2pc c2sc calt case ccmp cfar cjct clig cpct "
    "cpsp cswh curs dist dlig dnom dtls expt falt fin2 fin3 fina flac frac fwid half haln "
    "halt hist hkna hlig hngl hojo hwid init isol ital jalt jp78 jp83 jp90 jp04 kern lfbd "
    "liga ljmo lnum locl ltra ltrm mark med2 medi mgrk mkmk mset nalt nlck nukt numr onum "
    "opbd ordn ornm palt pcap pkna pnum pref pres pstf psts pwid qwid rand rclt rkrf rlig "
    "rphf rtbd rtla rtlm ruby rvrn salt sinf size smcp smpl ssty stch subs sups swsh titl "
    "tjmo tnam tnum trad twid unic valt vatu vert vhal vjmo vkna vkrn vpal vrt2 vrtr zero"
)
FEATURE_TAGS = frozenset(_REGISTERED.split())


def check_features(layout: Layout, where: Location, diags: Diagnostics) -> None:
    """`features:` names scripts booklet knows and tags OpenType has: a misspelt one would
    otherwise never apply, and nothing would say so."""
    from .nodes import suggest

    for script, tags in layout.features.items():
        if script not in FEATURE_SCRIPTS:
            diags.error(
                "reference",
                _at(script, where),
                f"features.{script}",
                f"no script '{script}' (features are set for {', '.join(FEATURE_SCRIPTS)})",
                suggest(str(script), list(FEATURE_SCRIPTS)),
            )
        for tag in tags:
            if tag not in FEATURE_TAGS and not _numbered(str(tag)):
                diags.warn(
                    "feature-unknown",
                    _at(tag, where),
                    f"features.{script}.{tag}",
                    f"'{tag}' is not an OpenType feature this layout is likely to mean",
                    suggest(str(tag), sorted(FEATURE_TAGS)) or "see OpenType's feature list",
                )


def _numbered(tag: str) -> bool:
    """A stylistic set (ss01-ss20) or a character variant (cv01-cv99)."""
    return len(tag) == 4 and tag[:2] in ("ss", "cv") and tag[2:].isdigit() and tag[2:] != "00"


def _at(value: object, where: Location) -> Location:
    loc = getattr(value, "loc", None)
    return loc if isinstance(loc, Location) and loc.file else where
