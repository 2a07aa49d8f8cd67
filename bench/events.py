"""Generate the benchmark's events: long booklets and big guest lists, deterministically.

Every generated event starts from a copy of content/commemoration, so the same
fonts, layouts, styles and translations are in play as in the sample; only the
amount of content changes. Nothing here imports booklet: the events are plain
files a user could have written.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "commemoration"

# Calibrated on the a5-booklet layout (9.5/14 pt justified serif on a 115 mm measure):
# about 2,600 characters of running prose fill one body page, a program entry with a
# speaker, a place and a one-line description takes about a seventh of a page, and a
# source row with its 20 mm QR code about a seventh.
PROSE_CHARS_PER_PAGE = 2600
PROGRAM_ITEMS_PER_PAGE = 7.0
SOURCES_PER_PAGE = 7.0
FILL = 0.83  # measured: pages come out this much fuller than the estimates above

_TEXT = (
    "the memory of a town is kept in its streets and in the names of those who lived there "
    "families gathered each winter to read letters aloud and to remember the night of the "
    "attack survivors told the story to their children and the children wrote it down "
    "archives in Baku Ankara and Manisa hold photographs reports and testimony from the "
    "years that followed historians compared the accounts with the records of courts and "
    "international organizations lawyers described the events under the conventions of "
    "the time the university invited students teachers and neighbours to the exhibition "
    "Azərbaycan Türkiye Xocalı Şuşa Gəncə İzmir Kadıköy Üsküdar Göygöl çay şəhər ölkə "
    "yaddaş tarix insanlar xatirə gün gecə qış ağac dağ bulaq kənd məktəb universitet"
)
WORDS = _TEXT.split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        s = sentence(rng)
        out.append(s)
        size += len(s) + 1
    return " ".join(out)


def copy_sample(dest: Path, sample: Path = SAMPLE) -> Path:
    """A fresh copy of the sample event folder at `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(sample, dest)
    return dest


def write_build(dest: Path, documents: list[str], languages: list[str]) -> None:
    text = yaml.safe_dump({"documents": documents, "languages": languages}, sort_keys=False)
    (dest / "build.yaml").write_text(text, encoding="utf-8")


def write_guests(dest: Path, count: int) -> None:
    """A guest list of `count` guests, each with their own id (and so their own QR code)."""
    first = ("Aysel", "Mehmet", "Leyla", "Kemal", "Orxan", "Zeynep", "Nigar", "Emre", "Rəşad")
    last = ("Məmmədova", "Yılmaz", "Hüseynova", "Demir", "Əliyev", "Kaya", "Quliyeva", "Şahin")
    honor = ("", "Dr.", "Prof. Dr.", "Av.", "Doç. Dr.", "")
    with open(dest / "guests.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "honorific", "seat"])
        for n in range(count):
            name = f"{first[n % len(first)]} {last[(n // len(first)) % len(last)]}"
            seat = f"{chr(65 + (n // 40) % 26)}{n % 40 + 1}"
            out.writerow([f"g{n + 1:05d}", name, honor[n % len(honor)], seat])


def invitation_event(dest: Path, guests: int, lang: str = "en", sample: Path = SAMPLE) -> Path:
    """The sample event with `guests` guests and only the A6 invitation in one language."""
    copy_sample(dest, sample)
    write_guests(dest, guests)
    write_build(dest, ["a6-invitation"], [lang])
    return dest


def long_event(dest: Path, pages: int, seed: int = 8, sample: Path = SAMPLE) -> Path:
    """The sample event grown to about `pages` A5 booklet pages, English only.

    About 10 % of the pages are program (a conference: one speaker per three items),
    3 % speakers, 5 % sources with their own QR codes, the rest justified prose in
    sections of about seven pages, each with paragraphs of 400-1,100 characters.
    """
    rng = random.Random(seed * 1_000_003 + pages)
    copy_sample(dest, sample)
    for translation in dest.glob("event.*.yaml"):
        translation.unlink()
    base = yaml.safe_load((sample / "event.yaml").read_text(encoding="utf-8"))
    extra_pages = max(0, pages - 8) * FILL  # the sample itself makes 8 pages
    items = round(extra_pages * 0.10 * PROGRAM_ITEMS_PER_PAGE)
    n_sources = round(extra_pages * 0.05 * SOURCES_PER_PAGE)
    prose_pages = extra_pages * 0.80
    people = dict(base["people"])
    speakers = max(1, items // 3)
    for n in range(speakers):
        people[f"speaker-{n}"] = {
            "name": f"Dr. {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}ov",
            "role": rng.choice(("Professor", "Researcher", "Historian", "Lawyer", "Journalist")),
            "affiliation": rng.choice(sorted(base["organizations"])),
        }
    program = list(base["program"])
    kinds = ("speech", "report", "film", "music", "exhibition")
    for n in range(items):
        kind = kinds[n % len(kinds)]
        item = {
            "id": f"item-{n}",
            "kind": kind,
            "duration": f"{5 + n % 4 * 5} min",
            "title": sentence(rng)[:70].rstrip(" ."),
            "place": rng.choice(("Hall A", "Hall B", "University foyer", "Senate room")),
            "description": sentence(rng),
        }
        if kind in ("speech", "report"):
            item["speaker"] = f"speaker-{n % speakers}"
        program.append(item)
    sections = list(base["sections"])
    total = int(prose_pages * PROSE_CHARS_PER_PAGE)
    per_section = 7 * PROSE_CHARS_PER_PAGE
    n = 0
    while total > 0:
        size = min(per_section, total)
        paras = []
        got = 0
        while got < size:
            p = paragraph(rng, rng.randint(400, 1100))
            paras.append(p)
            got += len(p)
        total -= got
        title = sentence(rng)[:60].rstrip(" .")
        sections.append({"id": f"chapter-{n}", "title": title, "body": "\n\n".join(paras)})
        n += 1
    sources = list(base["sources"])
    for k in range(n_sources):
        sources.append(
            {
                "id": f"ref-{k}",
                "publisher": f"{rng.choice(WORDS).title()} Archive",
                "title": sentence(rng)[:60].rstrip(" ."),
                "url": f"https://archive.example.org/khojaly/{k:05d}/{rng.randrange(10**6):06d}",
            }
        )
    base.update(people=people, program=program, sections=sections, sources=sources)
    base.pop("invitation", None)
    text = yaml.safe_dump(base, allow_unicode=True, sort_keys=False, width=100)
    (dest / "event.yaml").write_text(text, encoding="utf-8")
    write_build(dest, ["a5-booklet"], ["en"])
    return dest


def separate_events(invitations: Path, root: Path, count: int | None = None) -> list[Path]:
    """One event folder per guest of `invitations`: the same event with a guest list of one."""
    root.mkdir(parents=True, exist_ok=True)
    with open(invitations / "guests.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, guests = rows[0], rows[1:][:count]
    made = []
    for row in guests:
        dest = root / row[0]
        dest.mkdir()
        for name in ("event.yaml", "build.yaml"):
            shutil.copyfile(invitations / name, dest / name)
        with open(dest / "guests.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, row])
        made.append(dest)
    return made
