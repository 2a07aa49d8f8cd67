"""Turn a layout into the room its fixed places leave a field: the translator's length notes.

Only where a layout sets a field in a space that does not grow, and refuses a text that
overflows it, is there a length to tell a translator: on an invitation card, the title in
its band and the invitation text between the band and the QR code. Elsewhere text flows
onto more lines or pages and no length is given. The figure is an estimate ("about"),
on the safe side: characters of average width (0.55 em), less what breaking between words
leaves, on the lines the space holds.
"""

from __future__ import annotations

from ..read.layout import Layout, TextStyle

AVERAGE_EM = 0.55  # an average letter of running text, in ems (bold serif is wider)
WRAP_LOSS = 3  # characters a line leaves empty, on average, by breaking between words
BAND_SHARE = 0.38  # the night band's share of a card's height (typeset/page_art.py)
BAND_KEEP = 8.5  # points kept under the title in the band (3 mm)
MM = 72 / 25.4


def room(layout: Layout, name: str) -> dict[str, str]:
    """For each field a layout holds to a fixed space, the note telling how much it holds."""
    if layout.kind != "card":
        return {}
    m = layout.margins
    measure = layout.trim.width - m.inner - m.outer
    kicker = layout.styles.cover_kicker.leading + BAND_KEEP  # the line over the title
    band = layout.trim.height * BAND_SHARE - m.top - BAND_KEEP - kicker
    title, body = layout.styles.card_title, layout.styles.body
    # under the band: the salutation, the text, then the day and the place, above the QR code
    around = 2 * body.leading + 2 * layout.styles.item_title.leading + 6 * MM
    text = layout.trim.height * (1 - BAND_SHARE) - m.bottom - layout.qr.size - around
    return {
        "event.title": _note(_chars(measure, band, title), f"the title band of the {name} card"),
        "invitation.text": _note(_chars(measure, text, body), f"one {name} card"),
    }


def _chars(measure: float, height: float, style: TextStyle) -> int:
    """Characters of average width on the lines a space holds in a style."""
    lines = max(int(height / max(style.leading, 1.0)), 1)
    per_line = max(int(measure / max(style.size * AVERAGE_EM, 1.0)) - WRAP_LOSS, 1)
    return lines * per_line


def _note(chars: int, where: str) -> str:
    rounded = max(chars // 10 * 10, 10)
    return f"Room: about {rounded} characters on {where}; a longer text is refused."
