"""Paragraph markup parsed once for every setting of the fill search, copies handed out."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paraparser

from booklet.typeset import fragments
from booklet.typeset.paragraphs import Para


def _counted(monkeypatch) -> list[int]:
    calls, parse = [0], paraparser.ParaParser.parse

    def counted(self, text, style):
        calls[0] += 1
        return parse(self, text, style)

    monkeypatch.setattr(paraparser.ParaParser, "parse", counted)
    fragments.forget_fragments()
    return calls


def test_the_same_text_in_the_same_lettering_is_parsed_once(monkeypatch):
    calls = _counted(monkeypatch)
    text = "A <i>memorial</i> evening,   with <b>music</b>"
    first = Para(text, ParagraphStyle("a", fontSize=10, leading=12))
    aired = Para(text, ParagraphStyle("a", fontSize=10, leading=14, spaceBefore=3))
    assert calls[0] == 1  # leading and space are not lettering: the parse is kept
    assert [f.text for f in aired.frags] == [f.text for f in first.frags]
    assert aired.text == first.text == "A <i>memorial</i> evening, with <b>music</b>"
    assert aired.frags[0] is not first.frags[0]  # a copy: ties change one paragraph only
    aired.frags[0].text = "changed"
    assert Para(text, ParagraphStyle("a", fontSize=10, leading=12)).frags[0].text == "A "
    Para(text, ParagraphStyle("b", fontSize=11, leading=14))
    Para(text, ParagraphStyle("c", fontSize=10, leading=12, textTransform="uppercase"))
    assert calls[0] == 3  # another size, another case: parsed again


def test_a_paragraph_restyled_by_its_own_para_tag_is_not_kept(monkeypatch):
    calls = _counted(monkeypatch)
    text = '<para leading="30">Restyled</para>'
    for _ in range(2):
        made = Para(text, ParagraphStyle("a", fontSize=10, leading=12))
        assert made.style.leading == 30
    assert calls[0] == 2


def test_the_memo_is_bounded(monkeypatch):
    _counted(monkeypatch)
    monkeypatch.setattr(fragments, "LIMIT", 3)
    for n in range(10):
        Para(f"text {n}", ParagraphStyle("a"))
    assert 1 <= len(fragments._parsed) <= 3  # kept, and no more than the limit
