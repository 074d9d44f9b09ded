"""Site administration pages."""

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import func, select

from course_engine.auth.models import User
from course_engine.courses.models import Course
from course_engine.extensions import db
from course_engine.permissions import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
@admin_required
def index():
    """Show the admin dashboard."""
    counts = {
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "courses": db.session.scalar(select(func.count()).select_from(Course)),
    }
    return render_template("admin/index.html", counts=counts)
