"""Sign-in, sign-out, password change and password reset pages."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from course_engine.auth import services
from course_engine.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from course_engine.extensions import db, limiter, login_manager
from course_engine.inputs import field_errors
from course_engine.notifications.services import notify
from course_engine.urls import absolute_url, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_token: str):
    return services.get_by_session_token(session_token)


# Sign-in limits, all counting failed attempts only:
# - per address (strict): one address guessing across many accounts;
# - per account and address: five wrong passwords lock that address out of
#   that account, while the owner signing in from elsewhere is not locked out;
# - per account (much higher): many addresses guessing one account together.
def _account_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


def _account_and_address_key() -> str:
    return f"login-from:{get_remote_address()}|{_account_key()}"


def _failed_sign_in(response) -> bool:
    # Only failed attempts count against the limits; a success redirects.
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ATTEMPTS_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS"],
    key_func=_account_and_address_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("courses.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            services.end_sessions(user)  # a fresh session identifier at every sign-in
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("courses.dashboard")))
        flash("The email or password is not right, or the account is not active.", "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out, ending this session and every copy of its cookie."""
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.check_password(current_user, form.current_password.data or ""):
            field_errors(form.current_password).append("This is not your current password.")
        else:
            services.set_password(current_user, form.new_password.data or "")
            db.session.commit()
            login_user(current_user)
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("courses.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    """Ask for a password reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        started = services.start_password_reset(form.email.data or "")
        if started is not None:
            user, token = started
            link = absolute_url("auth.reset_password", token=token)
            # Queued, not sent here: the answer takes as long whether or not the account exists.
            notify(
                user.id,
                "Reset your password",
                render_template("auth/reset_email.txt", user=user, link=link),
                dedupe_key=f"password-reset:{services.token_hash(token)}",
            )
        db.session.commit()
        # The same answer whether or not the account exists.
        flash("If an account uses that email, a reset link is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password with a reset link."""
    if not services.reset_is_usable(token):
        flash("This reset link has expired or was already used. Ask for a new one.", "danger")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.finish_password_reset(token, form.new_password.data or "")
        db.session.commit()
        flash("Your password is set. Please sign in.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
