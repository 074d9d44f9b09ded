"""A learner takes a quiz end to end; a facilitator grades the essay."""

import pytest

from tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.browser

QUIZ = "/courses/example-course/items/check-your-understanding"


def test_take_a_quiz_resume_it_and_have_the_essay_graded(page, server, world):
    sign_in(page, server, world["learner"].email)
    page.goto(server + QUIZ)
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("The person who uses it").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("False").check()
    page.get_by_role("button", name="Next").click()

    # The connection drops: the learner comes back later and resumes.
    page.goto(f"{server}/courses/example-course/")
    page.goto(server + QUIZ)
    page.get_by_role("button", name="Continue your attempt").click()
    page.get_by_role("button", name="Page 1").click()
    assert page.get_by_label("The person who uses it").is_checked()
    page.get_by_role("button", name="Page 3").click()
    page.get_by_label("Your answer").fill("The business licence: owners queue twice for one stamp.")
    page.get_by_role("button", name="Finish attempt…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    assert page.get_by_role("heading", name="Attempt 1: review").is_visible()
    assert page.get_by_text("Waiting for a facilitator to grade the written answers.").is_visible()
    sign_out(page)

    sign_in(page, server, world["facilitator"].email)
    page.goto(server + QUIZ)
    page.get_by_role("link", name="Essays to grade").click()
    page.get_by_role("link", name="Grade this answer").click()
    assert page.get_by_text("owners queue twice for one stamp").is_visible()
    page.get_by_label("Marks").fill("1")
    page.get_by_label("Comment for the learner").fill("A clear, concrete choice.")
    page.get_by_role("button", name="Save the grade").click()
    sign_out(page)

    sign_in(page, server, world["learner"].email)
    page.goto(server + QUIZ)
    page.get_by_role("link", name="Review attempt 1").click()
    assert page.get_by_text("3 out of 3 (100%)").is_visible()
    assert page.get_by_text("A clear, concrete choice.").is_visible()
