"""Define the PDF/UA conditions `preflight --ua` checks, each with its Matterhorn checkpoint.

A finding's code is `ua-` and its checkpoint (`ua-06-002`); the two conditions of ISO
14289-1 7.1 that the Matterhorn Protocol lists under no failure condition of their own
(the structure tree, MarkInfo) and the parent tree's consistency carry a name instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Diagnostics, Location

# checkpoint → what passing it means (docs/accessibility.md lists the same)
CHECKPOINTS: dict[str, str] = {
    "01-003": "no Artifact inside tagged content",
    "01-004": "no tagged content inside an Artifact",
    "01-005": "every painting operator is tagged (an MCID'd sequence) or an Artifact",
    "01-007": "MarkInfo has no Suspects true",
    "02-001": "every non-standard structure type is role-mapped to a standard one",
    "02-003": "no circular role mapping",
    "02-004": "no standard structure type is remapped",
    "06-001": "the catalog has an XMP metadata stream",
    "06-002": "the XMP metadata has pdfuaid:part 1",
    "06-003": "the XMP metadata has a dc:title",
    "07-001": "ViewerPreferences has DisplayDocTitle",
    "07-002": "DisplayDocTitle is true",
    "09-004": "Table holds TR/THead/TBody/TFoot (and Caption); TR holds TH/TD",
    "09-005": "L holds LI (and Caption); LI holds Lbl/LBody",
    "10-001": "every character code shown maps to Unicode",
    "15-003": "a TH has a Scope, unless its table's cells name their headers (Headers, IDs)",
    "11-001": "the language is given (catalog Lang); every Lang is a valid BCP 47 tag",
    "13-004": "every Figure has Alt or ActualText",
    "14-001": "the document has headings",
    "14-002": "the first numbered heading is H1",
    "14-003": "numbered headings skip no level going down",
    "14-007": "H and H1–H6 are not mixed",
    "26-001": "an encrypted file has a P entry",
    "26-002": "an encrypted file lets assistive technology extract its text (P bit 10)",
    "28-002": "every annotation but Link, Widget, Popup and PrinterMark is in the tree",
    "28-008": "a page with annotations has a Tabs entry",
    "28-009": "a page's Tabs is S (structure order)",
    "28-011": "every Link annotation is in a Link structure element (OBJR, StructParent)",
    "28-012": "every Link annotation has a Contents description",
    "30-002": "a form XObject with MCIDs is drawn only once",
    "31-009": "every font used is embedded",
    "marked": "the catalog's MarkInfo has Marked true (ISO 14289-1 7.1)",
    "structure": "the catalog has a StructTreeRoot (ISO 14289-1 7.1)",
    "parent-tree": "every MCID is in the ParentTree and every ParentTree MCID is in the content",
    "tabs": "every page has Tabs S, not only those with annotations (booklet's own rule)",
    "limit": "every operator of a page was checked",
}

REFERENCES = {  # conditions with no Matterhorn failure condition of their own
    "marked": "ISO 14289-1 7.1",
    "structure": "ISO 14289-1 7.1",
    "parent-tree": "ISO 32000-1 14.7.4.4",
    "tabs": "booklet",
    "limit": "booklet",
}

NOT_MACHINE_CHECKABLE = {
    "01-001": "an Artifact tagged as real content",
    "01-002": "real content marked as an Artifact",
    "01-006": "structure types semantically appropriate",
    "06-004": "dc:title identifies the document",
    "09-001": "tags in logical reading order",
    "13-005": "alternative text describes the image",
    "14-001": "headings tagged where the text is a heading",
    "04-001": "colour alone conveys no information; contrast",
}


@dataclass
class Findings:
    """Where the findings of one file go: `fail(checkpoint, page, field, message)`."""

    name: str
    out: Diagnostics

    def fail(self, checkpoint: str, page: int, field: str, message: str, hint: str = "") -> None:
        label = REFERENCES.get(checkpoint, f"Matterhorn {checkpoint}")
        self.out.error(
            f"ua-{checkpoint}", Location(self.name, page, 0), field, f"{label}: {message}", hint
        )

    def warn(self, checkpoint: str, page: int, field: str, message: str, hint: str = "") -> None:
        self.out.warn(f"ua-{checkpoint}", Location(self.name, page, 0), field, message, hint)


# BCP 47 (RFC 5646) syntax: language, extlang, script, region, variants, extensions,
# private use; or a private-use tag alone. The registry itself is not consulted.
BCP47 = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?$"
    r"|^x(?:-[a-z0-9]{1,8})+$",
    re.I,
)


def valid_language(tag: str) -> bool:
    """Whether `tag` is a well-formed BCP 47 language tag (en, az-Latn-AZ, sr-Cyrl)."""
    return bool(BCP47.match(tag))
