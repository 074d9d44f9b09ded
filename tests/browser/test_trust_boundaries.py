"""What a learner can and cannot do for themselves, seen in a real browser."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

COURSE = "/courses/example-course"


def test_a_learner_marks_a_lesson_done_but_no_activity_and_no_certificate(page, server, world):
    sign_in(page, server, world["learner"].email)
    page.goto(f"{server}{COURSE}/items/welcome")
    page.get_by_role("button", name="Mark as done").click()
    assert page.locator(".status-done", has_text="Done").is_visible()

    for activity in ("check-your-understanding", "introductions", "service-sketch", "kick-off"):
        page.goto(f"{server}{COURSE}/items/{activity}")
        assert page.get_by_role("button", name="Mark as done").count() == 0, activity

    page.goto(f"{server}{COURSE}/certificate")
    assert page.get_by_role("button", name="Get my certificate").count() == 0
    assert page.get_by_text("to go.").is_visible()


def test_the_pack_s_answer_files_are_not_there_for_a_learner(page, server, world):
    sign_in(page, server, world["learner"].email)
    for path in ("course.yaml", "quizzes/basics.yaml"):
        response = page.goto(f"{server}{COURSE}/assets/example-course/{path}")
        assert response.status == 404, path
    response = page.goto(f"{server}{COURSE}/assets/example-course/media/journey.png")
    assert response.status == 200
