from tests.deliverables import factories
from tests.support.routes import COURSE_MEMBER, COURSE_STAFF, DENY, RouteCase

BASE = "/courses/example-course/deliverables/service-sketch"
OWNER_ONLY = {**COURSE_MEMBER, "peer_reviewer": DENY, "facilitator": DENY, "admin": DENY}
OWNER_AND_STAFF = {**COURSE_MEMBER, "peer_reviewer": DENY}


def _file(world):
    version = factories.submit(world["learner"])
    return {"file_id": version.files[0].id, "submission_id": version.submission_id}


def _submission(world):
    return {"submission_id": factories.submit(world["learner"]).submission_id}


def _feedback(world):
    submission = factories.graded(world["learner"], feedback_file=("notes.txt", b"Well done"))
    return {"submission_id": submission.id}


def _learner(world):
    return {"user_id": world["learner"].id}


CASES = {
    "deliverables.show": [RouteCase("GET", BASE, COURSE_MEMBER)],
    "deliverables.save": [RouteCase("POST", BASE, COURSE_MEMBER, data={"text": "Hello"})],
    "deliverables.remove_file": [
        RouteCase("POST", BASE + "/files/{file_id}/remove", OWNER_ONLY, params=_file)
    ],
    "deliverables.download": [
        RouteCase("GET", BASE + "/files/{file_id}", OWNER_AND_STAFF, params=_file)
    ],
    "deliverables.feedback_file": [
        RouteCase(
            "GET",
            BASE + "/submissions/{submission_id}/feedback-file",
            OWNER_AND_STAFF,
            params=_feedback,
        )  # fmt: skip
    ],
    "deliverables.queue": [RouteCase("GET", BASE + "/submissions", COURSE_STAFF)],
    "deliverables.open_learner": [
        RouteCase("POST", BASE + "/learners/{user_id}/open", COURSE_STAFF, params=_learner)
    ],
    "deliverables.grade": [
        RouteCase("GET", BASE + "/submissions/{submission_id}", COURSE_STAFF, params=_submission)
    ],
    "deliverables.save_grade": [
        RouteCase(
            "POST",
            BASE + "/submissions/{submission_id}",
            COURSE_STAFF,
            params=_submission,
            data={"criterion-clarity": "2", "feedback": "Fine"},
        )  # fmt: skip
    ],
    "deliverables.release": [
        RouteCase(
            "POST", BASE + "/submissions/{submission_id}/release", COURSE_STAFF, params=_submission
        )  # fmt: skip
    ],
    "deliverables.release_all": [RouteCase("POST", BASE + "/release-all", COURSE_STAFF)],
    "deliverables.extension": [
        RouteCase(
            "POST",
            BASE + "/submissions/{submission_id}/extension",
            COURSE_STAFF,
            params=_submission,
            data={"due": "2030-01-01T12:00"},
        )  # fmt: skip
    ],
    "deliverables.attempt": [
        RouteCase(
            "POST", BASE + "/submissions/{submission_id}/attempt", COURSE_STAFF, params=_submission
        )  # fmt: skip
    ],
    "deliverables.start_date": [
        RouteCase("GET", "/courses/example-course/start-date", COURSE_STAFF),
        RouteCase(
            "POST",
            "/courses/example-course/start-date",
            COURSE_STAFF,
            data={"starts_on": "2030-01-01"},
        ),  # fmt: skip
    ],
}
