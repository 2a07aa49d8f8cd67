"""The ceiling: the same pages set by a plain ReportLab platypus script, nothing else.

What a programmer would write by hand for one event in one language: the same Noto
fonts from fonts/noto, ParagraphStyles with the sizes, leading, colours and spacing of
the layout's YAML, a Table per program item, speaker and source, vector QR codes drawn
from qrcode's matrix (medium error correction and booklet's fixed mask, pattern 2), the same
recto/verso frames and folios, notes pages up to a multiple of four, the cover and back
cover painted on the canvas. One trim-size PDF per document; no print file, no screen
file, no preview, no preflight, no imposition.

It reads the event with yaml.safe_load and the layout with a plain deep merge of
`extends`; it imports nothing from booklet.

    python bench/ceiling.py EVENT_DIR [--layout a5-booklet] [--out FILE.pdf]
        [--repeat N] [--files DIR] [--project ROOT] [--qr-mask 0-7|search]

prints one JSON line: pages, the import time and the build time of every repetition
(the first one includes font registration). With a card layout, --files DIR writes one
PDF per guest into DIR instead of one PDF with every card.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import qrcode  # noqa: E402
import qrcode.constants  # noqa: E402
import yaml  # noqa: E402
from reportlab import rl_config  # noqa: E402
from reportlab.lib.colors import CMYKColor  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.fonts import addMapping  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

rl_config.invariant = 1
IMPORTED = time.perf_counter() - T0

MM = 72 / 25.4
# booklet's fixed mask (booklet.typeset.flowables.QR_MASK): qrcode's search over all eight
# patterns costs about six times as much, which counts for a thousand cards
QR_MASK = 2
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
WORDS = {
    "program": "Program",
    "speakers": "Speakers",
    "about": "About the event",
    "facts": "Facts and figures",
    "sources": "Sources",
    "sources-intro": "Scan a code with a phone camera to open the source.",
    "notes": "Notes",
    "organized-by": "Organized by",
    "partners": "With the support of",
    "source": "Source",
}
KIND_TITLES = {
    "exhibition": "Exhibition",
    "anthems": "National anthems",
    "silence": "Moment of silence",
    "speech": "Address",
    "report": "Report",
    "film": "Film screening",
    "music": "Music",
    "reception": "Reception",
    "custom": "",
}


# --- reading the layout and the event ---------------------------------------------------


def length(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    number, unit = re.fullmatch(r"\s*([0-9.]+)\s*(mm|pt|in|cm)?\s*", str(value)).groups()
    return float(number) * {"mm": MM, "pt": 1.0, "in": 72.0, "cm": 10 * MM, None: 1.0}[unit]


def merge(base, child):
    if not (isinstance(base, dict) and isinstance(child, dict)):
        return child
    out = dict(base)
    for key, value in child.items():
        out[key] = merge(out[key], value) if key in out else value
    return out


def read_layout(project: Path, name: str) -> dict:
    data = yaml.safe_load((project / "layouts" / f"{name}.yaml").read_text(encoding="utf-8"))
    if data.get("extends"):
        data = merge(read_layout(project, data["extends"]), data)
    return data


def find_project(start: Path) -> Path:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
            return folder
    return Path(__file__).resolve().parents[1]


def minutes(text) -> int:
    total = 0
    for number, unit in re.findall(r"(\d+)\s*(h|min)", str(text)):
        total += int(number) * (60 if unit == "h" else 1)
    return total


def duration_text(total: int) -> str:
    hours, rest = divmod(total, 60)
    parts = [f"{hours} hr"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} min")
    return " ".join(parts)


def escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- fonts, styles, flowables ------------------------------------------------------------


def register_fonts(layout: dict, fonts_dir: Path) -> dict[str, str]:
    """Register every face once per process; return {"serif": name, "serif-bold": name, ...}."""
    names = {}
    for family, spec in layout["fonts"].items():
        faces = {}
        for face in ("regular", "bold", "italic", "bold-italic"):
            path = fonts_dir / spec[face]
            name = path.stem
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            key = family + {"regular": "", "bold": "-bold", "italic": "-italic"}.get(
                face, "-bold-italic"
            )
            names[key] = faces[face] = name
        regular = faces["regular"]
        addMapping(regular, 0, 0, faces["regular"])
        addMapping(regular, 1, 0, faces["bold"])
        addMapping(regular, 0, 1, faces["italic"])
        addMapping(regular, 1, 1, faces["bold-italic"])
    return names


class Look:
    """Colours and paragraph styles from the layout."""

    def __init__(self, layout: dict, fonts: dict[str, str]):
        self.colors = {k: CMYKColor(*(v / 100 for v in c)) for k, c in layout["palette"].items()}
        self.specs = layout["styles"]
        self.fonts = fonts
        self.styles: dict[str, ParagraphStyle] = {}

    def font(self, name: str) -> str:
        spec = self.specs[name]
        key = spec["font"] + ("-bold" if spec.get("bold") else "")
        return self.fonts[key + ("-italic" if spec.get("italic") else "")]

    def __getitem__(self, name: str) -> ParagraphStyle:
        if name not in self.styles:
            spec = self.specs[name]
            self.styles[name] = ParagraphStyle(
                name,
                fontName=self.font(name),
                fontSize=spec["size"],
                leading=spec["leading"],
                textColor=self.colors[spec.get("color", "ink")],
                alignment=ALIGN[spec.get("align", "left")],
                spaceBefore=spec.get("space-before", 0),
                spaceAfter=spec.get("space-after", 0),
                allowWidows=0,
                allowOrphans=0,
            )
        return self.styles[name]

    def para(self, text: str, name: str) -> Paragraph:
        if self.specs[name].get("upper"):
            text = str(text).upper()
        return Paragraph(escape(text), self[name])


class Qr(Flowable):
    """A vector QR code from qrcode's matrix: one rectangle per run of dark modules."""

    mask = QR_MASK  # None: qrcode tries all eight mask patterns and keeps the best

    def __init__(self, data: str, size: float, quiet: int, color):
        super().__init__()
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=self.mask
        )
        code.add_data(data)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.url, self.size, self.quiet, self.color = data, size, quiet, color
        self.width = self.height = size

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        canv = self.canv
        unit = self.size / (len(self.matrix) + 2 * self.quiet)
        canv.saveState()
        canv.setFillColor(self.color)
        path = canv.beginPath()
        for row, modules in enumerate(self.matrix):
            y = self.size - (row + 1 + self.quiet) * unit
            start = None
            for i, dark in enumerate([*modules, False]):
                if dark and start is None:
                    start = i
                elif not dark and start is not None:
                    path.rect((start + self.quiet) * unit, y, (i - start) * unit, unit)
                    start = None
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()
        canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1)


class Rule(Flowable):
    def __init__(self, length_: float, weight: float, color):
        super().__init__()
        self.length, self.weight, self.color = length_, weight, color

    def wrap(self, aw, ah):
        return self.length, self.weight

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.weight)
        self.canv.line(0, self.weight / 2, self.length, self.weight / 2)


class Paint(Flowable):
    """Fills its frame and paints it with a function of the canvas."""

    def __init__(self, paint):
        super().__init__()
        self.paint = paint

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah
        return aw, ah - 0.01

    def draw(self):
        self.paint(self.canv)


class Kind(ActionFlowable):
    def __init__(self, kind: str):
        super().__init__(("kind", kind))


class Pad(ActionFlowable):
    def __init__(self, pages):
        super().__init__(("kind", "notes"))
        self.pages = pages


class Doc(BaseDocTemplate):
    """Recto/verso templates by page parity; padding to a multiple of four pages."""

    def __init__(self, buffer, size, first: str, **kw):
        super().__init__(buffer, pagesize=size, invariant=1, **kw)
        self.kind = first

    def handle_pageBegin(self):
        side = "recto" if (self.page + 1) % 2 else "verso"
        single = self.kind in ("cover", "back", "card")
        name = self.kind if single else f"{self.kind}-{side}"
        self.pageTemplate = next(t for t in self.pageTemplates if t.id == name)
        super().handle_pageBegin()

    def handle_kind(self, kind):
        self.kind = kind

    def filterFlowables(self, flowables):
        if flowables and isinstance(flowables[0], Pad):
            blanks = -(self.page + 1) % 4
            flowables[0:1] = [x for _ in range(blanks) for x in flowables[0].pages()]


# --- the booklet --------------------------------------------------------------------------


class Booklet:
    def __init__(self, event: dict, layout: dict, look: Look):
        self.e, self.layout, self.s = event, layout, look
        self.w = length(layout["trim"]["width"])
        self.h = length(layout["trim"]["height"])
        self.m = {k: length(v) for k, v in layout["margins"].items()}
        self.measure = self.w - self.m["inner"] - self.m["outer"]
        self.orgs = {k: v["name"] for k, v in event.get("organizations", {}).items()}
        self.title = event["event"]["title"]

    def templates(self):
        full = Frame(0, 0, self.w, self.h, 0, 0, 0, 0, id="full")
        made = [PageTemplate(k, [full]) for k in ("cover", "back", "card")]
        for kind in ("body", "notes"):
            for side, left in (("recto", self.m["inner"]), ("verso", self.m["outer"])):
                height = self.h - self.m["top"] - self.m["bottom"]
                frame = Frame(left, self.m["bottom"], self.measure, height, 0, 0, 0, 0)
                made.append(PageTemplate(f"{kind}-{side}", [frame], onPage=self.folio))
        return made

    def folio(self, canv, doc):
        st, spec = self.s["folio"], self.s.specs["folio"]
        track = spec.get("tracking", 0)

        def width(text):
            return pdfmetrics.stringWidth(text, st.fontName, st.fontSize) + track * len(text)

        number, foot = str(doc.page), str(self.title)
        while width(foot) > self.measure * 0.7:
            foot = foot.rsplit(" ", 1)[0] + "…"
        if doc.page % 2:
            x_num = self.w - self.m["outer"] - width(number)
            x_foot = x_num - 5 * MM - width(foot)
        else:
            x_num = self.m["outer"]
            x_foot = x_num + width(number) + 5 * MM
        text = canv.beginText()
        text.setFont(st.fontName, st.fontSize)
        text.setCharSpace(track)
        text.setFillColor(st.textColor)
        text.setTextOrigin(x_num, self.m["bottom"] - 9 * MM)
        text.textOut(number)
        text.setTextOrigin(x_foot, self.m["bottom"] - 9 * MM)
        text.textOut(foot)
        canv.drawText(text)

    def row(self, left, right, left_width, valign="TOP"):
        table = Table([[left, right]], colWidths=[left_width, self.measure - left_width])
        table.hAlign = "LEFT"
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.s.font("body")),
                    ("TEXTCOLOR", (0, 0), (-1, -1), self.s.colors["ink"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), valign),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.s.colors["rule"]),
                ]
            )
        )
        return table

    def heading(self, title, kicker="", meta=""):
        s = self.s
        parts = [s.para(kicker, "kicker")] if kicker else []
        parts.append(s.para(title, "title"))
        if meta:
            parts.append(s.para(meta, "item-meta"))
        parts += [Spacer(1, 3 * MM), Rule(12 * MM, 1.2, s.colors["accent"]), Spacer(1, 6 * MM)]
        group = KeepTogether(parts)
        group.keepWithNext = 1
        return group

    def when(self):
        ev = self.e["event"]
        parts = []
        if ev.get("date"):
            day = ev["date"]
            parts.append(f"{day:%A}, {day.day} {day:%B %Y}")
        if ev.get("start"):
            parts.append(str(ev["start"]))
        return " · ".join(parts)

    def where(self):
        ev = self.e["event"]
        return ", ".join(str(ev[k]) for k in ("venue", "city") if ev.get(k))

    def story(self):
        s, ev = self.s, self.e["event"]
        out = [Paint(self.cover), Kind("body"), PageBreak()]
        # program
        meta = " · ".join(x for x in (str(ev.get("start") or ""), self.where()) if x)
        out.append(self.heading(WORDS["program"], self.when().rsplit(" · ", 1)[0], meta))
        clock = minutes_of(ev.get("start"))
        for item in self.e.get("program", []):
            if item.get("time"):
                clock = minutes_of(item["time"])
            time_text = f"{clock // 60 % 24:02d}:{clock % 60:02d}" if clock is not None else ""
            if clock is not None:
                clock = clock + minutes(item["duration"]) if item.get("duration") else None
            body = [s.para(item.get("title") or KIND_TITLES[item["kind"]], "item-title")]
            person = self.e.get("people", {}).get(item.get("speaker"))
            if person:
                role = ", ".join(
                    str(x)
                    for x in (person.get("role"), self.orgs.get(person.get("affiliation")))
                    if x
                )
                who = f"<b>{escape(person['name'])}</b>" + (f" — {escape(role)}" if role else "")
                body.append(Paragraph(who, s["item-meta"]))
            for n, anthem in enumerate(item.get("anthems", []), 1):
                body.append(s.para(f"{n}. {anthem}", "figure-label"))
            for key in ("description", "note"):
                if item.get(key):
                    body.append(s.para(item[key], "note"))
            details = []
            if item.get("duration"):
                details.append(duration_text(minutes(item["duration"])))
            if item.get("place"):
                details.append(str(item["place"]))
            if details:
                body.append(s.para(" · ".join(details), "item-meta"))
            out.append(self.row([s.para(time_text, "time")], body, 15 * MM))
        # speakers
        program, people = self.e.get("program", []), self.e.get("people", {})
        spoken = [i for i in program if i.get("speaker") in people]
        if spoken:
            out += [Kind("body"), PageBreak(), self.heading(WORDS["speakers"])]
            talks: dict[str, list[str]] = {}
            for i in spoken:
                title = i.get("title") or KIND_TITLES[i["kind"]]
                talks.setdefault(i["speaker"], []).append(str(title))
            for pid, titles in talks.items():
                p = people[pid]
                parts = [s.para(p["name"], "item-title")]
                if p.get("role"):
                    parts.append(s.para(p["role"], "figure-label"))
                if p.get("affiliation"):
                    parts.append(s.para(self.orgs.get(p["affiliation"], ""), "item-meta"))
                parts += [Spacer(1, 2), s.para(" · ".join(titles), "note")]
                out.append(self.row([], parts, 0))
        # sections
        for n, section in enumerate(self.e.get("sections", [])):
            if n == 0:
                out += [Kind("body"), PageBreak()]
                out.append(self.heading(section["title"], WORDS["about"]))
            else:
                head = s.para(section["title"], "heading")
                head.keepWithNext = 1
                out.append(head)
            blocks = re.split(r"\n\s*\n", str(section["body"]).strip())
            for k, block in enumerate(blocks):
                text = " ".join(line.strip() for line in block.splitlines())
                out.append(s.para(text, "lead" if k == 0 and n == 0 else "body"))
        # facts
        facts = self.e.get("facts", [])
        sources = self.e.get("sources", [])
        numbers = {src["id"]: n for n, src in enumerate(sources, 1)}
        publisher = {src["id"]: src["publisher"] for src in sources}
        if facts:
            out += [Kind("body"), PageBreak()]
            out.append(self.heading(WORDS["facts"], ev.get("subtitle", "")))

            def source(fact):
                sid = fact.get("source")
                return f"{WORDS['source']}: {publisher[sid]} [{numbers[sid]}]" if sid else ""

            hero, rest = facts[0], facts[1:]
            big = ParagraphStyle(
                "hero",
                parent=s["figure"],
                fontSize=s["figure"].fontSize * 1.8,
                leading=s["figure"].leading * 1.75,
            )
            out.append(
                KeepTogether(
                    [
                        Paragraph(f"{int(hero['figure']):,}", big),
                        s.para(hero["label"], "lead"),
                        s.para(source(hero), "reference"),
                        Spacer(1, 5 * MM),
                    ]
                )
            )
            gap = 6 * MM
            col = (self.measure - gap) / 2
            rows, style = (
                [],
                [
                    ("FONTNAME", (0, 0), (-1, -1), s.font("body")),
                    ("TEXTCOLOR", (0, 0), (-1, -1), s.colors["ink"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
                ],
            )
            for i in range(0, len(rest), 2):
                pair = rest[i : i + 2]
                cells = [
                    [
                        Paragraph(f"{int(f['figure']):,}", s["figure"]),
                        s.para(f["label"], "figure-label"),
                        Spacer(1, 2),
                        s.para(source(f), "reference"),
                    ]
                    for f in pair
                ] + [[]] * (2 - len(pair))
                rows.append([cells[0], [], cells[1]])
                for c in (0, 2):
                    if rows[-1][c]:
                        r = len(rows) - 1
                        style.append(("LINEABOVE", (c, r), (c, r), 0.8, s.colors["accent"]))
            if rows:
                table = Table(rows, colWidths=[col, gap, col])
                table.hAlign = "LEFT"
                table.setStyle(TableStyle(style))
                out.append(table)
        # sources
        if sources:
            out += [Kind("body"), PageBreak()]
            out.append(self.heading(WORDS["sources"], meta=WORDS["sources-intro"]))
            qr = self.layout.get("qr", {})
            size, quiet = length(qr.get("size", "18mm")), int(qr.get("quiet-zone", 4))
            for n, src in enumerate(sources, 1):
                text = [s.para(f"[{n}]  {src['publisher']}", "item-title")]
                if src.get("title"):
                    text.append(s.para(src["title"], "figure-label"))
                text.append(Spacer(1, 2))
                url = str(src["url"])
                shown = url.split("://", 1)[-1].rstrip("/")
                link = f'<a href="{escape(url)}">{escape(shown)}</a>'
                text.append(Paragraph(link, s["reference"]))
                code = Qr(url, size, quiet, s.colors["ink"])
                out.append(self.row([code], text, size + 5 * MM, "MIDDLE"))
        out.append(Pad(self.notes_page))
        out += [Kind("back"), PageBreak(), Paint(self.back)]
        return out

    def notes_page(self):
        def paint(canv):
            st = self.s["kicker"]
            area_h = self.h - self.m["top"] - self.m["bottom"]
            canv.setFont(st.fontName, st.fontSize)
            canv.setFillColor(st.textColor)
            canv.drawString(0, area_h - st.fontSize, WORDS["notes"].upper())
            canv.setStrokeColor(self.s.colors["rule"])
            canv.setLineWidth(0.4)
            y = area_h - st.leading - 8 * MM
            while y > 8 * MM:
                canv.line(0, y, self.measure, y)
                y -= 8 * MM

        return [Kind("notes"), PageBreak(), Paint(paint)]

    def place(self, canv, flowable, x, top, width):
        _, h = flowable.wrapOn(canv, width, 10_000)
        flowable.drawOn(canv, x, top - h)
        return top - h

    def fill(self, canv, color, bleed=3 * MM):
        canv.setFillColor(self.s.colors[color])
        canv.rect(-bleed, -bleed, self.w + 2 * bleed, self.h + 2 * bleed, stroke=0, fill=1)

    def cover(self, canv):
        s, ev = self.s, self.e["event"]
        x, width = self.m["outer"], self.w - self.m["outer"] - self.m["inner"] * 0.8
        canv.saveState()
        self.fill(canv, "night")
        kicker = " · ".join(str(ev[k]) for k in ("city", "country") if ev.get(k))
        self.place(canv, s.para(kicker, "cover-kicker"), x + 5 * MM, self.h - self.m["top"], width)
        bottom = self.place(canv, s.para(ev["title"], "cover-title"), x, self.h * 0.58, width)
        if ev.get("subtitle"):
            self.place(canv, s.para(ev["subtitle"], "cover-subtitle"), x, bottom - 5 * MM, width)
        y = self.m["bottom"] + 28 * MM
        for line in (self.when(), self.where()):
            y = self.place(canv, s.para(line, "cover-meta"), x, y, width) - 1
        orgs = " · ".join(self.orgs.get(o, o) for o in ev.get("organizers", []))
        self.place(canv, s.para(orgs, "cover-meta"), x, self.m["bottom"] + 6 * MM, width)
        canv.restoreState()

    def back(self, canv):
        s, ev = self.s, self.e["event"]
        x, width = self.m["inner"], self.measure
        canv.saveState()
        self.fill(canv, "night")
        top = self.h * 0.62
        for label, ids in (("organized-by", "organizers"), ("partners", "partners")):
            if ev.get(ids):
                top = self.place(canv, s.para(WORDS[label], "kicker"), x, top, width) - 2
                for oid in ev[ids]:
                    name = s.para(self.orgs.get(oid, oid), "cover-subtitle")
                    top = self.place(canv, name, x, top, width) - 2
                top -= 7 * MM
        bottom = self.place(
            canv, s.para(self.title, "cover-meta"), x, self.m["bottom"] + 14 * MM, width
        )
        when = " · ".join(x for x in (self.when(), self.where()) if x)
        self.place(canv, s.para(when, "cover-meta"), x, bottom - 1, width)
        canv.restoreState()

    def build(self) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        doc = Doc(buffer, (self.w, self.h), "cover", title=str(self.title), lang="en")
        doc.addPageTemplates(self.templates())
        doc.build(self.story())
        return buffer.getvalue(), doc.page


def minutes_of(clock) -> int | None:
    if not clock:
        return None
    hours, mins = str(clock).split(":")
    return int(hours) * 60 + int(mins)


# --- invitation cards ------------------------------------------------------------------------


class Cards(Booklet):
    def __init__(self, event, layout, look, guests):
        super().__init__(event, layout, look)
        self.guests = guests
        self.m = {k: length(v) for k, v in layout["margins"].items()}

    def card(self, guest):
        s, ev, inv = self.s, self.e["event"], self.e["invitation"]
        qr = self.layout.get("qr", {})
        size, quiet = length(qr.get("size", "18mm")), int(qr.get("quiet-zone", 4))
        who = " ".join(x for x in (guest.get("honorific"), guest["name"]) if x)
        url = str(inv["url"]).replace("{guest}", guest["id"])
        seat = f"Seat {guest['seat']}" if guest.get("seat") else ""

        def paint(canv):
            x, width = self.m["outer"], self.w - 2 * self.m["outer"]
            band = self.h * 0.38
            canv.saveState()
            canv.setFillColor(s.colors["night"])
            canv.rect(-3 * MM, self.h - band, self.w + 6 * MM, band + 3 * MM, stroke=0, fill=1)
            top = self.h - self.m["top"]
            top = self.place(canv, s.para(self.when(), "cover-kicker"), x, top, width) - 3 * MM
            self.place(canv, s.para(ev["title"], "card-title"), x, top, width)
            y = self.h - band - 7 * MM
            y = self.place(canv, s.para(f"Dear {who},", "card-salutation"), x, y, width) - 2 * MM
            y = self.place(canv, s.para(inv["text"], "body"), x, y, width) - 2 * MM
            for line in (self.when(), self.where()):
                y = self.place(canv, s.para(line, "item-title"), x, y, width)
            code = Qr(url, size, quiet, s.colors["ink"])
            code.drawOn(canv, self.w - self.m["outer"] - size, self.m["bottom"])
            foot = self.m["bottom"] + size
            for line in (seat, inv.get("qr-label", "")):
                if line:
                    para = s.para(line, "item-meta")
                    foot = self.place(canv, para, x, foot, width - size - 4 * MM) - 1
            canv.restoreState()

        return Paint(paint)

    def build_cards(self, guests) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        doc = Doc(buffer, (self.w, self.h), "card", title=str(self.title), lang="en")
        doc.addPageTemplates(self.templates())
        story = []
        for n, guest in enumerate(guests):
            if n:
                story.append(PageBreak())
            story.append(self.card(guest))
        doc.build(story)
        return buffer.getvalue(), doc.page


# --- command line --------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("event_dir", type=Path)
    ap.add_argument("--layout", default="a5-booklet")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--files", type=Path, help="card layouts: one PDF per guest in this folder")
    ap.add_argument("--project", type=Path, help="folder with layouts/ and fonts/")
    ap.add_argument(
        "--qr-mask",
        default=str(QR_MASK),
        choices=[*map(str, range(8)), "search"],
        help=f"QR mask pattern (default {QR_MASK}, booklet's); search: qrcode tries all eight",
    )
    args = ap.parse_args(argv)
    Qr.mask = None if args.qr_mask == "search" else int(args.qr_mask)
    project = args.project or find_project(args.event_dir)
    times, cpu, pages = [], [], 0
    for _ in range(args.repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        layout = read_layout(project, args.layout)
        event = yaml.safe_load((args.event_dir / "event.yaml").read_text(encoding="utf-8"))
        look = Look(layout, register_fonts(layout, project / "fonts"))
        if layout["kind"] == "card":
            guests_path = args.event_dir / event["invitation"].get("guests", "guests.csv")
            with open(guests_path, encoding="utf-8", newline="") as handle:
                guests = list(csv.DictReader(handle))
            maker = Cards(event, layout, look, guests)
            if args.files:
                args.files.mkdir(parents=True, exist_ok=True)
                pages = 0
                for guest in guests:
                    data, n = maker.build_cards([guest])
                    (args.files / f"{guest['id']}.pdf").write_bytes(data)
                    pages += n
            else:
                data, pages = maker.build_cards(guests)
                if args.out:
                    args.out.write_bytes(data)
        else:
            data, pages = Booklet(event, layout, look).build()
            if args.out:
                args.out.write_bytes(data)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    print(json.dumps({"pages": pages, "import_s": IMPORTED, "times": times, "cpu": cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
