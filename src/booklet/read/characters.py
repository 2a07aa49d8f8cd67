"""Turn a string as read into a refusal when it holds a character no content may hold.

Every string the reader makes (a YAML scalar or key, a CSV cell) passes here once, so no
later stage meets a control character: C0 controls but tab and line feed, DEL, the C1
controls (NEL among them), the noncharacters U+FFFE and U+FFFF, and lone surrogates (which
YAML's "\\ud800" escape can write). A tab or a line feed is left to the field: an id or an
address refuses it by its own pattern, text keeps it.
"""

from __future__ import annotations

import re

from ..errors import BookletError, Location, fail

_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BACKSPACE",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEXT LINE",
}


def check_characters(text: str, loc: Location, path: str) -> None:
    """Raise a located error naming the first refused character of `text`, if any."""
    found = _REFUSED.search(text)
    if found is not None:
        raise refusal(found.group(), loc, path)


def refusal(char: str, loc: Location, path: str) -> BookletError:
    code = ord(char)
    name = NAMES.get(code, "")
    shown = f"U+{code:04X}" + (f" {name}" if name else "")
    if 0xD800 <= code <= 0xDFFF:
        what, hint = "half of a surrogate pair", "write the character itself, not its halves"
    elif code in (0xFFFE, 0xFFFF):
        what, hint = "a noncharacter", "delete it: it is no letter and never prints"
    elif code == 0x0D:
        what, hint = "a control character", "end lines with a line feed only, not \\r"
    else:
        what, hint = "a control character", "delete it: it does not print"
    return fail("control", loc, path, f"expected text, found {what} ({shown})", hint)
