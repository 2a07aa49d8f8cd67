"""The search for the air that fills a booklet's pages: fewer settings, the same choice."""

from __future__ import annotations

import pytest

from booklet.builder.pipeline import build
from booklet.typeset import document_pdf as dp

from .conftest import SAMPLE
from .test_longdoc import _long_event


def _old_filled(document, faces, found, said):
    """Every step in order from the first, the least air that fills taken: what the search
    chooses, setting the tightest step first and the steps below its first try bisected."""
    typo = document.layout.typography
    tries = ((1, typo.air), (-1, typo.tighten))
    best = (dp._cost(found, said), found, said)
    for sign, most in tries if document.layout.kind == "booklet" else tries[::-1]:
        for step in range(1, int(most / dp.AIR_STEP + 1e-9) + 1):
            aired, told = dp._flowing(document, faces, sign * step * dp.AIR_STEP)
            if told.errors:
                break
            if aired.openings < found.openings:
                continue
            if dp._cost(aired, told) < best[0]:
                best = (dp._cost(aired, told), aired, told)
            if best[0] == (0, 0):
                return best[1:]
            if sign * (len(aired.page_kinds) - len(found.page_kinds)) > 4:
                break
    return best[1:]


def _searched(event, monkeypatch) -> list[tuple[bytes, bytes, int, int]]:
    """Per search the build makes: the PDF the new search chose (its tries dummies, the
    setting taken drawn) and the old one's (every try drawn), and how many settings each
    laid out."""
    results, count, new = [], [0], dp._filled
    flowing = dp._flowing

    def counted(*args, **kw):
        count[0] += 1
        return flowing(*args, **kw)

    def both(document, faces, found, said):
        count[0] = 0
        chosen = new(document, faces, found, said)
        settings = count[0]
        drawn = flowing(document, faces, chosen[0].air) if chosen[0].dummy else chosen
        count[0] = 0
        old = _old_filled(document, faces, found, said)
        assert not old[0].dummy
        results.append((dp.saved(drawn[0]).pdf, dp.saved(old[0]).pdf, settings, count[0]))
        return chosen

    monkeypatch.setattr(dp, "_flowing", counted)
    monkeypatch.setattr(dp, "_filled", both)
    build(event, ("a5-booklet",), ("en",), write=False)
    return results


def test_the_sample_booklet_is_filled_in_two_settings_as_before(monkeypatch):
    ((chosen, old, settings, before),) = _searched(SAMPLE, monkeypatch)
    assert chosen == old and len(chosen) > 100_000  # the whole file: fonts and pages
    # 20 % air (the first step that can fill two notes pages) fills them; the steps below
    # are bisected (10, 15, 12.5 %) for the least air that does: 12.5 %, which stepping
    # from 2.5 % finds in five settings.
    assert (settings, before) == (4, 5)


@pytest.mark.parametrize("sections, paras", [(2, 4), (3, 5), (4, 6), (5, 4)])
def test_generated_booklets_choose_what_the_old_search_chose(
    tmp_path, monkeypatch, sections, paras
):
    found = _searched(_long_event(tmp_path, sections, paras), monkeypatch)
    for chosen, old, settings, before in found:
        assert chosen == old
        assert settings <= before + 1  # a jump past the least step costs one setting more


def test_a_dummy_lays_out_the_pages_of_a_drawn_setting_without_drawing(monkeypatch):
    """A try of the search is a dummy: the same pages, fills, page openers and findings
    as the setting drawn, with no line of text drawn."""
    from booklet.typeset.paragraphs import Para

    taken, drawn_lines, draw_lines = [], [0], Para.draw_lines

    def kept(document, faces, found, said):
        taken.append((document, faces))
        return found, said

    def counted(self):
        drawn_lines[0] += 1
        return draw_lines(self)

    monkeypatch.setattr(dp, "_filled", kept)
    monkeypatch.setattr(Para, "draw_lines", counted)
    build(SAMPLE, ("a5-booklet",), ("en",), write=False)
    ((document, faces),) = taken
    drawn_lines[0] = 0
    drawn, said = dp._flowing(document, faces, 0.05)
    lines = drawn_lines[0]
    dummy, told = dp._dummy(document, faces, 0.05)
    assert lines > 50 and drawn_lines[0] == lines  # the dummy drew none
    assert dummy.dummy and dummy.air == drawn.air == 0.05
    seen = [
        (x.page_kinds, x.fills, x.openings, dp._cost(x, t))
        for x, t in ((drawn, said), (dummy, told))
    ]
    assert seen[0] == seen[1]
