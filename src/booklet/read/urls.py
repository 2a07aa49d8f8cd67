"""Turn an address as written into a checked one: its policy, its 7-bit link, its printed form.

Content addresses are printed (as text and QR codes) and linked (in the screen PDF), so the
policy is strict: http or https only, https unless the layout allows http, no user name or
password, a host that is a domain name. A host written in another script (IDN) is printed in
Unicode and linked in IDNA (punycode); a host whose letters mix scripts is warned about, since
letters that look alike can lead elsewhere. A PDF link must be 7-bit: the path, query and
fragment are percent-encoded (IRI to URI), while the printed text stays as written.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, quote, urlsplit

MAX_URL = 500  # characters: a longer address does not fit a QR code a phone reads
URL_PATTERN = re.compile(r"^https?://[^\s<>\"'{}|\\^`]+$")
# Scripts read together: Japanese mixes these in one name.
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def url_problem(text: str) -> tuple[str, str]:
    """What is wrong with an address, as ("expected …", hint); ("", "") when nothing is."""
    if len(text) > MAX_URL:
        return f"an address of at most {MAX_URL} characters", "link to a shorter address"
    if not URL_PATTERN.match(text):
        return "an address starting with https://", "for example https://example.org/"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "an address with a host and a valid port", ""
    if "@" in parts.netloc:
        hint = "write it as https://host/path: a printed user name or password is everyone's"
        return "an address without a user name or password", hint
    if not parts.hostname or _ascii_host(parts.hostname) is None:
        return "an address whose host is a domain name", "for example https://example.org/"
    return "", ""


def url_warnings(text: str) -> list[tuple[str, str, str]]:
    """Warnings about a valid address as (code, message, hint): a host that mixes scripts."""
    host = unicode_host(urlsplit(text).hostname or "")
    scripts = sorted({_script(c) for c in host if c.isalpha()})
    if len(scripts) < 2:
        return []
    named = " and ".join(s.title() for s in scripts)
    return [
        (
            "mixed-script",
            f"the address's host {host} mixes {named} letters",
            "check that it is the address you mean: letters that look alike can lead elsewhere",
        )
    ]


def is_http(text: str) -> bool:
    return text.lower().startswith("http://")


def link_address(text: str) -> str:
    """The address as a PDF link or QR code holds it: 7-bit, host in IDNA, the rest
    percent-encoded where it is not ASCII (an ASCII address is returned as it is)."""
    if text.isascii():
        return text
    parts = urlsplit(text)
    host = _ascii_host(parts.hostname or "") or ""
    netloc = host + (f":{parts.port}" if parts.port is not None else "")
    return SplitResult(
        parts.scheme, netloc, _encoded(parts.path), _encoded(parts.query), _encoded(parts.fragment)
    ).geturl()


def printed_address(text: str) -> str:
    """The address as printed: as written, but a host written in IDNA (xn--) in Unicode."""
    parts = urlsplit(text)
    host = parts.hostname or ""
    if "xn--" not in host:
        return text
    start = text.lower().index(host)
    return text[:start] + unicode_host(host) + text[start + len(host) :]


def unicode_host(host: str) -> str:
    """A host in Unicode: its IDNA labels (xn--…) decoded; one that does not decode is kept."""
    try:
        return host.encode("ascii").decode("idna") if host.isascii() else host
    except UnicodeError:
        return host


def _ascii_host(host: str) -> str | None:
    """A host in ASCII (IDNA), or None if it is no domain name."""
    try:
        ascii_host = host.encode("idna").decode("ascii")
        ascii_host.encode("ascii").decode("idna")  # labels written in IDNA must decode
    except UnicodeError:
        return None
    return ascii_host if ascii_host.strip(".") else None


def _encoded(part: str) -> str:
    return "".join(c if c.isascii() else quote(c, safe="") for c in part)


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    script = name.split(" ")[0] if name else "UNKNOWN"
    return _SAME_SCRIPT.get(script, script)
