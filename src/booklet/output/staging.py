"""Turn built files into outputs on disk: staged and moved into place only when all succeeded."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import struct
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
from PIL import Image

from .thumbnails import thumbnails

SHEET_PAGE_HEIGHT = 300  # px per page in the contact sheet
SHEET_GAP = 24
SHEET_BACKGROUND = (236, 236, 233)
_SPOOLED = count(1)
SHEET_MAX_PAGES = 32  # a thousand invitation cards: the first ones show what they look like
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A spooled file's write buffer: the collated files of a long build stay open for its whole
# length, three at once in the parent (1 MiB each was 3 MiB held for nothing).
SPOOL_BUFFER = 64 * 1024
FLUSHERS = 16  # files flushed at once (the filesystem commits them together)


@dataclass(frozen=True)
class Spooled:
    """A built file already on disk, in the build's spool folder, standing in for its bytes.

    Long batches write their files there as they make them instead of holding them:
    on the output's filesystem, a spooled file is staged by renaming it."""

    path: Path

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def spool(data: bytes, folder: Path | None) -> bytes | Spooled:
    """`data` written to a new file in the spool folder; held as it is without one."""
    if folder is None:
        return data
    path, handle = spool_file(folder)
    with handle:
        handle.write(data)
    return Spooled(path)


def spool_file(folder: Path, suffix: str = ".pdf") -> tuple[Path, BinaryIO]:
    """A new file in the spool folder, open for writing, with an output's permissions."""
    while True:
        path = folder / f"{os.getpid()}-{next(_SPOOLED)}{suffix}"
        try:  # 0o666 less the umask, as the outputs written from bytes get (mkstemp: 0o600)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return path, open(fd, "wb", buffering=SPOOL_BUFFER)


def spool_folder(out_dir: Path) -> Path:
    """A new spool folder in the output folder (removed by the build that made it)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep(out_dir)
    return Path(tempfile.mkdtemp(prefix=f".booklet-spool-{os.getpid()}-", dir=out_dir))


def sweep(out_dir: Path, kinds: tuple[str, ...] = ("spool", "staging")) -> None:
    """Remove the folders of these kinds (`.booklet-KIND-PID-…`) that killed builds left in
    `out_dir`: those whose process is gone (a build removes its own however it fails,
    unless killed)."""
    for folder in out_dir.glob(".booklet-*-*-*"):
        kind, _, rest = folder.name.removeprefix(".booklet-").partition("-")
        pid = rest.split("-")[0]
        if kind in kinds and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def write_outputs(
    files: dict[str, bytes | Spooled], out_dir: Path, replaces: tuple[str, ...] = ()
) -> list[Path]:
    """Write every file under `out_dir` atomically: all or nothing, no partial file ever.

    Files go to a staging folder on the same filesystem first; only when all are
    written are they renamed into place, under a lock so that two builds into the
    same folder never interleave their files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".booklet-staging-{os.getpid()}-", dir=out_dir))
    try:
        for relative, data in sorted(files.items()):
            _write(staging / relative, data)
        _flush([staging / relative for relative in sorted(files)])
        # Every staged byte is on disk before any file is renamed into place.
        with _locked(out_dir):
            _remove_stale(out_dir, replaces, files)
            return [_move(staging / relative, out_dir / relative) for relative in sorted(files)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale(out_dir: Path, prefixes: tuple[str, ...], files: dict[str, bytes]) -> None:
    """Files a document wrote last time but not now (an imposed file turned off) go,
    and so, when it writes guests' cards, do the cards of guests no longer on the list
    (a build without --per-guest leaves the cards of the last one alone)."""
    for prefix in prefixes:
        folder, _, stem = prefix.rpartition("/")
        for old in (out_dir / folder).glob(f"{stem}.*") if (out_dir / folder).is_dir() else ():
            if old.is_file() and f"{folder}/{old.name}" not in files:
                old.unlink()
            elif old.is_dir() and old.name == f"{stem}.guests" and _writes(files, folder, old):
                for card in old.glob("*.pdf"):
                    if f"{folder}/{old.name}/{card.name}" not in files:
                        card.unlink()


def _writes(files: dict[str, bytes], folder: str, sub: Path) -> bool:
    """Whether this build writes into the subfolder `sub` of `folder`."""
    prefix = f"{folder}/{sub.name}/"
    return any(name.startswith(prefix) for name in files)


def _write(target: Path, data: bytes | Spooled) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Spooled):
        _stage_spooled(data.path, target)
        return
    with open(target, "wb") as handle:
        handle.write(data)


def _flush(paths: list[Path]) -> None:
    """Our own files on disk, and nothing else: a flush of the whole filesystem (syncfs)
    also waits for every other program's unwritten data, which took a thousand cards'
    build from ~4 s to ~8 s. Flushed a few at once, they share the filesystem's journal
    commits: a thousand files take ~0.1-0.2 s, one after the other ~0.6-2.9 s."""
    waiting, lock, failed = iter(paths), threading.Lock(), []

    def flush() -> None:
        while not failed:
            with lock:
                path = next(waiting, None)
            if path is None:
                return
            try:
                _fsync(path)
            except OSError as exc:
                failed.append(exc)

    flushers = [threading.Thread(target=flush) for _ in range(min(FLUSHERS, len(paths)))]
    for flusher in flushers:
        flusher.start()
    for flusher in flushers:
        flusher.join()
    if failed:
        raise failed[0]


def _stage_spooled(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)  # the spool is on the output's filesystem: a rename
    except OSError:
        shutil.copyfile(source, target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move(source: Path, final: Path) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, final)
    return final


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    # Lock the folder itself: no lock file is left behind in the user's output.
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def contact_sheet(
    pdf: bytes, spreads: bool = True, pngs: list[bytes] | None = None, rtl: bool = False
) -> bytes:
    """A PNG of all pages: reader spreads for booklets (page 1 alone on the right, or on
    the left of a right-to-left booklet, bound on the right), else a grid.

    `pngs` are pages already rendered (proofs with overlays); otherwise `pdf` is rendered.
    """
    if pngs:
        scale = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs[:SHEET_MAX_PAGES]]
        pages = [_fit_height(image) for image in scale]
    else:
        pages = thumbnails(pdf, SHEET_MAX_PAGES, _render, f"sheet-{SHEET_PAGE_HEIGHT}")
    if spreads:
        groups = [[None, pages[0]]] + [pages[i : i + 2] for i in range(1, len(pages), 2)]
        if rtl:  # the earlier page of a spread is the right one
            groups = [group[::-1] for group in groups]
    else:
        groups = [[page] for page in pages]
    return _tile(groups, per_row=2 if spreads else 4)


def _tile(groups: list[list], per_row: int) -> bytes:
    page_w = max(p.width for group in groups for p in group if p is not None)
    page_h = max(p.height for group in groups for p in group if p is not None)
    span = max(len(group) for group in groups) * page_w
    rows = (len(groups) + per_row - 1) // per_row
    width = min(per_row, len(groups)) * (span + SHEET_GAP) + SHEET_GAP
    height = rows * (page_h + SHEET_GAP) + SHEET_GAP
    sheet = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    for n, group in enumerate(groups):
        x = SHEET_GAP + (n % per_row) * (span + SHEET_GAP)
        y = SHEET_GAP + (n // per_row) * (page_h + SHEET_GAP)
        for k, page in enumerate(group):
            if page is not None:
                sheet.paste(page, (x + k * page_w, y))
    return png(sheet)


def png(image: Image.Image) -> bytes:
    """An RGB image as a PNG: rows unfiltered, deflated at level 1.

    Flat colour and type compress well without PNG's row filters: this file is ~8 %
    smaller than Pillow's (which tries five filters on every row) in half the time."""
    if image.mode != "RGB":
        image = image.convert("RGB")  # the rows below are three bytes a pixel
    width, height = image.size
    raw, stride = image.tobytes(), 3 * width
    rows = b"".join(b"\0" + raw[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return PNG_SIGNATURE + b"".join(
        _chunk(tag, body)
        for tag, body in ((b"IHDR", header), (b"IDAT", zlib.compress(rows, 1)), (b"IEND", b""))
    )


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def _fit_height(image: Image.Image) -> Image.Image:
    width = round(image.width * SHEET_PAGE_HEIGHT / image.height)
    return image.resize((width, SHEET_PAGE_HEIGHT), Image.Resampling.LANCZOS)


def _render(page: pdfium.PdfPage) -> Image.Image:
    scale = SHEET_PAGE_HEIGHT / page.get_height()
    return page.render(scale=scale, rev_byteorder=True).to_pil()  # RGB as pdfium draws it


def report_json(report: dict) -> bytes:
    """The build report as stable, readable JSON."""
    return (json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
