"""A learner's work in progress: starting a submission, the open draft and its files, submitting."""

import secrets
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import selectinload

from course_engine.courses.models import Course
from course_engine.database import dialect_insert, rows_changed, utcnow
from course_engine.deliverables import filetypes
from course_engine.deliverables.models import (
    Deliverable,
    Submission,
    SubmissionFile,
    SubmissionMode,
    SubmissionVersion,
)
from course_engine.deliverables.services import (
    MAX_TEXT_CHARS,
    Deadlines,
    Upload,
    deadlines,
    find_submission,
    latest_submitted,
)
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.storage import Storage


def _insert_once(model, **values) -> bool:
    """Insert a row unless a unique constraint already holds one; tell whether it was inserted.

    ON CONFLICT DO NOTHING settles races without a savepoint (which pysqlite
    would turn into a commit of its own).
    """
    db.session.flush()
    table = model.__table__
    statement = (
        dialect_insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
    )
    return db.session.execute(statement).first() is not None


def ensure_submission(deliverable: Deliverable, user_id: int) -> Submission:
    """Return the learner's submission, creating it (once, even under races)."""
    for _ in range(10):
        submission = find_submission(deliverable.id, user_id)
        if submission is not None:
            return submission
        _insert_once(
            Submission,
            deliverable_id=deliverable.id,
            user_id=user_id,
            # A clash with another learner's pseudonym inserts nothing: try another.
            pseudonym=1000 + secrets.randbelow(9000),
            submitted_count=0,
            reopened=False,
            created_at=utcnow(),
        )
    raise Conflict("The submission could not be created; please try again.")


def _check_open(deadlines_: Deadlines, submission: Submission | None, now: datetime) -> None:
    if submission is not None and submission.reopened:
        return
    if deadlines_.cutoff is not None and now > deadlines_.cutoff:
        raise DomainError(
            f"The cut-off date ({deadlines_.cutoff:%d %B %Y %H:%M} UTC) has passed; "
            "submissions are closed."
        )
    if (
        submission is not None
        and submission.submitted_count > 0
        and deadlines_.due is not None
        and now > deadlines_.due
    ):
        raise DomainError("The due date has passed; your submitted version can no longer change.")


def working_copy(submission_id: int) -> SubmissionVersion | None:
    """Return the open draft, or else the last submitted version (what the learner edits)."""
    return db.session.scalar(
        select(SubmissionVersion)
        .options(selectinload(SubmissionVersion.files))
        .where(SubmissionVersion.submission_id == submission_id)
        .order_by(SubmissionVersion.number.desc())
        .limit(1)
    )


def draft_of(submission: Submission) -> SubmissionVersion:
    """Return the open draft, starting one from the last submitted version if needed."""
    draft = db.session.scalar(
        select(SubmissionVersion).where(
            SubmissionVersion.submission_id == submission.id,
            SubmissionVersion.submitted_at.is_(None),
        )
    )
    if draft is not None:
        return draft
    previous = latest_submitted(submission.id)
    created = _insert_once(
        SubmissionVersion,
        submission_id=submission.id,
        number=submission.submitted_count + 1,
        text=previous.text if previous else "",
        file_count=previous.file_count if previous else 0,
        total_bytes=previous.total_bytes if previous else 0,
        late=False,
        updated_at=utcnow(),
    )
    draft = db.session.scalar(
        select(SubmissionVersion).where(
            SubmissionVersion.submission_id == submission.id,
            SubmissionVersion.number == submission.submitted_count + 1,
        )
    )
    if draft is None or not draft.is_draft:
        raise Conflict("Your submission changed in another window; please reload.")
    if created:
        for old in previous.files if previous else []:
            db.session.add(_copy_file(old, draft.id))
        db.session.flush()
    return draft


def _copy_file(old: SubmissionFile, version_id: int) -> SubmissionFile:
    return SubmissionFile(
        version_id=version_id,
        storage_name=old.storage_name,
        display_name=old.display_name,
        content_type=old.content_type,
        size=old.size,
        sha256=old.sha256,
        uploaded_at=old.uploaded_at,
    )


def _store_upload(
    deliverable: Deliverable, draft: SubmissionVersion, upload: Upload, storage, new_names
) -> None:
    name = filetypes.display_name(upload.filename)
    limit = int(deliverable.max_size_mb * 1024 * 1024)
    too_large = (
        f"The files of a submission may total {deliverable.max_size_mb:g} MB at most; "
        f"“{name}” goes over that limit."
    )
    stored = storage.save_stream(upload.stream, limit - draft.total_bytes, too_large)
    new_names.append(stored.name)
    if stored.size == 0:
        raise DomainError(f"“{name}” is empty.")
    try:
        content_type = filetypes.check(
            name, stored.head, lambda: storage.open(stored.name), deliverable.file_types
        )
    except filetypes.FileRefused as refused:
        raise DomainError(str(refused)) from None
    # The counters are checked and moved in one statement, so two uploads
    # racing for the last place cannot both take it.
    claimed = rows_changed(
        update(SubmissionVersion)
        .where(
            SubmissionVersion.id == draft.id,
            SubmissionVersion.submitted_at.is_(None),
            SubmissionVersion.file_count < deliverable.max_files,
            SubmissionVersion.total_bytes + stored.size <= limit,
        )
        .values(
            file_count=SubmissionVersion.file_count + 1,
            total_bytes=SubmissionVersion.total_bytes + stored.size,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if not claimed:
        raise Conflict(
            f"A submission holds {deliverable.max_files} file(s) and "
            f"{deliverable.max_size_mb:g} MB at most; “{name}” was not added."
        )
    db.session.add(
        SubmissionFile(
            version_id=draft.id,
            storage_name=stored.name,
            display_name=name,
            content_type=content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_at=utcnow(),
        )
    )
    db.session.flush()
    db.session.refresh(draft)


def save_draft(
    deliverable: Deliverable,
    course: Course,
    user_id: int,
    *,
    text: str | None,
    uploads: list[Upload],
    storage: Storage,
    new_names: list[str],
    now: datetime | None = None,
) -> SubmissionVersion:
    """Save the learner's text and add their files to the open draft.

    Every file written is named in new_names, so the caller can delete them
    if anything later fails.
    """
    submission = ensure_submission(deliverable, user_id)
    _check_open(deadlines(deliverable, course, submission), submission, now or utcnow())
    if uploads and deliverable.submission_mode == SubmissionMode.TEXT:
        raise _field_error("files", "This deliverable takes text only, not files.")
    if text and deliverable.submission_mode == SubmissionMode.FILE:
        raise _field_error("text", "This deliverable takes files only, not text.")
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise _field_error("text", f"The text is longer than {MAX_TEXT_CHARS:,} characters.")
    draft = draft_of(submission)
    if text is not None and text != draft.text:
        draft.text = text
        draft.updated_at = utcnow()
    for upload in uploads:
        try:
            _store_upload(deliverable, draft, upload, storage, new_names)
        except DomainError as refused:
            # Whatever refused a file (type, size or count), the form shows it by the file field.
            refused.fields.setdefault("files", refused.message)
            raise
    db.session.flush()
    return draft


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, fields={field: message})


def remove_file(
    deliverable: Deliverable, course: Course, user_id: int, file_id: int, storage: Storage
) -> None:
    """Take a file out of the learner's draft (the stored file stays if a version keeps it)."""
    submission = find_submission(deliverable.id, user_id)
    if submission is None:
        raise NotFound("There is no such file.")
    _check_open(deadlines(deliverable, course, submission), submission, utcnow())
    working = working_copy(submission.id)
    chosen = next((f for f in working.files if f.id == file_id), None) if working else None
    if chosen is None:
        raise NotFound("There is no such file in your draft.")
    # A first change after submitting starts a draft holding copies of the files.
    draft = draft_of(submission)
    file = db.session.scalar(
        select(SubmissionFile)
        .where(
            SubmissionFile.version_id == draft.id,
            SubmissionFile.storage_name == chosen.storage_name,
        )
        .limit(1)
    )
    if file is None:
        # Another request removed it since the draft was read.
        raise NotFound("There is no such file in your draft.")
    draft.file_count -= 1
    draft.total_bytes -= file.size
    db.session.delete(file)
    db.session.flush()
    still_used = db.session.scalar(
        exists().where(SubmissionFile.storage_name == file.storage_name).select()
    )
    if not still_used:
        storage.delete(file.storage_name)


def submit(
    deliverable: Deliverable, course: Course, user_id: int, now: datetime | None = None
) -> SubmissionVersion:
    """Submit the draft as a new version: late after the due date, refused after the cut-off."""
    now = now or utcnow()
    submission = find_submission(deliverable.id, user_id)
    if submission is None:
        raise DomainError("There is nothing to submit yet.")
    limits = deadlines(deliverable, course, submission)
    _check_open(limits, submission, now)
    draft = draft_of(submission)
    if not draft.text.strip() and draft.file_count == 0:
        raise DomainError("Add some text or a file before submitting.")
    late = limits.due is not None and now > limits.due
    done = rows_changed(
        update(SubmissionVersion)
        .where(SubmissionVersion.id == draft.id, SubmissionVersion.submitted_at.is_(None))
        .values(submitted_at=now, late=late)
        .execution_options(synchronize_session=False)
    )
    if not done:
        raise Conflict("This version was already submitted.")
    db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id)
        .values(submitted_count=draft.number, last_submitted_at=now, reopened=False)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(draft)
    db.session.refresh(submission)
    return draft
