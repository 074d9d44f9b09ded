"""The rubric rule that graders and peer reviewers share: one level per criterion, points summed."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course_engine.errors import DomainError


@dataclass(frozen=True)
class RubricScore:
    """The points chosen per criterion id, and the titles of the criteria left without a level."""

    levels: dict[str, float]
    missing: tuple[str, ...]

    @property
    def points(self) -> float:
        return float(sum(self.levels.values()))

    @property
    def complete(self) -> bool:
        return not self.missing


def score_rubric(rubric: list[dict[str, Any]], levels: Mapping[str, str | None]) -> RubricScore:
    """Return the levels chosen on a rubric, or raise DomainError for a level it does not have.

    `levels` maps criterion ids to the points of a level as sent by a form; an
    empty or absent value leaves that criterion missing.
    """
    chosen = {}
    missing = []
    for criterion in rubric:
        value = levels.get(criterion["id"])
        if value in (None, ""):
            missing.append(criterion["title"])
            continue
        points = {str(level["points"]): level["points"] for level in criterion["levels"]}
        if str(value) not in points:
            raise DomainError(f"“{criterion['title']}”: choose one of the rubric's levels.")
        chosen[criterion["id"]] = points[str(value)]
    return RubricScore(chosen, tuple(missing))
