"""The facilitator's pages: allocation table, reviewer progress and spread, CSV, query counts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from course_engine.database import utcnow
from course_engine.deliverables.models import Submission
from course_engine.extensions import db
from course_engine.peer_review import oversight, reviews
from course_engine.peer_review.models import Allocation
from tests.peer_review import factories
from tests.support.queries import count_queries

BASE = "/courses/example-course/peer-review/service-sketch"
COUNTRIES = ["Jamaica", "Belize", "Barbados", "Guyana", "Grenada", "Dominica", "Haiti", "Cuba"]


def _review(allocation, points):
    reviews.save_review(
        factories.deliverable(), allocation, allocation.reviewer_id,
        levels={"clarity": str(points)}, comment="", criterion_comments={}, submit=True,
    )  # fmt: skip
    db.session.commit()


def test_reviewer_spread_from_peers_and_from_the_facilitator(peer, world):
    learners = peer({"reviews_per_submission": 3, "reviewers": "both"}, people=[("A", "")] * 3)
    factories.allocate()
    author = learners[0]
    submission = db.session.scalar(select(Submission).where(Submission.user_id == author.id))
    allocations = db.session.scalars(
        select(Allocation).where(Allocation.submission_id == submission.id).order_by(Allocation.id)
    ).all()
    points = dict(zip([a.reviewer_id for a in allocations], (2, 2, 0), strict=True))
    for allocation in allocations:
        _review(allocation, points[allocation.reviewer_id])
    factories.grade(submission, world["facilitator"], release=False)
    rows = {r.user_id: r for r in oversight.reviewer_rows(factories.deliverable())}
    careless = allocations[2].reviewer_id
    assert rows[careless].from_peers == 100.0 and rows[careless].from_facilitator == 100.0
    # The others gave 100 and 0: their median is 50.
    assert rows[allocations[0].reviewer_id].from_peers == 50.0
    assert rows[allocations[0].reviewer_id].from_facilitator == 0.0


def test_progress_shows_who_is_late(peer, client_for, world):
    learners = peer({"reviews_per_submission": 1})
    factories.allocate()
    late = db.session.scalar(select(Allocation).where(Allocation.reviewer_id == learners[0].id))
    late.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    rows = oversight.reviewer_rows(factories.deliverable())
    assert rows[0].user_id == learners[0].id and rows[0].late == 1
    page = client_for(world["facilitator"]).get(BASE + "/allocations").text
    assert '<span class="badge text-bg-danger">Late</span>' in page


def test_the_csv_writes_formulas_as_text(peer, client_for, world, make_user, enrol):
    peer({"reviews_per_submission": 1})
    hostile = make_user(name="=HYPERLINK(1)", country="Cuba")
    enrol(hostile, "example-course", "learner")
    factories.submit(hostile)
    factories.allocate()
    response = client_for(world["facilitator"]).get(BASE + "/allocations.csv")
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="service-sketch-reviews.csv"; filename*='
    )
    lines = response.text.splitlines()
    assert lines[0].startswith('"Submission by","Reviewer","State"')
    assert any(line.startswith('"\'=HYPERLINK(1)"') for line in lines)
    assert not any(line.startswith(("=", '"=')) for line in lines)


@pytest.fixture
def sized(peer, make_user, enrol):
    """Build N learners who submitted and were allocated, one review submitted each."""

    def build(count):
        learners = peer(
            {"reviews_per_submission": 2}, people=[(COUNTRIES[i % 8], "") for i in range(count)]
        )
        factories.allocate()
        for allocation in db.session.scalars(select(Allocation).where(Allocation.number == 1)):
            _review(allocation, 2)
        return learners

    return build


@pytest.mark.parametrize(
    "page", ["allocations", "course_index", "index", "review", "submission", "feedback", "export"]
)
def test_pages_make_the_same_number_of_queries_whatever_the_size(sized, client_for, world, page):
    counts = []
    for size in (3, 12):
        learners = sized(size)
        reviewer = learners[0]
        allocation = db.session.scalar(
            select(Allocation).where(Allocation.reviewer_id == reviewer.id).order_by(Allocation.id)
        )
        own = db.session.scalar(select(Submission).where(Submission.user_id == reviewer.id))
        paths = {
            "allocations": (world["facilitator"], BASE + "/allocations"),
            "course_index": (reviewer, "/courses/example-course/peer-review"),
            "index": (reviewer, BASE),
            "review": (reviewer, BASE + f"/reviews/{allocation.id}"),
            "submission": (world["facilitator"], BASE + f"/submissions/{own.id}"),
            "feedback": (reviewer, BASE + "/feedback"),
            "export": (world["facilitator"], BASE + "/allocations.csv"),
        }
        user, path = paths[page]
        client = client_for(user)
        client.get(path)
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
        for table in ("peer_reviews", "peer_allocations"):
            db.session.execute(db.text(f"DELETE FROM {table}"))
        db.session.commit()
        db.session.expunge_all()
    print(page, counts)
    assert counts[0] == counts[1]
