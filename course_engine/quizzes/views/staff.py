"""Facilitators' quiz pages: attempts per learner, essay grading, statistics, export, regrade."""

from decimal import Decimal
from typing import cast

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.csv_export import csv_response
from course_engine.extensions import db
from course_engine.quizzes import services
from course_engine.quizzes.forms import EssayGradeForm
from course_engine.quizzes.services import reports
from course_engine.quizzes.views.blueprint import bp, load_quiz
from course_engine.quizzes.views.learner import PREFIX


@bp.get(PREFIX + "/results")
@login_required
def results(course_slug: str, item_slug: str):
    """List every learner with their attempts and quiz grade."""
    activity = load_quiz(course_slug, item_slug, staff_only=True)
    item, quiz = activity.item, activity.record
    return render_template(
        "quizzes/results.html",
        item=item,
        quiz=quiz,
        learners=services.results(quiz),
        waiting=len(services.essay_queue(quiz)),
        percent=services.attempt_percent,
    )


@bp.post(PREFIX + "/regrade")
@login_required
def regrade(course_slug: str, item_slug: str):
    """Grade every submitted attempt again with the questions as they are now."""
    activity = load_quiz(course_slug, item_slug, staff_only=True)
    item, quiz = activity.item, activity.record
    count = services.regrade_quiz(quiz)
    record(current_user.id, "quiz.regrade", course_id=item.course_id, target=f"item:{item.id}")
    db.session.commit()
    flash(f"{count} attempt(s) were graded again.", "success")
    return redirect(url_for("quizzes.results", course_slug=course_slug, item_slug=item_slug))


@bp.get(PREFIX + "/essays")
@login_required
def essays(course_slug: str, item_slug: str):
    """List the essay answers waiting for a grade."""
    activity = load_quiz(course_slug, item_slug, staff_only=True)
    item, quiz = activity.item, activity.record
    return render_template(
        "quizzes/essays.html", item=item, quiz=quiz, queue=services.essay_queue(quiz)
    )


@bp.route(PREFIX + "/essays/<int:answer_id>", methods=["GET", "POST"])
@login_required
def grade_essay(course_slug: str, item_slug: str, answer_id: int):
    """Show an essay answer with the grader's guidance, and save its marks."""
    activity = load_quiz(course_slug, item_slug, staff_only=True)
    item, quiz = activity.item, activity.record
    slot, attempt, question = services.essay_answer(quiz, answer_id)
    form = EssayGradeForm()
    if form.validate_on_submit():
        services.grade_essay(
            quiz,
            answer_id,
            # InputRequired refused an empty mark, so there is a number.
            float(cast(Decimal, form.marks.data)),
            form.comment.data or "",
            current_user.id,
        )
        db.session.commit()
        flash("The essay was graded.", "success")
        return redirect(url_for("quizzes.essays", course_slug=course_slug, item_slug=item_slug))
    return render_template(
        "quizzes/grade_essay.html",
        item=item,
        slot=slot,
        attempt=attempt,
        question=question,
        learner=db.session.get(User, attempt.user_id),
        form=form,
    ), 400 if form.errors else 200


@bp.get(PREFIX + "/statistics")
@login_required
def statistics(course_slug: str, item_slug: str):
    """Show per-question facility, discrimination and answer distribution."""
    activity = load_quiz(course_slug, item_slug, staff_only=True)
    stats = services.statistics(activity.record)
    return render_template(
        "quizzes/statistics.html",
        item=activity.item,
        stats=stats,
        bars=reports.facility_bars(stats),
    )


@bp.get(PREFIX + "/export.csv")
@login_required
def export(course_slug: str, item_slug: str):
    """Download every attempt as CSV."""
    quiz = load_quiz(course_slug, item_slug, staff_only=True).record
    return csv_response(services.export_csv(quiz), f"{item_slug}-attempts.csv")
