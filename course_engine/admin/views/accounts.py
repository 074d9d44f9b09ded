"""Admin pages for accounts: list, create, bulk import, edit, deactivate."""

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from course_engine.admin import services
from course_engine.admin.blueprint import bp
from course_engine.admin.forms import ImportUsersForm, NewUserForm, ProfileForm
from course_engine.admin.services import CsvInvalid
from course_engine.auth import services as auth
from course_engine.auth.models import User
from course_engine.courses.models import Course
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.inputs import field_errors, page_arg
from course_engine.mail import send_email
from course_engine.permissions import admin_required
from course_engine.urls import absolute_url

log = logging.getLogger(__name__)


@bp.get("/admin/")
@login_required
@admin_required
def index():
    """Show the admin dashboard."""
    counts = {
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "courses": db.session.scalar(select(func.count()).select_from(Course)),
    }
    return render_template("admin/index.html", counts=counts)


@bp.get("/admin/users/")
@login_required
@admin_required
def users():
    """List and search accounts, a page at a time."""
    query = request.args.get("q", "")[:100]
    page = services.search_users(query, page_arg(request.args))
    return render_template("admin/users.html", page=page, query=query)


def _send_set_password_links(users: list[User]) -> int:
    """Email each user a link to set a password; return how many could not be sent."""
    links = []
    for user in users:
        started = auth.start_password_reset(user.email, welcome=True)
        if started is not None:
            links.append((user, absolute_url("auth.reset_password", token=started[1])))
    db.session.commit()
    days = max(1, current_app.config["WELCOME_LINK_MAX_AGE"] // 86400)
    failed = 0
    for user, link in links:
        body = render_template("admin/welcome_email.txt", user=user, link=link, days=days)
        try:
            send_email(user.email, "Your course engine account", body)
        except OSError:
            log.exception("Could not email %s", user.email)
            failed += 1
    return failed


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
@admin_required
def new_user():
    """Create one account and email its owner a link to set a password."""
    form = NewUserForm()
    if form.validate_on_submit():
        profile = {name: form[name].data for name in services.PROFILE_FIELDS[1:]}
        try:
            user = services.create_account(
                current_user.id,
                form.email.data or "",
                form.display_name.data or "",
                is_admin=form.is_admin.data,
                **profile,
            )
        except DomainError as error:
            field_errors(form.email).append(error.message)
            return render_template("admin/new_user.html", form=form), 400
        db.session.commit()
        if _send_set_password_links([user]):
            flash(f"Created {user.email}, but the email could not be sent.", "warning")
        else:
            flash(f"Created {user.email}; a link to set a password is on its way.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/new_user.html", form=form)


@bp.route("/admin/users/import", methods=["GET", "POST"])
@login_required
@admin_required
def import_users():
    """Import accounts and enrolments from a CSV file, all or nothing."""
    form = ImportUsersForm()
    problems = []
    if form.validate_on_submit():
        try:
            text = form.csv_file.data.read().decode("utf-8-sig")
            created, existing = services.import_accounts(current_user.id, text)
        except UnicodeDecodeError:
            problems = ["The file is not UTF-8 text; nothing was imported."]
        except CsvInvalid as error:
            db.session.rollback()
            problems = [*error.problems, error.message]
        else:
            db.session.commit()
            failed = _send_set_password_links(created) if form.send_links.data else 0
            flash(
                f"Created {len(created)} account(s); enrolled {len(existing)} existing account(s).",
                "success",
            )
            if failed:
                flash(f"{failed} email(s) could not be sent.", "warning")
            return redirect(url_for("admin.users"))
    status = 400 if problems else 200
    return render_template("admin/import_users.html", form=form, problems=problems), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
@admin_required
def edit_user(user_id: int):
    """Edit an account's profile and admin flag."""
    user = services.get_user(user_id)
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        profile = {name: form[name].data or "" for name in services.PROFILE_FIELDS}
        changed = services.update_profile(
            current_user, user, is_admin=form.is_admin.data, **profile
        )
        db.session.commit()
        flash("Saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/edit_user.html", form=form, user=user)


@bp.post("/admin/users/<int:user_id>/deactivate")
@login_required
@admin_required
def deactivate_user(user_id: int):
    """Deactivate an account and end its sessions."""
    user = services.get_user(user_id)
    services.set_active(current_user, user, False)
    db.session.commit()
    flash(f"{user.email} is deactivated and signed out everywhere.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/reactivate")
@login_required
@admin_required
def reactivate_user(user_id: int):
    """Let a deactivated account sign in again."""
    user = services.get_user(user_id)
    services.set_active(current_user, user, True)
    db.session.commit()
    flash(f"{user.email} can sign in again.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
