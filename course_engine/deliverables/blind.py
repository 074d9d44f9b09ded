"""Blind marking: the one rule for what staff may see of a submission's author.

Under blind marking, until the submission's grade is released, staff see its
author only as a pseudonym ("Participant 4821"): not the name, email,
country, organisation or cohort group, on any page, CSV or email, nor the
names the learner gave their files (they often hold a name). Learners
with no submission have no pseudonym, so staff see only how many there are.
Once the grade is released, staff see the author as usual.
"""

import os
from dataclasses import dataclass
from typing import overload

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Enrolment
from course_engine.deliverables.models import (
    Assessment,
    AssessmentState,
    Deliverable,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from course_engine.extensions import db


@dataclass(frozen=True)
class StaffAuthor:
    """What staff may see of a submission's author."""

    label: str
    email: str = ""
    country: str = ""
    organisation: str = ""
    group: str | None = None
    hidden: bool = False


def pseudonym(submission: Submission) -> str:
    """Return the stable name staff see for the author of a blind-marked submission."""
    return f"Participant {submission.pseudonym}"


def hides_author(deliverable: Deliverable, assessment: Assessment | None) -> bool:
    """Tell whether staff see a pseudonym instead of who wrote the submission."""
    released = assessment is not None and assessment.state == AssessmentState.RELEASED
    return deliverable.blind_marking and not released


@overload
def staff_author(
    deliverable: Deliverable,
    submission: Submission,
    assessment: Assessment | None,
    user: User,
    group: str | None = None,
) -> StaffAuthor: ...


@overload
def staff_author(
    deliverable: Deliverable,
    submission: Submission | None,
    assessment: Assessment | None,
    user: User,
    group: str | None = None,
) -> StaffAuthor | None: ...


def staff_author(
    deliverable: Deliverable,
    submission: Submission | None,
    assessment: Assessment | None,
    user: User,
    group: str | None = None,
) -> StaffAuthor | None:
    """Return what staff may see of a learner as an author; None when they may only count them."""
    if hides_author(deliverable, assessment):
        return None if submission is None else StaffAuthor(pseudonym(submission), hidden=True)
    return StaffAuthor(
        user.display_name, user.email, user.country or "", user.organisation or "", group
    )


def staff_authors(
    deliverable: Deliverable, submissions: list[Submission]
) -> dict[int, StaffAuthor]:
    """Return what staff may see of each submission's author, by submission id, in 3 queries."""
    ids = [submission.id for submission in submissions]
    user_ids = {submission.user_id for submission in submissions}
    assessments = {
        a.submission_id: a
        for a in db.session.scalars(select(Assessment).where(Assessment.submission_id.in_(ids)))
    }
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    groups = dict(
        db.session.execute(
            select(Enrolment.user_id, CohortGroup.name)
            .join(CohortGroup, CohortGroup.id == Enrolment.group_id)
            .where(Enrolment.course_id == deliverable.course_id, Enrolment.user_id.in_(user_ids))
        ).all()
    )
    return {
        s.id: staff_author(
            deliverable, s, assessments.get(s.id), users[s.user_id], groups.get(s.user_id)
        )
        for s in submissions
    }


def file_name(author: StaffAuthor, file: SubmissionFile) -> str:
    """Return a submitted file's name as staff see it: neutral while its author is hidden."""
    if not author.hidden:
        return file.display_name
    return f"file-{file.id}{os.path.splitext(file.display_name)[1].lower()}"


def staff_download_name(deliverable: Deliverable, file: SubmissionFile) -> str:
    """Return the name a submitted file is sent to staff under."""
    # Every file belongs to a version of a submission.
    submission = db.session.scalars(
        select(Submission)
        .join(SubmissionVersion, SubmissionVersion.submission_id == Submission.id)
        .where(SubmissionVersion.id == file.version_id)
    ).one()
    return file_name(staff_authors(deliverable, [submission])[submission.id], file)
