"""Fuzz the YAML loader with mutations of the sample files: every input loads or is refused.

    .venv/bin/python bench/fuzz_loader.py --seconds 60 --seed 1

Each input is a mutation of a real file (the sample event, its translations and guest list,
the layouts, the hostile corpus): bytes flipped, YAML pieces inserted, ranges deleted,
repeated or spliced from another file, or the file cut short. `load.load_yaml` must return
a node tree or raise `BookletError`; anything else is a crash. With `--overlay` every tree
that loads is also laid over the sample event as a translation, and the sample's
Azerbaijani translation over it as a base (`load.overlay`).

Prints how many inputs loaded, were refused (by diagnostic code), crashed or were slow, and
exits 1 if any crashed; crashing inputs are saved with `--crashes DIR`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from booklet.errors import BookletError, Diagnostics  # noqa: E402
from booklet.read.nodes import load_yaml, overlay  # noqa: E402

SLOW_SECONDS = 1.0
PIECES = [
    b": ", b"- ", b"\n", b"  ", b"\t", b"[", b"]", b"{", b"}", b", ", b"'", b'"', b"#", b"&a ",
    b"*a", b"!!python/object/apply:os.system ", b"!!binary ", b"!tag ", b"|", b">-", b"---\n",
    b"...\n", b"? ", b"~", b"<<: ", b"%YAML 1.1\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9",
    b"\x00", b"\x1b[31m", b"\xe2\x80\xae", b"{{ event.title }}", b"\\u0000", b"\\x", b"14:00",
    b"0613", b"NO", b"2026-02-30", b"9" * 400, b"[" * 64, b"a: " * 30,
]  # fmt: skip


def seeds() -> list[bytes]:
    """The files mutations start from."""
    paths = sorted((ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "layouts").glob("*.yaml"))
    paths += sorted((ROOT / "tests" / "hostile").rglob("*.yaml"))
    paths += sorted((ROOT / "content").rglob("*.csv"))
    return [p.read_bytes() for p in paths if p.is_file() and p.stat().st_size < 200_000]


def mutate(data: bytes, corpus: list[bytes], rng: random.Random) -> bytes:
    """One to eight random edits of `data`."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(out))
        kind = rng.randrange(7)
        if kind == 0 and out:  # flip a byte
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif kind == 1:  # insert a YAML piece
            out[at:at] = rng.choice(PIECES)
        elif kind == 2:  # delete a range
            del out[at : at + rng.randint(1, 40)]
        elif kind == 3:  # repeat a range
            piece = bytes(out[at : at + rng.randint(1, 80)])
            out[at:at] = piece * rng.randint(1, 20)
        elif kind == 4:  # splice a range of another file
            other = rng.choice(corpus)
            start = rng.randint(0, len(other))
            out[at:at] = other[start : start + rng.randint(1, 400)]
        elif kind == 5:  # cut short
            del out[at:]
        else:  # swap two lines (breaks indentation and order)
            lines = bytes(out).split(b"\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                out = bytearray(b"\n".join(lines))
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--seconds", type=float, default=30.0, help="how long to run (30)")
    args.add_argument("--seed", type=int, default=0, help="random seed (0)")
    args.add_argument("--overlay", action="store_true", help="also overlay each loaded tree")
    args.add_argument("--crashes", type=Path, help="save crashing inputs in this folder")
    opts = args.parse_args(argv)

    rng = random.Random(opts.seed)
    corpus = seeds()
    work = Path(tempfile.mkdtemp(prefix="booklet-fuzz-"))
    path = work / "fuzz.yaml"
    sample = ROOT / "content" / "commemoration"
    base = load_yaml(sample / "event.yaml", ROOT)
    translation = load_yaml(sample / "event.az.yaml", ROOT)
    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    crashes: list[tuple[bytes, str]] = []
    deadline = time.monotonic() + opts.seconds
    while time.monotonic() < deadline:
        data = mutate(rng.choice(corpus), corpus, rng)
        path.write_bytes(data)
        start = time.monotonic()
        try:
            tree = load_yaml(path, work)
            if opts.overlay:
                overlay(base, tree, "", Diagnostics())
                overlay(tree, translation, "", Diagnostics())
            counts["loaded"] += 1
        except BookletError as exc:
            counts["refused"] += 1
            codes.update(d.code for d in exc.diagnostics)
        except Exception:  # noqa: BLE001 - anything else is what we look for
            counts["crashed"] += 1
            crashes.append((data, traceback.format_exc(limit=4)))
        if time.monotonic() - start > SLOW_SECONDS:
            counts["slow"] += 1
        counts["inputs"] += 1

    shutil.rmtree(work, ignore_errors=True)
    print(f"seed {opts.seed}, {opts.seconds:g} s, {len(corpus)} seed files")
    for name in ("inputs", "loaded", "refused", "crashed", "slow"):
        print(f"  {name:8} {counts[name]:>8,}")
    for code, n in codes.most_common():
        print(f"    refused as {code:14} {n:>8,}")
    for n, (data, trace) in enumerate(crashes[:5]):
        print(f"\ncrash {n + 1}: {data[:120]!r}\n{trace}")
    if opts.crashes and crashes:
        opts.crashes.mkdir(parents=True, exist_ok=True)
        for n, (data, _) in enumerate(crashes):
            (opts.crashes / f"crash-{opts.seed}-{n}.yaml").write_bytes(data)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
