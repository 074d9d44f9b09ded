"""Late reviewers: expire their allocations, then re-allocate or flag the submission."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from course_engine.database import rows_changed, utcnow
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.extensions import db
from course_engine.peer_review import notices
from course_engine.peer_review.allocation import Plan, authors_of, flush
from course_engine.peer_review.models import OPEN_STATES, Allocation, AllocationState
from course_engine.peer_review.settings import settings_of


@dataclass
class ExpiryReport:
    expired: int = 0
    reallocated: int = 0
    flagged: int = 0

    def message(self) -> str:
        if not self.expired:
            return "No review is overdue."
        return (
            f"{self.expired} overdue review(s) expired: {self.reallocated} passed to another "
            f"reviewer, {self.flagged} flagged to facilitators."
        )


def expire_overdue(deliverable: Deliverable, *, now: datetime | None = None) -> ExpiryReport:
    """Expire unfinished reviews past their window, then re-allocate or flag each submission."""
    settings = settings_of(deliverable)
    now = now or utcnow()
    overdue = db.session.execute(
        select(Allocation, Submission)
        .join(Submission, Submission.id == Allocation.submission_id)
        .where(
            Allocation.deliverable_id == deliverable.id,
            Allocation.state.in_(OPEN_STATES),
            Allocation.due_at < now,
        )
        .order_by(Allocation.id)
    ).all()
    report = ExpiryReport()
    expired = []
    for allocation, submission in overdue:
        # Conditional, so two runs at once expire (and notify) each allocation once.
        done = rows_changed(
            update(Allocation)
            .where(Allocation.id == allocation.id, Allocation.state.in_(OPEN_STATES))
            .values(state=AllocationState.EXPIRED, expired_at=now)
            .execution_options(synchronize_session=False)
        )
        if done:
            db.session.refresh(allocation)
            expired.append((allocation, submission))
    if not expired:
        return report
    plan = Plan(deliverable, settings, None)
    authors = authors_of([s for _, s in expired])
    for allocation, submission in expired:
        report.expired += 1
        notices.expired(deliverable, settings.anonymity, allocation, submission)
        if plan.active[submission.id] >= settings.reviews_per_submission:
            continue
        chosen = None
        if settings.late_policy == "reallocate":
            chosen = plan.pick(submission, authors[submission.user_id])
        if chosen is None:
            reason = (
                "No other eligible reviewer is free, so please allocate one by hand."
                if settings.late_policy == "reallocate"
                else "Please allocate another reviewer by hand."
            )
            notices.flagged(deliverable, allocation, submission, reason)
            report.flagged += 1
            continue
        new = plan.add(submission, chosen.user_id, None, now)
        flush()
        notices.assigned(deliverable, settings.anonymity, [(new, submission)])
        report.reallocated += 1
    flush()
    return report
