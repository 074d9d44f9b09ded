"""Certificate pages: the learner's, the facilitator's list, the PDF and public verification."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from course_engine.certificates import files, services
from course_engine.certificates.forms import VerifyForm
from course_engine.courses.services import get_course
from course_engine.downloads import file_response
from course_engine.errors import NotFound
from course_engine.extensions import db, limiter
from course_engine.permissions import require_course_role
from course_engine.roles import STAFF, Role

bp = Blueprint("certificates", __name__, template_folder="templates")

HOLDERS = frozenset({Role.LEARNER, Role.PEER_REVIEWER})


@bp.get("/courses/<course_slug>/certificate")
@login_required
def mine(course_slug: str):
    """Show the learner's progress towards the certificate, or the certificate."""
    course = get_course(course_slug)
    require_course_role(course.id, HOLDERS)
    certificate = services.certificate_for(current_user.id, course.id)
    return render_template(
        "certificates/mine.html",
        course=course,
        completion=services.completion(current_user.id, course),
        certificate=certificate,
        verify_url=files.verify_url(certificate.code) if certificate else None,
    )


@bp.post("/courses/<course_slug>/certificate")
@login_required
def request_certificate(course_slug: str):
    """Issue the learner's certificate if they completed the course."""
    course = get_course(course_slug)
    require_course_role(course.id, HOLDERS)
    services.issue(current_user, course)
    db.session.commit()
    flash("Your certificate is ready.", "success")
    return redirect(url_for("certificates.mine", course_slug=course.slug))


@bp.get("/courses/<course_slug>/certificate.pdf")
@login_required
def download(course_slug: str):
    """Send the learner's issued, valid certificate as a PDF."""
    course = get_course(course_slug)
    require_course_role(course.id, HOLDERS)
    certificate = services.certificate_for(current_user.id, course.id)
    if certificate is None or not certificate.valid:
        abort(404)
    document = files.certificate_pdf(certificate)
    db.session.commit()
    return file_response(document, f"certificate-{course.slug}.pdf", "application/pdf")


@bp.get("/courses/<course_slug>/certificates")
@login_required
def issued(course_slug: str):
    """List the course's certificates for its facilitators."""
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    return render_template(
        "certificates/issued.html",
        course=course,
        certificates=services.course_certificates(course.id),
    )


@bp.post("/courses/<course_slug>/certificates/<int:certificate_id>/revoke")
@login_required
def revoke(course_slug: str, certificate_id: int):
    """Revoke one of the course's certificates."""
    return _change_validity(course_slug, certificate_id, services.revoke, "is revoked")


@bp.post("/courses/<course_slug>/certificates/<int:certificate_id>/reinstate")
@login_required
def reinstate(course_slug: str, certificate_id: int):
    """Make a revoked certificate of the course valid again."""
    return _change_validity(course_slug, certificate_id, services.reinstate, "is valid again")


def _change_validity(course_slug: str, certificate_id: int, change, outcome: str):
    course = get_course(course_slug)
    require_course_role(course.id, STAFF)
    certificate = services.get_in_course(course.id, certificate_id)
    change(current_user.id, certificate)
    db.session.commit()
    flash(f"The certificate of {certificate.holder_name} {outcome}.", "success")
    return redirect(url_for("certificates.issued", course_slug=course.slug))


@bp.get("/certificates/verify")
@limiter.limit("60 per minute")
def verify():
    """Ask for a verification code."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify_code", code=(form.code.data or "").strip()))
    return render_template("certificates/verify.html", form=form)


@bp.get("/certificates/verify/<code>")
@limiter.limit("60 per minute")
def verify_code(code: str):
    """Say whether a code belongs to a valid certificate, and nothing more."""
    form = VerifyForm(code=code)
    try:
        certificate = services.find_by_code(code)
    except NotFound as error:
        return render_template("certificates/verify.html", form=form, not_found=error.message), 404
    return render_template("certificates/verify.html", form=form, certificate=certificate)
