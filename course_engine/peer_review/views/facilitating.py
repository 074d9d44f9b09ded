"""Facilitators' pages: allocations, changes by hand, late reviews, reviews per submission."""

from typing import cast

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import IntegerField

from course_engine.csv_export import Cell, csv_response, csv_text
from course_engine.deliverables import blind
from course_engine.deliverables.services import versions_of
from course_engine.extensions import db
from course_engine.peer_review import allocation as allocating
from course_engine.peer_review import expiry, listing, manual, oversight, reviews
from course_engine.peer_review.forms import AddForm, HideForm, SwapForm
from course_engine.peer_review.permissions import load_peer_reviewed, staff_submission
from course_engine.peer_review.views import PREFIX, bp
from course_engine.rendering import render_markdown


def _number(field: IntegerField) -> int:
    # Only for a validated form: InputRequired refuses a field without a number.
    return cast(int, field.data)


def _back(course_slug: str, item_slug: str):
    return redirect(url_for(".allocations", course_slug=course_slug, item_slug=item_slug))


def _check(form) -> None:
    if not form.validate():
        abort(400, " ".join(e for errors in form.errors.values() for e in errors))


@bp.get(PREFIX + "/allocations")
@login_required
def allocations(course_slug: str, item_slug: str):
    """Show the allocation table, reviewer progress and how far reviewers' scores sit."""
    activity = load_peer_reviewed(course_slug, item_slug, staff=True)
    course, item = activity.course, activity.item
    deliverable, settings = activity.record.deliverable, activity.record.settings
    return render_template(
        "peer_review/allocations.html",
        course=course,
        item=item,
        deliverable=deliverable,
        settings=settings,
        rows=listing.allocation_table(deliverable),
        reviewers=oversight.reviewer_rows(deliverable),
        people=allocating.course_reviewers(course.id),
    )


@bp.post(PREFIX + "/allocate")
@login_required
def allocate_now(course_slug: str, item_slug: str):
    """Allocate reviewers now, topping up submissions short of them."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    report = allocating.allocate(deliverable, actor_id=current_user.id)
    db.session.commit()
    flash(report.message(), "warning" if report.short else "success")
    return _back(course_slug, item_slug)


@bp.post(PREFIX + "/expire")
@login_required
def expire_now(course_slug: str, item_slug: str):
    """Expire overdue reviews and re-allocate or flag their submissions."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    report = expiry.expire_overdue(deliverable)
    db.session.commit()
    flash(report.message(), "warning" if report.flagged else "success")
    return _back(course_slug, item_slug)


@bp.post(PREFIX + "/allocations/add")
@login_required
def add(course_slug: str, item_slug: str):
    """Allocate a reviewer to a submission by hand."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    form = AddForm()
    _check(form)
    manual.add(deliverable, _number(form.submission_id), _number(form.reviewer_id), current_user.id)
    db.session.commit()
    flash("Reviewer added.", "success")
    return _back(course_slug, item_slug)


@bp.post(PREFIX + "/allocations/<int:allocation_id>/remove")
@login_required
def remove(course_slug: str, item_slug: str, allocation_id: int):
    """Take an unfinished allocation back."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    manual.remove(deliverable, allocation_id, current_user.id)
    db.session.commit()
    flash("Reviewer removed.", "success")
    return _back(course_slug, item_slug)


@bp.post(PREFIX + "/allocations/<int:allocation_id>/swap")
@login_required
def swap(course_slug: str, item_slug: str, allocation_id: int):
    """Give an unfinished allocation to another reviewer."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    manual.allocation_in(deliverable, allocation_id)
    form = SwapForm()
    _check(form)
    manual.swap(deliverable, allocation_id, _number(form.reviewer_id), current_user.id)
    db.session.commit()
    flash("Reviewer swapped.", "success")
    return _back(course_slug, item_slug)


@bp.get(PREFIX + "/submissions/<int:submission_id>")
@login_required
def submission(course_slug: str, item_slug: str, submission_id: int):
    """Show a submission's versions, what changed, and every review of it."""
    activity = load_peer_reviewed(course_slug, item_slug, staff=True)
    course, item = activity.course, activity.item
    deliverable, settings = activity.record.deliverable, activity.record.settings
    found = staff_submission(deliverable, submission_id)
    author = blind.staff_authors(deliverable, [found])[found.id]
    versions = [v for v in versions_of(found.id) if v.submitted_at]
    diff = reviews.diff_lines(versions[-2].text, versions[-1].text) if len(versions) > 1 else []
    return render_template(
        "peer_review/submission.html",
        course=course,
        item=item,
        deliverable=deliverable,
        settings=settings,
        submission=found,
        author=author,
        file_name=lambda file: blind.file_name(author, file),
        versions=versions,
        diff=diff,
        shown=oversight.all_reviews(found),
        peer_percent=reviews.peer_percent(found.id),
        markdown=render_markdown,
    )


@bp.post(PREFIX + "/moderation/<int:review_id>")
@login_required
def hide(course_slug: str, item_slug: str, review_id: int):
    """Hide an inappropriate review from its author and the score, or show it again."""
    deliverable = load_peer_reviewed(course_slug, item_slug, staff=True).record.deliverable
    form = HideForm()
    _check(form)
    review = oversight.set_hidden(deliverable, review_id, form.hidden.data == "1", current_user.id)
    db.session.commit()
    flash("Review hidden." if review.hidden else "Review shown again.", "success")
    submission_id = review.allocation.submission_id
    return redirect(url_for(".submission", course_slug=course_slug, item_slug=item_slug,
                            submission_id=submission_id))  # fmt: skip


@bp.get(PREFIX + "/allocations.csv")
@login_required
def export(course_slug: str, item_slug: str):
    """Download the allocations and review scores as CSV."""
    activity = load_peer_reviewed(course_slug, item_slug, staff=True)
    item, deliverable = activity.item, activity.record.deliverable
    rows: list[list[Cell]] = [["Submission by", "Reviewer", "State", "Due (UTC)", "Submitted (UTC)",
             "Score (%)", "Hidden"]]  # fmt: skip
    for row in listing.allocation_table(deliverable):
        for cell in row.cells:
            review = cell.review
            rows.append([
                row.author, cell.reviewer, cell.allocation.state.value,
                f"{cell.allocation.due_at:%Y-%m-%d %H:%M}",
                f"{review.submitted_at:%Y-%m-%d %H:%M}" if review and review.submitted_at else "",
                "" if review is None or review.score_percent is None else review.score_percent,
                "yes" if review and review.hidden else "",
            ])  # fmt: skip
    return csv_response(csv_text(rows), f"{item.slug}-reviews.csv")
