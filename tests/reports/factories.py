"""Builders of report data: a bigger example course and a cohort of any size.

`build_cohort` writes learners with varied progress, quiz grades, submitted
and graded deliverables and survey responses in a few bulk INSERTs, so the
benchmark can seed 2,000 learners quickly (it needs an app context).
"""

import secrets
import shutil
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert, select

from course_engine.auth.models import User
from course_engine.courses.models import (
    CohortGroup,
    Enrolment,
    Item,
    ItemProgress,
    Module,
    ProgressStatus,
    Track,
)
from course_engine.courses.services import get_course
from course_engine.database import utcnow
from course_engine.deliverables.models import (
    Assessment,
    AssessmentState,
    Deliverable,
    Submission,
    SubmissionVersion,
)
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.surveys.models import Survey, SurveyResponse

COUNTRIES = ("Barbados", "Belize", "Jamaica", "Guyana", "Saint Lucia")
GROUPS = ("Group A", "Group B", "Group C")


def write_big_pack(folder: Path, source: Path, *, course_id="big-course", extra_modules=4) -> Path:
    """Copy the example pack into folder with more modules, each with a lesson,
    a quiz, a deliverable and a survey; return the folder."""
    shutil.copytree(source, folder)
    manifest_file = folder / "course.yaml"
    manifest = yaml.safe_load(manifest_file.read_text())
    manifest["id"] = course_id
    modules = manifest["tracks"][0]["modules"]
    for number in range(1, extra_modules + 1):
        modules.append(
            {
                "id": f"extra-{number}",
                "title": f"Extra module {number}",
                "items": [
                    {
                        "id": f"extra-{number}-lesson",
                        "kind": "page",
                        "title": f"Extra lesson {number}",
                        "file": "lessons/welcome.md",
                    },
                    {
                        "id": f"extra-{number}-quiz",
                        "kind": "quiz",
                        "title": f"Extra quiz {number}",
                        "file": "quizzes/basics.yaml",
                    },
                    {
                        "id": f"extra-{number}-work",
                        "kind": "deliverable",
                        "title": f"Extra deliverable {number}",
                        "instructions": "deliverables/service-sketch.md",
                        "due_days": 7 * number,
                    },
                    {
                        "id": f"extra-{number}-survey",
                        "kind": "survey",
                        "title": f"Extra survey {number}",
                        "file": "surveys/needs.yaml",
                    },
                ],
            }
        )
    manifest_file.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


def _required_items(course_id: int) -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(Item.id, Item.kind)
            .join(Module, Module.id == Item.module_id)
            .join(Track, Track.id == Module.track_id)
            .where(Item.course_id == course_id, Item.required, ~Item.archived)
            .order_by(Track.position, Module.position, Item.position)
        ).all()
    )


def _users(count: int, prefix: str) -> list[int]:
    emails = [f"{prefix}{number}@cohort.example" for number in range(count)]
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "display_name": f"{prefix.title()} {number:05d}",
                "password_hash": None,
                "session_token": secrets.token_urlsafe(32),
                "country": COUNTRIES[number % len(COUNTRIES)],
                "organisation": "",
                "job_title": "",
                "language": "en",
                "is_admin": False,
                "active": True,
            }
            for number, email in enumerate(emails)
        ],
    )
    query = select(User.email, User.id).where(User.email.in_(emails))
    by_email = dict(db.session.execute(query).all())
    return [by_email[email] for email in emails]


def _groups(course_id: int) -> list[int]:
    groups = [CohortGroup(course_id=course_id, name=name) for name in GROUPS]
    db.session.add_all(groups)
    db.session.flush()
    return [group.id for group in groups]


def _bulk(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def build_cohort(course_slug: str, learners: int, *, prefix: str = "learner") -> list[int]:
    """Enrol `learners` new learners in the course with varied progress and work; commit.

    Learner n has done the first n mod (required items + 1) required items in
    outline order (so some have not started and some are complete), a quiz
    grade spread over 0-100 for each quiz done, a submission for each
    deliverable done (ungraded, graded as a draft and released in turn) and
    a response for each survey done. Call it once per course (it makes the
    groups "Group A" to "Group C"); use another prefix for a second cohort.
    Returns the user ids.
    """
    course = get_course(course_slug)
    items = _required_items(course.id)
    user_ids = _users(learners, prefix)
    group_ids = _groups(course.id)
    _bulk(
        Enrolment,
        [
            {
                "user_id": user_id,
                "course_id": course.id,
                "role": "learner",
                "group_id": group_ids[number % len(group_ids)],
            }
            for number, user_id in enumerate(user_ids)
        ],
    )
    deliverables = dict(
        db.session.execute(
            select(Deliverable.item_id, Deliverable.id).where(Deliverable.course_id == course.id)
        ).all()
    )
    surveys = dict(
        db.session.execute(
            select(Survey.item_id, Survey.id).where(Survey.course_id == course.id)
        ).all()
    )
    now = utcnow()
    progress, grades, submissions, responses = [], [], [], []
    for number, user_id in enumerate(user_ids):
        when = now - timedelta(hours=number)
        for item_id, kind in items[: number % (len(items) + 1)]:
            progress.append(
                {
                    "user_id": user_id,
                    "item_id": item_id,
                    "course_id": course.id,
                    "status": ProgressStatus.DONE,
                    "updated_at": when,
                    "completed_at": when,
                }
            )
            if kind == "quiz":
                grades.append(
                    {
                        "user_id": user_id,
                        "item_id": item_id,
                        "course_id": course.id,
                        "score": float((number * 37 + item_id) % 101),
                        "max_score": 100.0,
                        "category": "quizzes",
                        "released": True,
                        "updated_at": when,
                    }
                )
            elif kind == "deliverable" and item_id in deliverables:
                submissions.append(
                    {
                        "deliverable_id": deliverables[item_id],
                        "user_id": user_id,
                        "pseudonym": 1000 + number,
                        "submitted_count": 1,
                        "last_submitted_at": when,
                        "reopened": False,
                        "created_at": when,
                    }
                )
            elif kind == "survey" and item_id in surveys:
                responses.append(
                    {
                        "survey_id": surveys[item_id],
                        "user_id": user_id,
                        "submitted_at": when,
                        "updated_at": when,
                    }
                )
    _bulk(ItemProgress, progress)
    _bulk(Grade, grades)
    _bulk(Submission, submissions)
    _bulk(SurveyResponse, responses)
    _versions_and_assessments(list(deliverables.values()), user_ids, len(items) + 1, now)
    db.session.commit()
    return user_ids


def _versions_and_assessments(deliverable_ids, user_ids: list[int], period: int, now) -> None:
    # Learners n and n + period have done the same items: grade them differently.
    rows = db.session.execute(
        select(Submission.id, Submission.user_id).where(
            Submission.deliverable_id.in_(deliverable_ids), Submission.user_id.in_(user_ids)
        )
    ).all()
    position = {user_id: number for number, user_id in enumerate(user_ids)}
    _bulk(
        SubmissionVersion,
        [
            {
                "submission_id": submission_id,
                "number": 1,
                "text": "Submitted work",
                "file_count": 0,
                "total_bytes": 0,
                "submitted_at": now,
                "late": False,
                "updated_at": now,
            }
            for submission_id, _ in rows
        ],
    )
    states = (None, AssessmentState.DRAFT, AssessmentState.RELEASED)
    _bulk(
        Assessment,
        [
            {
                "submission_id": submission_id,
                "version_number": 1,
                "levels": {},
                "score": 2.0,
                "max_score": 2.0,
                "feedback": "",
                "feedback_html": "",
                "state": state,
                "released_at": now if state == AssessmentState.RELEASED else None,
                "updated_at": now,
                "lock_version": 1,
            }
            for submission_id, user_id in rows
            if (state := states[position[user_id] // period % 3]) is not None
        ],
    )
