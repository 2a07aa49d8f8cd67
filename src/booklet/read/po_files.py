"""Turn translation units into a gettext PO file (Babel), and a PO file back into units.

Each string is one entry: `msgctxt` is its field path, `#:` the file and line of
the source text, `#.` what the field is (and how long it may be, where a layout
limits it); a stale translation is `fuzzy`, with the source it was made from as
`#| msgid`. The PO file passes `msgfmt --check`; Poedit, Weblate and Lokalize
read it as it is.
"""

from __future__ import annotations

import datetime as dt
import io

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..errors import Location, fail
from .translation_units import Brought, Unit

FLAGS_GUESSED = ("python-format", "python-brace-format")  # Babel guesses these from the text


def po_file(units: list[Unit], lang: str, event: str, when: dt.datetime) -> bytes:
    """The PO file of one language's units."""
    catalog = _catalog(lang, event, when)
    for unit in units:
        message = catalog.add(
            unit.source,
            unit.target,
            locations=[(unit.loc.file, unit.loc.line)],
            flags=("fuzzy",) if unit.state == "stale" else (),
            auto_comments=unit.notes,
            previous_id=unit.previous if unit.state == "stale" and unit.previous else (),
            context=unit.path,
        )
        for flag in FLAGS_GUESSED:  # a "%" or "{" in a title is no format string
            message.flags.discard(flag)
    out = io.BytesIO()
    write_po(out, catalog, width=76, include_previous=True, sort_output=False)
    return out.getvalue()


def _catalog(lang: str, event: str, when: dt.datetime) -> Catalog:
    header = (
        f"# {lang} translation of the event '{event}', from booklet i18n --export.\n"
        "# Translate each msgstr; clear 'fuzzy' (needs work) where a translation is right.\n"
        "# Bring it back with: booklet i18n EVENT_DIR --import FILE"
    )
    try:
        catalog = Catalog(locale=lang.replace("-", "_"), domain=event, fuzzy=False)
    except (UnknownLocaleError, ValueError):
        catalog = Catalog(domain=event, fuzzy=False)
    catalog.header_comment = header
    catalog.project, catalog.version = f"booklet {event}", lang
    catalog.creation_date = catalog.revision_date = when
    catalog.msgid_bugs_address = catalog.last_translator = ""
    catalog.language_team = lang
    return catalog


def read_po_file(data: bytes, shown: str) -> tuple[str, list[Brought]]:
    """The language and the units of a PO file."""
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except Exception as exc:  # Babel raises PoFileError and others for a damaged file
        raise fail(
            "po", Location(shown), "", f"expected a gettext PO file, found an error: {exc}"
        ) from None
    lang = str(catalog.locale_identifier or catalog.mime_headers and _language(catalog) or "")
    brought = [
        Brought(str(m.context or ""), _text(m.id), _text(m.string), not m.fuzzy)
        for m in catalog
        if m.id and m.context
    ]
    return lang.replace("_", "-"), brought


def _language(catalog: Catalog) -> str:
    return next((v for k, v in catalog.mime_headers if k.lower() == "language"), "")


def _text(value: object) -> str:
    if isinstance(value, (tuple, list)):  # a plural entry: booklet writes none
        return str(value[0]) if value else ""
    return str(value or "")
