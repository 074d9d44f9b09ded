"""The tables of peer review pages, each read in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from course_engine.auth.models import User
from course_engine.courses.models import Item
from course_engine.database import utcnow
from course_engine.deliverables.blind import staff_authors
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.deliverables.services import submissions_of
from course_engine.extensions import db
from course_engine.peer_review import anonymity
from course_engine.peer_review.anonymity import ReviewViewer
from course_engine.peer_review.models import ACTIVE_STATES, OPEN_STATES, Allocation, Review
from course_engine.peer_review.settings import settings_of


@dataclass
class ToReview:
    """One allocation in a reviewer's list."""

    allocation: Allocation
    item: Item
    author: str
    late: bool


def to_review(course_id: int, viewer: ReviewViewer, now: datetime | None = None) -> list[ToReview]:
    """Return the allocations of a reviewer in a course, labelled as they may see them."""
    now = now or utcnow()
    author = aliased(User)
    rows = db.session.execute(
        select(Allocation, Submission, Deliverable, Item, author.display_name)
        .join(Submission, Submission.id == Allocation.submission_id)
        .join(Deliverable, Deliverable.id == Allocation.deliverable_id)
        .join(Item, Item.id == Deliverable.item_id)
        .join(author, author.id == Submission.user_id)
        .where(
            Allocation.reviewer_id == viewer.user_id,
            Deliverable.course_id == course_id,
            Submission.user_id != viewer.user_id,
            Item.archived.is_(False),
        )
        .order_by(Allocation.due_at, Allocation.id)
    )
    return [
        ToReview(
            allocation,
            item,
            anonymity.author_label(viewer, settings_of(deliverable).anonymity, submission, name),
            allocation.state in OPEN_STATES and allocation.due_at < now,
        )
        for allocation, submission, deliverable, item, name in rows
    ]


def peer_reviewed_items(course_id: int) -> list[Item]:
    """Return the course's deliverable items that have peer review."""
    rows = db.session.execute(
        select(Item, Deliverable.peer_review)
        .join(Deliverable, Deliverable.item_id == Item.id)
        .where(Item.course_id == course_id, Item.archived.is_(False))
        .order_by(Item.id)
    )
    return [item for item, settings in rows if settings is not None]


@dataclass
class TableCell:
    allocation: Allocation
    reviewer: str
    review: Review | None
    late: bool


@dataclass
class TableRow:
    """One submission with its reviewers, for the facilitator's allocation table."""

    submission: Submission
    author: str
    country: str
    organisation: str
    cells: list[TableCell] = field(default_factory=list)
    active: int = 0


def allocation_table(deliverable: Deliverable, now: datetime | None = None) -> list[TableRow]:
    """Return every submitted submission with its allocations, in five queries."""
    now = now or utcnow()
    submissions = submissions_of(deliverable.id)
    authors = staff_authors(deliverable, submissions)
    rows = {
        s.id: TableRow(s, authors[s.id].label, authors[s.id].country, authors[s.id].organisation)
        for s in submissions
    }
    found = db.session.execute(
        select(Allocation, Review, User.display_name)
        .outerjoin(Review, Review.allocation_id == Allocation.id)
        .join(User, User.id == Allocation.reviewer_id)
        .where(Allocation.deliverable_id == deliverable.id)
        .order_by(Allocation.submission_id, Allocation.number)
    )
    for allocation, review, name in found:
        row = rows.get(allocation.submission_id)
        if row is None:
            continue
        late = allocation.state in OPEN_STATES and allocation.due_at < now
        row.cells.append(TableCell(allocation, name, review, late))
        row.active += allocation.state in ACTIVE_STATES
    return sorted(rows.values(), key=lambda r: r.author.casefold())
