"""Turn the bookmarks of a long document's parts into one outline, written by the collator."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol

import pikepdf
from pikepdf import Name


class Objects(Protocol):
    """Where the outline's objects go: the collator, which numbers and writes them."""

    def reserve(self) -> int: ...

    def put(self, number: int, body: bytes, stream: bytes | None = None) -> int: ...


class Entry(NamedTuple):
    """A bookmark: its level, title and destination (page and place), as the file has them."""

    level: int
    title: bytes
    dest: bytes
    closed: bool


def write_outline(collator: Objects, entries: list[Entry]) -> int:
    """Write the outline tree of `entries` (each under the last one of a lower level);
    the number of its root."""
    root = collator.reserve()
    numbers = [collator.reserve() for _ in entries]
    parents, kids = [-1] * len(entries), {n: [] for n in range(-1, len(entries))}
    stack: list[int] = []  # the open chain of entries, one per level
    for n, entry in enumerate(entries):
        while stack and entries[stack[-1]].level >= entry.level:
            stack.pop()
        parents[n] = stack[-1] if stack else -1
        kids[parents[n]].append(n)
        stack.append(n)
    shown = {}  # entries visible under each entry when the outline opens
    for n in reversed(range(len(entries))):
        shown[n] = 0 if entries[n].closed else sum(1 + shown[k] for k in kids[n])
    for n, entry in enumerate(entries):
        siblings = kids[parents[n]]
        at = siblings.index(n)
        parent = numbers[parents[n]] if parents[n] >= 0 else root
        body = b"<< /Title %s /Dest %s /Parent %d 0 R" % (entry.title, entry.dest, parent)
        if at:
            body += b" /Prev %d 0 R" % numbers[siblings[at - 1]]
        if at + 1 < len(siblings):
            body += b" /Next %d 0 R" % numbers[siblings[at + 1]]
        if kids[n]:
            count = sum(1 + shown[k] for k in kids[n])
            body += b" /First %d 0 R /Last %d 0 R /Count %d" % (
                numbers[kids[n][0]],
                numbers[kids[n][-1]],
                -count if entry.closed else count,
            )
        collator.put(numbers[n], body + b" >>")
    top = kids[-1]
    count = sum(1 + shown[k] for k in top)
    collator.put(
        root,
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
        % (numbers[top[0]], numbers[top[-1]], count),
    )
    return root


def tree_nodes(node: pikepdf.Object, depth: int = 0) -> Iterable[pikepdf.Object]:
    """The /Pages nodes of a page tree (its root and the nodes under it)."""
    yield node
    for kid in node.get("/Kids", ()):
        if depth < 32 and isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.Pages:
            yield from tree_nodes(kid, depth + 1)
