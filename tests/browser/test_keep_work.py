"""A refused upload and an incomplete review keep what was typed, on a desktop and a phone."""

import re

import pytest

from course_engine.extensions import db
from tests.browser.conftest import sign_in
from tests.peer_review import factories

pytestmark = pytest.mark.browser

COURSE = "/courses/example-course"
DELIVERABLE = f"{COURSE}/deliverables/service-sketch"
PEER_REVIEW = f"{COURSE}/peer-review/service-sketch"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
STATEMENT = "The licence office asks for the same form three times. " * 20


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_upload_keeps_the_text_next_to_the_error(page, server, world, tmp_path, size):
    page.set_viewport_size(SIZES[size])
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ\x90\x00")
    sign_in(page, server, world["learner"].email)
    page.goto(server + DELIVERABLE)
    page.get_by_role("link", name="Go to your work").click()
    assert page.get_by_label("Your text (Markdown)").is_visible()
    page.get_by_label("Your text (Markdown)").fill(STATEMENT)
    page.get_by_label("Add files").set_input_files(str(program))
    page.get_by_role("button", name="Save draft").click()

    assert page.get_by_role("alert").get_by_text("Your text was saved as a draft.").is_visible()
    error = page.locator("#files-error")
    assert "this type of file is not accepted here" in error.inner_text()
    assert page.get_by_label("Your text (Markdown)").input_value().strip() == STATEMENT.strip()
    page.screenshot(path=f"/tmp/keepwork-upload-{size}.png", full_page=True)
    error.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/keepwork-upload-{size}-error.png")

    page.goto(server + COURSE + "/")
    page.goto(server + DELIVERABLE)
    assert page.get_by_label("Your text (Markdown)").input_value().strip() == STATEMENT.strip()


@pytest.mark.parametrize("size", SIZES)
def test_a_review_missing_a_level_keeps_every_entry(page, server, world, make_user, enrol, size):
    factories.configure({"reviews_per_submission": 1})
    deliverable = factories.deliverable()
    deliverable.rubric = [
        *deliverable.rubric,
        {"id": "evidence", "title": "Evidence", "levels": [
            {"label": "Thin", "points": 0, "descriptor": "No sources"},
            {"label": "Solid", "points": 1, "descriptor": "Interviews cited"},
        ]},
    ]  # fmt: skip
    db.session.commit()
    learners = [make_user(name="Marlon Second"), make_user(name="Aaliyah Third")]
    for learner in learners:
        enrol(learner, "example-course")
        factories.submit(learner)
    factories.allocate()

    page.set_viewport_size(SIZES[size])
    sign_in(page, server, learners[0].email)
    page.goto(server + PEER_REVIEW)
    page.get_by_role("link", name=re.compile(r"^Review the work by")).first.click()
    page.get_by_label("Clear (2)").check()
    page.get_by_label("Comment on “Clarity”").fill("Say who the service is for.")
    page.get_by_label("Comment on “Evidence”").fill("Where are the interviews?")
    page.get_by_label("General comment (Markdown)").fill("A sharp choice of service.")
    page.get_by_role("button", name="Submit review").click()

    assert page.get_by_role("alert").is_visible()
    error = page.locator("#level-evidence-error")
    assert error.inner_text() == "Choose a level for “Evidence”."
    assert page.get_by_label("Clear (2)").is_checked()
    assert page.get_by_label("Comment on “Clarity”").input_value() == "Say who the service is for."
    assert page.get_by_label("Comment on “Evidence”").input_value() == "Where are the interviews?"
    assert page.get_by_label("General comment (Markdown)").input_value().strip() == (
        "A sharp choice of service."
    )
    page.screenshot(path=f"/tmp/keepwork-review-{size}.png", full_page=True)
    error.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/keepwork-review-{size}-error.png")
