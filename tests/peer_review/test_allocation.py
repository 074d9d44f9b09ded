"""Automatic allocation, its rules and report, the allocate-due job, and changes by hand."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from course_engine.audit.models import AuditEntry
from course_engine.database import utcnow
from course_engine.deliverables.models import Submission
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review import allocation as allocating
from course_engine.peer_review import manual
from course_engine.peer_review.models import Allocation, AllocationState, Review
from tests.peer_review import factories
from tests.peer_review.factories import count_rows

BASE = "/courses/example-course/peer-review/service-sketch"
COUNTRIES = ["Jamaica", "Belize", "Barbados", "Guyana", "Grenada", "Dominica", "Haiti"]


def _pairs():
    rows = db.session.execute(
        select(Allocation.reviewer_id, Submission.user_id)
        .join(Submission, Submission.id == Allocation.submission_id)
        .where(Allocation.state != AllocationState.EXPIRED)
    )
    return sorted(rows.all())


@pytest.mark.parametrize(("learners", "per_submission"), [(3, 2), (6, 2), (7, 3), (5, 1)])
def test_every_submission_gets_its_reviewers_with_an_even_load(peer, learners, per_submission):
    people = [(COUNTRIES[i], f"Org {i}") for i in range(learners)]
    peer({"reviews_per_submission": per_submission}, people=people)
    report = factories.allocate()
    pairs = _pairs()
    assert report.short == []
    assert len(pairs) == learners * per_submission
    assert all(reviewer != author for reviewer, author in pairs)
    assert set(Counter(author for _, author in pairs).values()) == {per_submission}
    assert set(Counter(reviewer for reviewer, _ in pairs).values()) == {per_submission}
    assert report.message() == (
        f"Allocated {learners * per_submission} review(s) to {learners} reviewer(s)."
    )


@pytest.mark.parametrize(("learners", "per_submission"), [(4, 3), (6, 2), (7, 3)])
def test_the_load_is_even_for_every_seed(peer, learners, per_submission):
    peer({"reviews_per_submission": per_submission}, people=[(c, "") for c in COUNTRIES[:learners]])
    for seed in range(25):
        factories.allocate(seed=seed)
        loads = Counter(reviewer for reviewer, _ in _pairs())
        assert set(loads.values()) == {per_submission}, seed
        db.session.execute(delete(Allocation))
        db.session.commit()


def test_the_same_seed_gives_the_same_allocation(peer):
    peer({"reviews_per_submission": 2}, people=[(c, "") for c in COUNTRIES])
    factories.allocate(seed=7)
    first = _pairs()
    db.session.execute(delete(Allocation))
    db.session.commit()
    factories.allocate(seed=7)
    assert _pairs() == first


@pytest.mark.parametrize(
    ("rule", "people"),
    [
        (
            "avoid_same_country",
            [("Jamaica", "A"), ("Jamaica", "B"), ("Belize", "C"), ("Belize", "D")],
        ),
        ("avoid_same_organisation", [("X", "Min"), ("Y", "Min"), ("X", "Other"), ("Y", "Other")]),
    ],
)
def test_country_and_organisation_rules_hold(peer, rule, people):
    learners = peer({"reviews_per_submission": 2, rule: True}, people=people)
    report = factories.allocate()
    assert report.short == []
    by_id = {u.id: u for u in learners}
    field = "country" if rule == "avoid_same_country" else "organisation"
    for reviewer, author in _pairs():
        assert getattr(by_id[reviewer], field) != getattr(by_id[author], field)


def test_designated_reviewers_and_both(peer, world):
    learners = peer({"reviewers": "designated", "reviews_per_submission": 1})
    factories.allocate()
    assert {r for r, _ in _pairs()} == {world["peer_reviewer"].id}
    factories.configure({"reviewers": "both", "reviews_per_submission": 2})
    factories.allocate()
    reviewers = {r for r, _ in _pairs()}
    assert world["peer_reviewer"].id in reviewers and reviewers & {u.id for u in learners}


def test_too_few_eligible_reviewers_allocates_what_it_can_and_says_so(peer, client_for, world):
    learners = peer(
        {"reviews_per_submission": 2, "avoid_same_country": True},
        people=[("Jamaica", ""), ("Jamaica", ""), ("Belize", "")],
    )
    response = client_for(world["facilitator"]).post(BASE + "/allocate", follow_redirects=True)
    assert response.status_code == 200
    # The two Jamaicans can only be reviewed by the one Belizean; the Belizean by both.
    assert "Allocated 4 review(s) to 3 reviewer(s)." in response.text
    assert "2 submission(s) have fewer reviewers than asked" in response.text
    for learner in learners[:2]:
        assert f"{learner.display_name} (1 of 2)" in response.text
    assert "Nobody was given their own work" in response.text
    assert all(reviewer != author for reviewer, author in _pairs())


def test_a_lone_learner_is_never_given_their_own_work(peer):
    peer({"reviews_per_submission": 1}, people=[("Jamaica", "")])
    report = factories.allocate()
    assert report.created == [] and _pairs() == []
    assert "1 submission(s) have fewer reviewers than asked" in report.message()


def test_allocating_again_tops_up_late_submissions_and_keeps_the_rest(peer, make_user, enrol):
    peer({"reviews_per_submission": 1})
    factories.allocate()
    before = _pairs()
    late = make_user(country="Haiti")
    enrol(late, "example-course", "learner")
    factories.submit(late)
    factories.allocate()
    after = _pairs()
    assert set(before) <= set(after)
    assert [author for _, author in after].count(late.id) == 1


def test_each_reviewer_is_emailed_once_per_allocation(peer):
    peer({"reviews_per_submission": 2, "anonymity": "none"})
    report = factories.allocate()
    emails = db.session.scalars(select(QueuedEmail)).all()
    assert len(emails) == len(report.created) == 6
    assert all(e.subject == "A submission to review: Sketch one service" for e in emails)
    factories.allocate()
    assert len(db.session.scalars(select(QueuedEmail)).all()) == 6


def test_allocate_due_runs_once_the_window_closes(peer, app):
    peer({"reviews_per_submission": 1})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["peer-review", "allocate-due"])
    assert result.exit_code == 0 and "Nothing to allocate." in result.output
    assert _pairs() == []
    factories.deliverable().cutoff_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["peer-review", "allocate-due", "--seed", "3"])
    assert "Allocated 3 review(s) to 3 reviewer(s)." in result.output
    assert len(_pairs()) == 3
    again = runner.invoke(args=["peer-review", "allocate-due"])
    assert "Nothing to allocate." in again.output and len(_pairs()) == 3


def test_a_facilitator_adds_removes_and_swaps_reviewers(peer, client_for, world):
    learners = peer({"reviews_per_submission": 1, "reviewers": "peers"})
    factories.allocate()
    client = client_for(world["facilitator"])
    submission = factories.submit(learners[0]).submission
    response = client.post(
        BASE + "/allocations/add",
        data={"submission_id": submission.id, "reviewer_id": world["peer_reviewer"].id},
    )
    assert response.status_code == 302
    added = factories.allocation_of(world["peer_reviewer"], learners[0])
    assert added.created_by == world["facilitator"].id
    response = client.post(
        BASE + f"/allocations/{added.id}/swap", data={"reviewer_id": world["learner"].id}
    )
    assert response.status_code == 302
    db.session.refresh(added)
    assert added.reviewer_id == world["learner"].id
    response = client.post(BASE + f"/allocations/{added.id}/remove", follow_redirects=True)
    assert "Reviewer removed." in response.text
    assert db.session.get(Allocation, added.id) is None
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"peer_review.add", "peer_review.swap", "peer_review.remove"} <= set(actions)


def _submitted_allocation(learners):
    allocation = db.session.scalar(select(Allocation))
    from course_engine.peer_review import reviews

    reviews.save_review(
        factories.deliverable(), allocation, allocation.reviewer_id,
        levels={"clarity": "2"}, comment="Fine", criterion_comments={}, submit=True,
    )  # fmt: skip
    db.session.commit()
    return allocation


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("add-self", None, "Nobody may review their own work"),
        ("add-twice", None, "already allocated (or was)"),
        ("add-stranger", None, "Choose a learner or peer reviewer of this course."),
        ("add-empty", {}, "Choose a submission."),
        ("remove-submitted", {}, "This review was submitted; hide it instead of removing it."),
        ("swap-submitted", None, "Only an unfinished review can go to another reviewer."),
    ],
)
def test_bad_allocation_changes_are_refused_and_change_nothing(
    peer, client_for, world, action, data, message
):
    learners = peer({"reviews_per_submission": 1})
    factories.allocate()
    allocation = _submitted_allocation(learners)
    submission = db.session.get(Submission, allocation.submission_id)
    author = submission.user_id
    urls = {
        "add-self": ("/allocations/add", {"submission_id": submission.id, "reviewer_id": author}),
        "add-twice": (
            "/allocations/add",
            {"submission_id": submission.id, "reviewer_id": allocation.reviewer_id},
        ),
        "add-stranger": (
            "/allocations/add",
            {"submission_id": submission.id, "reviewer_id": world["other_learner"].id},
        ),
        "add-empty": ("/allocations/add", data),
        "remove-submitted": (f"/allocations/{allocation.id}/remove", data),
        "swap-submitted": (
            f"/allocations/{allocation.id}/swap",
            {"reviewer_id": world["peer_reviewer"].id},
        ),
    }
    path, form = urls[action]
    before = count_rows(Allocation, Review, QueuedEmail, AuditEntry), _pairs()
    response = client_for(world["facilitator"]).post(BASE + path, data=form)
    assert response.status_code == 400
    assert message in response.text
    assert (count_rows(Allocation, Review, QueuedEmail, AuditEntry), _pairs()) == before


def test_the_service_refuses_a_self_review_too(peer):
    learners = peer({"reviews_per_submission": 1})
    submission = factories.submit(learners[0]).submission
    with pytest.raises(DomainError, match="their own work"):
        manual.add(factories.deliverable(), submission.id, learners[0].id, learners[1].id)


def test_a_facilitator_of_another_course_cannot_change_allocations(
    peer, client_for, world, make_user, enrol
):
    peer({"reviews_per_submission": 1})
    factories.allocate()
    allocation = db.session.scalar(select(Allocation))
    stranger = make_user()
    enrol(stranger, "other-course", "facilitator")
    factories.deliverable_of("other-course").peer_review = {"reviews_per_submission": 1}
    db.session.commit()
    client = client_for(stranger)
    before = count_rows(Allocation, AuditEntry), _pairs()
    own = "/courses/other-course/peer-review/service-sketch"
    attempts = [BASE + p for p in ("/allocate", "/expire", "/allocations/add")] + [
        base + f"/allocations/{allocation.id}/{verb}"
        for base in (BASE, own)
        for verb in ("remove", "swap")
    ]
    for path in attempts:
        data = {"reviewer_id": stranger.id, "submission_id": allocation.submission_id}
        assert client.post(path, data=data).status_code == 404, path
    # Through their own course, the example course's submission is nowhere to be found.
    data = {"submission_id": allocation.submission_id, "reviewer_id": stranger.id}
    assert client.post(own + "/allocations/add", data=data).status_code == 404
    assert client.get(BASE + "/allocations").status_code == 404
    assert (count_rows(Allocation, AuditEntry), _pairs()) == before


def test_window_closed_uses_the_cut_off_else_the_due_date(peer):
    peer({})
    deliverable = factories.deliverable()
    now = utcnow()
    assert not allocating.window_closed(deliverable, now)
    deliverable.due_at = now - timedelta(hours=1)
    assert allocating.window_closed(deliverable, now)
    deliverable.cutoff_at = now + timedelta(hours=1)
    assert not allocating.window_closed(deliverable, now)
