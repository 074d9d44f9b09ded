"""Storing parsed questions: from a pack's question file, or from a GIFT question bank.

Questions are matched by key and answers by position, so re-importing a
fixed file updates rows in place; nothing is deleted, so attempts keep
pointing at what they answered. Questions gone from the file are retired.
"""

from markupsafe import Markup, escape
from sqlalchemy import func, select

from course_engine import dates
from course_engine.courses.models import Item
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.quizzes.gift import MAX_QUESTIONS, parse_gift
from course_engine.quizzes.models import (
    Answer,
    FeedbackTiming,
    GradingMethod,
    Question,
    QuestionSource,
    Quiz,
)
from course_engine.quizzes.questions import ParsedQuestion, QuestionError
from course_engine.quizzes.types import get_type
from course_engine.rendering import render_markdown

BANK_FIRST_POSITION = 10_000


class GiftInvalid(DomainError):
    """A question bank with errors; nothing was imported."""

    def __init__(self, errors: list[QuestionError]):
        super().__init__(f"The file has {len(errors)} error(s); nothing was imported.")
        self.errors = errors


def render_text(text: str, text_format: str = "markdown") -> str:
    """Return safe HTML for question text in its format (HTML is sanitised like Markdown)."""
    if not text:
        return ""
    if text_format == "plain":
        return str(Markup("<p>") + escape(text).replace("\n", Markup("<br>")) + Markup("</p>"))
    return str(render_markdown(text))


def upsert_quiz(item: Item, entry: dict) -> Quiz:
    """Create or update the quiz settings of an item from its manifest entry."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.item_id == item.id))
    if quiz is None:
        quiz = Quiz(item_id=item.id, course_id=item.course_id)
        db.session.add(quiz)
    quiz.intro_html = render_text(entry.get("intro", ""))
    quiz.attempts_allowed = entry.get("attempts", 0)
    quiz.grading_method = GradingMethod(entry.get("grading", "highest"))
    quiz.time_limit_minutes = entry.get("time_limit_minutes")
    quiz.pass_percent = float(entry.get("pass_percent", 60))
    quiz.shuffle_questions = entry.get("shuffle_questions", False)
    quiz.shuffle_answers = entry.get("shuffle_answers", False)
    quiz.feedback = FeedbackTiming(entry.get("feedback", "immediately"))
    quiz.per_page = entry.get("per_page", 1)
    quiz.opens_at = dates.parse_start(entry.get("opens"))
    quiz.closes_at = dates.parse_end(entry.get("closes"))
    db.session.flush()
    return quiz


def _store(
    quiz: Quiz,
    parsed: list[ParsedQuestion],
    source: QuestionSource,
    first_position: int,
    existing: dict[str, Question],
) -> None:
    """Insert or update the parsed questions and their answers, in a fixed number of queries."""
    for position, question_data in enumerate(parsed, start=first_position):
        question = existing.get(question_data.key)
        if question is None:
            question = Question(quiz_id=quiz.id, key=question_data.key)
            db.session.add(question)
            existing[question.key] = question
        question.source = source
        question.type = question_data.type
        question.name = question_data.name[:200]
        question.category = (question_data.category or "")[:200]
        question.text_html = render_text(question_data.text, question_data.text_format)
        question.general_feedback_html = render_text(question_data.general_feedback)
        question.guidance_html = render_text(question_data.guidance)
        question.points = question_data.points
        question.position = position
        question.retired = False
    db.session.flush()
    ids = [existing[q.key].id for q in parsed]
    answers: dict[tuple[int, int], Answer] = {
        (answer.question_id, answer.position): answer
        for answer in db.session.scalars(select(Answer).where(Answer.question_id.in_(ids)))
    }
    for question_data in parsed:
        question_id = existing[question_data.key].id
        rows = get_type(question_data.type).answer_rows(question_data)
        for position, row in enumerate(rows):
            answer = answers.get((question_id, position))
            if answer is None:
                answer = Answer(question_id=question_id, position=position)
                db.session.add(answer)
            for name, value in row.items():
                setattr(answer, name, value)
            answer.retired = False
        for (owner, position), answer in answers.items():
            if owner == question_id and position >= len(rows):
                answer.retired = True
    db.session.flush()


def _questions_by_key(quiz: Quiz) -> dict[str, Question]:
    return {
        q.key: q for q in db.session.scalars(select(Question).where(Question.quiz_id == quiz.id))
    }


def sync_pack_questions(quiz: Quiz, parsed: list[ParsedQuestion]) -> None:
    """Make the quiz's pack questions those of the file; retire pack questions that left it."""
    existing = _questions_by_key(quiz)
    _store(quiz, parsed, QuestionSource.PACK, 0, existing)
    kept = {q.key for q in parsed}
    for question in existing.values():
        if question.source == QuestionSource.PACK and question.key not in kept:
            question.retired = True
    db.session.flush()


def import_gift_bank(
    quiz: Quiz, text: str, filename: str, max_questions: int = MAX_QUESTIONS
) -> int:
    """Add or update the questions of a GIFT bank in a quiz; all or nothing.

    Bank questions come after the pack's own; a bank may not reuse the key of
    a pack question; a bank of more than max_questions questions is refused.
    Return the number of questions imported.
    """
    questions, errors = parse_gift(text, filename, max_questions)
    if not errors and not questions:
        errors = [QuestionError(1, "the file holds no questions", filename)]
    existing = _questions_by_key(quiz)
    for question in questions:
        held = existing.get(question.key)
        if held is not None and held.source == QuestionSource.PACK and not held.retired:
            message = f"the key `{question.key}` is already a question of the pack; retitle it"
            errors.append(QuestionError(question.line, message, filename))
    if errors:
        raise GiftInvalid(sorted(errors, key=lambda error: error.line))
    last = db.session.scalar(select(func.max(Question.position)).where(Question.quiz_id == quiz.id))
    _store(
        quiz, questions, QuestionSource.BANK, max(BANK_FIRST_POSITION, (last or 0) + 1), existing
    )
    return len(questions)
