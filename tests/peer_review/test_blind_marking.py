"""Blind marking holds on the staff pages, export and emails of peer review until release."""

import csv
import io

from sqlalchemy import select

from course_engine.courses.services import set_group
from course_engine.deliverables.models import Submission
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review import notices
from course_engine.peer_review.models import Allocation
from tests.deliverables.factories import AUTHOR, GROUP, PDF
from tests.peer_review import factories

URL = "/courses/example-course/peer-review/service-sketch"
FILE = "Ana_Author_sketch.pdf"
REVEALING = [*AUTHOR.values(), GROUP, FILE]


def _blind_peer_review(world, make_user, enrol):
    factories.configure({"reviews_per_submission": 1, "anonymity": "none"})
    deliverable = factories.deliverable()
    deliverable.blind_marking = True
    author = make_user(**AUTHOR)
    enrol(author, "example-course")
    set_group(author.id, deliverable.course_id, GROUP)
    db.session.commit()
    factories.submit(author, files=((FILE, PDF),))
    factories.submit(world["learner"])
    factories.allocate()
    submission = db.session.scalar(select(Submission).where(Submission.user_id == author.id))
    return deliverable, submission


def _staff_views(world, client_for, deliverable, submission) -> dict[str, str]:
    """Return what staff see of the submission's author: its row, page, CSV column and email."""
    allocation = db.session.scalar(
        select(Allocation).where(Allocation.submission_id == submission.id)
    )
    notices.flagged(deliverable, allocation, submission, "Nobody is free.")
    db.session.commit()
    client = client_for(world["facilitator"])
    to_staff = select(QueuedEmail.body).where(QueuedEmail.user_id == world["facilitator"].id)
    # The author also reviews, and is listed as a reviewer: only their submission's row counts.
    table = client.get(URL + "/allocations").text
    link = f"{URL}/submissions/{submission.id}"
    row = table[table.index(f'href="{link}"') :].split("</tr>")[0]
    lines = list(csv.reader(io.StringIO(client.get(URL + "/allocations.csv").text)))
    return {
        "allocations row": row,
        "submission page": client.get(link).text,
        "csv authors": "\n".join(line[0] for line in lines[1:]),
        "flag email": "\n".join(db.session.scalars(to_staff)),
    }


def test_staff_pages_csv_and_emails_hide_the_author_before_release(
    world, make_user, enrol, client_for
):
    deliverable, submission = _blind_peer_review(world, make_user, enrol)
    views = _staff_views(world, client_for, deliverable, submission)
    for name, text in views.items():
        leaks = [value for value in REVEALING if value in text]
        assert not leaks, f"{name} shows {leaks}"
        assert f"Participant {submission.pseudonym}" in text, name


def test_after_release_staff_see_the_author(world, make_user, enrol, client_for):
    deliverable, submission = _blind_peer_review(world, make_user, enrol)
    factories.grade(submission, world["facilitator"], release=True)
    views = _staff_views(world, client_for, deliverable, submission)
    for name, text in views.items():
        assert "Ana Author" in text, name
    assert "Suriname" in views["allocations row"]
