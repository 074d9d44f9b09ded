"""Per-module, per-quiz, per-deliverable and per-survey counts for the learners picked.

Each function is one grouped query whatever the number of learners and items.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from course_engine.courses.models import Item, ItemProgress, Module, Track
from course_engine.deliverables.models import Assessment, AssessmentState, Deliverable, Submission
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.reports.progress import (
    ReportItem,
    counted,
    join_learners,
    required_done,
    visible,
)
from course_engine.surveys.models import Survey, SurveyResponse

QUIZ_CATEGORY = "quizzes"
BINS = 10


@dataclass
class ModuleRow:
    title: str
    required: int
    completed: int
    learners: int

    @property
    def percent(self) -> float:
        return round(100 * self.completed / self.learners, 1) if self.learners else 0.0


@dataclass
class QuizRow:
    item: ReportItem
    bins: list[int] = field(default_factory=lambda: [0] * BINS)

    @property
    def graded(self) -> int:
        return sum(self.bins)


@dataclass
class DeliverableRow:
    item: ReportItem
    submitted: int = 0
    to_grade: int = 0
    draft: int = 0
    released: int = 0


@dataclass
class SurveyRow:
    item: ReportItem
    responses: int
    learners: int


def module_completion(course_id, filters, modules, items, learners: int) -> list[ModuleRow]:
    """Return, per module, how many learners completed all its required items."""
    per_learner = visible(
        select(ItemProgress.user_id, Item.module_id, func.count().label("done"))
        .join(Item, Item.id == ItemProgress.item_id)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(ItemProgress.course_id == course_id, required_done())
    ).group_by(ItemProgress.user_id, Item.module_id)
    per_learner = join_learners(per_learner, ItemProgress.user_id, course_id, filters).subquery()
    counts = db.session.execute(
        select(per_learner.c.module_id, per_learner.c.done, func.count()).group_by(
            per_learner.c.module_id, per_learner.c.done
        )
    )
    required = {module_id: 0 for module_id, _ in modules}
    for item in items:
        required[item.module_id] += item.required
    completed = dict.fromkeys(required, 0)
    for module_id, done, count in counts:
        if module_id in required and required[module_id] and done >= required[module_id]:
            completed[module_id] += count
    return [
        ModuleRow(title, required[module_id], completed[module_id], learners)
        for module_id, title in modules
        if required[module_id]
    ]


def quiz_bins(course_id, filters, quizzes: list[ReportItem]) -> list[QuizRow]:
    """Return each quiz's grades counted in ten 10-point bins (90-100 is the last)."""
    rows = {item.id: QuizRow(item) for item in quizzes}
    percent = 100.0 * Grade.score / Grade.max_score
    bin_ = case(*((percent >= 10 * n, n) for n in range(BINS - 1, 0, -1)), else_=0)
    graded = select(Grade.item_id, bin_.label("bin")).where(
        Grade.course_id == course_id,
        Grade.category == QUIZ_CATEGORY,
        Grade.max_score > 0,
        Grade.item_id.in_(list(rows)),
    )
    graded = join_learners(graded, Grade.user_id, course_id, filters).subquery()
    counts = db.session.execute(
        select(graded.c.item_id, graded.c.bin, func.count()).group_by(
            graded.c.item_id, graded.c.bin
        )
    )
    for item_id, number, count in counts:
        rows[item_id].bins[number] = count
    return list(rows.values())


def grading_counts(course_id, filters, items: list[ReportItem]) -> list[DeliverableRow]:
    """Return each deliverable's submitted work by grading state, as its grading queue shows it.

    Reads the deliverables' tables directly: their service builds the queue
    of one deliverable at a time, and this needs every deliverable at once.
    """
    rows = {item.id: DeliverableRow(item) for item in items}
    current = Assessment.version_number >= Submission.submitted_count
    query = (
        select(
            Deliverable.item_id,
            func.count(Submission.id),
            counted(or_(Assessment.id.is_(None), ~current)),
            counted(and_(current, Assessment.state == AssessmentState.DRAFT)),
            counted(and_(current, Assessment.state == AssessmentState.RELEASED)),
        )
        .join(Submission, Submission.deliverable_id == Deliverable.id)
        .outerjoin(Assessment, Assessment.submission_id == Submission.id)
        .where(Deliverable.course_id == course_id, Submission.submitted_count > 0)
        .group_by(Deliverable.item_id)
    )
    query = join_learners(query, Submission.user_id, course_id, filters)
    for item_id, *counts in db.session.execute(query):
        if item_id in rows:
            row = rows[item_id]
            row.submitted, row.to_grade, row.draft, row.released = counts
    return list(rows.values())


def survey_counts(course_id, filters, items: list[ReportItem], learners: int) -> list[SurveyRow]:
    """Return each survey's number of responses from the learners counted."""
    query = (
        select(Survey.item_id, func.count(SurveyResponse.id))
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)
        .where(Survey.course_id == course_id)
        .group_by(Survey.item_id)
    )
    query = join_learners(query, SurveyResponse.user_id, course_id, filters)
    counts = dict(db.session.execute(query).all())
    return [SurveyRow(item, counts.get(item.id, 0), learners) for item in items]
