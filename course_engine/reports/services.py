"""The facilitator dashboard, built in a fixed number of grouped queries.

Ten queries whatever the size of the cohort and of the course: the groups,
the countries, the outline, the learners, their progress grouped by learner,
the deadline extensions, module completion, quiz score bins, grading counts
and survey responses. Nothing here runs a query per learner or per item.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Course, Enrolment
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.reports import activities, progress
from course_engine.reports.activities import DeliverableRow, ModuleRow, QuizRow, SurveyRow
from course_engine.reports.filters import Filters, Status
from course_engine.reports.progress import LearnerRow, ReportItem
from course_engine.roles import Role


@dataclass
class Dashboard:
    learners: list[LearnerRow]
    summary: dict[Status, int]
    modules: list[ModuleRow]
    quizzes: list[QuizRow]
    deliverables: list[DeliverableRow]
    surveys: list[SurveyRow]
    total_required: int

    def listed(self, status: Status | None) -> list[LearnerRow]:
        """Return the learners the table shows: all, or those with one status."""
        return [row for row in self.learners if status is None or row.status == status]


def groups(course_id: int) -> list[tuple[int, str]]:
    """Return the course's cohort groups as (id, name)."""
    query = select(CohortGroup.id, CohortGroup.name).where(CohortGroup.course_id == course_id)
    return [
        (group_id, name) for group_id, name in db.session.execute(query.order_by(CohortGroup.name))
    ]


def countries(course_id: int) -> list[str]:
    """Return the countries the course's learners come from."""
    return list(
        db.session.scalars(
            select(User.country)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(
                Enrolment.course_id == course_id,
                Enrolment.role == Role.LEARNER,
                User.country != "",
            )
            .distinct()
            .order_by(User.country)
        )
    )


def dashboard(course: Course, filters: Filters, now: datetime | None = None) -> Dashboard:
    """Return the course's dashboard for the learners the filters pick, in eight queries."""
    now = now or utcnow()
    modules, items = progress.outline(course)
    required = {item.id: item for item in items if item.required}
    overdue_ids = {
        item.id
        for item in required.values()
        if item.kind == "deliverable" and item.due is not None and item.due < now
    }
    learners = progress.learners(course.id, filters, overdue_ids, len(required))
    changes = progress.deadline_changes(course, required, overdue_ids, now)
    summary = dict.fromkeys(Status, 0)
    for row in learners:
        row.overdue += changes.get(row.user_id, 0)
        row.status = progress.status_of(row)
        summary[row.status] += 1

    def of_kind(kind: str) -> list[ReportItem]:
        return [item for item in items if item.kind == kind]

    return Dashboard(
        learners=learners,
        summary=summary,
        modules=activities.module_completion(course.id, filters, modules, items, len(learners)),
        quizzes=activities.quiz_bins(course.id, filters, of_kind("quiz")),
        deliverables=activities.grading_counts(course.id, filters, of_kind("deliverable")),
        surveys=activities.survey_counts(course.id, filters, of_kind("survey"), len(learners)),
        total_required=len(required),
    )
