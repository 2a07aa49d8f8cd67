"""Pictures: every safety rule refuses with the file and line, and what is placed prints right.

Each test builds a small event of its own in a temporary folder (a booklet in English with
one picture) and reads the real output: the images of the print and screen files with
pikepdf, their pixels with Pillow and LittleCMS, pages rendered with pypdfium2.
"""

from __future__ import annotations

import io
import math
import os
import re
import zlib
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageCms

from booklet.builder.pipeline import build
from booklet.errors import BookletError
from booklet.read import pictures as reading
from booklet.typeset.colour import press_profile

EVENT = """\
language: en
event:
  title: Pictures
  date: 2026-03-01
  organizers: [org]
organizations:
  org:
    name: An Organization
    logo: {logo}
images:
  - id: photo
    file: {file}
    caption: A caption
    credit: A credit
    alt: What the photo shows
  - id: mark
    file: logo.svg
sections:
  - id: about
    title: About
    body: |
      First paragraph.

      Second paragraph.
    {use}: {value}
"""
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80">'
    '<rect x="0" y="0" width="80" height="80" fill="#c8102e"/>'
    '<circle cx="140" cy="40" r="30" fill="#1f4e79"/></svg>'
)
MM = 72 / 25.4


def event(tmp_path: Path, image: bytes | None = None, name: str = "photo.jpg", **kw) -> Path:
    """An event folder with one picture; kw: use/value (figures or photo), logo, svg."""
    folder = tmp_path / "ev"
    folder.mkdir(exist_ok=True)
    (folder / "build.yaml").write_text("documents: [a5-booklet]\nlanguages: [en]\n")
    text = EVENT.format(
        file=name,
        use=kw.get("use", "figures"),
        value=kw.get("value", "[photo]"),
        logo=kw.get("logo", "mark"),
    )
    (folder / "event.yaml").write_text(text)
    (folder / "logo.svg").write_text(kw.get("svg", LOGO))
    if image is not None:
        (folder / name).write_bytes(image)
    return folder


def jpeg(size=(1600, 1000), color=(180, 90, 40), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "JPEG", quality=92, **save)
    return out.getvalue()


def photo(size=(1500, 1000)) -> Image.Image:
    """A photo-like test picture: smooth gradients of moderate, printable colours."""
    image = Image.new("RGB", size)
    w, h = size
    image.putdata(
        [
            (
                int(60 + 140 * x / w),
                int(70 + 100 * (1 - y / h)),
                int(80 + 80 * math.sin(3 * (x + y) / w) ** 2),
            )
            for y in range(h)
            for x in range(w)
        ]
    )
    return image


def built(folder: Path, **kw) -> dict[str, bytes]:
    report = build(folder, ("a5-booklet",), ("en",), write=False, **kw)
    return report.documents[0].files | {"report": report}


def refused(folder: Path, **kw) -> list:
    with pytest.raises(BookletError) as caught:
        build(folder, ("a5-booklet",), ("en",), write=False, **kw)
    return caught.value.diagnostics


def line_of(folder: Path, text: str) -> int:
    lines = (folder / "event.yaml").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def assert_located(diags: list, folder: Path, words: str, anchor: str = "file: photo") -> None:
    """One error says `words`, at event.yaml and the line of `anchor`."""
    found = [d for d in diags if words in d.message]
    assert found, [d.format() for d in diags]
    where = found[0].location
    assert where.file.endswith("ev/event.yaml"), where
    assert where.line == line_of(folder, anchor), (where, found[0].format())


def images_of(pdf_bytes: bytes) -> list[tuple[pikepdf.Stream, str]]:
    """Every image XObject of a file with the name of the form that draws it."""
    found = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                found.append((obj.read_raw_bytes(), {k: obj[k] for k in obj}))
    return found


def _ctm_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """The placed size (pt) of every slot: the `cm` before each BookletPic form is drawn."""
    sizes = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            for n, (operands, op) in enumerate(ops):
                if str(op) == "Do" and "BookletPic" in str(operands[0]):
                    a, b, c, d, e, f = (float(v) for v in ops[n - 1][0])
                    sizes.append((a, d))
    return sizes


# --- safety: each refusal names the file and the line -----------------------------------------


def test_a_file_that_is_not_an_image_is_refused_by_its_bytes_not_its_name(tmp_path):
    folder = event(tmp_path, b"GIF89a" + b"\0" * 200)
    assert_located(refused(folder), folder, "not an image booklet reads")


def test_a_truncated_jpeg_is_refused(tmp_path):
    data = jpeg((900, 700), save={})
    folder = event(tmp_path, data[: len(data) // 2])
    assert_located(refused(folder), folder, "truncated or corrupt")


def test_a_sound_file_is_decoded_once_and_a_changed_one_is_checked_again(tmp_path, monkeypatch):
    decoded = []
    real = reading.decode
    monkeypatch.setattr(reading, "decode", lambda data: decoded.append(1) or real(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = jpeg((900, 700), color=(10, 200, 30), save={})
    folder = event(tmp_path, data)
    built(folder)
    built(folder)
    reading._accepted.clear()  # a new process: the user's cache folder remembers it
    built(folder)
    assert len(decoded) == 1
    (folder / "photo.jpg").write_bytes(data[: len(data) // 2])  # the same name, cut short
    assert_located(refused(folder), folder, "truncated or corrupt")
    assert len(decoded) == 2


def test_a_corrupt_png_is_refused(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (300, 300), "red").save(out, "PNG")
    data = bytearray(out.getvalue())
    data[60:90] = b"\xff" * 30  # inside the image data: the checksum fails
    folder = event(tmp_path, bytes(data), "broken.png")
    assert_located(refused(folder), folder, "truncated or corrupt", "file: broken.png")


def test_a_decompression_bomb_is_refused_before_decoding_with_the_limits(tmp_path, monkeypatch):
    # A PNG that claims 12,000 × 12,000 pixels in a few hundred bytes of header and data.
    width = 12_000
    header = b"\x89PNG\r\n\x1a\n" + _chunk(
        b"IHDR", width.to_bytes(4, "big") * 2 + b"\x08\x00\x00\x00\x00"
    )
    data = header + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b"")
    folder = event(tmp_path, data, "bomb.png")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(1))
    diags = refused(folder)
    assert_located(diags, folder, "refused before decoding", "file: bomb.png")
    message = next(d.message for d in diags if "before decoding" in d.message)
    assert "144 million pixels" in message or "12,000 × 12,000" in message
    assert "at most 80 million pixels" in message and "40 MB" in message
    assert not decoded


def _chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def test_a_link_out_of_the_event_folder_is_refused(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    folder = event(tmp_path, None, "link.jpg")
    os.symlink(tmp_path / "secret.jpg", folder / "link.jpg")
    assert_located(refused(folder), folder, "leads outside the event folder", "file: link.jpg")


def test_a_path_up_and_out_is_refused(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    folder = event(tmp_path, None, "../secret.jpg")
    assert_located(refused(folder), folder, "leads outside", "file: ../secret.jpg")


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    folder = event(tmp_path, None, "pipe.jpg")
    os.mkfifo(folder / "pipe.jpg")
    assert_located(refused(folder), folder, "not a regular file", "file: pipe.jpg")


def test_a_device_is_refused(tmp_path):
    folder = event(tmp_path, None, "zero.jpg")
    try:
        os.mknod(folder / "zero.jpg", 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero's numbers
    except (PermissionError, OSError):
        pytest.skip("creating a device node needs root")
    assert_located(refused(folder), folder, "not a regular file", "file: zero.jpg")


def test_a_missing_image_is_located_and_a_proof_build_prints_a_placeholder(tmp_path):
    folder = event(tmp_path, None, "gone.jpg")
    assert_located(refused(folder), folder, "no image 'gone.jpg'", "file: gone.jpg")
    files = built(folder, proof=True)
    warnings = files["report"].diagnostics.warnings
    assert any(
        w.code == "missing-image" and w.location.line == line_of(folder, "gone.jpg")
        for w in warnings
    )
    text = "".join(
        page.get_textpage().get_text_range()
        for page in pdfium.PdfDocument(files["a5-booklet.en.pdf"])
    )
    assert "missing: " in text and "gone.jpg" in text


def test_the_images_of_a_build_are_bounded_together(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BUILD_BYTES", 10_000)
    folder = event(tmp_path, jpeg())
    assert_located(refused(folder), folder, "hold more than")


def test_a_file_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 5_000)
    folder = event(tmp_path, jpeg())
    assert_located(refused(folder), folder, "is larger than")


@pytest.mark.parametrize(
    ("svg", "words"),
    [
        (
            '<!DOCTYPE svg [<!ENTITY e "x">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "document type",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE svg SYSTEM "http://example.org/x.dtd">'
            '<svg xmlns="http://www.w3.org/2000/svg"/>',
            "document type",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a script"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<use x:href="file:///etc/passwd#a"/></svg>',
            "refers to something outside",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/a.png"/></svg>',
            "an image inside the SVG",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css);</style></svg>',
            "style sheet",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://e.org/p#g)"/></svg>',
            "refers to something outside",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><text>Logo</text></svg>', "holds text"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "foreign content"),
        ("<svg><rect/></svg>", "SVG namespace"),
    ],
)
def test_unsafe_svg_is_refused_before_svglib_sees_it(tmp_path, svg, words):
    folder = event(tmp_path, jpeg(), svg=svg)
    assert_located(refused(folder), folder, words, "file: logo.svg")


def _pdf(pages: int = 1, rgb: bool = False, js: bool = False) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(100, 50))
    colour = b"1 0 0 rg" if rgb else b"0 1 1 0 k"
    for page in pdf.pages:
        page.Contents = pdf.make_stream(colour + b" 0 0 100 50 re f")
    if js:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [(_pdf(2), "one page"), (_pdf(rgb=True), "paints in RGB"), (_pdf(js=True), "active content")],
)
def test_pdf_logos_must_be_one_page_print_ready_and_inert(tmp_path, data, words):
    folder = event(tmp_path, jpeg())
    (folder / "logo.pdf").write_bytes(data)
    text = (folder / "event.yaml").read_text().replace("file: logo.svg", "file: logo.pdf")
    (folder / "event.yaml").write_text(text)
    assert_located(refused(folder), folder, words, "file: logo.pdf")


def test_an_unknown_image_id_is_a_reference_error_with_a_hint(tmp_path):
    folder = event(tmp_path, jpeg(), value="[phot]")
    diags = refused(folder)
    found = next(d for d in diags if "'phot' is not in images" in d.message)
    assert found.field == "sections[about].figures" and found.hint == "did you mean 'photo'?"


# --- print: colour, resolution, metadata, bleed -------------------------------------------------


def test_an_rgb_photo_goes_to_press_cmyk_within_a_stated_lab_tolerance(tmp_path):
    """The print file's CMYK, read back through the output intent's profile, lands within
    ΔE76 mean 3 (95 % under 6) of the sRGB source in Lab (relative colorimetric, moderate
    colours inside the press's gamut); the screen file keeps sRGB."""
    source = photo()
    out = io.BytesIO()
    source.save(out, "PNG")
    folder = event(tmp_path, out.getvalue(), "photo.png")
    layout = tmp_path / "layouts"
    files = built(folder)
    (cmyk,) = [i for i in images_of(files["a5-booklet.en.pdf"]) if i[1]["/Width"] > 100]
    data, fields = cmyk
    assert fields["/ColorSpace"] == "/DeviceCMYK" and fields["/Filter"] == "/DCTDecode"
    assert list(fields["/Decode"]) == [1, 0, 1, 0, 1, 0, 1, 0]  # Adobe's inverted CMYK JPEG
    printed = Image.open(io.BytesIO(data))
    assert printed.mode == "CMYK"
    reference = source.resize(printed.size, Image.Resampling.LANCZOS)
    lab = ImageCms.createProfile("LAB")
    to_lab = ImageCms.buildTransform(
        press_profile(), lab, "CMYK", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    from_srgb = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), lab, "RGB", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    got, want = (
        ImageCms.applyTransform(printed, to_lab),
        ImageCms.applyTransform(reference, from_srgb),
    )
    deltas = sorted(_delta(a, b) for a, b in zip(_pixels(got), _pixels(want), strict=True))
    mean = sum(deltas) / len(deltas)
    assert mean < 3.0, mean
    assert deltas[int(len(deltas) * 0.95)] < 6.0
    screen = [i for i in images_of(files["a5-booklet.en.screen.pdf"]) if i[1]["/Width"] > 100]
    assert str(screen[0][1]["/ColorSpace"][0]) == "/ICCBased"
    assert not layout.exists()


def _pixels(image: Image.Image) -> list[tuple[int, ...]]:
    """A LAB image's pixels as `getpixel` gives them (a and b offset by 128): its raw bytes
    hold a and b as signed bytes (getdata is deprecated in Pillow 13)."""
    data = image.tobytes()
    signed = [v - 256 if v > 127 else v for v in data]
    return [(data[i], signed[i + 1] + 128, signed[i + 2] + 128) for i in range(0, len(data), 3)]


def _delta(a, b) -> float:
    """ΔE76 between two of Pillow's 8-bit LAB pixels (L 0–255 for 0–100, a and b offset 128)."""
    la, aa, ba = a[0] * 100 / 255, a[1] - 128, a[2] - 128
    lb, ab, bb = b[0] * 100 / 255, b[1] - 128, b[2] - 128
    return math.sqrt((la - lb) ** 2 + (aa - ab) ** 2 + (ba - bb) ** 2)


def test_a_cmyk_jpeg_with_adobe_inverted_inks_prints_the_right_colour(tmp_path):
    data = jpeg(mode="CMYK", color=(255, 0, 0, 0))  # pure cyan; Pillow writes it Adobe-inverted
    assert b"Adobe" in data[:300]
    files = built(event(tmp_path, data, value="[photo]"))
    (stream, fields), *_ = [
        i for i in images_of(files["a5-booklet.en.pdf"]) if i[1]["/Width"] > 100
    ]
    red, green, blue = _rendered(stream, fields)
    assert red < 60 and green > 120 and blue > 200, (red, green, blue)  # cyan, not dark red


def _rendered(stream: bytes, fields: dict) -> tuple[int, int, int]:
    """An image stream with its dictionary drawn alone on a page: the colour pdfium shows."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(50, 50))
    image = pikepdf.Stream(pdf, stream)
    for key, value in fields.items():
        if key != "/Length":
            image[key] = value
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im=image))
    page.Contents = pdf.make_stream(b"q 50 0 0 50 0 0 cm /Im Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return (
        pdfium.PdfDocument(out.getvalue())[0]
        .render(scale=1)
        .to_pil()
        .convert("RGB")
        .getpixel((25, 25))
    )


def _page_with_image(pdf_bytes: bytes) -> int:
    """The first page that draws a picture."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for n, page in enumerate(pdf.pages):
            if any(
                "BookletPic" in str(ops[-1])
                for ops, op in pikepdf.parse_content_stream(page)
                if str(op) == "Do" and ops
            ):
                return n
    raise AssertionError("no page draws a picture")


def test_exif_orientation_is_honoured_and_exif_and_gps_are_stripped(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(0x8825)[2] = (41.0, 24.0, 0.0)  # GPS latitude
    stored = Image.new("RGB", (1200, 1800), (120, 80, 60))  # stored tall, viewed wide
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes())
    files = built(event(tmp_path, out.getvalue()))
    for name in ("a5-booklet.en.pdf", "a5-booklet.en.screen.pdf"):
        (data, fields), *_ = [i for i in images_of(files[name]) if i[1]["/Width"] > 100]
        assert fields["/Width"] > fields["/Height"]  # turned as EXIF says: wide
        assert b"Exif" not in data and b"CameraMaker" not in data and b"GPS" not in data


def test_pictures_are_downsampled_to_450_ppi_and_never_up(tmp_path):
    big = Image.new("RGB", (6000, 4000), (90, 120, 150))
    out = io.BytesIO()
    big.save(out, "JPEG", quality=80)
    files = built(event(tmp_path, out.getvalue()))
    (_, fields), *_ = [i for i in images_of(files["a5-booklet.en.pdf"]) if i[1]["/Width"] > 100]
    (width_pt, height_pt), *_ = _ctm_sizes(files["a5-booklet.en.pdf"])
    assert fields["/Width"] <= round(width_pt / 72 * 450) + 1
    assert fields["/Width"] >= round(width_pt / 72 * 450) - 1


def test_low_resolution_warns_and_very_low_fails_naming_file_and_line(tmp_path):
    folder = event(tmp_path, jpeg((1000, 650)))  # ~230 ppi across a 115 mm measure
    warnings = built(folder)["report"].diagnostics.warnings
    low = [w for w in warnings if w.code == "low-ppi"]
    assert low and low[0].location.line == line_of(folder, "file: photo")
    assert "photo.jpg' has 2" in low[0].message
    folder = event(tmp_path, jpeg((500, 330)))  # ~110 ppi
    diags = refused(folder)
    assert any(d.code == "too-low-ppi" for d in diags)
    assert_located(diags, folder, "under 150")


def test_a_full_bleed_photo_runs_into_the_bleed(tmp_path):
    big = photo((1900, 2650))
    out = io.BytesIO()
    big.save(out, "JPEG", quality=85)
    files = built(event(tmp_path, out.getvalue(), use="photo", value="photo"))
    with pikepdf.open(io.BytesIO(files["a5-booklet.en.pdf"])) as pdf:
        page = pdf.pages[_page_with_image(files["a5-booklet.en.pdf"])]
        bleed = [float(v) for v in page.BleedBox]
        trim = [float(v) for v in page.TrimBox]
    (width, height), *_ = _ctm_sizes(files["a5-booklet.en.pdf"])
    assert width == pytest.approx(bleed[2] - bleed[0], abs=0.01)
    assert height == pytest.approx(bleed[3] - bleed[1], abs=0.01)
    assert bleed[2] - bleed[0] > trim[2] - trim[0] + 16  # 3 mm a side


def test_a_grey_photo_stays_one_channel_or_goes_to_a_neutral_process_grey(tmp_path):
    grey = Image.linear_gradient("L").resize((1500, 1000))
    out = io.BytesIO()
    grey.save(out, "JPEG", quality=90)
    files = built(event(tmp_path, out.getvalue()))
    (_, fields), *_ = [i for i in images_of(files["a5-booklet.en.pdf"]) if i[1]["/Width"] > 100]
    assert fields["/ColorSpace"] == "/DeviceGray"
    project = tmp_path / "project"
    for sub in ("fonts",):
        (project).mkdir(exist_ok=True)
        os.symlink(Path(__file__).resolve().parents[1] / sub, project / sub)
    (project / "layouts").mkdir()
    root_layouts = Path(__file__).resolve().parents[1] / "layouts"
    for layout in root_layouts.glob("*.yaml"):
        (project / "layouts" / layout.name).write_text(layout.read_text())
    with open(project / "layouts" / "a5-booklet.yaml", "a") as handle:
        handle.write("pictures: {grey: process}\n")
    moved = project / "ev"
    (tmp_path / "ev").rename(moved)
    files = built(moved)
    (data, fields), *_ = [i for i in images_of(files["a5-booklet.en.pdf"]) if i[1]["/Width"] > 100]
    assert fields["/ColorSpace"] == "/DeviceCMYK"
    lab = ImageCms.applyTransform(
        Image.open(io.BytesIO(data)),
        ImageCms.buildTransform(press_profile(), ImageCms.createProfile("LAB"), "CMYK", "LAB"),
    )
    chroma = [abs(a - 128) + abs(b - 128) for _, a, b in _pixels(lab)]
    assert max(chroma) <= 6  # neutral: no colour cast


def test_the_screen_file_keeps_srgb_and_carries_alt_text(tmp_path):
    files = built(event(tmp_path, jpeg()))
    with pikepdf.open(io.BytesIO(files["a5-booklet.en.screen.pdf"])) as pdf:
        forms = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"
        ]
        alts = [
            str(form.Resources.Properties.BookletAlt.Alt)
            for form in forms
            if "/Properties" in form.get("/Resources", {})
        ]
        forms = [form.read_bytes() for form in forms]
    assert "What the photo shows" in alts
    assert any(f.startswith(b"/Figure /BookletAlt BDC") for f in forms)


def test_svg_logos_print_as_vectors_in_press_cmyk(tmp_path):
    files = built(event(tmp_path, jpeg()))
    with pikepdf.open(io.BytesIO(files["a5-booklet.en.pdf"])) as pdf:
        back = pdf.pages[-1]
        ops = [str(op) for _, op in pikepdf.parse_content_stream(back)]
        text = b"".join(
            c.read_bytes()
            for c in (
                back.Contents if isinstance(back.Contents, pikepdf.Array) else [back.Contents]
            )
        )
    assert "rg" not in ops and "RG" not in ops
    # the logo's red square (#c8102e) as press CMYK: magenta and yellow, no RGB
    assert re.search(rb"0 \.\d+ \.\d+ \.\d+ k|0 1 \.\d+ \.\d+ k", text) or b" k" in text


# --- the sample events -------------------------------------------------------------------------


def test_the_samples_print_files_hold_only_cmyk_and_grey_images_and_pass_preflight(sample_out):
    """Every raster image of every print file is DeviceCMYK or DeviceGray, and booklet's
    preflight (RGB, 300 ppi at the placed size, fonts, bleed ...) finds nothing."""
    from booklet.cli import main

    counted = 0
    for path in sorted(sample_out.glob("*.pdf")):
        if path.name.count(".") != 2:  # screen, imposed, spreads: not the print file
            continue
        for _, fields in images_of(path.read_bytes()):
            counted += 1
            assert str(fields["/ColorSpace"]) in ("/DeviceCMYK", "/DeviceGray"), path.name
        assert (
            main(["preflight", "--booklet" if "booklet" in path.name else "--quiet", str(path)])
            == 0
        )
    assert counted >= 5 * 5  # five photos in each language's booklet


def test_the_conference_prints_portraits_logos_and_its_floor_plan(tmp_path):
    report = build(
        Path(__file__).resolve().parents[1] / "content" / "conference",
        ("a5-booklet",),
        ("tr",),
        write=False,
    )
    files = report.documents[0].files
    images = images_of(files["a5-booklet.tr.pdf"])
    assert len(images) == 13  # one portrait a speaker, cropped about the face
    assert not report.diagnostics.items
    pdf = pdfium.PdfDocument(files["a5-booklet.tr.screen.pdf"])
    text = "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    assert "Mekân" in text and "Ana sponsor".upper() in text.upper()


def test_a_pdf_logo_is_placed_as_a_form_and_stays_vector(tmp_path):
    folder = event(tmp_path, jpeg())
    (folder / "logo.pdf").write_bytes(_pdf())
    text = (folder / "event.yaml").read_text().replace("file: logo.svg", "file: logo.pdf")
    (folder / "event.yaml").write_text(text)
    files = built(folder)
    with pikepdf.open(io.BytesIO(files["a5-booklet.en.pdf"])) as pdf:
        logos = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream)
            and obj.get("/Subtype") == "/Form"
            and "/BookletLogo" in obj.get("/Resources", {}).get("/XObject", {})
        ]
        assert logos
        inner = logos[0].Resources.XObject.BookletLogo
        assert b"0 1 1 0 k" in inner.read_bytes()  # the logo's own CMYK paths, not pixels
    document = pdfium.PdfDocument(files["a5-booklet.en.pdf"])
    page = document[len(document) - 1].render(scale=1).to_pil().convert("RGB")
    data = page.tobytes()
    rgb = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    red = [p for p in rgb if p[0] > 180 and p[1] < 80 and p[2] < 90]
    assert red  # magenta + yellow: the logo prints red on the back cover's strip


def test_a_shared_picture_is_found_in_the_projects_assets_folder(tmp_path):
    project = tmp_path / "project"
    (project / "assets" / "logos").mkdir(parents=True)
    (project / "assets" / "logos" / "org.svg").write_text(LOGO)
    (project / "layouts").mkdir()
    (project / "fonts").mkdir()
    folder = event(project, jpeg())
    text = (folder / "event.yaml").read_text().replace("file: logo.svg", "file: logos/org.svg")
    (folder / "event.yaml").write_text(text)
    (folder / "logo.svg").unlink()
    assert built(folder)["a5-booklet.en.pdf"]
    (project / "assets" / "logos" / "org.svg").unlink()
    os.symlink("/etc/hostname", project / "assets" / "logos" / "org.svg")
    assert_located(refused(folder), folder, "leads outside", "file: logos/org.svg")


def test_a_remembered_photo_is_checked_again_against_lowered_limits(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = event(tmp_path, jpeg((900, 700), color=(200, 30, 30), save={}))
    built(folder)  # accepted, and remembered
    monkeypatch.setattr(reading, "MAX_PIXELS", 500_000)
    assert_located(refused(folder), folder, "refused before decoding")


def test_colours_converted_for_press_serialise_the_press_profile_once(monkeypatch):
    """Pillow writes a transform's target profile into each image it converts; booklet
    makes those bytes once (they were 3 ms a colour or a picture, never saved)."""
    from booklet.typeset import colour

    made, tobytes = [0], ImageCms.ImageCmsProfile.tobytes

    def counted(self):
        made[0] += 1
        return tobytes(self)

    monkeypatch.setattr(ImageCms.ImageCmsProfile, "tobytes", counted)
    colour.press_cmyk.cache_clear()
    colour._standard.cache_clear()
    found = {colour.press_cmyk(0.1 * n, 0.5, 0.3) for n in range(1, 8)}
    assert len(found) == 7 and all(0 <= v <= 1 for c in found for v in c)
    assert made[0] == 1  # it was 7: one a colour
    colour.press_cmyk.cache_clear()
    colour._standard.cache_clear()


def test_a_first_build_decodes_each_photo_once(tmp_path, monkeypatch):
    """With an empty cache folder, each photo is decoded once for the print and the
    screen file: the screen image is made beside the print one (the screen file, made
    after the print file, decoded each photo again: 15 decodes for the sample's 5)."""
    from booklet.prepress import pictures as prepress

    from .conftest import SAMPLE

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    prepress._prepared.cache_clear()
    decoded, decode = [], prepress.decode
    monkeypatch.setattr(prepress, "decode", lambda data: decoded.append(1) or decode(data))
    made, real = [], prepress._made

    def recorded(key, picture):
        made.append(key)
        return real(key, picture)

    monkeypatch.setattr(prepress, "_made", recorded)
    build(SAMPLE, ("a5-booklet",), ("en",), out_dir=tmp_path / "out")
    photos = {key[0] for key in made}
    assert len(photos) >= 4 and {key[5] for key in made} == {False}  # screen ones beside
    assert len(decoded) == len(photos)
    prepress._prepared.cache_clear()


def test_a_picture_is_decoded_once_for_both_files_and_its_pixels_are_let_go(tmp_path, monkeypatch):
    import gc
    import weakref

    from booklet.prepress import pictures as preparing

    decoded = []
    real = preparing.decode
    monkeypatch.setattr(preparing, "decode", lambda data: decoded.append(real(data)) or decoded[-1])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing prepared yet
    preparing._prepared.cache_clear()
    files = built(event(tmp_path, jpeg((1600, 1000), color=(10, 200, 30), save={})))
    assert (
        len(images_of(files["a5-booklet.en.pdf"]))
        == len(images_of(files["a5-booklet.en.screen.pdf"]))
        == 1
    )
    assert len(decoded) == 1  # the print file's image and the screen file's from one decode
    alive = [weakref.ref(image) for image in decoded]
    decoded.clear()
    gc.collect()
    assert not any(ref() is not None for ref in alive)  # no decoded picture kept by a cache


def test_a_photo_prepared_once_is_not_made_again_in_a_copied_event_folder(tmp_path, monkeypatch):
    import shutil

    from booklet.prepress import pictures as preparing

    made = []
    real = preparing._made
    monkeypatch.setattr(preparing, "_made", lambda *a: made.append(1) or real(*a))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    preparing._prepared.cache_clear()
    first = built(event(tmp_path, jpeg((1600, 1000), color=(200, 30, 90), save={})))
    assert len(made) == 1  # one decode makes the print file's image and the screen file's
    copy = shutil.copytree(tmp_path / "ev", tmp_path / "copy", copy_function=shutil.copy)
    preparing._prepared.cache_clear()  # a new process: only the cache folder remembers
    again = built(copy)
    assert len(made) == 1  # the same bytes in another folder: read back, not made again
    for name in ("a5-booklet.en.pdf", "a5-booklet.en.screen.pdf"):
        assert [i[0] for i in images_of(again[name])] == [i[0] for i in images_of(first[name])]


def test_a_layouts_picture_options_do_not_make_the_screen_image_twice(tmp_path, monkeypatch):
    """The screen image is made beside the print one whatever the layout's `intent` and
    `grey` (the screen file takes neither): one decode, and nothing left waiting."""
    from booklet.prepress import pictures as prepress

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = event(tmp_path, jpeg())
    project = tmp_path / "project"
    project.mkdir()
    os.symlink(Path(__file__).resolve().parents[1] / "fonts", project / "fonts")
    (project / "layouts").mkdir()
    for layout in (Path(__file__).resolve().parents[1] / "layouts").glob("*.yaml"):
        (project / "layouts" / layout.name).write_text(layout.read_text())
    with open(project / "layouts" / "a5-booklet.yaml", "a") as handle:
        handle.write("pictures: {intent: relative, grey: process}\n")
    folder.rename(project / "ev")
    prepress._prepared.cache_clear()
    decoded, decode = [], prepress.decode
    monkeypatch.setattr(prepress, "decode", lambda data: decoded.append(1) or decode(data))
    files = built(project / "ev")
    assert any(i[1]["/Width"] > 100 for i in images_of(files["a5-booklet.en.screen.pdf"]))
    assert len(decoded) == 1 and prepress._made_also == {}  # was 2, and one image left over
    prepress._prepared.cache_clear()


def test_a_cache_folder_that_cannot_be_looked_into_is_no_cache(monkeypatch):
    """`sudo booklet build` can leave ~/.cache/booklet to root: Path.is_file() then raises
    PermissionError, which ended the build in a traceback; the folder counts as empty."""
    from booklet.prepress import pictures as prepress

    class Locked(type(Path())):
        def is_file(self):
            raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(prepress, "_stored", lambda key: Locked("/root/.cache/booklet/x"))
    assert prepress._kept_already(("p", "d", (), (), "photo", True, "", "")) is False
