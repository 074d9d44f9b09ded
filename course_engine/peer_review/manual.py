"""Allocation changes by hand: a facilitator adds, removes and swaps reviewers."""

from datetime import timedelta

from sqlalchemy import delete, func, select, update

from course_engine.audit.services import record
from course_engine.database import rows_changed, utcnow
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.peer_review import notices
from course_engine.peer_review.allocation import Plan, course_reviewers, flush
from course_engine.peer_review.models import OPEN_STATES, Allocation, AllocationState, Review
from course_engine.peer_review.settings import settings_of


def _submission_in(deliverable: Deliverable, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.deliverable_id != deliverable.id:
        raise NotFound("There is no such submission.")
    if submission.submitted_count == 0:
        raise DomainError("That learner has not submitted anything to review yet.")
    return submission


def _check_reviewer(deliverable: Deliverable, submission: Submission, reviewer_id: int) -> None:
    if reviewer_id == submission.user_id:
        raise DomainError("Nobody may review their own work; choose another reviewer.")
    if reviewer_id not in {p.user_id for p in course_reviewers(deliverable.course_id)}:
        raise DomainError("Choose a learner or peer reviewer of this course.")
    taken = db.session.scalar(
        select(func.count())
        .select_from(Allocation)
        .where(Allocation.submission_id == submission.id, Allocation.reviewer_id == reviewer_id)
    )
    if taken:
        raise DomainError("That reviewer is already allocated (or was) to this submission.")


def allocation_in(deliverable: Deliverable, allocation_id: int) -> Allocation:
    """Return an allocation of this deliverable, or raise NotFound."""
    allocation = db.session.get(Allocation, allocation_id)
    if allocation is None or allocation.deliverable_id != deliverable.id:
        raise NotFound("There is no such allocation.")
    return allocation


def add(
    deliverable: Deliverable, submission_id: int, reviewer_id: int, actor_id: int
) -> Allocation:
    """Allocate a reviewer by hand; the country rules are then the facilitator's call."""
    settings = settings_of(deliverable)
    submission = _submission_in(deliverable, submission_id)
    _check_reviewer(deliverable, submission, reviewer_id)
    plan = Plan(deliverable, settings, None)
    allocation = plan.add(submission, reviewer_id, actor_id, utcnow())
    flush()
    notices.assigned(deliverable, settings.anonymity, [(allocation, submission)])
    record(
        actor_id, "peer_review.add", course_id=deliverable.course_id,
        target=f"allocation:{allocation.id}", submission_id=submission.id, reviewer_id=reviewer_id,
    )  # fmt: skip
    return allocation


def remove(deliverable: Deliverable, allocation_id: int, actor_id: int) -> None:
    """Take an allocation back, with any draft review; submitted reviews are hidden instead."""
    allocation = allocation_in(deliverable, allocation_id)
    if allocation.state == AllocationState.SUBMITTED:
        raise DomainError("This review was submitted; hide it instead of removing it.")
    removed = rows_changed(
        delete(Allocation)
        .where(Allocation.id == allocation.id, Allocation.state != AllocationState.SUBMITTED)
        .execution_options(synchronize_session=False)
    )
    if not removed:
        raise Conflict("The review was submitted meanwhile; hide it instead of removing it.")
    db.session.expunge(allocation)
    record(
        actor_id, "peer_review.remove", course_id=deliverable.course_id,
        target=f"allocation:{allocation_id}", submission_id=allocation.submission_id,
        reviewer_id=allocation.reviewer_id,
    )  # fmt: skip


def swap(deliverable: Deliverable, allocation_id: int, reviewer_id: int, actor_id: int) -> None:
    """Give an unfinished allocation to another reviewer, with a fresh window."""
    settings = settings_of(deliverable)
    allocation = allocation_in(deliverable, allocation_id)
    if allocation.state not in OPEN_STATES:
        raise DomainError("Only an unfinished review can go to another reviewer.")
    submission = _submission_in(deliverable, allocation.submission_id)
    _check_reviewer(deliverable, submission, reviewer_id)
    previous = allocation.reviewer_id
    now = utcnow()
    swapped = rows_changed(
        update(Allocation)
        .where(Allocation.id == allocation.id, Allocation.state.in_(OPEN_STATES))
        .values(
            reviewer_id=reviewer_id,
            state=AllocationState.ASSIGNED,
            due_at=now + timedelta(days=settings.window_days),
        )
        .execution_options(synchronize_session=False)
    )
    if not swapped:
        raise Conflict("The review was submitted meanwhile; it cannot change reviewer.")
    db.session.execute(delete(Review).where(Review.allocation_id == allocation.id))
    flush()
    db.session.refresh(allocation)
    notices.assigned(deliverable, settings.anonymity, [(allocation, submission)])
    record(
        actor_id, "peer_review.swap", course_id=deliverable.course_id,
        target=f"allocation:{allocation.id}", previous_reviewer_id=previous,
        reviewer_id=reviewer_id,
    )  # fmt: skip
