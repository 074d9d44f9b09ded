"""A deliverable's peer review settings, with their defaults."""

from dataclasses import dataclass

from course_engine.deliverables.models import Deliverable
from course_engine.errors import NotFound
from course_engine.peer_review.anonymity import AUTHOR, hides


@dataclass(frozen=True)
class Settings:
    reviews_per_submission: int = 2
    reviewers: str = "peers"
    avoid_same_country: bool = False
    avoid_same_organisation: bool = False
    anonymity: str = "both"
    window_days: int = 7
    mode: str = "both"
    allow_revision: bool = False
    weight_percent: float = 0
    late_policy: str = "reallocate"
    reviews_complete_item: bool = False

    @property
    def uses_rubric(self) -> bool:
        return self.mode in ("rubric", "both")

    @property
    def uses_comments(self) -> bool:
        return self.mode in ("comments", "both")


def settings_of(deliverable: Deliverable) -> Settings:
    """Return the deliverable's peer review settings, or raise NotFound without any."""
    if deliverable.peer_review is None:
        raise NotFound("This deliverable has no peer review.")
    known = Settings.__dataclass_fields__
    return Settings(**{k: v for k, v in deliverable.peer_review.items() if k in known})


def hides_authors(deliverable: Deliverable) -> bool:
    """Tell whether the deliverable's peer reviewers must not learn who wrote a submission."""
    return deliverable.peer_review is not None and hides(settings_of(deliverable).anonymity, AUTHOR)
