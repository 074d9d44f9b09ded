"""The facilitator's view of reviews: all of them, hiding one, and how reviewers fare."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.database import utcnow
from course_engine.deliverables.models import Assessment, Deliverable, Submission
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.peer_review.models import Allocation, AllocationState, Review
from course_engine.peer_review.reviews import ShownReview, update_peer_score


def set_hidden(deliverable: Deliverable, review_id: int, hidden: bool, actor_id: int) -> Review:
    """Hide an inappropriate review from its author and from the score, or show it again."""
    row = db.session.execute(
        select(Review, Allocation)
        .join(Allocation, Allocation.id == Review.allocation_id)
        .where(Review.id == review_id, Allocation.deliverable_id == deliverable.id)
    ).first()
    if row is None or row[0].submitted_at is None:
        raise NotFound("There is no such review.")
    review, allocation = row
    review.hidden = hidden
    db.session.flush()
    update_peer_score(deliverable, allocation.submission_id)
    record(
        actor_id, "peer_review.hide" if hidden else "peer_review.show",
        course_id=deliverable.course_id, target=f"review:{review.id}",
        submission_id=allocation.submission_id,
    )  # fmt: skip
    return review


def all_reviews(submission: Submission) -> list[ShownReview]:
    """Return every allocation of a submission with its review, named, for facilitators."""
    rows = db.session.execute(
        select(Allocation, Review, User.display_name)
        .outerjoin(Review, Review.allocation_id == Allocation.id)
        .join(User, User.id == Allocation.reviewer_id)
        .where(Allocation.submission_id == submission.id)
        .order_by(Allocation.number)
    )
    return [ShownReview(name, a, r) for a, r, name in rows]


@dataclass
class ReviewerRow:
    """One reviewer's progress and how far their scores sit from the others'."""

    user_id: int
    name: str
    assigned: int = 0
    submitted: int = 0
    late: int = 0
    expired: int = 0
    from_peers: float | None = None
    from_facilitator: float | None = None


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def reviewer_rows(deliverable: Deliverable, now: datetime | None = None) -> list[ReviewerRow]:
    """Return each reviewer's progress (who is late) and the spread of their rubric scores.

    The spread is the mean absolute difference, in percentage points, from
    the median of the other reviewers of the same submission, and from the
    facilitator's rubric percent where one was given.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(Allocation, Review, User.display_name)
        .outerjoin(Review, Review.allocation_id == Allocation.id)
        .join(User, User.id == Allocation.reviewer_id)
        .where(Allocation.deliverable_id == deliverable.id)
    ).all()
    people: dict[int, ReviewerRow] = {}
    scores: dict[int, dict[int, float]] = {}
    for allocation, review, name in rows:
        person = people.setdefault(
            allocation.reviewer_id, ReviewerRow(allocation.reviewer_id, name)
        )
        if allocation.state == AllocationState.EXPIRED:
            person.expired += 1
            continue
        person.assigned += 1
        if allocation.state == AllocationState.SUBMITTED:
            person.submitted += 1
            if review is not None and not review.hidden and review.score_percent is not None:
                scores.setdefault(allocation.submission_id, {})[allocation.reviewer_id] = (
                    review.score_percent
                )
        elif allocation.due_at < now:
            person.late += 1
    graded = _facilitator_percents(list(scores))
    for person in people.values():
        peers, staff = [], []
        for submission_id, by_reviewer in scores.items():
            own = by_reviewer.get(person.user_id)
            if own is None:
                continue
            others = [v for k, v in by_reviewer.items() if k != person.user_id]
            if others:
                peers.append(abs(own - statistics.median(others)))
            if submission_id in graded:
                staff.append(abs(own - graded[submission_id]))
        person.from_peers, person.from_facilitator = _mean(peers), _mean(staff)
    return sorted(people.values(), key=lambda p: (-p.late, p.name.casefold()))


def _facilitator_percents(submission_ids: list[int]) -> dict[int, float]:
    # Read in one query for the whole table (grading.assessment_of reads one at a time).
    rows = db.session.scalars(
        select(Assessment).where(
            Assessment.submission_id.in_(submission_ids),
            Assessment.grader_id.is_not(None),
            Assessment.max_score > 0,
        )
    )
    return {a.submission_id: a.score / a.max_score * 100 for a in rows}
