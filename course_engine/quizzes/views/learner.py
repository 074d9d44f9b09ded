"""A learner's path through a quiz: intro, pages of questions, submit, review."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.courses.progress import record_visit
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.quizzes import services
from course_engine.quizzes.models import AttemptState
from course_engine.quizzes.views.blueprint import bp, load_attempt, load_quiz

PREFIX = "/courses/<course_slug>/quizzes/<item_slug>"
ATTEMPT = PREFIX + "/attempts/<int:attempt_id>"


@bp.get(PREFIX + "/")
@login_required
def intro(course_slug: str, item_slug: str):
    """Show the quiz's rules, the learner's attempts and their grade."""
    activity = load_quiz(course_slug, item_slug)
    item, quiz, staff = activity.item, activity.record, activity.staff
    attempts = services.attempts_of(quiz.id, current_user.id)
    record_visit(current_user.id, item)
    db.session.commit()
    return render_template(
        "quizzes/intro.html",
        item=item,
        quiz=quiz,
        staff=staff,
        attempts=attempts,
        grade=services.quiz_percent(quiz.grading_method, attempts),
        left=services.attempts_left(quiz, len(attempts)),
        in_progress=next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None),
        closed=services.availability_problem(quiz, utcnow()),
        percent=services.attempt_percent,
    )


@bp.post(PREFIX + "/start")
@login_required
def start(course_slug: str, item_slug: str):
    """Start an attempt, or go back to the one in progress."""
    quiz = load_quiz(course_slug, item_slug).record
    attempt = services.start_attempt(quiz, current_user.id)
    db.session.commit()
    return redirect(_page_url(course_slug, item_slug, attempt.id, 1))


def _page_url(course_slug: str, item_slug: str, attempt_id: int, page: int) -> str:
    return url_for(
        "quizzes.page",
        course_slug=course_slug,
        item_slug=item_slug,
        attempt_id=attempt_id,
        page=page,
    )


@bp.get(ATTEMPT + "/pages/<int:page>")
@login_required
def page(course_slug: str, item_slug: str, attempt_id: int, page: int):
    """Show one page of questions of the learner's attempt in progress."""
    activity = load_attempt(course_slug, item_slug, attempt_id)
    item, quiz, attempt = activity.item, activity.record.quiz, activity.record.attempt
    if attempt.state != AttemptState.IN_PROGRESS:
        flash(services.finished_message(attempt), "info")
        return redirect(url_for("quizzes.review", **_ids(course_slug, item_slug, attempt_id)))
    rows, pages = services.load_page(attempt, quiz.per_page, page)
    return render_template(
        "quizzes/page.html",
        item=item,
        quiz=quiz,
        attempt=attempt,
        rows=rows,
        page=page,
        pages=pages,
        grace=services.GRACE,
    )


def _ids(course_slug: str, item_slug: str, attempt_id: int) -> dict:
    return {"course_slug": course_slug, "item_slug": item_slug, "attempt_id": attempt_id}


@bp.post(ATTEMPT + "/pages/<int:page>")
@login_required
def save_page(course_slug: str, item_slug: str, attempt_id: int, page: int):
    """Save a page's answers, then go to the page asked for or to the submit page."""
    activity = load_attempt(course_slug, item_slug, attempt_id)
    quiz, attempt = activity.record.quiz, activity.record.attempt
    rows, pages = services.load_page(attempt, quiz.per_page, page)
    services.save_page(attempt, rows, request.form.to_dict(flat=False))
    db.session.commit()
    action = request.form.get("action", "")
    if action == "finish":
        return redirect(
            url_for("quizzes.confirm_submit", **_ids(course_slug, item_slug, attempt_id))
        )
    target = {"previous": page - 1, "next": page + 1}.get(action, page)
    if "goto" in request.form:
        target = request.form.get("goto", page, type=int)
    target = min(max(target, 1), pages)
    return redirect(_page_url(course_slug, item_slug, attempt_id, target))


@bp.get(ATTEMPT + "/submit")
@login_required
def confirm_submit(course_slug: str, item_slug: str, attempt_id: int):
    """Show which questions are answered and ask the learner to confirm the submit."""
    activity = load_attempt(course_slug, item_slug, attempt_id)
    item, quiz, attempt = activity.item, activity.record.quiz, activity.record.attempt
    if attempt.state != AttemptState.IN_PROGRESS:
        flash(services.finished_message(attempt), "info")
        return redirect(url_for("quizzes.review", **_ids(course_slug, item_slug, attempt_id)))
    rows = services.load_questions(attempt)
    return render_template("quizzes/confirm.html", item=item, quiz=quiz, attempt=attempt, rows=rows)


@bp.post(ATTEMPT + "/submit")
@login_required
def submit(course_slug: str, item_slug: str, attempt_id: int):
    """Submit and grade the attempt once, however many times the button is pressed."""
    attempt = load_attempt(course_slug, item_slug, attempt_id).record.attempt
    submitted = services.submit_attempt(attempt)
    db.session.commit()
    if not submitted or attempt.auto_submitted:
        flash(services.finished_message(attempt), "warning")
    else:
        flash("Your attempt was submitted.", "success")
    return redirect(url_for("quizzes.review", **_ids(course_slug, item_slug, attempt_id)))


@bp.get(ATTEMPT + "/review")
@login_required
def review(course_slug: str, item_slug: str, attempt_id: int):
    """Show a submitted attempt: responses, marks and, when the quiz allows, feedback."""
    activity = load_attempt(course_slug, item_slug, attempt_id, answering=False)
    quiz, attempt, staff = activity.record.quiz, activity.record.attempt, activity.staff
    if attempt.state == AttemptState.IN_PROGRESS:
        if attempt.user_id == current_user.id:
            return redirect(_page_url(course_slug, item_slug, attempt_id, 1))
        flash("This attempt is still in progress.", "info")
    show_feedback = services.feedback_visible(quiz, utcnow(), staff=staff)
    return render_template(
        "quizzes/review.html",
        item=activity.item,
        quiz=quiz,
        attempt=attempt,
        staff=staff,
        entries=services.review(attempt, show_feedback),
        show_feedback=show_feedback,
        percent=services.attempt_percent(attempt),
    )
