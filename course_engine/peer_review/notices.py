"""The emails of peer review; every author's name in them goes through anonymity.label,
or for staff through blind marking's rule (deliverables.blind)."""

from datetime import datetime

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment, Item
from course_engine.deliverables.blind import staff_authors
from course_engine.deliverables.models import Deliverable
from course_engine.extensions import db
from course_engine.notifications.services import Notification, notify_many
from course_engine.peer_review import anonymity
from course_engine.peer_review.anonymity import ReviewViewer
from course_engine.roles import Role
from course_engine.urls import absolute_url


def _when(value: datetime) -> str:
    return f"{value:%d %B %Y, %H:%M} UTC"


def _item_and_slug(deliverable: Deliverable) -> tuple[Item, str]:
    # A deliverable is deleted with its item, so its item is there.
    item = db.session.get_one(Item, deliverable.item_id)
    return item, item.module.track.course.slug


def _names(*user_ids: int) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())


def assigned(deliverable, anonymity_setting: str, pairs) -> None:
    """Tell each reviewer about a submission newly allocated to them."""
    item, slug = _item_and_slug(deliverable)
    names = _names(*(s.user_id for _, s in pairs))
    link = absolute_url("peer_review.index", course_slug=slug, item_slug=item.slug)
    notify_many(
        Notification(
            allocation.reviewer_id,
            f"A submission to review: {item.title}",
            "You have been asked to review the work of "
            f"{_author(allocation, submission, anonymity_setting, names)} "
            f"on “{item.title}” by {_when(allocation.due_at)}.\n\n{link}\n",
            f"peer-review:assigned:{allocation.id}:{allocation.reviewer_id}",
        )
        for allocation, submission in pairs
    )


def _author(allocation, submission, setting: str, names: dict[int, str]) -> str:
    viewer = ReviewViewer(allocation.reviewer_id)
    return anonymity.author_label(viewer, setting, submission, names[submission.user_id])


def expired(deliverable, setting: str, allocation, submission) -> None:
    """Tell a late reviewer that their review expired."""
    item, _ = _item_and_slug(deliverable)
    names = _names(submission.user_id)
    notify_many(
        [
            Notification(
                allocation.reviewer_id,
                f"Your review expired: {item.title}",
                "The review window for the work of "
                f"{_author(allocation, submission, setting, names)} "
                f"on “{item.title}” closed on {_when(allocation.due_at)} before your review "
                "was submitted, so it was passed on.\n",
                f"peer-review:expired:{allocation.id}",
            )
        ]
    )


def flagged(deliverable, allocation, submission, reason: str) -> None:
    """Tell the course's facilitators that a submission is short of a review."""
    item, slug = _item_and_slug(deliverable)
    names = _names(allocation.reviewer_id)
    author = staff_authors(deliverable, [submission])[submission.id].label
    staff = db.session.scalars(
        select(Enrolment.user_id).where(
            Enrolment.course_id == deliverable.course_id, Enrolment.role == Role.FACILITATOR
        )
    )
    link = absolute_url("peer_review.allocations", course_slug=slug, item_slug=item.slug)
    notify_many(
        Notification(
            facilitator_id,
            f"A submission needs a reviewer: {item.title}",
            f"{names[allocation.reviewer_id]} did not review the work of "
            f"{author} on “{item.title}” by {_when(allocation.due_at)}. "
            f"{reason}\n\n{link}\n",
            f"peer-review:flag:{allocation.id}:{facilitator_id}",
        )
        for facilitator_id in staff
    )


def reviewed(deliverable, setting: str, allocation, submission, review) -> None:
    """Tell an author that a review of their work arrived."""
    item, slug = _item_and_slug(deliverable)
    names = _names(allocation.reviewer_id)
    reviewer = anonymity.reviewer_label(
        ReviewViewer(submission.user_id), setting, allocation, names[allocation.reviewer_id]
    )
    link = absolute_url("peer_review.feedback", course_slug=slug, item_slug=item.slug)
    notify_many(
        [
            Notification(
                submission.user_id,
                f"A review of your work: {item.title}",
                f"{reviewer} reviewed your work on “{item.title}”.\n\n{link}\n",
                f"peer-review:reviewed:{review.id}",
            )
        ]
    )
