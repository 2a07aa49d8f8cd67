"""Fold model: panel widths, fold positions and which panel backs which."""

from __future__ import annotations

import pytest

from booklet.compose.folds import backing, bi_fold, roll_fold

MM = 72 / 25.4
A4 = (297 * MM, 210 * MM)


def test_roll_fold_panel_that_folds_in_is_narrower():
    plan = roll_fold(*A4, fold_in_shorter=2 * MM)
    widths = [round(p.width / MM, 3) for p in plan.outside.panels]
    assert widths == [97.667, 99.667, 99.667]
    assert [round(p.width / MM, 3) for p in plan.inside.panels] == [99.667, 99.667, 97.667]
    assert sum(p.width for p in plan.inside.panels) == pytest.approx(A4[0])
    assert [round(x / MM, 3) for x in plan.outside.folds] == [97.667, 197.333]
    assert [round(x / MM, 3) for x in plan.inside.folds] == [99.667, 199.333]


def test_roll_fold_matches_a_folding_dummy():
    """Paper dummy, outside up: [flap | back | front]; turn it over on the long edge:
    [inside cover | middle | narrow flap back]. Fold the narrow panel in, then the cover over it."""
    plan = roll_fold(*A4, fold_in_shorter=2 * MM)
    roles = [p.role for p in plan.outside.panels]
    assert roles == ["flap", "back", "front"]
    front, back, flap = plan.panel(1), plan.panel(6), plan.panel(2)
    assert backing(plan, front).number == 3  # the inside cover, leftmost inside
    assert backing(plan, back).number == 4  # the middle inside panel
    assert backing(plan, flap).number == 5 and backing(plan, flap).width == flap.width
    # the narrow panel sits at the right of the inside, where it folds in first
    assert plan.inside.panels[-1].width < plan.inside.panels[0].width


def test_bi_fold_halves():
    plan = bi_fold(*A4)
    assert [p.role for p in plan.outside.panels] == ["back", "front"]
    assert plan.outside.folds == pytest.approx((A4[0] / 2,))
    assert backing(plan, plan.panel(1)).number == 2


def test_absurd_fold_in_is_refused():
    with pytest.raises(ValueError):
        roll_fold(*A4, fold_in_shorter=60 * MM)
