from course_engine.extensions import db
from course_engine.peer_review import reviews
from tests.peer_review import factories
from tests.support.routes import ALLOW, COURSE_MEMBER, COURSE_STAFF, DENY, LOGIN, ROLES, RouteCase

COURSE = "/courses/example-course/peer-review"
BASE = COURSE + "/service-sketch"
REVIEWER_ONLY = {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN, "peer_reviewer": ALLOW}
AUTHOR_ONLY = {**COURSE_MEMBER, "peer_reviewer": DENY, "facilitator": DENY, "admin": DENY}


def _configured(world):
    factories.configure({"reviewers": "designated", "reviews_per_submission": 1})
    return {}


def _allocated(world):
    """The world's learner submits; the world's peer reviewer is allocated their work."""
    _configured(world)
    version = factories.submit(world["learner"])
    factories.allocate()
    allocation = factories.allocation_of(world["peer_reviewer"], world["learner"])
    return {
        "allocation_id": allocation.id,
        "submission_id": allocation.submission_id,
        "file_id": version.files[0].id,
    }


def _reviewed(world):
    """As _allocated, with the review submitted (so changing it by hand is refused)."""
    ids = _allocated(world)
    allocation = factories.allocation_of(world["peer_reviewer"], world["learner"])
    review = reviews.save_review(
        factories.deliverable(), allocation, world["peer_reviewer"].id,
        levels={"clarity": "2"}, comment="Clear", criterion_comments={}, submit=True,
    )  # fmt: skip
    db.session.commit()
    return {**ids, "review_id": review.id}


CASES = {
    "peer_review.course_index": [RouteCase("GET", COURSE, COURSE_MEMBER)],
    "peer_review.index": [RouteCase("GET", BASE, COURSE_MEMBER, params=_configured)],
    "peer_review.review": [
        RouteCase("GET", BASE + "/reviews/{allocation_id}", REVIEWER_ONLY, params=_allocated)
    ],
    "peer_review.save_review": [
        RouteCase(
            "POST",
            BASE + "/reviews/{allocation_id}",
            REVIEWER_ONLY,
            params=_allocated,
            data={"comment": "Draft", "save": "1"},
        )
    ],
    "peer_review.review_file": [
        RouteCase(
            "GET",
            BASE + "/reviews/{allocation_id}/files/{file_id}",
            REVIEWER_ONLY,
            params=_allocated,
        )
    ],
    "peer_review.feedback": [RouteCase("GET", BASE + "/feedback", COURSE_MEMBER, params=_reviewed)],
    "peer_review.revise": [RouteCase("POST", BASE + "/revise", AUTHOR_ONLY, params=_allocated)],
    "peer_review.allocations": [
        RouteCase("GET", BASE + "/allocations", COURSE_STAFF, params=_reviewed)
    ],
    "peer_review.allocate_now": [
        RouteCase("POST", BASE + "/allocate", COURSE_STAFF, params=_configured)
    ],
    "peer_review.expire_now": [
        RouteCase("POST", BASE + "/expire", COURSE_STAFF, params=_allocated)
    ],
    # Without a choice the form is refused (400): access is what this checks.
    "peer_review.add": [
        RouteCase("POST", BASE + "/allocations/add", COURSE_STAFF, params=_allocated)
    ],
    "peer_review.remove": [
        RouteCase(
            "POST", BASE + "/allocations/{allocation_id}/remove", COURSE_STAFF, params=_reviewed
        )
    ],
    "peer_review.swap": [
        RouteCase(
            "POST",
            BASE + "/allocations/{allocation_id}/swap",
            COURSE_STAFF,
            params=_reviewed,
            data={"reviewer_id": "1"},
        )
    ],
    "peer_review.submission": [
        RouteCase("GET", BASE + "/submissions/{submission_id}", COURSE_STAFF, params=_reviewed)
    ],
    "peer_review.hide": [
        RouteCase(
            "POST",
            BASE + "/moderation/{review_id}",
            COURSE_STAFF,
            params=_reviewed,
            data={"hidden": "1"},
        )
    ],
    "peer_review.export": [
        RouteCase("GET", BASE + "/allocations.csv", COURSE_STAFF, params=_reviewed)
    ],
}
