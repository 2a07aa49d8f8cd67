"""The fast paths of a card deck write what the plain ones write: guests' files, the walk."""

from __future__ import annotations

import collections
import io
import re
import zlib

import pikepdf
import pytest
import qrcode
import qrcode.constants

from booklet.builder import card_batches, finish
from booklet.builder.pipeline import build
from booklet.errors import Diagnostics
from booklet.preflight.content import OP_LIMIT, check_content
from booklet.preflight.page import Page
from booklet.prepress import files as prepress_files
from booklet.prepress import tagged as tagged_module
from booklet.prepress.files import page_files
from booklet.prepress.tagged import page_tags, tag
from booklet.typeset import flowables

from .conftest import ROOT, SAMPLE

EVENT = ROOT / "content" / "conference"


def _per_guest(tmp_path, monkeypatch):
    """Each guest's file as written, and the screen pages and tags they were made from."""
    made = []
    split = finish.guest_files

    def spy(screen, job, guests, tags=None):
        found = split(screen, job, guests, tags)
        made.append((screen, [g.id for g in guests], tags, found))
        return found

    monkeypatch.setattr(card_batches, "guest_files", spy)
    monkeypatch.setattr(card_batches, "CARDS_PER_BATCH", 2)
    monkeypatch.setattr("booklet.builder.pipeline.CARDS_AT_ONCE", 2)
    monkeypatch.setenv("BOOKLET_WORKERS", "1")  # the spy sees every batch, in this process
    build(EVENT, ("a6-invitation",), ("en",), out_dir=tmp_path, per_guest=True)
    return made


def test_guests_files_are_those_split_saved_opened_tagged_and_saved_again(tmp_path, monkeypatch):
    made = _per_guest(tmp_path, monkeypatch)
    assert len(made) >= 2  # batches
    folder = tmp_path / "conference" / "a6-invitation.en.guests"
    for screen, ids, tags, found in made:
        names = [f"a6-invitation.en.guests/{gid}.pdf" for gid in ids]
        plain = page_files(screen, names)  # the slow path: each file parsed again to be tagged
        own = page_tags(tags)
        slow = {name: tag(plain[name], own[n]) for n, name in enumerate(names)}
        assert found == slow
        for name in names:
            written = (folder / name.rsplit("/", 1)[1]).read_bytes()
            assert written == slow[name]
            with pikepdf.open(folder / name.rsplit("/", 1)[1]) as pdf:
                # the /ID's first part is the untagged file's, as when it was opened again
                assert bytes(pdf.trailer.ID[0]) != bytes(pdf.trailer.ID[1])
                assert pdf.Root.MarkInfo.Marked is True


def test_each_pages_tags_are_its_own_leaves_in_order(tmp_path, monkeypatch):
    made = _per_guest(tmp_path, monkeypatch)
    for _, ids, tags, _found in made:
        own = page_tags(tags)
        assert len(own) == len(ids) == len(tags.streams)
        for page, mine in enumerate(own):
            wanted = [leaf for leaf in tags.leaves if any(p == page for p, _ in leaf.parts)]
            assert [leaf.key for leaf in mine.leaves] == [leaf.key for leaf in wanted]
            assert all(p == 0 for leaf in mine.leaves for p, _ in leaf.parts)
            assert mine.streams == [tags.streams[page]]


def test_a_guests_file_is_parsed_once_a_batch_not_once_a_guest(tmp_path, monkeypatch):
    opened = []
    real = pikepdf.open

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    made = []
    split = finish.guest_files

    def spy(screen, job, guests, tags=None):
        before = len(opened)
        found = split(screen, job, guests, tags)
        made.append((len(guests), len(opened) - before))
        return found

    monkeypatch.setattr(card_batches, "guest_files", spy)
    monkeypatch.setattr(pikepdf, "open", counting)
    monkeypatch.setattr(card_batches, "CARDS_PER_BATCH", 2)
    monkeypatch.setattr("booklet.builder.pipeline.CARDS_AT_ONCE", 2)
    monkeypatch.setenv("BOOKLET_WORKERS", "1")
    build(EVENT, ("a6-invitation",), ("en",), out_dir=tmp_path, per_guest=True)
    assert made and all(guests == 2 for guests, _ in made[:-1])
    assert [opens for _, opens in made] == [1] * len(made)  # the batch's screen file only


def test_a_file_whose_id_cannot_be_read_is_opened_again_and_tagged_the_same(tmp_path, monkeypatch):
    made = _per_guest(tmp_path, monkeypatch)
    screen, ids, tags, found = made[0]
    names = [f"a6-invitation.en.guests/{gid}.pdf" for gid in ids]
    own = page_tags(tags)
    monkeypatch.setattr(prepress_files, "_first_id", lambda data: None)
    from booklet.prepress.tagged import tagged

    again = page_files(screen, names, lambda n, pdf: tagged(pdf, own[n]))
    assert again == found


def _walked(data: bytes, clean: dict | None, limit: int = OP_LIMIT):
    pdf = pikepdf.open(io.BytesIO(data))
    out = Diagnostics()
    pages = [Page(n, "cards.pdf", out) for n in range(1, len(pdf.pages) + 1)]
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        check_content(pdf_page, page, limit, {} if clean is None else clean)
    return pages, out.items


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("deck")
    build(SAMPLE, ("a6-invitation",), ("en",), out_dir=out)
    return (out / "commemoration" / "a6-invitation.en.pdf").read_bytes()


def test_a_form_that_only_shows_text_is_walked_once_for_the_deck(deck, monkeypatch):
    parsed = []
    parse = pikepdf.parse_content_stream

    def counting(stream, *args):
        parsed.append(stream.objgen if isinstance(stream, pikepdf.Object) else None)
        return parse(stream, *args)

    monkeypatch.setattr(pikepdf, "parse_content_stream", counting)
    shared, found = _walked(deck, {})
    walks = collections.Counter(parsed)
    parsed.clear()
    alone, found_alone = _walked(deck, None)  # each page on its own: every form walked
    assert found == found_alone
    for one, other in zip(shared, alone, strict=True):
        assert one.lettering.shown == other.lettering.shown
        assert (one.drawn, one.clipped, one.noted) == (other.drawn, other.clipped, other.noted)
    texts = [key for key, n in collections.Counter(parsed).items() if n == len(shared) - 1]
    assert texts  # forms every card but the first draws, and that show text
    assert all(walks[key] == 1 for key in texts)  # walked once, told to the other cards


def test_a_form_told_what_it_showed_still_stops_at_the_limit(deck):
    pdf = pikepdf.open(io.BytesIO(deck))
    memo: dict = {}
    second, third = Page(2, "cards.pdf", Diagnostics()), Page(3, "cards.pdf", Diagnostics())
    check_content(pdf.pages[1], second, OP_LIMIT, memo)  # walks the forms, and remembers
    told = dict(memo)
    check_content(pdf.pages[2], third, OP_LIMIT, memo)  # is told what they showed
    assert any(isinstance(v, tuple) for v in told.values())
    for limit in (third.ops - 1, third.ops):
        page = Page(3, "cards.pdf", Diagnostics())
        check_content(pdf.pages[2], page, limit, dict(told))
        stopped = [d.code for d in page.out.items] == ["limit"]
        assert stopped == (limit < third.ops)  # not told past it: walked, and stopped there
        assert page.ops == min(third.ops, limit + 1)


def _unmarked_line_by_line(stream: bytes) -> bytes:
    mark = re.compile(tagged_module.MARK)
    return b"\n".join(line for line in stream.split(b"\n") if not mark.fullmatch(line))


@pytest.mark.parametrize(
    "stream",
    [
        b"",
        b"EMC ",
        b"EMC \n",
        b"\nEMC ",
        b"q\n/P <</MCID 0>> BDC\nBT (x) Tj ET\nEMC \nQ",
        b"/Artifact BMC\n1 0 0 1 0 0 cm\nEMC \n/Artifact <</Type /Pagination>> BDC\nf\nEMC ",
        b"EMC  \n EMC \nEMC\n/P <</MCID 1>> BDC x\n/Artifact <<a\n>> BDC\nEMC \n\n",
        b"/P <</MCID 7>> BDC\r\nEMC \r\n\r\n",
    ],
)
def test_a_streams_marks_are_taken_out_as_line_by_line(stream):
    assert tagged_module.unmarked(stream) == _unmarked_line_by_line(stream)


def test_the_decks_marked_streams_lose_their_marks_as_line_by_line(tmp_path, monkeypatch):
    made = _per_guest(tmp_path, monkeypatch)
    streams = [zlib.decompress(s) for _, _, tags, _ in made for s in tags.streams]
    assert len(streams) >= 3 and all(b"BDC" in s for s in streams)
    for stream in streams:
        assert tagged_module.unmarked(stream) == _unmarked_line_by_line(stream)


def _qrcode_own(data: str) -> tuple[bytes, ...]:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=flowables.QR_MASK
    )
    code.add_data(data)
    code.make(fit=True)
    return tuple(bytes(row) for row in code.get_matrix())


def test_qr_codes_of_one_shape_find_their_size_once_and_are_qrcodes_own(monkeypatch):
    fits = []
    best_fit = qrcode.QRCode.best_fit

    def counting(self, start=None):
        fits.append(1)
        return best_fit(self, start)

    monkeypatch.setattr(flowables, "_VERSIONS", {})
    monkeypatch.setattr(qrcode.QRCode, "best_fit", counting)
    guests = [f"https://example.org/rsvp/g{n:05d}" for n in range(1, 201)]
    others = ["x", "1234567890" * 5, "HELLO WORLD 42", "https://example.org/" + "a" * 90]
    found = [flowables.qr_matrix(data) for data in guests]
    assert 1 <= len(fits) <= 3  # one fit for the 200 guests' shape (which may recurse twice)
    found += [flowables.qr_matrix(data) for data in others]
    monkeypatch.setattr(qrcode.QRCode, "best_fit", best_fit)
    assert found == [_qrcode_own(data) for data in guests + others]


def test_a_thousand_warnings_are_told_apart_in_a_count_that_grows_with_them(monkeypatch):
    from booklet import errors

    keys, compared = [], [0]
    key, equal = errors._key, errors.Diagnostic.__eq__
    monkeypatch.setattr(errors, "_key", lambda d: keys.append(1) or key(d))

    def counted(self, other):
        compared[0] += 1
        return equal(self, other)

    monkeypatch.setattr(errors.Diagnostic, "__eq__", counted)
    diags = errors.Diagnostics()
    places = [errors.Location("guests.csv", n, 1) for n in range(1, 1001)]
    for _ in range(2):  # each problem met twice is reported once, in the order first met
        for loc in places:
            diags.warn("guest-honorific", loc, f"guests[{loc.line}]", "a Turkish honorific")
    assert [d.location for d in diags.items] == places
    assert 2 * len(places) <= len(keys) <= 3 * 2 * len(places)  # told apart by their keys
    assert compared[0] <= 2 * len(places)  # not each compared with all before it: 500,000
    # a list changed other than by `add` is looked at again
    diags.items = diags.items[:10]
    diags.warn("guest-honorific", places[20], "guests[21]", "a Turkish honorific")
    diags.warn("guest-honorific", places[5], "guests[6]", "a Turkish honorific")
    assert [d.location.line for d in diags.items] == [*range(1, 11), 21]


def test_a_thousand_guests_rows_resolve_the_guests_field_types_once(tmp_path, monkeypatch):
    import typing

    from booklet.read import guests as guest_rows
    from booklet.read import schema

    resolved = []
    hints = typing.get_type_hints
    monkeypatch.setattr(typing, "get_type_hints", lambda cls: resolved.append(cls) or hints(cls))
    schema._shape.cache_clear()
    csv = tmp_path / "guests.csv"
    rows = [f"g{n:04d},Guest {n},Dr.,A{n}" for n in range(1000)]
    csv.write_text("id,name,honorific,seat\n" + "\n".join(rows) + "\n", encoding="utf-8")
    diags = Diagnostics()
    found = list(guest_rows._csv_guests(csv, schema.Converter(diags)))
    assert [str(g.id) for g in found] == [f"g{n:04d}" for n in range(1000)]
    assert found[7].name == "Guest 7" and found[7].seat == "A7" and not diags.items
    assert len(resolved) <= 3  # the Guest type and what it holds, not once a row
