"""Writing reviews, what authors read, and the facilitator's view of reviews and reviewers."""

import difflib
import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from course_engine.auth.models import User
from course_engine.courses.models import Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.database import rows_changed, utcnow
from course_engine.deliverables import grading
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.deliverables.rubrics import RubricScore, score_rubric
from course_engine.deliverables.services import latest_submitted, rubric_max
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.peer_review import anonymity, notices
from course_engine.peer_review.anonymity import ReviewViewer
from course_engine.peer_review.models import OPEN_STATES, Allocation, AllocationState, Review
from course_engine.peer_review.settings import Settings, settings_of
from course_engine.rendering import render_markdown

MAX_COMMENT_CHARS = 20_000


def review_of(allocation_id: int) -> Review | None:
    """Return the review written for an allocation, draft or submitted."""
    return db.session.scalar(select(Review).where(Review.allocation_id == allocation_id))


def _check_text(comment: str, criterion_comments: dict[str, str]) -> None:
    for text in (comment, *criterion_comments.values()):
        if len(text) > MAX_COMMENT_CHARS:
            raise DomainError(f"A comment may be {MAX_COMMENT_CHARS:,} characters at most.")


def _check_complete(
    deliverable, settings: Settings, scored: RubricScore, comment, comments
) -> None:
    if settings.uses_rubric and not scored.complete:
        raise DomainError(
            f"Choose a level for every criterion ({', '.join(scored.missing)}).",
            fields={
                f"level-{c['id']}": f"Choose a level for “{c['title']}”."
                for c in deliverable.rubric
                if c["id"] not in scored.levels
            },
        )
    wants_comment = settings.mode == "comments" or not deliverable.rubric
    if wants_comment and not comment.strip() and not any(t.strip() for t in comments.values()):
        message = "Write a comment before submitting the review."
        raise DomainError(message, fields={"comment": message})


def _check_open(allocation: Allocation, now: datetime) -> None:
    if allocation.state == AllocationState.EXPIRED:
        raise DomainError("This review expired and was passed on; nothing was saved.")
    if allocation.state == AllocationState.SUBMITTED:
        raise Conflict("You already submitted this review; nothing was changed.")
    if now > allocation.due_at:
        raise DomainError(
            f"The review window closed on {allocation.due_at:%d %B %Y, %H:%M} UTC; "
            "nothing was saved."
        )


def save_review(
    deliverable: Deliverable,
    allocation: Allocation,
    reviewer_id: int,
    *,
    levels: dict[str, str | None],
    comment: str,
    criterion_comments: dict[str, str],
    submit: bool,
    now: datetime | None = None,
) -> Review:
    """Save the reviewer's draft, or submit it (once, even when sent twice)."""
    settings = settings_of(deliverable)
    now = now or utcnow()
    if allocation.reviewer_id != reviewer_id:
        raise NotFound("There is no such review.")
    _check_open(allocation, now)
    scored = score_rubric(deliverable.rubric if settings.uses_rubric else [], levels)
    chosen = scored.levels
    known = {c["id"] for c in deliverable.rubric}
    comments = {k: v for k, v in criterion_comments.items() if k in known and v.strip()}
    if not settings.uses_comments:
        comment, comments = "", {}
    _check_text(comment, comments)
    if submit:
        _check_complete(deliverable, settings, scored, comment, comments)
    target = AllocationState.SUBMITTED if submit else AllocationState.DRAFT
    moved = rows_changed(
        update(Allocation)
        .where(Allocation.id == allocation.id, Allocation.state.in_(OPEN_STATES))
        .values(state=target)
        .execution_options(synchronize_session=False)
    )
    if not moved:
        raise Conflict("This review was already submitted; nothing was changed.")
    review = review_of(allocation.id) or Review(allocation_id=allocation.id)
    version = latest_submitted(allocation.submission_id)
    review.version_number = version.number if version else 0
    review.levels = chosen
    review.score_percent = _percent(deliverable, chosen) if settings.uses_rubric else None
    review.comment = comment
    review.comment_html = str(render_markdown(comment)) if comment else ""
    review.criterion_comments = comments
    review.criterion_comments_html = {k: str(render_markdown(v)) for k, v in comments.items()}
    review.updated_at = now
    review.submitted_at = now if submit else None
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("This review was saved in another window; reload the page.") from None
    db.session.refresh(allocation)
    if submit:
        _after_submit(deliverable, settings, allocation, review)
    return review


def _percent(deliverable: Deliverable, levels: dict) -> float | None:
    top = rubric_max(deliverable.rubric) if deliverable.rubric else 0
    if not top or len(levels) < len(deliverable.rubric):
        return None
    return round(sum(levels.values()) / top * 100, 2)


def _after_submit(deliverable, settings: Settings, allocation: Allocation, review: Review) -> None:
    submission = db.session.get_one(Submission, allocation.submission_id)
    update_peer_score(deliverable, submission.id)
    notices.reviewed(deliverable, settings.anonymity, allocation, submission, review)
    if settings.reviews_complete_item:
        _complete_if_done(deliverable, allocation.reviewer_id)


def _complete_if_done(deliverable: Deliverable, reviewer_id: int) -> None:
    states = list(
        db.session.scalars(
            select(Allocation.state).where(
                Allocation.deliverable_id == deliverable.id, Allocation.reviewer_id == reviewer_id
            )
        )
    )
    item = db.session.get_one(Item, deliverable.item_id)
    finished = AllocationState.SUBMITTED in states and not any(s in OPEN_STATES for s in states)
    if finished and not item.archived:
        set_status(reviewer_id, item, ProgressStatus.DONE)


def peer_percent(submission_id: int) -> float | None:
    """Return the median rubric percent of a submission's submitted, visible reviews."""
    percents = db.session.scalars(
        select(Review.score_percent)
        .join(Allocation, Allocation.id == Review.allocation_id)
        .where(
            Allocation.submission_id == submission_id,
            Review.submitted_at.is_not(None),
            Review.hidden.is_(False),
        )
    )
    # A review without a rubric percent does not count.
    scores = [percent for percent in percents if percent is not None]
    return round(statistics.median(scores), 2) if scores else None


def update_peer_score(deliverable: Deliverable, submission_id: int) -> None:
    """Pass the median peer percent to the grade (none once no review counts), when peer
    scores carry weight."""
    if not settings_of(deliverable).weight_percent:
        return
    grading.record_peer_score(submission_id, peer_percent(submission_id))


@dataclass
class ShownReview:
    """A review as one viewer may see it."""

    label: str
    allocation: Allocation
    review: Review | None


def received(
    deliverable: Deliverable, submission: Submission, viewer: ReviewViewer
) -> list[ShownReview]:
    """Return the submitted reviews of a submission its author may read (none hidden)."""
    setting = settings_of(deliverable).anonymity
    rows = db.session.execute(
        select(Allocation, Review, User.display_name)
        .join(Review, Review.allocation_id == Allocation.id)
        .join(User, User.id == Allocation.reviewer_id)
        .where(
            Allocation.submission_id == submission.id,
            Review.submitted_at.is_not(None),
            Review.hidden.is_(False),
        )
        .order_by(Allocation.number)
    )
    return [
        ShownReview(anonymity.reviewer_label(viewer, setting, a, name), a, r) for a, r, name in rows
    ]


def can_revise(settings: Settings, submission: Submission, shown: list[ShownReview]) -> bool:
    """Tell whether the author may revise: allowed, and reviewed since their last version."""
    return (
        settings.allow_revision
        and not submission.reopened
        and any(
            s.review is not None and s.review.version_number >= submission.submitted_count
            for s in shown
        )
    )


def revise(deliverable: Deliverable, submission: Submission, viewer: ReviewViewer) -> None:
    """Reopen the author's submission for one revised version after reading the reviews."""
    settings = settings_of(deliverable)
    if not can_revise(settings, submission, received(deliverable, submission, viewer)):
        raise DomainError(
            "You may revise once your current version has been reviewed, "
            "where this deliverable allows revision."
        )
    grading.grant_attempt(submission)


DiffKind = Literal["add", "del", "same", "hunk"]
_DIFF_KINDS: dict[str, DiffKind] = {"+": "add", "-": "del", "@": "hunk"}


@dataclass
class DiffLine:
    kind: DiffKind
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """Return a line diff of two texts; the template escapes every line."""
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = _DIFF_KINDS.get(line[:1], "same")
        lines.append(DiffLine(kind, line if kind == "hunk" else line[1:]))
    return lines
