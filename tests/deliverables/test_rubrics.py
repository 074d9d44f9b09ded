"""The shared rubric rule: one level per criterion, points summed, unknown levels refused."""

import pytest

from course_engine.deliverables.rubrics import score_rubric
from course_engine.errors import DomainError

RUBRIC = [
    {"id": "clarity", "title": "Clarity", "levels": [{"points": 0}, {"points": 2}]},
    {"id": "depth", "title": "Depth", "levels": [{"points": 1}, {"points": 3.5}]},
]


def test_every_level_chosen_sums_the_points():
    scored = score_rubric(RUBRIC, {"clarity": "2", "depth": "3.5"})
    assert scored.levels == {"clarity": 2, "depth": 3.5}
    assert scored.points == 5.5 and scored.complete and scored.missing == ()


@pytest.mark.parametrize("empty", [{}, {"depth": ""}, {"depth": None}])
def test_a_criterion_without_a_level_is_missing(empty):
    scored = score_rubric(RUBRIC, {"clarity": "0", **empty})
    assert scored.levels == {"clarity": 0}
    assert scored.missing == ("Depth",) and not scored.complete


def test_a_level_the_rubric_does_not_have_is_refused():
    with pytest.raises(DomainError, match="“Depth”: choose one of the rubric's levels"):
        score_rubric(RUBRIC, {"depth": "4"})
