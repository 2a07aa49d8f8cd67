"""Turn SVG and PDF logo files into their sizes, refusing whatever could reach beyond the file.

An SVG is parsed with defusedxml (no DTD, no entity, no external reference), then every
element and attribute is checked before svglib ever sees the file: no script, no event
handler, no `foreignObject`, no embedded or linked image, no link to anything but an
element of the same file (`#id`), no CSS `@import` or `url()` outside the file, and no text
(a logo's letters must be outlines: a font the build does not carry would print in one it
chose). A PDF logo must have one page, no actions or JavaScript, fonts embedded, and colours
in CMYK or grey, as a print-ready logo does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator


class Refused(Exception):
    """A file that is not an image we accept; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


MAX_SVG_BYTES = 4 * 1024 * 1024
MAX_SVG_ELEMENTS = 50_000
MAX_PDF_BYTES = 20 * 1024 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
FORBIDDEN = {
    "script": "a script",
    "foreignObject": "foreign content (HTML)",
    "image": "an image inside the SVG",
    "feImage": "an image inside the SVG",
    "text": "text",
    "tspan": "text",
    "textPath": "text",
    "iframe": "a frame",
    "handler": "a script",
    "listener": "a script",
    "animate": "an animation",
    "set": "an animation",
    "a": "a link",
}
TEXT_HINT = "convert the text to outlines (Inkscape: Path ▸ Object to Path)"
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|mm|cm|in)?\s*$")
_UNIT = {"px": 0.75, "": 0.75, "pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0}


def check_svg(data: bytes) -> tuple[float, float]:
    """The size in points of an SVG that is safe to draw; `Refused` names what is not."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if len(data) > MAX_SVG_BYTES:
        raise Refused(f"the SVG file is larger than {MAX_SVG_BYTES // 2**20} MB")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Refused(
            f"the SVG declares {_defused_what(exc)}, which booklet never reads",
            "remove the <!DOCTYPE ...> and <!ENTITY ...> lines: an SVG needs neither",
        ) from None
    except (ParseError, ValueError, SyntaxError) as exc:
        raise Refused(f"the SVG is not well-formed XML ({str(exc)[:80]})") from None
    if root.tag != f"{SVG_NS}svg":
        raise Refused("the file's root element is not <svg> in the SVG namespace")
    for count, element in enumerate(root.iter(), 1):
        if count > MAX_SVG_ELEMENTS:
            raise Refused(f"the SVG has more than {MAX_SVG_ELEMENTS:,} elements")
        _check_element(element)
    return svg_size(root)


def _defused_what(exc: Exception) -> str:
    name = type(exc).__name__
    if "DTD" in name:
        return "a document type (DTD)"
    if "External" in name:
        return "an external reference"
    return "an entity"


def _check_element(element) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.rsplit("}", 1)[-1]
    if tag.startswith("{") and not tag.startswith(SVG_NS) and not _metadata(tag):
        raise Refused(f"the SVG holds an element of another language: <{local}>")
    if local in FORBIDDEN:
        hint = TEXT_HINT if FORBIDDEN[local] == "text" else "remove it: a logo is shapes alone"
        raise Refused(f"the SVG holds {FORBIDDEN[local]} (<{local}>), which booklet refuses", hint)
    if local == "style" and element.text and _external_css(element.text):
        raise Refused("the SVG's style sheet loads something from outside the file (@import, url)")
    for key, value in element.attrib.items():
        _check_attribute(local, key, value)


def _metadata(tag: str) -> bool:
    """Editors' own elements (Inkscape, Sodipodi, RDF metadata): harmless, and ignored."""
    return any(s in tag for s in ("inkscape", "sodipodi", "rdf", "purl.org", "creativecommons"))


def _check_attribute(element: str, key: str, value: str) -> None:
    name = key.rsplit("}", 1)[-1]
    if name.lower().startswith("on"):
        raise Refused(f"the SVG's <{element}> has an event handler ({name}): a script")
    if key in (XLINK, "href") and not value.strip().startswith("#"):
        raise Refused(
            f"the SVG's <{element}> refers to something outside the file ({value[:60]!r})",
            "a logo may refer only to its own elements (#id)",
        )
    if "url(" in value.lower() and _external_css(value):
        raise Refused(f"the SVG's <{element}> {name} refers to something outside the file")


def _external_css(text: str) -> bool:
    if "@import" in text.lower():
        return True
    return any(not target.startswith("#") for target in _URL.findall(text))


def svg_size(root) -> tuple[float, float]:
    """The drawing's size in points: its width and height, else its viewBox (CSS pixels)."""
    box = root.get("viewBox", "").replace(",", " ").split()
    width, height = _length(root.get("width")), _length(root.get("height"))
    if (width is None or height is None) and len(box) == 4:
        try:
            bw, bh = float(box[2]), float(box[3])
        except ValueError:
            bw = bh = 0.0
        if bw > 0 and bh > 0:
            width, height = width or bw * 0.75, height or bh * 0.75
    if not width or not height or width > 20_000 or height > 20_000:
        raise Refused(
            "the SVG's size cannot be read", 'give <svg> a viewBox="0 0 W H" with W and H above 0'
        )
    return width, height


def _length(text: str | None) -> float | None:
    match = _NUMBER.match(text or "")
    if not match:
        return None
    return float(match.group(1)) * _UNIT[match.group(2) or ""]


# --- PDF logos ---------------------------------------------------------------------------

ACTIVE = ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/URI", "/EmbeddedFiles")
RGB = ("/DeviceRGB", "/CalRGB", "/RGB")


def check_pdf(data: bytes) -> tuple[float, float]:
    """The size in points of a one-page, print-ready PDF logo; `Refused` names what is not."""
    import pikepdf

    if len(data) > MAX_PDF_BYTES:
        raise Refused(f"the PDF file is larger than {MAX_PDF_BYTES // 2**20} MB")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return _check_logo_pdf(pdf)
    except pikepdf.PasswordError:
        raise Refused("the PDF is encrypted", "save it again without a password") from None
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise Refused(f"the PDF cannot be read ({str(exc)[:80]})") from None


def _check_logo_pdf(pdf) -> tuple[float, float]:
    import pikepdf

    if len(pdf.pages) != 1:
        raise Refused(
            f"a PDF logo must have one page, this one has {len(pdf.pages)}",
            "export the logo's page alone",
        )
    for obj in _objects(pdf):
        for key in ACTIVE:
            if key in obj:
                raise Refused(f"the PDF holds active content ({key}), which booklet refuses")
        _check_colour(obj)
        if obj.get("/Type") == "/FontDescriptor" and not any(
            k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            raise Refused(
                f"the PDF logo uses the font {obj.get('/FontName')} without embedding it",
                "export the logo with its fonts embedded, or its text as outlines",
            )
    page = pdf.pages[0]
    contents = page.obj.get("/Contents")
    for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
        if isinstance(stream, pikepdf.Stream):
            _check_operators(stream)
    box = page.trimbox
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if not 0 < width < 20_000 or not 0 < height < 20_000:
        raise Refused("the PDF page has no usable size")
    return width, height


def _objects(pdf) -> Iterator:
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj


def _check_colour(obj) -> None:
    space = obj.get("/ColorSpace")
    if obj.get("/Subtype") == "/Image" and _is_rgb(space):
        raise Refused("the PDF logo holds an RGB image", _CMYK_HINT)
    spaces = space if hasattr(space, "values") and not hasattr(space, "append") else None
    for value in spaces.values() if spaces is not None else ():
        if _is_rgb(value):
            raise Refused("the PDF logo paints in RGB", _CMYK_HINT)
    if obj.get("/Subtype") == "/Form":
        _check_operators(obj)


_CMYK_HINT = "export the logo as a CMYK PDF, or give it as SVG (booklet converts SVG colours)"


def _is_rgb(space) -> bool:
    if space is None:
        return False
    text = str(space)
    if any(name in text for name in RGB):
        return True
    try:
        return str(space[0]) == "/ICCBased" and int(space[1].get("/N", 0)) == 3
    except (TypeError, IndexError, AttributeError, ValueError, KeyError):
        return False


def _check_operators(stream) -> None:
    import pikepdf

    try:
        instructions = pikepdf.parse_content_stream(stream, "rg RG")
    except (pikepdf.PdfError, ValueError, TypeError):
        return  # not a content stream (a font program, an ICC profile)
    if instructions:
        raise Refused("the PDF logo paints in RGB (rg)", _CMYK_HINT)
