"""Anonymity holds on every page an author and a reviewer can reach, and in every email."""

import pytest
from flask import url_for
from sqlalchemy import select

from course_engine.deliverables.models import Submission, SubmissionVersion
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review import reviews
from course_engine.peer_review.models import Allocation
from tests.peer_review import factories

HIDES_REVIEWER = {"both": True, "hide_reviewer": True, "hide_author": False, "none": False}
HIDES_AUTHOR = {"both": True, "hide_reviewer": False, "hide_author": True, "none": False}


@pytest.fixture
def scene(world, make_user, enrol):
    """Build a learner whose work two designated reviewers reviewed; return a setup function."""

    def build(setting):
        factories.configure(
            {"reviews_per_submission": 2, "reviewers": "designated", "anonymity": setting}
        )
        author = make_user("amara.author@example.org", "Amara Author", country="Jamaica")
        reviewer = make_user("rory.reviewer@example.org", "Rory Reviewer", country="Belize")
        enrol(author, "example-course", "learner")
        enrol(reviewer, "example-course", "peer_reviewer")
        factories.submit(author, files=(("Amara Author CV.pdf", factories.deliverables.PDF),))
        factories.allocate()
        for allocation in db.session.scalars(select(Allocation)):
            reviews.save_review(
                factories.deliverable(), allocation, allocation.reviewer_id,
                levels={"clarity": "2"}, comment="Useful", criterion_comments={"clarity": "Ok"},
                submit=True,
            )  # fmt: skip
        db.session.commit()
        return author, reviewer

    return build


def _author_pages():
    return [
        url_for("courses.dashboard"),
        url_for("courses.outline", course_slug="example-course"),
        url_for("peer_review.course_index", course_slug="example-course"),
        url_for("peer_review.index", course_slug="example-course", item_slug="service-sketch"),
        url_for("peer_review.feedback", course_slug="example-course", item_slug="service-sketch"),
        url_for("deliverables.show", course_slug="example-course", item_slug="service-sketch"),
    ]


def _reviewer_pages(reviewer):
    allocation = db.session.scalar(select(Allocation).where(Allocation.reviewer_id == reviewer.id))
    version = db.session.scalar(
        select(SubmissionVersion).where(SubmissionVersion.submission_id == allocation.submission_id)
    )
    keys = {"course_slug": "example-course", "item_slug": "service-sketch"}
    return [
        url_for("courses.dashboard"),
        url_for("courses.outline", course_slug="example-course"),
        url_for("peer_review.course_index", course_slug="example-course"),
        url_for("peer_review.index", **keys),
        url_for("peer_review.feedback", **keys),
        url_for("peer_review.review", allocation_id=allocation.id, **keys),
        url_for(
            "peer_review.review_file",
            allocation_id=allocation.id,
            file_id=version.files[0].id,
            **keys,
        ),  # fmt: skip
    ]


def _visible_text(client, paths) -> str:
    text = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype == "text/html":
            text.append(response.text)
        text.append(str(response.headers))
    return "\n".join(text)


def _secrets(user) -> list[str]:
    return [user.display_name, user.email, user.display_name.split()[0]]


@pytest.mark.parametrize("setting", sorted(HIDES_REVIEWER))
def test_the_author_sees_reviewer_names_only_where_allowed(scene, client_for, world, setting):
    author, reviewer = scene(setting)
    seen = _visible_text(client_for(author), _author_pages())
    emails = "\n".join(
        e.subject + e.body
        for e in db.session.scalars(select(QueuedEmail).where(QueuedEmail.user_id == author.id))
    )
    assert "Reviewer 1" in seen or "Reviewer 2" in seen or not HIDES_REVIEWER[setting]
    assert emails.count("reviewed your work") == 2
    for person in (reviewer, world["peer_reviewer"]):
        hidden = HIDES_REVIEWER[setting]
        for secret in _secrets(person)[:2]:
            assert (secret in seen + emails) is (not hidden and secret == person.display_name), (
                setting,
                secret,
            )


@pytest.mark.parametrize("setting", sorted(HIDES_AUTHOR))
def test_the_reviewer_sees_the_author_name_only_where_allowed(scene, client_for, setting):
    author, reviewer = scene(setting)
    seen = _visible_text(client_for(reviewer), _reviewer_pages(reviewer))
    emails = "\n".join(
        e.subject + e.body
        for e in db.session.scalars(select(QueuedEmail).where(QueuedEmail.user_id == reviewer.id))
    )
    assert "A submission to review" in emails
    hidden = HIDES_AUTHOR[setting]
    # The author's own file name also carries their name: it is neutral when they are hidden.
    # Email addresses are never shown to the other side.
    for secret in _secrets(author):
        shown = not hidden and secret != author.email
        assert (secret in seen + emails) is shown, (setting, secret)
    if hidden:
        pseudonym = db.session.scalar(select(Submission.pseudonym))
        assert f"Participant {pseudonym}" in seen and f"Participant {pseudonym}" in emails


def test_facilitators_see_every_name(scene, client_for, world):
    author, reviewer = scene("both")
    submission_id = db.session.scalar(select(Submission.id))
    client = client_for(world["facilitator"])
    keys = {"course_slug": "example-course", "item_slug": "service-sketch"}
    pages = [
        url_for("peer_review.allocations", **keys),
        url_for("peer_review.submission", submission_id=submission_id, **keys),
    ]
    seen = _visible_text(client, pages)
    csv = client.get(url_for("peer_review.export", **keys)).text
    for text in (seen, csv):
        assert author.display_name in text and reviewer.display_name in text


AUTHOR_FILES = {
    "sketch.docx": factories.deliverables.docx("Alice Author"),
    "sketch.pdf": factories.deliverables.one_page_pdf({"/Author": "Alice Author"}),
    "photo.jpg": factories.deliverables.jpeg("Alice Author"),
}


@pytest.mark.parametrize(("setting", "stripped"), [("both", True), ("hide_author", True),
                                                   ("none", False)])  # fmt: skip
def test_reviewers_get_files_without_author_metadata_and_staff_the_originals(
    world, make_user, enrol, client_for, setting, stripped
):
    factories.configure({"reviews_per_submission": 1, "reviewers": "designated",
                         "anonymity": setting})  # fmt: skip
    factories.deliverable().file_types = ["docx", "pdf", "jpg"]
    author, reviewer = make_user(name="Alice Author"), world["peer_reviewer"]
    enrol(author, "example-course")
    version = factories.submit(author, files=tuple(AUTHOR_FILES.items()))
    factories.allocate()
    allocation = factories.allocation_of(reviewer, author)
    keys = {"course_slug": "example-course", "item_slug": "service-sketch"}
    for file in version.files:
        original = AUTHOR_FILES[file.display_name]
        review_copy = client_for(reviewer).get(
            url_for("peer_review.review_file", allocation_id=allocation.id, file_id=file.id, **keys)
        )
        assert review_copy.status_code == 200, file.display_name
        readable = factories.deliverables.readable_bytes(review_copy.data)
        assert (b"Alice Author" in readable) is not stripped, file.display_name
        staff_copy = client_for(world["facilitator"]).get(
            url_for("deliverables.download", file_id=file.id, **keys)
        )
        assert staff_copy.status_code == 200 and staff_copy.data == original


@pytest.mark.parametrize("setting", sorted(HIDES_AUTHOR))
def test_the_upload_page_says_when_reviewers_get_files_without_metadata(world, client_for, setting):
    factories.configure({"anonymity": setting})
    page = client_for(world["learner"]).get(
        url_for("deliverables.show", course_slug="example-course", item_slug="service-sketch")
    )
    assert ('id="metadata-note"' in page.text) is HIDES_AUTHOR[setting]
