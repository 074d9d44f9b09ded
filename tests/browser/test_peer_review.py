"""Three learners submit, review each other anonymously with the rubric, one revises,
and the facilitator grades the revision."""

import re

import pytest

from tests.browser.conftest import sign_in, sign_out
from tests.peer_review import factories

pytestmark = pytest.mark.browser

COURSE = "/courses/example-course"
DELIVERABLE = f"{COURSE}/items/service-sketch"
PEER_REVIEW = f"{COURSE}/peer-review/service-sketch"


def _submit(page, server, user, text):
    sign_in(page, server, user.email)
    page.goto(server + DELIVERABLE)
    page.get_by_label("Your text (Markdown)").fill(text)
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    sign_out(page)


def test_anonymous_peer_review_then_revision_then_grading(page, server, world, make_user, enrol):
    factories.configure({"reviews_per_submission": 2, "anonymity": "both", "allow_revision": True})
    learners = [
        world["learner"],
        make_user(name="Marlon Second", country="Belize"),
        make_user(name="Aaliyah Third", country="Guyana"),
    ]
    for learner in learners[1:]:
        enrol(learner, "example-course")
    for number, learner in enumerate(learners, start=1):
        _submit(page, server, learner, f"Service {number}: the licence office, version one.")

    sign_in(page, server, world["facilitator"].email)
    page.goto(server + PEER_REVIEW)
    page.get_by_role("link", name="Allocations and reviews").click()
    page.get_by_role("button", name="Allocate now").click()
    assert page.get_by_text("Allocated 6 review(s) to 3 reviewer(s).").is_visible()
    sign_out(page)

    for learner in learners:
        sign_in(page, server, learner.email)
        for _ in range(2):
            page.goto(server + PEER_REVIEW)
            page.get_by_role("link", name=re.compile(r"^Review the work by")).first.click()
            page.get_by_label("Clear (2)").check()
            page.get_by_label("General comment (Markdown)").fill("Name the slowest step first.")
            page.get_by_role("button", name="Submit review").click()
        sign_out(page)

    author = learners[0]
    sign_in(page, server, author.email)
    page.goto(server + PEER_REVIEW)
    page.get_by_role("link", name="Read the reviews of your work").click()
    assert page.get_by_text("Reviewer 1").first.is_visible()
    html = page.content()
    for reviewer in learners[1:]:
        assert reviewer.display_name not in html and reviewer.email not in html
    page.get_by_role("button", name="Revise and resubmit").click()
    page.goto(server + DELIVERABLE)
    page.get_by_label("Your text (Markdown)").fill(
        "Service 1: the licence office, revised after review."
    )
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    sign_out(page)

    sign_in(page, server, world["facilitator"].email)
    page.goto(server + DELIVERABLE)
    page.get_by_role("link", name="Grade submissions").click()
    page.get_by_role("link", name=f"Grade {author.display_name}").click()
    assert page.get_by_text("revised after review").first.is_visible()
    page.get_by_label("Clear (2 pt)").check()
    page.get_by_role("button", name="Save and release").click()
    sign_out(page)

    sign_in(page, server, author.email)
    page.goto(server + DELIVERABLE)
    assert page.get_by_text("/ 2").first.is_visible()
