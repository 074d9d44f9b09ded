"""The audit log page."""

from flask import render_template, request
from flask_login import login_required

from course_engine.admin import services
from course_engine.admin.blueprint import bp
from course_engine.inputs import page_arg
from course_engine.permissions import admin_required


@bp.get("/admin/audit")
@login_required
@admin_required
def audit():
    """List administrative actions, newest first, optionally of one kind."""
    action = request.args.get("action", "")[:60]
    page = services.audit_page(action, page_arg(request.args))
    return render_template(
        "admin/audit.html", page=page, action=action, actions=services.audit_actions()
    )
