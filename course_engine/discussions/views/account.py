"""A user's discussion email settings, and the unsubscribe links of emails."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from course_engine.discussions.forms import SettingsForm
from course_engine.discussions.models import DigestMode
from course_engine.discussions.services import subscriptions
from course_engine.discussions.views import bp
from course_engine.extensions import csrf, db


@bp.route("/discussions/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Choose an email per post or a daily digest."""
    form = SettingsForm(digest=subscriptions.digest_mode(current_user.id).value)
    if form.validate_on_submit():
        subscriptions.set_digest_mode(current_user.id, DigestMode(form.digest.data))
        db.session.commit()
        flash("Email settings saved.", "success")
        return redirect(url_for(".settings"))
    return render_template("discussions/settings.html", form=form), 400 if form.errors else 200


@bp.post("/discussions/settings/unsubscribe-links")
@login_required
def revoke_unsubscribe_links():
    """Cancel the unsubscribe links of emails already sent (say, after forwarding one)."""
    subscriptions.revoke_unsubscribe_links(current_user.id)
    db.session.commit()
    flash(
        "The unsubscribe links in emails sent so far no longer work; new emails carry new ones.",
        "success",
    )
    return redirect(url_for(".settings"))


@bp.get("/discussions/unsubscribe/<token>")
def confirm_unsubscribe(token: str):
    """Ask before unsubscribing: mail scanners open links, so opening one changes nothing."""
    link = subscriptions.read_unsubscribe_token(token)
    return render_template("discussions/unsubscribe.html", what=link.what, token=token)


@bp.post("/discussions/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """Unsubscribe with the link of an email, without signing in.

    The link's random token is what authorises this, so it needs no form
    token, and mail programs can post to it for one-click unsubscribe (RFC 8058).
    """
    what = subscriptions.unsubscribe_with_token(token)
    db.session.commit()
    return render_template("discussions/unsubscribed.html", what=what)
