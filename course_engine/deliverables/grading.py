"""Facilitators' grading: rubric scores, feedback, release, extensions and peer scores."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from course_engine.courses.models import Enrolment, Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.database import utcnow
from course_engine.deliverables import filetypes
from course_engine.deliverables.blind import hides_author
from course_engine.deliverables.models import (
    Assessment,
    AssessmentState,
    Deliverable,
    Submission,
)
from course_engine.deliverables.services import Upload, rubric_max
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.gradebook.services import record_grade
from course_engine.rendering import render_markdown
from course_engine.roles import Role
from course_engine.storage import Storage

NO_RUBRIC_MAX = 100.0
FEEDBACK_FILE_MB = 20
STALE = (
    "Someone else saved this grading after you opened it, so yours was not saved. "
    "The grade above is theirs; the form keeps what you entered: save again to replace theirs."
)


def submission_in(deliverable: Deliverable, submission_id: int) -> Submission:
    """Return a submission of this deliverable, or raise NotFound."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.deliverable_id != deliverable.id:
        raise NotFound("There is no such submission.")
    return submission


def open_for_learner(deliverable: Deliverable, user_id: int) -> Submission:
    """Return a learner's submission, creating it so a facilitator can act on it."""
    from course_engine.deliverables.drafts import ensure_submission

    enrolled = db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.user_id == user_id,
            Enrolment.course_id == deliverable.course_id,
            Enrolment.role == Role.LEARNER,
        )
    )
    if enrolled is None:
        raise NotFound("There is no such learner in this course.")
    return ensure_submission(deliverable, user_id)


def assessment_of(submission_id: int) -> Assessment | None:
    """Return the grading of a submission, released or not."""
    return db.session.scalar(select(Assessment).where(Assessment.submission_id == submission_id))


def _rubric_score(deliverable: Deliverable, levels: Mapping[str, str | None]) -> tuple[dict, float]:
    from course_engine.deliverables.rubrics import score_rubric

    scored = score_rubric(deliverable.rubric, levels)
    return scored.levels, scored.points


def is_complete(deliverable: Deliverable, assessment: Assessment) -> bool:
    """Tell whether every rubric criterion has a level."""
    return all(c["id"] in assessment.levels for c in deliverable.rubric)


def _final_score(deliverable: Deliverable, assessment: Assessment) -> float:
    if not assessment.max_score:
        return 0.0
    fraction = assessment.score / assessment.max_score
    weight = (deliverable.peer_review or {}).get("weight_percent", 0) / 100
    if assessment.peer_percent is not None and weight:
        fraction = (1 - weight) * fraction + weight * assessment.peer_percent / 100
    return round(fraction * assessment.max_score, 2)


def _record(deliverable: Deliverable, submission: Submission, assessment: Assessment) -> None:
    """Put the grade in the gradebook and, once it is released, complete the learner's item."""
    # Under blind marking a grade joins the gradebook, whose rows carry names, only when
    # released: a draft there would tell graders whose work the pseudonym hides.
    if assessment.grader_id is None or hides_author(deliverable, assessment):
        return
    # A deliverable is deleted with its item, so its item is there.
    item = db.session.get_one(Item, deliverable.item_id)
    released = assessment.state == AssessmentState.RELEASED
    record_grade(
        submission.user_id,
        item,
        _final_score(deliverable, assessment),
        assessment.max_score,
        category=deliverable.category or "deliverables",
        released=released,
    )
    # A deliverable is complete when a grader has graded it, not when it is handed in.
    if released and not item.archived:
        set_status(submission.user_id, item, ProgressStatus.DONE)


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict(STALE) from None


def save_assessment(
    deliverable: Deliverable,
    submission: Submission,
    grader_id: int,
    *,
    lock_version: int | None,
    levels: Mapping[str, str | None],
    score: float | None,
    feedback: str,
    release: bool,
    feedback_upload: Upload | None = None,
    storage: Storage | None = None,
    new_names: list[str] | None = None,
) -> Assessment:
    """Save a grading as a draft or release it; refuse a save based on a stale version."""
    if submission.submitted_count == 0:
        raise DomainError("Nothing has been submitted yet.")
    assessment = assessment_of(submission.id)
    if assessment is not None and assessment.lock_version != lock_version:
        raise Conflict(STALE)
    if assessment is None:
        assessment = Assessment(submission_id=submission.id, updated_at=utcnow())
        db.session.add(assessment)
    if deliverable.rubric:
        assessment.levels, assessment.score = _rubric_score(deliverable, levels)
        assessment.max_score = rubric_max(deliverable.rubric)
    else:
        if score is None or not 0 <= score <= NO_RUBRIC_MAX:
            raise DomainError(f"Give a score between 0 and {NO_RUBRIC_MAX:g}.")
        assessment.levels, assessment.score, assessment.max_score = {}, score, NO_RUBRIC_MAX
    assessment.grader_id = grader_id
    assessment.version_number = submission.submitted_count
    assessment.feedback = feedback
    assessment.feedback_html = str(render_markdown(feedback))
    assessment.updated_at = utcnow()
    if feedback_upload is not None:
        if storage is None or new_names is None:
            raise TypeError("A feedback upload needs a storage and a list for the new names.")
        _attach_feedback_file(assessment, feedback_upload, storage, new_names)
    if release:
        if not is_complete(deliverable, assessment):
            raise DomainError("Choose a level for every criterion before releasing the grade.")
        assessment.state = AssessmentState.RELEASED
        assessment.released_at = utcnow()
    _flush()
    _record(deliverable, submission, assessment)
    return assessment


def _attach_feedback_file(
    assessment: Assessment, upload: Upload, storage: Storage, new_names: list[str]
) -> None:
    # The replaced file stays in the store until `storage check --fix`: deleting
    # it before the commit could leave a row pointing at nothing.
    name = filetypes.display_name(upload.filename)
    stored = storage.save_stream(
        upload.stream,
        FEEDBACK_FILE_MB * 1024 * 1024,
        f"A feedback file may be {FEEDBACK_FILE_MB} MB at most; “{name}” is larger.",
    )
    new_names.append(stored.name)
    if stored.size == 0:
        raise DomainError(f"“{name}” is empty.")
    try:
        content_type = filetypes.check(
            name, stored.head, lambda: storage.open(stored.name), sorted(filetypes.KNOWN)
        )
    except filetypes.FileRefused as refused:
        raise DomainError(str(refused)) from None
    assessment.feedback_storage_name = stored.name
    assessment.feedback_file_name = name
    assessment.feedback_content_type = content_type


def release(deliverable: Deliverable, submission: Submission, lock_version: int | None) -> None:
    """Release one learner's grade and feedback."""
    assessment = assessment_of(submission.id)
    if assessment is None or assessment.grader_id is None:
        raise DomainError("Grade the submission before releasing it.")
    if assessment.lock_version != lock_version:
        raise Conflict(STALE)
    if not is_complete(deliverable, assessment):
        raise DomainError("Choose a level for every criterion before releasing the grade.")
    assessment.state = AssessmentState.RELEASED
    assessment.released_at = utcnow()
    _flush()
    _record(deliverable, submission, assessment)


def release_all(deliverable: Deliverable) -> int:
    """Release every complete graded draft of the deliverable; return how many."""
    rows = db.session.execute(
        select(Assessment, Submission)
        .join(Submission, Submission.id == Assessment.submission_id)
        .where(
            Submission.deliverable_id == deliverable.id,
            Assessment.state == AssessmentState.DRAFT,
            Assessment.grader_id.is_not(None),
        )
    ).all()
    released = 0
    for assessment, _ in rows:
        if is_complete(deliverable, assessment):
            assessment.state = AssessmentState.RELEASED
            assessment.released_at = utcnow()
            released += 1
    _flush()
    for assessment, submission in rows:
        if assessment.state == AssessmentState.RELEASED:
            _record(deliverable, submission, assessment)
    return released


def grant_extension(submission: Submission, due_at: datetime | None) -> None:
    """Give the learner their own due date (None takes it back)."""
    submission.extended_due_at = due_at
    db.session.flush()


def grant_attempt(submission: Submission) -> None:
    """Let the learner submit one more version whatever the dates."""
    submission.reopened = True
    db.session.flush()


def record_peer_score(submission_id: int, percent: float | None) -> Assessment | None:
    """Store the peer-review score (0-100) of a submission and update its grade.

    The grade then weighs it by the deliverable's peer_review.weight_percent.
    None clears the score (no review counts any more): the grade is then the grader's.
    """
    if percent is not None and not 0 <= percent <= 100:
        raise DomainError("A peer score is a percent between 0 and 100.")
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound("There is no such submission.")
    deliverable = db.session.get_one(Deliverable, submission.deliverable_id)
    assessment = assessment_of(submission_id)
    if assessment is None and percent is None:
        return None
    if assessment is None:
        assessment = Assessment(
            submission_id=submission_id,
            version_number=submission.submitted_count,
            max_score=rubric_max(deliverable.rubric) if deliverable.rubric else NO_RUBRIC_MAX,
            updated_at=utcnow(),
        )
        db.session.add(assessment)
    assessment.peer_percent = percent
    _flush()
    _record(deliverable, submission, assessment)
    return assessment
