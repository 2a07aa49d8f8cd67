"""PDF/X-4 identification of the print files, and structural checks by qpdf and Ghostscript."""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest

from booklet.builder.pipeline import build
from booklet.prepress.pdfx import build_date

from .conftest import LANGS, SAMPLE

PRINT_FILES = [f"{layout}.{lang}.pdf" for layout in ("a5-booklet", "dl-trifold") for lang in LANGS]


@pytest.mark.parametrize("name", PRINT_FILES)
def test_output_intent_with_embedded_cmyk_profile(sample_out, name):
    pdf = pikepdf.open(sample_out / name)
    (intent,) = pdf.Root.OutputIntents
    assert (
        intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "booklet coated CMYK"
    )
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4
    header = profile.read_bytes()[:20]
    assert header[12:16] == b"prtr" and header[16:20] == b"CMYK"


@pytest.mark.parametrize("name", PRINT_FILES)
def test_pdfx_identification_in_info_and_xmp_agree(sample_out, name):
    pdf = pikepdf.open(sample_out / name)
    assert pdf.pdf_version >= "1.6"
    info = pdf.docinfo
    assert str(info.GTS_PDFXVersion) == "PDF/X-4"
    assert info.Trapped == "/False"
    assert str(info.CreationDate) == str(info.ModDate) == "D:20260226000000+00'00'"
    xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<xmp:CreateDate>2026-02-26T00:00:00Z</xmp:CreateDate>" in xmp
    assert f">{info.Title}</rdf:li>" in xmp
    assert len(pdf.trailer.ID) == 2


def test_qpdf_finds_no_structural_problem(sample_out):
    for name in PRINT_FILES + ["a5-booklet.en.imposed.pdf", "a6-invitation.az.pdf"]:
        with pikepdf.open(sample_out / name) as pdf:
            assert pdf.check_pdf_syntax() == [], name


def test_office_imposition_does_not_claim_pdfx(sample_out):
    pdf = pikepdf.open(sample_out / "a5-booklet.en.imposed.pdf")
    assert "/GTS_PDFXVersion" not in pdf.docinfo and "/Metadata" not in pdf.Root


def test_file_date_comes_from_source_date_epoch_or_the_event(monkeypatch):
    import datetime as dt

    assert build_date(dt.date(2026, 2, 26)).isoformat() == "2026-02-26T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_date(dt.date(2026, 2, 26)).isoformat() == "2026-01-01T00:00:00+00:00"


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_ghostscript_renders_the_print_files(sample_out, tmp_path):
    for name in PRINT_FILES[:2]:
        run = subprocess.run(
            ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(sample_out / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0 and "Error" not in run.stderr, run.stderr


def test_same_bytes_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build(SAMPLE, layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "a")
    build(SAMPLE, layouts=("a4-program",), langs=("en",), out_dir=tmp_path / "b")
    a = (tmp_path / "a/commemoration/a4-program.en.pdf").read_bytes()
    assert a == (tmp_path / "b/commemoration/a4-program.en.pdf").read_bytes()
    assert (
        b"D:20260101000000"
        in pikepdf.open(
            tmp_path / "a/commemoration/a4-program.en.pdf"
        ).docinfo.CreationDate.unparse()
    )
