"""Saved files are identified by their bytes: the same document gives the same file and /ID,
another document another /ID (the ID is ours, not qpdf's static placeholder)."""

from __future__ import annotations

import io

import pikepdf

from booklet.prepress.files import STATIC_ID, save


def _document(text: str, with_id: bool) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].Contents = pdf.make_stream(f"BT /F1 12 Tf ({text}) Tj ET".encode())
    if with_id:
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(b"\x01" * 16)] * 2)
    return pdf


def _ids(data: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [bytes(part) for part in pdf.trailer.ID]


def test_the_id_is_made_from_the_files_bytes_and_is_never_the_placeholder():
    for with_id in (True, False):
        first = save(_document("one", with_id))
        assert save(_document("one", with_id)) == first  # same input, same bytes
        other = save(_document("two", with_id))
        assert _ids(first)[1] != _ids(other)[1]
        assert STATIC_ID not in first and STATIC_ID not in other
        assert bytes.fromhex(STATIC_ID[1:-1].decode()) not in _ids(first)
        if with_id:  # the document's permanent ID is kept
            assert _ids(first)[0] == b"\x01" * 16
