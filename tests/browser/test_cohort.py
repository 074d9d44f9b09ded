"""Running a cohort: survey, objectives, attendance, certificate and its public check."""

import pytest
from sqlalchemy import select

from course_engine.courses.models import Item, Module, ProgressStatus, Track
from course_engine.courses.outline import find_item
from course_engine.courses.progress import set_status
from course_engine.deliverables import grading
from course_engine.deliverables.services import deliverable_for_item, find_submission
from course_engine.extensions import db
from tests.browser.conftest import sign_in, sign_out
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

COURSE = "/courses/caricad-innovation"
DONE_IN_THE_BROWSER = {"pre-course-survey", "personal-objectives", "welcome-webinar"}


def _finish_everything_else(user) -> None:
    items = db.session.scalars(
        select(Item).join(Module).join(Track).where(Track.slug == "five-day-course", Item.required)
    ).all()
    for item in items:
        if item.slug not in DONE_IN_THE_BROWSER:
            set_status(user.id, item, ProgressStatus.DONE)
    db.session.commit()


def _release_top_grade(learner, grader, item_slug: str) -> None:
    """Grade the learner's submission at the top of every criterion and release it."""
    deliverable = deliverable_for_item(find_item("caricad-innovation", item_slug))
    submission = find_submission(deliverable.id, learner.id)
    levels = {c["id"]: str(c["levels"][-1]["points"]) for c in deliverable.rubric}
    grading.save_assessment(
        deliverable, submission, grader.id, lock_version=None, levels=levels, score=None,
        feedback="Clear and measurable.", release=True,
    )  # fmt: skip
    db.session.commit()


def test_a_learner_completes_the_course_and_gets_a_verifiable_certificate(
    page, browser, server, make_user, import_pack, enrol
):
    import_pack(ROOT / "courses" / "caricad_innovation")
    learner = make_user(name="Shanice Campbell", country="Jamaica")
    facilitator = make_user(name="Facilitator", country="Barbados")
    enrol(learner, "caricad-innovation", "learner")
    enrol(facilitator, "caricad-innovation", "facilitator")
    _finish_everything_else(learner)

    sign_in(page, server, learner.email)
    page.goto(f"{server}{COURSE}/")
    page.get_by_role("link", name="Pre-course survey").click()
    page.get_by_label("Jamaica").check()
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("button", name="Update my answers").is_visible()

    page.goto(f"{server}{COURSE}/")
    page.get_by_role("link", name="Personal objectives statement").click()
    page.get_by_label("Your text (Markdown)").fill(
        "Cut the waiting time for business licences at the Ministry of Commerce by half."
    )
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_text("Cut the waiting time for business licences").first.is_visible()
    sign_out(page)
    # Handing in does not complete a deliverable: its released grade does.
    _release_top_grade(learner, facilitator, "personal-objectives")

    sign_in(page, server, facilitator.email)
    page.goto(f"{server}{COURSE}/items/pre-course-survey")
    page.get_by_role("link", name="See the results").click()
    assert page.get_by_role("link", name="Jamaica (1)").is_visible()
    assert page.locator("svg").first.is_visible()
    page.get_by_role("link", name="Jamaica (1)").click()
    page.goto(f"{server}{COURSE}/calendar")
    assert page.get_by_text("Welcome webinar").first.is_visible()
    page.goto(f"{server}{COURSE}/items/welcome-webinar")
    page.get_by_role("link", name="Add the recording link").click()
    page.get_by_label("Link to the recording").fill("https://video.example.org/welcome")
    page.get_by_role("button", name="Save the link").click()
    page.goto(f"{server}{COURSE}/items/welcome-webinar")
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Shanice Campbell").check()
    page.get_by_role("button", name="Save attendance").click()
    sign_out(page)

    sign_in(page, server, learner.email)
    page.goto(f"{server}{COURSE}/")
    page.get_by_role("link", name="Your certificate").click()
    page.get_by_role("button", name="Get my certificate").click()
    code = page.locator("code").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    public = browser.new_context().new_page()
    public.goto(f"{server}/certificates/verify")
    public.get_by_label("Verification code").fill(code)
    public.get_by_role("button", name="Check").click()
    assert public.get_by_text("Shanice Campbell").is_visible()
    assert public.get_by_text("Innovation and Digital Government").first.is_visible()
    public.context.close()
