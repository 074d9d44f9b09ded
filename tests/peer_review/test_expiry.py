"""Late reviewers: expired, the submission re-allocated or flagged, everyone told once."""

from datetime import timedelta

from sqlalchemy import select

from course_engine.database import utcnow
from course_engine.deliverables.models import Submission
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review import expiry
from course_engine.peer_review.models import Allocation, AllocationState

BASE = "/courses/example-course/peer-review/service-sketch"
from tests.peer_review import factories  # noqa: E402


def _overdue(allocation):
    allocation.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()


def _emails(user_id):
    return db.session.scalars(
        select(QueuedEmail).where(QueuedEmail.user_id == user_id).order_by(QueuedEmail.id)
    ).all()


def _first_allocation():
    return db.session.scalar(select(Allocation).order_by(Allocation.id))


def test_a_late_review_goes_to_another_reviewer_and_both_are_told_once(peer, app):
    peer(
        {"reviews_per_submission": 1},
        people=[("Jamaica", ""), ("Belize", ""), ("Barbados", ""), ("Guyana", "")],
    )
    factories.allocate()
    late = _first_allocation()
    _overdue(late)
    author = db.session.get(Submission, late.submission_id).user_id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["peer-review", "expire"])
    assert "1 overdue review(s) expired: 1 passed to another reviewer, 0 flagged" in result.output
    db.session.refresh(late)
    assert late.state == AllocationState.EXPIRED
    new = db.session.scalar(
        select(Allocation).where(
            Allocation.submission_id == late.submission_id,
            Allocation.state == AllocationState.ASSIGNED,
        )
    )
    assert new.reviewer_id not in (late.reviewer_id, author)
    assert new.due_at > utcnow() + timedelta(days=4)
    assert [e.subject for e in _emails(late.reviewer_id)][
        -1
    ] == "Your review expired: Sketch one service"
    assert _emails(new.reviewer_id)[-1].subject == "A submission to review: Sketch one service"
    before = db.session.scalar(select(db.func.count()).select_from(QueuedEmail))
    again = runner.invoke(args=["peer-review", "expire"])
    assert "No review is overdue." in again.output
    assert db.session.scalar(select(db.func.count()).select_from(QueuedEmail)) == before


def test_the_flag_policy_tells_the_facilitators(peer, client_for, world):
    peer({"reviews_per_submission": 1, "late_policy": "flag"})
    factories.allocate()
    late = _first_allocation()
    _overdue(late)
    response = client_for(world["facilitator"]).post(BASE + "/expire", follow_redirects=True)
    assert "1 overdue review(s) expired: 0 passed to another reviewer, 1 flagged" in response.text
    flags = _emails(world["facilitator"].id)
    assert (
        len(flags) == 1 and flags[0].subject == "A submission needs a reviewer: Sketch one service"
    )
    assert "Please allocate another reviewer by hand." in flags[0].body
    assert "Short" in response.text
    # Run twice: nothing more expires and nobody is told again.
    expiry.expire_overdue(factories.deliverable())
    db.session.commit()
    assert len(_emails(world["facilitator"].id)) == 1


def test_with_nobody_left_to_take_it_the_submission_is_flagged(peer, world):
    peer({"reviews_per_submission": 1}, people=[("Jamaica", ""), ("Belize", "")])
    factories.allocate()
    late = _first_allocation()
    _overdue(late)
    report = expiry.expire_overdue(factories.deliverable())
    db.session.commit()
    assert (report.expired, report.reallocated, report.flagged) == (1, 0, 1)
    assert "No other eligible reviewer is free" in _emails(world["facilitator"].id)[0].body


def test_a_review_still_in_its_window_is_left_alone(peer):
    peer({"reviews_per_submission": 1})
    factories.allocate()
    report = expiry.expire_overdue(factories.deliverable())
    assert report.expired == 0 and report.message() == "No review is overdue."
    assert {a.state for a in db.session.scalars(select(Allocation))} == {AllocationState.ASSIGNED}
