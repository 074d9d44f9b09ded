"""Writing reviews: what reviewers may open, drafts, submitting once, the window, scores, hiding."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from course_engine.audit.models import AuditEntry
from course_engine.auth.models import User
from course_engine.courses.models import Item, ItemProgress, ProgressStatus
from course_engine.database import utcnow
from course_engine.deliverables import grading
from course_engine.deliverables.models import Submission, SubmissionVersion
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review import reviews
from course_engine.peer_review.models import Allocation, AllocationState, Review
from tests.peer_review import factories
from tests.peer_review.factories import count_rows

BASE = "/courses/example-course/peer-review/service-sketch"


def _mine(reviewer):
    return db.session.scalars(
        select(Allocation).where(Allocation.reviewer_id == reviewer.id).order_by(Allocation.id)
    ).all()


def _user(user_id):
    return db.session.get(User, user_id)


@pytest.fixture
def allocated(peer):
    """Three learners submitted; each reviews the two others."""
    learners = peer({"reviews_per_submission": 2})
    factories.allocate()
    return learners


def test_a_reviewer_saves_a_draft_then_submits(allocated, client_for):
    reviewer = allocated[0]
    allocation = _mine(reviewer)[0]
    client = client_for(reviewer)
    url = BASE + f"/reviews/{allocation.id}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="radio" name="level-clarity"' in page.text
    draft = {"level-clarity": "2", "comment-clarity": "Who is it *for*?", "comment": "Draft"}
    assert client.post(url, data={**draft, "save": "1"}).status_code == 302
    db.session.refresh(allocation)
    assert allocation.state == AllocationState.DRAFT
    assert "Who is it *for*?" in client.get(url).text
    hostile = "Good <script>alert(1)</script> **work** [x](javascript:alert(1))"
    response = client.post(url, data={**draft, "comment": hostile, "submit": "1"})
    assert response.status_code == 302
    review = reviews.review_of(allocation.id)
    db.session.refresh(allocation)
    assert allocation.state == AllocationState.SUBMITTED
    assert review.score_percent == 100.0 and review.levels == {"clarity": 2}
    assert "<strong>work</strong>" in review.comment_html
    assert "<script" not in review.comment_html and "javascript:" not in review.comment_html
    assert review.criterion_comments_html["clarity"] == "<p>Who is it <em>for</em>?</p>"
    assert "You submitted this review" in client.get(url).text


def test_submitting_twice_records_one_review(allocated, client_for):
    reviewer = allocated[0]
    allocation = _mine(reviewer)[0]
    client = client_for(reviewer)
    url = BASE + f"/reviews/{allocation.id}"
    data = {"level-clarity": "0", "comment": "First", "submit": "1"}
    assert client.post(url, data=data).status_code == 302
    before = count_rows(Review, QueuedEmail), reviews.review_of(allocation.id).comment
    response = client.post(url, data={**data, "comment": "Second"})
    assert response.status_code == 409
    assert "You already submitted this review; nothing was changed." in response.text
    assert (count_rows(Review, QueuedEmail), reviews.review_of(allocation.id).comment) == before


def test_a_review_after_the_window_is_refused_and_nothing_is_saved(allocated, client_for):
    reviewer = allocated[0]
    allocation = _mine(reviewer)[0]
    allocation.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client_for(reviewer).post(
        BASE + f"/reviews/{allocation.id}",
        data={"level-clarity": "2", "comment": "Late", "submit": "1"},
    )
    assert response.status_code == 400
    assert "The review window closed on" in response.text and "nothing was saved" in response.text
    db.session.refresh(allocation)
    assert allocation.state == AllocationState.ASSIGNED
    assert count_rows(Review) == (0,)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": "No level", "submit": "1"}, "Choose a level for every criterion (Clarity)."),
        ({"level-clarity": "7", "save": "1"}, "“Clarity”: choose one of the rubric&#39;s levels."),
        ({"comment": "x" * 20_001, "save": "1"}, "Field cannot be longer than 20000 characters."),
    ],
)
def test_bad_reviews_are_refused_and_change_nothing(allocated, client_for, data, message):
    allocation = _mine(allocated[0])[0]
    response = client_for(allocated[0]).post(BASE + f"/reviews/{allocation.id}", data=data)
    assert response.status_code == 400
    assert message in response.text
    db.session.refresh(allocation)
    assert allocation.state == AllocationState.ASSIGNED and count_rows(Review) == (0,)


@pytest.fixture
def two_criteria(allocated):
    """Give the deliverable a second criterion, Evidence."""
    deliverable = factories.deliverable()
    deliverable.rubric = [
        *deliverable.rubric,
        {"id": "evidence", "title": "Evidence", "levels": [
            {"label": "Thin", "points": 0, "descriptor": ""},
            {"label": "Solid", "points": 1, "descriptor": ""},
        ]},
    ]  # fmt: skip
    db.session.commit()
    return allocated


def test_a_missing_level_keeps_every_comment_and_level_and_saves_nothing(two_criteria, client_for):
    allocation = _mine(two_criteria[0])[0]
    typed = {
        "level-clarity": "2",
        "comment-clarity": "Clear <b>enough</b>",
        "comment-evidence": "Where are the interviews?",
        "comment": "Thoughtful overall.",
        "submit": "1",
    }
    response = client_for(two_criteria[0]).post(BASE + f"/reviews/{allocation.id}", data=typed)
    assert response.status_code == 400
    page = response.text
    assert "Choose a level for every criterion (Evidence)." in page
    error = page.split('id="level-evidence-error"')[1].split("</div>")[0]
    assert "Choose a level for “Evidence”." in error
    assert 'id="level-clarity-error"' not in page
    assert re.search(r'name="level-clarity" id="level-clarity-\d" value="2" checked', page)
    assert not re.search(r'name="level-evidence" [^>]* checked', page)
    assert ">Clear &lt;b&gt;enough&lt;/b&gt;</textarea>" in page
    assert ">Where are the interviews?</textarea>" in page
    assert "\nThoughtful overall.</textarea>" in page
    db.session.refresh(allocation)
    assert allocation.state == AllocationState.ASSIGNED and count_rows(Review) == (0,)


def test_comments_mode_asks_for_a_comment_and_shows_no_rubric(peer, client_for):
    learners = peer({"reviews_per_submission": 1, "mode": "comments"})
    factories.allocate()
    allocation = _mine(learners[0])[0]
    client = client_for(learners[0])
    url = BASE + f"/reviews/{allocation.id}"
    assert 'type="radio"' not in client.get(url).text
    response = client.post(url, data={"level-clarity": "2", "submit": "1"})
    assert response.status_code == 400 and "Write a comment" in response.text
    assert client.post(url, data={"comment-clarity": "Clear", "submit": "1"}).status_code == 302
    review = reviews.review_of(allocation.id)
    assert review.levels == {} and review.score_percent is None


def test_reviewers_reach_only_what_is_allocated_to_them(allocated, client_for, world):
    reviewer, other = allocated[0], allocated[1]
    mine = _mine(reviewer)
    theirs = [a for a in _mine(other) if a.submission_id not in {m.submission_id for m in mine}]
    client = client_for(reviewer)
    own_version = db.session.scalar(
        select(SubmissionVersion).join(Submission).where(Submission.user_id == reviewer.id)
    )
    missing = max(a.id for a in _mine(other)) + 100
    for path in [
        f"/reviews/{theirs[0].id}",
        f"/reviews/{missing}",
        f"/reviews/{mine[0].id}/files/{own_version.files[0].id}",
        f"/reviews/{theirs[0].id}/files/1",
    ]:
        assert client.get(BASE + path).status_code == 404, path
    response = client.post(
        BASE + f"/reviews/{theirs[0].id}", data={"level-clarity": "2", "submit": "1"}
    )
    assert response.status_code == 404
    # Someone else's review page from another course's learner, by guessing.
    assert (
        client_for(world["other_learner"]).get(BASE + f"/reviews/{mine[0].id}").status_code == 404
    )
    assert count_rows(Review) == (0,)


def test_a_crafted_allocation_of_ones_own_work_is_not_found(allocated, client_for):
    author = allocated[0]
    own = db.session.scalar(select(Submission).where(Submission.user_id == author.id))
    crafted = Allocation(
        deliverable_id=own.deliverable_id, submission_id=own.id, reviewer_id=author.id,
        number=99, due_at=utcnow() + timedelta(days=1), created_at=utcnow(),
    )  # fmt: skip
    db.session.add(crafted)
    db.session.commit()
    client = client_for(author)
    assert client.get(BASE + f"/reviews/{crafted.id}").status_code == 404
    response = client.post(
        BASE + f"/reviews/{crafted.id}", data={"level-clarity": "2", "submit": "1"}
    )
    assert response.status_code == 404 and count_rows(Review) == (0,)
    assert "Sketch one service" not in client.get(BASE).text.split("To review")[1].split("<h2")[0]


@pytest.mark.parametrize(
    ("setting", "hidden"),
    [("both", True), ("hide_author", True), ("hide_reviewer", False), ("none", False)],
)
def test_file_names_are_neutral_when_the_author_is_hidden(peer, client_for, setting, hidden):
    learners = peer({"reviews_per_submission": 1, "anonymity": setting})
    factories.allocate()
    allocation = _mine(learners[0])[0]
    version = db.session.scalar(
        select(SubmissionVersion).where(SubmissionVersion.submission_id == allocation.submission_id)
    )
    client = client_for(learners[0])
    response = client.get(BASE + f"/reviews/{allocation.id}/files/{version.files[0].id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    expected = f"submission-{allocation.submission_id}-file-1.pdf" if hidden else "sketch.pdf"
    assert disposition.startswith(f'attachment; filename="{expected}"; filename*=')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get(BASE + f"/reviews/{allocation.id}").text
    assert (expected in page) and (("sketch.pdf" in page) != hidden)


def _review(allocation, points, comment="Fine"):
    reviews.save_review(
        factories.deliverable(), allocation, allocation.reviewer_id,
        levels={"clarity": str(points)}, comment=comment, criterion_comments={}, submit=True,
    )  # fmt: skip
    db.session.commit()
    return reviews.review_of(allocation.id)


def test_the_median_peer_score_enters_the_grade_and_hidden_reviews_do_not(peer, client_for, world):
    learners = peer({"reviews_per_submission": 3, "reviewers": "both", "weight_percent": 50})
    factories.allocate()
    author = learners[0]
    submission = db.session.scalar(select(Submission).where(Submission.user_id == author.id))
    allocations = db.session.scalars(
        select(Allocation).where(Allocation.submission_id == submission.id).order_by(Allocation.id)
    ).all()
    written = [_review(a, p) for a, p in zip(allocations, (2, 0, 2), strict=True)]
    assert grading.assessment_of(submission.id).peer_percent == 100.0
    response = client_for(world["facilitator"]).post(
        BASE + f"/moderation/{written[0].id}", data={"hidden": "1"}, follow_redirects=True
    )
    assert "Review hidden." in response.text
    # The median of 0 and 100.
    assert grading.assessment_of(submission.id).peer_percent == 50.0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "peer_review.hide"))
    assert entry.actor_id == world["facilitator"].id and entry.target == f"review:{written[0].id}"
    feedback = client_for(author).get(BASE + "/feedback").text
    assert feedback.count("On version 1") == 2
    assert f"Reviewer {allocations[0].number}<" not in feedback


def test_hiding_every_review_clears_the_peer_score_from_the_grade(peer, client_for, world):
    peer({"reviews_per_submission": 1, "weight_percent": 50})
    factories.allocate()
    allocation = db.session.scalars(select(Allocation).order_by(Allocation.id)).first()
    submission = db.session.get(Submission, allocation.submission_id)
    review = _review(allocation, 0)
    factories.grade(submission, world["facilitator"], release=True)
    grade = select(Grade.score).where(Grade.user_id == submission.user_id)
    assert db.session.scalar(grade) == 1.0  # half the grader's 2, half the peers' 0
    client_for(world["facilitator"]).post(BASE + f"/moderation/{review.id}", data={"hidden": "1"})
    db.session.expire_all()
    assert grading.assessment_of(submission.id).peer_percent is None
    assert db.session.scalar(grade) == 2.0


def test_a_bad_hide_request_changes_nothing(allocated, client_for, world):
    allocation = _mine(allocated[0])[0]
    review = _review(allocation, 2)
    client = client_for(world["facilitator"])
    response = client.post(BASE + f"/moderation/{review.id}", data={"hidden": "maybe"})
    assert response.status_code == 400 and "Say whether to hide or show." in response.text
    assert (
        client.post(BASE + f"/moderation/{review.id + 50}", data={"hidden": "1"}).status_code == 404
    )
    db.session.refresh(review)
    assert review.hidden is False and count_rows(AuditEntry) == (0,)


def test_finishing_every_review_can_complete_the_item(peer, world):
    peer({"reviews_per_submission": 1, "reviewers": "designated", "reviews_complete_item": True})
    factories.allocate()
    reviewer = world["peer_reviewer"]
    mine = _mine(reviewer)
    assert len(mine) == 3

    def status():
        return db.session.scalar(
            select(ItemProgress.status).where(ItemProgress.user_id == reviewer.id)
        )

    for allocation in mine[:-1]:
        _review(allocation, 2)
        assert status() is None
    _review(mine[-1], 2)
    assert status() == ProgressStatus.DONE


def test_a_review_of_an_archived_deliverable_is_saved_but_completes_nothing(peer, world):
    peer({"reviews_per_submission": 1, "reviewers": "designated", "reviews_complete_item": True})
    factories.allocate()
    reviewer = world["peer_reviewer"]
    mine = _mine(reviewer)
    for allocation in mine[:-1]:
        _review(allocation, 2)
    db.session.get(Item, factories.deliverable().item_id).archived = True
    db.session.commit()
    assert _review(mine[-1], 2).submitted_at is not None
    assert (
        db.session.scalar(select(ItemProgress).where(ItemProgress.user_id == reviewer.id)) is None
    )


def test_the_author_revises_after_reading_reviews_and_the_facilitator_sees_what_changed(
    peer, client_for, world
):
    learners = peer({"reviews_per_submission": 1, "allow_revision": True, "anonymity": "both"})
    factories.allocate()
    author = learners[0]
    submission = db.session.scalar(select(Submission).where(Submission.user_id == author.id))
    allocation = db.session.scalar(
        select(Allocation).where(Allocation.submission_id == submission.id)
    )
    client = client_for(author)
    assert "Revise and resubmit" not in client.get(BASE + "/feedback").text
    _review(allocation, 0, comment="Say who the service is **for**.")
    # The submission window has closed: only a reopened submission may be handed in again.
    factories.deliverable().cutoff_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(BASE + "/feedback").text
    assert "Say who the service is <strong>for</strong>." in page
    assert f"Reviewer {allocation.number}" in page
    assert "Revise and resubmit" in page
    response = client.post(BASE + "/revise", follow_redirects=True)
    assert "You may now hand in a revised version." in response.text
    revised = "My sketch\n<script>alert(1)</script> for citizens"
    response = client.post(
        "/courses/example-course/deliverables/service-sketch",
        data={"text": revised, "submit": "1", "confirm": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.submitted_count == 2
    page = client_for(world["facilitator"]).get(BASE + f"/submissions/{submission.id}").text
    assert "What changed from version 1 to version 2" in page
    assert (
        '<ins class="text-success">+ &lt;script&gt;alert(1)&lt;/script&gt; for citizens</ins>'
        in page
    )
    assert "<script>alert(1)" not in page
    assert "Version 1, submitted" in page and "Say who the service is" in page
    assert "/deliverables/service-sketch/submissions/" in page  # the link to grade the revision


@pytest.mark.parametrize("allow", [False, True])
def test_revising_without_leave_is_refused(peer, client_for, allow):
    learners = peer({"reviews_per_submission": 1, "allow_revision": allow})
    factories.allocate()
    submission = db.session.scalar(select(Submission).where(Submission.user_id == learners[0].id))
    # With revision allowed, it still waits for a review of the current version.
    response = client_for(learners[0]).post(BASE + "/revise")
    assert response.status_code == 400
    assert "You may revise once your current version has been reviewed" in response.text
    db.session.refresh(submission)
    assert submission.reopened is False
