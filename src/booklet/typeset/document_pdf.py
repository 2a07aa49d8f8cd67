"""Turn a document into a trim-size PDF: the typesetter's flowables built into pages, or why not."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from reportlab.platypus import (
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError

from ..compose import document as d
from ..errors import Diagnostics, Location
from ..language.fonts import Face
from ..language.hyphenation import forget_texts
from .doctemplate import (
    BookletDoc,
    Mark,
    TooManyPages,
    max_pages,
)
from .fitting import first_fit, trying
from .fragments import forget_fragments
from .overprint import Dummy, OverprintCanvas
from .running_heads import Parts
from .sheet_pages import SheetFurniture, sheet_overflow
from .tagging import Tags
from .typesetter import Typesetter


@dataclass
class Typeset:
    """The trim-size PDF and what the typesetter learned about its pages."""

    pdf: bytes
    page_kinds: list[str] = field(default_factory=list)  # cover, body, photo, notes, back ...
    first: int = 1  # the number of its first page: a part of a long document goes on
    outline: list[Mark] = field(default_factory=list)  # a part's bookmarks (`typeset_parts`)
    openings: int = 0  # page titles at the top of their page
    fills: list[float] = field(default_factory=list)  # how full each page's frame is (0–1)
    tags: Tags | None = None  # the screen file's marked pages and structure (`tagging.py`)
    unsaved: Callable[[], bytes] | None = None  # writes `pdf` of a try set but not yet saved
    air: float = 0.0  # the air it was set with (`typography.air`; below 0: tightened)
    dummy: bool = False  # laid out but not drawn: `pdf` is empty (a try of the fill search)

    @property
    def padding(self) -> int:
        """The notes or blank pages added to reach a multiple of four."""
        return sum(kind in ("notes", "blank") for kind in self.page_kinds)


AIR_STEP = 0.025  # each try gives leading and the space between entries 2.5 % more


def typeset(document: d.Document, faces: dict[str, Face], diags: Diagnostics) -> Typeset:
    """Typeset a document at trim size; overflowing content becomes a located error.

    A booklet that would need notes pages to reach a multiple of four, or a sheet that
    leaves a page nearly empty, is set again with a little more air (`typography.air`)
    or a little less (`typography.tighten`), in steps, and taken as soon as it fills
    its pages without notes and without a page left nearly empty."""
    if document.layout.kind == "folded":
        from .panels import panel_flowables, panel_templates

        setter = Typesetter(document, faces, diags)
        found = _build(setter, panel_templates(setter), panel_flowables(setter))[0]
        setter.record.close()
        return found
    found, said = _flowing(document, faces, 0.0)
    if not said.errors and (found.padding or _empty_page(said)):
        found, said = _filled(document, faces, found, said)
        if found.dummy:  # the tries were dummies: the setting taken is drawn
            found, said = _flowing(document, faces, found.air)
    for diagnostic in said.items:
        diags.add(diagnostic)
    return saved(found)


def saved(found: Typeset) -> Typeset:
    """The setting with its PDF written: the tries of the fill search are laid out whole
    but written only when taken (writing was a tenth of each try)."""
    if found.unsaved is not None:
        found.pdf, found.unsaved = found.unsaved(), None
    return found


def _empty_page(said: Diagnostics) -> bool:
    return any(d.code == "page-fill" for d in said.items)


def _filled(document: d.Document, faces: dict[str, Face], found: Typeset, said: Diagnostics):
    """The document set with a little more air, else a little tighter (a sheet: tighter
    first, for fewer pages), for the setting that leaves the fewest nearly empty pages,
    then the fewest notes pages; the first that leaves none of either is taken. A
    setting in which a page title that opened its page no longer does is not taken:
    air fills pages, it does not move chapters. Tightening by more than one step, when
    what is found has no nearly empty page, the tightest is set first: if it ends on as
    many pages, no step between can beat what is found (`_hopeless`) and none is set."""
    typo = document.layout.typography
    tries = ((1, typo.air), (-1, typo.tighten))
    best = (_cost(found, said), found, said)
    for sign, most in tries if document.layout.kind == "booklet" else tries[::-1]:
        steps = range(_first_step(found, sign), int(most / AIR_STEP + 1e-9) + 1)
        done = {}
        if len(steps) > 1 and sign < 0 and best[0] <= (0, found.padding):
            done[steps[-1]] = _dummy(document, faces, sign * steps[-1] * AIR_STEP)
            if _hopeless(done[steps[-1]], found, best[0], sign):
                continue
        for step in steps:
            aired, told = done.pop(step, None) or _dummy(document, faces, sign * step * AIR_STEP)
            if told.errors:
                break
            if aired.openings < found.openings:
                continue  # a chapter that opened a page would run on: not for air
            if _cost(aired, told) < best[0]:
                best = (_cost(aired, told), aired, told)
            if best[0] == (0, 0):
                return (
                    _least(document, faces, found, sign * step, best)
                    if step == steps[0]
                    else best[1:]
                )
            if sign * (len(aired.page_kinds) - len(found.page_kinds)) > 4:
                break  # a multiple of four past it: further steps only go further
    return best[1:]


def _least(document: d.Document, faces: dict[str, Face], found: Typeset, step: int, best):
    """The least air (or tightening) that fills as well as `step`, the first step tried: the
    steps before it, skipped as too little by `_first_step`, bisected, so the type stays as
    near the layout's own leading as filled pages allow (a page break that a template's
    `share` moves fills pages sooner than the text's growth predicts)."""
    sign, low, high = (1 if step > 0 else -1), 0, abs(step)
    while high - low > 1:
        middle = (low + high) // 2
        aired, told = _dummy(document, faces, sign * middle * AIR_STEP)
        ok = not told.errors and aired.openings >= found.openings
        if ok and _cost(aired, told) == (0, 0):
            high, best = middle, ((0, 0), aired, told)
        else:
            low = middle
    return best[1:]


def _hopeless(last: tuple[Typeset, Diagnostics], found: Typeset, best, sign: int) -> bool:
    """Whether no step of a direction can beat `best`, seen from its last step: it ends on
    as many pages as `found` (so, pages growing with air, does every step between), and
    tighter text on as many pages leaves at least `found`'s notes pages, which is no
    fewer than `best` has without a nearly empty page (the last step too)."""
    aired, told = last
    if told.errors or len(aired.page_kinds) != len(found.page_kinds):
        return False
    return sign < 0 and best <= (0, found.padding)


def _first_step(found: Typeset, sign: int) -> int:
    """The first step that can fill the pages: more air grows the text by about as much
    as it adds, so the pages the notes take (and the empty part of the last page) need
    that much more; less air must take the text back to the multiple of four below."""
    body = [f for k, f in zip(found.page_kinds, found.fills, strict=False) if k == "body"]
    if not body or not found.padding:
        return 1
    last, pages = body[-1], len(body)
    wanted = (found.padding + 0.4 - last) if sign > 0 else (4 - found.padding - 1 + last)
    return max(1, int(wanted / pages / AIR_STEP * 0.8))  # a fifth less: text is not uniform


def _cost(found: Typeset, said: Diagnostics) -> tuple[int, int]:
    """How far a setting is from filled pages: nearly empty pages, then notes pages."""
    return sum(d.code == "page-fill" for d in said.items), found.padding


def _flowing(document: d.Document, faces: dict[str, Face], air: float, dummy: bool = False):
    """The document set as one flow (a sheet: within its limits) with `air`, and what its
    setting found; a `dummy` is laid out but not drawn."""
    said = Diagnostics()
    setter = Typesetter(document, faces, said, air)
    setter.dummy = dummy
    if document.layout.kind == "sheet":
        found = typeset_sheet(setter)
    else:
        found = _build(setter, setter.templates(), list(setter.flowables()), save=False)[0]
    setter.record.close()  # what the document as set has: not its other tries
    found.air, found.dummy = air, dummy
    return found, said


def _dummy(document: d.Document, faces: dict[str, Face], air: float):
    """A try of the fill search: where the pages break with `air`, what they leave empty and
    what the setting finds, without drawing them (drawing was over half of a setting)."""
    return _flowing(document, faces, air, dummy=True)


def typeset_sheet(setter: Typesetter) -> Typeset:
    """A sheet within its page limit (shrunk, then compact, as the layout allows) or a
    located error; a sheet of several pages is set again with numbers and running heads."""
    layout, limit = setter.layout, setter.layout.sheet.pages
    if limit:

        def make() -> tuple[tuple[Typeset, BookletDoc], bool]:
            made = _sheet_try(setter)
            return made, bool(setter.diags.errors) or len(made[0].page_kinds) <= limit

        got = first_fit(setter, layout.sheet.min_scale, make)
        (result, doc), compact, scale = got.result, got.compact, got.scale
        if not got.fits:
            sheet_overflow(setter, doc, limit, compact)
            return result
    else:
        (result, _), compact, scale = _sheet_try(setter), int(setter.compact), 1.0
    pages = len(result.page_kinds)
    if pages > 1 and not setter.diags.errors:
        with trying(setter, compact, scale):
            setter.sheet = SheetFurniture(setter, pages)
            result, _ = _sheet_try(setter)
    return result


def _sheet_try(setter: Typesetter) -> tuple[Typeset, BookletDoc]:
    setter.marks, setter.parts = 0, Parts(setter.doc.lang)  # each try names its bookmarks alike
    return _build(setter, setter.templates(), list(setter.flowables()))


def typeset_parts(
    document: d.Document,
    faces: dict[str, Face],
    diags: Diagnostics,
    pages: int,
    air: float = 0.0,
) -> Iterator[Typeset]:
    """Typeset a flowing document in parts of `pages` pages, each a PDF of its own; stops
    after a part with an error.

    A part ends between two pages, and the next begins with the rest of the story on the
    page that would have come: its pages are those of the whole document (recto and
    verso, folios, padding), only set in several files. `air` as for `typeset`."""
    setter = Typesetter(document, faces, diags, air)
    setter.photo_air = 1.0  # its air lands its end (`long_fill.py`): photos that grew would jump
    templates, more = setter.templates(), iter(setter.flowables())
    first, kind, story = 1, None, []  # the flowables are made as the parts need them
    while True:
        result, doc = _build(setter, templates, story, first, kind, pages, more)
        setter.record.close()
        forget_texts()  # a part's paragraphs are set once: kept, 1,600 pages held 28 MiB
        forget_fragments()
        yield result
        if diags.errors or not doc.carry:
            return
        first, kind, story, more = first + len(result.page_kinds), doc.kind, doc.carry, doc.rest


def _build(
    setter: Typesetter,
    templates: list[PageTemplate],
    flowables: list,
    first_page: int = 1,
    kind: str | None = None,
    part_pages: int = 0,
    more: Iterator | None = None,
    save: bool = True,
) -> tuple[Typeset, BookletDoc]:
    """Lay the flowables out on pages from `first_page` on, starting with pages of `kind`;
    without `save`, the PDF is written when the result's `unsaved` is called."""
    document, diags = setter.doc, setter.diags
    buffer = io.BytesIO()
    names = tuple(sorted(face.name for face in setter.styles.faces.values()))
    doc = BookletDoc(
        buffer,
        document,
        initial_font=setter.styles.font("body"),
        faces=names,
        first_page=first_page,
        kind=kind,
        part_pages=part_pages,
    )
    doc.addPageTemplates(templates)
    setter.record.clear()  # a try set again: only what this setting finds counts
    setter.tagger.reset()
    canvas = Dummy if setter.dummy else functools.partial(OverprintCanvas, tagger=setter.tagger)
    doc._doSave, unsaved = int(save), None
    try:
        doc.build(flowables, canvasmaker=canvas, more=more)
        unsaved = None if save else functools.partial(_written, doc.canv, buffer)
        least = document.layout.typography.page_fill
        setter.record.fills(doc.page_kinds, doc.fills, first_page, least)
    except LayoutError:
        _too_large(doc, f"{document.name}.{document.lang}", document.places, diags)
    except TooManyPages:
        diags.error(
            "limit",
            document.places.get(""),
            "",
            f"{document.name}.{document.lang} would have more than {max_pages()} pages",
            "shorten the content, or split it into several documents",
        )
    except (ValueError, AttributeError, IndexError, ZeroDivisionError) as exc:
        # ReportLab's own failures on layouts it cannot set: report them, never crash.
        diags.error(
            "layout",
            document.places.get("layout", document.places.get("")),
            "",
            f"the layout cannot typeset {document.name}.{document.lang}: {_plain_reason(exc)}",
            "check the layout's sizes, margins and styles",
        )
    found = Typeset(buffer.getvalue(), doc.page_kinds, first_page, doc.outline or [])
    found.openings, found.fills = setter.record.openings, list(doc.fills)
    found.tags, found.unsaved = setter.tagger.result(), unsaved
    return found, doc


def _written(canvas: OverprintCanvas, buffer: io.BytesIO) -> bytes:
    canvas.save()
    return buffer.getvalue()


def _too_large(doc: BookletDoc, name: str, places: Mapping[str, Location], diags) -> None:
    """A block taller than a page: where its text was written, and how much room there was
    (ReportLab's own message names a flowable by its address in memory)."""
    flowable = getattr(doc, "placing", None)
    height = getattr(flowable, "height", None) or getattr(flowable, "_height", None) or 0
    frame = getattr(doc, "frame", None)
    room = getattr(frame, "_aH", 0) or getattr(frame, "_height", 0)
    size = f": it is {height / MM:.0f} mm tall, a page has {room / MM:.0f} mm" if height else ""
    diags.error(
        "overflow",
        getattr(flowable, "booklet_loc", None) or places.get(""),
        "",
        f"this text does not fit on a page of {name}{size}",
        "shorten the text or make the layout's type smaller",
    )


MM = 72 / 25.4


def _plain_reason(exc: Exception) -> str:
    """ReportLab's message without object addresses, so the same input gives the same text."""
    return re.sub(
        r" at 0x[0-9a-f]+", "", str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    )[:160]
