"""The learner's path: dashboard, course outline, lessons, pack files and progress."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from course_engine.courses import outline as course_outline
from course_engine.courses import progress, services
from course_engine.courses.models import PackAsset
from course_engine.database import without_transaction
from course_engine.downloads import file_response, is_embeddable_image
from course_engine.extensions import db
from course_engine.packs import registry
from course_engine.permissions import can_facilitate, remember_role, require_course_role

bp = Blueprint("courses", __name__)


@bp.get("/")
@login_required
def dashboard():
    """Show the signed-in user's courses."""
    cards = services.dashboard_cards(current_user.id)
    return render_template("courses/dashboard.html", cards=cards)


@bp.get("/courses/<course_slug>/")
@login_required
def outline(course_slug: str):
    """Show a course's tracks, modules and items with the user's progress."""
    course = services.get_course(course_slug)
    role = require_course_role(course.id)
    staff = can_facilitate(current_user, course.id)
    return render_template(
        "courses/outline.html",
        course=course,
        role=role,
        staff=staff,
        tracks=course_outline.outline(course, include_archived=staff),
        statuses=progress.statuses(current_user.id, course.id),
    )


@bp.get("/courses/<course_slug>/items/<item_slug>")
@without_transaction
@login_required
def item(course_slug: str, item_slug: str):
    """Show an item: a lesson here, other kinds in their own domain's page."""
    visit = course_outline.visit_item(course_slug, item_slug, current_user.id)
    remember_role(current_user, visit.course_id, visit.role)
    require_course_role(visit.course_id)
    staff = can_facilitate(current_user, visit.course_id)
    if visit.hidden and not staff:
        abort(404)
    kind = registry.get(visit.kind)
    if kind is not None and kind.endpoint:
        return redirect(url_for(kind.endpoint, course_slug=visit.course_slug, item_slug=visit.slug))
    if staff:
        previous, following = course_outline.neighbours(
            visit.track_id, visit.module_position, visit.position
        )
    else:
        previous, following = visit.previous, visit.following
    if visit.last_item_id != visit.id:
        progress.record_visit(current_user.id, visit)
        db.session.commit()
    return render_template(
        "courses/item.html",
        item=visit,
        previous=previous,
        following=following,
        by_hand=progress.can_mark_done(visit.kind),
    )


@bp.post("/courses/<course_slug>/items/<item_slug>/done")
@login_required
def mark_done(course_slug: str, item_slug: str):
    """Mark a lesson as done; other kinds are completed only by their own activity."""
    item = course_outline.find_item(course_slug, item_slug)
    require_course_role(item.course_id)
    if course_outline.is_hidden(item):
        abort(404)
    progress.mark_done_by_hand(current_user.id, item)
    db.session.commit()
    return redirect(url_for("courses.item", course_slug=course_slug, item_slug=item.slug))


@bp.get("/courses/<course_slug>/assets/<pack_key>/<path:path>")
@login_required
def asset(course_slug: str, pack_key: str, path: str):
    """Serve a pack file that the course's lessons link to, to people enrolled in the course."""
    course = services.get_course(course_slug)
    require_course_role(course.id)
    asset = db.session.scalar(
        select(PackAsset).where(
            PackAsset.course_id == course.id,
            PackAsset.pack_key == pack_key,
            PackAsset.path == path,
            PackAsset.public,
        )
    )
    if asset is None:
        abort(404)
    response = file_response(
        asset.content,
        path.rsplit("/", 1)[-1],
        asset.content_type,
        inline=is_embeddable_image(asset.content_type),
        max_age=3600,
    )
    response.set_etag(asset.sha256)
    return response.make_conditional(request)
