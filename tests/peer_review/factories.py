"""Builders of peer review data for tests."""

from sqlalchemy import func, select

from course_engine.deliverables import grading
from course_engine.extensions import db
from course_engine.peer_review import allocation as allocating
from course_engine.peer_review.models import Allocation
from tests.deliverables import factories as deliverables

DEFAULTS = {
    "reviews_per_submission": 2,
    "reviewers": "peers",
    "anonymity": "both",
    "window_days": 5,
    "mode": "both",
    "allow_revision": True,
    "weight_percent": 20,
}


def deliverable():
    """Return the example course's deliverable."""
    return deliverables.deliverable()[2]


def configure(settings: dict) -> None:
    """Give the example deliverable peer review settings (the defaults above, overridden)."""
    deliverable().peer_review = {**DEFAULTS, **settings}
    db.session.commit()


def submit(user, **kwargs):
    """Submit the example deliverable for the user; commit."""
    return deliverables.submit(user, **kwargs)


def allocate(**kwargs):
    """Run the automatic allocation on the example deliverable; commit."""
    report = allocating.allocate(deliverable(), **kwargs)
    db.session.commit()
    return report


def allocation_of(reviewer, author) -> Allocation:
    """Return the allocation of the author's submission to the reviewer."""
    from course_engine.deliverables.models import Submission

    return db.session.scalar(
        select(Allocation)
        .join(Submission, Submission.id == Allocation.submission_id)
        .where(Allocation.reviewer_id == reviewer.id, Submission.user_id == author.id)
    )


def grade(submission, grader, *, release: bool) -> None:
    """Grade the submission at the rubric's top level; commit.

    When peer scores carry weight the grading already exists: save on top of its version.
    """
    existing = grading.assessment_of(submission.id)
    grading.save_assessment(
        deliverable(), submission, grader.id,
        lock_version=existing.lock_version if existing else None,
        levels={"clarity": "2"}, score=None, feedback="", release=release,
    )  # fmt: skip
    db.session.commit()


def count_rows(*models) -> tuple[int, ...]:
    """Return the number of rows of each model, to assert nothing changed."""
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


def deliverable_of(course_slug: str):
    """Return the deliverable of another course built from the example pack."""
    return deliverables.deliverable(course_slug=course_slug)[2]
