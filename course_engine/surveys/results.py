"""Survey results for facilitators: counts overall and by country, texts, and CSV export.

For anonymous surveys nothing is joined to the people who answered: no names,
no countries, and texts and rows come back sorted rather than in answer order.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from course_engine.auth.models import User
from course_engine.csv_export import csv_line
from course_engine.extensions import db
from course_engine.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from course_engine.surveys.services import questions_of
from course_engine.surveys.types import QUESTION_TYPES, BaseSurveyQuestionType, get_type

NO_COUNTRY = "Not given"
# At least 3:1 contrast on white, as WCAG asks of graphics.
BAR_COLOUR = "#0d6efd"
SEVERAL_ANSWER_TYPES = [name for name, kind in QUESTION_TYPES.items() if kind.several_answers]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    # label -> count, in the order the options (or scale points) are offered
    counts: dict[str, int] = field(default_factory=dict)
    # country -> label -> count
    by_country: dict[str, dict[str, int]] = field(default_factory=dict)
    answered: int = 0
    # (name, country, text); name and country are "" for anonymous surveys
    texts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def question_type(self) -> BaseSurveyQuestionType:
        return get_type(self.question.type)

    @property
    def mean(self) -> float | None:
        return self.question_type.mean(self.counts)

    @property
    def peak(self) -> int:
        return max(self.counts.values(), default=0) or 1


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]
    # country -> responses; empty for anonymous surveys, which are never split by person
    by_country: dict[str, int]

    @property
    def countries(self) -> list[str]:
        return [] if self.survey.anonymous else list(self.by_country)


def _labels(question: SurveyQuestion) -> list[str]:
    return get_type(question.type).labels(question)


def results(survey: Survey) -> SurveyResults:
    """Return counts per option, overall and by country, and the text answers, in 4 queries."""
    named = not survey.anonymous
    questions = questions_of(survey)
    found = {q.id: QuestionResult(q, counts=dict.fromkeys(_labels(q), 0)) for q in questions}
    columns = [SurveyAnswer.question_id, SurveyAnswer.choice, SurveyAnswer.rating]
    if named:
        columns.append(User.country)
    query = (
        select(*columns, func.count())
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.text == "")
        .group_by(*columns)
    )
    if named:
        query = query.join(User, User.id == SurveyResponse.user_id)
    for *keys, count in db.session.execute(query):
        question_id, choice, rating, place = keys if named else (*keys, None)
        result = found.get(question_id)
        if result is None:
            continue
        label = str(rating) if rating is not None else choice
        result.counts[label] = result.counts.get(label, 0) + count
        # Several answers of one response count once, in _count_several_and_texts.
        result.answered += 0 if result.question_type.several_answers else count
        if place is not None:
            per = result.by_country.setdefault(
                place or NO_COUNTRY, dict.fromkeys(_labels(result.question), 0)
            )
            per[label] = per.get(label, 0) + count
    _count_several_and_texts(survey, found, named)
    respondents = _respondents(survey, named)
    return SurveyResults(survey, sum(respondents.values()), list(found.values()), respondents)


def _respondents(survey: Survey, named: bool) -> dict[str, int]:
    """Return the number of responses per country ({"": n} for anonymous surveys)."""
    if not named:
        total = db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
        )
        return {"": total or 0} if total else {}
    rows = db.session.execute(
        select(User.country, func.count(SurveyResponse.id))
        .join(User, User.id == SurveyResponse.user_id)
        .where(SurveyResponse.survey_id == survey.id)
        .group_by(User.country)
    )
    return dict(sorted((place or NO_COUNTRY, count) for place, count in rows))


def _count_several_and_texts(survey: Survey, found: dict[int, QuestionResult], named: bool) -> None:
    """Count who answered questions that take several answers, and collect text answers."""
    answered = db.session.execute(
        select(SurveyAnswer.question_id, func.count(func.distinct(SurveyAnswer.response_id)))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(
            SurveyResponse.survey_id == survey.id,
            SurveyQuestion.type.in_(SEVERAL_ANSWER_TYPES),
        )
        .group_by(SurveyAnswer.question_id)
    )
    for question_id, count in answered:
        if question_id in found:
            found[question_id].answered = count
    query = (
        select(SurveyAnswer.question_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.text != "")
    )
    if named:
        query = query.join(User, User.id == SurveyResponse.user_id).add_columns(
            User.display_name, User.country
        )
        query = query.order_by(User.display_name, SurveyAnswer.id)
    else:
        query = query.order_by(SurveyAnswer.text)
    # The name and country of who wrote it, for named surveys.
    who: list[str]
    for question_id, text, *who in db.session.execute(query):
        if question_id in found:
            name, place = who if named else ("", "")
            found[question_id].texts.append((name, (place or NO_COUNTRY) if named else "", text))
            found[question_id].answered += 1


def count_bars(counts: dict[str, int]) -> list[tuple]:
    """Return the chart bars of an answer count: one per answer, its count shown."""
    return [(answer, count, str(count), BAR_COLOUR) for answer, count in counts.items()]


def export_csv(survey: Survey) -> str:
    """Return every response as CSV: one row per response, one column per question.

    Anonymous surveys have no name, email, country or time columns, and their
    rows are sorted by content so that their order reveals nothing.
    """
    named = not survey.anonymous
    questions = questions_of(survey)
    positions = {q.id: index for index, q in enumerate(questions)}
    query = (
        select(
            SurveyResponse.id,
            SurveyAnswer.question_id,
            SurveyAnswer.choice,
            SurveyAnswer.rating,
            SurveyAnswer.text,
        )
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id, SurveyAnswer.id)
    )
    rows: dict[int, list[list[str]]] = {}
    for response_id, question_id, choice, rating, text in db.session.execute(query):
        if question_id not in positions:
            continue
        given = rows.setdefault(response_id, [[] for _ in questions])
        value = str(rating) if rating is not None else (text or choice)
        given[positions[question_id]].append(value)
    answers = {rid: ["; ".join(cell) for cell in given] for rid, given in rows.items()}
    lines = []
    header = [q.key for q in questions]
    if named:
        people = db.session.execute(
            select(
                SurveyResponse.id,
                User.display_name,
                User.email,
                User.country,
                SurveyResponse.updated_at,
            )
            .join(User, User.id == SurveyResponse.user_id)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(User.display_name, SurveyResponse.id)
        ).all()
        lines.append(csv_line(["name", "email", "country", "updated_at_utc", *header]))
        for response_id, name, email, place, updated in people:
            cells = answers.get(response_id, [""] * len(questions))
            line = [name, email, place, updated.isoformat(timespec="seconds"), *cells]
            lines.append(csv_line(line))
    else:
        lines.append(csv_line(header))
        for cells in sorted(answers.values()):
            lines.append(csv_line(cells))
    return "".join(lines)
