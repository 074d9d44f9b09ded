"""Survey rules: loading from packs, answering once (editable until closing), and results."""

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from course_engine.courses.models import Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.database import utcnow
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db
from course_engine.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from course_engine.surveys.types import QuestionSpec, get_type


def load_survey(
    item: Item,
    questions: list[QuestionSpec],
    *,
    anonymous: bool,
    closes_at: datetime | None,
    render: Callable[[str], str],
) -> Survey:
    """Create or update the item's survey; questions are matched by id, answers are kept."""
    survey = db.session.scalar(select(Survey).where(Survey.item_id == item.id))
    if survey is None:
        survey = Survey(item_id=item.id, course_id=item.course_id)
        db.session.add(survey)
    if survey.anonymous and not anonymous and _has_responses(survey):
        # Answers given under a promise of anonymity stay anonymous.
        anonymous = True
    survey.anonymous = anonymous
    survey.closes_at = closes_at
    db.session.flush()
    existing = {
        q.key: q
        for q in db.session.scalars(
            select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
        )
    }
    for position, spec in enumerate(questions):
        question = existing.pop(spec.key, None)
        if question is None:
            question = SurveyQuestion(survey_id=survey.id, key=spec.key)
            db.session.add(question)
        question.position = position
        question.type = spec.type
        question.text = spec.text
        question.text_html = str(render(spec.text))
        question.options = list(spec.options)
        question.max_choices = spec.max_choices
        question.scale_min, question.scale_max = spec.scale_min, spec.scale_max
        question.min_label, question.max_label = spec.min_label, spec.max_label
        question.archived = False
    for question in existing.values():
        question.archived = True
        question.position = len(questions) + question.position
    db.session.flush()
    return survey


def _has_responses(survey: Survey) -> bool:
    return survey.id is not None and bool(
        db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id)
        )
    )


def survey_of(item: Item) -> Survey:
    """Return the item's survey, or raise NotFound."""
    survey = db.session.scalar(select(Survey).where(Survey.item_id == item.id))
    if survey is None:
        raise NotFound("This survey has not been set up.")
    return survey


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    """Return the questions being asked, in order."""
    return list(
        db.session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.survey_id == survey.id, ~SurveyQuestion.archived)
            .order_by(SurveyQuestion.position)
        )
    )


def is_closed(survey: Survey, now: datetime | None = None) -> bool:
    """Tell whether answers are locked."""
    return survey.closes_at is not None and (now or utcnow()) >= survey.closes_at


def response_of(
    survey: Survey, user_id: int
) -> tuple[SurveyResponse | None, dict[str, list[str | int | None]]]:
    """Return the user's response and their answers as {question key: [values]}."""
    response = db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user_id
        )
    )
    if response is None:
        return None, {}
    answers: dict[str, list[str | int | None]] = {}
    rows = db.session.execute(
        select(SurveyQuestion.key, SurveyQuestion.type, SurveyAnswer)
        .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
        .where(SurveyAnswer.response_id == response.id)
        .order_by(SurveyAnswer.id)
    )
    for key, kind, answer in rows:
        answers.setdefault(key, []).append(get_type(kind).stored_value(answer))
    return response, answers


def _clean(question: SurveyQuestion, values: list[str]) -> list[SurveyAnswer]:
    """Turn one question's submitted values into answers, refusing anything not offered."""
    # NUL cannot be stored (PostgreSQL refuses it) and is never typed by a person.
    values = [value.replace("\x00", "") for value in values]
    values = [value for value in values if value != ""]
    if not values:
        return []
    return get_type(question.type).answers(question, values)


def submit_response(
    user_id: int, item: Item, submitted: Mapping[str, list[str]], now: datetime | None = None
) -> SurveyResponse:
    """Save the learner's one response (a later call edits it) and complete the item."""
    survey = survey_of(item)
    now = now or utcnow()
    if is_closed(survey, now):
        raise Conflict("This survey is closed: answers can no longer be given or changed.")
    questions = questions_of(survey)
    known = {question.key for question in questions}
    if unknown := sorted(set(submitted) - known):
        raise DomainError(f"Unknown question '{unknown[0]}'.")
    answers = [a for q in questions for a in _clean(q, list(submitted.get(q.key, [])))]
    if not answers:
        raise DomainError("Answer at least one question before sending the survey.")
    response = _response_for(survey.id, user_id, now)
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
    for answer in answers:
        answer.response_id = response.id
        db.session.add(answer)
    response.updated_at = now
    set_status(user_id, item, ProgressStatus.DONE)
    db.session.flush()
    return response


def _response_for(survey_id: int, user_id: int, now: datetime) -> SurveyResponse:
    """Return the user's response row, creating it once even when two requests race."""
    query = select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.user_id == user_id
    )
    response = db.session.scalar(query)
    if response is not None:
        return response
    try:
        with db.session.begin_nested():
            response = SurveyResponse(
                survey_id=survey_id, user_id=user_id, submitted_at=now, updated_at=now
            )
            db.session.add(response)
    except IntegrityError:
        # The other request's row: it made the insert fail.
        response = db.session.scalars(query).one()
    return response
