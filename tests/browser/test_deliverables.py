"""A learner uploads a deliverable; a facilitator grades it with the rubric and releases it."""

import pytest

from tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.browser

DELIVERABLE = "/courses/example-course/items/service-sketch"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_upload_grade_with_the_rubric_release_and_read_the_grade(page, server, world, tmp_path):
    sketch = tmp_path / "service-sketch.pdf"
    sketch.write_bytes(PDF)

    sign_in(page, server, world["learner"].email)
    page.goto(server + DELIVERABLE)
    page.get_by_label("Your text (Markdown)").fill(
        "The passport office: three visits for one form."
    )
    page.get_by_label("Add files").set_input_files(str(sketch))
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_text("service-sketch.pdf").first.is_visible()
    sign_out(page)

    sign_in(page, server, world["facilitator"].email)
    page.goto(server + DELIVERABLE)
    page.get_by_role("link", name="Grade submissions").click()
    page.get_by_role("link", name="Grade").first.click()
    assert page.get_by_text("three visits for one form").first.is_visible()
    page.get_by_label("Clear (2 pt)").check()
    page.get_by_label("Feedback (Markdown)").fill("A **sharp** choice of service.")
    page.get_by_role("button", name="Save and release").click()
    sign_out(page)

    sign_in(page, server, world["learner"].email)
    page.goto(server + DELIVERABLE)
    assert page.get_by_text("2 / 2").first.is_visible()
    assert page.locator("strong", has_text="sharp").first.is_visible()
