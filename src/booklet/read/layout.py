"""Define the layout types: trim, margins, marks, palette, fonts, styles, page sequence, folds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .types import FileName, Ident, Language, Length, f

Cmyk = tuple[float, float, float, float]
LayoutKind = Literal["booklet", "sheet", "folded", "card"]
PageKind = Literal[
    "cover",
    "masthead",
    "program",
    "speakers",
    "sections",
    "facts",
    "sources",
    "credits",
    "photos",
    "venue",
    "back-cover",
]
FrameKind = Literal["fit", "fill", "crop"]


@dataclass(frozen=True)
class Trim:
    width: Length = f("Trimmed page width.")
    height: Length = f("Trimmed page height.")


@dataclass(frozen=True)
class Margins:
    inner: Length = f("Margin at the spine.")
    outer: Length = f("Margin at the fore-edge.")
    top: Length = f("Top margin.")
    bottom: Length = f("Bottom margin (the folio sits in it).")


@dataclass(frozen=True)
class Marks:
    crop: bool = f("Crop marks in line with the trim, outside the bleed.", True)
    registration: bool = f("Registration targets at the middle of each side.", False)
    color_bar: bool = f("A bar of CMYK patches in the bottom slug.", False)
    slug_line: bool = f("A line of job information in the bottom slug.", False)
    offset: Length = f("Gap between the trim and a mark (at least the bleed).", Length(8.504))
    length: Length = f("Length of a crop mark.", Length(14.173))


@dataclass(frozen=True)
class FontFamily:
    regular: FileName = f("Font file under fonts/ (the project's, else booklet's).")
    bold: FileName = f("Bold font file.")
    italic: FileName = f("Italic font file.")
    bold_italic: FileName = f("Bold italic font file.")
    fallback: Ident | None = f(
        "A family for letters this one lacks (e.g. Arabic in a Latin text).", None
    )


@dataclass(frozen=True)
class TextStyle:
    font: Ident = f("A family from `fonts`.")
    size: float = f("Size in points.")
    leading: float = f("Baseline distance in points.")
    bold: bool = f("Bold weight.", False)
    italic: bool = f("Italic.", False)
    color: Ident = f("A colour from `palette`.", Ident("ink"))
    tracking: float = f("Letter spacing in points.", 0.0)
    upper: bool = f("Set in capitals (language-aware).", False)
    align: Literal["left", "center", "right", "justify"] = f("Alignment.", "left")
    space_before: float = f("Space above in points.", 0.0)
    space_after: float = f("Space below in points.", 0.0)


@dataclass(frozen=True)
class Styles:
    body: TextStyle = f("Running text.")
    lead: TextStyle = f("First paragraph of a section.")
    title: TextStyle = f("Page title (Program, Speakers, ...).")
    kicker: TextStyle = f("Small label above a title.")
    heading: TextStyle = f("Section heading.")
    item_title: TextStyle = f("Program item title.")
    item_meta: TextStyle = f("Speaker, role, duration, place.")
    time: TextStyle = f("Time column of the program.")
    note: TextStyle = f("Notes and instructions.")
    figure: TextStyle = f("A fact's figure.")
    figure_label: TextStyle = f("What a figure counts.")
    reference: TextStyle = f("Source references and URLs.")
    folio: TextStyle = f("Page number and running foot.")
    card_title: TextStyle = f("Event title on an invitation card.")
    card_salutation: TextStyle = f("The guest's salutation on a card.")
    cover_kicker: TextStyle = f("Label at the top of the cover.")
    cover_title: TextStyle = f("Title on the cover.")
    cover_subtitle: TextStyle = f("Subtitle on the cover.")
    cover_meta: TextStyle = f("Date and place on the cover.")


@dataclass(frozen=True)
class PageTemplate:
    template: PageKind = f("Which page template.")
    new_page: bool = f("Start on a new page.", True)
    share: bool = f(
        "Start on a new page, unless the page before would be left less than "
        "typography.page-fill full: then run on after it.",
        False,
    )
    order: Literal["role", "alphabetical"] = f(
        "The people page (speakers): grouped by the role people take, or one alphabetical list.",
        "role",
    )


@dataclass(frozen=True)
class Imposition:
    sheet: Literal["none", "fit", "press"] = f(
        "none: no imposed file; fit: two trimmed pages fill the sheet (A5 on A4, for office "
        "printers); press: trim, bleed and marks on a larger press sheet.",
        "fit",
    )
    caliper: Length = f("Paper thickness; each sheet further in creeps this much.", Length(0.0))
    binding: Literal["left", "right"] = f("Spine side: right for right-to-left booklets.", "left")
    duplex: Literal["short-edge", "long-edge"] = f("How the printer turns the sheet.", "short-edge")
    across: int = f("Cards: how many across the sheet (step and repeat).", 2)
    down: int = f("Cards: how many down the sheet.", 2)


@dataclass(frozen=True)
class Fold:
    kind: Literal["bi-fold", "tri-fold"] = f("One fold in the middle, or a roll fold in thirds.")
    fold_in_shorter: Length = f(
        "How much narrower the panel that folds in is (roll fold, 1–3 mm).", Length(5.669)
    )
    min_scale: float = f("The smallest type scale a panel may shrink to before it fails.", 0.85)


PanelName = Literal["outside-1", "outside-2", "outside-3", "inside-1", "inside-2", "inside-3"]
# The panels a reader sees side by side, in reading order, for each fold: text may flow
# from one to the next of these only (never onto a cover, never round to the other side).
FLOWING: dict[str, tuple[str, ...]] = {
    "bi-fold": ("inside-1", "inside-2"),
    "tri-fold": ("inside-1", "inside-2", "inside-3"),
}


@dataclass(frozen=True)
class Panels:
    outside: tuple[tuple[PageKind, ...], ...] = f(
        "The outside panels, left to right: a template, or a list of templates one under another."
    )
    inside: tuple[tuple[PageKind, ...], ...] = f("The inside panels, left to right, likewise.")
    flow: tuple[PanelName, ...] = f(
        "A run of side-by-side inside panels, e.g. [inside-2, inside-3]: what does not fit "
        "one panel continues on the next.",
        (),
    )


@dataclass(frozen=True)
class ProgramLayout:
    compact: Literal["false", "true", "auto"] = f(
        "Program entries with their time and title only: true, false, or auto (only when "
        "full entries do not fit).",
        "false",
    )


@dataclass(frozen=True)
class Sheet:
    pages: int = f("The most pages a sheet may take; 0 for as many as it needs.", 0)
    min_scale: float = f(
        "The smallest type scale the sheet may shrink to, to stay within `pages`.", 0.85
    )


@dataclass(frozen=True)
class Qr:
    size: Length = f("Printed size including the quiet zone (at least 15 mm).", Length(51.02))
    quiet_zone: int = f("Quiet zone in modules (4 by the standard).", 4)


BALANCED = (
    "title",
    "kicker",
    "heading",
    "item-title",
    "figure-label",
    "cover-kicker",
    "cover-title",
    "cover-subtitle",
    "cover-meta",
    "card-title",
    "card-salutation",
)


@dataclass(frozen=True)
class Typography:
    balance: tuple[Ident, ...] = f(
        "Styles whose lines are balanced: of similar length, no word left alone.", BALANCED
    )
    max_hyphens: int = f("The most hyphenated lines in a row.", 2)
    last_line: int = f(
        "A paragraph's last line holds two words, or one of at least this many characters.", 8
    )
    loose: float = f("A justified line's word space may grow to this many times the normal.", 1.5)
    tight: float = f("A justified line's word space may shrink to this many times the normal.", 0.8)
    tracking: float = f(
        "A loose justified line may be letter-spaced by up to this much of the type size.", 0.02
    )
    ragged_below: float = f(
        "Justified text is set ragged in a column narrower than this many times its size.", 30.0
    )
    hyphen_zone: float = f(
        "Ragged text breaks a word only where the line would otherwise end more than this "
        "share of the measure short (0.12 = 12 %).",
        0.12,
    )
    page_fill: float = f(
        "A page of running text filled less than this (0–1) is reported (page-fill).", 0.4
    )
    air: float = f(
        "How much leading and the space between entries may grow (0.1 = 10 %) to fill "
        "the pages before notes pages are added.",
        0.2,
    )
    tighten: float = f(
        "How much leading and the space between entries may shrink (0.075 = 7.5 %) so a "
        "booklet ends a multiple of four pages sooner, when more air does not fill the pages.",
        0.075,
    )


@dataclass(frozen=True)
class Emphasis:
    latin: Ident = f(
        "How *emphasis* shows in left-to-right text (Latin, Cyrillic, Greek): italic, bold, "
        "or the name of a palette colour.",
        "italic",
    )
    arabic: Ident = f(
        "How *emphasis* shows in Arabic script, which has no italic: bold, a palette colour, "
        'or italic (the Naskh "italic" face is the regular one: invisible).',
        "bold",
    )
    slant_in_rtl: bool = f(
        "Latin words in right-to-left text slant where the text is italic (digits and "
        "brackets never do); false: they stay upright.",
        False,
    )


@dataclass(frozen=True)
class Frame:
    frame: FrameKind = f(
        "fit: the whole picture, inside the frame; fill: the frame covered, cropped about the "
        "centre; crop: the frame covered, cropped about the image's `focus`.",
        "fit",
    )
    width: Length | None = f("The frame's width; by default the text's measure.", None)
    height: Length | None = f("The frame's height; by default the picture's own proportion.", None)


@dataclass(frozen=True)
class Pictures:
    intent: Literal["perceptual", "relative"] = f(
        "How photos go to the press's CMYK: perceptual (the whole range of tones kept in "
        "proportion) or relative (relative colorimetric with black-point compensation, as "
        "logos, maps and portraits always go).",
        "perceptual",
    )
    grey: Literal["black", "process"] = f(
        "A grey picture stays a grey image printed on the black plate alone (black), or "
        "goes through the profile to a neutral four-colour grey (process).",
        "black",
    )
    figure: Frame = f("Figures in the text of a section.", Frame("fit", None, Length(198.43)))
    photo: Frame = f("A section's photo on a page of its own.", Frame("fill"))
    gallery: Frame = f(
        "Each photo of an exhibition's photo page.", Frame("crop", None, Length(155.91))
    )
    portrait: Frame = f(
        "Portraits on the people page.", Frame("crop", Length(45.35), Length(56.69))
    )
    map: Frame = f("The venue's map on the venue page.", Frame("fit", None, Length(170.08)))
    logo_height: Length = f("The height of a logo in the logo strip.", Length(34.02))
    figures: bool = f(
        "Print figures, photos and portraits at all (folded products leave them out).", True
    )


@dataclass(frozen=True)
class Layout:
    kind: LayoutKind = f("Document kind.")
    trim: Trim = f("Trimmed page size.")
    margins: Margins = f("Page margins.")
    palette: Mapping[Ident, Cmyk] = f("Colours as [C, M, Y, K] percentages; needs ink, paper.")
    fonts: Mapping[Ident, FontFamily] = f("Font families by name.")
    styles: Styles = f("Type styles.")
    pages: tuple[PageTemplate, ...] = f("The page sequence (booklet, sheet).", ())
    bleed: Length = f("Bleed on every side.", Length(8.504))
    marks: Marks = f("Printer's marks.", Marks())
    qr: Qr = f("QR codes for sources.", Qr())
    pictures: Pictures = f("How photos, logos and maps are framed and printed.", Pictures())
    typography: Typography = f("Line breaking, filling and the typography report.", Typography())
    imposition: Imposition = f("Printer spreads for saddle stitching.", Imposition())
    padding: Literal["blank", "notes"] = f("What fills pages up to a multiple of 4.", "notes")
    description: str = f("What this layout is for.", "")
    fold: Fold | None = f("The fold of a folded product.", None)
    panels: Panels | None = f("What each panel of a folded product carries.", None)
    program: ProgramLayout = f("How the program prints.", ProgramLayout())
    sheet: Sheet = f("How many pages a sheet may take.", Sheet())
    extends: str = f("A layout in layouts/ whose settings this one starts from.", "")
    mirror: bool = f(
        "In a right-to-left language, mirror what has an order across the page: the panels of "
        "a fold, grid and column order. false keeps the left-to-right order.",
        True,
    )
    digits: Literal["locale", "latin", "native"] = f(
        "The digits dates, times, numbers and text print with: the language's own (locale: "
        "Arabic-Indic for ar-EG, Latin for ar), latin (0-9) or native (the language's native "
        "digits where it has them: ٠-٩ for ar).",
        "locale",
    )
    bilingual: Language | None = f(
        "A second language printed under the first (program titles, the title), e.g. en.", None
    )
    scripts: Mapping[Ident, Mapping[Ident, Ident]] = f(
        "Per script (arabic), which family replaces which, for documents in such a language.", {}
    )
    emphasis: Emphasis = f("How each script shows *emphasis*.", Emphasis())
    features: Mapping[Ident, Mapping[Ident, bool]] = f(
        "Per script (arabic, latin, cyrillic, greek, hebrew, or all), OpenType features turned "
        "on or off for HarfBuzz, e.g. {arabic: {dlig: true}}. By default kern and liga are "
        "on, dlig off.",
        {},
    )
    allow_http: bool = f("Accept http:// addresses in what this layout prints (https only).", False)
