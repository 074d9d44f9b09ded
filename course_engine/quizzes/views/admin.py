"""Admin pages: import a GIFT question bank into an existing quiz."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from course_engine.courses.models import Course, Item
from course_engine.extensions import db
from course_engine.permissions import admin_required
from course_engine.quizzes import bank
from course_engine.quizzes.forms import GiftImportForm
from course_engine.quizzes.models import Quiz
from course_engine.quizzes.views.blueprint import bp

MAX_GIFT_BYTES = 2 * 1024 * 1024


@bp.get("/admin/quizzes/")
@login_required
@admin_required
def bank_index():
    """List every quiz, to choose one to import questions into."""
    rows = db.session.execute(
        select(Quiz, Item, Course)
        .join(Item, Item.id == Quiz.item_id)
        .join(Course, Course.id == Item.course_id)
        .order_by(Course.title, Item.title)
    ).all()
    return render_template("quizzes/bank_index.html", rows=rows)


@bp.route("/admin/quizzes/<int:quiz_id>/import", methods=["GET", "POST"])
@login_required
@admin_required
def import_gift(quiz_id: int):
    """Upload a GIFT file and add its questions to the quiz, all or nothing."""
    row = db.session.execute(
        select(Quiz, Item).join(Item, Item.id == Quiz.item_id).where(Quiz.id == quiz_id)
    ).first()
    if row is None:
        abort(404)
    quiz, item = row
    form, errors = GiftImportForm(), []
    if form.validate_on_submit():
        try:
            count = bank.import_gift_bank(
                quiz,
                _read_gift(form.file.data),
                form.file.data.filename,
                current_app.config["GIFT_MAX_QUESTIONS"],
            )
        except bank.GiftInvalid as error:
            db.session.rollback()
            errors = [error.message] + [str(e) for e in error.errors]
        else:
            db.session.commit()
            flash(f"{count} question(s) imported into {item.title}.", "success")
            return redirect(url_for("quizzes.bank_index"))
    status = 400 if errors or form.errors else 200
    return render_template(
        "quizzes/import_gift.html", quiz=quiz, item=item, form=form, errors=errors
    ), status


def _read_gift(upload) -> str:
    data = upload.read(MAX_GIFT_BYTES + 1)
    if len(data) > MAX_GIFT_BYTES:
        raise bank.GiftInvalid([bank.QuestionError(1, "the file is larger than 2 MB")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise bank.GiftInvalid([bank.QuestionError(1, "the file is not UTF-8 text")]) from None
