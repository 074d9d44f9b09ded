from course_engine.certificates.models import Certificate
from course_engine.certificates.services import new_code
from course_engine.courses.services import get_course
from course_engine.database import utcnow
from course_engine.extensions import db
from tests.support.routes import COURSE_STAFF, DENY, LOGIN, PUBLIC, ROLES, RouteCase

# Learners and peer reviewers hold certificates; facilitators and admins do not.
HOLDER = {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN, "learner": "allow"}
HOLDERS = {**HOLDER, "peer_reviewer": "allow"}


def issued(world) -> dict:
    """Issue the learner's certificate directly, and return its id and code."""
    course = get_course("example-course")
    certificate = db.session.scalar(
        db.select(Certificate).where(Certificate.user_id == world["learner"].id)
    )
    if certificate is None:
        certificate = Certificate(
            user_id=world["learner"].id,
            course_id=course.id,
            code=new_code(),
            holder_name=world["learner"].display_name,
            course_title=course.title,
            tracks=["Main track"],
            issued_at=utcnow(),
        )
        db.session.add(certificate)
        db.session.commit()
    return {"certificate_id": certificate.id, "code": certificate.code}


MINE = "/courses/example-course/certificate"

CASES = {
    "certificates.mine": [RouteCase("GET", MINE, HOLDERS)],
    "certificates.request_certificate": [RouteCase("POST", MINE, HOLDERS)],
    # Only the holder of an issued certificate gets a PDF; everyone else 404.
    "certificates.download": [RouteCase("GET", MINE + ".pdf", HOLDER, issued)],
    "certificates.issued": [RouteCase("GET", "/courses/example-course/certificates", COURSE_STAFF)],
    "certificates.revoke": [
        RouteCase(
            "POST",
            "/courses/example-course/certificates/{certificate_id}/revoke",
            COURSE_STAFF,
            issued,
        )
    ],
    "certificates.reinstate": [
        RouteCase(
            "POST",
            "/courses/example-course/certificates/{certificate_id}/reinstate",
            COURSE_STAFF,
            issued,
        )
    ],
    "certificates.verify": [
        RouteCase("GET", "/certificates/verify", PUBLIC),
        RouteCase("GET", "/certificates/verify?code=ABCDE", PUBLIC),
    ],
    "certificates.verify_code": [RouteCase("GET", "/certificates/verify/{code}", PUBLIC, issued)],
}
