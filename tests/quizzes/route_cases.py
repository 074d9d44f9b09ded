from tests.support.routes import ADMIN_ONLY, COURSE_MEMBER, COURSE_STAFF, DENY, RouteCase

QUIZ = "/courses/example-course/quizzes/check-your-understanding"
ATTEMPT = QUIZ + "/attempts/{attempt}"
# Only the learner who owns an attempt may answer or submit it.
OWNER_ONLY = {**COURSE_MEMBER, "peer_reviewer": DENY, "facilitator": DENY, "admin": DENY}
# The owner and the course's staff may review it.
OWNER_AND_STAFF = {**COURSE_MEMBER, "peer_reviewer": DENY}


def _quiz():
    from course_engine.courses.outline import find_item
    from course_engine.quizzes import services

    return services.quiz_for_item(find_item("example-course", "check-your-understanding"))


def _attempt(world, submitted=False) -> dict:
    from course_engine.extensions import db
    from course_engine.quizzes import services

    attempt = services.start_attempt(_quiz(), world["learner"].id)
    if submitted:
        rows = services.load_questions(attempt)
        essay = next(row for row in rows if row.question.type == "essay")
        services.save_page(attempt, [essay], {f"q{essay.question.id}": ["An essay."]})
        services.submit_attempt(attempt)
    db.session.commit()
    return {"attempt": attempt.id}


def _essay(world) -> dict:
    from course_engine.quizzes import services

    _attempt(world, submitted=True)
    [(slot, _attempt_row, _question)] = services.essay_queue(_quiz())
    return {"answer": slot.id}


def _quiz_id(world) -> dict:
    return {"quiz": _quiz().id}


CASES = {
    "quizzes.intro": [RouteCase("GET", QUIZ + "/", COURSE_MEMBER)],
    "quizzes.start": [RouteCase("POST", QUIZ + "/start", COURSE_MEMBER)],
    "quizzes.page": [RouteCase("GET", ATTEMPT + "/pages/1", OWNER_ONLY, params=_attempt)],
    "quizzes.save_page": [
        RouteCase(
            "POST", ATTEMPT + "/pages/1", OWNER_ONLY, params=_attempt, data={"action": "next"}
        )
    ],
    "quizzes.confirm_submit": [RouteCase("GET", ATTEMPT + "/submit", OWNER_ONLY, params=_attempt)],
    "quizzes.submit": [RouteCase("POST", ATTEMPT + "/submit", OWNER_ONLY, params=_attempt)],
    "quizzes.review": [
        RouteCase("GET", ATTEMPT + "/review", OWNER_AND_STAFF, params=lambda w: _attempt(w, True))
    ],
    "quizzes.results": [RouteCase("GET", QUIZ + "/results", COURSE_STAFF)],
    "quizzes.regrade": [RouteCase("POST", QUIZ + "/regrade", COURSE_STAFF)],
    "quizzes.essays": [RouteCase("GET", QUIZ + "/essays", COURSE_STAFF)],
    "quizzes.grade_essay": [
        RouteCase("GET", QUIZ + "/essays/{answer}", COURSE_STAFF, params=_essay),
        RouteCase(
            "POST", QUIZ + "/essays/{answer}", COURSE_STAFF, params=_essay, data={"marks": "1"}
        ),
    ],
    "quizzes.statistics": [RouteCase("GET", QUIZ + "/statistics", COURSE_STAFF)],
    "quizzes.export": [RouteCase("GET", QUIZ + "/export.csv", COURSE_STAFF)],
    "quizzes.bank_index": [RouteCase("GET", "/admin/quizzes/", ADMIN_ONLY)],
    "quizzes.import_gift": [
        RouteCase("GET", "/admin/quizzes/{quiz}/import", ADMIN_ONLY, params=_quiz_id),
        RouteCase("POST", "/admin/quizzes/{quiz}/import", ADMIN_ONLY, params=_quiz_id),
    ],
}
