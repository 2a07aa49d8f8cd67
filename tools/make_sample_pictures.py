"""Make the sample events' placeholder pictures: photographs painted with Pillow, logos as SVG.

Nothing here is a real photograph or a real organization's logo. (The commemoration's
mountains at sunset (CC BY 4.0), red hibiscus and typewriter (CC0) are real photographs,
not made here: their provenance is in content/commemoration/pictures/README.md.) The
sample events need pictures a project may ship, and the web is not reachable at build
time, so every picture here is generated from a fixed seed (the output is the same on
every run) and marked as a placeholder: the photos' captions and credits say so, and each
logo carries the word PLACEHOLDER in its artwork. Letters in the logos are outlines from
the bundled Noto Sans (SIL OFL), so the SVGs hold no text element. Dedicated to the
public domain (CC0 1.0).

    .venv/bin/python tools/make_sample_pictures.py
"""

from __future__ import annotations

import random
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parents[1]
COMMEMORATION = ROOT / "content" / "commemoration" / "pictures"
CONFERENCE = ROOT / "content" / "conference" / "pictures"
BOLD = ROOT / "fonts" / "noto" / "NotoSans-Bold.ttf"
REGULAR = ROOT / "fonts" / "noto" / "NotoSans-Regular.ttf"


# --- painting helpers ----------------------------------------------------------------------


def vertical(size: tuple[int, int], stops: list[tuple[float, tuple[int, int, int]]]) -> Image.Image:
    """A vertical gradient through colour stops (position 0 top … 1 bottom)."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if p0 <= t <= p1:
                k = (t - p0) / max(1e-9, p1 - p0)
                column.putpixel(
                    (0, y), tuple(round(a + (b - a) * k) for a, b in zip(c0, c1, strict=True))
                )
                break
    return column.resize(size)


def grain(image: Image.Image, seed: int, amount: float = 0.06) -> Image.Image:
    """Film grain: seeded noise, slightly soft, laid over the picture."""
    rng = random.Random(seed)
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    noise = noise.filter(ImageFilter.GaussianBlur(0.6))
    noise = ImageOps.autocontrast(noise)
    layer = Image.merge("RGB", [noise] * 3) if image.mode == "RGB" else noise
    return Image.blend(image, ImageChops.overlay(image, layer), amount * 4)


def vignette(image: Image.Image, strength: float = 0.45) -> Image.Image:
    mask = Image.radial_gradient("L").resize(image.size).filter(ImageFilter.GaussianBlur(40))
    dark = Image.new(image.mode, image.size, 0)
    return Image.composite(dark, image, ImageOps.autocontrast(mask).point(lambda v: v * strength))


# --- the commemoration's photographs ---------------------------------------------------------


def candles(size: tuple[int, int], seed: int) -> Image.Image:
    """Candle flames in the dark, out of focus behind one in focus."""
    rng = random.Random(seed)
    width, height = size
    image = vertical(size, [(0.0, (12, 10, 14)), (1.0, (34, 22, 16))])
    glow = Image.new("RGB", size, 0)
    draw = ImageDraw.Draw(glow)
    for _ in range(26):  # bokeh: soft discs of warm light
        x, y, r = rng.uniform(0, width), rng.uniform(0, height * 0.75), rng.uniform(20, 70)
        tone = (rng.randint(150, 255), rng.randint(80, 150), rng.randint(20, 60))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(v // 3 for v in tone))
    glow = glow.filter(ImageFilter.GaussianBlur(18))
    image = ImageChops.add(image, glow)
    draw = ImageDraw.Draw(image)
    for n in range(5):  # candles in a row: wax, wick, flame
        cx = width * (0.18 + 0.16 * n) + rng.uniform(-20, 20)
        top = height * (0.52 + rng.uniform(-0.05, 0.08))
        w = width * 0.045
        draw.rectangle((cx - w, top, cx + w, height), fill=(214, 200, 178))
        draw.rectangle((cx - w * 0.35, top, cx + w * 0.35, height), fill=(232, 220, 200))
    halo = Image.new("RGB", size, 0)
    hdraw = ImageDraw.Draw(halo)
    for n in range(5):
        cx = width * (0.18 + 0.16 * n)
        top = height * 0.5
        hdraw.ellipse((cx - 60, top - 130, cx + 60, top + 10), fill=(150, 90, 30))
    image = ImageChops.add(image, halo.filter(ImageFilter.GaussianBlur(35)))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for n in range(5):
        cx = width * (0.18 + 0.16 * n) + rng.uniform(-20, 20)
        top = height * (0.52 + rng.uniform(-0.05, 0.08))
        draw.ellipse((cx - 9, top - 62, cx + 9, top - 4), fill=(255, 214, 140))
        draw.ellipse((cx - 4, top - 48, cx + 4, top - 10), fill=(255, 250, 230))
    return grain(image.filter(ImageFilter.GaussianBlur(1.2)), seed + 3)


def foyer(size: tuple[int, int], seed: int) -> Image.Image:
    """A dim foyer with framed pictures on a wall and light falling on the floor."""
    rng = random.Random(seed)
    width, height = size
    image = vertical(
        size,
        [(0.0, (70, 64, 60)), (0.62, (112, 100, 88)), (0.63, (58, 50, 44)), (1.0, (28, 24, 22))],
    )
    draw = ImageDraw.Draw(image)
    x = width * 0.06
    while x < width * 0.92:
        w, h = rng.uniform(0.12, 0.2) * width, rng.uniform(0.22, 0.34) * height
        top = height * 0.2 + rng.uniform(-0.03, 0.05) * height
        draw.rectangle((x, top, x + w, top + h), fill=(24, 22, 22))
        inner = (x + 10, top + 10, x + w - 10, top + h - 10)
        tone = rng.randint(90, 170)
        draw.rectangle(inner, fill=(tone, tone - 6, tone - 14))
        x += w + rng.uniform(0.04, 0.08) * width
    light = Image.new("L", size, 0)
    ImageDraw.Draw(light).polygon(
        [(width * 0.3, height * 0.63), (width * 0.7, height * 0.63), (width, height), (0, height)],
        fill=80,
    )
    glow = Image.merge("RGB", [light.filter(ImageFilter.GaussianBlur(50))] * 3)
    image = ImageChops.add(image, glow)
    return vignette(grain(image.filter(ImageFilter.GaussianBlur(1.6)), seed + 5), 0.4)


# --- portraits -------------------------------------------------------------------------------


def portrait(size: tuple[int, int], seed: int) -> Image.Image:
    """A placeholder portrait: a head-and-shoulders silhouette on a soft studio backdrop."""
    rng = random.Random(seed)
    width, height = size
    hue = [rng.randint(60, 150) for _ in range(3)]
    backdrop = vertical(
        size, [(0.0, tuple(min(255, v + 70) for v in hue)), (1.0, tuple(v // 2 for v in hue))]
    )
    draw = ImageDraw.Draw(backdrop)
    skin = rng.choice([(226, 190, 160), (198, 152, 118), (160, 116, 86), (236, 204, 178)])
    cloth = tuple(rng.randint(20, 90) for _ in range(3))
    cx = width / 2
    draw.ellipse((cx - width * 0.52, height * 0.68, cx + width * 0.52, height * 1.35), fill=cloth)
    draw.rectangle((cx - width * 0.09, height * 0.52, cx + width * 0.09, height * 0.72), fill=skin)
    draw.ellipse((cx - width * 0.22, height * 0.2, cx + width * 0.22, height * 0.62), fill=skin)
    hair = tuple(rng.randint(20, 80) for _ in range(3))
    draw.chord(
        (cx - width * 0.24, height * 0.16, cx + width * 0.24, height * 0.5), 180, 360, fill=hair
    )
    return grain(backdrop.filter(ImageFilter.GaussianBlur(2.2)), seed + 9, 0.05)


# --- logos as SVG, letters as outlines ---------------------------------------------------------


class Outliner:
    """Letters of a font as SVG path data, for text without a <text> element."""

    def __init__(self, path: Path):
        self.font = TTFont(path)
        self.glyphs = self.font.getGlyphSet()
        self.cmap = self.font.getBestCmap()
        self.units = self.font["head"].unitsPerEm

    def width(self, text: str, size: float) -> float:
        hmtx = self.font["hmtx"]
        return sum(hmtx[self.cmap[ord(c)]][0] for c in text) * size / self.units

    def path(self, text: str, x: float, y: float, size: float) -> str:
        scale = size / self.units
        pen = SVGPathPen(self.glyphs)
        for char in text:
            name = self.cmap[ord(char)]
            self.glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, y)))
            x += self.font["hmtx"][name][0] * scale
        return pen.getCommands()


def logo_svg(initials: str, name: str, colour: str, accent: str, shape: str) -> str:
    """A placeholder logo: a mark with the initials, the name beside it, PLACEHOLDER under it."""
    bold, regular = Outliner(BOLD), Outliner(REGULAR)
    mark = {
        "circle": f'<circle cx="40" cy="40" r="36" fill="{colour}"/>',
        "square": f'<rect x="4" y="4" width="72" height="72" rx="10" fill="{colour}"/>',
        "shield": f'<path d="M40 3 L74 14 L70 48 Q62 68 40 78 Q18 68 10 48 L6 14 Z" '
        f'fill="{colour}"/>',
        "diamond": f'<path d="M40 2 L78 40 L40 78 L2 40 Z" fill="{colour}"/>',
    }[shape]
    size = 30 if len(initials) <= 2 else 22
    lw = bold.width(initials, size)
    letters = bold.path(initials, 40 - lw / 2, 40 + size * 0.36, size)
    words = name.split()
    lines = [" ".join(words[: (len(words) + 1) // 2]), " ".join(words[(len(words) + 1) // 2 :])]
    lines = [line for line in lines if line]
    text = "".join(
        f'<path d="{bold.path(line, 92, 34 + 22 * n, 19)}" fill="{colour}"/>'
        for n, line in enumerate(lines)
    )
    tag = regular.path("PLACEHOLDER LOGO", 92, 34 + 22 * len(lines) + 4, 10)
    width = 92 + max(bold.width(line, 19) for line in lines) + 6
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} 80" '
        f'width="{width / 80 * 24:.1f}mm" height="24mm">\n'
        "<!-- Placeholder logo made by tools/make_sample_pictures.py, "
        "not a real organization's. CC0. -->\n"
        f'{mark}\n<path d="{letters}" fill="#ffffff"/>\n'
        f'<rect x="92" y="{34 + 22 * len(lines) - 8}" width="34" height="2" fill="{accent}"/>\n'
        f'{text}\n<path d="{tag}" fill="#8a8a8a"/>\n</svg>\n'
    )


def venue_plan() -> str:
    """A placeholder floor plan of a congress centre: halls, foyer, entrance, as outlines."""
    regular = Outliner(BOLD)
    rooms = [
        (20, 20, 300, 170, "#d9e4ee", "BÜYÜK SALON"),
        (340, 20, 140, 80, "#e8e1d3", "A SALONU"),
        (340, 110, 140, 80, "#e8e1d3", "B SALONU"),
        (20, 210, 460, 90, "#f2efe8", "FUAYE"),
    ]
    shapes = []
    for x, y, w, h, fill, label in rooms:
        shapes.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" '
            'stroke="#4a5563" stroke-width="3"/>'
        )
        lw = regular.width(label, 15)
        shapes.append(
            f'<path d="{regular.path(label, x + w / 2 - lw / 2, y + h / 2 + 5, 15)}" '
            'fill="#2c3440"/>'
        )
    shapes.append('<path d="M230 300 L270 300 L250 330 Z" fill="#b0263b"/>')
    lw = regular.width("GİRİŞ", 13)
    shapes.append(f'<path d="{regular.path("GİRİŞ", 250 - lw / 2, 350, 13)}" fill="#b0263b"/>')
    tag = Outliner(REGULAR).path("PLACEHOLDER PLAN", 360, 350, 11)
    shapes.append(f'<path d="{tag}" fill="#8a8a8a"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500 360" width="500" height="360">\n'
        "<!-- Placeholder floor plan made by tools/make_sample_pictures.py. CC0. -->\n"
        + "\n".join(shapes)
        + "\n</svg>\n"
    )


# --- the events' files ---------------------------------------------------------------------------


def save_jpeg(image: Image.Image, path: Path, quality: int = 86) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=quality, optimize=True, progressive=False)


COMMEMORATION_LOGOS = {
    "manisa-municipality": ("MB", "Manisa Municipality", "#1f4e79", "#c8102e", "shield"),
    "tadef": ("TADEF", "TADEF Federation", "#7a1f2b", "#1f4e79", "square"),
    "manisa-association": ("MA", "Manisa Association", "#2e5d3a", "#c8102e", "circle"),
    "heydar-aliyev-foundation": ("HA", "Heydar Aliyev Foundation", "#0f5c7a", "#c9a227", "diamond"),
}
CONFERENCE_LOGOS = {
    "ege-uni": ("EÜ", "Ege Edebiyat", "#0b3d6e", "#e0a100", "shield"),
    "heritage-centre": ("KM", "Miras Merkezi", "#6d2f7a", "#e0a100", "circle"),
    "linguistics-society": ("DD", "Dilbilim Derneği", "#1f6f5c", "#d0452b", "square"),
    "anadolu-bilisim": ("AB", "Anadolu Bilişim", "#c2410c", "#1e3a5f", "diamond"),
    "national-library": ("MK", "Milli Kütüphane", "#3b3b3b", "#b0263b", "square"),
    "european-network": ("DH", "Digital Humanities", "#1d4ed8", "#f5b400", "circle"),
    "ege-radyo": ("ER", "Ege Radyo", "#b91c1c", "#111827", "circle"),
}
SPEAKERS = [
    *("aydin", "karaca", "mammadov", "collins", "petrova", "ivanov", "ozturk"),
    *("rzayeva", "sahin", "yilmaz", "celik", "novak", "guliyev"),
]


def main() -> None:
    save_jpeg(candles((2200, 1467), 12), COMMEMORATION / "candles.jpg")
    save_jpeg(foyer((2400, 1600), 13), COMMEMORATION / "exhibition-foyer.jpg")
    for ident, (initials, name, colour, accent, shape) in COMMEMORATION_LOGOS.items():
        (COMMEMORATION / f"logo-{ident}.svg").write_text(
            logo_svg(initials, name, colour, accent, shape)
        )
    CONFERENCE.mkdir(parents=True, exist_ok=True)
    for ident, (initials, name, colour, accent, shape) in CONFERENCE_LOGOS.items():
        (CONFERENCE / f"logo-{ident}.svg").write_text(
            logo_svg(initials, name, colour, accent, shape)
        )
    for n, person in enumerate(SPEAKERS):
        save_jpeg(portrait((360, 450), 100 + n), CONFERENCE / f"portrait-{person}.jpg", 84)
    (CONFERENCE / "venue-plan.svg").write_text(venue_plan())


if __name__ == "__main__":
    main()
